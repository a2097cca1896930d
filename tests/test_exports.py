"""The reader on exports written the way Seller Center (and spreadsheets) write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLE, SAMPLES
from exportkit import LAYOUT_53, LAYOUT_65, csv_bytes, line, write_csv, write_xlsx
from tiktok_transition.errors import ExportError, UsageError
from tiktok_transition.reader.files import read_exports
from tiktok_transition.reader.layout import (
    PRODUCT_FIELDS,
    TRIAGE_FIELDS,
    ReadOptions,
    parse_column_overrides,
)

OPTIONS = ReadOptions(fields=(*TRIAGE_FIELDS, *PRODUCT_FIELDS))


def read(*paths: Path, options: ReadOptions = OPTIONS):  # type: ignore[no-untyped-def]
    return read_exports([str(p) for p in paths], options).frame


def test_trailing_tabs_and_bom_are_trimmed_and_ids_stay_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [line("576461413038785984", Paid_Time="")])
    frame = read(path)
    assert frame.loc[0, "order_id"] == "576461413038785984"
    assert frame.loc[0, "sku_id"] == "1729384756102938475"
    assert str(frame.loc[0, "created_time"]) == "2023-10-01 10:00:00+07:00"
    assert frame["paid_time"].isna().all()  # a lone tab is an empty time


def test_quoted_names_with_commas_quotes_newlines_emoji_and_formulas(tmp_path: Path) -> None:
    names = ['Gamis "Aisyah", Premium', "Baris satu\nbaris dua", "Serum 🌿 20ml", "=SUM(A1)"]
    rows = [line(str(576461413038785984 + i), Product_Name=n) for i, n in enumerate(names)]
    frame = read(write_csv(tmp_path / "e.csv", rows))
    assert list(frame["product_name"]) == names


@pytest.mark.parametrize("layout", [LAYOUT_53, LAYOUT_65, list(reversed(LAYOUT_65))])
def test_columns_are_found_by_name_in_any_layout(tmp_path: Path, layout: list[str]) -> None:
    path = write_csv(tmp_path / "e.csv", [line(Order_Amount="189950")], layout=[*layout, "New Col"])
    frame = read(path)
    assert frame.loc[0, "order_amount"] == 189950


def test_xlsx_with_a_description_row_reads_like_the_csv(tmp_path: Path) -> None:
    rows = [line("576461413038785984"), line("576461413038785985", Quantity="3")]
    from_csv = read(write_csv(tmp_path / "e.csv", rows, layout=LAYOUT_65))
    for description in ("en", "id", None):
        from_xlsx = read(
            write_xlsx(tmp_path / f"e-{description}.xlsx", rows, description=description)
        )
        assert from_xlsx.drop(columns="source").equals(from_csv.drop(columns="source"))


def test_xlsx_cells_typed_by_excel_are_normalized(tmp_path: Path) -> None:
    from datetime import datetime

    row: dict[str, object] = dict(line("576461413038785984"))
    row.update(
        {"Quantity": 2, "Order Amount": 189950.0, "Created Time": datetime(2023, 10, 1, 10, 0)}
    )
    frame = read(write_xlsx(tmp_path / "e.xlsx", [row]))
    assert frame.loc[0, "quantity"] == 2
    assert frame.loc[0, "order_amount"] == 189950
    assert str(frame.loc[0, "created_time"]) == "2023-10-01 10:00:00+07:00"


def test_ids_destroyed_by_a_spreadsheet_are_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [line("5.76461E+17"), line("5.76461E+17")], tabs=False)
    with pytest.raises(ExportError) as caught:
        read(path)
    assert "5.76461E+17" in str(caught.value) and "Seller Center" in str(caught.value)


def test_excel_stored_ids_as_numbers_are_refused(tmp_path: Path) -> None:
    row: dict[str, object] = dict(line())
    row["Order ID"] = 576461413038785984  # Excel keeps 15 digits
    with pytest.raises(ExportError, match="Order ID"):
        read(write_xlsx(tmp_path / "e.xlsx", [row]))


def test_not_an_export_names_missing_and_found_columns(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Quantity,Budi Santoso,0812\n1,x,y\n")
    with pytest.raises(ExportError) as caught:
        read(path)
    message = str(caught.value)
    assert "Order ID" in message and "Quantity" in message
    assert "Budi" not in message and "0812" not in message  # unknown headers are only counted


def test_header_without_rows_and_an_empty_file_are_errors(tmp_path: Path) -> None:
    # Issue #14: no order at all is not a clean report of nothing.
    with pytest.raises(ExportError, match="no row under the header"):
        read(write_csv(tmp_path / "h.csv", []))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ExportError, match="empty"):
        read(empty)


def test_identical_lines_in_overlapping_exports_count_once(tmp_path: Path) -> None:
    rows = [line("576461413038785984"), line("576461413038785985")]
    first = write_csv(tmp_path / "a.csv", rows)
    second = write_csv(tmp_path / "b.csv", [*rows[1:], line("576461413038785986")])
    frame = read(first, second)
    assert sorted(frame["order_id"]) == [
        "576461413038785984",
        "576461413038785985",
        "576461413038785986",
    ]


def test_a_line_written_twice_in_one_export_counts_once_wherever_it_lies(
    tmp_path: Path,
) -> None:
    a, b = "576461413038785984", "576461413038785985"
    sku_a = line(a, SKU_ID="1729384756", Quantity="2")
    sku_b = line(a, SKU_ID="1729384757", Quantity="1")
    other = line(b, SKU_ID="1729384756", Quantity="5")
    changed = line(a, SKU_ID="1729384756", Quantity="3")  # same pair, not the same line
    cases = {
        "together, repeated apart": ([sku_a, sku_b, sku_a, other], [a, a, b], 3),
        "together, repeated beside": ([other, sku_a, sku_a, sku_b], [b, a, a], 3),
        "scattered": ([sku_a, other, sku_b, sku_a], [a, b, a], 3),
        "same pair, another quantity": ([sku_a, changed, other], [a, a, b], 3),
    }
    for name, (rows, ids, count) in cases.items():
        frame = read(write_csv(tmp_path / "x.csv", rows))
        assert list(frame["order_id"]) == ids, name
        assert len(frame) == count, name


def test_the_export_with_the_newest_evidence_wins(tmp_path: Path) -> None:
    old = write_csv(tmp_path / "old.csv", [line("576461413038785984")])
    shipped = line(
        "576461413038785984",
        Order_Status="Dikirim",
        Order_Substatus="Sedang transit",
        Shipped_Time="03/10/2023 09:00:00",
    )
    new = write_csv(tmp_path / "new.csv", [shipped])
    for order in ((old, new), (new, old)):
        frame = read(*order)
        assert len(frame) == 1
        assert frame.loc[0, "status"] == "Dikirim"


@pytest.mark.samples
def test_the_samples_written_outside_the_project_merge_by_order() -> None:
    frame = read(SAMPLES / "orders-1.csv", SAMPLES / "orders-2.csv")
    single = read(SAMPLES / "orders-2.csv")
    assert frame["order_id"].nunique() >= single["order_id"].nunique()
    assert not frame.duplicated(["order_id", "sku_id"]).any()


def test_column_overrides_are_validated() -> None:
    assert parse_column_overrides(["order id=No. Pesanan"]) == {"Order ID": "No. Pesanan"}
    with pytest.raises(UsageError, match="Order Number"):
        parse_column_overrides(["Order Number=No"])
    with pytest.raises(UsageError):
        parse_column_overrides(["Order ID"])


def test_column_override_reads_a_renamed_header(tmp_path: Path) -> None:
    layout = ["No. Pesanan" if c == "Order ID" else c for c in LAYOUT_53]
    rows = [{("No. Pesanan" if k == "Order ID" else k): v for k, v in line().items()}]
    path = write_csv(tmp_path / "e.csv", rows, layout=layout)
    options = ReadOptions(fields=TRIAGE_FIELDS, overrides={"Order ID": "No. Pesanan"})
    assert read(path, options=options).loc[0, "order_id"] == "576461413038785984"


def test_the_example_export_reads_60_orders() -> None:
    assert read(EXAMPLE)["order_id"].nunique() == 60


def test_an_export_with_only_the_required_columns_reads(tmp_path: Path) -> None:
    # Found by the fuzzer: a missing optional time column was read from the file anyway.
    path = tmp_path / "minimal.csv"
    path.write_text("Order ID,Order Status,Created Time\n1001,Selesai,01/10/2023 10:00:00\n")
    frame = read(path)
    assert frame.loc[0, "order_id"] == "1001" and frame["paid_time"].isna().all()
    path.write_text("Order ID,Order Status,Created Time\n")
    with pytest.raises(ExportError, match="no row under the header"):
        read(path)


def test_old_mac_line_endings_and_blank_lines_before_the_header(tmp_path: Path) -> None:
    # Found by the fuzzer: a lone \r made the header parser raise csv.Error.
    text = "\r\n\r\nOrder ID,Order Status,Created Time\r1001,Selesai,01/10/2023 10:00:00\r"
    path = tmp_path / "mac.csv"
    path.write_text(text, newline="")
    frame = read(path)
    assert list(frame["order_id"]) == ["1001"] and list(frame["status"]) == ["Selesai"]


def test_a_header_cell_with_a_newline_in_quotes(tmp_path: Path) -> None:
    text = 'Order ID,"Order\nStatus",Created Time\n1001,Selesai,01/10/2023 10:00:00\n'
    path = tmp_path / "e.csv"
    path.write_text(text, newline="")
    assert list(read(path)["status"]) == ["Selesai"]  # "Order\nStatus" folds to "Order Status"


def test_two_fields_may_come_from_one_column(tmp_path: Path) -> None:
    # Found by the fuzzer: --column pointing two fields at one header crashed on a KeyError.
    path = write_csv(tmp_path / "e.csv", [line(Order_Status="Selesai")])
    options = ReadOptions(fields=TRIAGE_FIELDS, overrides={"Order Substatus": "Order Status"})
    frame = read(path, options=options)
    assert frame.loc[0, "status"] == frame.loc[0, "substatus"] == "Selesai"


def test_a_row_with_the_wrong_number_of_fields_is_named(tmp_path: Path) -> None:
    rows = [line(str(576461413038785984 + i)) for i in range(5)]
    data = csv_bytes(rows)
    lines = data.split(b"\r\n")
    lines[4] = lines[4] + b",extra"  # the 4th data line: row 5 with the header
    path = tmp_path / "e.csv"
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(ExportError) as caught:
        read(path)
    assert caught.value.key == "error.csv_bad_row" and caught.value.params["row"] == 5


def test_a_malformed_row_in_non_utf8_text_is_an_error_not_noise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by the fuzzer: pyarrow could not hand such a row to Python and printed
    # "Exception ignored in ..." with a traceback on standard error.
    rows = [line(str(576461413038785984 + i)) for i in range(1500)]
    data = csv_bytes(rows, encoding="cp1252") + "9,Caf\u00e9,x\r\n".encode("cp1252")
    path = tmp_path / "e.csv"
    path.write_bytes(data)
    with pytest.raises(ExportError) as caught:
        read(path)
    assert caught.value.key == "error.csv_bad_row" and caught.value.params["row"] == 1502
    assert capsys.readouterr().err == ""


def test_amounts_too_large_to_be_rupiah_are_refused_by_row(tmp_path: Path) -> None:
    # Found by the fuzzer: 20 digits overflowed the int64 cast.
    rows = [line(), line("576461413038785985", Order_Amount="99999999999999999999")]
    with pytest.raises(ExportError) as caught:
        read(write_csv(tmp_path / "e.csv", rows))
    assert caught.value.key == "error.bad_money_at"
    assert caught.value.params == {"file": "e.csv", "column": "Order Amount", "row": 3}


def test_an_unexpected_parser_failure_names_the_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tiktok_transition.reader import csv as csv_reader

    def explode(*_args: object) -> None:
        raise ValueError("Jl. Canary No. 7731 could not be parsed")

    monkeypatch.setattr(csv_reader, "read_csv", explode)
    with pytest.raises(ExportError) as caught:
        read(write_csv(tmp_path / "e.csv", [line()]))
    assert caught.value.key == "error.unreadable"
    assert str(caught.value) == "e.csv cannot be read as an order export."


def test_progress_is_reported_up_to_the_whole_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [line(str(576461413038785984 + i)) for i in range(50)])
    seen: list[tuple[int, int]] = []
    options = ReadOptions(
        fields=TRIAGE_FIELDS, progress=lambda done, total: seen.append((done, total))
    )
    assert len(read(path, options=options)) == 50
    size = path.stat().st_size  # read straight from the file, BOM included
    assert seen and seen[-1] == (size, size)
