"""What a person sees on a terminal: translated labels, rupiah, dates in WIB."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.flags import AT_RISK, FLAG_ORDER, Flag
from tiktok_transition.core.money import format_rupiah
from tiktok_transition.i18n import format_clock, format_date, t
from tiktok_transition.ui import terminal

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from tiktok_transition.core.summary import Summary


def flag_label(flag: str) -> str:
    return t(f"flag.{flag}")


def flag_cell(flag: str) -> str:
    """The flag in a table cell: `Pickup`, `To ship` (`Tunggu kurir`, `Perlu kirim`)."""
    return t(f"cell.flag_{flag}")


def items_cell(units: int, lines: int) -> str:
    """`3 units / 1 line` (`3 unit / 1 baris`)."""
    return t(
        "scan.items",
        units=t("scan.units_one" if units == 1 else "scan.units_other", count=units),
        lines=t("scan.lines_one" if lines == 1 else "scan.lines_other", count=lines),
    )


def format_moment(moment: Any, with_zone: bool = True, compact: bool = False) -> str:
    """`5 Nov 2023 23.59 WIB` in Indonesian, `5 Nov 2023 23:59 WIB` in English; `compact`:
    `5 Nov 23:59`, no year and no zone, for a narrow cell."""
    if moment is None or moment != moment:
        return ""
    clock = format_clock(moment.hour, moment.minute)
    if compact:
        month = t(f"common.month_{moment.month}")
        return f"{t('common.date_short', day=moment.day, month=month)} {clock}"
    text = f"{format_date(moment)} {clock}"
    if not with_zone:
        return text
    offset = moment.utcoffset()
    hours = None if offset is None else offset.total_seconds() / 3600
    zone = {7: "WIB", 8: "WITA", 9: "WIT"}.get(hours) if hours is not None else None
    return f"{text} {zone or moment.tzname() or ''}".strip()


def format_hours(hours: float) -> str:
    """`31 d 14 h` left, or `passed 2 d 3 h ago`."""
    total = abs(round(hours))
    days, rest = divmod(total, 24)
    span = (
        t("common.span_days", days=days, hours=rest) if days else t("common.span_hours", hours=rest)
    )
    return t("common.time_left", span=span) if hours >= 0 else t("common.time_passed", span=span)


def scan_table(orders: pd.DataFrame, summary: Summary, console: Console) -> None:
    """The orders, at risk first, then the summary panel."""
    # At 80 columns: order, flag, amount, courier and the date paid; wider, the rest.
    columns = [
        terminal.Column(t("scan.col_order"), no_wrap=True),
        terminal.Column(t("scan.col_flag"), no_wrap=True),
        terminal.Column(t("scan.col_status"), priority=6, min_width=12),
        terminal.Column(t("scan.col_since"), no_wrap=True, priority=2),
        terminal.Column(t("scan.col_items"), no_wrap=True, priority=4),
        terminal.Column(t("scan.col_amount"), numeric=True),
        terminal.Column(t("scan.col_payment"), no_wrap=True, priority=3),
        terminal.Column(t("scan.col_courier"), priority=1, min_width=11),
        terminal.Column(t("scan.col_notes"), priority=5, min_width=12),
    ]
    rows = []
    styles = []
    records: list[dict[Any, Any]] = orders.to_dict("records")
    for order in records:
        paid = order["paid_time"]
        started = order["created_time"] if paid is None or paid != paid else paid
        notes = [t("scan.pre_order")] if order["pre_order"] else []
        notes += [t(f"warning.{word}") for word in str(order["warnings"]).split(";") if word]
        rows.append(
            [
                str(order["order_id"]),
                flag_cell(str(order["flag"])),
                str(order["substatus"] or order["status"]),
                format_moment(started, compact=True),
                items_cell(int(order["units"]), int(order["lines"])),
                format_rupiah(int(order["order_amount"])),
                t("scan.cod") if order["cod"] else "",
                str(order["shipping_provider"]),
                "; ".join(notes),
            ]
        )
        styles.append(terminal.FLAG_STYLES.get(str(order["flag"])))
    title = t("scan.title", count=len(orders))
    terminal.show(console, terminal.table(title, columns, rows, styles), summary_panel(summary))


def summary_panel(summary: Summary) -> Any:
    """Time left, what is at risk, what was missed."""
    # As the JSON carries it: a fixed offset (a zone shown by offset, not abbreviation).
    cutoff = datetime.fromisoformat(summary.cutoff.isoformat())
    at_risk = summary.at_risk
    missed = summary.by_flag[Flag.AUTO_CANCELLED.value]
    lines: list[Any] = [
        terminal.styled(
            t(
                "summary.cutoff",
                when=format_moment(cutoff),
                left=format_hours(summary.hours_left),
            ),
            "bold",
        ),
        terminal.styled(
            t(
                "summary.at_risk",
                orders=at_risk.orders,
                units=at_risk.units,
                amount=format_rupiah(at_risk.amount),
            ),
            "bold red" if at_risk.orders else "green",
        ),
    ]
    for flag in AT_RISK:
        part = summary.by_flag[flag.value]
        lines.append(
            t(
                "summary.flag_line",
                label=flag_label(flag),
                orders=part.orders,
                amount=format_rupiah(part.amount),
            )
        )
    if missed.orders:
        lines.append(
            terminal.styled(
                t(
                    "summary.missed",
                    orders=missed.orders,
                    amount=format_rupiah(missed.amount),
                ),
                "red",
            )
        )
    return terminal.panel(t("summary.title", orders=summary.orders), lines)


def summary_view(summary: Summary, console: Console) -> None:
    columns = [
        terminal.Column(t("summary.col_flag"), no_wrap=True),
        terminal.Column(t("summary.col_orders"), numeric=True),
        terminal.Column(t("summary.col_units"), numeric=True),
        terminal.Column(t("summary.col_amount"), numeric=True),
    ]
    rows = []
    for flag in FLAG_ORDER:
        part = summary.by_flag[flag.value]
        rows.append(
            [
                flag_label(flag),
                str(part.orders),
                str(part.units),
                format_rupiah(part.amount),
            ]
        )
    styles = [terminal.FLAG_STYLES.get(flag.value) for flag in FLAG_ORDER]
    grid = terminal.table(t("summary.table_title"), columns, rows, styles)
    terminal.show(console, summary_panel(summary), grid)
