"""One writer per machine format, all fed by one frame of rows; CSV safety lives here.

A column's kind comes from its dtype: datetimes are written ISO 8601 with offset, booleans
`true`/`false`, integers as integers, floats with one decimal, everything else as text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tiktok_transition.errors import UsageError
from tiktok_transition.parallel import in_order

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = "^[" + "".join(FORMULA_PREFIXES).replace("-", "\\-") + "]"


class Format(StrEnum):
    AUTO = "auto"
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    MARKDOWN = "markdown"
    XLSX = "xlsx"


_BY_SUFFIX = {
    ".csv": Format.CSV,
    ".json": Format.JSON,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".md": Format.MARKDOWN,
    ".xlsx": Format.XLSX,
}


def resolve_format(fmt: Format, output: Path | None, stdout_is_terminal: bool) -> Format:
    """`auto`: the output file's extension, else a table on a terminal and CSV in a pipe."""
    if fmt is Format.AUTO:
        if output is not None:
            return _BY_SUFFIX.get(output.suffix.lower(), Format.CSV)
        return Format.TABLE if stdout_is_terminal else Format.CSV
    if fmt is Format.XLSX and output is None:
        raise UsageError("error.xlsx_needs_output")
    return fmt


def spreadsheet_safe(text: str) -> str:
    """Prefix a `'` to text a spreadsheet would run as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def xlsx_text(text: str) -> str:
    """Text an XLSX cell can hold: control characters (which the format forbids) dropped.

    No formula guard: the cell is stored as text, which a spreadsheet never runs, so a `'`
    would only change the product's name."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


# --- cells ---------------------------------------------------------------------------------


def _kind(series: pd.Series) -> str:
    import pandas as pd

    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return "time"
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    return "text"


_DAY = 86_400


@cache
def _clock_table() -> pa.Array:
    """`T00:00:00` ... `T23:59:59`: every time of day, to be picked by second of the day."""
    import pyarrow as pa

    return pa.array(
        [f"T{h:02d}:{m:02d}:{sec:02d}" for h in range(24) for m in range(60) for sec in range(60)],
        pa.large_string(),
    )


def iso_times(series: pd.Series) -> pa.Array:
    """`2023-10-20T09:00:00+07:00`, empty where absent.

    Built from tables instead of formatting each value: an export spans few days, so the date
    text is looked up per day, the time per second of the day, the offset per distinct offset.
    """
    import datetime as dt

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    wall, offsets = _wall_seconds(series)
    absent = np.isnat(series.to_numpy("datetime64[s]"))
    if absent.any():  # absent times borrow a present one's day, so the days span no more
        wall = np.where(absent, wall[~absent][0] if not absent.all() else 0, wall)
    days = np.floor_divide(wall, _DAY)
    first_day = int(days.min()) if len(days) else 0
    epoch = dt.date(1970, 1, 1)
    span = int(days.max()) - first_day + 1 if len(days) else 0
    day_text = pa.array(
        [(epoch + dt.timedelta(days=first_day + d)).isoformat() for d in range(span)],
        pa.large_string(),
    )
    parts = [pc.take(day_text, days - first_day), pc.take(_clock_table(), wall - days * _DAY)]
    if isinstance(offsets, int):  # one offset for all: a zone without DST
        parts.append(pa.scalar(_offset_text(offsets), pa.large_string()))
    elif offsets is not None:
        offsets = np.where(absent, 0, offsets)
        distinct, codes = np.unique(offsets, return_inverse=True)
        offset_text = pa.array([_offset_text(int(v)) for v in distinct], pa.large_string())
        parts.append(pc.take(offset_text, codes))
    text = pc.binary_join_element_wise(*parts, pa.scalar("", pa.large_string()))
    if not absent.any():
        return text
    return pc.if_else(pa.array(absent), pa.scalar("", pa.large_string()), text)


def _wall_seconds(series: pd.Series) -> tuple[np.ndarray, np.ndarray | int | None]:
    """Each time's wall clock in seconds, and its UTC offset in seconds: one number when the
    zone had one offset over the whole span (found without a lookup per value), None for
    times without a zone. Absent times give arbitrary numbers."""
    import numpy as np

    from tiktok_transition.clock import fixed_offset

    tz = getattr(series.dt, "tz", None)
    if tz is None:
        return series.to_numpy("datetime64[s]").view("i8"), None
    utc = series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[s]")
    known = utc[~np.isnat(utc)].view("i8")
    zone = getattr(tz, "key", None)
    if zone is not None and len(known):
        offset = fixed_offset(zone, int(known.min()), int(known.max()))
        if offset is not None:
            return utc.view("i8") + offset, offset
    wall = series.dt.tz_localize(None).to_numpy("datetime64[s]").view("i8")
    return wall, wall - utc.view("i8")


def _offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def arrow_cells(series: pd.Series, guard: bool, separator: str | None = None) -> pa.Array:
    """Every value of a column as the text a CSV or Markdown cell holds, as an Arrow array.

    `guard`: formula-safe text; `separator`: text quoted as CSV needs it with that separator.
    Numbers, booleans and times never need either."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = _kind(series)
    if kind == "time":
        return iso_times(series)
    if kind == "bool":
        words = pa.array(["false", "true"], pa.large_string())
        return pc.take(words, series.to_numpy().astype(np.int8))
    if kind == "int":
        return pc.cast(pa.array(series.to_numpy().astype(np.int64)), pa.large_string())
    if kind == "float":
        # Few distinct values (hours_left is one number): format each once.
        distinct, codes = np.unique(series.to_numpy(), return_inverse=True)
        words = pa.array(["" if v != v else f"{v:.1f}" for v in distinct], pa.large_string())
        return pc.take(words, codes)
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _picked_cells(series.cat.codes.to_numpy(), series.cat.categories, guard, separator)
    if len(series) > 1000 and series.iloc[:1000].nunique() < 50:
        # Few distinct words (flags, warnings): make each cell once, then pick.
        word_codes, words = pd.factorize(series, sort=False)
        return _picked_cells(word_codes, words, guard, separator)
    text = pc.fill_null(pa.array(series, pa.large_string(), from_pandas=True), "")
    if guard:
        risky = pc.match_substring_regex(text, _FORMULA_START)
        if pc.any(risky).as_py():
            quote, nothing = pa.scalar("'", pa.large_string()), pa.scalar("", pa.large_string())
            text = pc.if_else(risky, pc.binary_join_element_wise(quote, text, nothing), text)
    return text if separator is None else _quote_column(text, separator)


def _picked_cells(
    codes: np.ndarray, words: Iterable[Any], guard: bool, separator: str | None
) -> pa.Array:
    """The cell of each distinct word made once, then picked by code (-1: empty)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = arrow_cells(pd.Series([str(word) for word in words], dtype="str"), guard, separator)
    return pc.take(
        pc.fill_null(pa.concat_arrays([cells, pa.array([""], cells.type)]), ""),
        np.where(codes < 0, len(cells), codes),
    )


def text_cells(series: pd.Series, guard: bool) -> list[str]:
    """Every value of a column as the text a CSV or Markdown cell holds."""
    cells: list[str] = arrow_cells(series, guard).to_pylist()
    return cells


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: ISO times, null for absent values, numbers as numbers."""
    import pandas as pd

    columns: dict[str, list[Any]] = {}
    for name in frame.columns:
        series = frame[name]
        kind = _kind(series)
        if kind == "time":
            columns[name] = [value or None for value in iso_times(series).to_pylist()]
        elif kind == "float":
            columns[name] = [None if v != v else float(v) for v in series]
        elif kind == "int":
            columns[name] = [int(v) for v in series]
        elif kind == "bool":
            columns[name] = [bool(v) for v in series]
        else:
            columns[name] = [None if pd.isna(v) else str(v) for v in series]
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


# --- writers -------------------------------------------------------------------------------


def write_csv(frame: pd.DataFrame, stream: IO[bytes], excel: bool = False) -> None:
    """RFC 4180 CSV, quoted only where needed, built column-wise in Arrow (no per-row Python).

    `excel`: UTF-8 with BOM and `;`, as a spreadsheet in an Indonesian locale opens it.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    separator = ";" if excel else ","
    if excel:
        stream.write(b"\xef\xbb\xbf")
    header = separator.join(_quote_one(str(name), separator) for name in frame.columns)
    stream.write((header + "\n").encode("utf-8"))
    if frame.empty:
        return
    # In slices, so the text of a million rows is never in memory all at once; two slices
    # are made at a time (Arrow's kernels run outside the GIL), and written in order.
    newline, nothing = pa.scalar("\n", pa.large_string()), pa.scalar("", pa.large_string())

    def rows_of(part: pd.DataFrame) -> pa.Array:
        cells = [
            excel_cells(part[name], str(name), separator)
            if excel
            else arrow_cells(part[name], guard=True, separator=separator)
            for name in part.columns
        ]
        cells[-1] = pc.binary_join_element_wise(cells[-1], newline, nothing)
        return pc.binary_join_element_wise(*cells, pa.scalar(separator, pa.large_string()))

    # The slices are cut here, in this thread: the workers only read them.
    parts = (frame.iloc[start : start + _CSV_SLICE] for start in range(0, len(frame), _CSV_SLICE))
    for rows in in_order(rows_of, parts):
        # The rows, each ending in a newline, lie back to back in the array's data buffer.
        offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)
        first, last = offsets[rows.offset], offsets[rows.offset + len(rows)]
        stream.write(memoryview(rows.buffers()[2])[first:last])


_CSV_SLICE = 1 << 17

# Columns that hold identifiers: long digit strings a spreadsheet would turn into rounded
# numbers (and codes whose leading zeros it would drop).
ID_COLUMNS = frozenset(
    {"order_id", "tracking_id", "sku_id", "seller_sku", "package_id", "phone", "zipcode"}
)


def excel_cells(series: pd.Series, name: str, separator: str) -> pa.Array:
    """A column's cells as `--excel` writes them: identifiers with a trailing tab, as Seller
    Center writes them (the cell is then text to a spreadsheet: every digit kept), decimals
    with a comma (the separator of a locale that separates fields with `;`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if name in ID_COLUMNS and _kind(series) == "text":
        text = arrow_cells(series, guard=True)
        tab, nothing = pa.scalar("\t", pa.large_string()), pa.scalar("", pa.large_string())
        tabbed = pc.if_else(
            pc.equal(text, ""), text, pc.binary_join_element_wise(text, tab, nothing)
        )
        return _quote_column(tabbed, separator)
    cells = arrow_cells(series, guard=True, separator=separator)
    if _kind(series) == "float":
        return pc.replace_substring(cells, ".", ",")
    return cells


def _quote_one(text: str, separator: str) -> str:
    if any(mark in text for mark in (separator, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


def _quote_column(column: pa.Array, separator: str) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    needs = pc.match_substring_regex(column, "[" + separator + '"\r\n]')
    if not pc.any(needs).as_py():
        return column
    quote, nothing = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
    quoted = pc.binary_join_element_wise(
        quote, pc.replace_substring(column, '"', '""'), quote, nothing
    )
    return pc.if_else(needs, quoted, column)


def write_json(frame: pd.DataFrame, stream: IO[bytes]) -> None:
    text = json.dumps(json_records(frame), ensure_ascii=False, indent=2)
    stream.write((text + "\n").encode("utf-8"))


def write_jsonl(frame: pd.DataFrame, stream: IO[bytes]) -> None:
    for record in json_records(frame):
        stream.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))


def write_object(value: Any, stream: IO[bytes]) -> None:
    """One JSON object (summary, checklist), pretty-printed."""
    stream.write((json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def _markdown_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def markdown_cell(text: str) -> str:
    """A text cell of a Markdown table: formula-safe, pipes escaped, line breaks as `<br>`."""
    return _markdown_escape(spreadsheet_safe(text))


def write_markdown(frame: pd.DataFrame, stream: IO[bytes]) -> None:
    names = [str(name) for name in frame.columns]
    lines = ["| " + " | ".join(names) + " |", "|" + "|".join("---" for _ in names) + "|"]
    # Numbers stay numbers: only text cells get the formula guard.
    cells = [text_cells(frame[name], guard=True) for name in frame.columns]
    for values in zip(*cells, strict=True):
        lines.append("| " + " | ".join(_markdown_escape(value) for value in values) + " |")
    stream.write(("\n".join(lines) + "\n").encode("utf-8"))


# --- plain rows (for the commands that never import pandas) --------------------------------


def record_cell(value: Any, decimal: str = ".") -> str:
    """A plain value as CSV text: booleans `true`/`false`, floats one decimal, text guarded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", decimal)
    if isinstance(value, int):
        return str(value)
    return spreadsheet_safe(str(value))


def write_records(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    stream: IO[bytes],
    excel: bool = False,
) -> None:
    """Plain rows (text, numbers, booleans) in a machine format, without pandas."""
    if fmt is Format.JSON:
        write_object([dict(row) for row in rows], stream)
        return
    if fmt is Format.JSONL:
        for row in rows:
            stream.write((json.dumps(dict(row), ensure_ascii=False) + "\n").encode("utf-8"))
        return
    if fmt is Format.XLSX:
        _write_xlsx_records(rows, columns, stream)
        return
    if fmt is Format.MARKDOWN:
        lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
        for row in rows:
            cells = (_markdown_escape(record_cell(row[name])) for name in columns)
            lines.append("| " + " | ".join(cells) + " |")
        stream.write(("\n".join(lines) + "\n").encode("utf-8"))
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([record_cell(row[name], "," if excel else ".") for name in columns])
    stream.write((("\ufeff" if excel else "") + buffer.getvalue()).encode("utf-8"))


def _write_xlsx_records(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], stream: IO[bytes]
) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("report")
    sheet.freeze_panes = "A2"
    sheet.append(list(columns))
    for row in rows:
        cells = []
        for name in columns:
            value = row[name]
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=xlsx_text(value))
                cell.data_type = "s"
            else:
                cell = WriteOnlyCell(sheet, value=value)
            cells.append(cell)
        sheet.append(cells)
    workbook.save(stream)


def write_xlsx(frame: pd.DataFrame, stream: IO[bytes], sheet: str = "report") -> None:
    """Real cells: IDs and text as text, amounts as numbers, times as (local) datetimes."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "A2"
    kinds = {name: _kind(frame[name]) for name in frame.columns}
    widths = {name: max(len(str(name)), 10) for name in frame.columns}
    values: dict[str, list[Any]] = {}
    for name in frame.columns:
        series = frame[name]
        if kinds[name] == "time":
            naive = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) else series
            values[name] = [None if v is None or v != v else v.to_pydatetime() for v in naive]
            widths[name] = 19
        elif kinds[name] == "float":
            values[name] = [None if v != v else float(v) for v in series]
        elif kinds[name] in ("int", "bool"):
            values[name] = [v.item() if hasattr(v, "item") else v for v in series]
        else:
            texts = [xlsx_text(str(v)) if v == v and v is not None else "" for v in series]
            values[name] = texts
            longest = max((len(v) for v in texts[:1000]), default=0)
            widths[name] = min(max(widths[name], longest), 60)
    for index, name in enumerate(frame.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = widths[name] + 2
    worksheet.append([str(name) for name in frame.columns])
    for row in zip(*values.values(), strict=True):
        cells = []
        for name, value in zip(frame.columns, row, strict=True):
            cell = WriteOnlyCell(worksheet, value=value)
            if kinds[name] == "time" and value is not None:
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif kinds[name] == "text":
                cell.data_type = "s"
            cells.append(cell)
        worksheet.append(cells)
    workbook.save(stream)


def write_frame(frame: pd.DataFrame, fmt: Format, stream: IO[bytes], excel: bool = False) -> None:
    """Write rows in a machine format (the table format is the terminal module's)."""
    if fmt is Format.CSV:
        write_csv(frame, stream, excel=excel)
    elif fmt is Format.JSON:
        write_json(frame, stream)
    elif fmt is Format.JSONL:
        write_jsonl(frame, stream)
    elif fmt is Format.MARKDOWN:
        write_markdown(frame, stream)
    elif fmt is Format.XLSX:
        write_xlsx(frame, stream)
    else:  # pragma: no cover - the caller handles TABLE
        raise ValueError(fmt)


# --- destinations --------------------------------------------------------------------------


@contextmanager
def open_output(path: Path | None) -> Iterator[IO[bytes]]:
    """Standard output (also `-o -`), or a file written atomically: complete, or not there at all.

    A path that is not a regular file (`/dev/null`, a named pipe) is written directly. Every
    failure to write (a full disk, a closed standard output) is the user's error, exit 2.
    """
    if path is None or str(path) == "-":
        with _written_to(Path("-")):
            yield _stdout_buffer()
        return
    with _written_to(path):
        direct = path.exists() and not path.is_file()
        if direct and path.is_dir():
            raise UsageError("hostile.output_is_folder", path=str(path))
    if direct:
        # Made whole first: a writer that fails half-way (an XLSX on a full device) leaves
        # nothing half-open behind, and the one write says what went wrong.
        made = io.BytesIO()
        yield made
        with _written_to(path), path.open("wb") as stream:
            stream.write(made.getbuffer())
        return
    if path.exists() and not os.access(path, os.W_OK):  # a read-only report stays as it is
        raise UsageError("error.output_write", path=str(path), reason=os.strerror(13))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError("error.output_folder_missing", path=str(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise UsageError("error.output_write", path=str(path), reason=exc.strerror or "") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _keep_mode(path, temporary)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError("error.output_write", path=str(path), reason=exc.strerror or "") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _stdout_buffer() -> IO[bytes]:
    import sys

    if sys.stdout is None:  # started with standard output closed (`>&-`)
        raise UsageError("hostile.no_stdout")
    sys.stdout.flush()
    buffer: IO[bytes] = sys.stdout.buffer
    return buffer


@contextmanager
def _written_to(path: Path) -> Iterator[None]:
    """An OSError while writing `path` (`-`: standard output) as the user's error; a reader
    that went away (`| head`) stays a BrokenPipeError."""
    import sys

    try:
        yield
        if str(path) == "-" and sys.stdout is not None:
            sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = "-" if str(path) == "-" else str(path)
        raise UsageError("error.output_write", path=where, reason=exc.strerror or "") from None


def _keep_mode(path: Path, temporary: str) -> None:
    """mkstemp creates 0600; give the report the mode a plain `open()` would."""
    if path.exists():
        from tiktok_transition.safety import keep_owner_and_mode

        keep_owner_and_mode(path, temporary)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
