"""The time of day in ISO text, joined for a few values or picked from the day's table: the same."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from tiktok_transition.output.cells import _DAY, _clock_table, _clock_times

EVERY_SECOND = [
    f"T{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)
]


def test_the_table_holds_every_second_of_the_day() -> None:
    assert _clock_table().to_pylist() == EVERY_SECOND


@pytest.mark.parametrize("count", [0, 1, 60, _DAY // 8 - 1, _DAY // 8, 50_000])
def test_a_few_values_or_many_give_the_same_text(count: int) -> None:
    seconds = np.random.default_rng(count).integers(0, _DAY, count)
    seconds[:2] = [0, _DAY - 1][: min(count, 2)]
    shown = _clock_times(seconds)
    assert shown.type == pa.large_string()
    assert shown.to_pylist() == [EVERY_SECOND[s] for s in seconds]
