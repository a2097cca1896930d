"""Rupiah amounts as exports and spreadsheets write them, to integer rupiah."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_CURRENCY = re.compile(r"^(?:rp\.?|idr|[a-z]{3})\s*", re.IGNORECASE)
_NUMBER = re.compile(r"^\d[\d.,]*$")


def parse_rupiah(text: str) -> int | None:
    """Integer rupiah from `189950`, `189.950`, `Rp 189.950`, `IDR 189,950`, `189950.0`,
    `189.950,00`; None when the text is not an amount.

    Rules: a currency prefix (`Rp`, `IDR`, any three-letter code) and spaces are ignored. With
    both `.` and `,`, the last one is the decimal mark. With one of them: more than once, or once
    followed by exactly three digits, it groups thousands; otherwise it is the decimal mark.
    Rupiah have no minor unit in practice, so a fraction is rounded half up.
    """
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    negative = value.startswith("-") or (value.startswith("(") and value.endswith(")"))
    value = value.strip("-()")
    value = _CURRENCY.sub("", value).replace(" ", "")
    if not _NUMBER.match(value) or value[-1] in ".,":
        return None
    dots, commas = value.count("."), value.count(",")
    if dots and commas:
        decimal_mark = "." if value.rfind(".") > value.rfind(",") else ","
        if value.count(decimal_mark) > 1:
            return None
    elif dots or commas:
        mark = "." if dots else ","
        whole, _, tail = value.rpartition(mark)
        decimal_mark = "" if value.count(mark) > 1 or len(tail) == 3 else mark
    else:
        decimal_mark = ""
    thousands = {".", ","} - {decimal_mark}
    for mark in thousands:
        if mark in value and not _grouped_by_three(
            value.split(decimal_mark)[0] if decimal_mark else value, mark
        ):
            return None
        value = value.replace(mark, "")
    value = value.replace(",", ".") if decimal_mark == "," else value
    try:
        amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    return -int(amount) if negative else int(amount)


def _grouped_by_three(whole: str, mark: str) -> bool:
    groups = whole.split(mark)
    return 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])


def format_rupiah(amount: int) -> str:
    """`Rp 1.250.000`: the Indonesian way, dots grouping thousands."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")
