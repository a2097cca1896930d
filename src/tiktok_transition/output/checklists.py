"""A platform's checklist progress as records and as Markdown (no pydantic at import)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.clock import ZONE, load_zone
from tiktok_transition.i18n import current_language, t

if TYPE_CHECKING:
    from tiktok_transition.checklists import Checklist, Item, Phase


LIST_COLUMNS = ("platform", "title", "items", "done", "checked_on")
ITEM_COLUMNS = ("platform", "id", "phase", "title", "detail", "source", "done", "done_at")


@dataclass(frozen=True)
class Progress:
    """One platform's checklist and when each of its done items was marked."""

    checklist: Checklist
    done: dict[str, datetime]

    @property
    def count(self) -> int:
        return len(self.done)

    @property
    def total(self) -> int:
        return len(self.checklist.items)


# --- records: the same facts for every machine format ------------------------------------------


def list_record(progress: Progress) -> dict[str, Any]:
    checklist = progress.checklist
    return {
        "platform": checklist.platform,
        "title": checklist.title(current_language()),
        "items": progress.total,
        "done": progress.count,
        "checked_on": checklist.checked_on.isoformat(),
    }


def _item_record(item: Item, progress: Progress) -> dict[str, Any]:
    lang = current_language()
    return {
        "id": item.id,
        "title": item.title(lang),
        "detail": item.detail(lang),
        "phase": item.phase.value,
        "source": item.source,
        "done": item.id in progress.done,
    }


def checklist_document(progress: Progress) -> dict[str, Any]:
    """The contract's `show --format json` object."""
    checklist = progress.checklist
    lang = current_language()
    return {
        "platform": checklist.platform,
        "title": checklist.title(lang),
        "checked_on": checklist.checked_on.isoformat(),
        "notice": checklist.notice(lang),
        "items": [_item_record(item, progress) for item in checklist.items],
    }


def item_rows(progress: Progress) -> Iterator[dict[str, Any]]:
    """One CSV row per item; `done_at` in WIB, empty when not done."""
    wib = load_zone(ZONE)
    for item in progress.checklist.items:
        marked = progress.done.get(item.id)
        yield {
            "platform": progress.checklist.platform,
            **_item_record(item, progress),
            "done_at": marked.astimezone(wib).isoformat() if marked else "",
        }


def by_phase(progress: Progress) -> Iterator[tuple[Phase, list[Item]]]:
    from tiktok_transition.checklists import Phase

    """The items grouped by phase, in the order of the move; empty phases left out."""
    for phase in Phase:
        items = [item for item in progress.checklist.items if item.phase is phase]
        if items:
            yield phase, items


# The checklists' own labels in a source, as a person reads them (JSON and CSV keep the data).
_SOURCE_LABELS = (
    ("both third-party", "checklist.source_both_third_party"),
    ("third-party", "checklist.source_third_party"),
    ("general practice", "checklist.source_general"),
)


def source_text(source: str) -> str:
    """`general practice` -> `praktik umum` in Indonesian; the citations stay as written."""
    for label, key in _SOURCE_LABELS:
        source = source.replace(label, t(key))
    return source


def _one_line(text: str) -> str:
    """A list item in Markdown holds one line; a TOML multi-line string may have several."""
    return " ".join(text.split())


def markdown_checklist(progress: Progress) -> str:
    """A `- [x]` list under `## Phase` headings, to paste into notes; the notice comes first."""
    checklist = progress.checklist
    lang = current_language()
    lines = [f"# {_one_line(checklist.title(lang))}", ""]
    notice = checklist.notice(lang)
    if notice:
        lines += [f"> **{t('checklist.notice_title')}:** {_one_line(notice)}", ""]
    lines += [
        t("checklist.checked_on", date=checklist.checked_on.isoformat()),
        "",
        t("checklist.progress", done=progress.count, total=progress.total),
        "",
    ]
    for phase, items in by_phase(progress):
        finished = sum(item.id in progress.done for item in items)
        lines += [f"## {phase.label()} ({finished}/{len(items)})", ""]
        for item in items:
            mark = "x" if item.id in progress.done else " "
            lines.append(f"- [{mark}] {_one_line(item.title(lang))}")
            note = t("checklist.source_note", source=_one_line(source_text(item.source)))
            lines.append(f"  - {_one_line(item.detail(lang))} ({note})")
        lines.append("")
    return "\n".join(lines)
