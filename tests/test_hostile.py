"""Hostile and broken inputs (issue #14): never overwrite the seller's file, never hang, never
run out of memory, never say "fine" when it is not. Each test is a repro from the issue,
through the CLI as a user would run it."""

from __future__ import annotations

import csv
import io
import os
import signal
import stat
import zipfile
from pathlib import Path

import pytest

from conftest import AS_OF, run
from exportkit import line, write_csv, write_xlsx


def _one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    # Warnings about the export may come first; the error is one line, the last.
    text = result.stderr.strip().splitlines()[-1]
    assert text, result.stderr
    return str(text)


def _export(tmp_path: Path, name: str = "in.csv") -> Path:
    return write_csv(tmp_path / name, [line(), line("576461413038785985", Order_Status="Dikirim")])


# --- data loss: the output is never one of the inputs ----------------------------------------


@pytest.mark.parametrize("command", ["scan", "summary", "picklist", "catalog"])
def test_output_onto_the_export_itself_is_refused_before_reading(
    tmp_path: Path, command: str
) -> None:
    export = _export(tmp_path)
    before = export.read_bytes()
    result = run(command, str(export), *AS_OF, "-o", str(export))
    assert "Refusing to write" in _one_line_error(result)
    assert export.read_bytes() == before


def test_output_through_a_symlink_or_hard_link_is_refused(tmp_path: Path) -> None:
    export = _export(tmp_path)
    before = export.read_bytes()
    (tmp_path / "link.csv").symlink_to(export)
    os.link(export, tmp_path / "hard.csv")
    for output in ("link.csv", "hard.csv"):
        result = run("scan", str(export), *AS_OF, "-o", str(tmp_path / output))
        _one_line_error(result)
    result = run("scan", str(tmp_path / "link.csv"), *AS_OF, "-o", str(export))
    _one_line_error(result)
    assert export.read_bytes() == before


def test_output_onto_an_xlsx_export_is_refused(tmp_path: Path) -> None:
    export = write_xlsx(tmp_path / "in.xlsx", [line()])
    before = export.read_bytes()
    result = run("scan", str(export), *AS_OF, "--format", "xlsx", "-o", str(export))
    _one_line_error(result)
    assert export.read_bytes() == before


def test_a_read_only_report_is_not_replaced(tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    report.write_text("yesterday\n")
    report.chmod(0o444)
    if os.access(report, os.W_OK):
        pytest.skip("running as root: every file is writable")
    result = run("scan", str(_export(tmp_path)), *AS_OF, "-o", str(report))
    _one_line_error(result)
    assert report.read_text() == "yesterday\n"


def test_a_replaced_report_keeps_its_mode(tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    report.write_text("yesterday\n")
    report.chmod(0o640)
    result = run("scan", str(_export(tmp_path)), *AS_OF, "-o", str(report))
    assert result.exit_code == 0
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    assert report.read_text().startswith("order_id,")


# --- data loss: the checklist state file ------------------------------------------------------


def test_state_on_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "state.fifo"
    os.mkfifo(fifo)
    for args in (["list"], ["done", "shopee", "verify-ktp"]):
        result = run("checklist", *args, "--state", str(fifo))
        assert "not a regular file" in _one_line_error(result)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_state_on_a_device_is_never_replaced(tmp_path: Path) -> None:
    # Through a link of its own: code without the guard replaces the link, never /dev/null.
    state = tmp_path / "progress.json"
    state.symlink_to("/dev/null")
    result = run("checklist", "done", "shopee", "verify-ktp", "--state", str(state))
    assert "not a regular file" in _one_line_error(result)
    assert state.is_symlink() and stat.S_ISCHR(state.stat().st_mode)
    assert not (tmp_path / "progress.json.lock").exists()


def test_state_keeps_its_mode_and_a_read_only_one_is_kept(tmp_path: Path) -> None:
    state = tmp_path / "progress.json"
    assert run("checklist", "done", "shopee", "verify-ktp", "--state", str(state)).exit_code == 0
    state.chmod(0o644)
    assert (
        run("checklist", "done", "shopee", "export-products", "--state", str(state)).exit_code == 0
    )
    assert stat.S_IMODE(state.stat().st_mode) == 0o644
    state.chmod(0o444)
    if os.access(state, os.W_OK):
        return  # root: every file is writable
    before = state.read_bytes()
    result = run("checklist", "undo", "shopee", "verify-ktp", "--state", str(state))
    _one_line_error(result)
    assert state.read_bytes() == before
    assert run("checklist", "show", "shopee", "--state", str(state)).exit_code == 0


@pytest.mark.parametrize(
    "content",
    [
        '{"version": 1, "platforms": {"shopee": {"verify-ktp": ' + "9" * 5000 + "}}}",
        "[" * 100_000 + "]" * 100_000,
        '{"version": 1, "platforms": {"shopee": {"verify-ktp": "9999-12-31T23:59:59+00:00"}}}',
    ],
    ids=["5000-digit number", "deep nesting", "year 9999"],
)
def test_a_damaged_state_file_is_moved_aside_not_a_crash(tmp_path: Path, content: str) -> None:
    state = tmp_path / "progress.json"
    state.write_text(content)
    first = run("checklist", "show", "shopee", "--state", str(state))
    assert first.exit_code == 0, first.output
    again = run("checklist", "show", "shopee", "--state", str(state), "--format", "json")
    assert again.exit_code == 0, again.output
    assert list(tmp_path.glob("progress.json.corrupt-*"))


def test_checklist_file_that_never_ends_or_nests_deeply_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n")
    for path in ("/dev/zero", str(deep)):
        result = run("checklist", "list", "--checklist-file", path)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output


# --- wrong destinations are the user's error (2), not a bug (3) ------------------------------


def test_output_that_cannot_be_a_file_is_exit_2(tmp_path: Path) -> None:
    export = str(_export(tmp_path))
    for output in (str(tmp_path), "", str(tmp_path / ("x" * 300)), "/dev/full"):
        _one_line_error(run("scan", export, *AS_OF, "-o", output, "--format", "csv"))
    _one_line_error(run("summary", export, *AS_OF, "-o", "/dev/full", "--format", "json"))


def test_xlsx_onto_a_full_device_is_one_line_without_a_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    export = str(_export(tmp_path))
    args = ["scan", export, *AS_OF, "--format", "xlsx", "-o", "/dev/full"]
    done = subprocess.run(
        [sys.executable, "-m", "tiktok_transition", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("Cannot write /dev/full")


def test_dash_output_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("scan", str(_export(tmp_path)), *AS_OF, "-o", "-", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.startswith("order_id,")
    assert not (tmp_path / "-").exists()


def test_signal_during_a_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    from tiktok_transition.cli.standalone import Terminated, clean_exit_on_signals
    from tiktok_transition.output.files import open_output

    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    for number in previous:
        signal.signal(number, signal.SIG_DFL)
    try:
        clean_exit_on_signals()
        for number in previous:
            # the signal arrives mid-write: both statements belong inside
            with pytest.raises(Terminated) as ended, open_output(tmp_path / "big.csv") as stream:  # noqa: PT012
                stream.write(b"x" * 100_000)
                os.kill(os.getpid(), number)
            assert ended.value.code == 128 + number
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    assert list(tmp_path.iterdir()) == []


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _zip_members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


# --- crash, hang, memory: bounded reading ---------------------------------------------------


def _with_sheet_xml(path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """The workbook at `path` with its first sheet's XML changed by `edit`."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = edit(members[sheet])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("cell", ["XFD1048576", "XFD20000", "ALL900000", "BM1048576"])
def test_xlsx_with_a_far_away_cell_is_refused_at_once(tmp_path: Path, cell: str) -> None:
    import openpyxl

    export = write_xlsx(tmp_path / "far.xlsx", [line()])
    workbook = openpyxl.load_workbook(export)
    workbook.active[cell] = "x"
    workbook.save(export)
    result = run("scan", str(export), *AS_OF)
    assert "larger than an order export" in _one_line_error(result)


def test_xlsx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    export = write_xlsx(tmp_path / "bomb.xlsx", [line()])
    padding = b" " * 60_000_000
    _with_sheet_xml(export, lambda xml: xml.replace(b"</sheetData>", padding + b"</sheetData>"))
    assert export.stat().st_size < 1_000_000
    result = run("scan", str(export), *AS_OF)
    assert "unpacks to" in _one_line_error(result)


@pytest.mark.parametrize(
    "extra",
    [[], ["--record"]],
    ids=["scan", "scan-record"],
)
def test_a_pipe_is_read_once_as_a_stream(tmp_path: Path, extra: list[str]) -> None:
    """`scan <(zcat x.csv.gz)`, `cat x.csv | scan /dev/stdin`: a FIFO read once (also while
    `--record` fingerprints the exports: a pipe is named, never opened a second time)."""
    import threading

    data = _export(tmp_path).read_bytes()
    fifo = tmp_path / "export.fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("wb") as stream:
            stream.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    result = run("scan", str(fifo), *AS_OF, "--format", "csv", *extra)
    writer.join(timeout=10)
    assert result.exit_code == 0, result.output
    assert len(_csv_rows(result.stdout)) == 2


def test_random_bytes_from_a_device_are_refused_at_the_first_chunk() -> None:
    result = run("scan", "/dev/urandom", *AS_OF)
    assert "binary" in _one_line_error(result)


def test_a_symlink_loop_is_not_called_missing(tmp_path: Path) -> None:
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    message = _one_line_error(run("scan", str(loop), *AS_OF))
    assert "symbolic links" in message


# --- wrong answers with exit 0 ------------------------------------------------------------------


def test_an_export_without_any_order_id_is_exit_2_even_quiet(tmp_path: Path) -> None:
    export = write_csv(tmp_path / "ids.csv", [line(""), line("")])
    result = run("scan", str(export), *AS_OF, "--quiet", "--fail-on-risk", "--format", "csv")
    assert "none of its rows has an Order ID" in _one_line_error(result)
    assert result.stdout == ""


def test_an_export_with_only_a_header_is_exit_2(tmp_path: Path) -> None:
    export = write_csv(tmp_path / "header.csv", [])
    assert "no row under the header" in _one_line_error(run("summary", str(export), *AS_OF))


def test_the_first_csv_row_is_never_taken_for_a_description(tmp_path: Path) -> None:
    export = write_csv(tmp_path / "abc.csv", [line("ABC5764614130"), line("576461413038785985")])
    result = run("scan", str(export), *AS_OF, "--format", "csv")
    assert result.exit_code == 0
    assert sorted(r["order_id"] for r in _csv_rows(result.stdout)) == [
        "576461413038785985",
        "ABC5764614130",
    ]


def test_impossible_dates_are_unparseable_not_moved(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "dates.csv",
        [
            line(Created_Time="31/02/2023 10:00:00", Paid_Time="29/02/2023 10:00:00"),
            line("576461413038785985", Created_Time="2023-02-30 10:00:00"),
            line("576461413038785986", Created_Time="01/10/2023 10:00:00"),
        ],
    )
    result = run("scan", str(export), *AS_OF, "--format", "csv")
    rows = {r["order_id"]: r for r in _csv_rows(result.stdout)}
    for order in ("576461413038785984", "576461413038785985"):
        assert rows[order]["created_time"] == ""
        assert "unparseable_time" in rows[order]["warnings"]
    assert rows["576461413038785984"]["paid_time"] == ""
    assert rows["576461413038785986"]["created_time"].startswith("2023-10-01T10:00:00")


def test_times_in_a_dst_gap_or_overlap_are_unparseable(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "dst.csv",
        [
            line(Created_Time="12/03/2023 02:30:00"),  # skipped in New York
            line("576461413038785985", Created_Time="05/11/2023 01:30:00"),  # repeated
            line("576461413038785986", Created_Time="01/10/2023 10:00:00"),
        ],
    )
    result = run("scan", str(export), *AS_OF, "--tz", "America/New_York", "--format", "csv")
    rows = {r["order_id"]: r for r in _csv_rows(result.stdout)}
    for order in ("576461413038785984", "576461413038785985"):
        assert rows[order]["created_time"] == ""
        assert "unparseable_time" in rows[order]["warnings"]
    assert "unparseable_time" not in rows["576461413038785986"]["warnings"]


@pytest.mark.parametrize("amount", ["-9223372036854775808", "0x10", "9223372036854775807"])
def test_money_out_of_range_or_in_hex_is_refused(tmp_path: Path, amount: str) -> None:
    export = write_csv(tmp_path / "money.csv", [line(Order_Amount=amount)])
    assert "Order Amount" in _one_line_error(run("scan", str(export), *AS_OF))


# --- privacy and terminal safety ------------------------------------------------------------


@pytest.mark.parametrize(
    "spec", ["Order ID=Buyer Username", "Order Status=Recipient", "Tracking ID=phone #"]
)
def test_column_mapping_buyer_data_into_a_report_column_needs_include_pii(
    tmp_path: Path, spec: str
) -> None:
    export = write_csv(tmp_path / "pii.csv", [line(Buyer_Username="siti_rahma88")])
    result = run("scan", str(export), *AS_OF, "--column", spec, "--format", "csv")
    assert "--include-pii" in _one_line_error(result)
    assert "siti_rahma88" not in result.output
    allowed = run("scan", str(export), *AS_OF, "--column", spec, "--include-pii", "--format", "csv")
    assert allowed.exit_code == 0


TERMINAL_HIJACK = "\x1b]0;pwned\x07Hijab\x1b[2J"


@pytest.mark.parametrize("command", ["scan", "picklist", "catalog"])
def test_control_characters_never_reach_the_terminal(tmp_path: Path, command: str) -> None:
    export = write_csv(
        tmp_path / "ctl.csv",
        [
            line(
                Product_Name=TERMINAL_HIJACK,
                Seller_SKU="SKU\x1b[31m",
                Shipping_Provider_Name="JNE\x9b2J",
            )
        ],
    )
    result = run(command, str(export), *AS_OF, "--format", "table")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\x9b" not in result.stdout
    if command != "scan":
        assert "\\x1b]0;pwned\\x07Hijab" in result.stdout


@pytest.mark.parametrize(
    ("first", "second", "flag"),
    [
        (
            {"Order_Status": "Perlu dikirim", "Order_Substatus": "Menunggu pengiriman"},
            {"Order_Status": "Dikirim", "Order_Substatus": "Sedang transit"},
            "handed_over",
        ),
        (
            {"Order_Status": "Dikirim", "Order_Substatus": "Sedang transit"},
            {"Order_Status": "Perlu dikirim", "Order_Substatus": "Menunggu pengiriman"},
            "handed_over",
        ),
        (
            {"Order_Status": "Dibatalkan", "Order_Substatus": ""},
            {"Order_Status": "Perlu dikirim", "Order_Substatus": "Menunggu pengiriman"},
            "to_ship",
        ),
        (
            {"Order_Status": "Perlu dikirim", "Order_Substatus": "Menunggu pengiriman"},
            {"Order_Status": "Dibatalkan", "Order_Substatus": ""},
            "to_ship",
        ),
    ],
)
def test_lines_that_disagree_are_judged_by_the_most_advanced_and_warned(
    tmp_path: Path, first: dict[str, str], second: dict[str, str], flag: str
) -> None:
    order = "576461413038785990"
    quiet = {"Shipped_Time": "", "RTS_Time": "", "Cancelled_Time": "", "Delivered_Time": ""}
    export = write_csv(
        tmp_path / "lines.csv",
        [line(order, SKU_ID="1", **quiet, **first), line(order, SKU_ID="2", **quiet, **second)],
    )
    result = run("scan", str(export), *AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.output
    (row,) = _csv_rows(result.stdout)
    assert row["flag"] == flag
    assert "lines_disagree" in row["warnings"].split(";")
    assert "(lines_disagree)" in result.stderr


# --- option values: the user's mistake is exit 2 -------------------------------------------


@pytest.mark.parametrize(
    "option",
    [
        ["--as-of", "0001-01-01T00:00:00+14:00"],
        ["--cutoff", "9999-12-31T23:59:59-12:00"],
        ["--shutdown", "0001-01-01T00:00:00+14:00"],
    ],
)
def test_moments_out_of_range_are_exit_2(tmp_path: Path, option: list[str]) -> None:
    result = run("scan", str(_export(tmp_path)), *option)
    assert "out of range" in _one_line_error(result)


def test_a_capacity_past_any_courier_is_exit_2(tmp_path: Path) -> None:
    result = run("plan", str(_export(tmp_path)), *AS_OF, "--capacity", "9" * 23)
    assert "--capacity" in _one_line_error(result)


def _program(*args: str, stdout: int | None = None) -> tuple[int, str]:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "tiktok_transition", *args],
        stdout=stdout if stdout is not None else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stderr


def test_usage_errors_are_one_line_and_help_into_a_closed_pipe_is_exit_0() -> None:
    code, stderr = _program("scan", "x.csv", "--bogus")
    assert code == 2
    assert stderr.strip().splitlines() == [
        "Error: No such option: --bogus. Usage: python -m tiktok_transition scan [OPTIONS] "
        "{EXPORT...}.... Try 'python -m tiktok_transition scan -h' for help."
    ]
    reader, writer = os.pipe()
    os.close(reader)  # `--help | true`: the reader is gone before the help is written
    try:
        code, stderr = _program("--help", stdout=writer)
    finally:
        os.close(writer)
    assert (code, stderr) == (0, "")


# --- messages that tell the truth ---------------------------------------------------------------


def test_a_huge_field_or_header_is_named_for_what_it_is(tmp_path: Path) -> None:
    big = write_csv(tmp_path / "big.csv", [line(Product_Name="x" * 2_100_000), line("57646141")])
    assert "more than 1 MB" in _one_line_error(run("scan", str(big), *AS_OF))
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(50_000)) + "\n1,2\n")
    assert "more than 1000 columns" in _one_line_error(run("scan", str(wide), *AS_OF))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_not_called_binary(tmp_path: Path, encoding: str) -> None:
    from exportkit import csv_bytes

    export = tmp_path / "u16.csv"
    text = csv_bytes([line(), line("576461413038785985")], bom=False).decode("utf-8")
    export.write_bytes(text.encode(encoding))
    result = run("scan", str(export), *AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(_csv_rows(result.stdout)) == 2


def test_standard_output_full_or_closed_is_exit_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    export = str(_export(tmp_path))
    command = [sys.executable, "-m", "tiktok_transition", "scan", export, *AS_OF, "-q"]
    with open("/dev/full", "wb") as full:
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
    closed = subprocess.run(
        command,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),  # `>&-`
    )
    assert closed.returncode == 2, closed.stderr
    assert "standard output is closed" in closed.stderr


def test_a_first_order_id_column_left_empty_is_exit_2(tmp_path: Path) -> None:
    export = tmp_path / "two-ids.csv"
    export.write_text(
        "Order ID,Order ID,Order Status,Created Time\n"
        ",576461413038785984,Perlu dikirim,01/10/2023 10:00:00\n"
    )
    result = run("scan", str(export), *AS_OF, "--fail-on-risk", "--quiet")
    assert "Order ID" in _one_line_error(result)


def test_impossible_dates_without_zero_padding_are_unparseable_too(tmp_path: Path) -> None:
    """A spreadsheet may write days and months without their zero: 1/10/2023 is 1 October,
    31/2/2023 does not exist (never 3 March)."""
    export = write_csv(
        tmp_path / "dates.csv",
        [
            line(Created_Time="31/2/2023 10:00", Paid_Time="1/10/2023 10:05"),
            line("576461413038785985", Created_Time="3/10/2023 9:00"),
        ],
    )
    result = run("scan", str(export), *AS_OF, "--format", "csv")
    rows = {r["order_id"]: r for r in _csv_rows(result.stdout)}
    assert rows["576461413038785984"]["created_time"] == ""
    assert "unparseable_time" in rows["576461413038785984"]["warnings"]
    assert rows["576461413038785984"]["paid_time"].startswith("2023-10-01T10:05:00")
    assert rows["576461413038785985"]["created_time"].startswith("2023-10-03T09:00:00")
