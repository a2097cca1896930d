"""scan and summary through the CLI, as a user (or a cron job) runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AS_OF, EXAMPLE, ROOT, run
from exportkit import CANARY, line, write_csv
from tiktok_transition.core.triage import SCAN_COLUMNS

GOLDEN = ROOT / "tests" / "golden" / "example-scan.csv"


def test_scan_csv_of_the_example_matches_the_golden_file() -> None:
    result = run("scan", str(EXAMPLE), *AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    assert result.stderr == ""


def test_scan_csv_parses_back_one_clean_row_per_order() -> None:
    result = run("scan", str(EXAMPLE), *AS_OF, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(SCAN_COLUMNS)
    assert len(rows) == 60 == len({r["order_id"] for r in rows})
    assert all(r["order_id"].isdigit() and len(r["order_id"]) == 18 for r in rows)
    flags = [r["flag"] for r in rows]
    assert flags[:12] == ["awaiting_pickup"] * 12 and flags[12:28] == ["to_ship"] * 16
    cod = [r for r in rows if r["cod"] == "true"]
    assert cod and all(r["flag"] != "unpaid" for r in cod)
    assert {r["hours_left"] for r in rows if r["flag"] in ("to_ship", "awaiting_pickup")} == {
        "399.0"
    }
    assert {r["hours_left"] for r in rows if r["flag"] == "handed_over"} == {""}


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_scan_json_formats_parse_back(fmt: str) -> None:
    result = run("scan", str(EXAMPLE), *AS_OF, "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        records = json.loads(result.stdout)
    else:
        records = [json.loads(text) for text in result.stdout.splitlines()]
    assert len(records) == 60 and list(records[0]) == list(SCAN_COLUMNS)
    first = records[0]
    assert isinstance(first["order_id"], str) and isinstance(first["order_amount"], int)
    assert isinstance(first["cod"], bool) and first["hours_left"] == 399.0
    assert first["rts_time"].endswith("+07:00") and first["shipped_time"] is None


def test_scan_markdown_is_a_table_with_a_row_per_order() -> None:
    result = run("scan", str(EXAMPLE), *AS_OF, "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| order_id | flag |") and len(lines) == 62


def test_scan_table_shows_at_risk_first_and_the_summary_panel() -> None:
    result = run("scan", str(EXAMPLE), *AS_OF, "--format", "table")
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("Pickup") < out.index("Handed over")
    assert "At risk: 28 orders, 79 units, Rp 4.683.300" in out
    assert "Cutoff 5 Nov 2023 23:59 WIB: 16 d 15 h left" in out


def test_auto_format_is_csv_when_piped() -> None:
    result = run("scan", str(EXAMPLE), *AS_OF)
    assert result.stdout.startswith("order_id,flag,")


def test_flag_filter_and_at_risk() -> None:
    result = run("scan", str(EXAMPLE), *AS_OF, "--at-risk", "--format", "jsonl")
    flags = {json.loads(t)["flag"] for t in result.stdout.splitlines()}
    assert flags == {"to_ship", "awaiting_pickup"}
    result = run("scan", str(EXAMPLE), *AS_OF, "--flag", "cancelled", "--format", "jsonl")
    assert {json.loads(t)["flag"] for t in result.stdout.splitlines()} == {"cancelled"}
    bad = run("scan", str(EXAMPLE), *AS_OF, "--flag", "lost")
    assert bad.exit_code == 2 and "to_ship" in bad.stderr


def test_options_may_come_before_the_export() -> None:
    result = run("scan", "--format", "jsonl", *AS_OF, str(EXAMPLE))
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 60


def test_summary_json_has_the_contract_shape() -> None:
    result = run("summary", str(EXAMPLE), *AS_OF, "--format", "json")
    report = json.loads(result.stdout)
    assert set(report) == {
        "as_of",
        "cutoff",
        "hours_left",
        "orders",
        "by_flag",
        "at_risk",
        "warnings",
    }
    assert report["orders"] == 60 and report["as_of"] == "2023-10-20T09:00:00+07:00"
    assert report["at_risk"] == {"orders": 28, "units": 79, "amount": 4683300}
    assert report["by_flag"]["auto_cancelled"] == {"orders": 0, "units": 0, "amount": 0}


def test_summary_csv_is_one_row_per_flag() -> None:
    result = run("summary", str(EXAMPLE), *AS_OF, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["flag"] for r in rows] == [
        "awaiting_pickup", "to_ship", "auto_cancelled", "unpaid", "handed_over", "cancelled",
    ]  # fmt: skip
    assert sum(int(r["orders"]) for r in rows) == 60


def test_after_the_cutoff_the_missed_orders_are_auto_cancelled() -> None:
    result = run("summary", str(EXAMPLE), "--as-of", "2023-11-06 08:00", "--format", "json")
    report = json.loads(result.stdout)
    assert report["by_flag"]["auto_cancelled"]["orders"] == 28 and report["at_risk"]["orders"] == 0
    assert report["hours_left"] < 0


def test_fail_on_risk_exits_1_only_when_orders_are_at_risk(tmp_path: Path) -> None:
    assert run("summary", str(EXAMPLE), *AS_OF, "--fail-on-risk", "--format", "json").exit_code == 1
    safe = write_csv(tmp_path / "safe.csv", [line(Order_Status="Selesai", Order_Substatus="")])
    assert run("summary", str(safe), *AS_OF, "--fail-on-risk", "--format", "json").exit_code == 0
    assert run("scan", str(EXAMPLE), *AS_OF, "--format", "csv").exit_code == 0


def test_stdin_is_read_with_a_dash() -> None:
    result = run("scan", "-", *AS_OF, "--format", "csv", input=EXAMPLE.read_bytes())
    assert result.exit_code == 0
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_pii_stays_out_unless_asked(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "e.csv", [line(), line("576461413038785985", Order_Status="Gudang")]
    )
    for fmt in ("csv", "json", "jsonl", "markdown", "table"):
        result = run("scan", str(export), *AS_OF, "--format", fmt)
        for value in CANARY.values():
            assert value not in result.stdout and value not in result.stderr
    with_pii = run("scan", str(export), *AS_OF, "--format", "jsonl", "--include-pii")
    record = json.loads(with_pii.stdout.splitlines()[0])
    assert record["recipient"] == CANARY["Recipient"] and record["phone"] == CANARY["Phone #"]
    assert CANARY["Detail Address"] in record["address"] and "Kota Surabaya" in record["address"]


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    result = run("scan", str(EXAMPLE), *AS_OF, "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["scan", "missing.csv"], "no such file"),
        (["scan", "{tmp}"], "folder"),
        (["scan", "{other}"], "missing column(s) Order ID"),
        (["scan", "{example}", "--as-of", "tomorrow"], "--as-of"),
        (["scan", "{example}", "--tz", "Mars/Base"], "--tz"),
        (["scan", "{example}", "--lang", "fr"], "--lang"),
        (["scan", "{example}", "--cutoff", "2023-09-01"], "--shutdown"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2_and_no_output(
    tmp_path: Path, args: list[str], words: str
) -> None:
    other = tmp_path / "other.csv"
    other.write_text("Nama,Telepon\nBudi,0812\n")
    target = tmp_path / "out" / "report.csv"
    target.parent.mkdir()
    filled = [a.format(tmp=tmp_path, other=other, example=EXAMPLE) for a in args]
    result = run(*filled, *AS_OF[:0], "-o", str(target))
    assert result.exit_code == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 3
    assert not target.exists() and list(target.parent.iterdir()) == []


def test_xlsx_needs_an_output_file() -> None:
    result = run("scan", str(EXAMPLE), *AS_OF, "--format", "xlsx")
    assert result.exit_code == 2 and "-o" in result.stderr and result.stdout == ""


def test_unknown_format_is_a_usage_error() -> None:
    result = run("scan", str(EXAMPLE), "--format", "pdf")
    assert result.exit_code == 2 and result.stdout == ""


def test_version_and_help() -> None:
    from importlib.metadata import version

    assert run("--version").stdout == f"tiktok-transition {version('tiktok-transition')}\n"
    assert "Example" in run("scan", "--help").stdout


def test_console_script_piped_writes_csv_and_nothing_else(tmp_path: Path) -> None:
    out, err = tmp_path / "out.csv", tmp_path / "err.txt"
    script = Path(sys.executable).with_name("tiktok-transition")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tiktok_transition"]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        code = subprocess.run(
            [*command, "scan", str(EXAMPLE), *AS_OF],
            stdout=stdout,
            stderr=stderr,
            env={**os.environ, "COLUMNS": "80"},
            check=False,
        ).returncode
    assert code == 0
    assert out.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")
    assert err.read_text() == ""


def test_the_program_leaves_quickly_but_with_everything_written(tmp_path: Path) -> None:
    # `main` skips the interpreter's teardown (`exit_now`): the exit code, every byte of
    # standard output and error, and a snapshot recorded beside the report must all be there.
    import sqlite3

    history = tmp_path / "h.sqlite3"

    def program(*args: str) -> tuple[int, bytes, bytes]:
        done = subprocess.run(
            [sys.executable, "-m", "tiktok_transition", *args],
            capture_output=True,
            env={**os.environ, "TIKTOK_TRANSITION_HISTORY": str(history)},
            check=False,
            timeout=120,
        )
        return done.returncode, done.stdout, done.stderr

    code, out, err = program("scan", str(EXAMPLE), *AS_OF, "--record", "--fail-on-risk")
    assert code == 1 and out.decode("utf-8") == GOLDEN.read_text(encoding="utf-8")
    assert err == b""  # --fail-on-risk's exit is silent
    with sqlite3.connect(history) as db:
        assert db.execute("select count(*) from snapshot_orders").fetchone()[0] == 60
    code, out, err = program("scan", str(tmp_path / "missing.csv"))
    assert (code, out) == (2, b"") and b"missing.csv" in err
    code, out, _ = program("scan", str(EXAMPLE), *AS_OF, "--format", "json", "-q")
    assert code == 0 and out.rstrip().endswith(b"]")
