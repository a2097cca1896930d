"""The terminal views of the checklists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiktok_transition.i18n import current_language, t
from tiktok_transition.output.checklists import by_phase, source_text
from tiktok_transition.ui import terminal

if TYPE_CHECKING:
    from rich.console import Console

    from tiktok_transition.output.checklists import Progress


# --- terminal views ----------------------------------------------------------------------------


def list_view(progress: list[Progress], console: Console) -> None:
    columns = [
        terminal.Column(t("checklist.col_platform"), no_wrap=True),
        terminal.Column(t("checklist.col_checklist"), wrap=True, min_width=20),
        terminal.Column(t("checklist.col_done"), numeric=True, no_wrap=True),
        terminal.Column(t("checklist.col_checked_on"), no_wrap=True, priority=1),
    ]
    lang = current_language()
    rows = []
    styles: list[str | None] = []
    for one in progress:
        checklist = one.checklist
        title = checklist.title(lang) + (" ⚠" if checklist.notice(lang) else "")
        rows.append(
            [
                checklist.platform,
                title,
                f"{one.count}/{one.total}",
                checklist.checked_on.isoformat(),
            ]
        )
        styles.append("green" if one.count == one.total else None)
    hints = [t("checklist.list_hint")]
    if any(one.checklist.notice(lang) for one in progress):
        hints.insert(0, t("checklist.notice_hint"))
    grid = terminal.table(t("checklist.list_title"), columns, rows, styles)
    terminal.show(console, grid, *(terminal.styled(hint, "dim") for hint in hints))


def show_view(progress: list[Progress], console: Console) -> None:
    parts: list[Any] = []
    for index, one in enumerate(progress):
        if index:
            parts.append("")
        parts += _checklist_view(one)
    terminal.show(console, *parts)


def _checklist_view(progress: Progress) -> list[Any]:
    """The notice in a panel first, then the date facts were checked, then a table per phase."""
    checklist = progress.checklist
    lang = current_language()
    parts: list[Any] = []
    notice = checklist.notice(lang)
    if notice:
        parts.append(terminal.panel(t("checklist.notice_title"), [notice], style="bold red"))
    heading = t("checklist.heading", title=checklist.title(lang), platform=checklist.platform)
    parts += [
        terminal.styled(
            f"{heading}: {t('checklist.progress', done=progress.count, total=progress.total)}",
            "bold",
        ),
        terminal.styled(t("checklist.checked_on", date=checklist.checked_on.isoformat()), "dim"),
    ]
    # The check mark, the item (its ID is what `done` takes) and the task first; on a narrow
    # window the details and the source go on a line under the task.
    columns = [
        terminal.Column("✓", no_wrap=True),
        terminal.Column(t("checklist.col_item"), no_wrap=True),
        terminal.Column(t("checklist.col_task"), wrap=True, min_width=24),
        terminal.Column(t("checklist.col_detail"), wrap=True, priority=1, min_width=30, under=True),
        terminal.Column(t("checklist.col_source"), wrap=True, priority=2, min_width=16, under=True),
    ]
    for phase, items in by_phase(progress):
        finished = sum(item.id in progress.done for item in items)
        rows = [
            [
                "✓" if item.id in progress.done else "·",
                item.id,
                item.title(lang),
                item.detail(lang),
                source_text(item.source),
            ]
            for item in items
        ]
        styles = ["green" if item.id in progress.done else None for item in items]
        parts.append(
            terminal.table(f"{phase.label()}  {finished}/{len(items)}", columns, rows, styles)
        )
    parts.append(terminal.styled(t("checklist.done_hint", platform=checklist.platform), "dim"))
    return parts
