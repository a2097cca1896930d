"""Act on the triage: the handover plan, the pick list, the relisting catalog.

Pure functions over the frames of `reader` (lines) and `triage` (orders): no printing, no files.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING

from tiktok_transition.core.flags import AT_RISK, NEEDS_ACTION, Flag
from tiktok_transition.core.moments import Judgement
from tiktok_transition.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

PLAN_COLUMNS: tuple[str, ...] = (
    "order_id", "day", "fits", "flag", "order_amount", "units", "pre_order", "cod",
    "shipping_provider",
)  # fmt: skip
PICKLIST_COLUMNS: tuple[str, ...] = (
    "shipping_provider", "seller_sku", "product_name", "variation", "units", "orders",
)  # fmt: skip
CATALOG_COLUMNS: tuple[str, ...] = (
    "rank", "seller_sku", "product_name", "variation", "product_category", "unit_price",
    "units_sold", "orders", "revenue", "last_sold",
)  # fmt: skip
SKU_KEY = ("seller_sku", "product_name", "variation")

# The orders a plan places: those still to hand over, and (past the cutoff) those it missed.
PLANNED: tuple[Flag, ...] = NEEDS_ACTION
# Lines that count as sold for the catalog: paid and not cancelled (by the buyer, the seller,
# or the cutoff). Unpaid orders never became sales.
SOLD: tuple[Flag, ...] = (Flag.HANDED_OVER, *AT_RISK)

# `--skip-day` words, English and Indonesian (Monday = 0, as `date.weekday()`).
WEEKDAYS: dict[str, int] = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
    "sen": 0, "sel": 1, "rab": 2, "kam": 3, "jum": 4, "sab": 5, "min": 6,
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "sabtu": 5, "minggu": 6,
}  # fmt: skip


def require_capacity(capacity: int) -> int:
    """A plan hands over at least one order a day."""
    if capacity < 1:
        raise UsageError("plan.bad_capacity", value=capacity)
    return capacity


def parse_weekdays(words: Iterable[str]) -> frozenset[int]:
    """`sun`, `Min`, `sabtu` -> weekday numbers; an unknown word is a usage error."""
    days: set[int] = set()
    for word in words:
        day = WEEKDAYS.get(word.strip().casefold().replace("'", ""))
        if day is None:
            raise UsageError(
                "plan.bad_skip_day",
                value=word,
                valid="mon tue wed thu fri sat sun, sen sel rab kam jum sab min",
            )
        days.add(day)
    return frozenset(days)


def handover_days(
    judgement: Judgement, zone: tzinfo, skip: Collection[int] = ()
) -> tuple[list[date], list[date]]:
    """The calendar days in `zone` from the as-of day to the cutoff day, both included:
    (days to hand over on, days skipped). None once the cutoff has passed."""
    if judgement.as_of > judgement.cutoff:
        return [], []
    first = judgement.as_of.astimezone(zone).date()
    last = judgement.cutoff.astimezone(zone).date()
    days: list[date] = []
    skipped: list[date] = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        (skipped if day.weekday() in skip else days).append(day)
    return days, skipped


@dataclass(frozen=True)
class HandoverPlan:
    """Which order to hand over on which day, and what the capacity means for the cutoff."""

    rows: pd.DataFrame  # PLAN_COLUMNS, in priority order
    days: list[date]  # the days to hand over on
    skipped: list[date]  # days between as-of and the cutoff left out by --skip-day
    capacity: int

    @property
    def orders(self) -> int:
        return len(self.rows)

    @property
    def missed(self) -> int:
        return int((~self.rows["fits"]).sum())

    @property
    def needed(self) -> int | None:
        """The smallest capacity that saves every order; None when no day is left."""
        if not self.orders:
            return 0
        if not self.days:
            return None
        return math.ceil(self.orders / len(self.days))


def priority(orders: pd.DataFrame) -> pd.DataFrame:
    """awaiting_pickup before to_ship (closest to done), pre-orders first, larger amount first,
    oldest paid/created first, then the order id (numeric order for numeric ids)."""
    import pandas as pd

    rank = {flag.value: position for position, flag in enumerate(PLANNED)}
    started = orders["paid_time"].where(orders["paid_time"].notna(), orders["created_time"])
    ids = orders["order_id"].astype("str")
    keys = pd.DataFrame(
        {
            "rank": orders["flag"].map(rank).fillna(len(rank)).astype("int64"),
            "pre": ~orders["pre_order"].astype(bool),
            "amount": -orders["order_amount"].astype("int64"),
            "started": started,
            "id_length": ids.str.len().astype("int64"),
            "order_id": ids,
        },
        index=orders.index,
    )
    order = keys.sort_values(list(keys.columns), na_position="last", kind="mergesort").index
    return orders.loc[order].reset_index(drop=True)


def plan_handovers(
    orders: pd.DataFrame,
    judgement: Judgement,
    capacity: int,
    zone: tzinfo,
    skip: Collection[int] = (),
) -> HandoverPlan:
    """Fill the days in order, `capacity` orders each, most urgent order first.

    `orders` is triage's frame; orders at risk (or auto-cancelled, past the cutoff) are placed.
    """
    import numpy as np
    import pandas as pd

    require_capacity(capacity)
    days, skipped = handover_days(judgement, zone, skip)
    chosen = priority(orders[orders["flag"].isin([flag.value for flag in PLANNED])])
    slot = np.arange(len(chosen)) // capacity
    fits = slot < len(days)
    names = np.array([day.isoformat() for day in days] + [""], dtype=object)
    day = names[np.where(fits, slot, len(days))] if len(chosen) else names[:0]
    rows = pd.DataFrame(
        {
            "order_id": chosen["order_id"].astype("str"),
            "day": pd.Series(day, index=chosen.index, dtype="str"),
            "fits": pd.Series(fits, index=chosen.index, dtype=bool),
            "flag": chosen["flag"].astype("str"),
            "order_amount": chosen["order_amount"].astype("int64"),
            "units": chosen["units"].astype("int64"),
            "pre_order": chosen["pre_order"].astype(bool),
            "cod": chosen["cod"].astype(bool),
            "shipping_provider": chosen["shipping_provider"].astype("str"),
        },
        columns=list(PLAN_COLUMNS),
    )
    return HandoverPlan(rows.reset_index(drop=True), days, skipped, capacity)


def flag_lines(lines: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """Each SKU line with its order's flag."""
    flags = orders[["order_id", "flag"]].drop_duplicates("order_id")
    return lines.merge(flags, on="order_id", how="left", validate="many_to_one")


def picklist(lines: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """SKU totals to pack for the at-risk orders, by courier: the courier with the most units
    first, then its SKUs with the most units first."""
    import pandas as pd

    flagged = flag_lines(lines, orders)
    at_risk = flagged[flagged["flag"].isin([flag.value for flag in AT_RISK])]
    key = ["shipping_provider", *SKU_KEY]
    if at_risk.empty:
        return _empty(PICKLIST_COLUMNS, {"units": "int64", "orders": "int64"})
    grouped = at_risk.groupby(key, sort=False, dropna=False)
    totals = pd.DataFrame(
        {"units": grouped["quantity"].sum(), "orders": grouped["order_id"].nunique()}
    ).reset_index()
    courier_units = totals.groupby("shipping_provider")["units"].transform("sum")
    totals = totals.assign(_courier_units=courier_units).sort_values(
        ["_courier_units", "shipping_provider", "units", "orders", *SKU_KEY],
        ascending=[False, True, False, False, True, True, True],
        kind="mergesort",
    )
    return _typed(totals.loc[:, list(PICKLIST_COLUMNS)], {"units": "int64", "orders": "int64"})


def catalog(lines: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """The SKUs sold (paid, not cancelled), highest revenue first: what to relist first.

    `unit_price` and `product_category` are the latest line's; `last_sold` its created time.
    """
    import pandas as pd

    flagged = flag_lines(lines, orders)
    sold = flagged[flagged["flag"].isin([flag.value for flag in SOLD])]
    numbers = {
        "rank": "int64",
        "unit_price": "int64",
        "units_sold": "int64",
        "orders": "int64",
        "revenue": "int64",
    }
    if sold.empty:
        empty = _empty(CATALOG_COLUMNS, numbers)
        empty["last_sold"] = pd.Series([], dtype=lines["created_time"].dtype)
        return empty
    # The latest line of each SKU carries its current price and category.
    latest = sold.sort_values(["created_time", "order_id"], kind="mergesort", na_position="first")
    grouped = latest.groupby(list(SKU_KEY), sort=False, dropna=False)
    table = pd.DataFrame(
        {
            "product_category": grouped["product_category"].last(),
            "unit_price": grouped["unit_price"].last(),
            "units_sold": grouped["quantity"].sum(),
            "orders": grouped["order_id"].nunique(),
            "revenue": grouped["subtotal"].sum(),
            "last_sold": grouped["created_time"].max(),
        }
    ).reset_index()
    table = table.sort_values(
        ["revenue", "units_sold", *SKU_KEY],
        ascending=[False, False, True, True, True],
        kind="mergesort",
    ).reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return _typed(table.loc[:, list(CATALOG_COLUMNS)], numbers)


def _empty(columns: tuple[str, ...], numbers: dict[str, str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({name: pd.Series([], dtype=numbers.get(name, "str")) for name in columns})


_TEXT_COLUMNS = ("shipping_provider", *SKU_KEY, "product_category")


def _typed(frame: pd.DataFrame, numbers: dict[str, str]) -> pd.DataFrame:
    text = {name: "str" for name in frame.columns if name in _TEXT_COLUMNS}
    return frame.astype({**numbers, **text}).reset_index(drop=True)
