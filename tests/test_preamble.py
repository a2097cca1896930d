"""Every command starts the same way: --lang first, and an error is one sentence and exit 2."""

from __future__ import annotations

import pytest

from conftest import AS_OF, EXAMPLE, run

COMMANDS = [
    ["scan", str(EXAMPLE), *AS_OF],
    ["summary", str(EXAMPLE), *AS_OF],
    ["plan", str(EXAMPLE), *AS_OF, "--capacity", "5"],
    ["picklist", str(EXAMPLE), *AS_OF],
    ["catalog", str(EXAMPLE), *AS_OF],
    ["timeline", *AS_OF],
    ["checklist", "list"],
    ["checklist", "show", "shopee"],
    ["checklist", "done", "shopee", "verify-ktp"],
    ["checklist", "undo", "shopee", "verify-ktp"],
    ["checklist", "reset", "shopee"],
    ["changes", str(EXAMPLE), *AS_OF],
    ["history"],
    ["report", str(EXAMPLE), *AS_OF],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args[:2]))
def test_an_unknown_language_is_one_sentence_and_exit_2(args: list[str]) -> None:
    result = run(*args, "--lang", "fr")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "fr" in result.stderr


# The commands that write a report: an unwritable -o fails after the preamble set the language.
REPORTING = [*COMMANDS[:8], *COMMANDS[11:]]


@pytest.mark.parametrize("args", REPORTING, ids=lambda args: " ".join(args[:2]))
def test_the_language_asked_for_is_the_one_spoken(args: list[str]) -> None:
    english = run(*args, "--lang", "en", "--output", "/nonexistent-dir/x.csv")
    indonesian = run(*args, "--lang", "id", "--output", "/nonexistent-dir/x.csv")

    assert english.exit_code == indonesian.exit_code == 2
    assert not english.stderr.startswith("Usage") and english.stderr != indonesian.stderr
