"""The reports and the example export in a real spreadsheet: LibreOffice, English and Indonesian.

Each report is opened the way the seller opens it (CSV through the text import, in the
profile's locale; xlsx as a workbook) and saved as xlsx, whose cells openpyxl reads back:
what type LibreOffice gave each cell is what the seller sees. The example export is saved
again as CSV and XLSX, the way our own error messages advise, and read back by the tool.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from libreoffice import COMMA_UTF8, CSV_OUT, SEMICOLON_UTF8, convert
from tiktok_transition.cli.main import app

pytestmark = pytest.mark.libreoffice
AS_OF = ["--as-of", "2023-10-20 09:00"]
runner = CliRunner()


@dataclass
class Opened:
    locale: str
    folder: Path
    scan_ids: list[str]


def _run(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 2), result.stderr
    return result


@pytest.fixture(scope="module", params=["en-US", "id-ID"])
def opened(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Opened:
    """Every report of the example, and the example itself, through LibreOffice in a locale:
    four calls of soffice (one per import filter and target)."""
    locale: str = request.param
    folder = tmp_path_factory.mktemp(f"libreoffice-{locale}")
    reports = folder / "reports"
    reports.mkdir()
    for name, args in {
        "scan.csv": ["scan"],
        "catalog.csv": ["catalog"],
        "scan-excel.csv": ["scan", "--excel"],
        "catalog-excel.csv": ["catalog", "--excel"],
        "scan.xlsx": ["scan"],
        "catalog.xlsx": ["catalog"],
    }.items():
        _run(*args, str(EXAMPLE), *AS_OF, "-o", str(reports / name))
    export = shutil.copy(EXAMPLE, reports / "export.csv")
    # A copy whose times lost Seller Center's trailing tab (IDs keep theirs): the spreadsheet
    # now reads the times as dates, in its own locale's order.
    untabbed = re.sub(rb"([0-9]{2}/[0-9]{2}/[0-9]{4} [0-9:]{8})\t", rb"\1", EXAMPLE.read_bytes())
    (reports / "export-times.csv").write_bytes(re.sub(rb"(?<=,)\t(?=,)", b"", untabbed))
    csvs = ["scan.csv", "catalog.csv", "export.csv", "export-times.csv"]
    convert([reports / n for n in csvs], "xlsx", folder / "opened", locale, COMMA_UTF8)
    excel = [reports / "scan-excel.csv", reports / "catalog-excel.csv"]
    convert(excel, "xlsx", folder / "opened", locale, SEMICOLON_UTF8)
    books = [reports / "scan.xlsx", reports / "catalog.xlsx"]
    convert(books, "xlsx", folder / "workbooks", locale)
    resaved = [Path(export), reports / "export-times.csv"]
    convert(resaved, CSV_OUT, folder / "resaved", locale, COMMA_UTF8)
    scan = _run("scan", str(EXAMPLE), *AS_OF, "--format", "csv").stdout
    ids = [row["order_id"] for row in csv.DictReader(io.StringIO(scan))]
    return Opened(locale, folder, ids)


def _sheet(path: Path) -> tuple[list[str], list[list[Any]]]:
    """The header and the cells (openpyxl cells: value and data_type) of the first sheet."""
    import openpyxl

    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows()]
    return [str(cell.value) for cell in rows[0]], rows[1:]


def _column(path: Path, name: str) -> list[Any]:
    header, rows = _sheet(path)
    return [row[header.index(name)] for row in rows]


def _no_formulas(path: Path) -> None:
    _, rows = _sheet(path)
    # LibreOffice saves a boolean cell as the formula TRUE() or FALSE(): a value, not a formula.
    formulas = [
        f"{cell.coordinate}: {cell.value}"
        for row in rows
        for cell in row
        if cell.data_type == "f" and cell.value not in ("=TRUE()", "=FALSE()")
    ]
    assert formulas == [], f"{path.name}: LibreOffice made formulas of {formulas}"


def _ids_are_text(cells: list[Any], expected: list[str]) -> None:
    assert all(cell.data_type == "s" for cell in cells)
    # The spreadsheet keeps the trailing tab that made the cell text; the digits are all there.
    assert [cell.value.strip() for cell in cells] == expected
    assert len(set(expected)) == 60


def test_excel_csv_keeps_every_id_as_text_and_amounts_as_numbers(opened: Opened) -> None:
    book = opened.folder / "opened" / "scan-excel.xlsx"
    _ids_are_text(_column(book, "order_id"), opened.scan_ids)
    tracking = [c for c in _column(book, "tracking_id") if c.value is not None]
    assert tracking and all(c.data_type == "s" and c.value.endswith("\t") for c in tracking)
    amounts = _column(book, "order_amount")
    assert all(isinstance(c.value, int) for c in amounts)
    hours = [c.value for c in _column(book, "hours_left") if c.value is not None]
    assert len(hours) == 28
    if opened.locale == "id-ID":  # `399,0` is a number where `,` is the decimal separator
        assert hours == [399] * 28
    else:  # in an English locale the comma is a thousands separator: the cell stays text
        assert hours == ["399,0"] * 28
    skus = _column(opened.folder / "opened" / "catalog-excel.xlsx", "seller_sku")
    assert all(cell.data_type == "s" and cell.value.endswith("\t") for cell in skus)
    _no_formulas(book)
    _no_formulas(opened.folder / "opened" / "catalog-excel.xlsx")


def test_xlsx_report_keeps_ids_text_numbers_numbers_and_names_as_written(opened: Opened) -> None:
    from datetime import datetime

    book = opened.folder / "workbooks" / "scan.xlsx"
    ids = _column(book, "order_id")
    assert all(cell.data_type == "s" for cell in ids)
    assert [cell.value for cell in ids] == opened.scan_ids
    assert all(isinstance(c.value, int) for c in _column(book, "order_amount"))
    hours = [c.value for c in _column(book, "hours_left") if c.value is not None]
    assert hours == [399.0] * 28 and all(isinstance(v, (int, float)) for v in hours)
    assert all(isinstance(c.value, datetime) for c in _column(book, "created_time"))
    _no_formulas(book)
    catalog = opened.folder / "workbooks" / "catalog.xlsx"
    names = [cell.value for cell in _column(catalog, "product_name")]
    written = _run("catalog", str(EXAMPLE), *AS_OF, "--format", "json").stdout
    assert names == [row["product_name"] for row in json.loads(written)]
    assert "=Casing HP Bening Anti Crack" in names
    _no_formulas(catalog)


def test_plain_csv_never_becomes_a_formula(opened: Opened) -> None:
    for name in ("scan.xlsx", "catalog.xlsx"):
        _no_formulas(opened.folder / "opened" / name)
    names = [c.value for c in _column(opened.folder / "opened" / "catalog.xlsx", "product_name")]
    assert "'=Casing HP Bening Anti Crack" in names
    amounts = _column(opened.folder / "opened" / "scan.xlsx", "order_amount")
    assert all(isinstance(c.value, int) for c in amounts)


def test_the_export_saved_again_reads_the_same(opened: Opened) -> None:
    original = _run("scan", str(EXAMPLE), *AS_OF, "--format", "csv")
    for resaved in (
        opened.folder / "opened" / "export.xlsx",
        opened.folder / "resaved" / "export.csv",
    ):
        again = _run("scan", str(resaved), *AS_OF, "--format", "csv")
        assert again.exit_code == 0, again.stderr
        assert again.stdout == original.stdout, resaved
        # The product names starting with `=` were run as formulas: the catalog says so.
        catalog = _run("catalog", str(resaved), *AS_OF, "--format", "csv")
        assert catalog.exit_code == 0
        assert "5 cell(s) of 'Product Name'" in catalog.stderr


def test_times_read_month_first_are_refused_never_read_wrong(opened: Opened) -> None:
    book = opened.folder / "opened" / "export-times.xlsx"
    created = _column(book, "Created Time")
    original = _run("scan", str(EXAMPLE), *AS_OF, "--format", "csv").stdout
    if opened.locale == "en-US":
        # Month-first: 01/10/2023 became 10 January, 29/09/2023 stayed text.
        assert {c.data_type for c in created} == {"d", "s"}
    else:
        assert {c.data_type for c in created} == {"d"}
    # As XLSX (date cells beside text) and as CSV (`01/10/23 12:55 AM` beside `29/09/2023 ...`).
    for resaved in (book, opened.folder / "resaved" / "export-times.csv"):
        result = _run("scan", str(resaved), *AS_OF, "--format", "csv")
        if opened.locale == "en-US":
            assert result.exit_code == 2 and result.stdout == "", resaved
            assert "month-first" in result.stderr and "Created Time" in result.stderr
        else:
            assert result.exit_code == 0 and result.stdout == original, resaved


def test_an_export_opened_in_the_wrong_character_set_is_named(tmp_path: Path) -> None:
    # Character set 1 is Windows-1252: the UTF-8 mark becomes `ï»¿` before "Order ID".
    (book,) = convert([EXAMPLE], "xlsx", tmp_path / "opened", "en-US", "CSV:44,34,1,1")
    result = _run("scan", str(book), *AS_OF)
    assert result.exit_code == 2
    assert "ï»¿" in result.stderr and "character set" in result.stderr
    assert "missing column" not in result.stderr
