"""Option values are converted without pydantic (`cli/coercion.py`) exactly as Typer's own
adapters convert them: the same value and type, or the same refusal in the same words."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import typer.main
from typer import _click
from typer._coercion import build_runtime_param

from tiktok_transition.cli.coercion import PlainRuntimeParam, plain_coercion
from tiktok_transition.cli.main import Root, app
from tiktok_transition.output.formats import Format

TEXTS = ["x", "", " a b ", "é🙂", "--x", "x\udcff", "2023-10-20 09:00", "=1+1"]
NUMBERS = ["0", "40", "007", "-3", " 5", "5 ", "+5", "1_000", "5.0", "5.5", "x", "", "٣", 40]
NUMBERS += ["9" * 18, "9" * 19, "9" * 30]
CHOICES = ["csv", "CSV", "Csv", "xlsx", "auto", "nope", "", "table ", Format.JSON, "Format.CSV"]
PATHS = ["out.csv", "", ".", "a//b/", "-", "~/x", "./sub/../f.csv", "x\udcff"]


def _commands() -> list[_click.Command]:
    root = typer.main.get_command(app)
    assert isinstance(root, Root)
    found: list[_click.Command] = [root]
    for name in Root.lazy:
        command = root.load(name)
        found.append(command)
        found += list(getattr(command, "commands", {}).values())
    return found


def _values_for(param: Any, tmp_path: Path) -> list[Any]:
    annotation = param.type_descriptor.annotation
    existing = [str(tmp_path), str(tmp_path / "file.csv")]
    single: dict[Any, list[Any]] = {
        str: TEXTS,
        int: NUMBERS,
        Format: CHOICES,
        Path: PATHS + existing,
        bool: ["true", "no", "1", "maybe", True],
    }
    if annotation in single:
        return single[annotation]
    item = get_args(annotation)[0]
    many = single[item]
    return [tuple(many[:3]), tuple(many), (), [many[0]], many[0], (many[0], 5)]


def _outcome(coerce: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        result = coerce(value, param=param, ctx=ctx)
    except Exception as exc:
        return "refused", (type(exc).__name__, str(exc), getattr(exc, "param", None) is param)
    return "value", (type(result), result)


def test_the_plain_kinds_convert_as_typer_does(tmp_path: Path) -> None:
    (tmp_path / "file.csv").write_text("x")
    checked = 0
    kinds = set()
    for command in _commands():
        ctx = _click.Context(command)
        for param in command.get_params(ctx):
            descriptor = getattr(param, "type_descriptor", None)
            if descriptor is None:
                continue
            ours = PlainRuntimeParam(
                parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
            )
            theirs = build_runtime_param(descriptor)
            for value in _values_for(param, tmp_path):
                expected = _outcome(theirs.coerce, value, param, ctx)
                assert _outcome(ours.coerce, value, param, ctx) == expected, (
                    command.name,
                    param.name,
                    value,
                )
                checked += 1
            kinds.add(repr(descriptor.annotation))
    assert checked > 500
    # Every kind of parameter the program declares was tried.
    assert kinds == {
        "<class 'bool'>",
        "<class 'str'>",
        "<class 'int'>",
        "<enum 'Format'>",
        "<class 'pathlib.Path'>",
        "list[str]",
        "list[pathlib.Path]",
    }


def test_every_parameter_of_every_command_gets_the_plain_coercion() -> None:
    for command in _commands():
        ctx = _click.Context(command)
        params = command.get_params(ctx)
        plain_coercion(params)
        for param in params:
            runtime = getattr(param, "_runtime_param", None)
            assert isinstance(runtime, PlainRuntimeParam), (command.name, param.name)


def test_a_custom_parser_is_left_to_typer() -> None:
    def double(text: str) -> int:
        return 2 * int(text)

    small = typer.Typer()

    @small.command()
    def run(n: int = typer.Option(1, parser=double)) -> None:
        typer.echo(n)

    command = typer.main.get_command(small)
    ctx = _click.Context(command)
    params = command.get_params(ctx)
    plain_coercion(params)
    (n,) = (p for p in params if p.name == "n")
    assert getattr(n, "_runtime_param", "absent") is None
    assert n.process_value(ctx, "21") == 42
