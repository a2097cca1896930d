"""What the commands share: option types, settling the options, reading and flagging orders,
turning the project's errors into exit codes. Imports neither pandas nor pyarrow at load time."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from tiktok_transition import safety, terminal
from tiktok_transition.clock import load_zone, now, parse_moment
from tiktok_transition.errors import TransitionError, UsageError
from tiktok_transition.i18n import (
    LANGUAGES,
    catalogue,
    detect_language,
    language_from_args,
    set_language,
    t,
)
from tiktok_transition.render import Format, open_output, resolve_format

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from tiktok_transition.exports import Lines
    from tiktok_transition.triage import Judgement

EXIT_AT_RISK = 1


# --- help texts: from the catalogue, in the language of the run --------------------------------

# Typer reads `help=` when the commands are declared, so the help language is settled at import
# time: `--lang id` / `--lang=id` on the command line, else TIKTOK_TRANSITION_LANG, else the
# locale. Help printed for another command line (tests call the app in-process) is translated
# again when it is printed: see `LocalizedCommand`.
HELP_LANG = language_from_args(sys.argv[1:]) or detect_language()


def help_text(key: str) -> str:
    """The help text `help.<key>`, in the language settled at import time."""
    return t(f"help.{key}", HELP_LANG)


_LANG_META = "tiktok_transition.lang"
_T = TypeVar("_T")


class LocalizedCommand(TyperCommand):
    """A command whose help, usage line and usage errors (an unknown option, a missing argument:
    what Typer finds before the command runs) are in the language of its command line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _told_in(_settle_language(ctx, args), partial(super().parse_args, ctx, args))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _write_usage(self, ctx, formatter)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _localize_help(self, ctx)
        super().format_help(ctx, formatter)


class LocalizedGroup(TyperGroup):
    """`LocalizedCommand` for a group of commands, and its "no such command"."""

    def main(self, args: Any = None, *rest: Any, standalone_mode: bool = True, **kw: Any) -> Any:
        # Usage errors in one line; a help text cut short by `| head` is not an error.
        step = partial(super().main, args, *rest, **kw)
        if not standalone_mode:
            return step(standalone_mode=False)
        words = list(args) if args is not None else sys.argv[1:]
        return safety.run_standalone(step, language_from_args(words) or detect_language())

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _told_in(_settle_language(ctx, args), partial(super().parse_args, ctx, args))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        return _told_in(_language_of(ctx), partial(super().resolve_command, ctx, args))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _write_usage(self, ctx, formatter)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _localize_help(self, ctx)
        super().format_help(ctx, formatter)


def _told_in(lang: str, step: Callable[[], _T]) -> _T:
    """Run a step of Typer's parsing; a usage error it raises is told in `lang`."""
    try:
        return step()
    except Exception as exc:
        translated = _usage_error_in(exc, lang)
        if translated is exc:
            raise
        raise translated from None


def _settle_language(ctx: Any, args: list[str]) -> str:
    """The language of this command line, kept in the context its sub-commands share."""
    lang = language_from_args(args) or ctx.meta.get(_LANG_META) or detect_language()
    ctx.meta[_LANG_META] = lang
    return str(lang)


def _language_of(ctx: Any) -> str:
    return str(ctx.meta.get(_LANG_META) or HELP_LANG)


def _write_usage(command: Any, ctx: Any, formatter: Any) -> None:
    lang = _language_of(ctx)
    prefix = None if lang == "en" else t("usage.prefix", lang)
    formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)), prefix)


def _localize_help(command: Any, ctx: Any) -> None:
    """Put the help of `command`, of its parameters and of its sub-commands in the language of
    the command line, and Typer's own words (panel titles, `[default: ...]`) with them."""
    lang = _language_of(ctx)
    _use_typer_words(lang)
    command.help = _translated_help(command.help, lang)
    help_option = command.get_help_option(ctx)
    for param in command.get_params(ctx):
        if param is help_option:
            param.help = t("help.help_option", lang)
        elif param.name in ("install_completion", "show_completion"):
            param.help = t(f"help.{param.name}", lang)
        else:
            param.help = _translated_help(getattr(param, "help", None), lang)
    for sub in getattr(command, "commands", {}).values():
        sub.help = _translated_help(sub.help, lang)
        sub.short_help = _translated_help(sub.short_help, lang)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


@cache
def _help_keys() -> dict[str, str]:
    """Every help text, in either language, back to its key."""
    return {
        _squeeze(text): key
        for lang in LANGUAGES
        for key, text in catalogue(lang).items()
        if key.startswith("help.")
    }


def _translated_help(text: str | None, lang: str) -> str | None:
    key = _help_keys().get(_squeeze(text)) if text else None
    return t(key, lang) if key else text


# Typer's own words, by their name in `typer.rich_utils`, which reads them when it prints (this
# process prints for one command line at a time); English keeps Typer's text unchanged.
_TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "usage.arguments",
    "OPTIONS_PANEL_TITLE": "usage.options",
    "COMMANDS_PANEL_TITLE": "usage.commands",
    "DEFAULT_STRING": "usage.default",
    "REQUIRED_LONG_STRING": "usage.required",
    "ERRORS_PANEL_TITLE": "usage.error",
    "RICH_HELP": "usage.try_help",
}
_typer_originals: dict[str, Any] = {}


def _use_typer_words(lang: str) -> None:
    if lang == "en" and not _typer_originals:
        return
    from typer import rich_utils

    for name, key in _TYPER_WORDS.items():
        if hasattr(rich_utils, name):
            original = _typer_originals.setdefault(name, getattr(rich_utils, name))
            setattr(rich_utils, name, original if lang == "en" else t(key, lang))


def _usage_error_in(exc: Exception, lang: str) -> Exception:
    """A usage error Typer found, told in `lang`: a new usage error (exit code 2, same context)
    with the message in `lang`; anything else (and English) unchanged."""
    kinds = {kind.__name__: kind for kind in type(exc).__mro__}
    if "UsageError" not in kinds or "NoArgsIsHelpError" in kinds:
        return exc
    _use_typer_words(lang)
    message = None if lang == "en" else _usage_message(exc, kinds, lang)
    if message is None:
        return exc
    usage_error: Any = kinds["UsageError"]
    translated: Exception = usage_error(message, getattr(exc, "ctx", None))
    return translated


_NOT_ONE_OF = re.compile(r"'(?P<value>.*)' is not one of (?P<choices>.*?)\.?$")
_EXTRA_ARGUMENTS = re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$")
_NO_SUCH_COMMAND = re.compile(
    r"^No such command '(?P<name>.*?)'\.(?: Did you mean (?P<names>.*)\?)?$"
)


def _usage_message(exc: Any, kinds: dict[str, type], lang: str) -> str | None:
    """The Indonesian for the usage errors Typer raises; None for one it does not know."""
    text = str(getattr(exc, "message", "") or "")
    if "NoSuchOption" in kinds:
        message = t("usage.no_such_option", lang, name=exc.option_name)
        if exc.possibilities:
            options = ", ".join(sorted(exc.possibilities))
            message += " " + t("usage.possible_options", lang, options=options)
        return message
    if "MissingParameter" in kinds:
        kind = exc.param_type or getattr(exc.param, "param_type_name", "")
        key = "usage.missing_option" if kind == "option" else "usage.missing_argument"
        return t(key, lang, name=_param_hint(exc))
    if "BadParameter" in kinds:
        return t("usage.bad_value", lang, name=_param_hint(exc), reason=_reason(text, lang))
    if "BadOptionUsage" in kinds:
        if "requires" in text:
            return t("usage.needs_value", lang, name=exc.option_name)
        if "does not take a value" in text:
            return t("usage.takes_no_value", lang, name=exc.option_name)
        return None
    extra = _EXTRA_ARGUMENTS.match(text)
    if extra:
        return t("usage.extra_arguments", lang, args=extra["args"])
    command = _NO_SUCH_COMMAND.match(text)
    if command:
        message = t("usage.no_such_command", lang, name=command["name"])
        if command["names"]:
            message += " " + t("usage.did_you_mean", lang, names=command["names"])
        return message
    return None


def _param_hint(exc: Any) -> str:
    """`'--capacity'`, `'-o' / '--output'`, `'EXPORT...'`: the parameter, as Typer names it."""
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        param = exc.param
        opts = list(getattr(param, "opts", None) or [])
        is_option = getattr(param, "param_type_name", "") == "option"
        hint = opts if is_option and opts else [getattr(param, "metavar", None) or param.name]
    if isinstance(hint, str):
        return hint
    return " / ".join(f"'{part}'" for part in hint or [])


def _reason(text: str, lang: str) -> str:
    """Why a value was refused, from Typer's (or pydantic's) English words."""
    choice = _NOT_ONE_OF.search(text)
    if choice:
        return t("usage.not_one_of", lang, value=choice["value"], choices=choice["choices"])
    if "valid integer" in text:
        return t("usage.not_a_whole_number", lang)
    return text.removeprefix("Value error, ")


# --- options shared by the commands that read exports --------------------------------------

Exports = Annotated[
    list[str],
    typer.Argument(help=help_text("exports"), metavar="EXPORT..."),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="WHEN",
        help=help_text("as_of"),
    ),
]
Cutoff = Annotated[str, typer.Option("--cutoff", metavar="WHEN", help=help_text("cutoff"))]
Shutdown = Annotated[str, typer.Option("--shutdown", metavar="WHEN", help=help_text("shutdown"))]
Zone = Annotated[str, typer.Option("--tz", metavar="ZONE", help=help_text("tz"))]
FormatOption = Annotated[
    Format,
    typer.Option("--format", case_sensitive=False, help=help_text("format")),
]
Output = Annotated[
    Path | None,
    typer.Option("-o", "--output", metavar="PATH", help=help_text("output")),
]
IncludePii = Annotated[bool, typer.Option("--include-pii", help=help_text("include_pii"))]
Lang = Annotated[
    str | None,
    typer.Option("--lang", metavar="LANG", help=help_text("lang")),
]
Excel = Annotated[bool, typer.Option("--excel", help=help_text("excel"))]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help=help_text("quiet"))]
FailOnRisk = Annotated[bool, typer.Option("--fail-on-risk", help=help_text("fail_on_risk"))]
Columns = Annotated[
    list[str] | None,
    typer.Option(
        "--column",
        metavar="'NAME=HEADER'",
        help=help_text("column"),
    ),
]
FlagFilter = Annotated[
    list[str] | None,
    typer.Option("--flag", metavar="FLAG", help=help_text("flag")),
]
AtRisk = Annotated[bool, typer.Option("--at-risk", help=help_text("at_risk"))]


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
    output = safety.output_path(output)
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

    safety.refuse_overwriting_inputs(session.output, exports)
    overrides = reader.parse_column_overrides(columns or [])
    safety.refuse_pii_overrides(overrides, fields)
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
        from tiktok_transition.views import format_moment

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
    from tiktok_transition import exports as reader

    fields = reader.TRIAGE_FIELDS + (reader.PII_FIELDS if include_pii else ())
    return load_flagged(exports, session, columns, fields, include_pii)[1]


def load_flagged(
    exports: list[str],
    session: Session,
    columns: list[str] | None,
    fields: tuple[str, ...],
    include_pii: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The exports' lines (with `fields`) and their flagged orders; odd orders told on stderr."""
    from tiktok_transition.triage import triage

    lines = load_lines(exports, session, columns, fields)
    orders = triage(
        lines.frame, session.judgement, include_pii=include_pii, order_codes=lines.order_codes
    )
    warn_about(orders, session.quiet)
    return lines.frame, orders


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


def write_report(
    session: Session, frame: pd.DataFrame, draw: Callable[[Console], None], excel: bool
) -> None:
    """The report in the session's format: `draw` it as a table, or write `frame`'s rows."""
    if session.fmt is Format.TABLE:
        write_table(session.output, draw)
        return
    from tiktok_transition.render import write_frame

    with open_output(session.output) as stream:
        write_frame(frame, session.fmt, stream, excel=excel)
