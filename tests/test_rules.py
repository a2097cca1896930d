"""Rules written once, in the core, and the CLI only reporting them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import EXAMPLE, run
from tiktok_transition.core.flags import NEEDS_ACTION
from tiktok_transition.core.moments import Judgement
from tiktok_transition.errors import UsageError

WIB = ZoneInfo("Asia/Jakarta")


def test_a_judgement_with_the_cutoff_before_the_shutdown_is_refused() -> None:
    with pytest.raises(UsageError) as caught:
        Judgement(
            as_of=datetime(2023, 10, 20, 9, tzinfo=WIB),
            cutoff=datetime(2023, 10, 1, tzinfo=WIB),
            shutdown=datetime(2023, 10, 4, 17, tzinfo=WIB),
        )
    assert caught.value.key == "error.cutoff_before_shutdown"


def test_the_cli_says_so_in_one_sentence_and_exits_2() -> None:
    result = run("scan", str(EXAMPLE), "--as-of", "2023-10-20 09:00", "--cutoff", "2023-10-01")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "--cutoff" in result.stderr


@pytest.mark.parametrize("as_of", ["2023-10-20 09:00", "2023-11-06 09:00"])
def test_fail_on_risk_exits_1_before_and_after_the_cutoff(as_of: str) -> None:
    result = run("scan", str(EXAMPLE), "--as-of", as_of, "--format", "csv", "--fail-on-risk")
    flags = {line.split(",")[1] for line in result.stdout.splitlines()[1:]}
    assert flags & set(NEEDS_ACTION)
    assert result.exit_code == 1


@pytest.mark.parametrize("capacity", ["0", "-3"])
def test_a_capacity_below_one_is_refused_before_the_export_is_read(capacity: str) -> None:
    result = run("plan", "missing.csv", "--as-of", "2023-10-20 09:00", "--capacity", capacity)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert capacity in result.stderr and "missing.csv" not in result.stderr
