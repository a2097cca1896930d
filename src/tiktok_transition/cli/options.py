"""The options commands share, declared once (Annotated aliases)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tiktok_transition.cli.typer_i18n import help_text
from tiktok_transition.output.formats import Format

if TYPE_CHECKING:
    pass


# --- options shared by the commands that read exports --------------------------------------

Exports = Annotated[
    list[str],
    typer.Argument(help=help_text("exports"), metavar="EXPORT..."),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="WHEN",
        help=help_text("as_of"),
    ),
]
Cutoff = Annotated[str, typer.Option("--cutoff", metavar="WHEN", help=help_text("cutoff"))]
Shutdown = Annotated[str, typer.Option("--shutdown", metavar="WHEN", help=help_text("shutdown"))]
Zone = Annotated[str, typer.Option("--tz", metavar="ZONE", help=help_text("tz"))]
FormatOption = Annotated[
    Format,
    typer.Option("--format", case_sensitive=False, help=help_text("format")),
]
Output = Annotated[
    Path | None,
    typer.Option("-o", "--output", metavar="PATH", help=help_text("output")),
]
IncludePii = Annotated[bool, typer.Option("--include-pii", help=help_text("include_pii"))]
Lang = Annotated[
    str | None,
    typer.Option("--lang", metavar="LANG", help=help_text("lang")),
]
Excel = Annotated[bool, typer.Option("--excel", help=help_text("excel"))]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help=help_text("quiet"))]
FailOnRisk = Annotated[bool, typer.Option("--fail-on-risk", help=help_text("fail_on_risk"))]
Columns = Annotated[
    list[str] | None,
    typer.Option(
        "--column",
        metavar="'NAME=HEADER'",
        help=help_text("column"),
    ),
]
FlagFilter = Annotated[
    list[str] | None,
    typer.Option("--flag", metavar="FLAG", help=help_text("flag")),
]
AtRisk = Annotated[bool, typer.Option("--at-risk", help=help_text("at_risk"))]
