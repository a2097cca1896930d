"""The shortcuts taken for speed give the answers of the plain way, on the inputs that could
trip them: IDs that only look like numbers, zones that change their offset, orders whose lines
are not together, slices written two at a time."""

from __future__ import annotations

import csv
import io
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportkit import line, write_csv
from tiktok_transition.core.clock import fixed_offset
from tiktok_transition.core.moments import Judgement
from tiktok_transition.core.parallel import in_order
from tiktok_transition.core.triage import id_codes, triage
from tiktok_transition.output import cells, writers
from tiktok_transition.reader.files import read_exports
from tiktok_transition.reader.layout import FEW_WORDS, TRIAGE_FIELDS, ReadOptions
from tiktok_transition.reader.merge import repeat_candidates
from tiktok_transition.reader.normalize import few_words
from tiktok_transition.reader.times import localize

WIB = ZoneInfo("Asia/Jakarta")
DURING = Judgement(
    as_of=datetime(2023, 10, 20, 9, 0, tzinfo=WIB),
    cutoff=datetime(2023, 11, 5, 23, 59, 59, tzinfo=WIB),
    shutdown=datetime(2023, 10, 4, 17, 0, tzinfo=WIB),
)
ID_TEXT = st.one_of(
    st.from_regex(r"\A[0-9]{1,22}\Z"),  # short, 18-digit, and past what 64 bits hold
    st.from_regex(r"\A0[0-9]{0,3}\Z"),  # leading zeros: "007" is not "7"
    st.sampled_from(["", "576461413038785984", "ABC-1", " 5"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(ID_TEXT, max_size=30))
def test_id_codes_number_ids_in_order_of_first_appearance_like_factorize(ids: list[str]) -> None:
    series = pd.Series(ids, dtype="str")
    assert id_codes(series).tolist() == pd.factorize(series, sort=False)[0].tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["1", "2", "3", "10"]), ID_TEXT), max_size=30))
def test_repeat_candidates_are_the_same_from_arrow_and_from_pandas(
    pairs: list[tuple[str, str]],
) -> None:
    # The reader finds them on its Arrow columns; several exports, on the merged frame.
    orders = id_codes(pd.Series([order for order, _ in pairs], dtype="str"))
    skus = [sku for _, sku in pairs]
    from_arrow = repeat_candidates(orders, pa.chunked_array([pa.array(skus, pa.string())]))
    from_pandas = repeat_candidates(orders, pd.Series(skus, dtype="str"))
    assert from_arrow.tolist() == from_pandas.tolist()
    seen = [(order, sku) for order, sku in zip(orders.tolist(), skus, strict=True)]
    assert from_arrow.tolist() == [seen.count(pair) > 1 for pair in seen]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 6),
            st.booleans(),
            st.one_of(st.none(), st.integers(-62_135_596_800, 253_402_300_799)),  # years 1-9999
            st.integers(0, 2**64 - 1),
        ),
        max_size=40,
    )
)
def test_the_report_order_is_the_order_of_its_four_keys(
    orders: list[tuple[int, bool, int | None, int]],
) -> None:
    import numpy as np

    from tiktok_transition.core.triage import _sort_order

    ranks = np.array([o[0] for o in orders], dtype=np.int64)
    pre_order = np.array([o[1] for o in orders], dtype=bool)
    started = np.array(
        [np.datetime64("NaT") if o[2] is None else np.datetime64(o[2], "s") for o in orders],
        dtype="datetime64[s]",
    )
    ids = np.array([o[3] for o in orders], dtype=np.uint64)
    last = 253_402_214_400  # 9999-12-31: an absent time sorts last
    expected = sorted(
        range(len(orders)),
        key=lambda i: (
            orders[i][0],
            not orders[i][1],
            last if orders[i][2] is None else orders[i][2],
            orders[i][3],
            i,
        ),
    )
    assert _sort_order(ranks, pre_order, started, ids).tolist() == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(1, 10**18), max_size=30),
    st.sampled_from(["rising", "falling", "as drawn"]),
    st.lists(st.integers(1, 3), max_size=30),
)
def test_ids_in_order_are_numbered_like_factorize(
    numbers: list[int], order: str, repeats: list[int]
) -> None:
    # An export listed by order ID (either way), each order's lines together; and the same
    # with an order that comes back after others, which must keep its first code.
    if order != "as drawn":
        numbers = sorted(set(numbers), reverse=order == "falling")
    ids = [
        str(n)
        for n, k in zip(numbers, repeats + [1] * len(numbers), strict=False)
        for _ in range(k)
    ]
    for listed in (ids, [*ids, ids[0]] if ids else ids):
        series = pd.Series(listed, dtype="str")
        assert id_codes(series).tolist() == pd.factorize(series, sort=False)[0].tolist()


def test_ids_with_leading_zeros_are_not_merged_with_their_number() -> None:
    assert id_codes(pd.Series(["7", "007", "7"], dtype="str")).tolist() == [0, 1, 0]


@pytest.mark.parametrize(
    ("zone", "first", "last", "expected"),
    [
        ("Asia/Jakarta", "2023-08-01", "2023-11-05", 7 * 3600),
        ("Asia/Makassar", "2023-08-01", "2023-11-05", 8 * 3600),
        ("Europe/Amsterdam", "2023-06-01", "2023-07-01", 2 * 3600),
        ("Europe/Amsterdam", "2023-10-01", "2023-11-05", None),  # summer time ends on 29 Oct
        ("Asia/Jakarta", "1950-01-01", "2023-01-01", None),  # too long a span to check
    ],
)
def test_fixed_offset_only_when_the_zone_keeps_one_offset(
    zone: str, first: str, last: str, expected: int | None
) -> None:
    low, high = (int(pd.Timestamp(day).timestamp()) for day in (first, last))
    assert fixed_offset(zone, low, high) == expected


WALL_TIMES = st.lists(
    st.one_of(
        st.none(),
        st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2023, 12, 31)),
    ),
    max_size=20,
)


@settings(max_examples=100, deadline=None)
@given(WALL_TIMES, st.sampled_from(["Asia/Jakarta", "Europe/Amsterdam", "America/New_York"]))
def test_localizing_matches_pandas_including_skipped_and_repeated_hours(
    moments: list[datetime | None], zone: str
) -> None:
    naive = pd.Series(pd.to_datetime(moments), dtype="datetime64[s]")
    expected = naive.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    pd.testing.assert_series_equal(localize(naive, zone), expected)


def test_a_skipped_hour_is_not_a_time() -> None:
    naive = pd.Series(pd.to_datetime(["2023-03-26 02:30:00"]), dtype="datetime64[s]")
    assert localize(naive, "Europe/Amsterdam").isna().all()


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Europe/Amsterdam"])
def test_iso_times_of_a_short_span_and_a_span_across_summer_time(zone: str) -> None:
    for days in (["2023-07-01", "2023-07-02"], ["2023-10-28", "2023-10-30"]):
        moments = pd.Series(
            pd.date_range(*days, freq="37min", unit="s"), dtype="datetime64[s]"
        ).dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
        moments[::5] = pd.NaT
        expected = ["" if m is pd.NaT else m.isoformat() for m in moments]
        assert cells.iso_times(moments).to_pylist() == expected


@pytest.mark.parametrize("zone", [None, "Asia/Jakarta", "Europe/Amsterdam"])
def test_iso_times_of_no_time_at_all(zone: str | None) -> None:
    for values in ([], [None], [None, None]):
        moments = pd.Series(pd.to_datetime(values), dtype="datetime64[s]")
        moments = moments.dt.tz_localize(zone) if zone else moments
        text = cells.iso_times(moments)
        text.validate(full=True)
        assert text.to_pylist() == [""] * len(values)


def test_csv_written_in_many_slices_comes_out_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writers, "CSV_SLICE", 7)
    frame = pd.DataFrame({"n": range(1000), "word": pd.Series(["a,b", "=1"] * 500, dtype="str")})
    stream = io.BytesIO()
    writers.write_csv(frame, stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8"))))
    assert [row["n"] for row in rows] == [str(n) for n in range(1000)]
    assert [row["word"] for row in rows[:2]] == ["a,b", "'=1"]


def test_in_order_keeps_the_order_and_passes_errors_on() -> None:
    seen: set[str] = set()

    def slow_first(item: int) -> int:
        seen.add(threading.current_thread().name)
        if item == 0:
            threading.Event().wait(0.05)
        return item * 10

    assert list(in_order(slow_first, range(6))) == [0, 10, 20, 30, 40, 50]

    def failing(item: int) -> int:
        if item == 3:
            raise ValueError("three")
        return item

    with pytest.raises(ValueError, match="three"):
        list(in_order(failing, range(6)))


def test_an_order_whose_lines_are_apart_is_one_order(tmp_path: Path) -> None:
    a, b = "576461413038785984", "576461413038785985"
    rows = [
        line(a, SKU_ID="1", Quantity="1", Paid_Time=""),
        line(b, SKU_ID="2", Quantity="4"),
        line(a, SKU_ID="3", Quantity="2", Paid_Time="01/10/2023 10:00:00"),
    ]
    path = write_csv(tmp_path / "apart.csv", rows)
    frame = read_exports([str(path)], ReadOptions(fields=TRIAGE_FIELDS)).frame
    apart = triage(frame, DURING).set_index("order_id")
    together = triage(frame.iloc[[0, 2, 1]].reset_index(drop=True), DURING).set_index("order_id")
    pd.testing.assert_frame_equal(apart.sort_index(), together.sort_index())
    assert apart.loc[a, "lines"] == 2 and apart.loc[a, "units"] == 3
    # The time comes from the first line that has one.
    assert apart.loc[a, "paid_time"].isoformat() == "2023-10-01T10:00:00+07:00"
    assert apart.loc[b, "units"] == 4


def test_the_readers_order_codes_stay_right_after_repeated_lines_are_dropped(
    tmp_path: Path,
) -> None:
    a, b, c = "576461413038785984", "576461413038785985", "576461413038785986"
    rows = [line(a, SKU_ID="1"), line(b), line(a, SKU_ID="1"), line(c), line(b, SKU_ID="9")]
    path = write_csv(tmp_path / "repeats.csv", rows)
    lines = read_exports([str(path)], ReadOptions(fields=TRIAGE_FIELDS))
    assert len(lines.frame) == 4  # the repeated line of order a counted once
    assert lines.order_codes is not None
    assert lines.order_codes.tolist() == [0, 1, 2, 1]
    assert lines.order_codes.tolist() == id_codes(lines.frame["order_id"]).tolist()
    given = triage(lines.frame, DURING, order_codes=lines.order_codes)
    pd.testing.assert_frame_equal(given, triage(lines.frame, DURING))


WORD = st.sampled_from(["Shipped", "Dikirim", "J&T Express", "=cmd", "Selesai 😊", "", "a, b"])
PADDING = st.sampled_from(["", " ", "\t", "  \t", "\u3000"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(PADDING, WORD, PADDING), max_size=30), st.integers(1, 4))
def test_word_columns_as_categories_read_as_the_trimmed_text(
    cells: list[tuple[str, str, str]], chunks: int
) -> None:
    texts = ["".join(cell) for cell in cells]
    size = -(-len(texts) // chunks) or 1
    values = pa.chunked_array(
        [pa.array(texts[i : i + size], pa.string()) for i in range(0, len(texts), size)],
        pa.string(),
    )
    words = few_words(values)
    expected = pc.utf8_trim_whitespace(values).to_pylist()
    assert words.astype("str").tolist() == expected
    categories = words.cat.categories.tolist()
    assert categories == sorted(set(expected))  # once each, in text order


def test_exports_read_together_keep_their_words_as_one_set_of_categories(
    tmp_path: Path,
) -> None:
    first = write_csv(
        tmp_path / "a.csv",
        [line("576461413038785984", Shipping_Provider_Name="J&T Express\t")],
    )
    second = write_csv(
        tmp_path / "b.csv",
        [
            line("576461413038785985", Shipping_Provider_Name="SiCepat"),
            line("576461413038785986", Shipping_Provider_Name="J&T Express"),
        ],
    )
    frame = read_exports([str(first), str(second)], ReadOptions(fields=TRIAGE_FIELDS)).frame
    for column in FEW_WORDS:
        assert isinstance(frame[column].dtype, pd.CategoricalDtype), column
    couriers = frame["shipping_provider"]
    assert couriers.tolist() == ["J&T Express", "SiCepat", "J&T Express"]
    assert couriers.cat.categories.tolist() == ["J&T Express", "SiCepat"]


def test_normalize_empties_the_list_it_is_handed_so_the_raw_table_can_be_freed() -> None:
    from tiktok_transition.reader.normalize import normalize

    columns = {field: pa.array(["576461413038785984"]) for field in ("order_id", "sku_id")}
    columns["status"] = pa.array(["Dikirim"])
    columns["created_time"] = pa.array(["01/10/2023 10:00:00\t"])
    handed = [pa.table(columns)]
    frame = normalize(handed, "x.csv", ReadOptions(TRIAGE_FIELDS), None).frame
    assert handed == []
    assert frame.loc[0, "order_id"] == "576461413038785984"
    assert str(frame.loc[0, "created_time"]) == "2023-10-01 10:00:00+07:00"


@given(
    st.lists(st.integers(0, 5000), min_size=1, max_size=40),
    st.lists(st.sampled_from([1.5, float("nan"), 0.0, 12.25]), min_size=1, max_size=40),
)
@settings(deadline=None, max_examples=60)
def test_number_cells_match_formatting_each_value(ints: list[int], floats: list[float]) -> None:
    # Whole numbers under 4096 are picked from a table (when there are many), floats from
    # their distinct values: both must read as formatting each value would.
    many = ints * (5000 // len(ints) + 1)
    assert cells.arrow_cells(pd.Series(many, dtype="int64"), guard=True).to_pylist() == [
        str(n) for n in many
    ]
    assert cells.arrow_cells(pd.Series(floats, dtype="float64"), guard=True).to_pylist() == [
        "" if f != f else f"{f:.1f}" for f in floats
    ]


def test_in_background_gives_each_result_in_order_threaded_or_inline() -> None:
    from tiktok_transition.core import parallel

    threads: set[str] = set()

    def square(n: int) -> int:
        threads.add(threading.current_thread().name)
        return n * n

    with parallel.command_scope(), parallel.in_background(square, range(6)) as results:
        assert [fetch() for fetch in results] == [0, 1, 4, 9, 16, 25]
    assert threading.current_thread().name not in threads
    threads.clear()
    with parallel.command_scope():
        parallel.work_inline()
        with parallel.in_background(square, range(3)) as results:
            assert [fetch() for fetch in results] == [0, 1, 4]
    assert threads == {threading.current_thread().name}


_WORDS = ["Dikirim", "=cmd", "a, b", 'kata "kutip"', "", "Selesai 😊"]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 1500),
    st.integers(0, 2**16),
    st.sampled_from([cells._MIXES, 4]),
)
def test_neighbouring_columns_of_few_values_make_the_rows_of_each_cell(
    rows: int, seed: int, mixes: int
) -> None:
    # Flag-like text (coded past 1,000 rows), categories with words a spreadsheet would run or
    # CSV must quote, booleans, small numbers, a decimal with NaN, beside columns never coded.
    import numpy as np

    rng = np.random.default_rng(seed)
    words = [_WORDS[i] for i in rng.integers(0, len(_WORDS), rows)]
    frame = pd.DataFrame(
        {
            "order_id": pd.Series([str(576461413038785984 + i) for i in range(rows)], dtype="str"),
            "flag": pd.Series([w or "to_ship" for w in words], dtype="str"),
            "status": pd.Series(words, dtype="category"),
            "hours_left": np.where(rng.random(rows) < 0.3, np.nan, rng.integers(0, 3, rows) * 1.5),
            "lines": rng.integers(1, 6, rows),
            "units": rng.integers(1, 40, rows),
            "order_amount": rng.integers(0, 10**9, rows),
            "cod": rng.random(rows) < 0.5,
            "courier": pd.Categorical(
                [words[-1 - i] for i in range(rows)], categories=sorted(set(_WORDS))
            ),
        }
    )
    frame.loc[frame.index[::7], "courier"] = None  # no courier: code -1
    separator = ","
    expected = pc.binary_join_element_wise(
        *[cells.arrow_cells(frame[name], guard=True, separator=separator) for name in frame],
        pa.scalar(separator, pa.large_string()),
    )
    original = cells._MIXES
    cells._MIXES = mixes  # 4: every mix too many, the columns are picked apart
    try:
        got = pc.binary_join_element_wise(
            *cells.row_cells(frame, separator), pa.scalar(separator, pa.large_string())
        )
    finally:
        cells._MIXES = original
    assert got.to_pylist() == expected.to_pylist()
    assert len(cells.row_cells(frame, separator)) < len(frame.columns)
