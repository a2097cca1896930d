"""Typer in the seller's language: translated help, usage errors and Rich panel words."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import cache, partial
from typing import TYPE_CHECKING, Any, TypeVar

from typer.core import TyperCommand, TyperGroup

from tiktok_transition.cli import standalone
from tiktok_transition.cli.coercion import plain_coercion
from tiktok_transition.i18n import (
    LANGUAGES,
    catalogue,
    detect_language,
    language_from_args,
    t,
)

if TYPE_CHECKING:
    pass


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
    what Typer finds before the command runs) are in the language of its command line.

    Its parameters' values are converted without pydantic where they can be (`cli/coercion.py`).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        plain_coercion(self.get_params(ctx))
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
        return standalone.run_standalone(step, language_from_args(words) or detect_language())

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        plain_coercion(self.get_params(ctx))
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
