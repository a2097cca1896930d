"""The dated events of the wind-down, with their sources, and the time from `--as-of` to each.

The events are data (`data/timeline.toml`). Light on purpose: no pandas, so `timeline` starts
fast.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, tzinfo
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from tiktok_transition.core.moments import Judgement

TIMELINE_COLUMNS: tuple[str, ...] = ("when", "event", "source", "hours_from_as_of")
FOLLOWS = ("shutdown", "cutoff")
_EVENT_KEYS = {"key", "when", "source", "text", "follows"}


class TimelineDataError(ValueError):
    """A timeline file that does not have the expected shape."""


@dataclass(frozen=True)
class Event:
    """One dated event. `day_only`: only the day is known, `when` is its start in the zone."""

    key: str
    when: datetime
    day_only: bool
    texts: Mapping[str, str]
    source: str
    follows: str | None = None

    def text(self, lang: str) -> str:
        return self.texts.get(lang) or self.texts["en"]

    def hours_from(self, moment: datetime) -> float:
        """Hours from `moment` to the event, one decimal: negative once it has passed."""
        return round((self.when - moment).total_seconds() / 3600, 1)

    def when_text(self, zone: tzinfo) -> str:
        """`2023-09-25` for a day, `2023-10-04T17:00:00+07:00` (in `zone`) for a moment."""
        if self.day_only:
            return self.when.date().isoformat()
        return self.when.astimezone(zone).isoformat()


def parse_events(text: str, name: str = "timeline.toml") -> list[Event]:
    """The events of a timeline file, in file order."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TimelineDataError(f"{name}: not valid TOML: {exc}") from exc
    zone = ZoneInfo(str(data.get("zone", "Asia/Jakarta")))
    raw = data.get("events")
    if not isinstance(raw, list) or not raw:
        raise TimelineDataError(f"{name}: no [[events]]")
    events = [_event(entry, zone, f"{name}: events[{index}]") for index, entry in enumerate(raw)]
    keys = [event.key for event in events]
    if len(set(keys)) != len(keys):
        raise TimelineDataError(f"{name}: event keys repeat: {sorted(keys)}")
    return events


def _event(entry: Any, zone: tzinfo, where: str) -> Event:
    if not isinstance(entry, dict):
        raise TimelineDataError(f"{where}: not a table")
    unknown = set(entry) - _EVENT_KEYS
    if unknown:
        raise TimelineDataError(f"{where}: unknown field(s) {sorted(unknown)}")
    key, when, source, texts = (entry.get(k) for k in ("key", "when", "source", "text"))
    follows = entry.get("follows")
    if not isinstance(key, str) or not key:
        raise TimelineDataError(f"{where}: `key` must be a non-empty text")
    if not isinstance(source, str) or not source.strip():
        raise TimelineDataError(f"{where} ({key}): every event needs its `source`")
    if not isinstance(texts, dict) or not isinstance(texts.get("en"), str):
        raise TimelineDataError(f"{where} ({key}): `text.en` is required")
    if follows is not None and follows not in FOLLOWS:
        raise TimelineDataError(f"{where} ({key}): `follows` must be one of {FOLLOWS}")
    if isinstance(when, datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=zone)
        moment, day_only = when, False
    elif isinstance(when, date):
        moment, day_only = datetime.combine(when, time(), tzinfo=zone), True
    else:
        raise TimelineDataError(f"{where} ({key}): `when` must be a date or a date-time")
    return Event(
        key=key,
        when=moment,
        day_only=day_only,
        texts={str(lang): str(words) for lang, words in texts.items()},
        source=source.strip(),
        follows=follows,
    )


@cache
def bundled_events() -> tuple[Event, ...]:
    entry = resources.files("tiktok_transition") / "data" / "timeline.toml"
    return tuple(parse_events(entry.read_text(encoding="utf-8"), "timeline.toml"))


def timeline(judgement: Judgement, events: Sequence[Event] | None = None) -> list[Event]:
    """The events in time order; the shutdown and the cutoff at the moments being judged by."""
    moments = {"shutdown": judgement.shutdown, "cutoff": judgement.cutoff}
    placed = [
        replace(event, when=moments[event.follows], day_only=False) if event.follows else event
        for event in (bundled_events() if events is None else events)
    ]
    return sorted(placed, key=lambda event: event.when)


def next_event(events: Sequence[Event], as_of: datetime) -> Event | None:
    """The first event still ahead of `as_of` (an event at `as_of` itself counts as ahead)."""
    return next((event for event in events if event.when >= as_of), None)


def timeline_rows(
    events: Sequence[Event], as_of: datetime, zone: tzinfo, lang: str
) -> list[dict[str, Any]]:
    """The contract's rows: `when, event, source, hours_from_as_of`."""
    return [
        {
            "when": event.when_text(zone),
            "event": event.text(lang),
            "source": event.source,
            "hours_from_as_of": event.hours_from(as_of),
        }
        for event in events
    ]
