"""Exports that went through a spreadsheet and came back changed: named, never guessed.

Three traces a spreadsheet leaves that the reader would otherwise take at face value:

- a time column read month-first: the dates that fit (day <= 12) became date cells holding
  the wrong day, the others stayed `dd/mm/yyyy` text (refused: no value can be trusted);
- text that the spreadsheet ran as a formula: an error code (`Err:509`, `#NAME?`) or the
  formula's result in place of the export's text (a warning naming the column and count);
- a file opened in the wrong character set: its UTF-8 mark comes back as `ï»¿` in front of
  the first header (refused with a word about the character set, not a missing column).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.text import may_contain
from tiktok_transition.errors import ExportError

if TYPE_CHECKING:
    import pyarrow as pa

# The UTF-8 byte order mark read as Windows-1252 / Latin-1, and the UTF-16 ones.
MISDECODED_MARKS = ("\u00ef\u00bb\u00bf", "\u00ff\u00fe", "\u00fe\u00ff")
# What LibreOffice (`Err:509`) and Excel (`#NAME?`) put in a cell whose formula failed.
ERROR_CODE = r"^(?:Err:[0-9]{3}|#(?:NAME\?|VALUE!|REF!|DIV/0!|N/A|NUM!|NULL!|SPILL!|CALC!))$"
_DAY_FIRST_TEXT = re.compile(r"^\s*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})\b")


def refuse_misdecoded_header(header: Sequence[Any], name: str) -> None:
    """A header whose first cell starts with a byte order mark decoded as text."""
    first = str(header[0]) if header and header[0] is not None else ""
    if first.lstrip().startswith(MISDECODED_MARKS):
        raise ExportError("error.wrong_charset", file=name)


def refuse_mixed_dates(
    rows: Sequence[Sequence[Any]], wanted: Mapping[str, int], times: Mapping[str, str], name: str
) -> None:
    """XLSX time cells: date cells that contradict the `dd/mm/yyyy` text of the same file.

    Seller Center writes its times as text; a spreadsheet that reads them month-first turns
    only the ones that fit into dates (1 Oct 2023 becomes 10 Jan 2023) and leaves the rest as
    text. Either kind alone is read as it is. Refused: a column holding both, or a date cell
    that lies outside the days of the text times while its day and month swapped lie inside.
    """
    typed: dict[str, list[date]] = {}
    texts: dict[str, list[date]] = {}
    for field, label in times.items():
        index = wanted.get(field)
        if index is None:
            continue
        for row in rows:
            value = row[index] if index < len(row) else None
            if isinstance(value, date):  # datetime is a date too
                typed.setdefault(label, []).append(value)
            elif isinstance(value, str):
                text_date = _day_first(value)
                if text_date is not None:
                    texts.setdefault(label, []).append(text_date)
    if not typed or not texts:
        return
    known = [day for days in texts.values() for day in days]
    first, last = min(known), max(known)
    for label, dates in typed.items():
        swapped = [_swapped(day) for day in dates if not first <= _as_date(day) <= last]
        if label in texts or any(day is not None and first <= day <= last for day in swapped):
            raise ExportError(
                "error.dates_mixed", file=name, column=label, typed=len(dates),
                text=sum(map(len, texts.values())),
            )  # fmt: skip


def refuse_mixed_layouts(table: pa.Table, times: Mapping[str, str], name: str) -> None:
    """CSV time columns: times in a spreadsheet's month-first layout (`01/10/23 12:55 AM`)
    beside Seller Center's `dd/mm/yyyy HH:MM:SS` text. A spreadsheet re-writes in its own
    layout only the times it took for dates (day <= 12, read month-first), so the mix is the
    CSV trace of the same mistake as date cells beside text in an XLSX."""
    import pyarrow.compute as pc

    for field, label in times.items():
        raw = table.column(field)
        # The common case, no AM/PM time (Seller Center's have no letter at all): one cheap
        # search for an "M" anywhere, nothing copied.
        if not may_contain(raw, b"M"):
            continue
        if not pc.any(pc.or_(pc.ends_with(raw, "M"), pc.ends_with(raw, "M\t"))).as_py():
            continue
        values = pc.utf8_trim_whitespace(raw)
        month_first = pc.sum(pc.match_substring_regex(values, _MONTH_FIRST)).as_py() or 0
        day_first = pc.sum(pc.match_substring_regex(values, _SELLER_CENTER)).as_py() or 0
        if month_first and day_first:
            raise ExportError(
                "error.dates_mixed", file=name, column=label, typed=month_first, text=day_first
            )


_MONTH_FIRST = r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4} [0-9]{1,2}:[0-9]{2}(:[0-9]{2})? ?[AP]M$"
_SELLER_CENTER = r"^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}$"


def _day_first(text: str) -> date | None:
    match = _DAY_FIRST_TEXT.match(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None


def _as_date(value: date) -> date:
    return date(value.year, value.month, value.day)


def _swapped(value: date) -> date | None:
    try:
        return date(value.year, value.day, value.month)
    except ValueError:
        return None


def error_code_counts(table: pa.Table, columns: Sequence[str]) -> dict[str, int]:
    """How many cells of each text column hold a spreadsheet's error code."""
    import pyarrow.compute as pc

    counts: dict[str, int] = {}
    for column in columns:
        values = table.column(column)
        if not may_contain(values, b"#", b"Err:"):  # the common case, told cheaply
            continue
        maybe = pc.or_(pc.starts_with(values, "#"), pc.starts_with(values, "Err:"))
        if not pc.any(maybe).as_py():
            continue
        found = pc.sum(pc.match_substring_regex(pc.utf8_trim_whitespace(values), ERROR_CODE))
        if found.as_py():
            counts[column] = int(found.as_py())
    return counts


_CELL = re.compile(rb'<c r="([A-Z]+)[0-9]+"([^>]*)>(<f)?')


def xlsx_formula_counts(data: bytes, wanted: Mapping[str, int]) -> dict[str, int]:
    """How many cells of each wanted column of the first sheet are formulas or errors.

    The fast XLSX reader gives an error cell as empty and a formula as its result, so these
    are counted in the sheet's XML itself (only when it holds any)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(_first_sheet(archive))
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    if b"<f" not in xml and b't="e"' not in xml:
        return {}
    by_index = {index: field for field, index in wanted.items()}
    counts: dict[str, int] = {}
    for match in _CELL.finditer(xml):
        if match.group(3) is None and b't="e"' not in match.group(2):
            continue
        field = by_index.get(_column_index(match.group(1)))
        if field is not None:
            counts[field] = counts.get(field, 0) + 1
    return counts


def _first_sheet(archive: zipfile.ZipFile) -> str:
    workbook = archive.read("xl/workbook.xml")
    sheet = re.search(rb"<sheet\b[^>]*\br:id=\"([^\"]+)\"", workbook)
    if sheet is not None:
        rels = archive.read("xl/_rels/workbook.xml.rels")
        for relation in re.finditer(rb"<Relationship\b[^>]*>", rels):
            tag = relation.group(0)
            if b'Id="' + sheet.group(1) + b'"' in tag:
                target = re.search(rb'Target="([^"]+)"', tag)
                if target is not None:
                    path = target.group(1).decode("utf-8")
                    return path.lstrip("/") if path.startswith("/") else "xl/" + path
    return "xl/worksheets/sheet1.xml"


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (letter - ord("A") + 1)
    return index - 1
