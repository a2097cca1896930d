"""Moments given on the command line, in a named time zone."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tiktok_transition.errors import UsageError

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
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def now(zone: tzinfo) -> datetime:
    return datetime.now(zone).replace(microsecond=0)
