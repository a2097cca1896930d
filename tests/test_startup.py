"""`--help`, `--version` and the checklist commands start without pandas or pyarrow (nor the
report's matplotlib and Jinja2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
print(json.dumps({{"heavy": heavy, "code": code}}), file=sys.stderr)
"""


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
    env = {**os.environ, "TIKTOK_TRANSITION_STATE": str(tmp_path / "progress.json")}
    finished = subprocess.run(
        [sys.executable, "-c", PROGRAM, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    report = json.loads(finished.stderr.strip().splitlines()[-1])
    # No arguments prints the help and exits 2, as Click does; every other case succeeds.
    assert report["code"] == (2 if not args else 0), finished.stderr
    assert report["heavy"] == [], f"{args} imported {report['heavy']}"


def test_the_import_alone_is_light() -> None:
    code = "import sys, tiktok_transition.cli.main; print([m for m in sys.modules if m in HEAVY])"
    code = code.replace("HEAVY", repr(HEAVY))
    finished = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert finished.stdout.strip() == "[]"
