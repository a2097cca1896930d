"""What every command does around its work: language, errors to exit codes, the session,
loading orders, writing the report.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer

from tiktok_transition.cli import standalone
from tiktok_transition.core import parallel
from tiktok_transition.core.clock import load_zone, now, parse_moment
from tiktok_transition.errors import TransitionError, UsageError
from tiktok_transition.i18n import (
    LANGUAGES,
    detect_language,
    set_language,
    t,
)
from tiktok_transition.output.files import open_output
from tiktok_transition.output.formats import Format, resolve_format
from tiktok_transition.ui import terminal

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from tiktok_transition.core.moments import Judgement
    from tiktok_transition.output.writers import Rows
    from tiktok_transition.reader.layout import Lines


EXIT_AT_RISK = 1


@dataclass
class Session:
    """What every export-reading command settles before it reads."""

    judgement: Judgement
    zone: str
    fmt: Format
    output: Path | None
    quiet: bool


def set_lang(lang: str | None) -> None:
    """`--lang`, else TIKTOK_TRANSITION_LANG, else the locale; an unknown language is a usage
    error, told in the language the environment asks for."""
    set_language(detect_language())
    if lang is not None and lang not in LANGUAGES:
        raise UsageError("error.bad_lang", value=lang)
    if lang is not None:
        set_language(lang)


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
    from tiktok_transition.core.moments import Judgement

    zone = load_zone(tz)
    judged_at = now(zone) if as_of is None else parse_moment(as_of, zone, "--as-of")
    judgement = Judgement(
        as_of=judged_at,
        cutoff=parse_moment(cutoff, zone, "--cutoff"),
        shutdown=parse_moment(shutdown, zone, "--shutdown"),
    )
    output = standalone.output_path(output)
    chosen = resolve_format(fmt, output, terminal.is_terminal(sys.stdout))
    return Session(judgement, tz, chosen, output, quiet)


def chosen_flags(flag: list[str] | None, at_risk: bool) -> set[str]:
    from tiktok_transition.core.flags import AT_RISK, Flag

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
    from tiktok_transition.reader import files as reader
    from tiktok_transition.reader import layout

    standalone.refuse_overwriting_inputs(session.output, exports)
    overrides = layout.parse_column_overrides(columns or [])
    standalone.refuse_pii_overrides(overrides, fields)
    big = any(_size(path) > 20_000_000 for path in exports)
    if _small(exports):
        parallel.work_inline()
    with terminal.reading_progress(
        t("common.reading"), enabled=big and not session.quiet
    ) as report:
        lines = reader.read_exports(
            exports, layout.ReadOptions(fields, session.zone, overrides, report)
        )
    for key, params in lines.notices:
        terminal.warn(t(key, **params), session.quiet)
    newest = lines.newest_evidence
    if newest is not None and session.judgement.as_of - newest > timedelta(hours=24):
        from tiktok_transition.ui.orders import format_moment

        terminal.warn(
            t(
                "notice.stale_export",
                newest=format_moment(newest),
                as_of=format_moment(session.judgement.as_of),
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
    from tiktok_transition.reader import layout

    fields = layout.TRIAGE_FIELDS + (layout.PII_FIELDS if include_pii else ())
    return load_flagged(exports, session, columns, fields, include_pii)[1]


def load_flagged(
    exports: list[str],
    session: Session,
    columns: list[str] | None,
    fields: tuple[str, ...],
    include_pii: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The exports' lines (with `fields`) and their flagged orders; odd orders told on stderr."""
    from tiktok_transition.core.triage import triage

    lines = load_lines(exports, session, columns, fields)
    orders = triage(
        lines.frame, session.judgement, include_pii=include_pii, order_codes=lines.order_codes
    )
    warn_about(orders, session.quiet)
    return lines.frame, orders


# Exports smaller than this (CSV bytes; an XLSX counts 8 times its zipped size) are read and
# written in one thread: measured on a busy 2-core machine, the 60-order example took 90 ms
# instead of 187 (median) and 10,000 lines (6.3 MB) no longer with threads than without.
SMALL_EXPORTS = 4_000_000


def _small(exports: list[str]) -> bool:
    if "-" in exports:  # standard input: its size is not known
        return False
    weight = sum(_size(path) * (8 if path.lower().endswith(".xlsx") else 1) for path in exports)
    return weight < SMALL_EXPORTS


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
    from tiktok_transition.core.flags import NEEDS_ACTION

    if enabled and orders["flag"].isin(NEEDS_ACTION).any():
        raise typer.Exit(EXIT_AT_RISK)


def _write_view(output: Path | None, draw: Callable[[Console], None]) -> None:
    """A terminal table on standard output, or as plain text into `-o`."""
    if output is None:
        draw(terminal.stdout_console())
        return
    import io

    text = io.StringIO()
    draw(terminal.stdout_console(text))
    with open_output(output) as stream:
        stream.write(text.getvalue().encode("utf-8"))


def emit(
    fmt: Format, output: Path | None, rows: Rows, draw: Callable[[Console], None], excel: bool
) -> None:
    """The one output path of every command: the terminal view (`draw`) for the table format,
    else the rows (a frame or records) through that format's writer, into `-o` or stdout."""
    if fmt is Format.TABLE:
        _write_view(output, draw)
        return
    from tiktok_transition.output.writers import write_rows

    with open_output(output) as stream:
        write_rows(rows, fmt, stream, excel=excel)


P = ParamSpec("P")
R = TypeVar("R")


def preamble(command: Callable[P, R]) -> Callable[P, R]:
    """What every command does first: its `--lang`, and its errors as one sentence + exit code."""

    @wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with user_errors(), parallel.command_scope():
            lang = kwargs.get("lang")
            set_lang(lang if isinstance(lang, str) else None)
            return command(*args, **kwargs)

    return run
