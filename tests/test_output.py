"""Made for spreadsheets and cron: formula-safe cells, --excel, xlsx, atomic files, quiet runs."""

from __future__ import annotations

import csv
import io
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLE, run
from exportkit import line, write_csv
from tiktok_transition.output.cells import markdown_cell, spreadsheet_safe

HOSTILE = ['=HYPERLINK("http://x")', "+62812", "-1+1", "@SUM(A1)", "\tTab", "\rCR", "=1,2\n3"]


@pytest.mark.parametrize("text", HOSTILE)
def test_cells_that_a_spreadsheet_would_run_get_a_quote(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text
    assert markdown_cell(text).startswith("'")


@pytest.mark.parametrize("text", ["Hijab", "J&T Express", "", "100", "Rp 1.000", "a=b"])
def test_ordinary_cells_are_left_alone(text: str) -> None:
    assert spreadsheet_safe(text) == text


def _hostile_export(tmp_path: Path) -> Path:
    rows = [
        line(str(576461413038785984 + i), Shipping_Provider_Name=text, Payment_Method=text)
        for i, text in enumerate(HOSTILE)
    ]
    return write_csv(tmp_path / "hostile.csv", rows)


def test_csv_output_guards_every_text_cell_but_keeps_numbers(tmp_path: Path) -> None:
    result = run("scan", str(_hostile_export(tmp_path)), *AS_OF, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # The reader trims the export's tabs, so only the formula starts survive to the output.
    expected = sorted(spreadsheet_safe(text.strip()) for text in HOSTILE)
    assert sorted(r["shipping_provider"] for r in rows) == expected
    assert sum(r["shipping_provider"].startswith("'") for r in rows) == 5
    assert all(r["order_amount"] == "44000" and r["hours_left"] == "399.0" for r in rows)


def test_markdown_output_guards_and_escapes(tmp_path: Path) -> None:
    result = run("scan", str(_hostile_export(tmp_path)), *AS_OF, "--format", "markdown")
    assert "| =" not in result.stdout and "'=1,2<br>3" in result.stdout


def test_excel_csv_has_a_bom_and_semicolons(tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    assert run("scan", str(EXAMPLE), *AS_OF, "--excel", "-o", str(target)).exit_code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbforder_id;flag;status;")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 61 and all(len(r) == 19 for r in rows)


def test_xlsx_has_real_cells(tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "r.xlsx"
    result = run("scan", str(EXAMPLE), *AS_OF, "--format", "xlsx", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    sheet = openpyxl.load_workbook(target).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["order_id", "flag", "status"]
    first = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert isinstance(first["order_id"], str) and len(first["order_id"]) == 18
    assert isinstance(first["order_amount"], int) and isinstance(first["lines"], int)
    assert first["created_time"].year == 2023  # a datetime cell, local time
    assert first["cod"] in (True, False)
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 18


def test_auto_format_follows_the_output_extension(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    run("summary", str(EXAMPLE), *AS_OF, "-o", str(target))
    assert target.read_text().lstrip().startswith("{")


def test_dev_null_is_written_directly() -> None:
    assert run("scan", str(EXAMPLE), *AS_OF, "-o", os.devnull).exit_code == 0


def _limited_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


def test_a_run_that_fails_mid_write_leaves_the_old_report_untouched(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("yesterday's report\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tiktok_transition",
            "scan",
            str(EXAMPLE),
            *AS_OF,
            "-o",
            str(target),
        ],
        capture_output=True,
        text=True,
        preexec_fn=_limited_file_size,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Cannot write" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text() == "yesterday's report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_quiet_keeps_stderr_for_errors_only() -> None:
    stale = ["--as-of", "2023-10-25 09:00"]
    assert "more than 24 hours" in run("scan", str(EXAMPLE), *stale).stderr
    assert run("scan", str(EXAMPLE), *stale, "--quiet").stderr == ""
    assert "no such file" in run("scan", "missing.csv", "--quiet").stderr


def test_no_colour_and_no_progress_when_stderr_is_a_file() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["FORCE_COLOR"] = ""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tiktok_transition",
            "scan",
            str(EXAMPLE),
            "--as-of",
            "2023-10-25 09:00",
        ],
        capture_output=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0
    assert b"more than 24 hours" in result.stderr and b"\x1b[" not in result.stderr
    assert b"\x1b[" not in result.stdout


def test_reading_progress_reports_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from tiktok_transition.ui import terminal

    with terminal.reading_progress("x", enabled=True) as report:
        assert report is None  # stderr is not a terminal under pytest
    monkeypatch.setattr(terminal, "is_terminal", lambda _stream: True)
    with terminal.reading_progress("x", enabled=True) as report:
        assert report is not None
        report(50, 100)


def test_a_large_export_is_read_through_the_progress_stream(tmp_path: Path) -> None:
    from tiktok_transition.reader.files import read_exports
    from tiktok_transition.reader.layout import TRIAGE_FIELDS, ReadOptions

    calls: list[tuple[int, int]] = []
    path = write_csv(tmp_path / "e.csv", [line(str(576461413038785984 + i)) for i in range(50)])
    options = ReadOptions(
        fields=TRIAGE_FIELDS, progress=lambda done, total: calls.append((done, total))
    )
    assert read_exports([str(path)], options).frame["order_id"].nunique() == 50
    assert calls and calls[-1][0] == calls[-1][1] == path.stat().st_size


def test_shell_completion_script_is_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    # Typer finds the shell from the processes above the test (shellingham): under `sh`, or
    # with no shell at all (a CI runner), it finds none it supports. Name the user's shell.
    import shellingham  # type: ignore[import-untyped]

    monkeypatch.setattr(shellingham, "detect_shell", lambda: ("bash", "/bin/bash"))
    result = run("--show-completion")
    assert result.exit_code == 0 and "_TIKTOK_TRANSITION_COMPLETE" in result.stdout
    assert "complete -o default -F" in result.stdout  # bash's, whatever shell runs the tests


def test_an_unexpected_error_is_one_line_and_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    from tiktok_transition.core import triage

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("Pembeli Contoh 123")

    monkeypatch.setattr(triage, "triage", broken)
    result = run("scan", str(EXAMPLE), *AS_OF)
    assert result.exit_code == 3
    assert "ZeroDivisionError" in result.stderr and "Pembeli" not in result.stderr


def test_markdown_keeps_negative_numbers_as_numbers() -> None:
    result = run("scan", str(EXAMPLE), "--as-of", "2023-11-06 08:59:59", "--format", "markdown")
    assert "| -9.0 |" in result.stdout and "'-9.0" not in result.stdout


def test_xlsx_drops_control_characters_a_cell_cannot_hold(tmp_path: Path) -> None:
    import openpyxl

    export = write_csv(tmp_path / "e.csv", [line(Shipping_Provider_Name="J&T\x01 Express\x1f")])
    target = tmp_path / "r.xlsx"
    result = run("scan", str(export), *AS_OF, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "Exception" not in result.stderr
    sheet = openpyxl.load_workbook(target).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("shipping_provider") + 1).value == "J&T Express"
