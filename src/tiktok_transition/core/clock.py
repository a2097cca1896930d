"""Moments given on the command line, in a named time zone."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tiktok_transition.errors import UsageError

if TYPE_CHECKING:
    import numpy as np

SHUTDOWN = "2023-10-04T17:00:00+07:00"
CUTOFF = "2023-11-05T23:59:59+07:00"
ZONE = "Asia/Jakarta"


def load_zone(name: str) -> ZoneInfo:
    """An IANA zone (`Asia/Jakarta`); a name that is not one is a usage error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError("error.bad_tz", zone=name) from None


def parse_moment(text: str, zone: tzinfo, option: str) -> datetime:
    """ISO 8601 or `YYYY-MM-DD HH:MM`; a time without offset is in `zone`."""
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError("error.bad_moment", option=option, value=text[:40]) from None
    moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment
    return _in_range(moment, option, text)


# Times a report can hold (pandas' times end in 2262); anything else is a typo.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2200


def _in_range(moment: datetime, option: str, text: str) -> datetime:
    from datetime import UTC

    try:
        year = moment.astimezone(UTC).year
    except (OverflowError, ValueError):
        year = 0
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise UsageError(
            "hostile.moment_out_of_range",
            option=option,
            value=text[:40],
            first=EARLIEST_YEAR,
            last=LATEST_YEAR,
        )
    return moment


def now(zone: tzinfo) -> datetime:
    return datetime.now(zone).replace(microsecond=0)


_SAMPLE = 6 * 3600  # no zone changes its offset and back within six hours
_LONGEST_SPAN = 4000 * 86400  # beyond ~11 years of data, do not bother


def fixed_offset(zone: str, low: int, high: int) -> int | None:
    """The zone's UTC offset in seconds when it is the same from `low` to `high` (Unix seconds,
    widened by a day so that wall times can be passed too), else None.

    Lets a column of times be converted with one subtraction instead of a lookup per value:
    Asia/Jakarta has had +07:00 since 1964.
    """
    from datetime import UTC, timedelta

    if high - low > _LONGEST_SPAN:
        return None
    tz = ZoneInfo(zone)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    start, end = low - 86400, high + 86400
    offsets = {
        (epoch + timedelta(seconds=moment)).astimezone(tz).utcoffset()
        for moment in [*range(start, end, _SAMPLE), end]
    }
    if len(offsets) != 1:
        return None
    offset = offsets.pop()
    return None if offset is None else int(offset.total_seconds())


def offset_over(zone: str, times: np.ndarray) -> int | None:
    """`fixed_offset` over the span of `times` (datetime64[s], UTC or wall clock; NaT left
    out), or None when no time is known."""
    import numpy as np

    absent = np.isnat(times)
    if absent.all():
        return None
    seconds = times.view("int64")
    # NaT is the smallest int64: the latest time is the largest; the earliest, the smallest
    # once NaT is read as the largest.
    earliest = int(np.where(absent, np.iinfo(np.int64).max, seconds).min())
    return fixed_offset(zone, earliest, int(seconds.max()))
