"""What a person sees of the plan, the pick list, the catalog and the timeline: translated
labels, rupiah, days in the seller's words. No pandas at import time (`timeline` starts fast)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.moments import Judgement
from tiktok_transition.core.money import format_rupiah
from tiktok_transition.i18n import current_language, format_date, t
from tiktok_transition.ui import terminal
from tiktok_transition.ui.orders import flag_cell, format_hours, format_moment

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from tiktok_transition.core.planning import HandoverPlan
    from tiktok_transition.core.timeline import Event


def format_day(day: date, weekday: bool = True) -> str:
    """`Mon 30 Oct 2023` (`Sen 30 Okt 2023` in Indonesian)."""
    text = format_date(day)
    return f"{t(f'plan.weekday_{day.weekday()}')} {text}" if weekday else text


# --- plan ------------------------------------------------------------------------------------


def plan_sentence(plan: HandoverPlan) -> str:
    """The line on standard error: what the capacity saves, and what capacity would save all."""
    if not plan.orders:
        return t("plan.line_nothing")
    if plan.needed is None:
        return t("plan.line_no_day", orders=plan.orders)
    count = len(plan.days)
    days = t("plan.days_one") if count == 1 else t("plan.days_other", days=count)
    if plan.missed:
        return t(
            "plan.line_missed",
            capacity=plan.capacity,
            missed=plan.missed,
            orders=plan.orders,
            needed=plan.needed,
            days=days,
        )
    last = date.fromisoformat(str(plan.rows["day"].iloc[-1]))
    return t(
        "plan.line_fits",
        capacity=plan.capacity,
        orders=plan.orders,
        last=format_day(last),
        needed=plan.needed,
        days=days,
    )


def _order_columns() -> list[terminal.Column]:
    return [
        terminal.Column(t("plan.col_order"), no_wrap=True),
        terminal.Column(t("plan.col_flag"), no_wrap=True),
        terminal.Column(t("plan.col_amount"), numeric=True),
        terminal.Column(t("plan.col_units"), numeric=True, priority=2),
        terminal.Column(t("plan.col_notes"), priority=3, min_width=8),
        terminal.Column(t("plan.col_courier"), priority=1, min_width=11),
    ]


def _order_rows(orders: list[dict[str, Any]]) -> tuple[list[list[str]], list[str | None]]:
    rows: list[list[str]] = []
    styles: list[str | None] = []
    for order in orders:
        notes = [t("plan.pre_order")] if order["pre_order"] else []
        notes += [t("plan.cod")] if order["cod"] else []
        rows.append(
            [
                str(order["order_id"]),
                flag_cell(str(order["flag"])),
                format_rupiah(int(order["order_amount"])),
                str(order["units"]),
                ", ".join(notes),
                str(order["shipping_provider"]) or t("plan.no_courier"),
            ]
        )
        styles.append(terminal.FLAG_STYLES.get(str(order["flag"])))
    return rows, styles


def plan_view(plan: HandoverPlan, console: Console) -> None:
    """The days with their load, a table per day, then the orders that will miss the cutoff."""
    records: list[dict[Any, Any]] = plan.rows.to_dict("records")
    by_day: dict[str, list[dict[str, Any]]] = {}
    for order in records:
        by_day.setdefault(str(order["day"]), []).append(order)
    overview_rows: list[list[str]] = []
    overview_styles: list[str | None] = []
    for day in sorted([*plan.days, *plan.skipped]):
        orders = by_day.get(day.isoformat(), [])
        if day in plan.skipped:
            overview_rows.append([format_day(day), "", t("plan.skipped"), ""])
            overview_styles.append("dim")
            continue
        amount = sum(int(order["order_amount"]) for order in orders)
        overview_rows.append(
            [
                format_day(day),
                str(len(orders)),
                terminal.bar(len(orders), plan.capacity),
                format_rupiah(amount),
            ]
        )
        overview_styles.append(None)
    parts: list[Any] = [
        terminal.table(
            t("plan.overview_title", capacity=plan.capacity),
            [
                terminal.Column(t("plan.col_day"), no_wrap=True),
                terminal.Column(t("plan.col_orders"), numeric=True),
                terminal.Column(t("plan.col_load"), no_wrap=True),
                terminal.Column(t("plan.col_amount"), numeric=True),
            ],
            overview_rows,
            overview_styles,
        )
    ]
    for day in plan.days:
        orders = by_day.get(day.isoformat(), [])
        if not orders:
            continue
        rows, styles = _order_rows(orders)
        title = t("plan.day_title", day=format_day(day), count=len(orders), capacity=plan.capacity)
        title += "  " + terminal.bar(len(orders), plan.capacity)
        parts.append(terminal.table(title, _order_columns(), rows, styles))
    missed = by_day.get("", [])
    if missed:
        rows, _ = _order_rows(missed)
        lost = format_rupiah(sum(int(order["order_amount"]) for order in missed))
        title = t("plan.missed_title", count=len(missed), amount=lost)
        parts.append(terminal.table(title, _order_columns(), rows, ["red"] * len(rows)))
    terminal.show(console, *parts)


# --- picklist ----------------------------------------------------------------------------------


def picklist_view(picks: pd.DataFrame, console: Console) -> None:
    """One table per courier, the courier with the most units first."""
    records: list[dict[Any, Any]] = picks.to_dict("records")
    if not records:
        terminal.show(console, terminal.styled(t("picklist.nothing"), "green"))
        return
    by_courier: dict[str, list[dict[str, Any]]] = {}
    for pick in records:
        by_courier.setdefault(str(pick["shipping_provider"]), []).append(pick)
    columns = [
        terminal.Column(t("picklist.col_sku"), no_wrap=True),
        terminal.Column(t("picklist.col_product"), wrap=True, min_width=24),
        terminal.Column(t("picklist.col_variation"), wrap=True, min_width=10),
        terminal.Column(t("picklist.col_units"), numeric=True),
        terminal.Column(t("picklist.col_orders"), numeric=True, priority=1),
    ]
    parts = []
    for courier, picks_of_courier in by_courier.items():
        rows = [
            [
                str(pick["seller_sku"]),
                str(pick["product_name"]),
                str(pick["variation"]),
                str(pick["units"]),
                str(pick["orders"]),
            ]
            for pick in picks_of_courier
        ]
        units = sum(int(pick["units"]) for pick in picks_of_courier)
        title = t("picklist.title", courier=courier or t("picklist.no_courier"), units=units)
        parts.append(terminal.table(title, columns, rows))
    terminal.show(console, *parts)


# --- catalog -----------------------------------------------------------------------------------


def catalog_view(products: pd.DataFrame, console: Console) -> None:
    records: list[dict[Any, Any]] = products.to_dict("records")
    if not records:
        terminal.show(console, terminal.styled(t("catalog.nothing"), "yellow"))
        return
    columns = [
        # At 80 columns: rank, SKU, product, variation, units and revenue; wider, the rest.
        terminal.Column(t("catalog.col_rank"), numeric=True),
        terminal.Column(t("catalog.col_sku"), no_wrap=True),
        terminal.Column(t("catalog.col_product"), wrap=True, min_width=20),
        terminal.Column(t("catalog.col_variation"), priority=1, min_width=8),
        terminal.Column(t("catalog.col_category"), priority=5, min_width=12),
        terminal.Column(t("catalog.col_price"), numeric=True, priority=3),
        terminal.Column(t("catalog.col_units"), numeric=True, priority=1),
        terminal.Column(t("catalog.col_orders"), numeric=True, priority=4),
        terminal.Column(t("catalog.col_revenue"), numeric=True),
        terminal.Column(t("catalog.col_last"), no_wrap=True, priority=2),
    ]
    rows = [
        [
            str(product["rank"]),
            str(product["seller_sku"]),
            str(product["product_name"]),
            str(product["variation"]),
            str(product["product_category"]),
            format_rupiah(int(product["unit_price"])),
            str(product["units_sold"]),
            str(product["orders"]),
            format_rupiah(int(product["revenue"])),
            format_moment(product["last_sold"], compact=True),
        ]
        for product in records
    ]
    terminal.show(console, terminal.table(t("catalog.title", count=len(rows)), columns, rows))


# --- timeline ----------------------------------------------------------------------------------


def _event_when(event: Event, zone: tzinfo) -> str:
    if event.day_only:
        return format_day(event.when.date(), weekday=False)
    return format_moment(event.when.astimezone(zone))


def timeline_view(
    events: Sequence[Event], judgement: Judgement, zone: tzinfo, console: Console
) -> None:
    """The events, past ones dimmed, then the countdown to the next one."""
    from tiktok_transition.core.timeline import next_event

    lang = current_language()
    upcoming = next_event(events, judgement.as_of)
    # The event and the time to it first; on a narrow window the date and the source go on a
    # line under the event.
    columns = [
        terminal.Column(t("timeline.col_event"), wrap=True, min_width=40),
        terminal.Column(t("timeline.col_from"), no_wrap=True),
        terminal.Column(t("timeline.col_when"), no_wrap=True, priority=1, under=True),
        terminal.Column(t("timeline.col_source"), wrap=True, priority=2, min_width=16, under=True),
    ]
    rows, styles = [], []
    for event in events:
        hours = event.hours_from(judgement.as_of)
        rows.append(
            [
                event.text(lang),
                format_hours(hours) if hours else t("timeline.now"),
                _event_when(event, zone),
                event.source,
            ]
        )
        styles.append("bold" if event is upcoming else "dim" if hours < 0 else None)
    as_of = format_moment(judgement.as_of.astimezone(zone))
    grid = terminal.table(t("timeline.title", as_of=as_of), columns, rows, styles)
    if upcoming is not None:
        line = t(
            "timeline.next_line",
            when=_event_when(upcoming, zone),
            left=format_hours(upcoming.hours_from(judgement.as_of)),
        )
        countdown = terminal.panel(
            t("timeline.next_title"),
            [terminal.styled(upcoming.text(lang), "bold"), line],
            style="yellow",
        )
    else:
        last = events[-1] if events else None
        text = (
            t(
                "timeline.all_passed",
                when=_event_when(last, zone),
                ago=format_hours(last.hours_from(judgement.as_of)),
            )
            if last is not None
            else ""
        )
        countdown = terminal.panel(t("timeline.next_title"), [text], style="dim")
    terminal.show(console, grid, countdown)
