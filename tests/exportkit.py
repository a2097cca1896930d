"""Hand-written order exports for tests, written the way Seller Center writes them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tiktok_transition.reader.layout import COLUMNS_53, COLUMNS_65

# The 2023 layout (53 columns) and the later one (65 columns, in its own order).
LAYOUT_53 = list(COLUMNS_53)
LAYOUT_65 = list(COLUMNS_65)
TABBED = {"Order ID", "SKU ID", "Package ID", "Zipcode"}

# Values that must never reach output without --include-pii.
CANARY = {
    "Buyer Username": "canary_user_7731",
    "Recipient": "Canary Recipient Siti",
    "Phone #": "(+62)8123337731",
    "Detail Address": "Jl. Canary No. 7731",
    "Additional address information": "Blok Canary",
    "Buyer Message": "canary message 7731",
    "Districts": "Kecamatan Canary",
    "Villages": "Kelurahan Canary",
}

DEFAULTS: dict[str, str] = {
    "Order Status": "Perlu dikirim",
    "Order Substatus": "Menunggu pengiriman",
    "Normal or Pre-order": "Normal",
    "SKU ID": "1729384756102938475",
    "Seller SKU": "HIJ-01",
    "Product Name": "Hijab Pashmina",
    "Variation": "Hitam",
    "Quantity": "1",
    "Sku Quantity of return": "0",
    "SKU Unit Original Price": "35000",
    "SKU Subtotal Before Discount": "35000",
    "SKU Subtotal After Discount": "35000",
    "Order Amount": "44000",
    "Created Time": "01/10/2023 10:00:00",
    "Paid Time": "01/10/2023 10:05:00",
    "Payment Method": "DANA",
    "Shipping Provider Name": "J&T Express",
    "Country": "Indonesia",
    "Province": "Jawa Timur",
    "Regency and City": "Kota Surabaya",
    "Zipcode": "60261",
    **CANARY,
}


def line(order_id: str = "576461413038785984", **fields: str) -> dict[str, str]:
    """One SKU line; keyword names are export columns with spaces as underscores
    (`Order_Status="Selesai"`), or pass a dict through `**{"Phone #": ...}`."""
    row = dict(DEFAULTS)
    row["Order ID"] = order_id
    for key, value in fields.items():
        row[key.replace("_", " ") if key not in LAYOUT_65 + LAYOUT_53 else key] = value
    return row


def csv_bytes(
    rows: Iterable[Mapping[str, str]],
    layout: list[str] | None = None,
    *,
    bom: bool = True,
    tabs: bool = True,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    """An export as Seller Center writes it: BOM, trailing tabs on IDs and times."""
    columns = layout or LAYOUT_53
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            if tabs and (column in TABBED or column.endswith(" Time")):
                value += "\t"
            cells.append(value)
        writer.writerow(cells)
    data = text.getvalue()
    if encoding == "utf-8":
        return (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8")
    return data.encode(encoding)


def write_csv(path: Path, rows: Iterable[Mapping[str, str]], **options: Any) -> Path:
    path.write_bytes(csv_bytes(rows, **options))
    return path


def write_xlsx(
    path: Path,
    rows: Iterable[Mapping[str, Any]],
    layout: list[str] | None = None,
    *,
    description: str | None = "en",
) -> Path:
    """An XLSX export: header row, then (as Seller Center does) a description row."""
    import openpyxl

    columns = layout or LAYOUT_65
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "OrderSKUList"
    sheet.append(columns)
    if description == "en":
        sheet.append(
            [
                f"{c} of the order." if c != "Order ID" else "Platform unique order ID."
                for c in columns
            ]
        )
    elif description == "id":
        sheet.append(
            ["ID pesanan unik platform." if c == "Order ID" else f"{c} pesanan." for c in columns]
        )
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    workbook.save(path)
    return path


# --- the same orders as a spreadsheet or Excel turns them ----------------------------------

MONEY_COLUMNS = {
    "SKU Unit Original Price", "SKU Subtotal Before Discount", "SKU Platform Discount",
    "SKU Seller Discount", "SKU Subtotal After Discount", "Order Amount",
}  # fmt: skip


def stale_dimension(path: Path, ref: str = "A1:A1") -> Path:
    """Rewrite the first sheet's `<dimension ref=...>` inside the XLSX zip, as some Seller
    Center files have it: the sheet claims `A1:A1` while its cells go on to BM60."""
    import re
    import zipfile

    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, body in parts:
            if info.filename == sheet:
                body, count = re.subn(
                    rb"<dimension ref=\"[^\"]*\"\s*/>", f'<dimension ref="{ref}"/>'.encode(), body
                )
                assert count == 1, "no <dimension> element to make stale"
            target.writestr(info, body)
    return path


def sheet_dimension(path: Path) -> str:
    """The `<dimension ref>` the first sheet of an XLSX declares."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source:
        xml = source.read("xl/worksheets/sheet1.xml")
    found = re.search(rb"<dimension ref=\"([^\"]*)\"", xml)
    return found.group(1).decode() if found else ""


def indonesian_money(amount: str, style: int = 0) -> str:
    """`189950` as a spreadsheet in an Indonesian locale writes it (dot groups thousands),
    in one of several styles: `189.950`, `Rp 189.950`, `189.950,00`, `Rp 189.950,-`."""
    grouped = f"{int(amount):,}".replace(",", ".")
    return [grouped, f"Rp {grouped}", f"{grouped},00", f"Rp {grouped},-"][style % 4]


def indonesian_time(text: str) -> str:
    """`01/10/2023 09:05:00` without its seconds and the hour's leading zero: `01/10/2023 9:05`."""
    if not text:
        return text
    day, clock = text.split(" ")
    hours, minutes, _seconds = clock.split(":")
    return f"{day} {int(hours)}:{minutes}"


def spreadsheet_resave(rows: Iterable[Mapping[str, str]]) -> list[dict[str, str]]:
    """The rows as a spreadsheet in an Indonesian locale re-saves them: money `189.950` (in
    varying styles), times without seconds, `0,4` in Weight(kg). Write them with
    `csv_bytes(..., delimiter=";", bom=False, tabs=False)`. Times must have zero seconds."""
    resaved = []
    for index, row in enumerate(rows):
        copy = dict(row)
        for column, value in row.items():
            if column in MONEY_COLUMNS and value:
                copy[column] = indonesian_money(value, index)
            elif column.endswith(" Time"):
                copy[column] = indonesian_time(value)
        copy["Weight(kg)"] = "0,4"
        resaved.append(copy)
    return resaved


def excel_typed(rows: Iterable[Mapping[str, str]]) -> list[dict[str, Any]]:
    """The rows with cells typed the way Excel keeps them: money and quantities as numbers
    (money as floats), times as datetimes, the zipcode as a number. Order and SKU IDs stay
    text: as numbers they would lose their last digits."""
    from datetime import datetime

    typed: list[dict[str, Any]] = []
    for row in rows:
        copy: dict[str, Any] = dict(row)
        for column, value in row.items():
            if not value:
                continue
            if column in MONEY_COLUMNS:
                copy[column] = float(value)
            elif column in ("Quantity", "Sku Quantity of return", "Zipcode"):
                copy[column] = int(value)
            elif column.endswith(" Time"):
                copy[column] = datetime.strptime(value, "%d/%m/%Y %H:%M:%S")
        typed.append(copy)
    return typed
