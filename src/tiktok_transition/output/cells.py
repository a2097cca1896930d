"""Cell text for files: the spreadsheet formula guard, ISO times, Markdown escapes."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.text import may_contain

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa


# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = "^[" + "".join(FORMULA_PREFIXES).replace("-", "\\-") + "]"
_FORMULA_BYTES = tuple(prefix.encode() for prefix in FORMULA_PREFIXES)


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


def cell_kind(series: pd.Series) -> str:
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
def _clock_bytes() -> np.ndarray:
    """`T00:00:00` ... `T23:59:59`: the text of every second of the day, as 9-byte items
    picked by second of the day (made in numpy from the digits: 86,400 Python strings took
    ~50 ms)."""
    import numpy as np

    seconds = np.arange(_DAY)
    table = np.empty((_DAY, 9), np.uint8)
    table[:, 0], table[:, 3], table[:, 6] = ord("T"), ord(":"), ord(":")
    digits = (
        seconds // 36000,  # tens of hours
        seconds // 3600 % 10,
        None,
        seconds // 600 % 6,  # tens of minutes
        seconds // 60 % 10,
        None,
        seconds % 60 // 10,
        seconds % 10,
    )
    for position, digit in enumerate(digits, start=1):
        if digit is not None:
            table[:, position] = digit + ord("0")
    return table.view("S9").ravel()


def iso_times(series: pd.Series) -> pa.Array:
    """`2023-10-20T09:00:00+07:00`, empty where absent.

    Built from tables instead of formatting each value: an export spans few days, so the date
    text is looked up per day, the time per second of the day, the offset per distinct offset;
    each is copied into its place in one block of fixed-width items, which becomes the Arrow
    text's data as it is (no join).
    """
    import datetime as dt

    import numpy as np
    import pyarrow as pa

    wall, offsets = _wall_seconds(series)
    absent = np.isnat(series.to_numpy("datetime64[s]"))
    some_absent = bool(absent.any())
    if some_absent:  # only present times have text
        wall = wall[~absent]
        offsets = offsets[~absent] if isinstance(offsets, np.ndarray) else offsets
    days = np.floor_divide(wall, _DAY)
    first_day = int(days.min()) if len(days) else 0
    span = int(days.max()) - first_day + 1 if len(days) else 0
    epoch = dt.date(1970, 1, 1)
    day_text = "".join((epoch + dt.timedelta(days=first_day + d)).isoformat() for d in range(span))
    parts = [("day", "S10"), ("clock", "S9")] + ([] if offsets is None else [("offset", "S6")])
    items = np.empty(len(wall), np.dtype(parts))
    day_table = np.frombuffer(day_text.encode("ascii"), "S10")
    np.take(day_table, days - first_day, out=items["day"], mode="clip")
    np.take(_clock_bytes(), wall - days * _DAY, out=items["clock"], mode="clip")
    if isinstance(offsets, int):  # one offset for all: a zone without DST
        items["offset"] = _offset_text(offsets).encode("ascii")
    elif offsets is not None:
        distinct, codes = np.unique(offsets, return_inverse=True)
        texts = "".join(_offset_text(int(v)) for v in distinct).encode("ascii")
        items["offset"] = np.frombuffer(texts, "S6")[codes]
    width = items.dtype.itemsize
    ends = np.zeros(len(series) + 1, np.int64)
    if some_absent:
        np.cumsum(np.where(absent, 0, width), out=ends[1:])
    else:
        ends[1:] = np.arange(width, width * len(series) + 1, width)
    buffers = [None, pa.py_buffer(ends), pa.py_buffer(items)]
    return pa.Array.from_buffers(pa.large_string(), len(series), buffers)


def _wall_seconds(series: pd.Series) -> tuple[np.ndarray, np.ndarray | int | None]:
    """Each time's wall clock in seconds, and its UTC offset in seconds: one number when the
    zone had one offset over the whole span (found without a lookup per value), None for
    times without a zone. Absent times give arbitrary numbers."""
    from tiktok_transition.core.clock import offset_over

    tz = getattr(series.dt, "tz", None)
    if tz is None:
        return series.to_numpy("datetime64[s]").view("i8"), None
    utc = series.to_numpy("datetime64[s]")  # a zone's times as numbers are UTC
    zone = getattr(tz, "key", None)
    offset = None if zone is None else offset_over(zone, utc)
    if offset is not None:
        return utc.view("i8") + offset, offset
    wall = series.dt.tz_localize(None).to_numpy("datetime64[s]").view("i8")
    return wall, wall - utc.view("i8")


_SMALL = 4096


@cache
def _small_numbers() -> pa.Array:
    """`0` ... `4095` as text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(pa.array(range(_SMALL), pa.int64()), pa.large_string())


def _offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def arrow_cells(series: pd.Series, guard: bool, separator: str | None = None) -> pa.Array:
    """Every value of a column as the text a CSV or Markdown cell holds, as an Arrow array.

    `guard`: formula-safe text; `separator`: text quoted as CSV needs it with that separator.
    Numbers, booleans and times never need either."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = cell_kind(series)
    if kind == "time":
        return iso_times(series)
    coded = coded_cells(series, guard, separator)
    if coded is not None:
        picks, cells = coded
        return pc.take(cells, picks)
    if kind == "int":  # past the small numbers' table: formatted
        numbers = series.to_numpy().astype(np.int64, copy=False)
        return pc.cast(pa.array(numbers), pa.large_string())
    text = pc.fill_null(pa.array(series, pa.large_string(), from_pandas=True), "")
    if guard and may_contain(text, *_FORMULA_BYTES):
        risky = pc.match_substring_regex(text, _FORMULA_START)
        if pc.any(risky).as_py():
            quote, nothing = pa.scalar("'", pa.large_string()), pa.scalar("", pa.large_string())
            text = pc.if_else(risky, pc.binary_join_element_wise(quote, text, nothing), text)
    return text if separator is None else _quote_column(text, separator)


def coded_cells(
    series: pd.Series, guard: bool, separator: str | None
) -> tuple[np.ndarray, pa.Array] | None:
    """A column of few distinct values as the cell of each (`cells`) and, for each value, the
    position of its cell (`picks`); None for other columns. Booleans, decimals (`hours_left`
    is one number), small whole numbers (lines, units), categories (statuses, couriers) and
    text of few distinct words (flags, warnings): each cell is made once."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    kind = cell_kind(series)
    if kind == "bool":
        return series.to_numpy().astype(np.int64), pa.array(["false", "true"], pa.large_string())
    if kind == "int":
        numbers = series.to_numpy().astype(np.int64, copy=False)
        if len(numbers) and numbers.min() >= 0 and numbers.max() < _SMALL:
            return numbers, _small_numbers().slice(0, int(numbers.max()) + 1)
        return None
    if kind == "float":
        codes, distinct = pd.factorize(series.to_numpy())
        words = [f"{v:.1f}" for v in distinct] + [""]  # the last for NaN (code -1)
        return np.where(codes < 0, len(distinct), codes), pa.array(words, pa.large_string())
    if kind != "text":
        return None
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _word_cells(series.cat.codes.to_numpy(), series.cat.categories, guard, separator)
    if len(series) > 1000 and series.iloc[:1000].nunique() < 50:
        word_codes, distinct_words = pd.factorize(series, sort=False)
        return _word_cells(word_codes, distinct_words, guard, separator)
    return None


def _word_cells(
    codes: np.ndarray, words: Iterable[Any], guard: bool, separator: str | None
) -> tuple[np.ndarray, pa.Array]:
    """The cell of each distinct word, and an empty one last for code -1 (no word)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = arrow_cells(pd.Series([str(word) for word in words], dtype="str"), guard, separator)
    cells = pc.fill_null(pa.concat_arrays([cells, pa.array([""], cells.type)]), "")
    return np.where(codes < 0, len(cells) - 1, codes), cells


def row_cells(frame: pd.DataFrame, separator: str) -> list[pa.Array]:
    """The cells of a CSV's rows, column by column, for `binary_join_element_wise` with the
    separator. Neighbouring columns of few distinct values (a flag and its statuses; lines
    and units; the payment method, COD, pre-order and courier) come as one array of their
    cells already joined: each mix of values is joined once, and the rows' join has fewer
    arrays to join (at 720,000 rows, joining 19 arrays cost as much as making every cell)."""
    arrays: list[pa.Array] = []
    neighbours: list[tuple[np.ndarray, pa.Array]] = []
    for name in frame.columns:
        coded = coded_cells(frame[name], True, separator)
        if coded is not None:
            neighbours.append(coded)
            continue
        arrays += _joined(neighbours, separator)
        neighbours = []
        arrays.append(arrow_cells(frame[name], guard=True, separator=separator))
    return arrays + _joined(neighbours, separator)


_MIXES = 1 << 20  # the most mixes of values `_joined` numbers directly


def _joined(coded: list[tuple[np.ndarray, pa.Array]], separator: str) -> list[pa.Array]:
    """The cells of neighbouring coded columns (`coded_cells`) joined by the separator, as one
    array: each mix of their values is numbered (a mixed-radix number), the cells of the mixes
    present are joined once, then picked. Columns with too many mixes are picked apart."""
    import math

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    sizes = [len(cells) for _, cells in coded]
    if len(coded) < 2 or math.prod(sizes) > _MIXES:
        return [pc.take(cells, picks) for picks, cells in coded]
    mix = np.zeros(len(coded[0][0]), dtype=np.int64)
    for (picks, _), size in zip(coded, sizes, strict=True):
        mix = mix * size + picks
    present = np.zeros(math.prod(sizes), dtype=bool)
    present[mix] = True
    mixes = np.flatnonzero(present)
    number = np.cumsum(present) - 1  # each present mix's position among them
    parts = [
        pc.take(cells, mixes // math.prod(sizes[position + 1 :]) % sizes[position])
        for position, (_, cells) in enumerate(coded)
    ]
    joined = pc.binary_join_element_wise(*parts, pa.scalar(separator, pa.large_string()))
    return [pc.take(joined, number[mix])]


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
        kind = cell_kind(series)
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

    if name in ID_COLUMNS and cell_kind(series) == "text":
        text = arrow_cells(series, guard=True)
        tab, nothing = pa.scalar("\t", pa.large_string()), pa.scalar("", pa.large_string())
        tabbed = pc.if_else(
            pc.equal(text, ""), text, pc.binary_join_element_wise(text, tab, nothing)
        )
        return _quote_column(tabbed, separator)
    cells = arrow_cells(series, guard=True, separator=separator)
    if cell_kind(series) == "float":
        return pc.replace_substring(cells, ".", ",")
    return cells


def quote_one(text: str, separator: str) -> str:
    if any(mark in text for mark in (separator, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


def _quote_column(column: pa.Array, separator: str) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    if not may_contain(column, separator.encode(), b'"', b"\r", b"\n"):
        return column
    needs = pc.match_substring_regex(column, "[" + separator + '"\r\n]')
    if not pc.any(needs).as_py():
        return column
    quote, nothing = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
    quoted = pc.binary_join_element_wise(
        quote, pc.replace_substring(column, '"', '""'), quote, nothing
    )
    return pc.if_else(needs, quoted, column)


def markdown_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def markdown_cell(text: str) -> str:
    """A text cell of a Markdown table: formula-safe, pipes escaped, line breaks as `<br>`."""
    return markdown_escape(spreadsheet_safe(text))


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
