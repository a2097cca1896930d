"""Tests never touch the real user state, and output never depends on the machine's terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The tests' own helpers (exportkit), and the benchmark's export generator they share layouts with.
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "orders-2023-10-20.csv"
SAMPLES = ROOT.parent / "shared" / "samples" / "olshop-packing-ai"


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
