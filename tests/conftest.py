"""Tests never touch the real user state, and output never depends on the machine's terminal."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Mapping

    from typer.testing import Result

# The tests' own helpers (exportkit), and the benchmark's export generator they share layouts with.
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "orders-2023-10-20.csv"
SAMPLES = ROOT.parent / "shared" / "samples" / "olshop-packing-ai"


def absent(reason: str) -> None:
    """Skip a test whose resource is missing here; in CI (CI=true), where it must run, fail."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run this test, but {reason}")
    pytest.skip(reason)


def soffice() -> str:
    """The LibreOffice program, for the `libreoffice` tests (skipped where it is absent)."""
    found = shutil.which("soffice")
    if found is None:
        absent("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    assert found is not None
    return found


@pytest.fixture(autouse=True)
def _resources(request: pytest.FixtureRequest) -> None:
    """`samples` tests need ../shared/samples beside the project, `libreoffice` ones soffice."""
    if request.node.get_closest_marker("samples") and not SAMPLES.is_dir():
        absent(f"the shared samples are not beside the project (no {SAMPLES})")
    if request.node.get_closest_marker("libreoffice"):
        soffice()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    state = tmp_path_factory.mktemp("state") / "progress.json"
    monkeypatch.setenv("TIKTOK_TRANSITION_STATE", str(state))
    # The history database too, and the user data folder it would default to.
    monkeypatch.setenv("TIKTOK_TRANSITION_HISTORY", str(state.parent / "history.sqlite3"))
    monkeypatch.setenv("XDG_DATA_HOME", str(state.parent / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    for name in ("TIKTOK_TRANSITION_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    from tiktok_transition import i18n

    i18n.set_language("en")


AS_OF = ["--as-of", "2023-10-20 09:00"]


def run(
    *args: str, input: str | bytes | None = None, env: Mapping[str, str | None] | None = None
) -> Result:
    """The CLI run as a user runs it, standard output and standard error kept apart."""
    from typer.testing import CliRunner

    from tiktok_transition.cli.main import app

    return CliRunner().invoke(app, list(args), input=input, env=env)
