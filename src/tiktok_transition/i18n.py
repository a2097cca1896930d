"""The words a person reads, in English and Bahasa Indonesia.

Each language's catalogue is the set of TOML files in `locales/<lang>/`; a key is
`<file stem>.<name>`. Column names, JSON keys, flag words and exit codes are never translated.

Light on purpose (the standard library only): `--help`, `checklist` and `timeline` load it.
"""

from __future__ import annotations

import os
import string
import tomllib
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

LANGUAGES = ("en", "id")
ENV_VAR = "TIKTOK_TRANSITION_LANG"
_current = "en"


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """`TIKTOK_TRANSITION_LANG`, else the first locale variable that is set (`LC_ALL`,
    `LC_MESSAGES`, `LANG`, as POSIX reads them): Indonesian when it starts with `id`; else
    English."""
    env = os.environ if environ is None else environ
    explicit = env.get(ENV_VAR, "").strip().lower()
    if explicit in LANGUAGES:
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "id" if value.lower().startswith("id") else "en"
    return "en"


def language_from_args(args: Sequence[str]) -> str | None:
    """The language a command line asks for with `--lang id` or `--lang=id`; the last one wins,
    as for any option. None when it asks for none (or for one this tool does not speak)."""
    found: str | None = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        else:
            continue
        found = value.strip().lower() if value.strip().lower() in LANGUAGES else found
    return found


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else "en"


def current_language() -> str:
    return _current


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, keyed `<file stem>.<name>`."""
    messages: dict[str, str] = {}
    folder = _locales() / lang
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            stem = entry.name.removesuffix(".toml")
            messages.update((f"{stem}.{name}", text) for name, text in _area(lang, stem).items())
    return messages


@cache
def _locales() -> Path | Traversable:
    """`locales/`: beside this file, as installed (importlib.resources, slower to load, for a
    package that is not a folder of files, such as a zip)."""
    here = Path(__file__).with_name("locales")
    if here.is_dir():
        return here
    from importlib import resources

    return resources.files("tiktok_transition") / "locales"


@cache
def _area(lang: str, stem: str) -> dict[str, str]:
    """The messages of one file (`help`, `error`, ...): a command reads only the ones it uses,
    which keeps start-up short."""
    entry = _locales() / lang / f"{stem}.toml"
    try:
        text = entry.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return {name: str(value) for name, value in tomllib.loads(text).items()}


def _lookup(lang: str, key: str) -> str | None:
    stem, _, name = key.partition(".")
    return _area(lang, stem).get(name)


def t(key: str, lang: str | None = None, **params: Any) -> str:
    """The message `key` in the current language, with `{name}` fields filled in."""
    text = _lookup(lang or _current, key) or _lookup("en", key) or key
    return text.format(**params) if params else text


def placeholders(text: str) -> set[str]:
    """The `{fields}` a message fills in (`{}` counts as the field "")."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def format_date(day: date, lang: str | None = None) -> str:
    """`5 Nov 2023`; `5 Okt 2023` in Indonesian (the month's abbreviation in its language)."""
    month = t(f"common.month_{day.month}", lang)
    return t("common.date", lang, day=day.day, month=month, year=day.year)


def format_clock(hour: int, minute: int, lang: str | None = None) -> str:
    """`23:59`; `23.59` in Indonesian, as Indonesian writes the time of day."""
    return t("common.clock", lang, hour=hour, minute=minute)
