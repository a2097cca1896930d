"""`--help`, `--version` and the checklist commands start without pandas or pyarrow (nor the
report's matplotlib and Jinja2); a command loads only its own module (`cli/lazy.py`)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main

HEAVY = ("pandas", "pyarrow", "matplotlib", "jinja2")

# Runs the CLI as `python -m tiktok_transition` does, then reports on standard error (the last
# line) its exit code and which of HEAVY got imported.
PROGRAM = f"""
HEAVY = {HEAVY!r}
import json, sys
from tiktok_transition.cli.main import app
try:
    app(sys.argv[1:], prog_name="tiktok-transition")
except SystemExit as exc:
    code = exc.code
heavy = [name for name in HEAVY if name in sys.modules]
print(json.dumps({{"heavy": heavy, "code": code, "modules": sorted(sys.modules)}}), file=sys.stderr)
"""


def python_code(
    code: str, args: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`python -c CODE ARGS...` in a fresh interpreter, its output as text."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def run_program(args: list[str], tmp_path: Path) -> dict[str, Any]:
    """PROGRAM's report on `args`: exit code, HEAVY modules imported, every module imported."""
    env = {**os.environ, "TIKTOK_TRANSITION_STATE": str(tmp_path / "progress.json")}
    finished = python_code(PROGRAM, args, env)
    report: dict[str, Any] = json.loads(finished.stderr.strip().splitlines()[-1])
    report["stderr"] = finished.stderr
    return report


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["--version"],
        ["checklist", "--help"],
        ["checklist", "list"],
        ["checklist", "list", "--format", "table"],
        ["checklist", "show", "all", "--format", "json"],
        ["checklist", "show", "bukalapak", "--format", "markdown"],
        ["checklist", "done", "tokopedia", "verify-ktp"],
        ["timeline", "--format", "csv"],
        ["report", "--help"],
    ],
)
def test_command_runs_without_pandas_or_pyarrow(args: list[str], tmp_path: Path) -> None:
    report = run_program(args, tmp_path)
    # No arguments prints the help and exits 2, as Click does; every other case succeeds.
    assert report["code"] == (2 if not args else 0), report["stderr"]
    assert report["heavy"] == [], f"{args} imported {report['heavy']}"


COMMAND_MODULES = {
    f"tiktok_transition.cli.{name}"
    for name in ("orders", "planning", "report", "history", "checklist")
}


@pytest.mark.parametrize(
    ("args", "loaded"),
    [
        (["--help"], set()),
        (["--version"], set()),
        (["checklist", "list"], {"tiktok_transition.cli.checklist"}),
        # planning's commands take history's --record options (its module, not sqlite3)
        (
            ["timeline", "--format", "csv"],
            {"tiktok_transition.cli.planning", "tiktok_transition.cli.history"},
        ),
        (["history", "--help"], {"tiktok_transition.cli.history"}),
    ],
)
def test_a_command_loads_only_its_own_module(
    args: list[str], loaded: set[str], tmp_path: Path
) -> None:
    report = run_program(args, tmp_path)
    assert report["code"] == 0, report["stderr"]
    assert COMMAND_MODULES & set(report["modules"]) == loaded
    # Nor what the other commands need: the history's database, the report's templates.
    assert {"sqlite3", "jinja2"} & set(report["modules"]) == set()


def test_the_root_help_loads_neither_pydantic_nor_a_command(tmp_path: Path) -> None:
    modules = set(run_program(["--help"], tmp_path)["modules"])
    assert {"pydantic", "pydantic_core"} & modules == set()


def test_every_command_is_listed_with_the_help_it_has() -> None:
    """The root group's placeholders (what --help and completion show before a command is
    loaded) name every command the `cli/` modules declare, with the same help."""
    from tiktok_transition.cli.main import Root, app

    root = typer.main.get_command(app)
    assert isinstance(root, Root)
    placeholders = dict(root.commands)
    declared: list[str] = []
    for module in dict.fromkeys(entry.module for entry in Root.lazy.values()):
        typer_app = importlib.import_module(module).app
        names = [n for n, e in Root.lazy.items() if e.module == module]
        if any(Root.lazy[n].group for n in names):
            declared += names
            continue
        declared += [
            info.name or typer.main.get_command_name(info.callback.__name__)
            for info in typer_app.registered_commands
            if info.callback is not None
        ]
    assert list(placeholders) == list(Root.lazy)
    assert sorted(declared) == sorted(Root.lazy)
    for name, placeholder in placeholders.items():
        real = root.load(name)
        assert (real.name, real.help, real.short_help) == (name, placeholder.help, None)
        assert real.get_short_help_str() == placeholder.get_short_help_str()
        assert (real.hidden, real.deprecated) == (False, False)


def test_the_import_alone_is_light() -> None:
    code = "import sys, tiktok_transition.cli.main; print([m for m in sys.modules if m in HEAVY])"
    code = code.replace("HEAVY", repr(HEAVY))
    finished = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert finished.stdout.strip() == "[]"


def test_a_scan_into_a_pipe_loads_neither_pydantic_nor_rich(tmp_path: Path) -> None:
    """Typer's values are converted without pydantic (`cli/coercion.py`); Rich only draws."""
    example = Path(__file__).resolve().parents[1] / "examples" / "orders-2023-10-20.csv"
    args = ["scan", str(example), "--format", "csv", "--as-of", "2023-10-20 09:00"]
    report = run_program(args, tmp_path)
    assert report["code"] == 0, report["stderr"]
    unwanted = {"pydantic", "rich", "sqlite3", "jinja2", "tiktok_transition.cli.checklist"}
    assert unwanted & set(report["modules"]) == set()


def test_a_warning_into_a_pipe_does_not_load_rich(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "orders-2023-10-20.csv"
    args = ["scan", str(example), "--format", "csv", "--as-of", "2023-11-01 09:00"]
    report = run_program(args, tmp_path)
    assert report["code"] == 0, report["stderr"]
    assert "more than 24 hours before --as-of" in report["stderr"]
    assert "rich" not in report["modules"]


@pytest.mark.parametrize("args", [["checklist", "list"], ["timeline", "--format", "csv"]])
def test_the_models_are_built_without_looking_for_pydantic_plugins(
    args: list[str], tmp_path: Path
) -> None:
    """`cli/models.py`: no entry-point scan for plugins, and the environment left as it was."""
    code = (
        "import os, sys\n"
        "from tiktok_transition.cli.main import app\n"
        "try:\n"
        "    app(sys.argv[1:], prog_name='tiktok-transition')\n"
        "except SystemExit:\n"
        "    pass\n"
        "from pydantic.plugin import _loader\n"
        "print(_loader._plugins is None, 'PYDANTIC_DISABLE_PLUGINS' in os.environ, file=sys.stderr)"
    )
    env = {**os.environ, "TIKTOK_TRANSITION_STATE": str(tmp_path / "progress.json")}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    finished = python_code(code, args, env)
    assert finished.stderr.strip().splitlines()[-1] == "True False", finished.stderr
