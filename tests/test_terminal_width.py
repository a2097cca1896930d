"""Every table view reads in the window it is drawn in (issue #19): at 60, 80, 120 and 200
columns, in English and Indonesian, through the CLI on the bundled example export.

What is checked, at every width: no line is wider than the window; no word is broken across
lines (every word shown is a word of the same report drawn 1000 columns wide, or the start of
one cut with `…`); order IDs, flags and amounts sit whole on their order's line; when columns
are hidden a footer says how many. And one real run in a pseudo-terminal 80 columns wide.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

import exportkit
from conftest import EXAMPLE, ROOT
from tiktok_transition.cli.main import app
from tiktok_transition.core.money import format_rupiah
from tiktok_transition.i18n import t
from tiktok_transition.ui.fit_table import Column, layout

AS_OF = ["--as-of", "2023-10-20 09:00"]
WIDTHS = (60, 80, 120, 200)
LANGS = ("en", "id")
runner = CliRunner()

VIEWS = {
    "scan": ["scan", str(EXAMPLE), *AS_OF],
    "summary": ["summary", str(EXAMPLE), *AS_OF],
    "plan": ["plan", str(EXAMPLE), *AS_OF, "--capacity", "5"],
    "picklist": ["picklist", str(EXAMPLE), *AS_OF],
    "catalog": ["catalog", str(EXAMPLE), *AS_OF],
    "timeline": ["timeline", *AS_OF],
    "checklist-list": ["checklist", "list"],
    "checklist-show": ["checklist", "show", "tokopedia", "bukalapak", "tiktok-wind-down"],
    "history": ["history"],
    "changes": ["changes", str(EXAMPLE), "--as-of", "2023-11-07 09:00"],
}
# Views of the history: a run of the example is recorded first (the history database of each
# test is its own, see conftest).
RECORDED = {"history", "changes"}
# Box drawing, block elements (the load bar) and the ellipsis are not words.
NOT_WORD = re.compile(r"[\u2500-\u259f\s]+")


def draw(view: str, width: int, lang: str, fmt: str = "table") -> str:
    if view in RECORDED:
        recorded = runner.invoke(app, [*VIEWS["scan"], "--record", "--format", "csv"])
        assert recorded.exit_code == 0, recorded.output
    result = runner.invoke(
        app, [*VIEWS[view], "--format", fmt, "--lang", lang], env={"COLUMNS": str(width)}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def words(text: str) -> set[str]:
    return {word for word in NOT_WORD.split(text) if word}


def hidden_count(text: str) -> int | None:
    """How many columns the footer says are hidden, or None when there is no footer."""
    one, many = t("common.column_hidden"), t("common.columns_hidden", count=999)
    for line in text.splitlines():
        line = line.strip()
        if line == one:
            return 1
        prefix, _, suffix = many.partition("999")
        if line.startswith(prefix) and line.endswith(suffix):
            return int(line.removeprefix(prefix).removesuffix(suffix))
    return None


def shown_columns(text: str) -> list[int]:
    """The number of columns of each table: the `┳` on its top border, plus one."""
    return [line.count("┳") + 1 for line in text.splitlines() if line.startswith("┏")]


def orders(view: str, lang: str) -> list[dict[str, object]]:
    records: list[dict[str, object]] = json.loads(draw(view, 200, lang, "json"))
    return records


def order_lines(text: str) -> Iterator[str]:
    return (line for line in text.splitlines() if re.match(r"│ \d{18} │", line))


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest) -> str:
    from tiktok_transition.i18n import set_language

    set_language(request.param)  # `t` in the assertions speaks the language drawn
    return str(request.param)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_no_line_is_wider_than_the_window_and_no_word_is_broken(
    view: str, width: int, lang: str
) -> None:
    text = draw(view, width, lang)
    wide = [line for line in text.splitlines() if cell_len(line) > width]
    assert wide == [], f"{len(wide)} lines wider than {width}: {wide[:3]}"
    footers = " ".join(
        [t("common.column_hidden"), *(t("common.columns_hidden", count=n) for n in range(2, 12))]
    )
    known = words(draw(view, 1000, lang)) | words(footers)
    broken = sorted(
        word
        for word in words(text) - known
        if not (
            word.endswith("…")
            and (word == "…" or any(whole.startswith(word[:-1]) for whole in known))
        )
    )
    assert broken == [], f"words broken at {width} columns: {broken[:10]}"


@pytest.mark.parametrize("width", [80, 120, 200])
def test_scan_is_one_line_per_order_with_its_id_flag_and_amount(width: int, lang: str) -> None:
    text = draw("scan", width, lang)
    records = orders("scan", lang)
    lines = list(order_lines(text))
    assert len(lines) == len(records) == 60
    for line, order in zip(lines, records, strict=True):
        assert f"│ {order['order_id']} │" in line
        assert f"│ {t('cell.flag_' + str(order['flag']))} " in line
        assert f" {format_rupiah(int(str(order['order_amount'])))} │" in line
    if width == 80:
        # At 80 columns: the order, its flag, the date, the amount and the courier.
        assert shown_columns(text)[0] == 5
        assert all(str(order["shipping_provider"]) in text for order in records)


def test_scan_at_60_columns_keeps_the_id_flag_and_amount_whole_on_one_line(lang: str) -> None:
    text = draw("scan", 60, lang)
    records = orders("scan", lang)
    lines = list(order_lines(text))
    assert len(lines) == len(records)
    for line, order in zip(lines, records, strict=True):
        assert str(order["order_id"]) in line
        assert t("cell.flag_" + str(order["flag"])) in line
        assert format_rupiah(int(str(order["order_amount"]))) in line


@pytest.mark.parametrize("width", WIDTHS)
def test_plan_orders_keep_their_id_flag_and_amount_on_one_line(width: int, lang: str) -> None:
    text = draw("plan", width, lang)
    records = orders("plan", lang)
    lines = list(order_lines(text))
    assert len(lines) == len(records)
    by_id = {str(order["order_id"]): order for order in records}
    for line in lines:
        order = by_id[line.split("│")[1].strip()]
        assert t("cell.flag_" + str(order["flag"])) in line
        assert format_rupiah(int(str(order["order_amount"]))) in line


@pytest.mark.parametrize(("view", "total"), [("scan", 9), ("catalog", 10)])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_footer_counts_the_hidden_columns(view: str, total: int, width: int, lang: str) -> None:
    text = draw(view, width, lang)
    shown = shown_columns(text)[0]
    if shown == total:
        assert hidden_count(text) is None
    else:
        assert hidden_count(text) == total - shown
    if width == 200:
        assert shown == total
    if width <= 80:
        assert shown < total


def test_wider_windows_show_more_columns() -> None:
    shown = [shown_columns(draw("scan", width, "en"))[0] for width in WIDTHS]
    assert shown == sorted(shown) and shown[0] < shown[-1]


@pytest.mark.parametrize("width", [60, 80])
def test_timeline_puts_the_event_and_time_left_first_and_the_source_under_it(
    width: int, lang: str
) -> None:
    text = draw("timeline", width, lang)
    header = next(line for line in text.splitlines() if line.startswith("┃"))
    cells = [cell.strip() for cell in header.split("┃")[1:-1]]
    assert cells == [t("timeline.col_event"), t("timeline.col_from")]
    # Nothing hidden for good: each source still shows (whole, or its start cut with `…`).
    for event in json.loads(draw("timeline", 200, lang, "json")):
        first = str(event["source"]).split()[0].rstrip(";")
        assert first in text or first[:8] in text
    assert hidden_count(text) is None


def test_checklist_show_at_80_columns_has_the_check_mark_item_and_task_first(lang: str) -> None:
    text = draw("checklist-show", 80, lang)
    headers = [line for line in text.splitlines() if line.startswith("┃")]
    assert headers, text
    for header in headers:
        cells = [cell.strip() for cell in header.split("┃")[1:-1]]
        assert cells == ["✓", t("checklist.col_item"), t("checklist.col_task")]
    assert hidden_count(text) is None
    document = json.loads(draw("checklist-show", 200, lang, "json"))
    first = document[0] if isinstance(document, list) else document
    for item in first["items"]:
        assert f"│ {item['id']} " in text


def test_pipes_and_files_are_unchanged() -> None:
    """CSV in a pipe, whatever the window: byte for byte the golden file."""
    golden = (ROOT / "tests" / "golden" / "example-scan.csv").read_bytes()
    for width in WIDTHS:
        result = runner.invoke(app, VIEWS["scan"], env={"COLUMNS": str(width)})
        assert result.stdout_bytes == golden


# --- the layout itself -----------------------------------------------------------------------


def test_layout_hides_the_least_important_columns_first_and_shares_the_room() -> None:
    columns = [
        Column("id", no_wrap=True),
        Column("notes", priority=2, min_width=10),
        Column("courier", priority=1, min_width=8),
        Column("text", wrap=True, min_width=12),
    ]
    rows = [["x" * 18, "n" * 30, "c" * 11, " ".join(["word"] * 20)]]
    wide = layout(columns, rows, 200)
    assert wide.shown == [0, 1, 2, 3] and wide.hidden == 0
    assert wide.widths == {0: 18, 1: 30, 2: 11, 3: 99}
    # 18 + 8 + 12 + 10 of borders = 48: the notes go, then the courier.
    middle = layout(columns, rows, 48)
    assert middle.shown == [0, 2, 3] and middle.hidden == 1
    assert sum(middle.widths.values()) + 10 == 48
    narrow = layout(columns, rows, 40)
    assert narrow.shown == [0, 3] and narrow.hidden == 2
    assert sum(narrow.widths.values()) + 7 == 40


def test_a_hidden_column_marked_under_is_not_lost() -> None:
    columns = [Column("task", wrap=True, min_width=20), Column("source", priority=1, under=True)]
    plan = layout(columns, [["a task to do", "a source " * 5]], 29)
    assert plan.shown == [0, 1] and plan.hidden == 0
    plan = layout(columns, [["a task to do", "a source " * 5]], 28)
    assert plan.shown == [0] and plan.under == [1] and plan.hidden == 0


# --- a real terminal -------------------------------------------------------------------------


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other end closed: Linux says EIO
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_scan_in_a_real_80_column_terminal() -> None:
    """No COLUMNS, no --format: the tool sees a terminal 80 columns wide, draws the table."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 80, 0, 0))
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    env.update(TERM="xterm-256color", NO_COLOR="1", LINES="50")
    process = subprocess.Popen(
        [sys.executable, "-m", "tiktok_transition", *VIEWS["scan"]],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        start_new_session=True,
    )
    os.close(follower)
    output = _read_all(leader)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output.decode("utf-8")).replace("\r\n", "\n")
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert len(list(order_lines(text))) == 60
    assert hidden_count(text) == 4


def test_a_courier_or_status_with_line_breaks_stays_on_its_order_line(tmp_path: Path) -> None:
    """A cell that holds a line break (a hand-edited export) does not take a second line."""
    export = exportkit.write_csv(
        tmp_path / "orders.csv",
        [
            exportkit.line("576461413038785984", Shipping_Provider_Name="J&T\nExpress"),
            exportkit.line("576461413038785985", Order_Substatus="Menunggu\r\npengiriman"),
            exportkit.line("576461413038785986", Product_Name="Hijab\nPashmina"),
        ],
    )
    for width in WIDTHS:
        result = runner.invoke(
            app,
            ["scan", str(export), *AS_OF, "--format", "table"],
            env={"COLUMNS": str(width)},
        )
        assert result.exit_code == 0, result.output
        text = result.stdout
        assert len(list(order_lines(text))) == 3
        # No second line under an order: its ID cell would be blank.
        assert not [row for row in text.splitlines() if row.startswith("│" + " " * 20 + "│")]
        assert max(cell_len(row) for row in text.splitlines()) <= width
