"""`checklist`: the migration checklists and the seller's progress through them.

Imports neither pandas nor pyarrow (not even through `ui.orders`), so these commands start fast:
CSV is written with the standard library, every text cell made spreadsheet-safe.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tiktok_transition.cli.options import Excel, FormatOption, Lang, Output, Quiet
from tiktok_transition.cli.session import emit, preamble
from tiktok_transition.cli.typer_i18n import LocalizedCommand, LocalizedGroup, help_text
from tiktok_transition.i18n import t
from tiktok_transition.output.checklists import (
    ITEM_COLUMNS,
    LIST_COLUMNS,
    Progress,
    checklist_document,
    item_rows,
    list_record,
    markdown_checklist,
)
from tiktok_transition.output.files import open_output
from tiktok_transition.output.formats import Format, resolve_format
from tiktok_transition.output.writers import Records, write_object, write_rows
from tiktok_transition.ui import terminal

if TYPE_CHECKING:
    from rich.console import Console

    from tiktok_transition.checklists import Checklist, ProgressStore


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
# --- commands ----------------------------------------------------------------------------------


@app.command("list", help=help_text("checklist_list"), cls=LocalizedCommand)
@preamble
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
    chosen = _format(fmt, output)
    with _store(state, checklist_file) as store:
        progress = [_progress(store, platform) for platform in store.checklists]
    _write_list(progress, chosen, output, excel)


@app.command(help=help_text("checklist_show"), cls=LocalizedCommand)
@preamble
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
    chosen = _format(fmt, output)
    with _store(state, checklist_file) as store:
        wanted = _expand(platforms, store.checklists)
        progress = [_progress(store, platform) for platform in wanted]
    several = len(wanted) > 1 or ALL in platforms
    _write_show(progress, chosen, output, excel, several)


@app.command(help=help_text("checklist_done"), cls=LocalizedCommand)
@preamble
def done(
    platform: PlatformArg,
    items: ItemsArg,
    state: StatePath = None,
    checklist_file: ChecklistFiles = None,
    quiet: Quiet = False,
    lang: Lang = None,
) -> None:
    """Mark items done (help text: `help.checklist_done`)."""
    _mark(platform, items, state, checklist_file, quiet, done=True)


@app.command(help=help_text("checklist_undo"), cls=LocalizedCommand)
@preamble
def undo(
    platform: PlatformArg,
    items: ItemsArg,
    state: StatePath = None,
    checklist_file: ChecklistFiles = None,
    quiet: Quiet = False,
    lang: Lang = None,
) -> None:
    """Mark items not done (help text: `help.checklist_undo`)."""
    _mark(platform, items, state, checklist_file, quiet, done=False)


def _mark(
    platform: str,
    items: list[str],
    state: Path | None,
    checklist_files: list[Path] | None,
    quiet: bool,
    done: bool,
) -> None:
    """`done` and `undo`: change the items, then one line on what changed and the progress."""
    with _store(state, checklist_files) as store:
        if done:
            changed = store.done(platform, items)
            keys = ("checklist.marked_done", "checklist.already_done")
        else:
            changed = store.undo(platform, items)
            keys = ("checklist.marked_undone", "checklist.already_undone")
        line = _confirmation(store, platform, _changes(items, changed, *keys))
    terminal.warn(line, quiet)


@app.command(help=help_text("checklist_reset"), cls=LocalizedCommand)
@preamble
def reset(
    platform: PlatformArg,
    state: StatePath = None,
    checklist_file: ChecklistFiles = None,
    quiet: Quiet = False,
    lang: Lang = None,
) -> None:
    """Forget a platform's progress (help text: `help.checklist_reset`)."""
    with _store(state, checklist_file) as store:
        removed = store.reset(platform)
        change = (
            t("checklist.reset_done", count=removed) if removed else t("checklist.reset_nothing")
        )
        line = _confirmation(store, platform, change)
    terminal.warn(line, quiet)


# --- settling the options ----------------------------------------------------------------------


def _format(fmt: Format, output: Path | None) -> Format:
    return resolve_format(fmt, output, terminal.is_terminal(sys.stdout))


@contextmanager
def _store(state: Path | None, checklist_files: list[Path] | None) -> Iterator[ProgressStore]:
    """The progress store over the bundled and the user's checklists.

    Its warnings (a damaged progress file moved aside) are shown even with `--quiet`, and even
    when the command then fails: the seller's saved progress is no longer where it was.
    """
    # Imported here: the pydantic models would slow every command's start-up.
    from tiktok_transition.cli.models import without_plugins

    with without_plugins():
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


# --- writers -----------------------------------------------------------------------------------


def _write_list(progress: list[Progress], fmt: Format, output: Path | None, excel: bool) -> None:
    records = Records([list_record(one) for one in progress], LIST_COLUMNS)

    def draw(console: Console) -> None:
        from tiktok_transition.ui.checklists import list_view

        list_view(progress, console)

    emit(fmt, output, records, draw, excel)


def _write_show(
    progress: list[Progress], fmt: Format, output: Path | None, excel: bool, several: bool
) -> None:
    if fmt in (Format.TABLE, Format.CSV, Format.XLSX):
        rows = Records([row for one in progress for row in item_rows(one)], ITEM_COLUMNS)

        def draw(console: Console) -> None:
            from tiktok_transition.ui.checklists import show_view

            show_view(progress, console)

        emit(fmt, output, rows, draw, excel)
    elif fmt is Format.JSON:
        documents = [checklist_document(one) for one in progress]
        with open_output(output) as stream:
            write_object(documents if several else documents[0], stream)
    elif fmt is Format.JSONL:
        with open_output(output) as stream:
            write_rows(Records([checklist_document(one) for one in progress]), fmt, stream)
    else:
        _write_text(output, "\n".join(markdown_checklist(one) for one in progress))


def _write_text(output: Path | None, text: str) -> None:
    with open_output(output) as stream:
        stream.write(text.encode("utf-8"))
