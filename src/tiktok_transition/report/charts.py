"""The report's charts: matplotlib figures drawn from the model's aggregates, saved as SVG with
the text as paths (no font to fetch), and embedded as `data:` images.

Each chart comes with its title and a one-line reading in the report's language. matplotlib is
imported here only, when a report is made.
"""

from __future__ import annotations

import base64
import io
import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from tiktok_transition.core.flags import AT_RISK, FLAG_ORDER
from tiktok_transition.core.money import format_rupiah
from tiktok_transition.i18n import format_date, t
from tiktok_transition.report.model import (
    CourierAmount,
    CreatedDay,
    HistoryRun,
    Plan,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe-Ito: told apart with the common colour blindnesses, and in grey on paper.
FLAG_COLOURS = {
    "awaiting_pickup": "#E69F00",
    "to_ship": "#D55E00",
    "auto_cancelled": "#882255",
    "handed_over": "#009E73",
    "unpaid": "#BBBBBB",
    "cancelled": "#56B4E9",
}
MISSED_COLOUR = "#C0001A"
# Awaiting pickup at the bottom of a stack: closest to done, first in the plan.
AT_RISK_STACK: tuple[str, ...] = tuple(flag.value for flag in AT_RISK)
SETTINGS: dict[str, Any] = {
    "svg.fonttype": "path",  # glyphs as paths: the page asks for no font
    "svg.hashsalt": "tiktok-transition",  # the same ids from one run to the next
    "text.parse_math": False,  # a courier named `$5 Express` is text, not TeX
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "legend.fontsize": 8,
    "legend.frameon": False,
}
WIDTH = 8.0  # inches; the page scales the image to its width
MAX_TICKS = 18


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    reading: str
    image: str | None  # a `data:image/svg+xml;base64,...` URI; None: nothing to draw


def charts(
    plan: Plan,
    amounts: Sequence[CourierAmount],
    created: Sequence[CreatedDay],
    lang: str,
    history: Sequence[HistoryRun] | None = None,
    cutoff: datetime | None = None,
) -> list[Chart]:
    """The page's charts, in the order they are shown."""
    made = [
        plan_chart(plan, lang),
        amount_chart(amounts, lang),
        created_chart(created, lang),
    ]
    if history and cutoff is not None:
        made.append(history_chart(history, cutoff, lang))
    return made


# --- the handover plan ---------------------------------------------------------------------


def plan_chart(plan: Plan, lang: str) -> Chart:
    # "What saves them all" only when some capacity does.
    key = "plan_title_needed" if not plan.chosen and plan.needed else "plan_title"
    title = t(f"report.{key}", lang, capacity=plan.capacity)
    reading = _plan_reading(plan, lang)
    if not plan.orders:
        return Chart("plan", title, reading, None)

    def draw(ax: Axes) -> None:
        labels = [_short_day(day.day, lang) for day in plan.days]
        stacks = [dict(day.by_flag) for day in plan.days]
        if plan.missed_orders:
            labels.append(t("report.plan_missed", lang))
        positions = list(range(len(labels)))
        missed = [0] if plan.missed_orders else []
        series = [
            (flag, [stack.get(flag, 0) for stack in stacks] + missed) for flag in AT_RISK_STACK
        ]
        _stacked(ax, positions, series, lang, width=0.8)
        if plan.missed_orders:
            ax.bar(
                [positions[-1]],
                [plan.missed_orders],
                color="white",
                edgecolor=MISSED_COLOUR,
                hatch="///",
                linewidth=1.2,
                width=0.8,
                label=t("report.plan_missed", lang),
            )
        ax.axhline(
            plan.capacity,
            color="#333333",
            linestyle="--",
            linewidth=1,
            label=t("report.plan_capacity", lang, capacity=plan.capacity),
        )
        for position, day in zip(positions, plan.days, strict=False):
            if day.skipped:
                ax.axvspan(position - 0.45, position + 0.45, color="#EEEEEE", zorder=0)
        _day_ticks(ax, positions, labels)
        highest = max([plan.capacity, plan.missed_orders, *(day.orders for day in plan.days)])
        _whole_numbers(ax, highest)
        ax.set_ylabel(t("report.plan_axis", lang))
        ax.legend(loc="upper right", ncols=4)

    return Chart("plan", title, reading, _figure(draw))


def _plan_reading(plan: Plan, lang: str) -> str:
    if not plan.orders:
        return t("report.plan_reading_nothing", lang)
    if plan.needed is None:
        return t("report.plan_reading_no_day", lang, orders=_number(plan.orders, lang))
    if plan.missed_orders:
        return t(
            "report.plan_reading_missed",
            lang,
            capacity=plan.capacity,
            missed=_number(plan.missed_orders, lang),
            orders=_number(plan.orders, lang),
            needed=plan.needed,
        )
    last = max(day.day for day in plan.days if day.orders)
    return t(
        "report.plan_reading_fits",
        lang,
        capacity=plan.capacity,
        last=format_date(last, lang),
        needed=plan.needed,
    )


# --- rupiah at risk --------------------------------------------------------------------------


def amount_chart(amounts: Sequence[CourierAmount], lang: str) -> Chart:
    title = t("report.amount_title", lang)
    total = sum(bar.amount for bar in amounts)
    if not total:
        return Chart("amount", title, t("report.amount_reading_nothing", lang), None)
    top = max(amounts, key=lambda bar: bar.amount)
    reading = t(
        "report.amount_reading",
        lang,
        courier=top.courier,
        amount=format_rupiah(top.amount),
        total=format_rupiah(total),
    )

    def draw(ax: Axes) -> None:
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        bars = list(reversed(amounts))  # the largest on top
        positions = list(range(len(bars)))
        series = [(flag, [bar.by_flag.get(flag, 0) for bar in bars]) for flag in AT_RISK_STACK]
        _stacked(ax, positions, series, lang, height=0.7)
        ax.set_yticks(positions, [_clip(bar.courier) for bar in bars])
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_rupiah(int(value))))
        ax.set_xlabel(t("report.amount_axis", lang))
        ax.legend(loc="lower right")

    height = 1.2 + 0.35 * len(amounts)
    return Chart("amount", title, reading, _figure(draw, height=height))


# --- orders by created day -------------------------------------------------------------------


def created_chart(created: Sequence[CreatedDay], lang: str) -> Chart:
    title = t("report.created_title", lang)
    if not created:
        return Chart("created", title, t("report.created_reading_nothing", lang), None)
    busiest = max(created, key=lambda day: (day.orders, day.day))
    reading = t(
        "report.created_reading",
        lang,
        day=format_date(busiest.day, lang),
        orders=_number(busiest.orders, lang),
        open=_number(sum(busiest.by_flag.get(flag, 0) for flag in AT_RISK_STACK), lang),
    )

    def draw(ax: Axes) -> None:
        positions = list(range(len(created)))
        # Done at the bottom, what is still open on top where the eye lands.
        flags = reversed([flag.value for flag in FLAG_ORDER])
        series = [(flag, [day.by_flag.get(flag, 0) for day in created]) for flag in flags]
        _stacked(ax, positions, series, lang, width=0.85)
        _day_ticks(ax, positions, [_short_day(day.day, lang) for day in created])
        _whole_numbers(ax, max(day.orders for day in created))
        ax.set_ylabel(t("report.created_axis", lang))
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], loc="upper left", ncols=3)

    return Chart("created", title, reading, _figure(draw))


# --- the at-risk pile per recorded run (the history store) -----------------------------------


def history_chart(runs: Sequence[HistoryRun], cutoff: datetime, lang: str) -> Chart:
    """The at-risk orders at each recorded run, and the straight line from the last run to
    zero at the cutoff: the pace needed."""
    ordered = sorted(runs, key=lambda run: run.recorded_at)
    last = ordered[-1]
    days_left = max((cutoff - last.recorded_at).total_seconds() / 86400, 0.0)
    pace = math.ceil(last.at_risk_orders / days_left) if days_left else last.at_risk_orders
    reading = t(
        "report.history_reading", lang, orders=_number(last.at_risk_orders, lang), pace=pace
    )

    def draw(ax: Axes) -> None:
        start = ordered[0].recorded_at
        end = max(cutoff, last.recorded_at)

        def days(moment: datetime) -> float:
            return (moment - start).total_seconds() / 86400

        times = [days(run.recorded_at) for run in ordered]
        ax.plot(times, [run.at_risk_orders for run in ordered], marker="o", color="#D55E00")
        ax.plot(
            [times[-1], days(end)],
            [last.at_risk_orders, 0],
            linestyle="--",
            color="#333333",
            label=t("report.history_pace", lang),
        )
        ax.axvline(days(cutoff), color=MISSED_COLOUR, linewidth=1)
        span = max(days(end), 1.0)
        step = max(1, math.ceil(span / MAX_TICKS))
        ticks = [float(day) for day in range(0, math.floor(span) + 1, step)]
        ax.set_xticks(
            ticks,
            [_short_day((start + timedelta(days=tick)).date(), lang) for tick in ticks],
            rotation=90,
        )
        ax.set_ylim(bottom=0)
        ax.set_ylabel(t("report.plan_axis", lang))
        ax.legend(loc="upper right")

    return Chart("history", t("report.history_title", lang), reading, _figure(draw))


# --- drawing ---------------------------------------------------------------------------------


def load() -> None:
    """Import matplotlib, its Agg backend and the SVG writer."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.backends.backend_svg
    import matplotlib.figure


@contextmanager
def _settings() -> Iterator[None]:
    import matplotlib

    load()
    with matplotlib.rc_context(cast(Any, SETTINGS)), warnings.catch_warnings():
        # A glyph DejaVu Sans lacks (an emoji in a courier's name) is drawn as a box.
        warnings.simplefilter("ignore", UserWarning)
        yield


def _stacked(
    ax: Axes,
    positions: list[int],
    series: Sequence[tuple[str, list[int]]],
    lang: str,
    *,
    width: float = 0.8,
    height: float | None = None,
) -> None:
    """One stacked bar per position, a layer per flag with any value, in the flag's colour:
    upright `width` wide, or lying `height` high when a height is given."""
    base = [0] * len(positions)
    for flag, values in series:
        if not any(values):
            continue
        style: dict[str, Any] = {"color": FLAG_COLOURS[flag], "label": t(f"flag.{flag}", lang)}
        if height is None:
            ax.bar(positions, values, bottom=base, width=width, **style)
        else:
            ax.barh(positions, values, left=base, height=height, **style)
        base = [low + value for low, value in zip(base, values, strict=True)]


def _figure(draw: Callable[[Axes], None], height: float = 3.2) -> str:
    """One axes drawn by `draw`, as a `data:` URI of its SVG."""
    from matplotlib.figure import Figure

    with _settings():
        figure: Figure = Figure(figsize=(WIDTH, height), layout="constrained")
        draw(figure.add_subplot())
        buffer = io.BytesIO()
        metadata: dict[str, Any] = {"Date": None, "Creator": None, "Format": None, "Type": None}
        figure.savefig(buffer, format="svg", metadata=metadata)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def _day_ticks(ax: Axes, positions: list[int], labels: list[str]) -> None:
    """Every day's label when they fit, else every n-th."""
    step = max(1, math.ceil(len(positions) / MAX_TICKS))
    ax.set_xticks(positions[::step], labels[::step], rotation=90)
    ax.set_xlim(-0.6, len(positions) - 0.4)


def _whole_numbers(ax: Axes, highest: int) -> None:
    """Counts on the y axis, with room above the highest bar for the legend."""
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax.set_ylim(0, max(highest, 1) * 1.3)


def _short_day(day: date, lang: str) -> str:
    return f"{day.day} {t(f'common.month_{day.month}', lang)}"


def _clip(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _number(value: int, lang: str) -> str:
    """`12,345` in English, `12.345` in Indonesian."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "id" else text
