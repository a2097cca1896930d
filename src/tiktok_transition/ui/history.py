"""What a person sees of the history on a terminal: the story of what moved, the changed orders,
and the at-risk pile over the recorded runs with the daily pace the cutoff needs."""

from __future__ import annotations

import math
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.money import format_rupiah
from tiktok_transition.i18n import t
from tiktok_transition.ui import terminal
from tiktok_transition.ui.orders import flag_label, format_hours, format_moment

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from tiktok_transition.history import ChangeCounts, Run

_BAR_WIDTH = 16


def changes_story(since: datetime, counts: ChangeCounts) -> str:
    """`Since 30 Oct 2023 06:00 WIB: 14 handed over, 3 newly at risk, 2 lost to the cutoff.`"""
    parts = [
        t(f"history.story_{name}", count=count)
        for name, count in (
            ("handed_over", counts.handed_over),
            ("new_at_risk", counts.new_at_risk),
            ("lost_to_cutoff", counts.lost_to_cutoff),
            ("cancelled", counts.cancelled),
            ("gone", counts.gone),
            ("other", counts.other),
        )
        if count
    ]
    if not parts:
        return t("history.story_nothing", since=format_moment(since))
    return t("history.story", since=format_moment(since), parts=", ".join(parts))


def _flag_or(word: str, empty_key: str) -> str:
    return flag_label(word) if word else t(empty_key)


def changes_view(story: str, rows: pd.DataFrame, console: Console) -> None:
    """The story, then one row per order that moved."""
    columns = [
        terminal.Column(t("history.col_order"), no_wrap=True),
        terminal.Column(t("history.col_was"), priority=1, min_width=8),
        terminal.Column(t("history.col_now"), min_width=8),
        terminal.Column(t("history.col_amount"), numeric=True),
        terminal.Column(t("history.col_units"), numeric=True, priority=4),
        terminal.Column(t("history.col_courier"), priority=2, min_width=11),
        terminal.Column(t("history.col_time_left"), no_wrap=True, priority=3),
    ]
    cells = []
    styles = []
    records: list[dict[Any, Any]] = rows.to_dict("records")
    for row in records:
        hours = row["hours_left"]
        cells.append(
            [
                str(row["order_id"]),
                _flag_or(str(row["was"]), "history.new_order"),
                _flag_or(str(row["now"]), "history.gone_order"),
                format_rupiah(int(row["order_amount"])),
                str(row["units"]),
                str(row["shipping_provider"]),
                "" if hours != hours else format_hours(float(hours)),
            ]
        )
        styles.append(terminal.FLAG_STYLES.get(str(row["now"]), "dim"))
    title = t("history.changes_title", count=len(rows))
    terminal.show(
        console,
        terminal.styled(story, "bold"),
        terminal.table(title, columns, cells, styles),
    )


def _days_left(run: Run) -> float:
    return (run.cutoff - run.as_of).total_seconds() / 86_400


def needed_a_day(run: Run) -> int | None:
    """Orders a day to hand over the run's at-risk pile by its cutoff; None once it passed."""
    days = _days_left(run)
    if days <= 0:
        return None
    return math.ceil(run.at_risk_orders / max(days, 1.0)) if run.at_risk_orders else 0


def _pace_cell(run: Run) -> str:
    needed = needed_a_day(run)
    return t("history.pace_too_late") if needed is None else t("history.pace", count=needed)


def history_view(found: list[Run], zone: tzinfo, console: Console) -> None:
    """The runs, a bar per run for its at-risk pile, and the pace the cutoff needs."""
    columns = [
        terminal.Column(t("history.col_as_of"), no_wrap=True),
        terminal.Column(t("history.col_orders"), numeric=True, priority=3),
        terminal.Column(t("history.col_at_risk"), numeric=True),
        terminal.Column(t("history.col_pile"), no_wrap=True),
        terminal.Column(t("history.col_at_risk_amount"), numeric=True, priority=2),
        terminal.Column(t("history.col_auto_cancelled"), numeric=True, priority=4),
        terminal.Column(t("history.col_handed_over"), numeric=True, priority=4),
        terminal.Column(t("history.col_needed"), no_wrap=True, priority=1),
    ]
    most = max(run.at_risk_orders for run in found)
    cells = []
    styles: list[str | None] = []
    for run in found:
        cells.append(
            [
                format_moment(run.as_of.astimezone(zone)),
                str(run.orders),
                t("history.at_risk_cell", orders=run.at_risk_orders, units=run.at_risk_units),
                terminal.bar(run.at_risk_orders, most, _BAR_WIDTH),
                format_rupiah(run.at_risk_amount),
                str(run.auto_cancelled_orders),
                str(run.handed_over_orders),
                _pace_cell(run),
            ]
        )
        styles.append("red" if run.auto_cancelled_orders else None)
    last = found[-1]
    title = t("history.history_title", shop=last.shop, count=len(found))
    terminal.show(console, terminal.table(title, columns, cells, styles), *_pace_lines(found, zone))


def _pace_lines(found: list[Run], zone: tzinfo) -> list[Any]:
    """The pace the cutoff needs after the last run, and the pace seen since the one before."""
    last = found[-1]
    needed = needed_a_day(last)
    hours = _days_left(last) * 24
    if not last.at_risk_orders:
        lines: list[Any] = [terminal.styled(t("history.footer_clear"), "green")]
    elif needed is None:
        lines = [
            terminal.styled(t("history.footer_too_late", orders=last.at_risk_orders), "bold red")
        ]
    else:
        lines = [
            terminal.styled(
                t(
                    "history.footer_needed",
                    orders=last.at_risk_orders,
                    left=format_hours(hours),
                    count=needed,
                ),
                "bold",
            )
        ]
    if len(found) > 1:
        before = found[-2]
        days = (last.as_of - before.as_of).total_seconds() / 86_400
        if days > 0:
            shrunk = before.at_risk_orders - last.at_risk_orders
            since = format_moment(before.as_of.astimezone(zone))
            if shrunk >= 0:
                pace = round(shrunk / days)
                style = "green" if needed is None or pace >= needed else "yellow"
                text = t("history.footer_shrinking", count=pace, since=since)
            else:
                style = "red"
                text = t("history.footer_growing", count=round(-shrunk / days), since=since)
            lines.append(terminal.styled(text, style))
    return lines
