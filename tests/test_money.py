from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_transition.core.money import format_rupiah, parse_rupiah


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("189950", 189950),
        ("189.950", 189950),
        ("Rp 189.950", 189950),
        ("Rp. 189.950", 189950),
        ("IDR 189,950", 189950),
        ("189950.0", 189950),
        ("189950,00", 189950),
        ("189.950,00", 189950),
        ("189,950.00", 189950),
        ("1.250.000", 1250000),
        ("Rp\u00a01.250.000", 1250000),
        ("-5.000", -5000),
        ("0", 0),
        ("12,5", 13),
        ("12.4", 12),
        ("Rp 189.950,-", 189950),
        ("Rp189.950", 189950),
        ("189.950 IDR", 189950),
        ("Rp -5.000", -5000),
        ("-Rp 5.000", -5000),
        ("(5.000)", -5000),
        ("+5.000", 5000),
        ("1\u202f250\u202f000", 1250000),
        ("0.500", 1),  # a whole part of 0 never groups thousands: half a rupiah, rounded
        ("1,500", 1500),
        ("1,50", 2),
    ],
)
def test_parse_rupiah_reads_every_form_a_seller_meets(text: str, amount: int) -> None:
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "1.2.3,4,5",
        "12.34.5",
        "Rp",
        "1,2345.6.7",
        "--",
        "1e309",
        "5.76461E+17",
        "12.",
        "٣",
    ],
)
def test_parse_rupiah_refuses_what_is_not_an_amount(text: str) -> None:
    assert parse_rupiah(text) is None


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_rupiah_round_trips_the_indonesian_form(amount: int) -> None:
    written = format_rupiah(amount)
    assert parse_rupiah(written) == amount
    assert parse_rupiah(str(amount)) == amount


@given(st.text(max_size=30))
def test_parse_rupiah_never_raises(text: str) -> None:
    result = parse_rupiah(text)
    assert result is None or isinstance(result, int)


def test_format_rupiah_groups_thousands_with_dots() -> None:
    assert format_rupiah(1250000) == "Rp 1.250.000"
    assert format_rupiah(0) == "Rp 0"
    assert format_rupiah(-1500) == "-Rp 1.500"


@given(
    st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(["{},00", "{},-", "Rp {}"])
)
def test_parse_rupiah_reads_a_spreadsheets_indonesian_styles(amount: int, style: str) -> None:
    grouped = f"{abs(amount):,}".replace(",", ".")
    written = ("-" if amount < 0 else "") + style.format(grouped)
    assert parse_rupiah(written) == amount


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_rupiah_reads_the_english_styles(amount: int) -> None:
    assert parse_rupiah(f"IDR {amount:,}") == amount
    assert parse_rupiah(f"{amount:,}.00") == amount
    assert parse_rupiah(f"{amount}.0") == amount
