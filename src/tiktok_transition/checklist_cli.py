"""`checklist`: the migration checklists and the seller's progress through them.

Imports neither pandas nor pyarrow (not even through `views`), so these commands start fast:
CSV is written with the standard library, every text cell made spreadsheet-safe.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tiktok_transition import terminal
from tiktok_transition.clock import ZONE, load_zone
from tiktok_transition.errors import UsageError
from tiktok_transition.i18n import current_language, t
from tiktok_transition.options import (
    Excel,
    FormatOption,
    Lang,
    LocalizedCommand,
    LocalizedGroup,
    Output,
    Quiet,
    help_text,
    set_lang,
    user_errors,
    write_table,
)
from tiktok_transition.render import (
    Format,
    open_output,
    resolve_format,
    write_object,
    write_records,
)

if TYPE_CHECKING:
    from rich.console import Console

    from tiktok_transition.checklists import Checklist, Item, Phase, ProgressStore

LIST_COLUMNS = ("platform", "title", "items", "done", "checked_on")
ITEM_COLUMNS = ("platform", "id", "phase", "title", "detail", "source", "done", "done_at")
ALL = "all"

app = typer.Typer(help=help_text("checklist"), cls=LocalizedGroup, no_args_is_help=True)

StatePath = Annotated[
    Path | None,
    typer.Option(
        "--state",
        metavar="PATH",
        help=help_text("state"),
    ),
]
ChecklistFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--checklist-file",
        metavar="PATH",
        help=help_text("checklist_file"),
    ),
]
PlatformArg = Annotated[str, typer.Argument(metavar="PLATFORM", help=help_text("platform"))]
PlatformsArg = Annotated[
    list[str],
    typer.Argument(metavar="PLATFORM...", help=help_text("platforms")),
]
ItemsArg = Annotated[
    list[str],
    typer.Argument(metavar="ITEM...", help=help_text("items")),
]


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


# --- commands ----------------------------------------------------------------------------------


@app.command("list", help=help_text("checklist_list"), cls=LocalizedCommand)
def list_(
    fmt: FormatOption = Format.AUTO,
    output: Output = None,
    state: StatePath = None,
    checklist_file: ChecklistFiles = None,
    excel: Excel = False,
    quiet: Quiet = False,
    lang: Lang = None,
) -> None:
    """The platforms and their progress (help text: `help.checklist_list`)."""
    with user_errors():
        set_lang(lang)
        chosen = _format(fmt, output)
        with _store(state, checklist_file) as store:
            progress = [_progress(store, platform) for platform in store.checklists]
        _write_list(progress, chosen, output, excel)


@app.command(help=help_text("checklist_show"), cls=LocalizedCommand)
def show(
    platforms: PlatformsArg,
    fmt: FormatOption = Format.AUTO,
    output: Output = None,
    state: StatePath = None,
    checklist_file: ChecklistFiles = None,
    excel: Excel = False,
    quiet: Quiet = False,
    lang: Lang = None,
) -> None:
    """One or more checklists (help text: `help.checklist_show`)."""
    with user_errors():
        set_lang(lang)
        chosen = _format(fmt, output)
        with _store(state, checklist_file) as store:
            wanted = _expand(platforms, store.checklists)
            progress = [_progress(store, platform) for platform in wanted]
        several = len(wanted) > 1 or ALL in platforms
        _write_show(progress, chosen, output, excel, several)


@app.command(help=help_text("checklist_done"), cls=LocalizedCommand)
def done(
    platform: PlatformArg,
    items: ItemsArg,
    state: StatePath = None,
    checklist_file: ChecklistFiles = None,
    quiet: Quiet = False,
    lang: Lang = None,
) -> None:
    """Mark items done (help text: `help.checklist_done`)."""
    with user_errors():
        set_lang(lang)
        with _store(state, checklist_file) as store:
            changed = store.done(platform, items)
            changes = _changes(items, changed, "checklist.marked_done", "checklist.already_done")
            line = _confirmation(store, platform, changes)
        terminal.warn(line, quiet)


@app.command(help=help_text("checklist_undo"), cls=LocalizedCommand)
def undo(
    platform: PlatformArg,
    items: ItemsArg,
    state: StatePath = None,
    checklist_file: ChecklistFiles = None,
    quiet: Quiet = False,
    lang: Lang = None,
) -> None:
    """Mark items not done (help text: `help.checklist_undo`)."""
    with user_errors():
        set_lang(lang)
        with _store(state, checklist_file) as store:
            changed = store.undo(platform, items)
            changes = _changes(
                items, changed, "checklist.marked_undone", "checklist.already_undone"
            )
            line = _confirmation(store, platform, changes)
        terminal.warn(line, quiet)


@app.command(help=help_text("checklist_reset"), cls=LocalizedCommand)
def reset(
    platform: PlatformArg,
    state: StatePath = None,
    checklist_file: ChecklistFiles = None,
    quiet: Quiet = False,
    lang: Lang = None,
) -> None:
    """Forget a platform's progress (help text: `help.checklist_reset`)."""
    with user_errors():
        set_lang(lang)
        with _store(state, checklist_file) as store:
            removed = store.reset(platform)
            change = (
                t("checklist.reset_done", count=removed)
                if removed
                else t("checklist.reset_nothing")
            )
            line = _confirmation(store, platform, change)
        terminal.warn(line, quiet)


# --- settling the options ----------------------------------------------------------------------


def _format(fmt: Format, output: Path | None) -> Format:
    chosen = resolve_format(fmt, output, terminal.is_terminal(sys.stdout))
    if chosen is Format.XLSX:
        raise UsageError("checklist.no_xlsx")
    return chosen


@contextmanager
def _store(state: Path | None, checklist_files: list[Path] | None) -> Iterator[ProgressStore]:
    """The progress store over the bundled and the user's checklists.

    Its warnings (a damaged progress file moved aside) are shown even with `--quiet`, and even
    when the command then fails: the seller's saved progress is no longer where it was.
    """
    # Imported here: the pydantic models would slow every command's start-up.
    from tiktok_transition.checklists import ProgressStore, load_checklists

    store = ProgressStore(state, checklists=load_checklists(checklist_files or []))
    try:
        yield store
    finally:
        for warning in store.warnings:
            terminal.warn(warning)


def _expand(platforms: Sequence[str], checklists: Mapping[str, Checklist]) -> list[str]:
    from tiktok_transition.checklists import require_platform

    """The platform ids asked for, `all` standing for every one, each once; unknown ones raise."""
    wanted: list[str] = []
    for platform in platforms:
        wanted.extend(checklists if platform == ALL else [platform])
    for platform in wanted:
        require_platform(checklists, platform)
    return list(dict.fromkeys(wanted))


def _progress(store: ProgressStore, platform: str) -> Progress:
    from tiktok_transition.checklists import require_platform

    return Progress(require_platform(store.checklists, platform), store.completed(platform))


def _changes(asked: list[str], changed: list[str], changed_key: str, unchanged_key: str) -> str:
    """`marked done: a, b; already done: c`: what the command did, and what it left as it was."""
    unchanged = [item for item in dict.fromkeys(asked) if item not in changed]
    parts = [
        t(changed_key, items=", ".join(changed)) if changed else "",
        t(unchanged_key, items=", ".join(unchanged)) if unchanged else "",
    ]
    return "; ".join(part for part in parts if part)


def _confirmation(store: ProgressStore, platform: str, changes: str) -> str:
    """The line for standard error: what changed, and the platform's progress now."""
    progress = _progress(store, platform)
    return t(
        "checklist.confirm",
        platform=platform,
        changes=changes,
        progress=t("checklist.progress", done=progress.count, total=progress.total),
    )


# --- records: the same facts for every machine format ------------------------------------------


def _list_record(progress: Progress) -> dict[str, Any]:
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


def _document(progress: Progress) -> dict[str, Any]:
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


def _item_rows(progress: Progress) -> Iterator[dict[str, Any]]:
    """One CSV row per item; `done_at` in WIB, empty when not done."""
    wib = load_zone(ZONE)
    for item in progress.checklist.items:
        marked = progress.done.get(item.id)
        yield {
            "platform": progress.checklist.platform,
            **_item_record(item, progress),
            "done_at": marked.astimezone(wib).isoformat() if marked else "",
        }


def _by_phase(progress: Progress) -> Iterator[tuple[Phase, list[Item]]]:
    from tiktok_transition.checklists import Phase

    """The items grouped by phase, in the order of the move; empty phases left out."""
    for phase in Phase:
        items = [item for item in progress.checklist.items if item.phase is phase]
        if items:
            yield phase, items


# --- writers -----------------------------------------------------------------------------------


def _write_list(progress: list[Progress], fmt: Format, output: Path | None, excel: bool) -> None:
    if fmt is Format.TABLE:
        write_table(output, lambda console: _list_view(progress, console))
        return
    records = [_list_record(one) for one in progress]
    with open_output(output) as stream:
        write_records(records, LIST_COLUMNS, fmt, stream, excel=excel)


def _write_show(
    progress: list[Progress], fmt: Format, output: Path | None, excel: bool, several: bool
) -> None:
    if fmt is Format.TABLE:
        write_table(output, lambda console: _show_view(progress, console))
    elif fmt is Format.CSV:
        rows = [row for one in progress for row in _item_rows(one)]
        with open_output(output) as stream:
            write_records(rows, ITEM_COLUMNS, fmt, stream, excel=excel)
    elif fmt is Format.JSON:
        documents = [_document(one) for one in progress]
        with open_output(output) as stream:
            write_object(documents if several else documents[0], stream)
    elif fmt is Format.JSONL:
        with open_output(output) as stream:
            write_records([_document(one) for one in progress], (), fmt, stream)
    else:
        _write_text(output, "\n".join(_markdown_checklist(one) for one in progress))


def _write_text(output: Path | None, text: str) -> None:
    with open_output(output) as stream:
        stream.write(text.encode("utf-8"))


# The checklists' own labels in a source, as a person reads them (JSON and CSV keep the data).
_SOURCE_LABELS = (
    ("both third-party", "checklist.source_both_third_party"),
    ("third-party", "checklist.source_third_party"),
    ("general practice", "checklist.source_general"),
)


def _source_text(source: str) -> str:
    """`general practice` -> `praktik umum` in Indonesian; the citations stay as written."""
    for label, key in _SOURCE_LABELS:
        source = source.replace(label, t(key))
    return source


def _one_line(text: str) -> str:
    """A list item in Markdown holds one line; a TOML multi-line string may have several."""
    return " ".join(text.split())


def _markdown_checklist(progress: Progress) -> str:
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
    for phase, items in _by_phase(progress):
        finished = sum(item.id in progress.done for item in items)
        lines += [f"## {phase.label()} ({finished}/{len(items)})", ""]
        for item in items:
            mark = "x" if item.id in progress.done else " "
            lines.append(f"- [{mark}] {_one_line(item.title(lang))}")
            note = t("checklist.source_note", source=_one_line(_source_text(item.source)))
            lines.append(f"  - {_one_line(item.detail(lang))} ({note})")
        lines.append("")
    return "\n".join(lines)


# --- terminal views ----------------------------------------------------------------------------


def _list_view(progress: list[Progress], console: Console) -> None:
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


def _show_view(progress: list[Progress], console: Console) -> None:
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
    for phase, items in _by_phase(progress):
        finished = sum(item.id in progress.done for item in items)
        rows = [
            [
                "✓" if item.id in progress.done else "·",
                item.id,
                item.title(lang),
                item.detail(lang),
                _source_text(item.source),
            ]
            for item in items
        ]
        styles = ["green" if item.id in progress.done else None for item in items]
        parts.append(
            terminal.table(f"{phase.label()}  {finished}/{len(items)}", columns, rows, styles)
        )
    parts.append(terminal.styled(t("checklist.done_hint", platform=checklist.platform), "dim"))
    return parts
