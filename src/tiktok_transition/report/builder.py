"""From the flagged orders and their lines to the report's model: every aggregate the page
shows, computed once with pandas, so the charts and the template only read small lists.

Pure: no files, no printing. The caller gathers what needs the disk (checklist progress, the
exports' fingerprints) and passes it in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, cast

from tiktok_transition.core.flags import AT_RISK, Flag
from tiktok_transition.core.moments import Judgement
from tiktok_transition.core.triage import PII_COLUMNS
from tiktok_transition.report.model import (
    TABLE_CAP,
    ChecklistProgress,
    CourierAmount,
    CourierPicks,
    CreatedDay,
    ExportFile,
    Headline,
    HistoryRun,
    OrderRow,
    PickRow,
    Plan,
    PlanDay,
    Report,
    Source,
    Totals,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    from tiktok_transition.core.planning import HandoverPlan
    from tiktok_transition.core.summary import Summary

# Couriers named one by one in the rupiah chart; the rest are one bar.
TOP_COURIERS = 8
AT_RISK_FLAGS: tuple[str, ...] = tuple(flag.value for flag in AT_RISK)


def build(
    orders: pd.DataFrame,
    lines: pd.DataFrame,
    judgement: Judgement,
    zone: tzinfo,
    *,
    capacity: int | None,
    skip: Collection[int] = (),
    lang: str,
    made_at: datetime,
    checklists: Sequence[ChecklistProgress] = (),
    files: Sequence[ExportFile] = (),
    include_pii: bool = False,
    history: Sequence[HistoryRun] | None = None,
    other_couriers: str = "",
) -> Report:
    """The whole page's model. `capacity` None: the plan at the capacity that saves them all."""
    from tiktok_transition.core.summary import summarize

    summary = summarize(orders, judgement)
    handovers = _plan(orders, judgement, zone, capacity, skip)
    picks, picks_total = _picks(lines, orders)
    shown = handovers.rows.head(TABLE_CAP)
    return Report(
        lang=lang,
        made_at=made_at,
        headline=_headline(summary, judgement),
        plan=_plan_model(handovers, chosen=capacity is not None),
        amounts=_amounts(orders, other_couriers),
        created=_created(orders, zone),
        orders=_order_rows(shown, orders if include_pii else None),
        orders_total=len(handovers.rows),
        picks=picks,
        picks_total=picks_total,
        checklists=list(checklists),
        sources=_sources(judgement, zone, lang),
        files=list(files),
        include_pii=include_pii,
        history=None if history is None else list(history),
        warnings=dict(summary.warnings),
    )


def _headline(summary: Summary, judgement: Judgement) -> Headline:
    risk = summary.at_risk
    lost = summary.by_flag[Flag.AUTO_CANCELLED.value]
    return Headline(
        as_of=judgement.as_of,
        cutoff=judgement.cutoff,
        shutdown=judgement.shutdown,
        hours_left=float(summary.hours_left),
        orders=int(summary.orders),
        at_risk=Totals(risk.orders, risk.units, risk.amount),
        lost=Totals(lost.orders, lost.units, lost.amount),
    )


def _plan(
    orders: pd.DataFrame,
    judgement: Judgement,
    zone: tzinfo,
    capacity: int | None,
    skip: Collection[int],
) -> HandoverPlan:
    from tiktok_transition.core.planning import plan_handovers

    first = plan_handovers(orders, judgement, capacity or 1, zone, skip)
    if capacity is not None or not first.needed or first.needed == 1:
        return first
    return plan_handovers(orders, judgement, first.needed, zone, skip)


def _plan_model(handovers: HandoverPlan, chosen: bool) -> Plan:
    rows = handovers.rows
    placed = rows[rows["fits"]]
    counts = placed.groupby(["day", "flag"]).size()
    per_day: dict[str, dict[str, int]] = {}
    for day, flag, count in _pairs(counts):
        per_day.setdefault(str(day), {})[str(flag)] = int(count)
    days = [PlanDay(day, per_day.get(day.isoformat(), {}), skipped=False) for day in handovers.days]
    days += [PlanDay(day, {}, skipped=True) for day in handovers.skipped]
    missed = rows.loc[~rows["fits"], "flag"].value_counts()
    return Plan(
        capacity=handovers.capacity,
        chosen=chosen,
        needed=handovers.needed,
        days=sorted(days, key=lambda plan_day: plan_day.day),
        orders=handovers.orders,
        missed={str(flag): int(count) for flag, count in missed.items() if count},
    )


def _amounts(orders: pd.DataFrame, other: str) -> list[CourierAmount]:
    """Rupiah at risk per courier and flag, largest courier first; past TOP_COURIERS, one bar."""
    at_risk = orders[orders["flag"].isin(AT_RISK_FLAGS)]
    if at_risk.empty:
        return []
    couriers = at_risk["shipping_provider"].astype("str").fillna("")
    sums = (
        at_risk["order_amount"]
        .astype("int64")
        .groupby([couriers.rename("courier"), at_risk["flag"].astype("str")])
        .sum()
    )
    table: dict[str, dict[str, int]] = {}
    for courier, flag, amount in _pairs(sums):
        table.setdefault(str(courier) or "-", {})[str(flag)] = int(amount)
    ranked = sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    bars = [CourierAmount(name, by_flag) for name, by_flag in ranked[:TOP_COURIERS]]
    if len(ranked) > TOP_COURIERS:
        rest: dict[str, int] = {}
        for _, by_flag in ranked[TOP_COURIERS:]:
            for flag, amount in by_flag.items():
                rest[flag] = rest.get(flag, 0) + amount
        bars.append(CourierAmount(other, rest))
    return bars


def _created(orders: pd.DataFrame, zone: tzinfo) -> list[CreatedDay]:
    """Orders per created day (in the zone) and flag, oldest day first."""
    created = orders["created_time"]
    known = created.notna()
    if not known.any():
        return []
    days = created[known].dt.tz_convert(zone).dt.normalize().dt.tz_localize(None)
    counts = orders.loc[known, "flag"].astype("str").groupby(days.rename("day")).value_counts()
    table: dict[date, dict[str, int]] = {}
    for day, flag, count in _pairs(counts):
        table.setdefault(day.date(), {})[str(flag)] = int(count)
    return [CreatedDay(day, table[day]) for day in sorted(table)]


def _order_rows(rows: pd.DataFrame, orders: pd.DataFrame | None) -> list[OrderRow]:
    buyers: dict[str, dict[str, str]] = {}
    if orders is not None and len(rows):
        chosen = orders[orders["order_id"].astype("str").isin(rows["order_id"])]
        for record in chosen.loc[:, ["order_id", *PII_COLUMNS]].to_dict("records"):
            buyers[str(record["order_id"])] = {name: _text(record[name]) for name in PII_COLUMNS}
    result = []
    for record in rows.to_dict("records"):
        order_id = str(record["order_id"])
        result.append(
            OrderRow(
                order_id=order_id,
                flag=str(record["flag"]),
                amount=int(record["order_amount"]),
                units=int(record["units"]),
                courier=_text(record["shipping_provider"]),
                day=date.fromisoformat(record["day"]) if record["fits"] else None,
                pre_order=bool(record["pre_order"]),
                cod=bool(record["cod"]),
                buyer=buyers.get(order_id) if orders is not None else None,
            )
        )
    return result


def _picks(lines: pd.DataFrame, orders: pd.DataFrame) -> tuple[list[CourierPicks], int]:
    """The pick list by courier (the courier with the most units first), at most TABLE_CAP
    lines in all; and how many lines it has before the cap."""
    from tiktok_transition.core import planning

    at_risk = orders[orders["flag"].isin(AT_RISK_FLAGS)]
    # Only the at-risk orders' lines are packed: pick them before joining the flags.
    table = planning.picklist(lines[_among(lines["order_id"], at_risk["order_id"])], at_risk)
    total = len(table)
    orders_per_courier = at_risk["shipping_provider"].astype("str").value_counts()
    units_per_courier = table.groupby("shipping_provider", sort=False)["units"].sum()
    groups: dict[str, list[PickRow]] = {}
    for record in table.head(TABLE_CAP).to_dict("records"):
        groups.setdefault(_text(record["shipping_provider"]), []).append(
            PickRow(
                sku=_text(record["seller_sku"]),
                product=_text(record["product_name"]),
                variation=_text(record["variation"]),
                units=int(record["units"]),
                orders=int(record["orders"]),
            )
        )
    picks = [
        CourierPicks(
            courier=courier,
            units=int(units_per_courier.get(courier, 0)),
            orders=int(orders_per_courier.get(courier, 0)),
            rows=rows,
        )
        for courier, rows in groups.items()
    ]
    return picks, total


def _among(values: pd.Series, chosen: pd.Series) -> npt.NDArray[np.bool_]:
    """Which `values` are in `chosen`: Arrow's hash lookup (a million order ids in a few
    hundredths of a second, several times faster than `Series.isin` on text)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    column = pa.array(values.astype("str"))
    found = pc.is_in(column, value_set=pa.array(chosen.astype("str")).cast(column.type))
    return np.asarray(found.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _sources(judgement: Judgement, zone: tzinfo, lang: str) -> list[Source]:
    from tiktok_transition.core.timeline import timeline

    return [
        Source(event.when.astimezone(zone), event.day_only, event.text(lang), event.source)
        for event in timeline(judgement)
    ]


def _pairs(series: pd.Series) -> Iterator[tuple[Any, Any, int]]:
    """(first key, second key, value) of a series with a two-level index."""
    for key, value in series.items():
        first, second = cast(tuple[Any, Any], key)
        yield first, second, int(value)


def _text(value: Any) -> str:
    """A cell as text; empty for a missing value."""
    if value is None or value != value:
        return ""
    return str(value)
