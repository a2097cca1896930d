"""The shape of a migration checklist: one platform, its dated facts, and its items."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StringConstraints,
    field_validator,
    model_validator,
)

from tiktok_transition.errors import TransitionError
from tiktok_transition.i18n import t

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)


def _check_slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a slug: use lowercase letters and digits joined by single "
            "hyphens, like verify-ktp"
        )
    return value


Slug = Annotated[str, AfterValidator(_check_slug)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Phase(StrEnum):
    """When in the move an item belongs; the value is what data files and JSON carry."""

    BEFORE_CUTOFF = "before-cutoff"
    ACCOUNT = "account"
    LISTING = "listing"
    OPERATIONS = "operations"
    AFTER_CUTOFF = "after-cutoff"

    def label(self, lang: str | None = None) -> str:
        """The phase in words a person reads."""
        return t(f"checklist.phase_{self.value.replace('-', '_')}", lang)


class UnknownPlatformError(TransitionError):
    """A platform id that no loaded checklist has."""


class UnknownItemError(TransitionError):
    """An item id that the platform's checklist does not have."""


class Item(BaseModel):
    """One step of a checklist, in English and Bahasa Indonesia, with where its facts come from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    title_en: Text
    title_id: Text
    detail_en: Text
    detail_id: Text
    phase: Phase
    source: Text

    def title(self, lang: str = "en") -> str:
        return self.title_id if lang == "id" else self.title_en

    def detail(self, lang: str = "en") -> str:
        return self.detail_id if lang == "id" else self.detail_en


class Checklist(BaseModel):
    """Everything to do for one platform, with the date its facts were checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    platform: Slug
    title_en: Text
    title_id: Text
    checked_on: date
    notice_en: Text | None = None
    notice_id: Text | None = None
    items: tuple[Item, ...]

    @field_validator("items")
    @classmethod
    def _ids_unique(cls, items: tuple[Item, ...]) -> tuple[Item, ...]:
        if not items:
            raise ValueError("a checklist needs at least one item")
        first_seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in first_seen:
                raise ValueError(
                    f"item id {item.id!r} is used twice: items[{first_seen[item.id]}] "
                    f"and items[{index}]"
                )
            first_seen[item.id] = index
        return items

    @model_validator(mode="after")
    def _notice_in_both_languages(self) -> Checklist:
        if (self.notice_en is None) != (self.notice_id is None):
            raise ValueError("give notice_en and notice_id together, or neither")
        return self

    def title(self, lang: str = "en") -> str:
        return self.title_id if lang == "id" else self.title_en

    def notice(self, lang: str = "en") -> str | None:
        return self.notice_id if lang == "id" else self.notice_en

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]

    def require_items(self, item_ids: Iterable[str]) -> list[str]:
        """The ids, checked against this checklist; unknown ones raise `UnknownItemError`."""
        wanted = list(item_ids)
        known = set(self.item_ids)
        unknown = [item_id for item_id in wanted if item_id not in known]
        if unknown:
            raise UnknownItemError(
                "checklist.unknown_item",
                platform=self.platform,
                items=", ".join(unknown),
                valid=", ".join(self.item_ids),
            )
        return wanted


def require_platform(checklists: Mapping[str, Checklist], platform: str) -> Checklist:
    """The checklist for `platform`; an unknown one raises `UnknownPlatformError`."""
    try:
        return checklists[platform]
    except KeyError:
        raise UnknownPlatformError(
            "checklist.unknown_platform", platform=platform, valid=", ".join(checklists)
        ) from None
