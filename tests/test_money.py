from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiktok_transition.money import format_rupiah, parse_rupiah


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
    ],
)
def test_parse_rupiah_reads_every_form_a_seller_meets(text: str, amount: int) -> None:
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize("text", ["", "abc", "1.2.3,4,5", "12.34.5", "Rp", "1,2345.6.7", "--"])
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
