"""Read the bundled checklists and the user's own checklist files."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from tiktok_transition.checklists.models import Checklist
from tiktok_transition.errors import TransitionError
from tiktok_transition.i18n import t

# The order `checklist list` shows: the wind-down first, then where sellers went.
BUNDLED_PLATFORMS = (
    "tiktok-wind-down",
    "tokopedia",
    "shopee",
    "lazada",
    "blibli",
    "bukalapak",
    "own-channel",
)


class ChecklistFileError(TransitionError):
    """One or more checklist files that cannot be used; the message has one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("checklist.file_invalid", problems="\n".join(problems))
        self.problems = problems


def load_checklists(extra_files: Iterable[Path] = ()) -> dict[str, Checklist]:
    """The bundled checklists by platform id; a user file adds a platform or replaces one."""
    checklists = dict(_bundled())
    problems: list[str] = []
    for path in extra_files:
        try:
            checklist = _parse(str(path), _read_text(path))
        except ChecklistFileError as exc:
            problems.extend(exc.problems)
            continue
        checklists[checklist.platform] = checklist
    if problems:
        raise ChecklistFileError(problems)
    return checklists


@cache
def _bundled() -> dict[str, Checklist]:
    folder = resources.files("tiktok_transition.checklists") / "data"
    found: dict[str, Checklist] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".toml"):
            checklist = _parse(entry.name, entry.read_text(encoding="utf-8"))
            found[checklist.platform] = checklist

    def rank(platform: str) -> tuple[int, str]:
        known = platform in BUNDLED_PLATFORMS
        return (BUNDLED_PLATFORMS.index(platform) if known else len(BUNDLED_PLATFORMS), platform)

    return {platform: found[platform] for platform in sorted(found, key=rank)}


# A checklist is a few kilobytes; this bounds what `/dev/zero` or a huge file could cost.
MAX_CHECKLIST_BYTES = 1_000_000


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_CHECKLIST_BYTES + 1)
        if len(raw) > MAX_CHECKLIST_BYTES:
            raise ChecklistFileError(
                [f"{path}: {t('hostile.checklist_too_large', limit=MAX_CHECKLIST_BYTES // 1000)}"]
            )
        return raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ChecklistFileError(
            [f"{path}: {t('checklist.file_unreadable', reason=reason)}"]
        ) from exc


def _parse(name: str, text: str) -> Checklist:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ChecklistFileError([f"{name}: {t('checklist.toml_syntax', reason=exc)}"]) from exc
    except RecursionError:
        raise ChecklistFileError([f"{name}: {t('hostile.too_deep')}"]) from None
    try:
        return Checklist.model_validate(data)
    except ValidationError as exc:
        raise ChecklistFileError(
            [_problem_line(name, error, data) for error in exc.errors(include_url=False)]
        ) from exc


def _problem_line(name: str, error: ErrorDetails, data: Any) -> str:
    """`my.toml: items[2].phase (verify-ktp): Input should be ...`; indexes count from 0."""
    place = ""
    for part in error["loc"]:
        place += f"[{part}]" if isinstance(part, int) else f".{part}" if place else str(part)
    hint = _item_id_at(data, error["loc"])
    where = f"{place} ({hint})" if hint else place
    message = error["msg"]
    if error["type"] == "value_error":
        # Our own validators' messages read better without pydantic's "Value error, ".
        message = message.removeprefix("Value error, ")
    return f"{name}: {where}: {message}" if where else f"{name}: {message}"


def _item_id_at(data: Any, loc: tuple[int | str, ...]) -> str | None:
    """The id of the item a problem sits in, so a reader can find it without counting."""
    if len(loc) < 3 or loc[0] != "items" or not isinstance(loc[1], int) or loc[2] == "id":
        return None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or loc[1] >= len(items) or not isinstance(items[loc[1]], dict):
        return None
    item_id = items[loc[1]].get("id")
    return item_id if isinstance(item_id, str) and item_id else None
