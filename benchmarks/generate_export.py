"""Synthetic TikTok Shop Indonesia order exports ("Order SKU list"), for tests and benchmarks.

Script:

    python benchmarks/generate_export.py --lines 200000 --out orders.csv \
        [--layout 53|65] [--format csv|xlsx] [--seed N] [--lang en|id|mixed]

Module (tests import it; put ``benchmarks/`` on ``sys.path``)::

    from generate_export import generate_lines, write_csv, write_xlsx
    rows = generate_lines(2000, seed=1, layout=53, lang="id")
    write_csv(rows, tmp_path / "orders.csv")

What the rows look like (see /work/shared/domain/tiktok-shop-indonesia-2023.md):

- one row per (Order ID, SKU ID); 1-4 lines per order, most orders one line; the order-level
  fields (Order Amount, fees, every time, status, tracking, address, payment) repeat on every
  line of the order; Order Amount = sum of the lines' "SKU Subtotal After Discount" +
  "Shipping Fee After Discount" (the other fee columns are 0);
- values are exactly the text of the CSV cell as Seller Center writes it: Order ID, SKU ID,
  Package ID, Zipcode and every "... Time" end with a tab, an empty time is a lone tab; times
  ``DD/MM/YYYY HH:MM:SS`` (WIB, naive); money plain integer rupiah;
- the status pair and the timestamps agree (Paid Time empty for unpaid and for cash on delivery,
  RTS Time and Tracking ID from "Awaiting collection" on, Shipped Time from "In transit",
  Delivered Time from "Delivered", Cancelled Time + Cancel By + Cancel Reason for cancelled);
- product names include commas, double quotes, embedded newlines (LF and CRLF), emoji, CJK and
  names starting with ``=``, ``+``, ``-`` and ``@``; personal data is obviously fake
  ("Pembeli Fiktif 12", phone ``(+62)8000...``, "Jl. Contoh Fiktif ...").

Deterministic: the same arguments give the same rows (``random.Random(seed)`` only).
Only the standard library is needed for CSV; openpyxl for XLSX.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import io
import itertools
import os
import random
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any, cast

# ----------------------------------------------------------------------------- layouts
# The layouts themselves are the reader's: one column contract for the reader, this generator
# and examples/make_example.py.
from tiktok_transition.reader.layout import COLUMNS_65, LAYOUTS

TIME_COLUMNS: tuple[str, ...] = (
    "Created Time", "Paid Time", "RTS Time", "Shipped Time", "Delivered Time", "Cancelled Time",
)  # fmt: skip

#: Columns whose CSV value ends with a tab (an empty time is a lone tab).
TAB_COLUMNS: frozenset[str] = frozenset(
    ("Order ID", "SKU ID", "Package ID", "Zipcode", *TIME_COLUMNS)
)

#: Columns holding integer rupiah (written as numbers in XLSX).
MONEY_COLUMNS: tuple[str, ...] = (
    "SKU Unit Original Price", "SKU Subtotal Before Discount", "SKU Platform Discount",
    "SKU Seller Discount", "SKU Subtotal After Discount", "Shipping Fee After Discount",
    "Original Shipping Fee", "Shipping Fee Seller Discount", "Shipping Fee Platform Discount",
    "Taxes", "Distance Shipping Fee", "Distance Fee", "Order Refund Amount",
    "Payment platform discount", "Buyer Service Fee", "Handling Fee", "Shipping Insurance",
    "Item Insurance", "Order Amount",
)  # fmt: skip

#: The columns the cutoff triage needs (what the benchmark's "floor" reads).
TRIAGE_COLUMNS: tuple[str, ...] = (
    "Order ID", "Order Status", "Order Substatus", "Normal or Pre-order", "SKU ID", "Quantity",
    "Order Amount", "Created Time", "Paid Time", "RTS Time", "Shipped Time", "Cancelled Time",
    "Payment Method", "Shipping Provider Name", "Tracking ID",
)  # fmt: skip

#: Personal data columns (filled with obviously fake values).
PII_COLUMNS: tuple[str, ...] = (
    "Buyer Username", "Recipient", "Phone #", "Zipcode", "Detail Address",
    "Additional address information", "Districts", "Villages", "Buyer Message",
)  # fmt: skip


def columns_for(layout: int) -> tuple[str, ...]:
    """The header of a layout (53 or 65)."""
    try:
        return LAYOUTS[int(layout)]
    except (KeyError, ValueError):
        raise ValueError(f"layout must be 53 or 65, not {layout!r}") from None


# ----------------------------------------------------------------------------- statuses

#: Stable codes, from earliest to latest in an order's life (cancelled apart).
STATUS_CODES: tuple[str, ...] = (
    "unpaid", "awaiting_shipment", "awaiting_collection", "in_transit", "delivered",
    "completed", "cancelled",
)  # fmt: skip

#: code -> {lang: (Order Status, Order Substatus)}
STATUS_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "unpaid": {"en": ("Unpaid", "Unpaid"), "id": ("Belum dibayar", "Belum dibayar")},
    "awaiting_shipment": {
        "en": ("To ship", "Awaiting shipment"),
        "id": ("Perlu dikirim", "Menunggu pengiriman"),
    },
    "awaiting_collection": {
        "en": ("To ship", "Awaiting collection"),
        "id": ("Perlu dikirim", "Menunggu pengambilan"),
    },
    "in_transit": {"en": ("Shipped", "In transit"), "id": ("Dikirim", "Sedang transit")},
    "delivered": {"en": ("Shipped", "Delivered"), "id": ("Dikirim", "Terkirim")},
    "completed": {"en": ("Completed", "Completed"), "id": ("Selesai", "Selesai")},
    "cancelled": {"en": ("Cancelled", "Cancelled"), "id": ("Dibatalkan", "Dibatalkan")},
}

#: (Order Status, Order Substatus) -> code, both languages.
STATUS_BY_LABEL: dict[tuple[str, str], str] = {
    pair: code for code, by_lang in STATUS_LABELS.items() for pair in by_lang.values()
}

_LEVEL = {code: i for i, code in enumerate(STATUS_CODES)}

# Status mix by the order's age at export time (seconds); weights in STATUS_CODES order.
_AGE_BUCKETS: tuple[tuple[int, tuple[float, ...]], ...] = (
    (1 * 86400, (4, 42, 28, 18, 0, 0, 8)),
    (4 * 86400, (1, 14, 20, 46, 7, 2, 10)),
    (10 * 86400, (0, 3, 5, 20, 26, 35, 11)),
    (10**12, (0, 1.5, 2, 1.5, 3, 80, 12)),
)


def _cum(weights: Sequence[float]) -> list[float]:
    total = float(sum(weights))
    out = list(itertools.accumulate(w / total for w in weights))
    out[-1] = 1.0
    return out


_AGE_LIMITS = [limit for limit, _ in _AGE_BUCKETS]
_AGE_CUM = [_cum(weights) for _, weights in _AGE_BUCKETS]

# ----------------------------------------------------------------------------- pools

# (name, [variations], unit price, category, weight kg). Names carry the traps on purpose.
_PRODUCTS: tuple[tuple[str, tuple[str, ...], int, str, float], ...] = (
    ("Kaos Polos Cotton Combed 30s, Unisex", ("Hitam, M", "Hitam, L", "Putih, XL"), 35000,
     "Menswear & Underwear", 0.2),
    ('Hijab Segi Empat "Paris" Premium', ("Mocca", "Dusty Pink", "Navy"), 25000,
     "Muslim Fashion", 0.1),
    ("Serum Wajah Niacinamide 20ml\nBPOM Original", ("Default",), 89000,
     "Beauty & Personal Care", 0.1),
    ("🔥 PROMO 🔥 Kopi Susu Gula Aren 1L ☕", ("Original", "Less Sugar"), 45000,
     "Food & Beverages", 1.1),
    ("=SUM(A1:A2) Gantungan Kunci Lucu", ("Random",), 9900, "Home Supplies", 0.05),
    ("+62 Casing HP Anti Crack Bening", ("iPhone 11", "Samsung A14", "Redmi 12"), 15000,
     "Phones & Electronics", 0.05),
    ("-50% Sandal Jepit Karet Pria", ("40", "41", "42", "43"), 19000,
     "Shoes", 0.3),
    ("@ootd Kemeja Flanel Kotak-kotak", ("Merah, L", "Biru, XL"), 79000,
     "Menswear & Underwear", 0.3),
    ('Celana Cargo Pria "Tactical", 6 Saku\r\nSize 28-38', ("28", "30", "32", '"34"'), 129000,
     "Menswear & Underwear", 0.6),
    ("墨镜 Kacamata Hitam Polarized UV400 🕶️", ("Hitam", "Cokelat"), 55000,
     "Fashion Accessories", 0.15),
    ("Sepatu Sneakers Pria Casual Original", ("39", "40", "41", "42", "43"), 189950,
     "Shoes", 0.9),
    ("Gamis Syari Busui Friendly Bahan Ceruty Babydoll", ("S", "M", "L", "XL"), 159000,
     "Muslim Fashion", 0.5),
    ("Skincare Paket Glowing 5in1 (Facial Wash, Toner, Serum, Day & Night Cream)",
     ("Paket A", "Paket B"), 149000, "Beauty & Personal Care", 0.4),
    ("Charger Fast Charging 33W Type-C | Kabel 1m", ("Putih",), 65000,
     "Phones & Electronics", 0.15),
    ("Keripik Pisang Cokelat 250gr", ("Cokelat", "Original", "Pedas"), 22000,
     "Food & Beverages", 0.3),
    ("Sambal Bawang Pedas Botol 150ml 🌶️🌶️🌶️", ("Level 3", "Level 5"), 27500,
     "Food & Beverages", 0.25),
    ("Rak Dinding Minimalis Kayu Jati Belanda", ("40cm", "60cm"), 74000,
     "Home Supplies", 1.5),
    ("Helm Bogo Retro Dewasa SNI", ("Hitam Doff", "Putih Glossy"), 145000,
     "Automotive & Motorcycle", 1.2),
    ("Jam Tangan Digital Sport Anti Air 50M", ("Hitam", "Army"), 39000,
     "Watches", 0.1),
    ("Lipstik Matte Tahan Lama 12 Jam", ("01 Nude", "05 Red", "07 Mauve"), 32000,
     "Beauty & Personal Care", 0.05),
    ("Tumbler Stainless 500ml Tahan Panas & Dingin", ("Hijau Sage", "Krem"), 58000,
     "Home Supplies", 0.35),
    ("Kerudung Bergo Instan Jersey Premium", ("Hitam", "Maroon", "Army"), 29000,
     "Muslim Fashion", 0.12),
    ("Earphone Bluetooth TWS Bass Mantap", ("Hitam", "Putih"), 99000,
     "Phones & Electronics", 0.2),
    ("Sprei Katun Motif 180x200 (Free 2 Sarung Bantal)", ("Motif Bunga", "Polos Abu"), 119000,
     "Home Supplies", 1.3),
    ("Masker Duckbill Isi 50 pcs", ("Putih", "Hitam", "Mix"), 18500,
     "Health", 0.25),
    ("Baju Koko Pria Lengan Panjang", ("M", "L", "XL", "XXL"), 99000,
     "Muslim Fashion", 0.35),
    ("Dompet Wanita Kecil Lipat Kulit Sintetis", ("Pink", "Hitam"), 35000,
     "Womenswear & Underwear", 0.15),
    ("Lampu LED Tidur Sensor Gerak\nUSB Rechargeable", ("Warm White",), 42000,
     "Home Supplies", 0.1),
    ("Pashmina Ceruti Babydoll 180x75", ("Sage", "Lilac", "Taupe"), 27000,
     "Muslim Fashion", 0.15),
    ("Minyak Kayu Putih 60ml", ("Default",), 23500, "Health", 0.1),
    ("Tas Ransel Sekolah Anti Air, Muat Laptop 14\"", ("Hitam", "Navy"), 125000,
     "Luggage & Bags", 0.7),
    ("Kemeja Wanita Oversize Linen Premium Korean Style", ("Putih, All Size", "Mint, All Size"),
     69000, "Womenswear & Underwear", 0.25),
    ("Bedak Tabur Loose Powder Oil Control", ("Light", "Natural"), 45000,
     "Beauty & Personal Care", 0.1),
    ("Mainan Anak Edukasi Balok Kayu Angka & Huruf 100 pcs", ("Default",), 85000,
     "Toys & Hobbies", 0.9),
    ("Beras Pandan Wangi Premium 5kg", ("5kg",), 76000, "Food & Beverages", 5.0),
    ("Susu UHT Full Cream 1L (Karton isi 12)", ("Full Cream", "Cokelat"), 198000,
     "Food & Beverages", 12.5),
    ("Sapu Lidi & Pengki Set", ("Default",), 25000, "Home Supplies", 0.8),
    ("Kabel Data Lightning 2m — Garansi 1 Tahun ✅", ("2m",), 29000,
     "Phones & Electronics", 0.08),
    ("Paket Hemat " + "Super Lengkap " * 12 + "Alat Tulis Sekolah", ("Default",), 55000,
     "Office & Stationery", 0.6),
    ("Obeng Set 32 in 1 Magnetic", ("Default",), 48000, "Tools & Hardware", 0.4),
)  # fmt: skip

# (Shipping Provider Name, tracking prefix, digits, weight)
_COURIERS: tuple[tuple[str, str, int, float], ...] = (
    ("J&T Express", "JX", 10, 32),
    ("SiCepat REG", "0040", 8, 20),
    ("JNE REG", "CM", 14, 14),
    ("AnterAja Reguler", "1000", 10, 10),
    ("Ninja Xpress", "NLIDAP", 9, 8),
    ("ID Express", "IDE", 12, 8),
    ("Lion Parcel", "99LP", 11, 4),
    ("GoSend Same Day", "GK-11-", 9, 4),
)

_NON_COD_METHODS = ("DANA", "GoPay", "OVO", "Bank transfer", "Kartu kredit")
_SHIPPING_FEES = (9000, 10000, 11000, 12000, 15000, 18000, 22000, 28000, 35000)

_LOCATIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("DKI Jakarta", "Jakarta Selatan", "Kebayoran Baru", "Melawai", "12160"),
    ("DKI Jakarta", "Jakarta Timur", "Duren Sawit", "Pondok Bambu", "13430"),
    ("Jawa Barat", "Kota Bandung", "Coblong", "Dago", "40135"),
    ("Jawa Barat", "Kabupaten Bekasi", "Cikarang Utara", "Karangasih", "17530"),
    ("Jawa Tengah", "Kota Semarang", "Tembalang", "Tembalang", "50275"),
    ("Jawa Timur", "Kota Surabaya", "Gubeng", "Airlangga", "60286"),
    ("DI Yogyakarta", "Kabupaten Sleman", "Depok", "Caturtunggal", "55281"),
    ("Banten", "Kota Tangerang Selatan", "Serpong", "Lengkong Gudang", "15310"),
    ("Sumatera Utara", "Kota Medan", "Medan Baru", "Babura", "20153"),
    ("Sulawesi Selatan", "Kota Makassar", "Panakkukang", "Pandang", "90231"),
    ("Bali", "Kota Denpasar", "Denpasar Selatan", "Sanur", "80227"),
    ("Kalimantan Timur", "Kota Balikpapan", "Balikpapan Kota", "Klandasan Ilir", "76113"),
    ("Sumatera Selatan", "Kota Palembang", "Ilir Timur I", "Sungai Pangeran", "30127"),
    ("Riau", "Kota Pekanbaru", "Tampan", "Simpang Baru", "28293"),
    ("Nusa Tenggara Barat", "Kota Mataram", "Ampenan", "Ampenan Selatan", "83114"),
    ("Papua", "Kota Jayapura", "Jayapura Utara", "Mandala", "99111"),
)

_ADDRESS_EXTRA = ("", "", "", "", "", "Dekat masjid, pagar hijau", "Rumah cat biru (CONTOH)",
                  "Titip di pos satpam", "Blok C-7, lantai 2")  # fmt: skip

_BUYER_MESSAGES = (
    "Tolong dibungkus rapi ya kak 🙏",
    "Warna hitam, jangan yang putih",
    'Kirim cepat ya, buat kado "ulang tahun"',
    "Kak tolong cek dulu sebelum kirim\nterima kasih",
    "Pakai bubble wrap yang tebal, barang pecah belah!!",
    "=cek stok dulu kak",
    "Jangan telepon, chat saja 😊",
)

_SELLER_NOTES = ("Bonus stiker", "Sudah konfirmasi via chat, kirim warna hitam",
                 "Prioritas kirim", "Ganti ukuran ke L (request buyer)")  # fmt: skip

# (Cancel By, reasons) per language; "system" reasons by cause.
_CANCEL_BY = {
    "en": {"buyer": "Buyer", "seller": "Seller", "system": "System"},
    "id": {"buyer": "Pembeli", "seller": "Penjual", "system": "Sistem"},
}
_CANCEL_REASONS = {
    "en": {
        "buyer": ("Need to change delivery address", "Need to modify order",
                  "No longer needed", "Found a better price elsewhere"),
        "seller": ("Out of stock", "Pricing error", "Unable to deliver to buyer's address"),
        "overdue": ("Payment overdue",),
        "late": ("Package wasn't shipped on time", "Package wasn't collected on time"),
    },
    "id": {
        "buyer": ("Perlu mengubah alamat pengiriman", "Perlu mengubah pesanan",
                  "Tidak dibutuhkan lagi", "Menemukan harga yang lebih murah"),
        "seller": ("Stok habis", "Kesalahan harga", "Tidak dapat mengirim ke alamat pembeli"),
        "overdue": ("Pembayaran melewati batas waktu",),
        "late": ("Paket tidak dikirim tepat waktu", "Paket tidak diambil tepat waktu"),
    },
}  # fmt: skip

# Constant cells, per language.
_CONSTANTS: dict[str, dict[str, str]] = {
    "en": {
        "Sku Quantity of return": "0", "Taxes": "0", "Distance Shipping Fee": "0",
        "Distance Fee": "0", "Payment platform discount": "0", "Buyer Service Fee": "0",
        "Handling Fee": "0", "Shipping Insurance": "0", "Item Insurance": "0",
        "Fulfillment Type": "Fulfillment by seller", "Warehouse Name": "Main Warehouse",
        "Country": "Indonesia", "Purchase Channel": "TikTok", "Order Channel": "TikTok Shop",
    },
    "id": {
        "Sku Quantity of return": "0", "Taxes": "0", "Distance Shipping Fee": "0",
        "Distance Fee": "0", "Payment platform discount": "0", "Buyer Service Fee": "0",
        "Handling Fee": "0", "Shipping Insurance": "0", "Item Insurance": "0",
        "Fulfillment Type": "Dikirim oleh Penjual", "Warehouse Name": "Gudang Utama",
        "Country": "Indonesia", "Purchase Channel": "TikTok", "Order Channel": "TikTok Shop",
    },
}  # fmt: skip
_DELIVERY_OPTIONS = {
    "en": ("Standard shipping", "Standard shipping", "Standard shipping", "Economy shipping"),
    "id": ("Reguler", "Reguler", "Reguler", "Ekonomi"),
}
_CANCEL_TYPE = {"en": "Cancel", "id": "Pembatalan"}

# ----------------------------------------------------------------------------- defaults

#: Naive datetimes are WIB (UTC+7) wall-clock times, as in the export.
WIB = timezone(timedelta(hours=7), "WIB")
DEFAULT_START = datetime(2023, 8, 7, 0, 0, 0)
DEFAULT_END = datetime(2023, 10, 4, 17, 0, 0)  # TikTok Shop stops transactions
DEFAULT_EXPORTED_AT = datetime(2023, 10, 5, 9, 0, 0)  # the seller exports the morning after
CLEARANCE_FROM = datetime(2023, 9, 26)  # ban signed: clearance sales, ~1.6x the orders

_HOURLY = (3, 2, 1, 1, 1, 2, 4, 6, 7, 8, 9, 9, 10, 9, 8, 8, 8, 8, 9, 11, 13, 13, 10, 6)
_EPOCH = datetime(1970, 1, 1)


def _seconds(dt: datetime) -> int:
    """WIB wall-clock seconds since 1970-01-01 (aware datetimes are converted to WIB)."""
    if dt.tzinfo is not None:
        dt = dt.astimezone(WIB).replace(tzinfo=None)
    return int((dt - _EPOCH).total_seconds())


_HMS: list[str] = []
_DATES: dict[int, str] = {}


def _hms() -> list[str]:
    if not _HMS:
        _HMS.extend(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}\t" for s in range(86400))
    return _HMS


def _date(day: int) -> str:
    text = _DATES.get(day)
    if text is None:
        text = _DATES[day] = (_EPOCH + timedelta(days=day)).strftime("%d/%m/%Y ")
    return text


def format_time(dt: datetime | None) -> str:
    """A datetime as the CSV cell Seller Center writes (``DD/MM/YYYY HH:MM:SS\\t``; None -> tab)."""
    if dt is None:
        return "\t"
    s = _seconds(dt)
    return _date(s // 86400) + _hms()[s % 86400]


def _sku_pool(rng: random.Random) -> list[tuple[str, str, str, str, int, str, float]]:
    """(SKU ID + tab, Seller SKU, name, variation, price, category, weight) per variation."""
    pool = []
    for p, (name, variations, price, category, weight) in enumerate(_PRODUCTS):
        for v, variation in enumerate(variations):
            sku_id = 1729000000000000000 + p * 10**12 + v * 10**9 + int(rng.random() * 10**9)
            # a third of the SKUs have no Seller SKU, as in real shops
            seller_sku = "" if p % 3 == 2 else f"SKU-{p + 1:03d}-{v + 1:02d}"
            pool.append((f"{sku_id}\t", seller_sku, name, variation, price, category, weight))
    return pool


# ----------------------------------------------------------------------------- generation


def iter_rows(
    n_lines: int,
    seed: int = 0,
    layout: int = 65,
    *,
    start: datetime = DEFAULT_START,
    end: datetime = DEFAULT_END,
    exported_at: datetime = DEFAULT_EXPORTED_AT,
    lang: str = "en",
    cod_share: float = 0.25,
    preorder_share: float = 0.05,
    cod_label: str = "Cash on delivery",
    status_weights: Mapping[str, float] | None = None,
) -> Iterator[list[str]]:
    """Yield ``n_lines`` rows as lists of CSV cell values, in ``columns_for(layout)`` order.

    The fast path (no dict per row). Orders come out oldest first. ``lang`` is ``en``, ``id``
    or ``mixed`` (each order in one language at random: a merge of exports made in both UIs).
    Naive datetimes are WIB; Created Time falls in [start, min(end, exported_at)], every
    other time is at most ``exported_at`` (the moment the export was made).

    The status mix depends on the order's age at ``exported_at`` (recent orders are still to
    ship, old ones completed; about 7% at risk with the defaults). ``status_weights``
    ({code: weight}, codes from ``STATUS_CODES``) replaces it with one mix for every age,
    e.g. ``{c: 1 for c in STATUS_CODES}`` to get every status often.
    """
    if n_lines < 0:
        raise ValueError("n_lines must be >= 0")
    if lang not in ("en", "id", "mixed"):
        raise ValueError(f"lang must be en, id or mixed, not {lang!r}")
    fixed_mix: list[float] | None = None
    if status_weights is not None:
        unknown = set(status_weights) - set(STATUS_CODES)
        if unknown or not any(w > 0 for w in status_weights.values()):
            raise ValueError(f"status_weights: codes are {STATUS_CODES}, weights not all 0")
        fixed_mix = _cum([max(0.0, float(status_weights.get(c, 0))) for c in STATUS_CODES])
    columns = columns_for(layout)
    ncols = len(columns)
    col = {c: i for i, c in enumerate(columns)}
    rng = random.Random(seed)
    r = rng.random

    # 1. lines per order (most orders have one line)
    counts: list[int] = []
    total = 0
    while total < n_lines:
        x = r()
        k = 1 if x < 0.74 else 2 if x < 0.90 else 3 if x < 0.97 else 4
        k = min(k, n_lines - total)
        counts.append(k)
        total += k
    n_orders = len(counts)
    if not n_orders:
        return

    # 2. created-time model: per-minute weights (hour of day, clearance sales), inverse CDF
    t_exp = _seconds(exported_at)
    t0 = _seconds(start)
    t1 = min(_seconds(end), t_exp)
    if t1 < t0:
        raise ValueError("start must be before end and exported_at")
    n_minutes = max(1, -(-(t1 - t0) // 60))
    clearance = _seconds(CLEARANCE_FROM)
    minute_weights = (
        _HOURLY[(t0 + 60 * m) // 3600 % 24] * (1.6 if t0 + 60 * m >= clearance else 1.0)
        for m in range(n_minutes)
    )
    cum = list(itertools.accumulate(minute_weights))
    w_total = cum[-1]

    # 3. pools
    skus = _sku_pool(random.Random(f"sku-{seed}"))
    n_skus = len(skus)
    courier_cum = _cum([c[3] for c in _COURIERS])
    tracking_base = [int(r() * 10 ** (c[2] - 2)) for c in _COURIERS]
    hms = _hms()
    dates: dict[int, str] = {}
    for day in range(t0 // 86400 - 1, t_exp // 86400 + 2):
        dates[day] = _date(day)
    n_buyers = max(1, n_orders * 2 // 3)
    n_fees = len(_SHIPPING_FEES)
    n_locations = len(_LOCATIONS)
    n_messages = len(_BUYER_MESSAGES)
    langs = ("en", "id") if lang == "mixed" else (lang,)

    templates: dict[str, list[str]] = {}
    for lg in ("en", "id"):
        tpl = [""] * ncols
        for name, value in _CONSTANTS[lg].items():
            if name in col:
                tpl[col[name]] = value
        templates[lg] = tpl

    i_oid, i_status, i_sub = col["Order ID"], col["Order Status"], col["Order Substatus"]
    i_ctype, i_pre = col["Cancelation/Return Type"], col["Normal or Pre-order"]
    i_sku, i_ssku, i_name = col["SKU ID"], col["Seller SKU"], col["Product Name"]
    i_var, i_qty = col["Variation"], col["Quantity"]
    i_unit, i_before = col["SKU Unit Original Price"], col["SKU Subtotal Before Discount"]
    i_pdisc, i_sdisc = col["SKU Platform Discount"], col["SKU Seller Discount"]
    i_after = col["SKU Subtotal After Discount"]
    i_ship_after, i_ship_orig = col["Shipping Fee After Discount"], col["Original Shipping Fee"]
    i_ship_sdisc = col["Shipping Fee Seller Discount"]
    i_ship_pdisc = col["Shipping Fee Platform Discount"]
    i_amount, i_refund = col["Order Amount"], col["Order Refund Amount"]
    i_times = [col[c] for c in TIME_COLUMNS]
    i_cby, i_creason = col["Cancel By"], col["Cancel Reason"]
    i_track, i_dopt = col["Tracking ID"], col["Delivery Option"]
    i_courier, i_msg = col["Shipping Provider Name"], col["Buyer Message"]
    i_user, i_recip, i_phone = col["Buyer Username"], col["Recipient"], col["Phone #"]
    i_zip, i_prov, i_city = col["Zipcode"], col["Province"], col["Regency and City"]
    i_dist, i_vill = col["Districts"], col["Villages"]
    i_addr, i_addx = col["Detail Address"], col["Additional address information"]
    i_pay, i_weight, i_cat = col["Payment Method"], col["Weight(kg)"], col["Product Category"]
    i_pkg, i_note = col["Package ID"], col["Seller Note"]
    i_creator = col.get("Creator Handle")

    last_oid = 0
    for k, n_in_order in enumerate(counts):
        lg = langs[0] if len(langs) == 1 else langs[int(r() * 2)]

        # created time: k-th quantile of the minute weights, spread within the minute
        u = (k + r()) / n_orders * w_total
        m = bisect.bisect_right(cum, u)
        if m >= n_minutes:
            m = n_minutes - 1
        prev = cum[m - 1] if m else 0.0
        created = t0 + 60 * m + int(60 * (u - prev) / (cum[m] - prev))
        if created > t1:
            created = t1

        # status by age at export time
        age = t_exp - created
        b = bisect.bisect_right(_AGE_LIMITS, age)
        if b >= len(_AGE_CUM):
            b = len(_AGE_CUM) - 1
        mix = fixed_mix or _AGE_CUM[b]
        code = STATUS_CODES[bisect.bisect_right(mix, r())]
        level = _LEVEL[code]
        cod = code != "unpaid" and r() < cod_share
        pre_order = r() < preorder_share

        # timeline
        paid = rts = shipped = delivered = cancelled = -1
        cancel_by = cancel_reason = ""
        if code == "cancelled":
            x = r()
            if not cod and x < 0.3:  # never paid: the payment window ran out
                cancelled = created + 1800 + int(r() * 84600)
                cancel_by = _CANCEL_BY[lg]["system"]
                cancel_reason = _CANCEL_REASONS[lg]["overdue"][0]
            else:
                if not cod:
                    paid = created + 5 + int(r() * 1200)
                base = paid if paid >= 0 else created
                if r() < 0.15:  # cancelled after shipment was arranged
                    rts = base + 600 + int(r() * 129600)
                    cancelled = rts + 3600 + int(r() * 172800)
                else:
                    cancelled = base + 600 + int(r() * 172800)
                y = r()
                who = "buyer" if y < 0.6 else "seller" if y < 0.85 else "system"
                cancel_by = _CANCEL_BY[lg][who]
                reasons = _CANCEL_REASONS[lg]["late" if who == "system" else who]
                cancel_reason = reasons[int(r() * len(reasons))]
            last = cancelled
        else:
            if level >= 1 and not cod:
                paid = created + 5 + int(r() * 1200)
            last = base = paid if paid >= 0 else created
            if level >= 2:
                rts = base + 600 + int(r() * 129600)
                if pre_order:
                    rts += 2 * 86400 + int(r() * 5 * 86400)
                last = rts
            if level >= 3:
                last = shipped = rts + 3600 + int(r() * 108000)
            if level >= 4:
                last = delivered = shipped + 86400 + int(r() * 345600)
        limit = t_exp - 60
        if last > limit:  # squeeze the timeline so that nothing is after the export
            f = max(0.0, (limit - created) / (last - created))
            if paid >= 0:
                paid = created + int((paid - created) * f)
            if rts >= 0:
                rts = created + int((rts - created) * f)
            if shipped >= 0:
                shipped = created + int((shipped - created) * f)
            if delivered >= 0:
                delivered = created + int((delivered - created) * f)
            if cancelled >= 0:
                cancelled = created + int((cancelled - created) * f)

        # lines: distinct SKUs, quantities, discounts
        lines = []
        used: set[int] = set()
        sum_after = 0
        weight = 0.0
        for _ in range(n_in_order):
            s = int(r() * n_skus)
            while s in used:
                s = int(r() * n_skus)
            used.add(s)
            q = r()
            qty = 1 if q < 0.8 else 2 if q < 0.93 else 3 if q < 0.98 else 5
            sku = skus[s]
            before = sku[4] * qty
            d = r()
            seller_disc = (before * (5 + int(d * 100) % 16) // 10000) * 100 if d < 0.3 else 0
            plat_disc = (before // 2000) * 100 if 0.3 <= d < 0.4 else 0
            after = before - seller_disc - plat_disc
            sum_after += after
            weight += sku[6] * qty
            lines.append((sku, qty, before, plat_disc, seller_disc, after))

        ship_orig = _SHIPPING_FEES[int(r() * n_fees)]
        d = r()
        ship_pdisc = ship_orig if d < 0.35 else min(ship_orig, 10000) if d < 0.5 else 0
        ship_sdisc = min(ship_orig - ship_pdisc, 5000) if r() < 0.05 else 0
        ship_after = ship_orig - ship_pdisc - ship_sdisc
        amount = sum_after + ship_after

        # order-level cells
        row = templates[lg].copy()
        oid = 576000000000000000 + (created - t0) * 10**7 + int(r() * 10**7)
        if oid <= last_oid:
            oid = last_oid + 1 + int(r() * 1000)
        last_oid = oid
        row[i_oid] = f"{oid}\t"
        row[i_status], row[i_sub] = STATUS_LABELS[code][lg]
        if code == "cancelled":
            row[i_ctype] = _CANCEL_TYPE[lg]
            row[i_cby] = cancel_by
            row[i_creason] = cancel_reason
        row[i_pre] = "Pre-order" if pre_order else "Normal"
        row[i_ship_after] = str(ship_after)
        row[i_ship_orig] = str(ship_orig)
        row[i_ship_sdisc] = str(ship_sdisc)
        row[i_ship_pdisc] = str(ship_pdisc)
        row[i_amount] = str(amount)
        row[i_refund] = str(amount) if code == "cancelled" and paid >= 0 else "0"
        for i, t in zip(i_times, (created, paid, rts, shipped, delivered, cancelled), strict=True):
            row[i] = dates[t // 86400] + hms[t % 86400] if t >= 0 else "\t"
        c = bisect.bisect_right(courier_cum, r())
        courier, prefix, width, _ = _COURIERS[c]
        row[i_courier] = courier
        if rts >= 0:
            row[i_track] = f"{prefix}{tracking_base[c] + k * 10 + int(r() * 10):0{width}d}"
        options = _DELIVERY_OPTIONS[lg]
        row[i_dopt] = options[int(r() * len(options))]
        if r() < 0.12:
            row[i_msg] = _BUYER_MESSAGES[int(r() * n_messages)]
        buyer = int(r() * n_buyers)
        loc = _LOCATIONS[buyer % n_locations]
        row[i_user] = f"fake_buyer_{buyer:07d}"
        row[i_recip] = f"Pembeli Fiktif {buyer}"
        row[i_phone] = f"(+62)8000{buyer:07d}"
        row[i_zip] = loc[4] + "\t"
        row[i_prov], row[i_city], row[i_dist], row[i_vill] = loc[0], loc[1], loc[2], loc[3]
        row[i_addr] = (
            f"Jl. Contoh Fiktif No. {buyer % 97 + 1}, RT {buyer % 9 + 1:02d}/RW {buyer % 7 + 1:02d}"
        )
        row[i_addx] = _ADDRESS_EXTRA[buyer % len(_ADDRESS_EXTRA)]
        row[i_pay] = cod_label if cod else _NON_COD_METHODS[int(r() * len(_NON_COD_METHODS))]
        row[i_weight] = f"{weight:.3f}".rstrip("0").rstrip(".")
        row[i_pkg] = f"{1152000000000000000 + k * 1000 + int(r() * 1000)}\t"
        if r() < 0.03:
            row[i_note] = _SELLER_NOTES[int(r() * len(_SELLER_NOTES))]
        if i_creator is not None and r() < 0.15:
            row[i_creator] = f"@kreator_contoh_{int(r() * 500)}"

        # one row per SKU line
        for sku, qty, before, plat_disc, seller_disc, after in lines:
            line = row.copy()
            line[i_sku] = sku[0]
            line[i_ssku] = sku[1]
            line[i_name] = sku[2]
            line[i_var] = sku[3]
            line[i_qty] = str(qty)
            line[i_unit] = str(sku[4])
            line[i_before] = str(before)
            line[i_pdisc] = str(plat_disc)
            line[i_sdisc] = str(seller_disc)
            line[i_after] = str(after)
            line[i_cat] = sku[5]
            yield line


def iter_lines(
    n_lines: int, seed: int = 0, layout: int = 65, **kwargs: Any
) -> Iterator[dict[str, str]]:
    """Like ``iter_rows`` but each row is a dict {column name: CSV cell value}."""
    columns = columns_for(layout)
    for row in iter_rows(n_lines, seed, layout, **kwargs):
        yield dict(zip(columns, row, strict=True))


def generate_lines(
    n_lines: int,
    seed: int = 0,
    layout: int = 65,
    *,
    start: datetime = DEFAULT_START,
    end: datetime = DEFAULT_END,
    exported_at: datetime = DEFAULT_EXPORTED_AT,
    lang: str = "en",
    cod_share: float = 0.25,
    preorder_share: float = 0.05,
    cod_label: str = "Cash on delivery",
    status_weights: Mapping[str, float] | None = None,
) -> list[dict[str, str]]:
    """``n_lines`` export lines as dicts {column: CSV cell value}, keys in the layout's order.

    Values are the raw cell text (trailing tabs included: ``row["Order ID"].strip()`` is the ID).
    See ``iter_rows`` for the parameters.
    """
    return list(
        iter_lines(
            n_lines, seed, layout, start=start, end=end, exported_at=exported_at, lang=lang,
            cod_share=cod_share, preorder_share=preorder_share, cod_label=cod_label,
            status_weights=status_weights,
        )
    )  # fmt: skip


# ----------------------------------------------------------------------------- writers


def _resolve_columns(
    first: Mapping[str, str] | Sequence[str] | None,
    columns: Sequence[str] | None,
    layout: int | None,
) -> list[str]:
    if columns is not None:
        return list(columns)
    if isinstance(first, Mapping):
        return list(first.keys())
    if layout is not None:
        return list(columns_for(layout))
    if first is not None and len(first) in LAYOUTS:
        return list(LAYOUTS[len(first)])
    if first is None:
        return list(COLUMNS_65)
    raise ValueError("rows are sequences: pass columns= or layout=")


def _as_lists(
    first: Mapping[str, str] | Sequence[str],
    rest: Iterator[Mapping[str, str] | Sequence[str]],
    columns: Sequence[str],
) -> Iterator[Sequence[str]]:
    if isinstance(first, Mapping):
        for row in itertools.chain([first], rest):
            assert isinstance(row, Mapping)
            yield [row.get(c, "") for c in columns]
    else:
        yield first
        yield from rest  # type: ignore[misc]


def write_csv(
    rows: Iterable[Mapping[str, str] | Sequence[str]],
    path_or_stream: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    columns: Sequence[str] | None = None,
    layout: int | None = None,
    bom: bool = True,
    newline: str = "\r\n",
) -> int:
    """Write rows as Seller Center does: UTF-8 with BOM, commas, minimal quoting.

    ``rows`` are dicts (columns default to the first dict's keys) or sequences (columns from
    ``columns=``, ``layout=`` or their length, 53/65). ``path_or_stream`` is a path, a text
    stream (the BOM is written as U+FEFF) or a binary stream. ``newline`` ends each record
    ("\\r\\n" like the csv module's excel dialect, or "\\n"; with "\\n", a "\\r\\n" inside a value
    becomes "\\n", because the csv module would not quote a lone "\\r"). Returns the number of
    data lines written.
    """
    it = iter(rows)
    first = next(it, None)
    cols = _resolve_columns(first, columns, layout)
    data: Iterable[Sequence[str]] = () if first is None else _as_lists(first, it, cols)
    if "\r" not in newline:
        data = ([v.replace("\r\n", "\n") if "\r" in v else v for v in row] for row in data)
    count = 0

    def counted(source: Iterable[Sequence[str]]) -> Iterator[Sequence[str]]:
        nonlocal count
        for row in source:
            count += 1
            yield row

    def emit(stream: IO[str]) -> None:
        if bom:
            stream.write("\ufeff")
        writer = csv.writer(stream, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(cols)
        writer.writerows(counted(data))

    if isinstance(path_or_stream, (str, os.PathLike)):
        with open(path_or_stream, "w", encoding="utf-8", newline="", buffering=1 << 20) as f:
            emit(f)
    elif not (
        isinstance(path_or_stream, (io.RawIOBase, io.BufferedIOBase))
        or "b" in str(getattr(path_or_stream, "mode", ""))
    ):
        emit(cast("IO[str]", path_or_stream))
    else:
        binary: Any = path_or_stream
        wrapper = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        try:
            emit(wrapper)
            wrapper.flush()
        finally:
            wrapper.detach()
    return count


#: Row 2 of the XLSX export: one description per column.
DESCRIPTIONS: dict[str, str] = {
    "Order ID": "Platform unique order ID.",
    "Order Status": "Current order status.",
    "Order Substatus": "Current order substatus.",
    "Cancelation/Return Type": "Cancellation or return/refund type.",
    "Normal or Pre-order": "Whether the order is a normal order or a pre-order.",
    "SKU ID": "Platform unique SKU ID.",
    "Seller SKU": "SKU code set by the seller.",
    "Product Name": "Product name.",
    "Variation": "SKU variation.",
    "Quantity": "SKU quantity ordered.",
    "Sku Quantity of return": "SKU quantity returned.",
    "SKU Unit Original Price": "SKU unit price before discount.",
    "SKU Subtotal Before Discount": "SKU unit original price x quantity.",
    "SKU Platform Discount": "SKU discount paid by the platform.",
    "SKU Seller Discount": "SKU discount paid by the seller.",
    "SKU Subtotal After Discount": "SKU subtotal after discounts.",
    "Shipping Fee After Discount": "Shipping fee paid by the buyer.",
    "Original Shipping Fee": "Shipping fee before discounts.",
    "Shipping Fee Seller Discount": "Shipping fee discount paid by the seller.",
    "Shipping Fee Platform Discount": "Shipping fee discount paid by the platform.",
    "Taxes": "Taxes.",
    "Order Amount": "Total amount paid by the buyer for the order.",
    "Order Refund Amount": "Amount refunded to the buyer.",
    "Created Time": "Time the order was placed.",
    "Paid Time": "Time the order was paid.",
    "RTS Time": "Time the order was set ready to ship.",
    "Shipped Time": "Time the package was collected by the carrier.",
    "Delivered Time": "Time the package was delivered.",
    "Cancelled Time": "Time the order was cancelled.",
    "Cancel By": "Who cancelled the order.",
    "Cancel Reason": "Reason for the cancellation.",
    "Fulfillment Type": "Who fulfils the order.",
    "Warehouse Name": "Warehouse the order ships from.",
    "Tracking ID": "Tracking number of the package.",
    "Delivery Option": "Delivery option chosen by the buyer.",
    "Shipping Provider Name": "Carrier delivering the package.",
    "Buyer Message": "Message left by the buyer.",
    "Buyer Username": "Buyer's username.",
    "Recipient": "Recipient's name.",
    "Phone #": "Recipient's phone number.",
    "Zipcode": "Recipient's postal code.",
    "Country": "Recipient's country.",
    "Province": "Recipient's province.",
    "Regency and City": "Recipient's regency or city.",
    "Districts": "Recipient's district.",
    "Villages": "Recipient's village.",
    "Detail Address": "Recipient's street address.",
    "Additional address information": "Additional address information.",
    "Payment Method": "Payment method.",
    "Weight(kg)": "Package weight in kg.",
    "Product Category": "Product category.",
    "Package ID": "Platform unique package ID.",
    "Seller Note": "Note written by the seller.",
}


def write_xlsx(
    rows: Iterable[Mapping[str, str] | Sequence[str]],
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] | None = None,
    layout: int | None = None,
    description_row: bool = True,
    numbers: bool = True,
    stale_dimension: bool = False,
    sheet_title: str = "OrderSKUList",
) -> int:
    """Write rows as Seller Center's XLSX export: headers in row 1, descriptions in row 2.

    Trailing tabs are dropped (they are a CSV quirk), IDs/times/phone/zipcode stay text, an
    empty cell is empty. ``numbers``: money, Quantity and Weight(kg) as numbers (else text).
    ``stale_dimension``: the sheet claims ``A1:A1`` like some real files (breaks readers that
    trust it). Slow beyond ~100k lines (openpyxl). Returns the number of data lines written.
    """
    from openpyxl import Workbook

    it = iter(rows)
    first = next(it, None)
    cols = _resolve_columns(first, columns, layout)
    data: Iterable[Sequence[str]] = () if first is None else _as_lists(first, it, cols)
    numeric = {i for i, c in enumerate(cols) if c in MONEY_COLUMNS or c == "Quantity"}
    numeric |= {i for i, c in enumerate(cols) if c in ("Sku Quantity of return", "Weight(kg)")}

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title)
    ws.append(list(cols))
    if description_row:
        ws.append([DESCRIPTIONS.get(c, f"{c}.") for c in cols])
    count = 0
    for row in data:
        cells: list[Any] = []
        for i, value in enumerate(row):
            v = value.rstrip("\t")
            if not v:
                cells.append(None)
            elif numbers and i in numeric:
                cells.append(float(v) if "." in v else int(v))
            else:
                cells.append(v)
        ws.append(cells)
        count += 1
    path = Path(path)
    wb.save(path)
    if stale_dimension:
        _stale_dimension(path)
    return count


def _stale_dimension(path: Path) -> None:
    """Rewrite the worksheets' <dimension> to A1:A1 (as some real exports do)."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet") and info.filename.endswith(".xml"):
                text = data.decode("utf-8")
                if "<dimension " in text:
                    text = re.sub(
                        r"<dimension ref=\"[^\"]*\"\s*/>", '<dimension ref="A1:A1"/>', text
                    )
                else:
                    text = re.sub(
                        r"(<(?:sheetViews|sheetFormatPr|cols|sheetData)[\s>/])",
                        r'<dimension ref="A1:A1"/>\1',
                        text,
                        count=1,
                    )
                data = text.encode("utf-8")
            dst.writestr(info, data)
    os.replace(tmp, path)


def generate_file(
    path: str | os.PathLike[str],
    n_lines: int,
    *,
    fmt: str | None = None,
    seed: int = 0,
    layout: int = 65,
    bom: bool = True,
    newline: str = "\r\n",
    stale_dimension: bool = False,
    **kwargs: Any,
) -> int:
    """Generate and write ``n_lines`` lines to ``path`` atomically (temp file + rename).

    ``fmt`` is ``csv`` or ``xlsx`` (default: from the suffix). ``kwargs`` go to ``iter_rows``.
    Returns the number of lines written.
    """
    path = Path(path)
    fmt = fmt or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    rows = iter_rows(n_lines, seed, layout, **kwargs)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt == "csv":
            n = write_csv(rows, tmp, layout=layout, bom=bom, newline=newline)
        elif fmt == "xlsx":
            n = write_xlsx(rows, tmp, layout=layout, stale_dimension=stale_dimension)
        else:
            raise ValueError(f"format must be csv or xlsx, not {fmt!r}")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp made it 0600
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


# ----------------------------------------------------------------------------- CLI


def _parse_when(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    return dt.astimezone(WIB).replace(tzinfo=None) if dt.tzinfo else dt


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description="Generate a synthetic TikTok Shop Indonesia order export (Order SKU list)."
    )
    p.add_argument("--lines", type=int, required=True, help="number of lines (rows) to write")
    p.add_argument("--out", required=True, help="output file, or - for CSV on standard output")
    p.add_argument("--layout", type=int, choices=(53, 65), default=65)
    p.add_argument("--format", choices=("csv", "xlsx"), help="default: from --out's suffix")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--lang",
        choices=("en", "id", "mixed"),
        default="en",
        help="language of the status words (and other localized values)",
    )
    p.add_argument(
        "--start",
        type=_parse_when,
        default=DEFAULT_START,
        help="first Created Time (ISO 8601, naive = WIB)",
    )
    p.add_argument("--end", type=_parse_when, default=DEFAULT_END, help="last Created Time")
    p.add_argument(
        "--exported-at",
        type=_parse_when,
        default=DEFAULT_EXPORTED_AT,
        help="when the export was made: no time is later",
    )
    p.add_argument("--cod-share", type=float, default=0.25)
    p.add_argument("--preorder-share", type=float, default=0.05)
    p.add_argument(
        "--uniform-status",
        action="store_true",
        help="every status equally likely (default: the mix depends on the order's age)",
    )
    p.add_argument("--newline", choices=("crlf", "lf"), default="crlf")
    p.add_argument("--no-bom", action="store_true", help="CSV without the UTF-8 BOM")
    p.add_argument(
        "--stale-dimension",
        action="store_true",
        help="XLSX: claim the sheet is A1:A1, as some real files do",
    )
    args = p.parse_args(argv)  # fmt: skip

    fmt = args.format or ("xlsx" if args.out.lower().endswith(".xlsx") else "csv")
    if fmt == "xlsx" and args.out == "-":
        p.error("XLSX needs a file (--out FILE.xlsx)")
    if fmt == "xlsx" and args.lines > 1_048_574:
        p.error("XLSX holds at most 1,048,574 lines (headers and descriptions take two rows)")
    options: dict[str, Any] = {
        "start": args.start, "end": args.end, "exported_at": args.exported_at,
        "lang": args.lang, "cod_share": args.cod_share, "preorder_share": args.preorder_share,
    }  # fmt: skip
    if args.uniform_status:
        options["status_weights"] = dict.fromkeys(STATUS_CODES, 1.0)
    newline = "\r\n" if args.newline == "crlf" else "\n"
    t = time.perf_counter()
    try:
        if args.out == "-":
            n = write_csv(
                iter_rows(args.lines, args.seed, args.layout, **options),
                sys.stdout.buffer, layout=args.layout, bom=not args.no_bom, newline=newline,
            )  # fmt: skip
            sys.stdout.flush()
            size = None
        elif fmt == "csv":
            n = generate_file(
                args.out, args.lines, fmt="csv", seed=args.seed, layout=args.layout,
                bom=not args.no_bom, newline=newline, **options,
            )  # fmt: skip
            size = os.path.getsize(args.out)
        else:
            rows = iter_rows(args.lines, args.seed, args.layout, **options)
            n = write_xlsx(rows, args.out, layout=args.layout,
                           stale_dimension=args.stale_dimension)  # fmt: skip
            size = os.path.getsize(args.out)
    except ValueError as e:
        p.error(str(e))
    elapsed = time.perf_counter() - t
    where = "stdout" if size is None else f"{args.out} ({size / 1e6:.1f} MB)"
    print(f"wrote {n} lines, layout {args.layout}, {fmt}, seed {args.seed} to {where} "
          f"in {elapsed:.1f} s", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
