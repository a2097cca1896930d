"""The `report` command: one self-contained HTML page from the exports.

Its own Typer, added to the main app. Like `cli/main.py`, this module imports neither pandas,
pyarrow, matplotlib nor Jinja2 at load time: they come with the command, when it runs.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tiktok_transition.cli.checklist import StatePath
from tiktok_transition.cli.history import DEFAULT_SHOP, HistoryFile, Shop, shop_name
from tiktok_transition.cli.options import (
    AsOf,
    Columns,
    Cutoff,
    Exports,
    IncludePii,
    Lang,
    Output,
    Quiet,
    Shutdown,
    Zone,
)
from tiktok_transition.cli.planning import SkipDay
from tiktok_transition.cli.session import (
    Session,
    load_flagged,
    make_session,
    preamble,
)
from tiktok_transition.cli.typer_i18n import LocalizedCommand, help_text
from tiktok_transition.core.clock import CUTOFF, SHUTDOWN, ZONE, load_zone
from tiktok_transition.errors import UsageError
from tiktok_transition.i18n import current_language
from tiktok_transition.output.files import open_output
from tiktok_transition.output.formats import Format
from tiktok_transition.ui import terminal

if TYPE_CHECKING:
    import pandas as pd

    from tiktok_transition.report.model import ChecklistProgress, ExportFile, HistoryRun

app = typer.Typer()

ReportCapacity = Annotated[
    int | None,
    typer.Option("--capacity", metavar="N", help=help_text("report_capacity")),
]
STDOUT = Path("-")


@app.command(help=help_text("report"), cls=LocalizedCommand)
@preamble
def report(
    exports: Exports,
    output: Output = None,
    capacity: ReportCapacity = None,
    skip_day: SkipDay = None,
    as_of: AsOf = None,
    cutoff: Cutoff = CUTOFF,
    shutdown: Shutdown = SHUTDOWN,
    tz: Zone = ZONE,
    include_pii: IncludePii = False,
    column: Columns = None,
    state: StatePath = None,
    history: HistoryFile = None,
    shop: Shop = DEFAULT_SHOP,
    quiet: Quiet = False,
    lang: Lang = None,
) -> None:
    """One HTML page (help text: `help.report` in the catalogue)."""
    if output is None and terminal.is_terminal(sys.stdout):
        raise UsageError("report.needs_output")
    if capacity is not None:
        from tiktok_transition.core.planning import require_capacity

        require_capacity(capacity)
    from tiktok_transition.core.planning import parse_weekdays

    skip = parse_weekdays(skip_day or [])
    target = None if output is None or output == STDOUT else output
    session = make_session(as_of, cutoff, shutdown, tz, Format.CSV, target, quiet)
    checklists = _checklists(state)
    runs = _history(history, shop)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The fingerprints are taken while the exports are read: each file is hashed in 4 MB
        # chunks, during each of which hashlib does not hold the interpreter lock.
        hashing = pool.submit(_fingerprints, exports)
        lines, orders = _load(exports, session, column, include_pii)
        files = hashing.result()
    from tiktok_transition.report import builder, page

    zone = load_zone(tz)
    model = builder.build(
        orders,
        lines,
        session.judgement,
        zone,
        capacity=capacity,
        skip=skip,
        lang=current_language(),
        made_at=datetime.now(zone).replace(microsecond=0),
        checklists=checklists,
        files=files,
        include_pii=include_pii,
        other_couriers=_other_couriers(),
        history=runs,
    )
    html = page.render(model)
    with open_output(target) as stream:
        stream.write(html.encode("utf-8"))


# --- helpers -----------------------------------------------------------------------------------


def _load(
    exports: list[str], session: Session, columns: list[str] | None, include_pii: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The lines (with the product columns, for the pick list) and their flagged orders."""
    from tiktok_transition.core.planning import SKU_KEY
    from tiktok_transition.reader.layout import PII_FIELDS, TRIAGE_FIELDS

    # The pick list needs the SKU's three words, not the rest of the product columns: each
    # text column read costs time and memory at a million lines.
    fields = (*TRIAGE_FIELDS, *SKU_KEY, *(PII_FIELDS if include_pii else ()))
    return load_flagged(exports, session, columns, fields, include_pii)


def _other_couriers() -> str:
    from tiktok_transition.i18n import t

    return t("report.amount_other")


def _checklists(state: Path | None) -> list[ChecklistProgress]:
    """Each platform's progress, from the checklist store (`--state`, else
    TIKTOK_TRANSITION_STATE, else the user's state folder)."""
    from tiktok_transition.checklists import ProgressStore, load_checklists
    from tiktok_transition.report.model import ChecklistProgress

    store = ProgressStore(state, checklists=load_checklists())
    try:
        lang = current_language()
        return [
            ChecklistProgress(
                platform=checklist.platform,
                title=checklist.title(lang),
                done=len(store.completed(platform)),
                total=len(checklist.items),
                checked_on=checklist.checked_on,
            )
            for platform, checklist in store.checklists.items()
        ]
    finally:
        for warning in store.warnings:
            terminal.warn(warning)


def _history(history: Path | None, shop: str) -> list[HistoryRun] | None:
    """The shop's recorded runs, when a history database exists (`--history`, else
    TIKTOK_TRANSITION_HISTORY, else the user data folder); never creates one."""
    from tiktok_transition import history as store
    from tiktok_transition.report.model import HistoryRun

    path = store.resolve_path(history)
    if not path.exists():
        return None
    found = store.runs(path, shop_name(shop))
    return [HistoryRun(run.recorded_at, run.at_risk_orders) for run in found] or None


def _fingerprints(exports: list[str]) -> list[ExportFile]:
    """Each export's name, size and SHA-256, as the history records them."""
    from tiktok_transition.history import fingerprint
    from tiktok_transition.report.model import ExportFile

    return [ExportFile(each.name, each.size, each.sha256) for each in fingerprint(exports)]
