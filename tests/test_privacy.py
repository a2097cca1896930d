"""The buyers' personal data never reaches output, warnings or errors without --include-pii."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exportkit import CANARY, line, write_csv, write_xlsx
from tiktok_transition.cli.main import app

AS_OF = ["--as-of", "2023-10-20 09:00"]
COMMANDS = [
    ["scan"],
    ["summary"],
    ["plan", "--capacity", "1"],
    ["picklist"],
    ["catalog"],
]
FORMATS = ["csv", "json", "jsonl", "markdown", "table"]
runner = CliRunner()


def _seeded_export(tmp_path: Path) -> Path:
    """Every flag, a warning or two, and the canary values in every personal column."""
    rows = [
        line("576461413038785901"),
        line("576461413038785902", RTS_Time="02/10/2023 09:00:00", Tracking_ID="JX1"),
        line("576461413038785903", Order_Status="Selesai", Order_Substatus=""),
        line("576461413038785904", Order_Status="Belum dibayar", Order_Substatus="", Paid_Time=""),
        line("576461413038785905", Order_Status="Dibatalkan", Order_Substatus=""),
        line("576461413038785906", Order_Status="Status Aneh", Order_Substatus=""),
        line("576461413038785907", Created_Time="06/10/2023 10:00:00"),
    ]
    return write_csv(tmp_path / "seeded.csv", rows)


def _assert_clean(*texts: str) -> None:
    for text in texts:
        for value in CANARY.values():
            assert value not in text


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_command_and_no_format_shows_personal_data(
    tmp_path: Path, command: list[str], fmt: str
) -> None:
    export = _seeded_export(tmp_path)
    result = runner.invoke(app, [*command, str(export), *AS_OF, "--format", fmt])
    assert result.exit_code == 0, result.stderr
    _assert_clean(result.stdout, result.stderr)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_xlsx_reports_hold_no_personal_data(tmp_path: Path, command: list[str]) -> None:
    target = tmp_path / "report.xlsx"
    result = runner.invoke(
        app, [*command, str(_seeded_export(tmp_path)), *AS_OF, "-o", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(target) as book:
        _assert_clean(*(book.read(name).decode("utf-8", "replace") for name in book.namelist()))


def test_errors_about_a_broken_file_never_quote_its_rows(tmp_path: Path) -> None:
    good = _seeded_export(tmp_path).read_text(encoding="utf-8-sig")
    broken = tmp_path / "broken.csv"
    broken.write_text(
        good + f'576461413038785999,"{CANARY["Recipient"]}",extra,"{CANARY["Phone #"]}"\n'
    )
    unclosed = tmp_path / "unclosed.csv"
    unclosed.write_text(good + f'576461413038785998,"{CANARY["Detail Address"]}\n')
    headerless = tmp_path / "headerless.csv"
    headerless.write_text(f"{CANARY['Recipient']},{CANARY['Phone #']},{CANARY['Detail Address']}\n")
    for path in (broken, unclosed, headerless):
        result = runner.invoke(app, ["scan", str(path), *AS_OF])
        assert result.exit_code == 2
        _assert_clean(result.stdout, result.stderr)


def test_xlsx_export_errors_never_quote_its_cells(tmp_path: Path) -> None:
    rows = [dict(line("5.76461E+17")) | {"Recipient": CANARY["Recipient"]}]
    path = write_xlsx(tmp_path / "e.xlsx", rows)
    result = runner.invoke(app, ["scan", str(path), *AS_OF])
    assert result.exit_code == 2
    _assert_clean(result.stdout, result.stderr)


def test_include_pii_adds_the_buyer_columns_to_scan(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["scan", str(_seeded_export(tmp_path)), *AS_OF, "--format", "csv", "--include-pii"]
    )
    header = result.stdout.splitlines()[0].split(",")
    assert header[-4:] == ["buyer_username", "recipient", "phone", "address"]
    assert CANARY["Recipient"] in result.stdout and CANARY["Villages"] in result.stdout
    assert CANARY["Buyer Message"] not in result.stdout  # a message is not an address
