"""One column contract: the layouts the benchmark and the example write are the reader's own."""

from __future__ import annotations

import csv

import pytest

from conftest import EXAMPLE
from tiktok_transition.reader.layout import FIELDS, KNOWN_COLUMNS, LAYOUTS, REQUIRED


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_column_of_a_layout_is_known_to_the_reader(layout: int) -> None:
    known = set(KNOWN_COLUMNS) | set(FIELDS.values())
    columns = LAYOUTS[layout]
    assert len(columns) == layout == len(set(columns))
    assert [column for column in columns if column not in known] == []
    assert {FIELDS[field] for field in REQUIRED} <= set(columns)


def test_the_example_is_written_in_the_2023_layout() -> None:
    with EXAMPLE.open(encoding="utf-8-sig", newline="") as stream:
        header = next(csv.reader(stream))
    assert header == list(LAYOUTS[53])
