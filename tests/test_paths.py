"""The fast path (a UTF-8 CSV read straight from disk) and every slower path give the same report.

The export comes from the benchmark's generator: thousands of realistic lines, multi-line
orders, names with commas, quotes, newlines and formula starts, every status, both languages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import generate_export  # on the path from conftest
from tiktok_transition.cli.main import app
from tiktok_transition.output import writers

AS_OF = ["--as-of", "2023-10-04 12:00"]
EVERY_STATUS = dict.fromkeys(generate_export.STATUS_CODES, 1.0)
runner = CliRunner()


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    path = folder / "orders.csv"
    generate_export.generate_file(path, 3000, seed=7, lang="mixed", status_weights=EVERY_STATUS)
    return path


def scan(*args: str, input: bytes | None = None) -> str:
    result = runner.invoke(app, ["scan", *args, *AS_OF, "--format", "csv", "-q"], input=input)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_generated_export_covers_every_flag(export: Path) -> None:
    flags = {line.split(",")[1] for line in scan(str(export)).splitlines()[1:] if "," in line}
    assert {"to_ship", "awaiting_pickup", "handed_over", "unpaid", "cancelled"} <= flags


def test_stdin_reads_like_the_file_on_disk(export: Path) -> None:
    assert scan("-", input=export.read_bytes()) == scan(str(export))


def test_xlsx_reads_like_the_csv(export: Path, tmp_path: Path) -> None:
    rows = generate_export.generate_lines(3000, seed=7, lang="mixed", status_weights=EVERY_STATUS)
    xlsx = tmp_path / "orders.xlsx"
    generate_export.write_xlsx(rows, xlsx)
    assert scan(str(xlsx)) == scan(str(export))


def test_a_spreadsheet_resave_reads_like_the_original(export: Path, tmp_path: Path) -> None:
    text = export.read_text(encoding="utf-8-sig")
    resaved = tmp_path / "resaved.csv"
    resaved.write_bytes(text.encode("utf-16"))  # "Unicode text" keeps commas here
    assert scan(str(resaved)) == scan(str(export))


def test_the_csv_written_in_slices_is_the_csv_written_whole(
    export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = scan(str(export))
    monkeypatch.setattr(writers, "CSV_SLICE", 7)
    assert scan(str(export)) == whole
