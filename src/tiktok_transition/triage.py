"""Lines -> orders -> flags against the cutoff. Pure functions over frames: no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
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
    """One row per order: order-level values taken once, lines counted, units summed.

    Text values come from the order's first line; a time from the first line that has one.
    """
    import pandas as pd

    # Codes in order of first appearance, so code k is the k-th order and its first line is
    # the k-th line not seen before.
    codes, _ = pd.factorize(lines["order_id"], sort=False)
    first_line = ~pd.Series(codes).duplicated().to_numpy()
    skip = {"quantity", "order_amount", "source", "sku_id", "unparsed_time"}
    times = [c for c in lines.columns if isinstance(lines[c].dtype, pd.DatetimeTZDtype)]
    texts = [c for c in lines.columns if c not in skip and c not in times]
    orders = lines.loc[first_line, texts].reset_index(drop=True)

    numbers = pd.DataFrame(
        {
            "quantity": lines["quantity"].to_numpy(),
            "amount": lines["order_amount"].to_numpy(),
            "unparsed": lines["unparsed_time"].to_numpy(),
            # As UTC without a zone: plain datetime64 groups fast and back without ambiguity.
            **{c: lines[c].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy() for c in times},
        }
    )
    grouped = numbers.groupby(codes, sort=True)
    for column in times:
        orders[column] = grouped[column].first().to_numpy()
    orders["lines"] = grouped.size().to_numpy().astype("int64")
    orders["units"] = grouped["quantity"].sum().to_numpy().astype("int64")
    amounts = grouped["amount"].agg(["first", "min", "max"])
    orders["order_amount"] = amounts["first"].to_numpy().astype("int64")
    orders["amount_varies"] = (amounts["min"] != amounts["max"]).to_numpy()
    orders["unparsed_time"] = grouped["unparsed"].any().to_numpy().astype(bool)
    for column in times:
        orders[column] = orders[column].dt.tz_localize("UTC").dt.tz_convert(lines[column].dt.tz)
    if include_pii:
        orders["address"] = _join_address(orders)
    return orders


def _join_address(orders: pd.DataFrame) -> pd.Series:
    parts = [orders[c] for c in _ADDRESS_PARTS if c in orders.columns]
    if not parts:
        return orders["order_id"].map(lambda _: "")
    joined = parts[0].astype("str")
    for part in parts[1:]:
        joined = joined.where(part == "", joined.where(joined == "", joined + ", ") + part)
    return joined


def classify(orders: pd.DataFrame, judgement: Judgement) -> pd.DataFrame:
    """Flag every order: timestamps first, the status text to confirm or fill in.

    Text is judged once per distinct value (a file has a handful of status words and payment
    methods), the rest is array arithmetic: no Python per order.
    """
    import numpy as np

    stages = list(Stage)
    status_code = _stage_codes(orders["status"], stages)
    sub_code = _stage_codes(orders["substatus"], stages)
    stage = np.where(sub_code >= 0, sub_code, status_code)
    unknown = (status_code == _UNKNOWN) | (sub_code == _UNKNOWN)

    def at(*wanted: Stage) -> np.ndarray:
        return np.isin(stage, [stages.index(w) for w in wanted])

    cod = _matches(orders["payment_method"], COD_PATTERN)
    pre_order = _matches(orders["pre_order"], PRE_ORDER_PATTERN)
    paid = orders["paid_time"].notna().to_numpy()
    rts = orders["rts_time"].notna().to_numpy()
    shipped = (orders["shipped_time"].notna() | orders["delivered_time"].notna()).to_numpy()
    cancelled_at = orders["cancelled_time"].notna().to_numpy()

    says_paid = at(Stage.TO_SHIP, Stage.AWAITING_SHIPMENT, Stage.AWAITING_COLLECTION)
    is_cancelled = cancelled_at | at(Stage.CANCELLED)
    is_handed = shipped | at(Stage.HANDED_OVER)
    is_paid = paid | cod | rts | says_paid
    is_arranged = rts | at(Stage.AWAITING_COLLECTION)
    missed = judgement.as_of > judgement.cutoff

    flags = list(Flag)
    conditions = [is_cancelled, is_handed, ~is_paid]
    choices = [Flag.CANCELLED, Flag.HANDED_OVER, Flag.UNPAID]
    if missed:
        conditions.append(np.ones(len(orders), dtype=bool))
        choices.append(Flag.AUTO_CANCELLED)
    conditions.append(is_arranged)
    choices.append(Flag.AWAITING_PICKUP)
    flag_code = np.select(
        conditions, [flags.index(c) for c in choices], default=flags.index(Flag.TO_SHIP)
    )

    conflict = (
        (at(Stage.UNPAID) & (paid | rts | shipped))
        | (says_paid & (shipped | cancelled_at))
        | (at(Stage.AWAITING_SHIPMENT) & rts)
        | (at(Stage.HANDED_OVER) & cancelled_at)
    )
    created_late = (orders["created_time"] > judgement.shutdown).fillna(False).to_numpy(bool)
    warnings = _warning_words(
        [
            (W_CREATED_AFTER_SHUTDOWN, created_late),
            (W_UNKNOWN_STATUS, unknown),
            (W_CONFLICT, conflict),
            (W_AMOUNT_VARIES, orders["amount_varies"].to_numpy(bool)),
            (W_UNPARSED_TIME, orders["unparsed_time"].to_numpy(bool)),
        ]
    )
    timed = np.isin(flag_code, [flags.index(f) for f in (*AT_RISK, Flag.AUTO_CANCELLED)])
    result = orders.assign(
        flag=_words(flag_code, [f.value for f in flags]),
        cod=cod,
        pre_order=pre_order,
        warnings=warnings,
        hours_left=np.where(timed, judgement.hours_left, math.nan),
    )
    rank = {flag: position for position, flag in enumerate(FLAG_ORDER)}
    return sort_orders(result, ranks=np.array([rank[f] for f in flags])[flag_code])


_UNKNOWN = -2  # a word the tool does not know; -1 is an empty cell


def _stage_codes(words: pd.Series, stages: list[Stage]) -> np.ndarray:
    """The position of each word's stage in `stages`, -1 for empty, -2 for unknown."""
    import pandas as pd

    codes, distinct = pd.factorize(words, sort=False)
    table = [
        -1 if not str(word).strip() else (stages.index(stage) if stage else _UNKNOWN)
        for word, stage in ((word, stage_of(str(word))) for word in distinct)
    ]
    return _lookup(codes, table, missing=-1)


def _matches(values: pd.Series, pattern: str) -> np.ndarray:
    """Whether each value matches `pattern`, testing each distinct value once."""
    import re

    import pandas as pd

    codes, distinct = pd.factorize(values, sort=False)
    compiled = re.compile(pattern)
    table = [bool(compiled.search(str(value))) for value in distinct]
    return _lookup(codes, table, missing=False).astype(bool)


def _lookup(codes: np.ndarray, table: list[Any], missing: Any) -> np.ndarray:
    import numpy as np

    values = np.array([*table, missing])
    return values[np.where(codes < 0, len(table), codes)]


def _words(codes: np.ndarray, words: list[str]) -> pd.Series:
    """Text from small integer codes, converted once per distinct word."""
    import pandas as pd

    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(words))).astype("str")


def _warning_words(checks: list[tuple[str, np.ndarray]]) -> pd.Series:
    """`a;b` words from boolean masks: one bit per word, one string per distinct mix."""
    import numpy as np

    bits = np.zeros(len(checks[0][1]), dtype=np.int64)
    for position, (_, mask) in enumerate(checks):
        bits |= mask.astype(np.int64) << position
    mixes = sorted(set(np.unique(bits).tolist()))
    texts = [
        ";".join(word for position, (word, _) in enumerate(checks) if mix >> position & 1)
        for mix in mixes
    ]
    return _words(np.searchsorted(mixes, bits), texts)


def sort_orders(orders: pd.DataFrame, ranks: np.ndarray | None = None) -> pd.DataFrame:
    """At risk first (awaiting_pickup, to_ship), pre-orders first, then oldest paid/created,
    then by order id (as a number where every id is digits). `ranks`: each order's flag's
    place in FLAG_ORDER, when the caller has it already."""
    import numpy as np

    if ranks is None:
        rank = {flag.value: position for position, flag in enumerate(FLAG_ORDER)}
        ranks = orders["flag"].map(rank).to_numpy()
    started = orders["paid_time"].where(orders["paid_time"].notna(), orders["created_time"])
    started_key = started.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[s]")
    # NaT sorts last: give it the largest value.
    started_key = np.where(np.isnat(started_key), np.datetime64("9999-12-31"), started_key)
    order = np.lexsort(
        (
            _id_key(orders["order_id"]),
            started_key,
            ~orders["pre_order"].to_numpy(bool),
            ranks,
        )
    )
    return orders.take(order).reset_index(drop=True)


def _id_key(ids: pd.Series) -> np.ndarray:
    """A sort key for order ids: numeric order for 1-19 digit ids, text order otherwise."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if ids.empty:
        return np.zeros(0, dtype=np.uint64)
    try:
        numbers: np.ndarray = pc.cast(pa.array(ids), pa.uint64()).to_numpy()
        return numbers
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.factorize(ids, sort=True)[0]


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
