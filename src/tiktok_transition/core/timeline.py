"""The dated events of the wind-down, with their sources, and the time from `--as-of` to each.

The events are data (`data/timeline.toml`), validated by pydantic models like the checklists.
Light on purpose: no pandas, so `timeline` starts fast (pydantic is loaded by Typer anyway).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, tzinfo
from functools import cache
from importlib import resources
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from tiktok_transition.core.moments import Judgement

TIMELINE_COLUMNS: tuple[str, ...] = ("when", "event", "source", "hours_from_as_of")
_UNION_TAGS = {"datetime", "date"}


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


class _EventEntry(BaseModel):
    """One `[[events]]` table of a timeline file, as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(min_length=1)
    when: datetime | date
    source: str = Field(default="", validate_default=True)
    text: dict[str, str] = Field(default_factory=dict, validate_default=True)
    follows: Literal["shutdown", "cutoff"] | None = None

    @field_validator("source", mode="after")
    @classmethod
    def _sourced(cls, source: str) -> str:
        if not source.strip():
            raise ValueError("every event needs its `source`")
        return source.strip()

    @field_validator("text", mode="after")
    @classmethod
    def _in_english(cls, text: dict[str, str]) -> dict[str, str]:
        if not text.get("en"):
            raise ValueError("`text.en` is required")
        return text

    def event(self, zone: tzinfo) -> Event:
        """The event, its naive moment (or its day) in the file's zone."""
        if isinstance(self.when, datetime):
            moment, day_only = self.when, False
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
        else:
            moment, day_only = datetime.combine(self.when, time(), tzinfo=zone), True
        return Event(self.key, moment, day_only, dict(self.text), self.source, self.follows)


class _TimelineFile(BaseModel):
    """A timeline file: its zone and its events, each key once."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zone: str = "Asia/Jakarta"
    events: tuple[_EventEntry, ...] = Field(default=(), validate_default=True)

    @field_validator("zone", mode="after")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ValueError, ZoneInfoNotFoundError):
            raise ValueError(f"unknown time zone {zone!r}") from None
        return zone

    @field_validator("events", mode="after")
    @classmethod
    def _keys_once(cls, events: tuple[_EventEntry, ...]) -> tuple[_EventEntry, ...]:
        if not events:
            raise ValueError("no [[events]]")
        keys = [event.key for event in events]
        if len(set(keys)) != len(keys):
            raise ValueError(f"event keys repeat: {sorted(keys)}")
        return events


def parse_events(text: str, name: str = "timeline.toml") -> list[Event]:
    """The events of a timeline file, in file order."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TimelineDataError(f"{name}: not valid TOML: {exc}") from exc
    try:
        parsed = _TimelineFile.model_validate(data)
    except ValidationError as exc:
        # A union (`when`: a date-time or a date) reports each member: one line per place.
        problems = {_place(error): error for error in reversed(exc.errors(include_url=False))}
        raise TimelineDataError(
            "\n".join(_problem(name, place, error) for place, error in reversed(problems.items()))
        ) from exc
    zone = ZoneInfo(parsed.zone)
    return [entry.event(zone) for entry in parsed.events]


def _place(error: ErrorDetails) -> str:
    """`events[2] `when``: where in the file, without a union member's tag."""
    place = ""
    for part in error["loc"]:
        if isinstance(part, int):
            place += f"[{part}]"
        elif not place:
            place = str(part)
        elif part not in _UNION_TAGS:
            place += f" `{part}`"
    return place


def _problem(name: str, place: str, error: ErrorDetails) -> str:
    """`timeline.toml: events[2] `when`: Input should be a valid datetime`."""
    return f"{name}: {place}: {error['msg'].removeprefix('Value error, ')}"


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
