"""Fuzzing the reader: whatever bytes arrive, the outcome is lines or the project's own error.

Random bytes, random CSV grammars (separators, quoting, BOMs and encodings, missing, extra and
duplicated columns, ragged rows, empty and hostile cells, files cut short) and damaged XLSX.
Every outcome must be a frame or a `TransitionError` with a message of its own: never another
exception, never the catch-all `error.unreadable` (each crash the fuzzers found got a real fix
in reader/ and a regression test in test_exports.py, marked "Found by the fuzzer"), and never
a cell's content in the message, since a cell may hold a buyer's personal data.

Deterministic for CI (`derandomize`). Explore further with, for instance,
`FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py`: random and many more examples.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from exportkit import LAYOUT_65, line, stale_dimension, write_xlsx
from tiktok_transition.cli.main import app
from tiktok_transition.errors import TransitionError
from tiktok_transition.reader import files as reader
from tiktok_transition.reader.layout import (
    KNOWN_COLUMNS,
    PII_FIELDS,
    PRODUCT_FIELDS,
    TRIAGE_FIELDS,
    ReadOptions,
)

_EXPLORE = int(os.environ.get("FUZZ_EXAMPLES", "0"))


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=_EXPLORE or examples,
        derandomize=not _EXPLORE,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


ALL = (*TRIAGE_FIELDS, *PRODUCT_FIELDS, *PII_FIELDS)
PII = "canary-pii-0812"  # planted in cells: must never reach a message
REQUIRED = ["Order ID", "Order Status", "Created Time"]

CELLS = [
    "", "\t", " ", "1", "0", "-1", "2", "576461413038785984", "576461413038785984\t",
    "1729384756102938475", "5.76461E+17", "5,76461E+17", "576461413038785984.0",
    "576461413038785000", "01/10/2023 10:00:00\t", "20/10/2023 9:05", "20/10/2023 09.05",
    "2023-10-01T10:00:00+07:00", "31/02/2023 10:00:00", "00/00/0000 00:00:00",
    "9999-12-31 23:59:59", "0001-01-01 00:00:00", "12/13/2023 1:00:00 PM", "99999",
    "189950", "189.950", "Rp 189.950", "IDR 189,950", "189950.0", "189.950,00", "Rp 189.950,-",
    "(5.000)", "99999999999999999999999", "1e309", "nan", "inf", "-", "--", "Rp",
    "Perlu dikirim", "Menunggu pengambilan", "Dikirim", "Selesai", "Dibatalkan", "SELESAI ",
    "Bayar di tempat", "Pre-order", "=HYPERLINK(\"x\")", '"', '""', "'", ",", ";", "|",
    "\r", "\n", "\r\n", "a\nb", "😀", "\u00a0", "\ufeff", "Ä", "\u202e", PII,
]  # fmt: skip
cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=12))
header_name = st.one_of(
    st.sampled_from(KNOWN_COLUMNS), st.sampled_from(["", "Kolom", "order id ", "ORDER STATUS"])
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV in a random dialect; mostly with the required columns, so that it gets read."""
    columns = draw(st.lists(header_name, max_size=8))
    if draw(st.sampled_from([True] * 9 + [False])):  # mostly with the required columns
        columns += REQUIRED
    columns = draw(st.permutations(columns))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from(["minimal", "all", "none"]))

    def written(value: str) -> str:
        needs = any(ch in value for ch in f'"\r\n{delimiter}')
        if quoting == "all" or (quoting == "minimal" and needs):
            return '"' + value.replace('"', '""') + '"'
        return value

    width = len(columns)
    rows = draw(
        st.lists(
            st.lists(cell, min_size=max(0, width - 2), max_size=width + 2)
            if draw(st.booleans())
            else st.lists(cell, min_size=width, max_size=width),
            max_size=6,
        )
    )
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    text = newline.join(delimiter.join(written(v) for v in row) for row in [columns, *rows])
    if draw(st.booleans()):
        text += newline
    encoding = draw(
        st.sampled_from(["utf-8-sig", "utf-8-sig", "utf-8", "utf-16", "cp1252", "utf-16-le"])
    )
    data = text.encode(encoding, errors="replace")
    if draw(st.sampled_from([False] * 7 + [True])):  # cut short
        data = data[: draw(st.integers(0, len(data)))]
    return data


overrides = st.dictionaries(
    st.sampled_from(["Order ID", "Order Status", "Order Substatus", "Order Amount"]),
    st.sampled_from(["Order ID", "Order Status", "Created Time", "Kolom", "Quantity"]),
    max_size=2,
)


def outcome(data: bytes, tmp_path: Path, suffix: str, options: ReadOptions) -> str:
    """Read `data` as a file; return "ok" or the error's key, and check the invariants."""
    path = tmp_path / f"fuzzed{suffix}"
    path.write_bytes(data)
    try:
        lines = reader.read_exports([str(path)], options)
    except TransitionError as exc:
        assert exc.key != "error.unreadable", f"an unexpected exception: {exc.__cause__!r}"
        message = str(exc)
        assert PII not in message and "😀" not in message
        assert "fuzzed" in message or exc.key.startswith("error.column")
        return exc.key
    frame = lines.frame
    assert (frame["order_id"] != "").all()
    assert not frame["order_id"].str.contains(r"^\s|\s$", regex=True).any()
    for column in ("order_amount", "quantity"):
        assert frame[column].dtype == "int64"
    assert isinstance(frame["created_time"].dtype, pd.DatetimeTZDtype)
    return "ok"


@fuzz(200)
@given(data=st.binary(max_size=400))
def test_random_bytes(data: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    outcome(data, tmp_path_factory.mktemp("b"), ".csv", ReadOptions(fields=ALL))


def test_random_csv_grammars(tmp_path_factory: pytest.TempPathFactory) -> None:
    seen: Counter[str] = Counter()

    @fuzz(200)
    @given(data=csv_files(), extra=overrides)
    def check(data: bytes, extra: dict[str, str]) -> None:
        options = ReadOptions(fields=ALL, overrides=extra)
        seen[outcome(data, tmp_path_factory.mktemp("c"), ".csv", options)] += 1

    check()
    # A fuzzer that only ever meets "not an export" tests nothing: most files must get deep.
    # A header without rows is refused on purpose (issue #14): it was read cleanly too.
    assert seen["ok"] + seen["hostile.no_rows"] >= 40 and len(seen) >= 4, seen


@cache
def _workbook() -> bytes:
    """A real export as XLSX: description row, stale dimension, 65 columns to BM."""
    import tempfile

    rows = [line(str(576461413038785984 + i), Quantity=str(i + 1)) for i in range(4)]
    with tempfile.TemporaryDirectory() as folder:
        path = stale_dimension(write_xlsx(Path(folder) / "e.xlsx", rows, LAYOUT_65))
        return path.read_bytes()


@fuzz(150)
@given(
    cut=st.one_of(st.none(), st.integers(0, 20000)),
    flips=st.lists(st.tuples(st.integers(0, 20000), st.integers(0, 255)), max_size=6),
)
def test_truncated_and_damaged_xlsx(
    cut: int | None, flips: list[tuple[int, int]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = bytearray(_workbook())
    for position, value in flips:
        data[position % len(data)] = value
    damaged = bytes(data if cut is None else data[: cut % len(data)])
    outcome(damaged, tmp_path_factory.mktemp("x"), ".xlsx", ReadOptions(fields=ALL))


@cache
def _sheet_parts() -> tuple[list[tuple[zipfile.ZipInfo, bytes]], bytes]:
    with zipfile.ZipFile(io.BytesIO(_workbook())) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    sheet = next(body for info, body in parts if info.filename == "xl/worksheets/sheet1.xml")
    return parts, sheet


@fuzz(150)
@given(
    start=st.integers(0, 40000),
    length=st.integers(0, 200),
    junk=st.binary(max_size=40) | st.sampled_from([b"<", b"</row>", b'r="ZZZ9"', b't="s"']),
)
def test_damaged_sheet_xml_inside_a_sound_zip(
    start: int, length: int, junk: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    parts, sheet = _sheet_parts()
    position = start % (len(sheet) + 1)
    broken = sheet[:position] + junk + sheet[position + length :]
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, body in parts:
            archive.writestr(info, broken if info.filename.endswith("sheet1.xml") else body)
    outcome(target.getvalue(), tmp_path_factory.mktemp("s"), ".xlsx", ReadOptions(fields=ALL))


excel_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(),
    st.dates(),
    st.sampled_from(CELLS),
)


@fuzz(60)
@given(cells=st.lists(st.dictionaries(st.sampled_from(LAYOUT_65), excel_value), max_size=4))
def test_xlsx_with_randomly_typed_cells(
    cells: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    rows: list[dict[str, Any]] = [
        {**line(str(576461413038785984 + i)), **c} for i, c in enumerate(cells)
    ]
    folder = tmp_path_factory.mktemp("t")
    try:
        path = write_xlsx(folder / "e.xlsx", rows, description=None)
    except (ValueError, TypeError):
        return  # openpyxl refuses to write it (illegal characters): not a file anyone has
    outcome(path.read_bytes(), folder, ".xlsx", ReadOptions(fields=ALL))


runner = CliRunner()


@fuzz(80)
@given(data=csv_files())
def test_the_cli_on_random_csv_is_a_report_or_exit_2(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("cli")
    export, target = folder / "fuzzed.csv", folder / "report.csv"
    export.write_bytes(data)
    result = runner.invoke(
        app, ["scan", str(export), "--as-of", "2023-10-20 09:00", "-o", str(target)]
    )
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and PII not in result.stderr
    if result.exit_code == 2:
        assert not target.exists() and 1 <= len(result.stderr.strip().splitlines()) <= 3
    else:
        assert target.exists()


# --- option values and state files (issue #14) ---------------------------------------------

_EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "orders-2023-10-20.csv"


def _no_crash(result: Any) -> None:
    """A run the user may have got wrong, but never a bug: exit 0, 1 or 2, no traceback."""
    shown = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), (result.exit_code, repr(result.exception), shown[-500:])
    assert "Traceback" not in shown
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)


_MOMENTS = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat()),
    st.builds(
        lambda moment, hours: (
            f"{moment.isoformat()}{'+' if hours >= 0 else '-'}{abs(hours):02d}:00"
        ),
        st.datetimes(),
        st.integers(-23, 23),
    ),
    st.sampled_from(
        ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2023-10-20 09:00", "", "now"]
    ),
    st.text(max_size=30),
)
_ZONES = st.one_of(
    st.sampled_from(
        ["Asia/Jakarta", "America/New_York", "UTC", "Pacific/Kiritimati", "Etc/GMT+12", "../etc"]
    ),
    st.text(max_size=20),
)
_COLUMN_SPECS = st.one_of(
    st.builds(
        lambda name, header: f"{name}={header}",
        st.sampled_from(KNOWN_COLUMNS) | st.text(max_size=10),
        st.sampled_from(KNOWN_COLUMNS) | st.text(max_size=10),
    ),
    st.text(max_size=20),
)


@fuzz(60)
@given(
    command=st.sampled_from(["scan", "summary", "plan", "picklist", "catalog"]),
    as_of=_MOMENTS,
    cutoff=st.none() | _MOMENTS,
    shutdown=st.none() | _MOMENTS,
    tz=st.none() | _ZONES,
    capacity=st.one_of(st.integers(), st.integers(-10, 100), st.text(max_size=8)),
    columns=st.lists(_COLUMN_SPECS, max_size=3),
    fmt=st.sampled_from(["csv", "json", "jsonl", "markdown", "table", "xlsx", "bogus"]),
    output=st.sampled_from([None, "-", "", ".", "out.csv", "out.xlsx", "/dev/full"]),
)
def test_option_values_never_crash(
    command: str,
    as_of: str,
    cutoff: str | None,
    shutdown: str | None,
    tz: str | None,
    capacity: int | str,
    columns: list[str],
    fmt: str,
    output: str | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("opt")
    args = [command, str(_EXAMPLE), "--as-of", as_of, "--format", fmt]
    for option, value in (("--cutoff", cutoff), ("--shutdown", shutdown), ("--tz", tz)):
        if value is not None:
            args += [option, value]
    if command == "plan":
        args += ["--capacity", str(capacity)]
    for spec in columns:
        args += ["--column", spec]
    if output is not None:
        args += ["-o", output if output in ("-", "", ".", "/dev/full") else str(folder / output)]
    _no_crash(CliRunner().invoke(app, args))


_STATE_DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
).map(lambda value: {"version": 1, "platforms": {"shopee": value}})


@fuzz(60)
@given(
    content=st.one_of(
        st.binary(max_size=200),
        _STATE_DOCUMENTS.map(lambda doc: json.dumps(doc).encode()),
        st.builds(
            lambda when: json.dumps(
                {"version": 1, "platforms": {"shopee": {"verify-ktp": when}}}
            ).encode(),
            _MOMENTS,
        ),
        st.sampled_from(
            [b"[" * 50_000, b'{"version": ' + b"9" * 5000 + b"}", b'{"version": 2}', b"\xff\xfe"]
        ),
    ),
    command=st.sampled_from(
        [["list"], ["show", "shopee"], ["done", "shopee", "verify-ktp"], ["reset", "shopee"]]
    ),
)
def test_state_files_never_crash(
    content: bytes, command: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    state = tmp_path_factory.mktemp("state") / "progress.json"
    state.write_bytes(content)
    for _ in range(2):  # and a damaged file does not break the next run either
        result = CliRunner().invoke(
            app, ["checklist", *command, "--state", str(state), "--format", "json"]
        )
        _no_crash(result)
        assert result.exit_code in (0, 2)
