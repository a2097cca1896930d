"""Parse the export's time columns, in the shop's zone."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tiktok_transition.reader.layout import SHORT_YEAR_FORMATS, TIME_FORMATS

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


def parse_time_column(raw: pa.ChunkedArray, tz: str) -> tuple[pd.Series, pd.Series]:
    """The known formats vectorized (each only while values are left), dateutil for the rest.

    Returns the timezone-aware times (NaT where empty) and a mask of values that did not parse.
    """
    return finish_times(raw, *read_times(raw), tz)


def read_times(raw: pa.ChunkedArray) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """The wall times the known formats read (null where none did), and which present values
    none read. Each value is read on its own, so a column read in parts gives the same
    values as read whole (the CSV reader reads them while it reads the next rows)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # Empty is "" or the export's lone tab; a format's trailing space allows the trailing tab.
    present = pc.invert(pc.or_(pc.equal(raw, ""), pc.utf8_is_space(raw)))
    nothing = pa.nulls(len(raw), pa.timestamp("s"))
    parsed, missing = _strptime_each(raw, present, nothing, [f + " " for f in TIME_FORMATS])
    # `%Y` also reads the "23" of a two-digit year as the year 23: read those again as `%y`.
    early = pc.less(parsed, pa.scalar(_YEAR_1000, pa.timestamp("s")))
    if pc.any(early).as_py():
        parsed = pc.if_else(early, nothing, parsed)
        short_years = [f + " " for f in SHORT_YEAR_FORMATS]
        parsed, missing = _strptime_each(raw, present, parsed, short_years)
    return _chunked(parsed), _chunked(missing)


def read_time_columns(field: str) -> tuple[str, str]:
    """The names of the two columns `read_times` makes of a time column read with the
    export: its wall times and its unread mask."""
    return f"{field}\0read", f"{field}\0unread"


def _chunked(values: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    import pyarrow as pa

    return values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])


def finish_times(
    raw: pa.ChunkedArray, parsed: pa.ChunkedArray, missing: pa.ChunkedArray, tz: str
) -> tuple[pd.Series, pd.Series]:
    """`read_times`' wall times, what they missed read by dateutil, made timezone-aware; and
    the mask of values that did not parse."""
    import pandas as pd

    unparsed = pd.Series(missing.to_numpy() if len(raw) else [], dtype=bool)
    if not unparsed.any():
        aware = _in_one_offset(parsed, tz)
        if aware is not None:
            return aware, unparsed
    naive = pd.Series(parsed.to_pandas(), dtype="datetime64[s]")
    if unparsed.any():
        leftovers = pd.Series(raw.to_pandas(), dtype=object)[unparsed]
        with _FALLBACK_LOCK:
            fixed = {value: _parse_time_fallback(value.strip(), tz) for value in leftovers.unique()}
        naive[unparsed] = leftovers.map(fixed).astype("datetime64[s]")
        unparsed = unparsed & naive.isna()
    aware = localize(naive, tz)
    # A wall time the zone skipped or repeated (a DST change) is as unreadable as a typo.
    lost = naive.notna() & aware.isna() if aware.isna().sum() > naive.isna().sum() else None
    return aware, unparsed if lost is None else unparsed | lost


def _in_one_offset(parsed: pa.ChunkedArray, tz: str) -> pd.Series | None:
    """Wall times made timezone-aware in Arrow when the zone had one offset over their whole
    span (Asia/Jakarta's): one subtraction; None when it did not, or when no time is known."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from tiktok_transition.core.clock import fixed_offset

    extremes = pc.min_max(parsed.cast(pa.int64())).as_py()
    if extremes["min"] is None:
        return None
    offset = fixed_offset(tz, extremes["min"], extremes["max"])
    if offset is None:
        return None
    utc = pc.subtract(parsed, pa.scalar(offset, pa.duration("s")))
    aware: pd.Series = (
        pd.Series(utc.to_pandas(), dtype="datetime64[s]").dt.tz_localize("UTC").dt.tz_convert(tz)
    )
    return aware


def localize(naive: pd.Series, tz: str) -> pd.Series:
    """Wall times in `tz` made timezone-aware; ambiguous or skipped wall times become NaT."""
    import numpy as np
    import pandas as pd

    from tiktok_transition.core.clock import offset_over

    wall = naive.to_numpy("datetime64[s]")
    offset = offset_over(tz, wall)
    aware: pd.Series
    if offset is None:
        aware = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    else:  # one offset over the whole span (Asia/Jakarta's): a subtraction, no lookups
        utc = pd.Series(wall - np.timedelta64(offset, "s"), index=naive.index)
        aware = utc.dt.tz_localize("UTC").dt.tz_convert(tz)
    return aware


def _strptime_each(
    raw: pa.ChunkedArray, present: Any, parsed: Any, formats: Sequence[str]
) -> tuple[Any, Any]:
    """Fill `parsed` with each format in turn, each only while some values are still unread."""
    import pyarrow.compute as pc

    missing = pc.and_(present, pc.is_null(parsed))
    for fmt in formats:
        if not pc.any(missing).as_py():
            break
        attempt = _without_rolled_over(
            raw, pc.strptime(raw, format=fmt, unit="s", error_is_null=True), fmt
        )
        parsed = pc.coalesce(parsed, attempt)
        missing = pc.and_(present, pc.is_null(parsed))
    return parsed, missing


def _without_rolled_over(raw: pa.ChunkedArray, attempt: Any, fmt: str) -> Any:
    """Arrow reads 31/02/2023 as 3 March: such impossible dates become unread (null).

    Only a date that landed on day 1-3 can have rolled over. For a day-first format the day
    the text says is compared with the day read (a moved date has another); for the others
    those few are written back in the format and compared. What differs is checked one by one.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    early = pc.fill_null(pc.less_equal(pc.day(attempt), 3), False)
    if not pc.any(early).as_py():
        return attempt
    where = np.flatnonzero(early.to_numpy(zero_copy_only=False))
    trimmed = pc.utf8_trim_whitespace(pc.take(raw, where))
    read = pc.take(attempt, where)
    if fmt.startswith("%d"):
        said = pc.struct_field(pc.extract_regex(trimmed, r"^(?P<day>[0-9]{1,2})"), "day")
        same = pc.equal(pc.cast(said, pa.int64()), pc.cast(pc.day(read), pa.int64()))
    else:
        same = pc.equal(pc.strftime(read, format=fmt.strip()), trimmed)
    differs = pc.invert(pc.fill_null(same, False)).to_numpy(zero_copy_only=False)
    impossible = np.zeros(len(raw), dtype=bool)
    for index in np.flatnonzero(differs):
        try:
            datetime.strptime(str(trimmed[int(index)].as_py()), fmt.strip())
        except ValueError:
            impossible[where[index]] = True
    if not impossible.any():
        return attempt
    return pc.if_else(pa.array(impossible), pa.nulls(len(raw), attempt.type), attempt)


_YEAR_1000 = datetime(1000, 1, 1)
_YEAR = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")
# Time columns are parsed two at a time, and `warnings.catch_warnings` is not thread-safe:
# one column at a time in dateutil, so no warning (which would quote the value) slips out.
_FALLBACK_LOCK = threading.Lock()


def _parse_time_fallback(value: str, tz: str) -> datetime | None:
    """A time in a form the fast formats missed, or None. It must name its year: dateutil
    would otherwise fill a bare "1" with today's date. A time with an offset is converted."""
    import warnings
    from zoneinfo import ZoneInfo

    from dateutil import parser

    years = {int(year) for year in _YEAR.findall(value)}
    if not years:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dateutil's warnings quote the value
            parsed = parser.parse(value, dayfirst=True)
        if parsed.year not in years:
            return None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    except (ValueError, OverflowError, ArithmeticError):
        return None
    return parsed
