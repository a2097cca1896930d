"""Rupiah amounts as exports and spreadsheets write them, to integer rupiah."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# A currency before or after the number: `Rp`, `Rp.`, `IDR`, or any three-letter code.
_PREFIX = re.compile(r"^(?:rp\.?|[a-z]{3})", re.IGNORECASE)
_SUFFIX = re.compile(r"(?:rp\.?|[a-z]{3})$", re.IGNORECASE)
_NUMBER = re.compile(r"^[0-9][0-9.,]*$")
# Spaces a spreadsheet puts between groups or after the currency (NBSP, narrow NBSP, thin).
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")


def parse_rupiah(text: str) -> int | None:
    """Integer rupiah from `189950`, `189.950`, `Rp 189.950`, `IDR 189,950`, `189950.0`,
    `189.950,00`, `Rp 189.950,-`; None when the text is not an amount.

    Rules, in order:
    - spaces are ignored, and so is a currency before or after the number (`Rp`, `Rp.`, `IDR`,
      any three-letter code) and the Indonesian "no cents" ending `,-`;
    - a leading `-` (before or after the currency) or surrounding parentheses make it negative;
    - with both `.` and `,`, the last one is the decimal mark (it may appear once) and the other
      groups thousands;
    - with one of them: more than once, it groups thousands; once, followed by exactly three
      digits and after a whole part other than `0`, it groups thousands (`189.950`, `1,500`);
      otherwise it is the decimal mark (`189950.0`, `12,5`, `0.500`);
    - thousands groups must be of three digits (`12.34.5` is not an amount);
    - rupiah have no minor unit in practice, so a fraction is rounded half up.
    """
    value = _SPACES.sub("", text)
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    if value.startswith(("-", "+")):
        negative, value = negative or value[0] == "-", value[1:]
    value = _PREFIX.sub("", value)
    if value.startswith(("-", "+")) and not negative:
        negative, value = value[0] == "-", value[1:]
    value = _SUFFIX.sub("", value)
    if value.endswith((",-", ".-")):
        value = value[:-2]
    if not _NUMBER.match(value) or value[-1] in ".,":
        return None
    decimal_mark = _decimal_mark(value)
    if decimal_mark is None:
        return None
    whole = value.rsplit(decimal_mark, 1)[0] if decimal_mark else value
    for mark in {".", ","} - {decimal_mark}:
        if mark in whole and not _grouped_by_three(whole, mark):
            return None
        value = value.replace(mark, "")
    if decimal_mark == ",":
        value = value.replace(",", ".")
    try:
        amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    return -int(amount) if negative else int(amount)


def _decimal_mark(value: str) -> str | None:
    """`.`, `,`, or "" when the number has no fraction; None when the marks make no sense."""
    dots, commas = value.count("."), value.count(",")
    if dots and commas:
        mark = "." if value.rfind(".") > value.rfind(",") else ","
        return mark if value.count(mark) == 1 else None
    if not dots and not commas:
        return ""
    mark = "." if dots else ","
    if value.count(mark) > 1:
        return ""
    whole, _, tail = value.partition(mark)
    return "" if len(tail) == 3 and whole.strip("0") else mark


def _grouped_by_three(whole: str, mark: str) -> bool:
    groups = whole.split(mark)
    return 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])


def format_rupiah(amount: int) -> str:
    """`Rp 1.250.000`: the Indonesian way, dots grouping thousands."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")
