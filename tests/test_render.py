"""The writers' cells: the fast paths give the same text as the plain ones."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from tiktok_transition.output.cells import arrow_cells, iso_times, spreadsheet_safe
from tiktok_transition.output.writers import write_csv

WORDS = ["=HYPERLINK(1)", "J&T, Express", 'say "hi"', "two\nlines", "-5", "plain", ""]


def test_many_repeated_words_are_made_once_and_picked_alike() -> None:
    many = pd.Series(WORDS * 500, dtype="str")  # the per-distinct-word path
    few = pd.Series(WORDS, dtype="str")  # the per-value path
    fast = arrow_cells(many, guard=True, separator=",").to_pylist()
    plain = arrow_cells(few, guard=True, separator=",").to_pylist()
    assert fast == plain * 500
    assert plain[0] == "'=HYPERLINK(1)" and plain[1] == '"J&T, Express"'
    assert plain[2] == '"say ""hi"""' and plain[4] == "'-5"


def test_csv_of_many_rows_parses_back_to_the_safe_values() -> None:
    frame = pd.DataFrame({"word": pd.Series(WORDS * 300, dtype="str"), "n": range(2100)})
    stream = io.BytesIO()
    write_csv(frame, stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8"))))
    assert [r["word"] for r in rows] == [spreadsheet_safe(w) for w in WORDS * 300]
    assert [r["n"] for r in rows] == [str(n) for n in range(2100)]


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "America/New_York", "UTC"])
def test_iso_times_match_python_isoformat(zone: str) -> None:
    moments = pd.Series(
        pd.to_datetime(["2023-03-12 01:30:00", "2023-07-01 23:59:59", None, "1999-12-31 00:00:00"])
    ).dt.tz_localize(zone)
    expected = ["" if m is pd.NaT else m.isoformat() for m in moments]
    assert iso_times(moments).to_pylist() == expected
