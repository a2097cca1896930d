"""Lines -> orders -> flags against the cutoff. Pure functions over frames: no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


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

SCAN_COLUMNS: tuple[str, ...] = (
    "order_id", "flag", "status", "substatus", "created_time", "paid_time", "rts_time",
    "shipped_time", "cancelled_time", "hours_left", "lines", "units", "order_amount",
    "payment_method", "cod", "pre_order", "shipping_provider", "tracking_id", "warnings",
)  # fmt: skip
PII_COLUMNS: tuple[str, ...] = ("buyer_username", "recipient", "phone", "address")
_ADDRESS_PARTS = (
    "detail_address", "address_extra", "village", "district", "city", "province", "zipcode",
)  # fmt: skip


@dataclass(frozen=True)
class Judgement:
    """The moments an order is judged against, all timezone-aware."""

    as_of: datetime
    cutoff: datetime
    shutdown: datetime

    @property
    def hours_left(self) -> float:
        """Hours from `as_of` to the cutoff, one decimal; negative once it has passed."""
        return round((self.cutoff - self.as_of).total_seconds() / 3600, 1)


def normalize_status(text: str) -> str:
    return " ".join(text.split()).casefold()


def stage_of(text: str) -> Stage | None:
    """The stage a status word names, or None for an empty or unknown word."""
    return STATUS_WORDS.get(normalize_status(text))


def orders_from_lines(lines: pd.DataFrame, include_pii: bool = False) -> pd.DataFrame:
    """One row per order: order-level values taken once, lines counted, units summed."""
    import pandas as pd

    grouped = lines.groupby("order_id", sort=False)
    first_columns = [
        c
        for c in lines.columns
        if c not in ("order_id", "quantity", "order_amount", "source", "sku_id", "unparsed_time")
    ]
    orders = grouped[first_columns].first()
    orders["lines"] = grouped.size()
    orders["units"] = grouped["quantity"].sum()
    amounts = grouped["order_amount"].agg(["first", "min", "max"])
    orders["order_amount"] = amounts["first"]
    orders["amount_varies"] = amounts["min"] != amounts["max"]
    orders["unparsed_time"] = grouped["unparsed_time"].any()
    if include_pii:
        orders["address"] = _join_address(orders)
    orders = orders.reset_index()
    return (
        orders.astype({"lines": "int64", "units": "int64"}) if len(orders) else _empty(orders, pd)
    )


def _empty(orders: pd.DataFrame, pd: Any) -> pd.DataFrame:
    return orders.astype({"lines": "int64", "units": "int64", "order_amount": "int64"})


def _join_address(orders: pd.DataFrame) -> pd.Series:
    parts = [orders[c] for c in _ADDRESS_PARTS if c in orders.columns]
    if not parts:
        return orders["order_id"].map(lambda _: "")
    joined = parts[0].astype("str")
    for part in parts[1:]:
        joined = joined.where(part == "", joined.where(joined == "", joined + ", ") + part)
    return joined


def classify(orders: pd.DataFrame, judgement: Judgement) -> pd.DataFrame:
    """Flag every order: timestamps first, the status text to confirm or fill in."""
    import numpy as np
    import pandas as pd

    status_stage = _stages(orders["status"])
    sub_stage = _stages(orders["substatus"])
    stage = sub_stage.where(sub_stage.notna(), status_stage)
    unknown = ((orders["status"] != "") & status_stage.isna()) | (
        (orders["substatus"] != "") & sub_stage.isna()
    )

    cod = orders["payment_method"].str.contains(COD_PATTERN, regex=True)
    pre_order = orders["pre_order"].str.contains(PRE_ORDER_PATTERN, regex=True)
    paid = orders["paid_time"].notna()
    rts = orders["rts_time"].notna()
    shipped = orders["shipped_time"].notna() | orders["delivered_time"].notna()
    cancelled_at = orders["cancelled_time"].notna()

    is_cancelled = cancelled_at | (stage == Stage.CANCELLED)
    is_handed = shipped | (stage == Stage.HANDED_OVER)
    says_paid = stage.isin([Stage.TO_SHIP, Stage.AWAITING_SHIPMENT, Stage.AWAITING_COLLECTION])
    is_paid = paid | cod | rts | says_paid
    is_arranged = rts | (stage == Stage.AWAITING_COLLECTION)
    missed = judgement.as_of > judgement.cutoff

    conditions = [is_cancelled, is_handed, ~is_paid]
    choices = [Flag.CANCELLED.value, Flag.HANDED_OVER.value, Flag.UNPAID.value]
    if missed:
        conditions.append(pd.Series(True, index=orders.index))
        choices.append(Flag.AUTO_CANCELLED.value)
    conditions.append(is_arranged)
    choices.append(Flag.AWAITING_PICKUP.value)
    flag = np.select(conditions, choices, default=Flag.TO_SHIP.value)

    conflict = (
        ((stage == Stage.UNPAID) & (paid | rts | shipped))
        | (
            stage.isin([Stage.TO_SHIP, Stage.AWAITING_SHIPMENT, Stage.AWAITING_COLLECTION])
            & (shipped | cancelled_at)
        )
        | ((stage == Stage.AWAITING_SHIPMENT) & rts)
        | ((stage == Stage.HANDED_OVER) & cancelled_at)
    )
    warnings = _warning_words(
        [
            (W_CREATED_AFTER_SHUTDOWN, orders["created_time"] > judgement.shutdown),
            (W_UNKNOWN_STATUS, unknown),
            (W_CONFLICT, conflict),
            (W_AMOUNT_VARIES, orders["amount_varies"]),
            (W_UNPARSED_TIME, orders["unparsed_time"]),
        ],
        orders.index,
    )

    result = orders.assign(
        flag=pd.Series(flag, index=orders.index, dtype="str"),
        cod=cod,
        pre_order=pre_order,
        warnings=warnings,
    )
    hours = judgement.hours_left
    timed = result["flag"].isin([*AT_RISK, Flag.AUTO_CANCELLED])
    result["hours_left"] = pd.Series(np.where(timed, hours, math.nan), index=result.index)
    return sort_orders(result)


def _stages(words: pd.Series) -> pd.Series:
    """Map status words to stages through their few distinct values, not row by row."""
    import pandas as pd

    distinct = {word: stage_of(word) for word in words.unique()}
    return pd.Series(words.map(distinct), index=words.index, dtype="object")


def _warning_words(checks: list[tuple[str, pd.Series]], index: pd.Index) -> pd.Series:
    import pandas as pd

    words = pd.Series("", index=index, dtype="str")
    for word, mask in checks:
        mask = mask.fillna(False).astype(bool)
        words = words.where(~mask, words.where(words == "", words + ";") + word)
    return words


def sort_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """At risk first (awaiting_pickup, to_ship), pre-orders first, then oldest paid/created."""
    import pandas as pd

    rank = {flag.value: position for position, flag in enumerate(FLAG_ORDER)}
    started = orders["paid_time"].where(orders["paid_time"].notna(), orders["created_time"])
    keys = pd.DataFrame(
        {
            "rank": orders["flag"].map(rank),
            "pre": ~orders["pre_order"].astype(bool),
            "started": started,
            "order_id": orders["order_id"],
        }
    )
    order = keys.sort_values(["rank", "pre", "started", "order_id"], na_position="last").index
    return orders.loc[order].reset_index(drop=True)


def triage(lines: pd.DataFrame, judgement: Judgement, include_pii: bool = False) -> pd.DataFrame:
    """Orders of the lines, flagged and sorted."""
    return classify(orders_from_lines(lines, include_pii), judgement)


def keep_flags(orders: pd.DataFrame, flags: set[str]) -> pd.DataFrame:
    return orders[orders["flag"].isin(flags)].reset_index(drop=True) if flags else orders


def summarize(orders: pd.DataFrame, judgement: Judgement) -> dict[str, Any]:
    """The contract's summary object: counts, units and rupiah per flag, and at risk."""
    by_flag: dict[str, dict[str, int]] = {}
    grouped = orders.groupby("flag")
    counts = grouped.size()
    units = grouped["units"].sum()
    amounts = grouped["order_amount"].sum()
    for flag in FLAG_ORDER:
        present = flag.value in counts.index
        by_flag[flag.value] = {
            "orders": int(counts[flag.value]) if present else 0,
            "units": int(units[flag.value]) if present else 0,
            "amount": int(amounts[flag.value]) if present else 0,
        }
    at_risk = {
        key: sum(by_flag[flag.value][key] for flag in AT_RISK)
        for key in ("orders", "units", "amount")
    }
    warnings: dict[str, int] = {}
    for words in orders["warnings"]:
        for word in filter(None, str(words).split(";")):
            warnings[word] = warnings.get(word, 0) + 1
    return {
        "as_of": judgement.as_of.isoformat(),
        "cutoff": judgement.cutoff.isoformat(),
        "hours_left": judgement.hours_left,
        "orders": len(orders),
        "by_flag": by_flag,
        "at_risk": at_risk,
        "warnings": dict(sorted(warnings.items())),
    }
