"""The words a person reads, in English and Bahasa Indonesia.

Each language's catalogue is the set of TOML files in `locales/<lang>/`; a key is
`<file stem>.<name>`. Column names, JSON keys, flag words and exit codes are never translated.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("en", "id")
_current = "en"


def detect_language(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """`TIKTOK_TRANSITION_LANG`, else a locale variable starting with `id`, else English."""
    env = os.environ if environ is None else environ
    explicit = env.get("TIKTOK_TRANSITION_LANG", "").strip().lower()
    if explicit in LANGUAGES:
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "id" if value.lower().startswith("id") else "en"
    return "en"


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else "en"


def current_language() -> str:
    return _current


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, keyed `<file stem>.<name>`."""
    messages: dict[str, str] = {}
    folder = resources.files("tiktok_transition") / "locales" / lang
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        stem = entry.name.removesuffix(".toml")
        for name, text in tomllib.loads(entry.read_text(encoding="utf-8")).items():
            messages[f"{stem}.{name}"] = str(text)
    return messages


def t(key: str, lang: str | None = None, **params: Any) -> str:
    """The message `key` in the current language, with `{name}` fields filled in."""
    messages = catalogue(lang or _current)
    text = messages.get(key) or catalogue("en").get(key) or key
    return text.format(**params) if params else text
