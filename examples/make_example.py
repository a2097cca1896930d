"""Write examples/orders-2023-10-20.csv: a small, anonymized export shaped like Seller Center's.

The 53-column layout of 2023, Indonesian status words, UTF-8 with BOM, the trailing tab after
IDs and times, one row per SKU line with the order's values repeated. Deterministic: run it
again and the file is the same. Every name, phone and address is made up.
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

from tiktok_transition.reader.layout import COLUMNS_53

# The 2023 layout, as the reader knows it (one column contract for reader, benchmark, example).
COLUMNS = list(COLUMNS_53)
TABBED = {"Order ID", "SKU ID", "Package ID", "Zipcode"} | {
    c for c in COLUMNS if c.endswith(" Time")
}

PRODUCTS = [
    (
        "1729384756102938475",
        "HIJ-PAS-01",
        "Hijab Pashmina Ceruty Babydoll, Premium",
        "Hitam",
        35000,
        "Fashion Muslim",
    ),
    (
        "1729384756102938476",
        "HIJ-PAS-01",
        "Hijab Pashmina Ceruty Babydoll, Premium",
        "Mocca",
        35000,
        "Fashion Muslim",
    ),
    (
        "1729384756102938477",
        "GAM-SET-02",
        'Gamis Set "Aisyah" + Khimar\nBahan Wolfis',
        "L",
        189950,
        "Fashion Muslim",
    ),
    (
        "1729384756102938478",
        "GAM-SET-02",
        'Gamis Set "Aisyah" + Khimar\nBahan Wolfis',
        "XL",
        189950,
        "Fashion Muslim",
    ),
    (
        "1729384756102938479",
        "SKN-SRM-03",
        "Serum Wajah Niacinamide 10% 🌿 20ml",
        "20ml",
        59000,
        "Kecantikan",
    ),
    (
        "1729384756102938480",
        "MKN-KRP-04",
        "Keripik Pisang Lumer Coklat 250gr",
        "Coklat",
        22500,
        "Makanan",
    ),
    (
        "1729384756102938481",
        "MKN-KRP-04",
        "Keripik Pisang Lumer Coklat 250gr",
        "Matcha",
        22500,
        "Makanan",
    ),
    (
        "1729384756102938482",
        "ACC-CAS-05",
        "=Casing HP Bening Anti Crack",
        "iPhone 13",
        15000,
        "Aksesoris HP",
    ),
    (
        "1729384756102938483",
        "RMH-SPR-06",
        "Sprei Katun Jepang 160x200, Motif Bunga",
        "Biru",
        125000,
        "Rumah Tangga",
    ),
    (
        "1729384756102938484",
        "TAS-SLP-07",
        "Tas Selempang Wanita Kulit Sintetis",
        "Cream",
        79900,
        "Tas Wanita",
    ),
]
COURIERS = [("J&T Express", "JX"), ("SiCepat REG", "SC"), ("JNE REG", "JN"), ("AnterAja", "AA")]
PAYMENTS = ["DANA", "GoPay", "OVO", "Transfer Bank", "Bayar di tempat"]
CITIES = [
    ("Jawa Timur", "Kota Surabaya", "Tegalsari", "Kedungdoro", "60261"),
    ("Jawa Barat", "Kota Bandung", "Coblong", "Dago", "40135"),
    ("DKI Jakarta", "Jakarta Timur", "Duren Sawit", "Pondok Bambu", "13430"),
    ("Sumatera Utara", "Kota Medan", "Medan Baru", "Babura", "20153"),
    ("Sulawesi Selatan", "Kota Makassar", "Panakkukang", "Pandang", "90231"),
]

# (how many, status, substatus, what happened): the mix a seller had on 20 Oct 2023.
PLAN = [
    (9, "Perlu dikirim", "Menunggu pengiriman", "paid"),
    (4, "Perlu dikirim", "Menunggu pengiriman", "cod"),
    (3, "Perlu dikirim", "Menunggu pengiriman", "preorder"),
    (9, "Perlu dikirim", "Menunggu pengambilan", "rts"),
    (3, "Perlu dikirim", "Menunggu pengambilan", "rts_cod"),
    (6, "Dikirim", "Sedang transit", "shipped"),
    (5, "Dikirim", "Terkirim", "delivered"),
    (9, "Selesai", "Selesai", "completed"),
    (5, "Belum dibayar", "Belum dibayar", "unpaid"),
    (4, "Dibatalkan", "Dibatalkan", "cancelled"),
    (3, "Dibatalkan", "Dibatalkan", "cancelled_unpaid"),
]
WIB = "%d/%m/%Y %H:%M:%S"
EXPORTED_AT = datetime(2023, 10, 20, 8, 30)


def _time(moment: datetime | None) -> str:
    return moment.strftime(WIB) if moment else ""


def build_rows(seed: int = 20231020) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    order_number = 576461413038785900
    for count, status, substatus, story in PLAN:
        for _ in range(count):
            order_number += rng.randint(3, 97)
            rows.extend(_order(rng, str(order_number), status, substatus, story))
    return rows


def _order(
    rng: random.Random, order_id: str, status: str, substatus: str, story: str
) -> list[dict[str, str]]:
    if story in ("unpaid", "cancelled_unpaid"):
        created = datetime(2023, 10, 4, 16, 59) - timedelta(minutes=rng.randint(5, 600))
    elif story in ("paid", "cod", "preorder", "rts", "rts_cod"):
        created = datetime(2023, 10, 4, 16, 55) - timedelta(hours=rng.randint(1, 120))
    else:
        created = datetime(2023, 9, 20, 8, 0) + timedelta(hours=rng.randint(0, 340))
    cod = story in ("cod", "rts_cod") or (
        story not in ("unpaid", "cancelled_unpaid") and rng.random() < 0.15
    )
    paid = (
        None
        if cod or story in ("unpaid", "cancelled_unpaid")
        else created + timedelta(minutes=rng.randint(1, 30))
    )
    ready = created + timedelta(hours=rng.randint(6, 30))
    rts = ready if story in ("rts", "rts_cod", "shipped", "delivered", "completed") else None
    if story in ("rts", "rts_cod"):
        rts = EXPORTED_AT - timedelta(hours=rng.randint(1, 20), minutes=rng.randint(0, 59))
    shipped = (
        rts + timedelta(hours=rng.randint(2, 20))
        if rts and story in ("shipped", "delivered", "completed")
        else None
    )
    delivered = (
        shipped + timedelta(days=rng.randint(1, 4))
        if shipped and story in ("delivered", "completed")
        else None
    )
    cancelled = (
        created + timedelta(hours=rng.randint(1, 48)) if story.startswith("cancelled") else None
    )
    courier, prefix = rng.choice(COURIERS)
    tracking = f"{prefix}{rng.randint(10**10, 10**11 - 1)}" if rts else ""
    province, city, district, village, zipcode = rng.choice(CITIES)
    n_lines = rng.choice([1, 1, 1, 2, 2, 3])
    picks = rng.sample(PRODUCTS, n_lines)
    quantities = [rng.choice([1, 1, 1, 2, 3]) for _ in picks]
    shipping = rng.choice([0, 9000, 12000, 15000])
    subtotals = [price * qty for (_, _, _, _, price, _), qty in zip(picks, quantities, strict=True)]
    amount = sum(subtotals) + shipping
    buyer = rng.randint(100, 999)
    lines = []
    for (sku_id, seller_sku, name, variation, price, category), qty, subtotal in zip(
        picks, quantities, subtotals, strict=True
    ):
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            {
                "Order ID": order_id,
                "Order Status": status,
                "Order Substatus": substatus,
                "Normal or Pre-order": "Pre-order" if story == "preorder" else "Normal",
                "SKU ID": sku_id,
                "Seller SKU": seller_sku,
                "Product Name": name,
                "Variation": variation,
                "Quantity": str(qty),
                "Sku Quantity of return": "0",
                "SKU Unit Original Price": str(price),
                "SKU Subtotal Before Discount": str(subtotal),
                "SKU Platform Discount": "0",
                "SKU Seller Discount": "0",
                "SKU Subtotal After Discount": str(subtotal),
                "Shipping Fee After Discount": str(shipping),
                "Original Shipping Fee": str(shipping),
                "Shipping Fee Seller Discount": "0",
                "Shipping Fee Platform Discount": "0",
                "Taxes": "0",
                "Order Amount": str(amount),
                "Order Refund Amount": str(amount) if cancelled and paid else "0",
                "Created Time": _time(created),
                "Paid Time": _time(paid),
                "RTS Time": _time(rts),
                "Shipped Time": _time(shipped),
                "Delivered Time": _time(delivered),
                "Cancelled Time": _time(cancelled),
                "Cancel By": "Pembeli" if cancelled else "",
                "Cancel Reason": "Ingin mengubah alamat pengiriman" if cancelled else "",
                "Fulfillment Type": "Dikirim oleh Penjual",
                "Warehouse Name": "Gudang Rumah",
                "Tracking ID": tracking,
                "Delivery Option": "Reguler",
                "Shipping Provider Name": courier,
                "Buyer Message": rng.choice(
                    ["", "", "Tolong dibungkus rapi ya kak, makasih!", '=HYPERLINK("x")']
                ),
                "Buyer Username": f"pembeli_{buyer}",
                "Recipient": f"Pembeli Contoh {buyer}",
                "Phone #": f"(+62)812****{buyer % 100:02d}",
                "Zipcode": zipcode,
                "Country": "Indonesia",
                "Province": province,
                "Regency and City": city,
                "Districts": district,
                "Villages": village,
                "Detail Address": f"Jl. Contoh No. {buyer % 90 + 1}, RT 0{buyer % 9 + 1}",
                "Payment Method": "Bayar di tempat" if cod else rng.choice(PAYMENTS[:4]),
                "Weight(kg)": "0.4",
                "Product Category": category,
                "Package ID": str(1152921504606846976 + int(order_id) % 10**9),
            }
        )
        lines.append(row)
    return lines


def write(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for row in rows:
            # Seller Center ends IDs and times with a tab; an empty time is a lone tab.
            writer.writerow([row[c] + "\t" if c in TABBED else row[c] for c in COLUMNS])


if __name__ == "__main__":
    write(build_rows(), Path(__file__).with_name("orders-2023-10-20.csv"))
