"""Commands that act on the triage: `plan`, `picklist`, `catalog`, `timeline`.

Its own Typer, added to the main app. Like `cli/main.py`, this module imports neither pandas nor
pyarrow at load time; `timeline` never imports them at all.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from tiktok_transition.cli.history import DEFAULT_SHOP, HistoryFile, Record, Recording, Shop
from tiktok_transition.cli.options import (
    AsOf,
    Columns,
    Cutoff,
    Excel,
    Exports,
    FailOnRisk,
    FormatOption,
    Lang,
    Output,
    Quiet,
    Shutdown,
    Zone,
)
from tiktok_transition.cli.session import (
    Session,
    emit,
    fail_on_risk_exit,
    load_flagged,
    load_orders,
    make_session,
    preamble,
)
from tiktok_transition.cli.typer_i18n import LocalizedCommand, help_text
from tiktok_transition.core.clock import CUTOFF, SHUTDOWN, ZONE, load_zone
from tiktok_transition.errors import UsageError
from tiktok_transition.i18n import current_language
from tiktok_transition.output.formats import Format
from tiktok_transition.output.writers import Records
from tiktok_transition.ui import terminal

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

app = typer.Typer()

MAX_CAPACITY = 1_000_000
Capacity = Annotated[
    int,
    typer.Option(
        "--capacity",
        metavar="N",
        help=help_text("capacity"),
    ),
]
SkipDay = Annotated[
    list[str] | None,
    typer.Option(
        "--skip-day",
        metavar="DAY",
        help=help_text("skip_day"),
    ),
]


@app.command(help=help_text("plan"), cls=LocalizedCommand)
@preamble
def plan(
    exports: Exports,
    capacity: Capacity,
    skip_day: SkipDay = None,
    as_of: AsOf = None,
    cutoff: Cutoff = CUTOFF,
    shutdown: Shutdown = SHUTDOWN,
    tz: Zone = ZONE,
    fmt: FormatOption = Format.AUTO,
    output: Output = None,
    fail_on_risk: FailOnRisk = False,
    excel: Excel = False,
    column: Columns = None,
    quiet: Quiet = False,
    lang: Lang = None,
    record: Record = False,
    history: HistoryFile = None,
    shop: Shop = DEFAULT_SHOP,
) -> None:
    """Handovers day by day (help text: `help.plan` in the catalogue)."""
    from tiktok_transition.core.planning import parse_weekdays, plan_handovers, require_capacity

    require_capacity(capacity)  # before the export is read: a typo fails at once
    if capacity > MAX_CAPACITY:  # more than any courier collects: a typo, not a plan
        raise UsageError("hostile.capacity_too_large", limit=f"{MAX_CAPACITY:,}")

    skip = parse_weekdays(skip_day or [])
    session = make_session(as_of, cutoff, shutdown, tz, fmt, output, quiet)
    recording = Recording(record, history, shop, exports)
    orders = load_orders(exports, session, column)
    handovers = plan_handovers(orders, session.judgement, capacity, load_zone(tz), skip)
    recording.save(session, orders, "plan")
    from tiktok_transition.ui import planning as planning_views

    terminal.warn(planning_views.plan_sentence(handovers), quiet)
    draw = partial(planning_views.plan_view, handovers)
    emit(session.fmt, session.output, handovers.rows, draw, excel)
    recording.wait()
    fail_on_risk_exit(orders, fail_on_risk)


@app.command(help=help_text("picklist"), cls=LocalizedCommand)
@preamble
def picklist(
    exports: Exports,
    as_of: AsOf = None,
    cutoff: Cutoff = CUTOFF,
    shutdown: Shutdown = SHUTDOWN,
    tz: Zone = ZONE,
    fmt: FormatOption = Format.AUTO,
    output: Output = None,
    excel: Excel = False,
    column: Columns = None,
    quiet: Quiet = False,
    lang: Lang = None,
) -> None:
    """What to pack (help text: `help.picklist` in the catalogue)."""
    session = make_session(as_of, cutoff, shutdown, tz, fmt, output, quiet)
    lines, orders = _load_lines(exports, session, column)
    from tiktok_transition.core import planning
    from tiktok_transition.ui import planning as planning_views

    picks = planning.picklist(lines, orders)
    emit(session.fmt, session.output, picks, partial(planning_views.picklist_view, picks), excel)


@app.command(help=help_text("catalog"), cls=LocalizedCommand)
@preamble
def catalog(
    exports: Exports,
    as_of: AsOf = None,
    cutoff: Cutoff = CUTOFF,
    shutdown: Shutdown = SHUTDOWN,
    tz: Zone = ZONE,
    fmt: FormatOption = Format.AUTO,
    output: Output = None,
    excel: Excel = False,
    column: Columns = None,
    quiet: Quiet = False,
    lang: Lang = None,
) -> None:
    """The SKUs to relist (help text: `help.catalog` in the catalogue)."""
    session = make_session(as_of, cutoff, shutdown, tz, fmt, output, quiet)
    lines, orders = _load_lines(exports, session, column)
    from tiktok_transition.core import planning
    from tiktok_transition.ui import planning as planning_views

    products = planning.catalog(lines, orders)
    emit(
        session.fmt, session.output, products, partial(planning_views.catalog_view, products), excel
    )


@app.command(help=help_text("timeline"), cls=LocalizedCommand)
@preamble
def timeline(
    as_of: AsOf = None,
    cutoff: Cutoff = CUTOFF,
    shutdown: Shutdown = SHUTDOWN,
    tz: Zone = ZONE,
    fmt: FormatOption = Format.AUTO,
    output: Output = None,
    excel: Excel = False,
    lang: Lang = None,
) -> None:
    """The key dates (help text: `help.timeline` in the catalogue)."""
    session = make_session(as_of, cutoff, shutdown, tz, fmt, output, quiet=False)
    from tiktok_transition.cli.models import without_plugins

    with without_plugins():
        from tiktok_transition.core.timeline import TIMELINE_COLUMNS, timeline_rows
        from tiktok_transition.core.timeline import timeline as dated_events

    zone = load_zone(tz)
    events = dated_events(session.judgement)
    rows = timeline_rows(events, session.judgement.as_of, zone, current_language())

    def draw(console: Console) -> None:
        from tiktok_transition.ui import planning as planning_views

        planning_views.timeline_view(events, session.judgement, zone, console)

    emit(session.fmt, session.output, Records(rows, TIMELINE_COLUMNS), draw, excel)


# --- helpers -----------------------------------------------------------------------------------


def _load_lines(
    exports: list[str], session: Session, columns: list[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The SKU lines (with the product columns) and their flagged orders."""
    from tiktok_transition.reader.layout import PRODUCT_FIELDS, TRIAGE_FIELDS

    return load_flagged(exports, session, columns, (*TRIAGE_FIELDS, *PRODUCT_FIELDS))
