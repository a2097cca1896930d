"""The root group's commands, imported only when one of them runs.

`--help` lists every command and shell completion offers their names, but neither needs more
than a name and a help text: each command stands in the group as a light placeholder until it is
looked up to run (or to print its own help, or to complete its options). Only then is its
`cli/` module imported (with sqlite3, the report's libraries and so on behind it) and its
Typer command built, exactly as `add_typer` would have built it.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any, ClassVar

from typer import _click
from typer.core import TyperCommand

from tiktok_transition.cli.typer_i18n import LocalizedGroup, help_text


@dataclass(frozen=True)
class Lazy:
    """A command of the root group: the `cli/` module whose `app` (a `typer.Typer`) declares it,
    its help key, and whether the whole `app` is the command (a group such as `checklist`)."""

    module: str
    help_key: str
    group: bool = False


class Placeholder(TyperCommand):
    """What `--help` and completion read of a command not loaded yet: its name and help."""


class LazyGroup(LocalizedGroup):
    """A `LocalizedGroup` whose commands (`lazy`, in the order `--help` lists them) are loaded
    when they are resolved: to run, to print their help, or to complete their options."""

    lazy: ClassVar[Mapping[str, Lazy]] = {}
    # How Typer builds the commands of the root app (`typer.Typer(...)` settings).
    pretty_exceptions_short: ClassVar[bool] = True

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, entry in self.lazy.items():
            if name not in self.commands:
                help_ = inspect.cleandoc(help_text(entry.help_key))
                self.commands[name] = Placeholder(
                    name, help=help_, rich_markup_mode=self.rich_markup_mode
                )

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and isinstance(self.commands.get(args[0]), Placeholder):
            self.commands[args[0]] = self.load(args[0])
        return super().resolve_command(ctx, args)

    def load(self, name: str) -> _click.Command:
        """The command `name`, built from its module as the root app's `add_typer` builds it."""
        from typer.main import get_command_from_info, get_command_name, get_group_from_info
        from typer.models import TyperInfo

        entry = self.lazy[name]
        typer_app = import_module(entry.module).app
        if entry.group:
            return get_group_from_info(
                TyperInfo(typer_app, name=name),
                pretty_exceptions_short=self.pretty_exceptions_short,
                rich_markup_mode=self.rich_markup_mode,
                suggest_commands=self.suggest_commands,
            )
        for info in typer_app.registered_commands:
            assert info.callback is not None
            if (info.name or get_command_name(info.callback.__name__)) == name:
                return get_command_from_info(
                    info,
                    pretty_exceptions_short=self.pretty_exceptions_short,
                    rich_markup_mode=self.rich_markup_mode,
                )
        raise LookupError(f"{entry.module} declares no command {name!r}")
