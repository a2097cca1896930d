"""A small export is read and written in one thread (`core.parallel.work_inline`); a big one with
threads; either way the same bytes."""

from __future__ import annotations

import concurrent.futures

import pytest

from conftest import AS_OF, EXAMPLE, ROOT, run
from tiktok_transition.cli import session

GOLDEN = (ROOT / "tests" / "golden" / "example-scan.csv").read_text(encoding="utf-8")


def no_threads(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("a thread pool was started for a small export")


def test_a_small_export_starts_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", no_threads)
    result = run("scan", str(EXAMPLE), *AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == GOLDEN


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
@pytest.mark.parametrize("command", ["scan", "picklist"])
def test_threads_write_the_same_bytes(
    command: str, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    inline = run(command, str(EXAMPLE), *AS_OF, "--format", fmt)
    monkeypatch.setattr(session, "SMALL_EXPORTS", 0)
    started: list[object] = []
    pool = concurrent.futures.ThreadPoolExecutor

    def counted(max_workers: int) -> concurrent.futures.ThreadPoolExecutor:
        started.append(max_workers)
        return pool(max_workers=max_workers)

    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", counted)
    threaded = run(command, str(EXAMPLE), *AS_OF, "--format", fmt)
    assert started, "no thread pool: the big-export path was not taken"
    assert (threaded.exit_code, threaded.stdout) == (inline.exit_code, inline.stdout)
    assert inline.exit_code == 0


def test_standard_input_is_never_taken_for_small() -> None:
    assert session._small([str(EXAMPLE)])
    assert not session._small(["-"])
    assert not session._small([str(EXAMPLE), "-"])
