"""Every export a seller really has: the same orders in every form a file takes on its way
from Seller Center through a spreadsheet, read through the CLI like a seller runs it.

Each form must give exactly what the clean CSV gives; every broken file gets one sentence that
names the file, exit 2, no traceback and no output file.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import AS_OF, SAMPLES, run
from exportkit import (
    CANARY,
    LAYOUT_53,
    LAYOUT_65,
    csv_bytes,
    excel_typed,
    line,
    sheet_dimension,
    spreadsheet_resave,
    stale_dimension,
    write_csv,
    write_xlsx,
)
from tiktok_transition.core.flags import STATUS_WORDS, Stage, stage_of
from tiktok_transition.errors import ExportError
from tiktok_transition.reader import files as reader
from tiktok_transition.reader import xlsx as xlsx_reader
from tiktok_transition.reader.layout import PII_FIELDS, PRODUCT_FIELDS, TRIAGE_FIELDS, ReadOptions

ALL_FIELDS = ReadOptions(fields=(*TRIAGE_FIELDS, *PRODUCT_FIELDS, *PII_FIELDS))


def scan_csv(*paths: Path | str, input: bytes | None = None) -> str:
    result = run("scan", *map(str, paths), *AS_OF, "--format", "csv", input=input)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def scan_rows(*paths: Path | str, input: bytes | None = None) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(scan_csv(*paths, input=input))))


def refused(*args: str, output: Path, input: bytes | None = None) -> str:
    """Run a command that must fail on its input: exit 2, a short message, nothing written."""
    result = run(*args, *AS_OF, "-o", str(output), input=input)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    message = str(result.stderr)
    assert "Traceback" not in message and 1 <= len(message.strip().splitlines()) <= 3, message
    assert not output.exists() and result.stdout == ""
    for value in CANARY.values():
        assert value not in message
    return message


# --- the same orders in every form -------------------------------------------------------------

NAME = "Kerudung Café ‘Premium’, 2 warna"  # noqa: RUF001 -- cp1252 has these quotes, latin-1 not


def orders() -> list[dict[str, str]]:
    """One order of each kind the triage tells apart, times on whole minutes (a spreadsheet
    drops the seconds), amounts from 0 to millions."""
    paid = {"Paid_Time": "01/10/2023 10:05:00"}
    return [
        line("576461413038785901", Order_Amount="189950", **paid),
        line(
            "576461413038785902",
            Order_Substatus="Menunggu pengambilan",
            RTS_Time="02/10/2023 09:00:00",
            Tracking_ID="JX1234567890",
            Quantity="2",
            Order_Amount="1250000",
            **{"SKU ID": "1729384756102938475", "SKU Subtotal After Discount": "700000"},
        ),
        line(
            "576461413038785902",
            Order_Substatus="Menunggu pengambilan",
            RTS_Time="02/10/2023 09:00:00",
            Tracking_ID="JX1234567890",
            Quantity="3",
            Order_Amount="1250000",
            **{"SKU ID": "1729384756102938476", "SKU Subtotal After Discount": "550000"},
        ),
        line(
            "576461413038785903",
            Order_Status="Dikirim",
            Order_Substatus="Sedang transit",
            Shipped_Time="03/10/2023 09:00:00",
            Order_Amount="1500",
        ),
        line("576461413038785904", Order_Status="Selesai", Order_Substatus="", Order_Amount="999"),
        line(
            "576461413038785905",
            Order_Status="Dibatalkan",
            Order_Substatus="",
            Cancelled_Time="02/10/2023 11:00:00",
            Order_Amount="0",
        ),
        line("576461413038785906", Order_Status="Belum dibayar", Order_Substatus="", Paid_Time=""),
        line("576461413038785907", Paid_Time="", Payment_Method="Bayar di tempat"),
        line(
            "576461413038785908",
            Order_Status="To ship",
            Order_Substatus="Awaiting collection",
            Order_Amount="12000000",
            **{"Normal or Pre-order": "Pre-order"},
        ),
        line("576461413038785909", Order_Status="Sedang diproses gudang", Order_Substatus=""),
        line(
            "576461413038785910",
            Created_Time="05/10/2023 10:00:00",
            Paid_Time="05/10/2023 10:01:00",
        ),
    ]


def with_name(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{**row, "Product Name": NAME} for row in rows]


def every_form(folder: Path) -> dict[str, Path]:
    rows = with_name(orders())
    forms = {
        "clean.csv": csv_bytes(rows),
        "resaved-id.csv": csv_bytes(spreadsheet_resave(rows), delimiter=";", bom=False, tabs=False),
        "unicode-text.txt": csv_bytes(rows, delimiter="\t", encoding="utf-16", tabs=False),
        "windows.csv": csv_bytes(rows, encoding="cp1252"),
    }
    paths = {}
    for name, data in forms.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    described = write_xlsx(folder / "described.xlsx", rows, description="id")
    paths["described.xlsx"] = stale_dimension(described)
    typed = write_xlsx(folder / "typed.xlsx", excel_typed(rows), description="en")
    paths["typed.xlsx"] = stale_dimension(typed)
    return paths


def test_the_forms_are_really_what_they_claim(tmp_path: Path) -> None:
    paths = every_form(tmp_path)
    resaved = paths["resaved-id.csv"].read_bytes()
    assert not resaved.startswith(b"\xef\xbb\xbf") and b";" in resaved.split(b"\r\n")[0]
    assert b"189.950" in resaved and b"Rp 1.250.000" in resaved and b"01/10/2023 10:05;" in resaved
    assert b"0,4" in resaved
    assert paths["unicode-text.txt"].read_bytes().startswith(b"\xff\xfe")
    with pytest.raises(UnicodeDecodeError):
        paths["windows.csv"].read_bytes().decode("utf-8")
    for name in ("described.xlsx", "typed.xlsx"):
        assert sheet_dimension(paths[name]) == "A1:A1"


def test_every_form_gives_the_same_scan_as_the_clean_csv(tmp_path: Path) -> None:
    paths = every_form(tmp_path)
    expected = scan_csv(paths.pop("clean.csv"))
    rows = list(csv.DictReader(io.StringIO(expected)))
    assert {r["flag"] for r in rows} == {
        "awaiting_pickup", "to_ship", "handed_over", "cancelled", "unpaid",
    }  # fmt: skip
    assert {r["order_id"]: r["order_amount"] for r in rows}["576461413038785908"] == "12000000"
    assert {r["order_id"]: r["units"] for r in rows}["576461413038785902"] == "5"
    assert any("unknown_status" in r["warnings"] for r in rows)
    for name, path in paths.items():
        assert scan_csv(path) == expected, name


def test_every_form_gives_the_same_summary(tmp_path: Path) -> None:
    paths = every_form(tmp_path)
    reports = {
        name: json.loads(run("summary", str(path), *AS_OF, "--format", "json").stdout)
        for name, path in paths.items()
    }
    assert reports["clean.csv"]["by_flag"]["awaiting_pickup"]["amount"] == 13250000
    for name, report in reports.items():
        assert report == reports["clean.csv"], name


def test_every_form_reads_to_the_same_lines_with_products_and_pii(tmp_path: Path) -> None:
    paths = every_form(tmp_path)
    frames = {
        name: reader.read_exports([str(path)], ALL_FIELDS).frame for name, path in paths.items()
    }
    clean = frames.pop("clean.csv")
    assert set(clean["product_name"]) == {NAME} and clean.loc[0, "zipcode"] == "60261"
    for name, frame in frames.items():
        assert frame.equals(clean), name


def test_the_openpyxl_fallback_reads_every_xlsx_form_like_calamine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = {n: p for n, p in every_form(tmp_path).items() if n.endswith(".xlsx")}
    for path in paths.values():
        assert len(xlsx_reader.xlsx_rows_calamine(path.read_bytes())) == 13  # no silent fallback
    by_calamine = {n: reader.read_exports([str(p)], ALL_FIELDS).frame for n, p in paths.items()}
    calls: list[bytes] = []

    def broken(data: bytes) -> list[list[Any]]:
        calls.append(data)
        raise RuntimeError("calamine cannot read this file")

    monkeypatch.setattr(xlsx_reader, "xlsx_rows_calamine", broken)
    for name, path in paths.items():
        assert reader.read_exports([str(path)], ALL_FIELDS).frame.equals(by_calamine[name])
    assert len(calls) == len(paths)
    assert scan_csv(paths["typed.xlsx"]) == scan_csv(tmp_path / "clean.csv")


def test_a_panic_in_calamine_falls_back_to_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class PanicException(BaseException):  # what pyo3 raises when Rust code panics
        pass

    def panics(_data: bytes) -> list[list[Any]]:
        raise PanicException("index out of bounds")

    path = stale_dimension(write_xlsx(tmp_path / "e.xlsx", [line()]))
    monkeypatch.setattr(xlsx_reader, "xlsx_rows_calamine", panics)
    assert reader.read_exports([str(path)], ALL_FIELDS).frame.loc[0, "order_id"] == (
        "576461413038785984"
    )


def test_both_xlsx_readers_see_past_a_stale_dimension_to_column_bm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Creator Handle" is column 65 (BM) of the later layout; put a required column there too.
    layout = [c for c in LAYOUT_65 if c != "Order Status"] + ["Order Status"]
    rows = [line(str(576461413038785984 + i), Order_Status="Selesai") for i in range(58)]
    path = stale_dimension(write_xlsx(tmp_path / "e.xlsx", rows, layout=layout, description="en"))
    assert sheet_dimension(path) == "A1:A1" and len(layout) == 65
    cells = xlsx_reader.xlsx_rows_calamine(path.read_bytes())  # calamine itself, no fallback
    assert len(cells) == 60 and len(cells[0]) == 65 and cells[59][64] == "Selesai"
    frame = reader.read_exports([str(path)], ALL_FIELDS).frame
    assert len(frame) == 58 and set(frame["status"]) == {"Selesai"}  # rows 3-60, up to BM60
    monkeypatch.setattr(xlsx_reader, "xlsx_rows_calamine", lambda _data: 1 / 0)
    assert reader.read_exports([str(path)], ALL_FIELDS).frame.equals(frame)


def test_excel_typed_cells_become_the_csv_text(tmp_path: Path) -> None:
    from datetime import datetime

    row: dict[str, Any] = dict(line("123456789012345"))  # 15 digits survive as a number
    row.update(
        {
            "Order ID": 123456789012345,
            "Quantity": 2.0,
            "Order Amount": 189950.00000000003,  # a float sum Excel left behind
            "SKU Unit Original Price": 35000,
            "Created Time": datetime(2023, 10, 1, 10, 4, 59, 999_600),  # 10:05 as a day fraction
            "Paid Time": datetime(2023, 10, 1, 10, 5, 0, 400_000),
            "Zipcode": 60261,
        }
    )
    frame = reader.read_exports(
        [str(write_xlsx(tmp_path / "e.xlsx", [row], description=None))], ALL_FIELDS
    ).frame
    assert frame.loc[0, "order_id"] == "123456789012345"
    assert frame.loc[0, "quantity"] == 2 and frame.loc[0, "order_amount"] == 189950
    assert frame.loc[0, "unit_price"] == 35000 and frame.loc[0, "zipcode"] == "60261"
    assert str(frame.loc[0, "created_time"]) == "2023-10-01 10:05:00+07:00"
    assert str(frame.loc[0, "paid_time"]) == "2023-10-01 10:05:00+07:00"


# --- status words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "stage"),
    [
        ("Perlu dikirim", Stage.TO_SHIP),
        ("Menunggu pengiriman", Stage.AWAITING_SHIPMENT),
        ("Menunggu pengambilan", Stage.AWAITING_COLLECTION),
        ("Dikirim", Stage.HANDED_OVER),
        ("Sedang transit", Stage.HANDED_OVER),
        ("Terkirim", Stage.HANDED_OVER),
        ("Selesai", Stage.HANDED_OVER),
        ("Belum dibayar", Stage.UNPAID),
        ("Dibatalkan", Stage.CANCELLED),
        ("AWAITING_COLLECTION", Stage.AWAITING_COLLECTION),
        ("in_transit", Stage.HANDED_OVER),
    ],
)
def test_status_words_in_any_case_and_spacing(word: str, stage: Stage) -> None:
    for variant in (word, word.upper(), word.lower(), f"  {word.replace(' ', '   ')}\t"):
        assert stage_of(variant) == stage
    assert stage_of(word.replace(" ", "\u00a0")) == stage  # a spreadsheet's no-break space


def test_every_status_word_is_stored_folded() -> None:
    for word in STATUS_WORDS:
        assert word == " ".join(word.split()).casefold()


def test_indonesian_statuses_through_the_cli(tmp_path: Path) -> None:
    rows = [
        line("1001", Order_Status="PERLU DIKIRIM", Order_Substatus="menunggu  pengiriman"),
        line(
            "1002",
            Order_Status="Perlu dikirim",
            Order_Substatus="Menunggu Pengambilan",
            RTS_Time="02/10/2023 09:00:00",
        ),
        line("1003", Order_Status="Dikirim", Order_Substatus="Sedang transit"),
        line("1004", Order_Status="Selesai", Order_Substatus="Selesai"),
        line("1005", Order_Status="Dibatalkan", Order_Substatus=""),
        line("1006", Order_Status="Belum dibayar", Order_Substatus="", Paid_Time=""),
        line("1007", Order_Status="Ditahan", Order_Substatus="", RTS_Time="02/10/2023 09:00:00"),
    ]
    result = {r["order_id"]: r for r in scan_rows(write_csv(tmp_path / "e.csv", rows))}
    assert {k: v["flag"] for k, v in result.items()} == {
        "1001": "to_ship",
        "1002": "awaiting_pickup",
        "1003": "handed_over",
        "1004": "handed_over",
        "1005": "cancelled",
        "1006": "unpaid",
        "1007": "awaiting_pickup",  # unknown word: judged by its RTS Time
    }
    assert [k for k, v in result.items() if v["warnings"]] == ["1007"]
    assert result["1007"]["warnings"] == "unknown_status"


@pytest.mark.samples
def test_the_samples_statuses_are_all_known() -> None:
    rows = scan_rows(SAMPLES / "orders-1.csv", SAMPLES / "orders-2.csv")
    assert rows and not any("unknown_status" in r["warnings"] for r in rows)


# --- a CSV re-saved by a spreadsheet in an Indonesian locale ---------------------------------


@pytest.mark.parametrize(
    "amount", ["189950", "189.950", "Rp 189.950", "IDR 189,950", "189950.0", "189.950,00"]
)
def test_every_money_form_in_a_semicolon_file(tmp_path: Path, amount: str) -> None:
    row = line(Order_Amount=amount, **{"SKU Subtotal After Discount": amount})
    path = tmp_path / "e.csv"
    path.write_bytes(csv_bytes([row], delimiter=";", bom=False, tabs=False))
    record = scan_rows(path)[0]
    assert record["order_amount"] == "189950"


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("20/10/2023 9:05", "2023-10-20T09:05:00+07:00"),
        ("5/1/2023 9:05", "2023-01-05T09:05:00+07:00"),
        ("20/10/2023 09.05", "2023-10-20T09:05:00+07:00"),
        ("20/10/2023 09.05.30", "2023-10-20T09:05:30+07:00"),
        ("20-10-2023 09:05", "2023-10-20T09:05:00+07:00"),
        ("2023-10-20 09:05", "2023-10-20T09:05:00+07:00"),
        ("20/10/2023", "2023-10-20T00:00:00+07:00"),
        ("20/10/23 9:05", "2023-10-20T09:05:00+07:00"),  # not the year 23
        ("20/10/23 09:05:30", "2023-10-20T09:05:30+07:00"),
        ("10/20/2023 9:05:00 AM", "2023-10-20T09:05:00+07:00"),
        ("2023-10-20T02:05:00Z", "2023-10-20T09:05:00+07:00"),
    ],
)
def test_times_as_spreadsheets_write_them(tmp_path: Path, written: str, iso: str) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(csv_bytes([line(Paid_Time=written)], delimiter=";", bom=False, tabs=False))
    record = scan_rows(path)[0]
    assert record["paid_time"] == iso and record["warnings"] == ""


def test_a_time_without_its_year_is_not_guessed(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [line(Paid_Time="1"), line("1002", Paid_Time="10:05")])
    records = scan_rows(path)
    assert {r["paid_time"] for r in records} == {""}
    assert {r["warnings"] for r in records} == {"unparseable_time"}


# --- IDs destroyed by a spreadsheet ----------------------------------------------------------


def destroyed_csv(folder: Path, ids: list[str], column: str = "Order ID", **options: Any) -> Path:
    rows = [line(str(576461413038785984 + i)) for i in range(len(ids))]
    for row, value in zip(rows, ids, strict=True):
        row[column] = value
    path = folder / "resaved.csv"
    path.write_bytes(csv_bytes(rows, tabs=False, **options))
    return path


@pytest.mark.parametrize(
    ("ids", "options", "column"),
    [
        (["5.76461E+17", "5.76461E+17"], {}, "Order ID"),
        (["5,76461E+17", "5,76461E+17"], {"delimiter": ";", "bom": False}, "Order ID"),
        (["576461413038785984.0", "576461413038785985.0"], {}, "Order ID"),
        (["576461413038785000", "576461413038786000"], {"delimiter": ";"}, "Order ID"),
        (["1.72938E+18", "1.72938E+18"], {}, "SKU ID"),
    ],
)
def test_ids_destroyed_by_a_spreadsheet_are_refused_by_the_cli(
    tmp_path: Path, ids: list[str], options: dict[str, Any], column: str
) -> None:
    path = destroyed_csv(tmp_path, ids, column, **options)
    message = refused("scan", str(path), output=tmp_path / "out.csv")
    assert "resaved.csv" in message and f"'{column}'" in message
    assert "spreadsheet" in message and "Seller Center" in message and "Text" in message


def test_ids_stored_as_numbers_in_an_xlsx_are_refused(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [dict(line()), dict(line("576461413038785985"))]
    for row in rows:
        row["Order ID"] = int(row["Order ID"])
    path = write_xlsx(tmp_path / "resaved.xlsx", rows)
    message = refused("scan", str(path), output=tmp_path / "out.csv")
    assert "resaved.xlsx" in message and "5.76461E+17" in message


def test_destroyed_ids_are_refused_even_among_good_files(tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", [line()])
    bad = destroyed_csv(tmp_path, ["5.76461E+17", "5.76461E+17"])
    message = refused("scan", str(good), str(bad), output=tmp_path / "out.csv")
    assert "resaved.csv" in message and "good.csv" not in message


def test_one_real_id_ending_in_zeros_is_not_a_destroyed_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [line("576461413038785000"), line("576461413038785984")])
    assert {r["order_id"] for r in scan_rows(path)} == {"576461413038785000", "576461413038785984"}


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter"),
    [
        ("utf-8", True, ","),
        ("utf-8", False, ","),
        ("utf-16", True, "\t"),
        ("utf-16-be", False, "\t"),
        ("cp1252", False, ";"),
    ],
)
def test_encodings(tmp_path: Path, encoding: str, bom: bool, delimiter: str) -> None:
    rows = with_name([line()])
    data = csv_bytes(rows, encoding=encoding, bom=bom, delimiter=delimiter, tabs=False)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # big-endian, with its BOM
    path = tmp_path / "e.csv"
    path.write_bytes(data)
    frame = reader.read_exports([str(path)], ALL_FIELDS).frame
    assert frame.loc[0, "product_name"] == NAME


def test_non_utf8_text_late_in_the_file_is_read_as_cp1252(tmp_path: Path) -> None:
    rows = [line(str(576461413038785984 + i)) for i in range(1500)]  # past the 64 KiB start
    rows[-1]["Product Name"] = NAME
    path = tmp_path / "e.csv"
    path.write_bytes(csv_bytes(rows, encoding="cp1252"))
    assert path.stat().st_size > 65536
    frame = reader.read_exports([str(path)], ALL_FIELDS).frame
    assert frame["product_name"].iloc[-1] == NAME and len(frame) == 1500


@pytest.mark.parametrize(
    "data",
    [
        "Order ID,Order Status,Created Time\n1,\x81\x8d\x8f,x\n".encode("latin-1"),
        b"\xff\xfeO\x00r\x00d",  # UTF-16 cut in the middle of a character
    ],
)
def test_a_file_in_no_known_encoding_is_exit_2(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "weird.csv"
    path.write_bytes(data)
    message = refused("scan", str(path), output=tmp_path / "out.csv")
    assert "weird.csv" in message and "UTF-8" in message


# --- standard input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"encoding": "cp1252"},
        {"encoding": "utf-16", "delimiter": "\t", "tabs": False},
        {"delimiter": ";", "bom": False},
    ],
)
def test_stdin_in_other_encodings_and_dialects(tmp_path: Path, options: dict[str, Any]) -> None:
    rows = with_name(orders())
    expected = scan_csv(write_csv(tmp_path / "clean.csv", rows))
    assert scan_csv("-", input=csv_bytes(rows, **options)) == expected


def test_stdin_that_is_not_an_export_is_exit_2(tmp_path: Path) -> None:
    message = refused("scan", "-", output=tmp_path / "out.csv", input=b"\x00\x01\x02binary")
    assert "stdin" in message


# --- several exports -------------------------------------------------------------------------


def test_csv_and_xlsx_exports_merge_through_the_cli(tmp_path: Path) -> None:
    early = [line("576461413038785901"), line("576461413038785902")]
    later = [
        line("576461413038785902", Order_Status="Dikirim", Shipped_Time="03/10/2023 09:00:00"),
        line("576461413038785903"),
    ]
    first = write_csv(tmp_path / "september.csv", early)
    second = stale_dimension(write_xlsx(tmp_path / "october.xlsx", [early[0], *later]))
    for paths in ((first, second), (second, first)):
        rows = {r["order_id"]: r for r in scan_rows(*paths)}
        assert sorted(rows) == ["576461413038785901", "576461413038785902", "576461413038785903"]
        assert rows["576461413038785902"]["flag"] == "handed_over"
        assert rows["576461413038785901"]["lines"] == "1"  # the line in both files counts once


def test_a_header_only_export_merges_with_a_full_one(tmp_path: Path) -> None:
    empty = write_csv(tmp_path / "empty.csv", [])
    empty_xlsx = write_xlsx(tmp_path / "empty.xlsx", [])
    full = write_csv(tmp_path / "full.csv", [line()])
    assert len(scan_rows(empty, full, empty_xlsx)) == 1
    # Alone, an export without orders is exit 2 with the reason (issue #14).
    for alone in (empty, empty_xlsx):
        result = run("scan", str(alone), *AS_OF, "--format", "csv")
        assert result.exit_code == 2 and "no row under the header" in result.stderr


# --- the stale-export warning ----------------------------------------------------------------


def test_a_stale_export_is_warned_about_on_stderr(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [line(Paid_Time="18/10/2023 09:00:00")])
    fresh = run("scan", str(path), "--as-of", "2023-10-19 08:59", "--format", "csv")
    stale = run("scan", str(path), "--as-of", "2023-10-19 09:01", "--format", "csv")
    assert fresh.exit_code == stale.exit_code == 0
    assert fresh.stderr == ""  # 23 h 59 min after the newest time: fresh enough
    warning = stale.stderr.strip()
    assert len(warning.splitlines()) == 1 and "--as-of" in warning and "Seller Center" in warning
    assert stale.stdout.splitlines()[0] == fresh.stdout.splitlines()[0]
    quiet = run("scan", str(path), "--as-of", "2023-10-30 09:00", "--format", "csv", "--quiet")
    assert quiet.stderr == ""


# --- column overrides ------------------------------------------------------------------------


def renamed(folder: Path, names: dict[str, str]) -> Path:
    layout = [names.get(c, c) for c in LAYOUT_53]
    rows = [{names.get(k, k): v for k, v in line(Order_Amount="189950").items()}]
    return write_csv(folder / "renamed.csv", rows, layout=layout)


def test_column_overrides_through_the_cli(tmp_path: Path) -> None:
    names = {"Order ID": "No. Pesanan", "Order Status": "Status Pesanan", "Order Amount": "Total"}
    path = renamed(tmp_path, names)
    message = refused("scan", str(path), output=tmp_path / "out.csv")
    assert "Order ID" in message and "--column" in message
    result = run(
        "scan",
        str(path),
        *AS_OF,
        "--format",
        "csv",
        "--column",
        "Order ID=No. Pesanan",
        "--column",
        "order status = Status Pesanan",
        "--column",
        "Order Amount=Total",
    )
    assert result.exit_code == 0, result.stderr
    record = next(csv.DictReader(io.StringIO(result.stdout)))
    assert record["order_id"] == "576461413038785984" and record["order_amount"] == "189950"
    assert record["status"] == "Perlu dikirim"


@pytest.mark.parametrize(
    ("spec", "words"),
    [("Nomor Pesanan=No. Pesanan", "Known columns"), ("Order ID", "NAME=HEADER")],
)
def test_bad_column_overrides_are_exit_2(tmp_path: Path, spec: str, words: str) -> None:
    path = write_csv(tmp_path / "e.csv", [line()])
    message = refused("scan", str(path), "--column", spec, output=tmp_path / "out.csv")
    assert words in message


def test_two_fields_read_from_one_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [line(Order_Status="Selesai", Order_Substatus="")])
    result = run(
        "scan", str(path), *AS_OF, "--format", "csv", "--column", "Order Substatus=Order Status"
    )
    assert result.exit_code == 0, result.stderr
    record = next(csv.DictReader(io.StringIO(result.stdout)))
    assert record["status"] == record["substatus"] == "Selesai"


# --- every broken file gets a sentence -------------------------------------------------------


def broken_files(folder: Path) -> dict[str, tuple[bytes, str]]:
    """name -> (content, words the message must hold)."""
    good = csv_bytes([line(), line("576461413038785985")])
    xlsx = write_xlsx(folder / "source.xlsx", [line()]).read_bytes()
    header = good.split(b"\r\n")[0]
    ragged = good + b"576461413038785986,only,three\r\n"
    return {
        "empty.csv": (b"", "empty"),
        "blank.csv": (b"\r\n\r\n  \r\n", "empty"),
        "unclosed.csv": (header + b'\r\n"576461413038785984,Perlu dikirim,' + b"x" * 20, "row 2"),
        "ragged.csv": (ragged, "row 4"),
        "cut.xlsx": (xlsx[: len(xlsx) // 2], "XLSX"),
        "old.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xlsx"),
        "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "binary"),
        "money.csv": (
            csv_bytes([line(), line("576461413038785985", Order_Amount=CANARY["Phone #"])]),
            "row 3",
        ),
        "notes.txt": (b"Nama,Telepon\nBudi,0812\n", "missing column(s) Order ID"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "empty.csv",
        "blank.csv",
        "unclosed.csv",
        "ragged.csv",
        "cut.xlsx",
        "old.xls",
        "photo.jpg",
        "money.csv",
        "notes.txt",
    ],
)
def test_every_broken_file_gets_one_sentence_naming_it(tmp_path: Path, name: str) -> None:
    content, words = broken_files(tmp_path)[name]
    path = tmp_path / name
    path.write_bytes(content)
    for command in ("scan", "summary"):
        message = refused(command, str(path), output=tmp_path / "out.csv")
        assert name in message and words in message, message
        assert "Budi" not in message and "0812" not in message


def test_bad_money_names_the_row_and_column_in_xlsx(tmp_path: Path) -> None:
    rows = [line(), line("576461413038785985", Order_Amount="lima ribu")]
    path = write_xlsx(tmp_path / "e.xlsx", rows, description="en")
    with pytest.raises(ExportError) as caught:
        reader.read_exports([str(path)], ALL_FIELDS)
    assert caught.value.key == "error.bad_money_at"
    assert caught.value.params == {"file": "e.xlsx", "column": "Order Amount", "row": 4}
    assert "lima" not in str(caught.value)


def test_messages_exist_in_both_languages(tmp_path: Path) -> None:
    content, _ = broken_files(tmp_path)["ragged.csv"]
    path = tmp_path / "ragged.csv"
    path.write_bytes(content)
    result = run("scan", str(path), *AS_OF, "--lang", "id")
    assert result.exit_code == 2 and "baris 4" in result.stderr


def test_blank_rows_a_spreadsheet_left_are_skipped_silently(tmp_path: Path) -> None:
    data = csv_bytes([line()], delimiter=";", bom=False) + b";" * 52 + b"\r\n" + b";" * 52 + b"\r\n"
    path = tmp_path / "e.csv"
    path.write_bytes(data)
    result = run("scan", str(path), *AS_OF, "--format", "csv")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2
    assert "without an Order ID" not in result.stderr
    orphan = csv_bytes([line(), line("", Order_Status="Selesai")])
    path.write_bytes(orphan)
    result = run("scan", str(path), *AS_OF, "--format", "csv")
    assert "1 row(s) without an Order ID were skipped" in result.stderr
