"""The history commands, `changes` and `history`, and `--record` for scan, summary and plan.

Its own Typer, added to the main app. Like `cli/main.py`, this module imports neither pandas nor
pyarrow (nor sqlite3) at load time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

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
    EXIT_AT_RISK,
    Session,
    emit,
    load_orders,
    make_session,
    preamble,
)
from tiktok_transition.cli.typer_i18n import LocalizedCommand, help_text
from tiktok_transition.core.clock import CUTOFF, SHUTDOWN, ZONE, load_zone, parse_moment
from tiktok_transition.errors import TransitionError
from tiktok_transition.output.formats import Format
from tiktok_transition.ui import terminal

if TYPE_CHECKING:
    from concurrent.futures import Future

    import pandas as pd

    from tiktok_transition.history import Run

app = typer.Typer()

Record = Annotated[bool, typer.Option("--record", help=help_text("record"))]
HistoryFile = Annotated[
    Path | None,
    typer.Option("--history", metavar="PATH", help=help_text("history_file")),
]
Shop = Annotated[str, typer.Option("--shop", metavar="NAME", help=help_text("shop"))]
Since = Annotated[str | None, typer.Option("--since", metavar="WHEN", help=help_text("since"))]
DEFAULT_SHOP = "default"
_T = TypeVar("_T")


class Recording:
    """`--record`: the history file checked before the exports are read, the exports hashed in
    a low-priority thread while they are read (on the cores the reading leaves idle), then one
    snapshot of the run (no buyer data) written in a thread while the report is (`save` starts
    it, and finishes the hash beside it if need be; `wait` waits for it). Says nothing.

    A history file that cannot be used is found by the check, before anything is written; one
    that fails later (a full disk, a lock held for longer than the busy timeout) is exit 2 after
    the report."""

    def __init__(self, enabled: bool, history: Path | None, shop: str, exports: list[str]) -> None:
        self.enabled = enabled
        self._saving: Future[object] | None = None
        if not enabled:
            return
        from tiktok_transition import history as store

        self.path = store.resolve_path(history)
        self.shop = shop_name(shop)
        store.check(self.path)
        self._prints = store.Fingerprinting(exports)

    def save(self, session: Session, orders: pd.DataFrame, command: str) -> None:
        if not self.enabled:
            return
        from tiktok_transition import history as store

        # What the low-priority thread has not hashed yet is finished in a thread of its own,
        # at the process's priority, while the snapshot's orders are written.
        hashed = _in_thread(self._prints.result)
        self._saving = _in_thread(
            partial(
                store.record,
                self.path,
                self.shop,
                as_of=session.judgement.as_of,
                cutoff=session.judgement.cutoff,
                exports=hashed.result,
                orders=orders,
                command=command,
            )
        )

    def wait(self) -> None:
        """The snapshot is in the file (or its error raised here)."""
        if self._saving is not None:
            self._saving.result()


def _in_thread(work: Callable[..., _T], *args: object) -> Future[_T]:
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history")
    try:
        return pool.submit(work, *args)
    finally:
        pool.shutdown(wait=False)


def shop_name(name: str) -> str:
    """`--shop`, trimmed; an empty name is refused."""
    shop = name.strip()
    if not shop:
        raise TransitionError("history.bad_shop")
    return shop


@app.command(help=help_text("changes"), cls=LocalizedCommand)
@preamble
def changes(
    exports: Exports,
    as_of: AsOf = None,
    since: Since = None,
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
    history: HistoryFile = None,
    shop: Shop = DEFAULT_SHOP,
) -> None:
    """What moved since the last recorded run (help text: `help.changes` in the catalogue)."""
    session = make_session(as_of, cutoff, shutdown, tz, fmt, output, quiet)
    from tiktok_transition import history as store

    path = store.resolve_path(history)
    name = shop_name(shop)
    until = session.judgement.as_of
    if since is not None:
        until = parse_moment(since, load_zone(tz), "--since")
    baseline = store.latest_before(path, name, until, inclusive=since is not None)
    if baseline is None:
        from tiktok_transition.ui.orders import format_moment

        raise TransitionError(
            "history.no_snapshot",
            shop=name,
            when=format_moment(until.astimezone(load_zone(tz))),
            path=str(path),
        )
    # The snapshot's orders are read while the exports are (SQLite lets go of the GIL).
    earlier = _in_thread(store.run_orders, path, baseline, store.CHANGES_SOURCE)
    orders = load_orders(exports, session, column)
    rows = store.compare(orders, earlier.result())
    counts = store.ChangeCounts.of(rows)
    from tiktok_transition.ui import history as history_views

    since_moment = baseline.as_of.astimezone(load_zone(tz))
    story = history_views.changes_story(since_moment, counts)
    if session.fmt is not Format.TABLE:
        terminal.warn(story, quiet)
    emit(session.fmt, session.output, rows, partial(history_views.changes_view, story, rows), excel)
    if fail_on_risk and counts.alarming:
        raise typer.Exit(EXIT_AT_RISK)


@app.command(help=help_text("history"), cls=LocalizedCommand)
@preamble
def history(
    tz: Zone = ZONE,
    fmt: FormatOption = Format.AUTO,
    output: Output = None,
    excel: Excel = False,
    lang: Lang = None,
    history: HistoryFile = None,
    shop: Shop = DEFAULT_SHOP,
) -> None:
    """One row per recorded run (help text: `help.history` in the catalogue)."""
    session = make_session(None, CUTOFF, SHUTDOWN, tz, fmt, output, quiet=False)
    from tiktok_transition import history as store

    path = store.resolve_path(history)
    name = shop_name(shop)
    found = store.runs(path, name)
    if not found:
        raise TransitionError("history.no_runs", shop=name, path=str(path))
    zone = load_zone(tz)
    from tiktok_transition.ui import history as history_views

    frame = _history_frame(found, tz)
    emit(
        session.fmt,
        session.output,
        frame,
        lambda console: history_views.history_view(found, zone, console),
        excel,
    )


def _history_frame(found: list[Run], tz: str) -> pd.DataFrame:
    import pandas as pd

    from tiktok_transition.history import HISTORY_COLUMNS

    frame = pd.DataFrame([run.row() for run in found], columns=list(HISTORY_COLUMNS))
    for column in ("recorded_at", "as_of"):
        moments = pd.to_datetime(frame[column], utc=True).dt.tz_convert(tz)
        frame[column] = moments.astype(pd.DatetimeTZDtype("s", tz))
    return frame.astype(dict.fromkeys(HISTORY_COLUMNS[2:], "int64"))
