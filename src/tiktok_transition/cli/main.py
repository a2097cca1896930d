"""The program: its root options, and the command groups it is made of.

pandas and pyarrow are imported inside the commands that read exports, so `--help`,
`checklist` and `timeline` start fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tiktok_transition.cli import checklist, history, orders, planning, report
from tiktok_transition.cli.typer_i18n import LocalizedGroup, help_text

app = typer.Typer(
    name="tiktok-transition",
    help=help_text("app"),
    cls=LocalizedGroup,
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


# The command groups, in the order --help lists them.
app.add_typer(orders.app)
app.add_typer(planning.app)
app.add_typer(report.app)
app.add_typer(history.app)
app.add_typer(checklist.app, name="checklist")


def main() -> None:
    from tiktok_transition.cli.standalone import clean_exit_on_signals

    clean_exit_on_signals()
    app()
