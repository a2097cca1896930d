"""What the commands share: option types, settling the options, reading and flagging orders,
turning the project's errors into exit codes. Imports neither pandas nor pyarrow at load time."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tiktok_transition import terminal
from tiktok_transition.clock import load_zone, now, parse_moment
from tiktok_transition.errors import TransitionError, UsageError
from tiktok_transition.i18n import detect_language, set_language, t
from tiktok_transition.render import Format, open_output, resolve_format

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from tiktok_transition.exports import Lines
    from tiktok_transition.triage import Judgement

EXIT_AT_RISK = 1
EXIT_BAD_INPUT = 2


# --- options shared by the commands that read exports --------------------------------------

Exports = Annotated[
    list[str],
    typer.Argument(
        help="Order export(s), CSV or XLSX; `-` reads CSV from standard input.", metavar="EXPORT..."
    ),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="WHEN",
        help="Judge at this moment (ISO 8601 or 'YYYY-MM-DD HH:MM'); default now.",
    ),
]
Cutoff = Annotated[str, typer.Option("--cutoff", metavar="WHEN", help="The auto-cancel moment.")]
Shutdown = Annotated[
    str, typer.Option("--shutdown", metavar="WHEN", help="No new orders after this.")
]
Zone = Annotated[str, typer.Option("--tz", metavar="ZONE", help="IANA zone of naive times.")]
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        case_sensitive=False,
        help="auto = table on a terminal, csv in a pipe (or from -o's extension).",
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", metavar="PATH", help="Write here, atomically: a complete file or none."
    ),
]
IncludePii = Annotated[
    bool, typer.Option("--include-pii", help="Add buyer name, phone and address columns.")
]
Lang = Annotated[
    str | None,
    typer.Option("--lang", metavar="LANG", help="en or id: the language a person reads."),
]
Excel = Annotated[
    bool,
    typer.Option("--excel", help="CSV for a spreadsheet in an Indonesian locale: BOM and ';'."),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Standard error only for errors.")]
FailOnRisk = Annotated[
    bool,
    typer.Option(
        "--fail-on-risk", help="Exit 1 when an order is at risk or already auto-cancelled."
    ),
]
Columns = Annotated[
    list[str] | None,
    typer.Option(
        "--column",
        metavar="'NAME=HEADER'",
        help="Read a column under another header, e.g. 'Order ID=No. Pesanan'.",
    ),
]
FlagFilter = Annotated[
    list[str] | None,
    typer.Option("--flag", metavar="FLAG", help="Keep only orders with this flag (repeatable)."),
]
AtRisk = Annotated[
    bool, typer.Option("--at-risk", help="Short for --flag to_ship --flag awaiting_pickup.")
]


@dataclass
class Session:
    """What every export-reading command settles before it reads."""

    judgement: Judgement
    zone: str
    fmt: Format
    output: Path | None
    quiet: bool


def set_lang(lang: str | None) -> None:
    if lang is not None and lang not in ("en", "id"):
        raise UsageError("error.bad_lang", value=lang)
    set_language(lang or detect_language())


EXIT_INTERNAL = 3


@contextmanager
def user_errors() -> Iterator[None]:
    """The project's own errors become one sentence on stderr and exit 2; no traceback.

    Anything else is a bug: one line and exit 3 (a traceback only with TIKTOK_TRANSITION_DEBUG=1,
    since a traceback may quote a buyer's data).
    """
    try:
        yield
    except TransitionError as exc:
        terminal.error(str(exc))
        raise typer.Exit(exc.exit_code) from None
    except BrokenPipeError:
        # The reader of our standard output went away (`| head`): nothing more to say.
        sys.stderr.close()
        raise typer.Exit(0) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if os.environ.get("TIKTOK_TRANSITION_DEBUG"):
            raise
        terminal.error(t("error.internal", kind=type(exc).__name__))
        raise typer.Exit(EXIT_INTERNAL) from None


def make_session(
    as_of: str | None,
    cutoff: str,
    shutdown: str,
    tz: str,
    fmt: Format,
    output: Path | None,
    quiet: bool,
) -> Session:
    from tiktok_transition.triage import Judgement

    zone = load_zone(tz)
    judged_at = now(zone) if as_of is None else parse_moment(as_of, zone, "--as-of")
    judgement = Judgement(
        as_of=judged_at,
        cutoff=parse_moment(cutoff, zone, "--cutoff"),
        shutdown=parse_moment(shutdown, zone, "--shutdown"),
    )
    if judgement.cutoff < judgement.shutdown:
        raise UsageError("error.cutoff_before_shutdown")
    chosen = resolve_format(fmt, output, terminal.is_terminal(sys.stdout))
    return Session(judgement, tz, chosen, output, quiet)


def chosen_flags(flag: list[str] | None, at_risk: bool) -> set[str]:
    from tiktok_transition.triage import AT_RISK, Flag

    chosen = set(flag or [])
    valid = {f.value for f in Flag}
    unknown = sorted(chosen - valid)
    if unknown:
        raise UsageError("error.bad_flag", value=", ".join(unknown), valid=", ".join(sorted(valid)))
    if at_risk:
        chosen |= {f.value for f in AT_RISK}
    return chosen


def load_lines(
    exports: list[str], session: Session, columns: list[str] | None, fields: tuple[str, ...]
) -> Lines:
    """Read and merge the exports (a progress bar for big files); say on stderr what the
    seller should know about them: skipped rows, a stale export."""
    from tiktok_transition import exports as reader

    overrides = reader.parse_column_overrides(columns or [])
    big = any(_size(path) > 20_000_000 for path in exports)
    with terminal.reading_progress(
        t("common.reading"), enabled=big and not session.quiet
    ) as report:
        lines = reader.read_exports(
            exports, reader.ReadOptions(fields, session.zone, overrides, report)
        )
    for key, params in lines.notices:
        terminal.warn(t(key, **params), session.quiet)
    newest = lines.newest_evidence
    if newest is not None and session.judgement.as_of - newest > timedelta(hours=24):
        terminal.warn(
            t(
                "notice.stale_export",
                newest=newest.isoformat(),
                as_of=session.judgement.as_of.isoformat(),
            ),
            session.quiet,
        )
    return lines


def load_orders(
    exports: list[str],
    session: Session,
    columns: list[str] | None,
    include_pii: bool = False,
) -> pd.DataFrame:
    """Read, merge and flag the exports; warn on stderr about odd orders."""
    from tiktok_transition import exports as reader
    from tiktok_transition.triage import triage

    fields = reader.TRIAGE_FIELDS + (reader.PII_FIELDS if include_pii else ())
    lines = load_lines(exports, session, columns, fields)
    orders = triage(lines.frame, session.judgement, include_pii=include_pii)
    warn_about(orders, session.quiet)
    return orders


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size if path != "-" else 0
    except OSError:
        return 0


def warn_about(orders: pd.DataFrame, quiet: bool) -> None:
    counts: dict[str, int] = {}
    for words, count in orders["warnings"].value_counts().items():
        for word in filter(None, str(words).split(";")):
            counts[word] = counts.get(word, 0) + int(count)
    for word, count in sorted(counts.items()):
        terminal.warn(t(f"notice.warning_{word}", count=count), quiet)


def fail_on_risk_exit(orders: pd.DataFrame, enabled: bool) -> None:
    from tiktok_transition.triage import AT_RISK, Flag

    if enabled and orders["flag"].isin([*AT_RISK, Flag.AUTO_CANCELLED]).any():
        raise typer.Exit(EXIT_AT_RISK)


def write_table(output: Path | None, draw: Callable[[Console], None]) -> None:
    """A terminal table on standard output, or as plain text into `-o`."""
    if output is None:
        draw(terminal.stdout_console())
        return
    import io

    text = io.StringIO()
    draw(terminal.stdout_console(text))
    with open_output(output) as stream:
        stream.write(text.getvalue().encode("utf-8"))
