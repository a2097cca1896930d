"""scan and summary: the orders of the exports, one row each, and their counts per flag."""

from __future__ import annotations

from dataclasses import asdict
from functools import partial
from typing import TYPE_CHECKING

import typer

from tiktok_transition.cli.history import DEFAULT_SHOP, HistoryFile, Record, Recording, Shop
from tiktok_transition.cli.options import (
    AsOf,
    AtRisk,
    Columns,
    Cutoff,
    Excel,
    Exports,
    FailOnRisk,
    FlagFilter,
    FormatOption,
    IncludePii,
    Lang,
    Output,
    Quiet,
    Shutdown,
    Zone,
)
from tiktok_transition.cli.session import (
    chosen_flags,
    emit,
    fail_on_risk_exit,
    load_orders,
    make_session,
    preamble,
)
from tiktok_transition.cli.typer_i18n import LocalizedCommand, help_text
from tiktok_transition.core.clock import CUTOFF, SHUTDOWN, ZONE
from tiktok_transition.output.files import open_output
from tiktok_transition.output.formats import Format

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from tiktok_transition.core.summary import Summary


app = typer.Typer()


def _scan_frame(orders: pd.DataFrame, include_pii: bool) -> pd.DataFrame:
    from tiktok_transition.core.triage import PII_COLUMNS, SCAN_COLUMNS

    columns = [*SCAN_COLUMNS, *(PII_COLUMNS if include_pii else ())]
    return orders.loc[:, columns]


@app.command(help=help_text("scan"), cls=LocalizedCommand)
@preamble
def scan(
    exports: Exports,
    as_of: AsOf = None,
    cutoff: Cutoff = CUTOFF,
    shutdown: Shutdown = SHUTDOWN,
    tz: Zone = ZONE,
    fmt: FormatOption = Format.AUTO,
    output: Output = None,
    flag: FlagFilter = None,
    at_risk: AtRisk = False,
    fail_on_risk: FailOnRisk = False,
    include_pii: IncludePii = False,
    excel: Excel = False,
    column: Columns = None,
    quiet: Quiet = False,
    lang: Lang = None,
    record: Record = False,
    history: HistoryFile = None,
    shop: Shop = DEFAULT_SHOP,
) -> None:
    """One row per order (help text: `help.scan` in the catalogue)."""
    session = make_session(as_of, cutoff, shutdown, tz, fmt, output, quiet)
    chosen = chosen_flags(flag, at_risk)
    recording = Recording(record, history, shop, exports)
    orders = load_orders(exports, session, column, include_pii)
    from tiktok_transition.core.triage import keep_flags

    shown = keep_flags(orders, chosen)
    recording.save(session, orders, "scan")

    def draw(console: Console) -> None:
        from tiktok_transition.core.summary import summarize
        from tiktok_transition.ui import orders as order_views

        order_views.scan_table(shown, summarize(orders, session.judgement), console)

    emit(session.fmt, session.output, _scan_frame(shown, include_pii), draw, excel)
    recording.wait()
    fail_on_risk_exit(orders, fail_on_risk)


@app.command(help=help_text("summary"), cls=LocalizedCommand)
@preamble
def summary(
    exports: Exports,
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
    """Counts per flag (help text: `help.summary` in the catalogue)."""
    session = make_session(as_of, cutoff, shutdown, tz, fmt, output, quiet)
    recording = Recording(record, history, shop, exports)
    orders = load_orders(exports, session, column)
    from tiktok_transition.core.summary import summarize

    report = summarize(orders, session.judgement)
    recording.save(session, orders, "summary")
    if session.fmt is Format.JSON:  # one document; JSONL carries the CSV's rows
        from tiktok_transition.output.writers import write_object

        with open_output(session.output) as stream:
            write_object(report.to_dict(), stream)
    else:
        from tiktok_transition.ui import orders as order_views

        draw = partial(order_views.summary_view, report)
        emit(session.fmt, session.output, _summary_frame(report), draw, excel)
    recording.wait()
    fail_on_risk_exit(orders, fail_on_risk)


def _summary_frame(report: Summary) -> pd.DataFrame:
    import pandas as pd

    rows = [{"flag": flag, **asdict(tally)} for flag, tally in report.by_flag.items()]
    return pd.DataFrame(rows, columns=["flag", "orders", "units", "amount"]).astype(
        {"flag": "str", "orders": "int64", "units": "int64", "amount": "int64"}
    )
