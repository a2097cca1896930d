"""The one column contract of a Seller Center export: fields, headers, time formats."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tiktok_transition.errors import ExportError, UsageError
from tiktok_transition.reader import resaved

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd


# Internal name -> the export's column name (exact spelling of Seller Center's header).
FIELDS: dict[str, str] = {
    "order_id": "Order ID",
    "status": "Order Status",
    "substatus": "Order Substatus",
    "pre_order": "Normal or Pre-order",
    "sku_id": "SKU ID",
    "seller_sku": "Seller SKU",
    "product_name": "Product Name",
    "variation": "Variation",
    "quantity": "Quantity",
    "unit_price": "SKU Unit Original Price",
    "subtotal": "SKU Subtotal After Discount",
    "order_amount": "Order Amount",
    "created_time": "Created Time",
    "paid_time": "Paid Time",
    "rts_time": "RTS Time",
    "shipped_time": "Shipped Time",
    "delivered_time": "Delivered Time",
    "cancelled_time": "Cancelled Time",
    "payment_method": "Payment Method",
    "shipping_provider": "Shipping Provider Name",
    "tracking_id": "Tracking ID",
    "product_category": "Product Category",
    "buyer_username": "Buyer Username",
    "recipient": "Recipient",
    "phone": "Phone #",
    "zipcode": "Zipcode",
    "province": "Province",
    "city": "Regency and City",
    "district": "Districts",
    "village": "Villages",
    "detail_address": "Detail Address",
    "address_extra": "Additional address information",
}
# Every column of the 53- and 65-column layouts, for validating `--column` overrides.
KNOWN_COLUMNS: tuple[str, ...] = (
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "SKU ID", "Seller SKU", "Product Name", "Variation", "Quantity",
    "Sku Quantity of return", "SKU Unit Original Price", "SKU Subtotal Before Discount",
    "SKU Platform Discount", "SKU Seller Discount", "SKU Subtotal After Discount",
    "Shipping Fee After Discount", "Original Shipping Fee", "Shipping Fee Seller Discount",
    "Shipping Fee Platform Discount", "Taxes", "Distance Shipping Fee", "Distance Fee",
    "Order Refund Amount", "Payment platform discount", "Buyer Service Fee", "Handling Fee",
    "Shipping Insurance", "Item Insurance", "Order Amount", "Created Time", "Paid Time",
    "RTS Time", "Shipped Time", "Delivered Time", "Cancelled Time", "Cancel By",
    "Cancel Reason", "Fulfillment Type", "Warehouse Name", "Tracking ID", "Delivery Option",
    "Shipping Provider Name", "Buyer Message", "Buyer Username", "Recipient", "Phone #",
    "Zipcode", "Country", "Province", "Regency and City", "Districts", "Villages",
    "Detail Address", "Additional address information", "Payment Method", "Weight(kg)",
    "Product Category", "Package ID", "Purchase Channel", "Seller Note", "Checked Status",
    "Checked Marked by", "Tokopedia Invoice Number", "Order Channel", "Creator Handle",
)  # fmt: skip
# The pre-merger layout (53 columns, the likely 2023 file), in its order.
COLUMNS_53: tuple[str, ...] = (
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "SKU ID", "Seller SKU", "Product Name", "Variation", "Quantity",
    "Sku Quantity of return", "SKU Unit Original Price", "SKU Subtotal Before Discount",
    "SKU Platform Discount", "SKU Seller Discount", "SKU Subtotal After Discount",
    "Shipping Fee After Discount", "Original Shipping Fee", "Shipping Fee Seller Discount",
    "Shipping Fee Platform Discount", "Taxes", "Order Amount", "Order Refund Amount",
    "Created Time", "Paid Time", "RTS Time", "Shipped Time", "Delivered Time", "Cancelled Time",
    "Cancel By", "Cancel Reason", "Fulfillment Type", "Warehouse Name", "Tracking ID",
    "Delivery Option", "Shipping Provider Name", "Buyer Message", "Buyer Username", "Recipient",
    "Phone #", "Zipcode", "Country", "Province", "Regency and City", "Districts", "Villages",
    "Detail Address", "Additional address information", "Payment Method", "Weight(kg)",
    "Product Category", "Package ID", "Seller Note",
)  # fmt: skip

# The later layout (65 columns), in the order of a real file's header (the shared samples).
COLUMNS_65: tuple[str, ...] = (
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "SKU ID", "Seller SKU", "Product Name", "Variation", "Quantity",
    "Sku Quantity of return", "SKU Unit Original Price", "SKU Subtotal Before Discount",
    "SKU Platform Discount", "SKU Seller Discount", "SKU Subtotal After Discount",
    "Shipping Fee After Discount", "Original Shipping Fee", "Shipping Fee Seller Discount",
    "Shipping Fee Platform Discount", "Distance Shipping Fee", "Distance Fee",
    "Order Refund Amount", "Payment platform discount", "Buyer Service Fee", "Handling Fee",
    "Shipping Insurance", "Item Insurance", "Order Amount", "Created Time", "Paid Time",
    "RTS Time", "Shipped Time", "Delivered Time", "Cancelled Time", "Cancel By",
    "Cancel Reason", "Fulfillment Type", "Warehouse Name", "Tracking ID", "Delivery Option",
    "Shipping Provider Name", "Buyer Message", "Buyer Username", "Recipient", "Phone #",
    "Zipcode", "Country", "Province", "Regency and City", "Districts", "Villages",
    "Detail Address", "Additional address information", "Payment Method", "Weight(kg)",
    "Product Category", "Package ID", "Purchase Channel", "Seller Note", "Checked Status",
    "Checked Marked by", "Tokopedia Invoice Number", "Order Channel", "Creator Handle",
)  # fmt: skip

LAYOUTS: dict[int, tuple[str, ...]] = {53: COLUMNS_53, 65: COLUMNS_65}

REQUIRED = ("order_id", "status", "created_time")
TIME_FIELDS = (
    "created_time", "paid_time", "rts_time", "shipped_time", "delivered_time", "cancelled_time",
)  # fmt: skip
MONEY_FIELDS = ("unit_price", "subtotal", "order_amount")
PII_FIELDS = (
    "buyer_username", "recipient", "phone", "zipcode", "province", "city", "district",
    "village", "detail_address", "address_extra",
)  # fmt: skip
# Text of a handful of distinct words, kept as categories (see `few_words`).
FEW_WORDS = ("status", "substatus", "pre_order", "payment_method", "shipping_provider")
# What `scan`, `summary` and `plan` need; the other commands ask for more.
TRIAGE_FIELDS = (
    "order_id", "status", "substatus", "pre_order", "sku_id", "quantity", "order_amount",
    *TIME_FIELDS, "payment_method", "shipping_provider", "tracking_id",
)  # fmt: skip
PRODUCT_FIELDS = (
    "seller_sku", "product_name", "variation", "product_category", "unit_price", "subtotal",
)  # fmt: skip
# Times as Seller Center writes them (day first, WIB), as a spreadsheet re-saves them (no
# seconds, `.` between hours and minutes in an Indonesian locale, a date alone), as Excel cells
# come out of the XLSX reader, and the US layout (the only one with AM/PM). Tried in this order,
# each only on the values still unread: a clean export costs one pass.
TIME_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %H.%M.%S",
    "%d/%m/%Y %H.%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d",
)
# A spreadsheet set to a short date format writes two-digit years.
SHORT_YEAR_FORMATS = ("%d/%m/%y %H:%M:%S", "%d/%m/%y %H:%M", "%d/%m/%y %H.%M", "%d/%m/%y")
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class Lines:
    """The SKU lines of one or more exports, and what the reader noticed on the way."""

    frame: pd.DataFrame
    notices: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    newest_evidence: datetime | None = None
    # Each line's order as a number (`id_codes` of its Order ID), for `triage`.
    order_codes: npt.NDArray[np.int64] | None = None
    # The lines that may repeat another (`merge.repeat_candidates`), when the reader found them.
    maybe_repeated: npt.NDArray[np.bool_] | None = None


@dataclass(frozen=True)
class ReadOptions:
    """How to read: which fields, the zone of naive times, and column name overrides."""

    fields: Sequence[str] = TRIAGE_FIELDS
    tz: str = "Asia/Jakarta"
    overrides: Mapping[str, str] = field(default_factory=dict)
    # Called with (bytes read, total bytes) while a large file is read; None = silent.
    progress: Callable[[int, int], None] | None = None


def parse_column_overrides(specs: Iterable[str]) -> dict[str, str]:
    """`"Order ID=No. Pesanan"` -> {"Order ID": "No. Pesanan"}, checked against known columns."""
    overrides: dict[str, str] = {}
    known = {_fold(name): name for name in KNOWN_COLUMNS}
    for spec in specs:
        canonical, sep, actual = spec.partition("=")
        if not sep or not canonical.strip() or not actual.strip():
            raise UsageError("error.column_override_syntax", spec=spec)
        name = known.get(_fold(canonical))
        if name is None:
            raise UsageError(
                "error.column_override_unknown",
                name=canonical.strip(),
                known=", ".join(KNOWN_COLUMNS),
            )
        overrides[name] = actual.strip()
    return overrides


def _fold(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def fold_header(name: str) -> str:
    """A header as columns are matched: case, BOM and spacing ignored."""
    return _fold(name)


def locate_columns(header: Sequence[Any], options: ReadOptions, name: str) -> dict[str, int]:
    """Map each wanted field to its column index, by name; raise if a required one is missing."""
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        folded = _fold(str(raw) if raw is not None else "")
        positions.setdefault(folded, index)
    wanted: dict[str, int] = {}
    for field_name in options.fields:
        export_name = FIELDS[field_name]
        actual = options.overrides.get(export_name, export_name)
        position = positions.get(_fold(actual))
        if position is not None:
            wanted[field_name] = position
    missing = [FIELDS[f] for f in REQUIRED if f not in wanted]
    if missing:
        resaved.refuse_misdecoded_header(header, name)
        known = {_fold(c) for c in KNOWN_COLUMNS}
        found = [str(h).strip() for h in header if h is not None and _fold(str(h)) in known]
        raise ExportError(
            "error.not_an_export",
            file=name,
            missing=", ".join(missing),
            found=", ".join(found[:8]) + (", ..." if len(found) > 8 else "") or "-",
            others=len([h for h in header if h is not None and str(h).strip()]) - len(found),
        )
    return wanted
