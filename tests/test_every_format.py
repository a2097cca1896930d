"""Every command in every format, parsed back the way a script or a spreadsheet would read it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook

from conftest import AS_OF, EXAMPLE, run

if TYPE_CHECKING:
    from typer.testing import Result

# Each command that prints rows, as a seller runs it on the example export.
COMMANDS: dict[str, list[str]] = {
    "scan": ["scan", str(EXAMPLE), *AS_OF],
    "summary": ["summary", str(EXAMPLE), *AS_OF],
    "plan": ["plan", str(EXAMPLE), *AS_OF, "--capacity", "5"],
    "picklist": ["picklist", str(EXAMPLE), *AS_OF],
    "catalog": ["catalog", str(EXAMPLE), *AS_OF],
    "timeline": ["timeline", *AS_OF],
    "checklist list": ["checklist", "list"],
    "checklist show": ["checklist", "show", "shopee"],
    "changes": ["changes", str(EXAMPLE), "--as-of", "2023-11-10 09:00"],
    "history": ["history"],
}
# Commands that read the history: a scan is recorded first (the tests' own history file).
RECORDED = ["scan", str(EXAMPLE), *AS_OF, "--record", "--format", "csv"]
NEEDS_HISTORY = {"changes", "history"}
# Where a command's JSONL is one object per document, not one per CSV row.
DOCUMENT_PER_LINE = {"checklist show"}


def invoke(command: str, *extra: str) -> Result:
    """The command as a user runs it, after the recorded scan it reads when it needs one."""
    if command in NEEDS_HISTORY:
        recorded = run(*RECORDED)
        assert recorded.exit_code == 0, recorded.stderr
    return run(*COMMANDS[command], *extra)


def csv_rows(command: str) -> list[dict[str, str]]:
    result = invoke(command, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("command", COMMANDS)
def test_jsonl_is_one_json_object_per_line_with_the_csv_rows(command: str) -> None:
    result = invoke(command, "--format", "jsonl")

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert records and all(isinstance(record, dict) for record in records)
    if command not in DOCUMENT_PER_LINE:
        rows = csv_rows(command)
        assert len(records) == len(rows)
        assert [list(record) for record in records] == [list(row) for row in rows]


@pytest.mark.parametrize("command", COMMANDS)
def test_json_is_one_document(command: str) -> None:
    result = invoke(command, "--format", "json")

    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    if command == "summary":
        assert set(document["by_flag"]) == {row["flag"] for row in csv_rows(command)}
    elif command not in DOCUMENT_PER_LINE:
        assert isinstance(document, list) and len(document) == len(csv_rows(command))


@pytest.mark.parametrize("command", [c for c in COMMANDS if c not in DOCUMENT_PER_LINE])
def test_markdown_is_a_table_with_the_csv_rows(command: str) -> None:
    result = invoke(command, "--format", "markdown")

    assert result.exit_code == 0, result.stderr
    table = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert table and set(table[1]) <= {"|", "-", ":"}
    assert len(table) - 2 == len(csv_rows(command))


def test_checklist_show_markdown_is_a_task_list() -> None:
    result = invoke("checklist show", "--format", "markdown")

    assert result.exit_code == 0, result.stderr
    tasks = [line for line in result.stdout.splitlines() if line.startswith("- [ ] ")]
    assert len(tasks) == len(csv_rows("checklist show"))


@pytest.mark.parametrize("command", COMMANDS)
def test_xlsx_has_the_csv_rows(command: str, tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"

    result = invoke(command, "--format", "xlsx", "-o", str(path))

    assert result.exit_code == 0, result.stderr
    book = load_workbook(path, read_only=True)
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    expected = csv_rows(command)
    assert list(rows[0]) == list(expected[0])
    assert len(rows) - 1 == len(expected)


@pytest.mark.parametrize("command", COMMANDS)
def test_table_is_text_for_a_person(command: str) -> None:
    result = invoke(command, "--format", "table")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


def test_every_file_format_has_one_writer_for_frames_and_records() -> None:
    from tiktok_transition.output.formats import Format
    from tiktok_transition.output.writers import WRITERS

    # AUTO is resolved before anything is written, TABLE is the terminal view: the rest are files.
    assert set(WRITERS) == set(Format) - {Format.AUTO, Format.TABLE}
