"""XLSX exports: calamine first, openpyxl when calamine cannot."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tiktok_transition.errors import ExportError
from tiktok_transition.reader.layout import locate_columns

if TYPE_CHECKING:
    import pyarrow as pa

    from tiktok_transition.reader.layout import ReadOptions


# --- XLSX ----------------------------------------------------------------------------------


def read_xlsx(data: bytes, name: str) -> tuple[list[Any], list[list[Any]], list[int]]:
    """The first sheet's header, its non-empty rows and their row numbers in the sheet.

    Calamine first (fast, and it reads every cell whatever the sheet's declared dimension);
    openpyxl when calamine fails.
    """
    try:
        rows = xlsx_rows_calamine(data)
    except BaseException as exc:  # any failure of the fast reader means: try the other
        _reraise_interrupts(exc)
        try:
            rows = _xlsx_rows_openpyxl(data)
        except BaseException as second:
            _reraise_interrupts(second)
            raise ExportError("error.xlsx_unreadable", file=name) from None
    numbered = [
        (number, row)
        for number, row in enumerate(rows, start=1)
        if any(cell is not None and cell != "" for cell in row)
    ]
    if not numbered:
        raise ExportError("error.empty_file", file=name)
    header = list(numbered[0][1])
    return header, [row for _, row in numbered[1:]], [number for number, _ in numbered[1:]]


def _reraise_interrupts(exc: BaseException) -> None:
    """A Rust panic is a BaseException: catch it like an error, but never Ctrl-C or exit."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise exc


def xlsx_rows_calamine(data: bytes) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = workbook.get_sheet_by_index(0)
    return [list(row) for row in sheet.to_python(skip_empty_area=False)]


def _xlsx_rows_openpyxl(data: bytes) -> list[list[Any]]:
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it skips: nothing a seller can act on.
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Some exports declare a stale dimension (A1:A1); read-only mode would trust it.
            sheet.reset_dimensions()
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()


def _cell_text(value: Any) -> str:
    """An Excel cell as the text Seller Center's CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # Past 15 digits an integer went through a float: write it as a spreadsheet shows it,
        # so that the destroyed-ID check sees it.
        return str(value) if abs(value) < 10**15 else f"{float(value):.5E}"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value) if abs(value) < 1e15 else f"{value:.5E}"
    if isinstance(value, datetime):
        # Excel stores a time as a fraction of a day: 10:05:00 may come back as 10:04:59.999.
        moment: datetime = value.replace(microsecond=0)
        if value.microsecond >= 500_000:
            moment += timedelta(seconds=1)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def table_from_rows(
    header: list[Any], rows: list[list[Any]], options: ReadOptions, name: str
) -> pa.Table:
    import pyarrow as pa

    wanted = locate_columns(header, options, name)
    columns = {
        field_name: pa.array(
            [_cell_text(row[index]) if index < len(row) else "" for row in rows], pa.string()
        )
        for field_name, index in wanted.items()
    }
    return pa.table(columns)
