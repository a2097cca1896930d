"""Commands only: parse, call the core, render, map errors to exit codes.

pandas and pyarrow are imported inside the commands that read exports, so `--help`,
`checklist` and `timeline` start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tiktok_transition import __version__, terminal
from tiktok_transition.clock import CUTOFF, SHUTDOWN, ZONE, load_zone, now, parse_moment
from tiktok_transition.errors import TransitionError, UsageError
from tiktok_transition.i18n import detect_language, set_language, t
from tiktok_transition.render import Format, open_output, resolve_format

if TYPE_CHECKING:
    import pandas as pd

    from tiktok_transition.triage import Judgement

EXIT_AT_RISK = 1
EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="tiktok-transition",
    help="Triage a TikTok Shop Indonesia order export against the wind-down cutoff.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


def _language(lang: str | None) -> None:
    if lang is not None and lang not in ("en", "id"):
        raise UsageError("error.bad_lang", value=lang)
    set_language(lang or detect_language())


@contextmanager
def _user_errors() -> Iterator[None]:
    """The project's own errors become one sentence on stderr and exit 2; no traceback."""
    try:
        yield
    except TransitionError as exc:
        terminal.error(str(exc))
        raise typer.Exit(exc.exit_code) from None
    except BrokenPipeError:
        # The reader of our standard output went away (`| head`): nothing more to say.
        sys.stderr.close()
        raise typer.Exit(0) from None


def _session(
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


def _flags(flag: list[str] | None, at_risk: bool) -> set[str]:
    from tiktok_transition.triage import AT_RISK, Flag

    chosen = set(flag or [])
    valid = {f.value for f in Flag}
    unknown = sorted(chosen - valid)
    if unknown:
        raise UsageError("error.bad_flag", value=", ".join(unknown), valid=", ".join(sorted(valid)))
    if at_risk:
        chosen |= {f.value for f in AT_RISK}
    return chosen


def _load_orders(
    exports: list[str],
    session: Session,
    columns: list[str] | None,
    include_pii: bool,
    fields: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Read, merge and flag the exports; say on stderr what the seller should know."""
    from tiktok_transition import exports as reader
    from tiktok_transition.triage import triage

    wanted = fields or reader.TRIAGE_FIELDS
    if include_pii:
        wanted = (*wanted, *reader.PII_FIELDS)
    options = reader.ReadOptions(
        fields=wanted, tz=session.zone, overrides=reader.parse_column_overrides(columns or [])
    )
    big = any(_size(path) > 20_000_000 for path in exports)
    with terminal.reading_progress(
        t("common.reading"), enabled=big and not session.quiet
    ) as report:
        options = reader.ReadOptions(options.fields, options.tz, options.overrides, report)
        lines = reader.read_exports(exports, options)
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
    return triage(lines.frame, session.judgement, include_pii=include_pii)


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size if path != "-" else 0
    except OSError:
        return 0


def _warn_about(orders: pd.DataFrame, quiet: bool) -> None:
    counts: dict[str, int] = {}
    for words, count in orders["warnings"].value_counts().items():
        for word in filter(None, str(words).split(";")):
            counts[word] = counts.get(word, 0) + int(count)
    for word, count in sorted(counts.items()):
        terminal.warn(t(f"notice.warning_{word}", count=count), quiet)


def _fail_on_risk(orders: pd.DataFrame, enabled: bool) -> None:
    from tiktok_transition.triage import AT_RISK, Flag

    if enabled and orders["flag"].isin([*AT_RISK, Flag.AUTO_CANCELLED]).any():
        raise typer.Exit(EXIT_AT_RISK)


def _scan_frame(orders: pd.DataFrame, include_pii: bool) -> pd.DataFrame:
    from tiktok_transition.triage import PII_COLUMNS, SCAN_COLUMNS

    columns = [*SCAN_COLUMNS, *(PII_COLUMNS if include_pii else ())]
    return orders.loc[:, columns]


# --- commands ----------------------------------------------------------------------------------


@app.command()
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
) -> None:
    """One row per order: its flag against the cutoff.

    Example: tiktok-transition scan export.csv --as-of "2023-10-20 09:00" > report.csv
    """
    with _user_errors():
        _language(lang)
        session = _session(as_of, cutoff, shutdown, tz, fmt, output, quiet)
        chosen = _flags(flag, at_risk)
        orders = _load_orders(exports, session, column, include_pii)
        _warn_about(orders, quiet)
        from tiktok_transition.triage import keep_flags, summarize

        shown = keep_flags(orders, chosen)
        if session.fmt is Format.TABLE:
            from tiktok_transition import views

            _write_table(
                session.output,
                lambda console: views.scan_table(
                    shown, summarize(orders, session.judgement), console
                ),
            )
        else:
            from tiktok_transition.render import write_frame

            frame = _scan_frame(shown, include_pii)
            with open_output(session.output) as stream:
                write_frame(frame, session.fmt, stream, excel=excel)
    _fail_on_risk(orders, fail_on_risk)


@app.command()
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
) -> None:
    """Counts, units and rupiah per flag, and the time left to the cutoff.

    Example: tiktok-transition summary export.csv --format json
    """
    with _user_errors():
        _language(lang)
        session = _session(as_of, cutoff, shutdown, tz, fmt, output, quiet)
        orders = _load_orders(exports, session, column, include_pii=False)
        _warn_about(orders, quiet)
        from tiktok_transition.triage import summarize

        report = summarize(orders, session.judgement)
        if session.fmt is Format.TABLE:
            from tiktok_transition import views

            _write_table(session.output, lambda console: views.summary_view(report, console))
        elif session.fmt in (Format.JSON, Format.JSONL):
            from tiktok_transition.render import write_object

            with open_output(session.output) as stream:
                write_object(report, stream)
        else:
            from tiktok_transition.render import write_frame

            with open_output(session.output) as stream:
                write_frame(_summary_frame(report), session.fmt, stream, excel=excel)
    _fail_on_risk(orders, fail_on_risk)


def _summary_frame(report: dict[str, Any]) -> pd.DataFrame:
    import pandas as pd

    rows = [{"flag": flag, **values} for flag, values in report["by_flag"].items()]
    return pd.DataFrame(rows, columns=["flag", "orders", "units", "amount"]).astype(
        {"flag": "str", "orders": "int64", "units": "int64", "amount": "int64"}
    )


def _write_table(output: Path | None, draw: Any) -> None:
    """A terminal table on standard output, or as plain text into `-o`."""
    if output is None:
        draw(terminal.stdout_console())
        return
    import io

    text = io.StringIO()
    draw(terminal.stdout_console(text))
    with open_output(output) as stream:
        stream.write(text.getvalue().encode("utf-8"))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tiktok-transition {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Triage a TikTok Shop Indonesia order export against the wind-down cutoff, plan the
    handovers, and move the shop to a marketplace."""


def main() -> None:
    app()
