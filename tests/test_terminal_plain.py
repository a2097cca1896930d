"""Messages on standard error are the bytes Rich writes, whether or not Rich is loaded for them
(`ui.terminal` writes plain text itself where Rich would not change it)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

from tiktok_transition.guards import printable
from tiktok_transition.ui import terminal

MESSAGES = [
    "Skipped 3 rows without an order ID.",
    "Lewati 3 baris tanpa ID pesanan: ekspor.csv (baris 12, 14).",
    "",
    "  indented, and trailing  ",
    "a [bold]word[/bold] in brackets, [link] and \\[escaped]",
    "emoji 🙂 and 漢字 and e\u0301 combining",
    "zero\u200bwidth and soft\u00adhyphen",
    "line one\nline two\n",
    "tab\there",
    "escape \x1b[31m and bell \x07",
    "long " + "word " * 120,
    "%s {} {name} $HOME",
]


def _rich(text: str, style: str) -> str:
    stream = io.StringIO()
    Console(file=stream, highlight=False, soft_wrap=True).print(Text(printable(text), style=style))
    return stream.getvalue()


@pytest.mark.parametrize("text", MESSAGES)
def test_a_warning_is_what_rich_writes(
    text: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    terminal.warn(text)
    terminal.error(text)
    terminal.warn(text, quiet=True)
    assert capsys.readouterr().err == _rich(text, "yellow") + _rich(text, "bold red")


def test_forced_colour_still_goes_through_rich(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("FORCE_COLOR", "1")
    terminal.warn("careful")
    assert "\x1b[33m" in capsys.readouterr().err  # yellow, as Rich colours a forced terminal
