"""What an order's status says: its stage, its flag against the cutoff, the warning words."""

from __future__ import annotations

from enum import StrEnum


class Flag(StrEnum):
    """Where an order stands against the cutoff (the contract's words)."""

    AWAITING_PICKUP = "awaiting_pickup"
    TO_SHIP = "to_ship"
    AUTO_CANCELLED = "auto_cancelled"
    UNPAID = "unpaid"
    HANDED_OVER = "handed_over"
    CANCELLED = "cancelled"


# Report order: what needs the seller first.
FLAG_ORDER: tuple[Flag, ...] = tuple(Flag)
AT_RISK: tuple[Flag, ...] = (Flag.AWAITING_PICKUP, Flag.TO_SHIP)
# Orders that still need the seller: at risk before the cutoff, auto-cancelled once it passed.
# The plan places them, their hours are timed, and --fail-on-risk exits 1 for them.
NEEDS_ACTION: tuple[Flag, ...] = (*AT_RISK, Flag.AUTO_CANCELLED)


class Stage(StrEnum):
    """What the status text says, before the timestamps have their say."""

    UNPAID = "unpaid"
    TO_SHIP = "to_ship"  # the parent status, says nothing about the arrangement
    AWAITING_SHIPMENT = "awaiting_shipment"
    AWAITING_COLLECTION = "awaiting_collection"
    HANDED_OVER = "handed_over"
    CANCELLED = "cancelled"


# Status and substatus words, English and Indonesian, compared case- and space-insensitively.
# Verified in real exports: Perlu dikirim, Menunggu pengambilan, Dikirim, Sedang transit, Selesai;
# the rest follows Seller Center's Indonesian UI and is assumed (see the domain notes).
STATUS_WORDS: dict[str, Stage] = {
    "unpaid": Stage.UNPAID,
    "awaiting payment": Stage.UNPAID,
    "belum dibayar": Stage.UNPAID,
    "menunggu pembayaran": Stage.UNPAID,
    "to ship": Stage.TO_SHIP,
    "perlu dikirim": Stage.TO_SHIP,
    "partially shipping": Stage.TO_SHIP,
    "dikirim sebagian": Stage.TO_SHIP,
    "awaiting shipment": Stage.AWAITING_SHIPMENT,
    "menunggu pengiriman": Stage.AWAITING_SHIPMENT,
    "awaiting collection": Stage.AWAITING_COLLECTION,
    "ready to ship": Stage.AWAITING_COLLECTION,
    "menunggu pengambilan": Stage.AWAITING_COLLECTION,
    "siap dikirim": Stage.AWAITING_COLLECTION,
    "shipped": Stage.HANDED_OVER,
    "in transit": Stage.HANDED_OVER,
    "delivered": Stage.HANDED_OVER,
    "completed": Stage.HANDED_OVER,
    "dikirim": Stage.HANDED_OVER,
    "sedang transit": Stage.HANDED_OVER,
    "dalam pengiriman": Stage.HANDED_OVER,
    "dalam perjalanan": Stage.HANDED_OVER,
    "terkirim": Stage.HANDED_OVER,
    "sudah diterima": Stage.HANDED_OVER,
    "selesai": Stage.HANDED_OVER,
    "cancelled": Stage.CANCELLED,
    "canceled": Stage.CANCELLED,
    "dibatalkan": Stage.CANCELLED,
    "batal": Stage.CANCELLED,
    # The Open API's status codes (domain notes), for files assembled from the API rather than
    # exported; UNPAID, DELIVERED, COMPLETED and CANCELLED are the English words above.
    "awaiting_shipment": Stage.AWAITING_SHIPMENT,
    "awaiting_collection": Stage.AWAITING_COLLECTION,
    "partially_shipping": Stage.TO_SHIP,
    "in_transit": Stage.HANDED_OVER,
}
COD_PATTERN = r"(?i)cash on delivery|bayar di tempat|\bcod\b"
PRE_ORDER_PATTERN = r"(?i)pre[- ]?order|pra[- ]?pesan|^po$"
# Warning words (the contract's `warnings` column).
W_CREATED_AFTER_SHUTDOWN = "created_after_shutdown"
W_UNKNOWN_STATUS = "unknown_status"
W_CONFLICT = "status_timestamp_conflict"
W_AMOUNT_VARIES = "order_amount_varies"
W_UNPARSED_TIME = "unparseable_time"
W_LINES_DISAGREE = "lines_disagree"
# When an order's lines say different stages, the most advanced evidence wins, in this order
# (last wins). A cancelled line loses to a live one: a cancelled SKU does not cancel the rest.
PROGRESSION: tuple[Stage, ...] = (
    Stage.CANCELLED, Stage.UNPAID, Stage.TO_SHIP, Stage.AWAITING_SHIPMENT,
    Stage.AWAITING_COLLECTION, Stage.HANDED_OVER,
)  # fmt: skip


def normalize_status(text: str) -> str:
    return " ".join(text.split()).casefold()


def stage_of(text: str) -> Stage | None:
    """The stage a status word names, or None for an empty or unknown word."""
    return STATUS_WORDS.get(normalize_status(text))
