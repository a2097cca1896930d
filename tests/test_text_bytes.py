"""`may_contain`: the cheap look at a column's bytes that decides whether a precise check runs."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from tiktok_transition.core.text import may_contain
from tiktok_transition.output.cells import arrow_cells

_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)


@settings(deadline=None)
@given(
    st.lists(_TEXT, max_size=30),
    st.sampled_from(["=", ",", '"', "\n", "M", "é", "Err:", "#N/A"]) | _TEXT.filter(bool),
)
def test_never_says_no_when_a_value_holds_the_needle(values: list[str], needle: str) -> None:
    halves = [pa.array(values[:10], pa.string()), pa.array(values[10:], pa.string())]
    column = pa.chunked_array(halves)
    if any(needle in value for value in values):
        assert may_contain(column, needle.encode())


def test_says_no_for_a_clean_column_and_sees_every_chunk() -> None:
    clean = pa.chunked_array([pa.array(["576461413038785984", ""]), pa.array(["1"])])
    assert not may_contain(clean, b"=", b",")
    late = pa.chunked_array([pa.array(["1"]), pa.array(["2", "a,b"])])
    assert may_contain(late, b",")
    assert not may_contain(pa.array([], pa.string()), b",")


def test_a_needle_of_several_bytes_is_found_only_whole() -> None:
    # Every byte of "Err:" is there, but not together: no; together: yes.
    assert not may_contain(pa.array(["E", "xr", "r:"]), b"Err:")
    assert may_contain(pa.array(["x", " Err:520"]), b"Err:")
    assert not may_contain(pa.array(["JX123", "IDE005"]), b"Err:")


def test_a_slice_is_checked_at_least_where_it_lies() -> None:
    sliced = pa.array(["=x", "plain", "y,z"]).slice(1, 1)
    # Bytes of neighbouring values may answer yes; the precise check then decides.
    assert may_contain(sliced, b"plain")


def test_cells_are_guarded_and_quoted_whether_or_not_the_shortcut_applies() -> None:
    import pandas as pd

    plain = pd.Series(["576461413038785984", "JX123"], dtype="str")
    assert arrow_cells(plain, guard=True, separator=",").to_pylist() == [
        "576461413038785984",
        "JX123",
    ]
    risky = pd.Series(["=HYPERLINK(1)", 'Casing "Bening", 2', "ok"], dtype="str")
    assert arrow_cells(risky, guard=True, separator=",").to_pylist() == [
        "'=HYPERLINK(1)",
        '"Casing ""Bening"", 2"',
        "ok",
    ]


def test_a_column_without_one_plain_data_buffer_always_gets_the_precise_check() -> None:
    views = pa.array(["plain", "text"], pa.string_view())
    assert may_contain(views, b"=")
    words = pa.array(["a", "b"]).dictionary_encode()
    assert may_contain(words, b"=")
