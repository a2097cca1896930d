"""Typer's parameter coercion, without importing pydantic for the values a command line gives.

Typer (0.29) turns each value (`--format csv`, `-o out.csv`, `--capacity 40`) into its Python type
through a pydantic `TypeAdapter` built on first use: importing pydantic and building the adapters
costs more than `scan` spends on a small export. The parameters this program declares are a few
plain kinds (text, a whole number, a choice, a path, lists of those), whose well-formed values
are converted here as Typer's adapters convert them. Anything else, and any value refused here,
goes to Typer's own adapter: its result, and its error message (exit 2), are Typer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

try:  # Typer's internals; without them (another Typer), Typer coerces as it always does.
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path
    from typer.core import _TyperParameter
except ImportError:  # pragma: no cover - only with a Typer that has no pydantic adapters
    RuntimeParam = None  # type: ignore[assignment,misc]

# A whole number as pydantic reads it from text for certain: no sign, space, `_` or leading zero.
_WHOLE = re.compile(r"0|[1-9][0-9]{0,17}")


class _Unsupported(Exception):
    """This value (or kind of parameter) is left to Typer's adapter."""


def _leaf(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    """`value` as Typer's adapter for `annotation` returns it, or `_Unsupported`."""
    if annotation is str and type(value) is str:
        return value
    if annotation is int:
        if type(value) is int:
            return value
        if type(value) is str and _WHOLE.fullmatch(value):
            return int(value)
    elif isinstance(annotation, type) and issubclass(annotation, Enum):
        try:
            return coerce_cli_choice(
                value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx
            )
        except ValueError:
            raise _Unsupported from None
    elif annotation is Path and type(value) is str:
        return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
    raise _Unsupported


def _plain(info: Any) -> bool:
    """No custom parser, type or range: Typer builds its adapter from the annotation alone."""
    names = ("parser", "click_type", "min", "max", "path_type")
    return all(getattr(info, name, None) is None for name in names) and not getattr(
        info, "clamp", False
    )


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):
        """Coercion of the plain kinds here; the rest, and every refusal, by Typer's adapter."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            annotation: Any = self.annotation
            try:
                if get_origin(annotation) is list:
                    (item,) = get_args(annotation)
                    if not isinstance(value, list | tuple):
                        raise _Unsupported
                    info = self.parameter_info
                    return [_leaf(item, info, one, param, ctx) for one in value]
                return _leaf(annotation, self.parameter_info, value, param, ctx)
            except Exception:  # _Unsupported, or a refusal: Typer's adapter decides, in its words
                pass
            descriptor = param.type_descriptor
            return build_runtime_param(descriptor)._coerce_value(value, param=param, ctx=ctx)


def plain_coercion(params: list[Any]) -> None:
    """Give the parameters of a command the coercion above, where Typer would use an adapter."""
    if RuntimeParam is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if not isinstance(param, _TyperParameter) or descriptor is None:
            continue
        if descriptor.file_annotation is not None or not _plain(descriptor.parameter_info):
            continue
        if getattr(param, "_runtime_param", None) is None:
            param._runtime_param = PlainRuntimeParam(
                parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
            )
