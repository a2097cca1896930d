"""Everything that touches Rich: consoles, tables, panels, progress. Nothing else imports rich.

Rich is imported inside the functions: a command that prints nothing through it (a CSV in a
pipe, `--version`) does not pay for loading it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from tiktok_transition.guards import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.panel import Panel
    from rich.text import Text

    from tiktok_transition.ui.fit_table import Column as Column
    from tiktok_transition.ui.fit_table import FitTable

# Colours for the flag words; the words themselves carry the meaning without colour.
FLAG_STYLES = {
    "awaiting_pickup": "bold yellow",
    "to_ship": "bold red",
    "auto_cancelled": "red",
    "unpaid": "dim",
    "handed_over": "green",
    "cancelled": "dim",
}


def stdout_console(stream: IO[str] | None = None) -> Console:
    """The report's console: standard output, or a text file written without colour."""
    from rich.console import Console

    if stream is None:
        return Console(highlight=False, soft_wrap=False)
    return Console(file=stream, highlight=False, no_color=True, width=_file_width())


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _file_width() -> int:
    try:
        return max(80, int(os.environ.get("COLUMNS", "160")))
    except ValueError:
        return 160


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def table(
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    styles: Sequence[str | None] | None = None,
    caption: str | None = None,
) -> FitTable:
    """A table with one style per row (or none), laid out for the window it is drawn in
    (`fit_table`). Cells are plain text: a `[word]` in a product name or title is shown as
    written, never read as Rich markup."""
    from tiktok_transition.ui.fit_table import FitTable

    return FitTable(title, columns, rows, styles, caption)


def __getattr__(name: str) -> type[Column]:
    """`terminal.Column`, from `fit_table`, loaded when a view is drawn (not for a CSV)."""
    if name == "Column":
        from tiktok_transition.ui.fit_table import Column

        return Column
    raise AttributeError(name)


def styled(text: str, style: str | None) -> Text:
    from rich.text import Text

    return Text(printable(text), style=style or "")


def panel(title: str, lines: Sequence[str | Text], style: str = "cyan") -> Panel:
    from rich.panel import Panel
    from rich.text import Text

    body = Text("\n").join(
        line if isinstance(line, Text) else Text(printable(line)) for line in lines
    )
    return Panel(body, title=title, title_align="left", border_style=style, expand=False)


def bar(value: int, most: int, width: int = 20) -> str:
    """A load bar: `█████░░░░`."""
    filled = 0 if most <= 0 else round(width * min(value, most) / most)
    return "█" * filled + "░" * (width - filled)


def show(console: Console, *parts: FitTable | Panel | Text | str) -> None:
    from rich.console import Group

    console.print(Group(*parts))


def warn(text: str, quiet: bool = False) -> None:
    """A message for the person, on standard error; `--quiet` keeps only errors."""
    if not quiet:
        _to_stderr(printable(text), "yellow")


def error(text: str) -> None:
    _to_stderr(printable(text), "bold red")


# Environment variables that make Rich treat any stream as a terminal (colours, widths).
_RICH_TERMINAL_ENV = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


def _to_stderr(text: str, style: str) -> None:
    """`text` on standard error, styled on a terminal. Where Rich would write it unchanged (no
    terminal, nothing forcing one, no tab or control character to expand or drop), it is
    written without loading Rich: a CSV into a pipe with a warning starts faster."""
    import builtins

    plain = not (
        is_terminal(sys.stderr)
        or any(os.environ.get(name) for name in _RICH_TERMINAL_ENV)
        or hasattr(builtins, "get_ipython")
    )
    if plain and all(line.isprintable() for line in text.split("\n")):
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
        return
    from rich.text import Text

    stderr_console().print(Text(text, style=style))


@contextmanager
def reading_progress(label: str, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on standard error while a large export is read, only on a terminal."""
    if not enabled or not is_terminal(sys.stderr):
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=stderr_console(),
        transient=True,
    )
    task = progress.add_task(label, total=None)

    def report(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    with progress:
        yield report
