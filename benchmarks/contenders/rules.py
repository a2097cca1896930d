"""The contract's rules as plain tables, shared by the Polars and DuckDB contenders.

Written from /work/shared/spec/cli-contract.md and the project's README (not imported from the
project, so a contender is what a data-savvy user could write next to it). Standard library only.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

# The export's columns a scan reads, by the names the scan writes.
COLUMNS: dict[str, str] = {
    "order_id": "Order ID",
    "status": "Order Status",
    "substatus": "Order Substatus",
    "pre_order": "Normal or Pre-order",
    "sku_id": "SKU ID",
    "quantity": "Quantity",
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
}
TIMES = ("created_time", "paid_time", "rts_time", "shipped_time", "delivered_time",
         "cancelled_time")  # fmt: skip
TIME_FORMAT = "%d/%m/%Y %H:%M:%S"  # Seller Center's, in WIB (UTC+07:00 all year)
WIB = timezone(timedelta(hours=7))
OFFSET_TEXT = "+07:00"

# Stage codes: what the status text says.
UNPAID, TO_SHIP, AWAITING_SHIPMENT, AWAITING_COLLECTION, HANDED_OVER, CANCELLED = range(6)
EMPTY, UNKNOWN = -1, -2
STATUS_WORDS: dict[str, int] = {
    "unpaid": UNPAID, "awaiting payment": UNPAID, "belum dibayar": UNPAID,
    "menunggu pembayaran": UNPAID,
    "to ship": TO_SHIP, "perlu dikirim": TO_SHIP, "partially shipping": TO_SHIP,
    "dikirim sebagian": TO_SHIP, "partially_shipping": TO_SHIP,
    "awaiting shipment": AWAITING_SHIPMENT, "menunggu pengiriman": AWAITING_SHIPMENT,
    "awaiting_shipment": AWAITING_SHIPMENT,
    "awaiting collection": AWAITING_COLLECTION, "ready to ship": AWAITING_COLLECTION,
    "menunggu pengambilan": AWAITING_COLLECTION, "siap dikirim": AWAITING_COLLECTION,
    "awaiting_collection": AWAITING_COLLECTION,
    "shipped": HANDED_OVER, "in transit": HANDED_OVER, "delivered": HANDED_OVER,
    "completed": HANDED_OVER, "dikirim": HANDED_OVER, "sedang transit": HANDED_OVER,
    "dalam pengiriman": HANDED_OVER, "dalam perjalanan": HANDED_OVER, "terkirim": HANDED_OVER,
    "sudah diterima": HANDED_OVER, "selesai": HANDED_OVER, "in_transit": HANDED_OVER,
    "cancelled": CANCELLED, "canceled": CANCELLED, "dibatalkan": CANCELLED, "batal": CANCELLED,
}  # fmt: skip
# When an order's lines say different stages, the most advanced wins (a cancelled line loses
# to a live one): the rank of each stage, higher = more advanced.
PROGRESSION_RANK: dict[int, int] = {
    CANCELLED: 0, UNPAID: 1, TO_SHIP: 2, AWAITING_SHIPMENT: 3, AWAITING_COLLECTION: 4,
    HANDED_OVER: 5,
}  # fmt: skip
STAGE_OF_RANK = {rank: stage for stage, rank in PROGRESSION_RANK.items()}

COD_PATTERN = r"(?i)cash on delivery|bayar di tempat|\bcod\b"
PRE_ORDER_PATTERN = r"(?i)pre[- ]?order|pra[- ]?pesan|^po$"
FORMULA_START = r"^[=+\-@\t\r]"

# Flags, in the report's order (at risk first); the value is the sort rank.
FLAGS = ("awaiting_pickup", "to_ship", "auto_cancelled", "unpaid", "handed_over", "cancelled")
WARNINGS = ("created_after_shutdown", "unknown_status", "status_timestamp_conflict",
            "order_amount_varies", "unparseable_time", "lines_disagree")  # fmt: skip

OUTPUT = ("order_id", "flag", "status", "substatus", "created_time", "paid_time", "rts_time",
          "shipped_time", "cancelled_time", "hours_left", "lines", "units", "order_amount",
          "payment_method", "cod", "pre_order", "shipping_provider", "tracking_id",
          "warnings")  # fmt: skip
TEXT_OUTPUT = ("order_id", "flag", "status", "substatus", "payment_method", "shipping_provider",
               "tracking_id", "warnings")  # fmt: skip

CUTOFF = "2023-11-05T23:59:59+07:00"
SHUTDOWN = "2023-10-04T17:00:00+07:00"


def moment(text: str) -> datetime:
    """ISO 8601 or `YYYY-MM-DD HH:MM`; naive means WIB."""
    value = datetime.fromisoformat(text.strip())
    return value.replace(tzinfo=WIB) if value.tzinfo is None else value


def wib_naive(value: datetime) -> datetime:
    """The moment as a WIB wall-clock time without zone (how the contenders hold times)."""
    return value.astimezone(WIB).replace(tzinfo=None)


def parse_args(argv: list[str]) -> tuple[str, datetime, datetime, datetime]:
    """`SCRIPT EXPORT [--as-of WHEN] [--cutoff WHEN] [--shutdown WHEN]`."""
    path, options = argv[0], dict(zip(argv[1::2], argv[2::2], strict=False))
    unknown = set(options) - {"--as-of", "--cutoff", "--shutdown"}
    if unknown or len(argv) % 2 != 1:
        sys.exit(f"usage: {sys.argv[0]} EXPORT [--as-of WHEN] [--cutoff WHEN] [--shutdown WHEN]")
    as_of = moment(options.get("--as-of", datetime.now(WIB).isoformat()))
    return (path, as_of, moment(options.get("--cutoff", CUTOFF)),
            moment(options.get("--shutdown", SHUTDOWN)))  # fmt: skip


def hours_left(as_of: datetime, cutoff: datetime) -> str:
    return f"{round((cutoff - as_of).total_seconds() / 3600, 1):.1f}"
