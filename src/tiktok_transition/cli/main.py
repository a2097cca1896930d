"""The program: its root options, and the commands it is made of.

A command's module is imported only when that command runs (`cli/lazy.py`), and pandas and
pyarrow only inside the commands that read exports, so `--help`, `checklist` and `timeline`
start fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar

import typer

from tiktok_transition.cli.lazy import Lazy, LazyGroup
from tiktok_transition.cli.typer_i18n import help_text


class Root(LazyGroup):
    """The commands, in the order --help lists them: the `cli/` module of each, and its help key
    (the one its `@app.command(help=help_text(...))` names; tests/test_startup.py checks them)."""

    lazy: ClassVar[Mapping[str, Lazy]] = {
        "scan": Lazy("tiktok_transition.cli.orders", "scan"),
        "summary": Lazy("tiktok_transition.cli.orders", "summary"),
        "plan": Lazy("tiktok_transition.cli.planning", "plan"),
        "picklist": Lazy("tiktok_transition.cli.planning", "picklist"),
        "catalog": Lazy("tiktok_transition.cli.planning", "catalog"),
        "timeline": Lazy("tiktok_transition.cli.planning", "timeline"),
        "report": Lazy("tiktok_transition.cli.report", "report"),
        "changes": Lazy("tiktok_transition.cli.history", "changes"),
        "history": Lazy("tiktok_transition.cli.history", "history"),
        "checklist": Lazy("tiktok_transition.cli.checklist", "checklist", group=True),
    }


app = typer.Typer(
    name="tiktok-transition",
    help=help_text("app"),
    cls=Root,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"tiktok-transition {version('tiktok-transition')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=help_text("version")),
    ] = False,
) -> None:
    """The program's own options; its help is `help.app` in the catalogue."""


def main() -> None:
    """The program (the console script and `python -m`): the app, then a quick exit."""
    from tiktok_transition.cli.standalone import clean_exit_on_signals, exit_now

    clean_exit_on_signals()
    try:
        app()
    except SystemExit as done:
        exit_now(done.code)
    exit_now(0)
