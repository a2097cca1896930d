"""The time of day in ISO text, picked from the table of every second of the day."""

from __future__ import annotations

from tiktok_transition.output.cells import _DAY, _clock_bytes

EVERY_SECOND = [
    f"T{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)
]


def test_the_table_holds_every_second_of_the_day() -> None:
    table = _clock_bytes()
    assert len(table) == _DAY
    assert [item.decode("ascii") for item in table.tolist()] == EVERY_SECOND
