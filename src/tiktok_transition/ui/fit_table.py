"""Tables that fit the window, the way gh does it: each column has a priority and a minimum
width; on a narrow window the least important columns go (a dim footer says how many), IDs,
flags, amounts and dates never wrap, long text is cut with an ellipsis or wrapped at word
boundaries, never broken letter by letter.

The widths are worked out when the table is drawn (`__rich_console__`), from the width the
console offers: the same table reads right in an 80-column terminal, a 200-column one, and in a
file written with `-o` (`COLUMNS` wide). Rich is imported only when drawing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tiktok_transition.guards import printable
from tiktok_transition.i18n import t

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions

# How a column's cells behave when the column is narrower than its text.
FIXED = "fixed"  # never wraps, never cut: IDs, flags, amounts, dates, counts
CLIP = "clip"  # one line, cut with an ellipsis
WRAP = "wrap"  # wraps at spaces; a word longer than the column is cut with an ellipsis
SMALLEST = 8  # the narrowest a text column is made, when nothing else can go


@dataclass(frozen=True)
class Column:
    """One column. `priority` 0 is always shown; the higher the number, the sooner the column
    is hidden on a narrow window. `min_width`: a CLIP or WRAP column is not made narrower than
    this (or its text, if shorter) before columns are hidden. `under`: once hidden, the column's
    text is not lost but shown dim on a line of its own under the row's first WRAP cell."""

    label: str
    numeric: bool = False
    no_wrap: bool = False
    priority: int = 0
    min_width: int = 10
    wrap: bool = False
    under: bool = False

    @property
    def mode(self) -> str:
        if self.no_wrap or self.numeric:
            return FIXED
        return WRAP if self.wrap else CLIP


def _line_breaks(text: str) -> str:
    """Carriage returns as plain line breaks, so `printable` leaves them for the layout."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def one_line(text: str) -> str:
    """A cell that must stay on one line: its line breaks become spaces."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


def cell_width(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.split("\n")), default=0)


def longest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(word) for word in text.split()), default=0)


@dataclass(frozen=True)
class Layout:
    """Which columns are shown (by index), how wide each is, which ones go under the text."""

    shown: list[int]
    widths: dict[int, int]
    under: list[int]
    hidden: int


def border_width(columns: int) -> int:
    """A boxed table with one space of padding each side: `│ a │ b │`."""
    return 3 * columns + 1


def layout(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> Layout:
    """The columns that fit in `width` characters, with their widths."""
    natural = [
        max(
            [
                longest_word(column.label),
                *(
                    cell_width(row[index] if column.mode == WRAP else one_line(row[index]))
                    for row in rows
                ),
            ]
        )
        for index, column in enumerate(columns)
    ]
    need = [
        natural[index]
        if column.mode == FIXED
        else min(natural[index], max(column.min_width, longest_word(column.label)))
        for index, column in enumerate(columns)
    ]
    shown = list(range(len(columns)))

    def total(indexes: list[int]) -> int:
        return sum(need[index] for index in indexes) + border_width(len(indexes))

    while total(shown) > width:
        droppable = [index for index in shown if columns[index].priority > 0]
        if not droppable:
            break
        # The least important column goes first; of equals, the one furthest right.
        drop = max(droppable, key=lambda index: (columns[index].priority, index))
        shown.remove(drop)
    # Nothing left to hide and still too wide: the text columns give up their minimum width
    # (down to a few characters) before the IDs, amounts and dates are cut.
    excess = total(shown) - width
    for index in sorted(shown, key=lambda index: -need[index]):
        if excess <= 0 or columns[index].mode == FIXED:
            continue
        give = min(excess, need[index] - min(need[index], SMALLEST))
        need[index] -= give
        excess -= give
    hosts = [index for index in shown if columns[index].mode == WRAP]
    dropped = [index for index in range(len(columns)) if index not in shown]
    under = [index for index in dropped if columns[index].under and hosts]
    widths = {index: need[index] for index in shown}
    spare = width - total(shown)
    # The room left goes first to the columns that would be cut, most important first (a cut
    # loses words), then to the wrapping ones, in proportion to what each lacks (a wrap only
    # costs lines).
    for index in sorted(shown, key=lambda index: (columns[index].priority, index)):
        if columns[index].mode == CLIP:
            share = min(spare, natural[index] - widths[index])
            widths[index] += share
            spare -= share
    flexible = [index for index in shown if columns[index].mode == WRAP]
    while spare > 0:
        wanting = [index for index in flexible if widths[index] < natural[index]]
        if not wanting:
            break
        # Share the room in proportion to what each column still lacks, at least one each.
        lacking = sum(natural[index] - widths[index] for index in wanting)
        budget = spare
        for index in wanting:
            share = max(1, budget * (natural[index] - widths[index]) // lacking)
            share = min(share, natural[index] - widths[index], spare)
            widths[index] += share
            spare -= share
            if spare <= 0:
                break
    return Layout(shown, widths, under, len(dropped) - len(under))


def hidden_footer(count: int) -> str:
    if count == 1:
        return t("common.column_hidden")
    return t("common.columns_hidden", count=count)


class FitTable:
    """A Rich renderable: a table laid out for the width it is drawn in."""

    def __init__(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        styles: Sequence[str | None] | None = None,
        caption: str | None = None,
    ) -> None:
        self.title = printable(title)
        self.columns = list(columns)
        self.rows = [[printable(_line_breaks(str(cell))) for cell in row] for row in rows]
        self.styles = list(styles) if styles else [None] * len(self.rows)
        self.caption = printable(caption) if caption else caption

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
        yield from self.parts(options.max_width)

    def parts(self, width: int) -> list[Any]:
        from rich.table import Table
        from rich.text import Text

        plan = layout(self.columns, self.rows, width)
        host = next((i for i in plan.shown if self.columns[i].mode == WRAP), None)
        grid = Table(
            title=Text(self.title, style="bold"),
            caption=Text(self.caption) if self.caption else None,
            title_justify="left",
            header_style="bold",
        )
        for index in plan.shown:
            column = self.columns[index]
            grid.add_column(
                Text(column.label, no_wrap=False, overflow="ellipsis"),
                justify="right" if column.numeric else "left",
                no_wrap=column.mode != WRAP,
                overflow="ellipsis",
                width=plan.widths[index],
            )
        for row, style in zip(self.rows, self.styles, strict=True):
            cells = []
            for index in plan.shown:
                column = self.columns[index]
                text = row[index] if column.mode == WRAP else one_line(row[index])
                cell = Text(text, no_wrap=column.mode != WRAP, overflow="ellipsis")
                if index == host:
                    for extra in plan.under:
                        if row[extra]:
                            cell.append("\n")
                            cell.append(row[extra], style="dim")
                cells.append(cell)
            grid.add_row(*cells, style=style)
        parts: list[Any] = [grid]
        if plan.hidden:
            parts.append(Text(hidden_footer(plan.hidden), style="dim"))
        return parts
