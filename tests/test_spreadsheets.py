"""Reports made for a spreadsheet, and exports that came back from one (without LibreOffice:
tests/test_libreoffice.py opens the same files in a real one)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from conftest import EXAMPLE, ROOT
from exportkit import csv_bytes, line, write_csv, write_xlsx
from tiktok_transition.cli.main import app

AS_OF = ["--as-of", "2023-10-20 09:00"]
runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _excel_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_plain_csv_is_unchanged_byte_for_byte() -> None:
    result = run("scan", str(EXAMPLE), *AS_OF, "--format", "csv")
    assert result.stdout == (ROOT / "tests" / "golden" / "example-scan.csv").read_text()


def test_excel_csv_writes_ids_as_seller_center_does_and_decimals_with_a_comma() -> None:
    plain = list(csv.DictReader(io.StringIO(run("scan", str(EXAMPLE), *AS_OF).stdout)))
    excel = _excel_rows(run("scan", str(EXAMPLE), *AS_OF, "--excel", "--format", "csv").stdout)
    assert [r["order_id"] for r in excel] == [r["order_id"] + "\t" for r in plain]
    assert [r["tracking_id"] for r in excel] == [
        r["tracking_id"] + "\t" if r["tracking_id"] else "" for r in plain
    ]
    assert {r["hours_left"] for r in excel} == {"399,0", ""}
    assert [r["order_amount"] for r in excel] == [r["order_amount"] for r in plain]
    assert [r["created_time"] for r in excel] == [r["created_time"] for r in plain]


def test_excel_csv_of_other_commands() -> None:
    catalog = _excel_rows(run("catalog", str(EXAMPLE), *AS_OF, "--excel", "--format", "csv").stdout)
    assert catalog and all(r["seller_sku"].endswith("\t") for r in catalog)
    assert "'=Casing HP Bening Anti Crack" in {r["product_name"] for r in catalog}
    plan = run("plan", str(EXAMPLE), *AS_OF, "--capacity", "5", "--excel", "--format", "csv")
    assert all(r["order_id"].endswith("\t") for r in _excel_rows(plan.stdout))
    timeline = _excel_rows(run("timeline", *AS_OF, "--excel", "--format", "csv").stdout)
    assert "," in timeline[0]["hours_from_as_of"] and "." not in timeline[0]["hours_from_as_of"]


def test_excel_csv_quotes_an_id_that_needs_it(tmp_path: Path) -> None:
    export = write_csv(tmp_path / "e.csv", [line(Seller_SKU='SKU;"7"')])
    result = run("catalog", str(export), *AS_OF, "--excel", "--format", "csv")
    assert '"SKU;""7""\t"' in result.stdout
    assert _excel_rows(result.stdout)[0]["seller_sku"] == 'SKU;"7"\t'


def test_xlsx_stores_text_as_written(tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "catalog.xlsx"
    assert run("catalog", str(EXAMPLE), *AS_OF, "-o", str(target)).exit_code == 0
    sheet = openpyxl.load_workbook(target).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    names = [row[header.index("product_name")] for row in sheet.iter_rows(min_row=2)]
    assert "=Casing HP Bening Anti Crack" in [cell.value for cell in names]
    assert all(cell.data_type == "s" for cell in names)
    assert not any(str(cell.value).startswith("'") for cell in names)


def test_xlsx_of_plain_records_stores_text_as_written() -> None:
    import openpyxl

    from tiktok_transition.output.formats import Format
    from tiktok_transition.output.writers import Records, write_rows

    stream = io.BytesIO()
    write_rows(Records([{"title": "=SUM(A1)", "n": 2}], ["title", "n"]), Format.XLSX, stream)
    sheet = openpyxl.load_workbook(io.BytesIO(stream.getvalue())).worksheets[0]
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=SUM(A1)", "s")
    assert sheet["B2"].value == 2


# --- exports a spreadsheet saved again -------------------------------------------------------


def test_error_codes_in_a_csv_are_a_warning_naming_column_and_count(tmp_path: Path) -> None:
    rows = [line(str(576461413038785984 + i), Product_Name="Err:509") for i in range(3)]
    rows.append(line("576461413038785999", Product_Name="#NAME?"))
    rows.append(line("576461413038786000", Product_Name="#Hashtag Hijab"))
    result = run("catalog", str(write_csv(tmp_path / "e.csv", rows)), *AS_OF, "--format", "csv")
    assert result.exit_code == 0
    assert "4 cell(s) of 'Product Name'" in result.stderr and "Err:509" in result.stderr


def test_error_codes_in_word_and_id_columns_are_counted_per_cell_in_column_order(
    tmp_path: Path,
) -> None:
    # Word columns are counted on their distinct words: each word's cells must still count,
    # a word with its tab trimmed is the same code, and the warnings keep the header's order.
    rows = [line(str(576461413038785984 + i), Shipping_Provider_Name="#N/A") for i in range(3)]
    rows.append(line("576461413038785990", Shipping_Provider_Name="#N/A\t"))
    rows.append(line("576461413038785991", Shipping_Provider_Name="#Kurir"))
    rows.append(line("576461413038785992", Tracking_ID="#REF!"))
    rows.append(line("576461413038785993", Order_Status="Err:502"))
    result = run("scan", str(write_csv(tmp_path / "e.csv", rows)), *AS_OF, "--format", "csv")
    assert result.exit_code == 0
    warned = [row for row in result.stderr.splitlines() if "cell(s) of" in row]
    assert [w.split("cell(s) of ")[1].split("'")[1] for w in warned] == [
        "Order Status", "Shipping Provider Name", "Tracking ID",
    ]  # fmt: skip
    assert "1 cell(s) of 'Order Status'" in warned[0]
    assert "4 cell(s) of 'Shipping Provider Name'" in warned[1]
    assert "1 cell(s) of 'Tracking ID'" in warned[2]


def test_formula_and_error_cells_of_an_xlsx_are_a_warning(tmp_path: Path) -> None:
    rows = [
        line("576461413038785984", Product_Name="=1+1"),  # a formula cell
        line("576461413038785985", Product_Name="#VALUE!"),  # an error cell
        line("576461413038785986"),
    ]
    result = run("catalog", str(write_xlsx(tmp_path / "e.xlsx", rows)), *AS_OF)
    assert result.exit_code == 0
    assert "2 cell(s) of 'Product Name'" in result.stderr
    assert "e.xlsx" in result.stderr


def test_an_export_without_spreadsheet_traces_gets_no_such_warning(tmp_path: Path) -> None:
    result = run("catalog", str(EXAMPLE), *AS_OF, "--format", "csv")
    assert "formula" not in result.stderr
    rows = [line(Product_Name="=Casing")]
    assert "formula" not in run("catalog", str(write_csv(tmp_path / "e.csv", rows)), *AS_OF).stderr


def _typed(row: dict[str, str], column: str) -> dict[str, Any]:
    copy: dict[str, Any] = dict(row)
    copy[column] = datetime.strptime(row[column].strip(), "%d/%m/%Y %H:%M:%S")
    return copy


def test_date_cells_mixed_with_day_first_text_are_refused(tmp_path: Path) -> None:
    # Month-first: 01/10/2023 became 10 January; 29/09/2023 could not, and stayed text.
    early = line("576461413038785984", Created_Time="01/10/2023 10:00:00")
    typed = _typed(early, "Created Time")
    typed["Created Time"] = typed["Created Time"].replace(month=1, day=10)
    late = line("576461413038785985", Created_Time="29/09/2023 18:55:00")
    export = write_xlsx(tmp_path / "e.xlsx", [typed, late])
    target = tmp_path / "r.csv"
    result = run("scan", str(export), *AS_OF, "-o", str(target))
    assert result.exit_code == 2 and not target.exists()
    assert "'Created Time'" in result.stderr and "month-first" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_date_cells_that_contradict_the_text_of_other_columns_are_refused(tmp_path: Path) -> None:
    row = line(Created_Time="01/10/2023 10:00:00", Paid_Time="01/10/2023 10:15:00")
    typed = _typed(row, "Created Time")
    typed["Created Time"] = typed["Created Time"].replace(month=1, day=10)  # read month-first
    result = run("scan", str(write_xlsx(tmp_path / "e.xlsx", [typed])), *AS_OF)
    assert result.exit_code == 2 and "month-first" in result.stderr


def test_date_cells_that_agree_with_the_text_are_read(tmp_path: Path) -> None:
    row = _typed(line(Created_Time="01/10/2023 10:00:00"), "Created Time")
    result = run("scan", str(write_xlsx(tmp_path / "e.xlsx", [row])), *AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"created_time": "2023-10-01T10:00:00+07:00"' in result.stdout


def test_a_header_with_a_misdecoded_bom_names_the_character_set(tmp_path: Path) -> None:
    data = csv_bytes([line()], bom=False)
    export = tmp_path / "e.csv"
    export.write_bytes("\ufeff".encode().decode("cp1252").encode("utf-8") + data)
    result = run("scan", str(export), *AS_OF)
    assert result.exit_code == 2
    assert "ï»¿" in result.stderr and "character set" in result.stderr
    assert "missing column" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_csv_mixing_month_first_times_with_day_first_text_is_refused(tmp_path: Path) -> None:
    # What LibreOffice en-US writes back: the times it took for dates in its own layout.
    rows = [
        line("576461413038785984", Created_Time="01/10/23 12:55 AM"),
        line("576461413038785985", Created_Time="29/09/2023 18:55:00"),
    ]
    result = run("scan", str(write_csv(tmp_path / "e.csv", rows, tabs=False)), *AS_OF)
    assert result.exit_code == 2 and "month-first" in result.stderr


def test_a_csv_in_the_us_layout_alone_is_still_read(tmp_path: Path) -> None:
    rows = [line(Created_Time="10/01/2023 10:00:00 AM", Paid_Time="10/01/2023 10:15:00 AM")]
    result = run("scan", str(write_csv(tmp_path / "e.csv", rows)), *AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"created_time": "2023-10-01T10:00:00+07:00"' in result.stdout
