"""The timeline: bundled dated events with sources, moved by --shutdown/--cutoff."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tiktok_transition.core.moments import Judgement
from tiktok_transition.core.timeline import (
    TIMELINE_COLUMNS,
    TimelineDataError,
    bundled_events,
    next_event,
    parse_events,
    timeline,
    timeline_rows,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
CUTOFF = datetime(2023, 11, 5, 23, 59, 59, tzinfo=WIB)
SHUTDOWN = datetime(2023, 10, 4, 17, 0, tzinfo=WIB)


def judged(as_of: datetime, cutoff: datetime = CUTOFF, shutdown: datetime = SHUTDOWN) -> Judgement:
    return Judgement(as_of=as_of, cutoff=cutoff, shutdown=shutdown)


def test_the_bundled_events_have_sources_and_both_languages() -> None:
    events = bundled_events()
    keys = [event.key for event in events]
    for key in ("ban-announced", "regulation-signed", "tiktok-announces", "shutdown", "cutoff"):
        assert key in keys
    for key in ("tokopedia-deal", "relaunch", "migration-complete"):
        assert key in keys
    for event in events:
        assert event.source.strip()
        assert event.text("en").strip() and event.text("id").strip()
        assert event.text("en") != event.text("id")


def test_the_dates_are_the_domain_notes_dates() -> None:
    by_key = {event.key: event for event in timeline(judged(CUTOFF))}
    expected = {
        "ban-announced": "2023-09-25",
        "regulation-signed": "2023-09-26",
        "tiktok-announces": "2023-10-03",
        "shutdown": "2023-10-04T17:00:00+07:00",
        "cutoff": "2023-11-05T23:59:59+07:00",
        "tokopedia-deal": "2023-12-11",
        "relaunch": "2023-12-12",
        "migration-complete": "2024-03-27",
    }
    assert {key: event.when_text(WIB) for key, event in by_key.items()} == expected


def test_events_are_in_time_order() -> None:
    events = timeline(judged(CUTOFF))
    assert [event.when for event in events] == sorted(event.when for event in events)


def test_shutdown_and_cutoff_follow_the_options() -> None:
    later_cutoff = datetime(2023, 12, 20, 12, 0, tzinfo=WIB)
    later_shutdown = datetime(2023, 12, 1, 9, 0, tzinfo=WIB)
    events = timeline(judged(CUTOFF, later_cutoff, later_shutdown))
    by_key = {event.key: event for event in events}
    assert by_key["cutoff"].when == later_cutoff and by_key["shutdown"].when == later_shutdown
    keys = [event.key for event in events]
    # The moved cutoff now comes after the relaunch: the order follows the moments.
    assert keys.index("relaunch") < keys.index("cutoff")


def test_hours_from_as_of_are_signed_with_one_decimal() -> None:
    as_of = datetime(2023, 10, 20, 9, 0, tzinfo=WIB)
    rows = timeline_rows(timeline(judged(as_of)), as_of, WIB, "en")
    hours = {row["when"]: row["hours_from_as_of"] for row in rows}
    assert hours["2023-11-05T23:59:59+07:00"] == 399.0
    assert hours["2023-10-04T17:00:00+07:00"] == -376.0
    # A day-only event counts from the start of its day in WIB.
    assert hours["2023-09-25"] == -609.0
    assert list(rows[0]) == list(TIMELINE_COLUMNS)


def test_moments_are_written_in_the_chosen_zone_days_stay_days() -> None:
    as_of = datetime(2023, 10, 20, 9, 0, tzinfo=WITA)
    rows = timeline_rows(timeline(judged(as_of)), as_of, WITA, "id")
    whens = [row["when"] for row in rows]
    assert "2023-10-04T18:00:00+08:00" in whens and "2023-09-25" in whens
    assert any("Tokopedia" in row["event"] and "saham" in row["event"] for row in rows)


def test_next_event_is_the_first_not_yet_passed() -> None:
    events = timeline(judged(CUTOFF))
    at = datetime(2023, 10, 20, 9, 0, tzinfo=WIB)
    upcoming = next_event(events, at)
    assert upcoming is not None and upcoming.key == "cutoff"
    assert next_event(events, CUTOFF) is not None
    assert next_event(events, datetime(2030, 1, 1, tzinfo=WIB)) is None


def test_a_later_wind_down_is_a_data_file() -> None:
    events = parse_events(
        """
        zone = "Asia/Jakarta"
        [[events]]
        key = "notice"
        when = 2031-02-01
        source = "platform notice"
        text.en = "The platform announces its closure"
        [[events]]
        key = "cutoff"
        when = 2031-03-01T23:59:59+07:00
        follows = "cutoff"
        source = "platform notice"
        text = { en = "Unshipped orders are cancelled", id = "Pesanan dibatalkan" }
        """
    )
    assert [event.key for event in events] == ["notice", "cutoff"]
    # A language the file lacks falls back to English.
    assert events[0].text("id") == "The platform announces its closure"
    moved = timeline(judged(CUTOFF, datetime(2031, 3, 2, tzinfo=WIB)), events)
    assert moved[-1].when == datetime(2031, 3, 2, tzinfo=WIB)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("zone = 'Asia/Jakarta'", "no [[events]]"),
        ("[[events]]\nkey = 'x'\nwhen = 2023-01-01\ntext.en = 'x'", "source"),
        ("[[events]]\nkey = 'x'\nwhen = 2023-01-01\nsource = 's'", "text.en"),
        ("[[events]]\nkey = 'x'\nwhen = 'soon'\nsource = 's'\ntext.en = 'x'", "`when`"),
        ("[[events]]\nkey = 'x'\nwhen = 2023-01-01\nsource = 's'\ntext.en = 'x'\nfoo = 1", "foo"),
        (
            "[[events]]\nkey = 'x'\nwhen = 2023-01-01\nsource = 's'\ntext.en = 'x'\n"
            "follows = 'launch'",
            "follows",
        ),
        ("[[events]\n", "TOML"),
        (
            "zone = 'Mars/Base'\n"
            "[[events]]\nkey = 'x'\nwhen = 2023-01-01\nsource = 's'\ntext.en = 'x'",
            "Mars/Base",
        ),
        ("[[events]]\nkey = 'x'\nwhen = 2023-01-01\nsource = 's'\ntext.en = 'x'\n" * 2, "repeat"),
    ],
)
def test_a_bad_timeline_file_says_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(TimelineDataError) as caught:
        parse_events(text)
    assert words in str(caught.value)


def test_the_timeline_command_does_not_import_pandas() -> None:
    code = (
        "import sys\n"
        "from tiktok_transition.cli.main import app\n"
        "for fmt in ('table', 'csv', 'json', 'markdown'):\n"
        "    try:\n"
        "        app(['timeline', '--as-of', '2023-10-20 09:00', '--format', fmt])\n"
        "    except SystemExit as exc:\n"
        "        assert not exc.code, exc.code\n"
        "heavy = sorted({'pandas', 'pyarrow'} & set(sys.modules))\n"
        "assert not heavy, heavy\n"
    )
    finished = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert finished.returncode == 0, finished.stderr.decode()
    assert b"2023-11-05T23:59:59+07:00" in finished.stdout


def test_every_problem_of_a_timeline_file_is_one_line_naming_its_place() -> None:
    text = (
        "[[events]]\nkey = 'a'\nwhen = 'soon'\nsource = 's'\ntext.en = 'x'\n"
        "[[events]]\nkey = 'b'\nwhen = 2023-01-01\nsource = ' '\ntext.id = 'y'\n"
    )
    with pytest.raises(TimelineDataError) as caught:
        parse_events(text, "my.toml")
    assert str(caught.value).splitlines() == [
        "my.toml: events[0] `when`: Input should be a valid datetime or date, input is too short",
        "my.toml: events[1] `source`: every event needs its `source`",
        "my.toml: events[1] `text`: `text.en` is required",
    ]
