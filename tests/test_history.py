"""The history through the CLI: `--record` on scan, summary and plan, then `changes` and
`history`, as a cron job and a seller run them; and the history file, as SQLite sees it."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, ROOT
from exportkit import CANARY, line, write_csv
from test_i18n import _english_in
from tiktok_transition import history as store
from tiktok_transition.cli.main import app

runner = CliRunner()
GOLDEN = ROOT / "tests" / "golden" / "example-scan.csv"
MORNING = "2023-10-20 09:00"
AFTER_CUTOFF = "2023-11-10 09:00"
CHANGES_COLUMNS = [
    "order_id", "was", "now", "order_amount", "units", "shipping_provider", "hours_left",
]  # fmt: skip
HISTORY_COLUMNS = [
    "recorded_at", "as_of", "orders", "at_risk_orders", "at_risk_units", "at_risk_amount",
    "auto_cancelled_orders", "handed_over_orders",
]  # fmt: skip
BUYER_COLUMNS = (
    "Buyer Username", "Recipient", "Phone #", "Detail Address", "Additional address information",
    "Buyer Message", "Districts", "Villages",
)  # fmt: skip


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def db_path(tmp_path: Path) -> Path:
    return tmp_path / "history.sqlite3"


def record(export: Path | str, as_of: str, db: Path, *extra: str, command: str = "scan") -> Any:
    args = [command, str(export), "--as-of", as_of, "--record", "--history", str(db), *extra]
    if command == "plan":
        args += ["--capacity", "5"]
    result = run(*args, "--format", "csv")
    assert result.exit_code in (0, 1), result.stderr
    return result


# --- recording ---------------------------------------------------------------------------------


def test_recording_changes_neither_the_output_nor_the_exit_code(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    plain = run("scan", str(EXAMPLE), "--as-of", MORNING, "--format", "csv", "--fail-on-risk")
    recorded = record(EXAMPLE, MORNING, db, "--fail-on-risk")
    assert plain.exit_code == recorded.exit_code == 1
    assert recorded.stdout == plain.stdout == GOLDEN.read_text(encoding="utf-8")
    assert recorded.stderr == plain.stderr == ""
    for command in ("summary", "plan"):
        args = [command, str(EXAMPLE), "--as-of", MORNING, "--format", "csv"]
        args += ["--capacity", "5"] if command == "plan" else []
        without = run(*args)
        with_record = run(*args, "--record", "--history", str(db))
        assert (with_record.exit_code, with_record.stdout, with_record.stderr) == (
            without.exit_code,
            without.stdout,
            without.stderr,
        )


def test_a_snapshot_keeps_the_run_and_each_order_without_buyer_data(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    record(EXAMPLE, MORNING, db)
    [snapshot] = store.runs(db, "default")
    assert snapshot.as_of == datetime.fromisoformat("2023-10-20T09:00:00+07:00")
    assert snapshot.cutoff == datetime.fromisoformat("2023-11-05T23:59:59+07:00")
    assert snapshot.command == "scan"
    assert snapshot.row() == {
        "recorded_at": snapshot.recorded_at,
        "as_of": snapshot.as_of,
        "orders": 60,
        "at_risk_orders": 28,
        "at_risk_units": 79,
        "at_risk_amount": 4683300,
        "auto_cancelled_orders": 0,
        "handed_over_orders": 20,
    }
    [export] = snapshot.exports
    assert export.name == EXAMPLE.name and export.size == EXAMPLE.stat().st_size
    assert export.sha256 is not None and len(export.sha256) == 64
    orders = store.run_orders(db, snapshot)
    assert list(orders.columns) == list(store.ORDER_COLUMNS)
    scanned = {row["order_id"]: row for row in rows_of(GOLDEN.read_text(encoding="utf-8"))}
    assert sorted(orders["order_id"]) == sorted(scanned)
    for order in orders.to_dict("records"):
        seen = scanned[order["order_id"]]
        assert order["flag"] == seen["flag"]
        assert str(order["order_amount"]) == seen["order_amount"]
        assert str(order["units"]) == seen["units"]
        assert order["shipping_provider"] == seen["shipping_provider"]
        assert order["created_time"] == datetime.fromisoformat(seen["created_time"])


def test_the_same_export_at_the_same_as_of_keeps_one_snapshot(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    record(EXAMPLE, MORNING, db)
    record(EXAMPLE, MORNING, db)
    record(EXAMPLE, MORNING, db, command="summary")
    assert len(store.runs(db, "default")) == 1
    record(EXAMPLE, "2023-10-21 09:00", db, command="plan")
    found = store.runs(db, "default")
    assert [run.command for run in found] == ["summary", "plan"]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM snapshot_orders").fetchone() == (120,)
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(2,)]


def test_shops_are_kept_apart(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    record(EXAMPLE, MORNING, db, "--shop", "toko-a")
    record(EXAMPLE, "2023-10-21 09:00", db, "--shop", "toko-b")
    record(EXAMPLE, "2023-10-22 09:00", db, "--shop", "toko-b")
    assert len(store.runs(db, "toko-a")) == 1
    assert len(store.runs(db, "toko-b")) == 2
    assert store.runs(db, "default") == []
    result = run("history", "--history", str(db), "--shop", "toko-b", "--format", "csv")
    assert len(rows_of(result.stdout)) == 2
    other = run("changes", str(EXAMPLE), "--history", str(db), "--shop", "toko-c")
    assert other.exit_code == 2 and 'shop "toko-c"' in other.stderr


def test_the_history_file_comes_from_the_variable_then_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("TIKTOK_TRANSITION_HISTORY", str(chosen))
    result = run("scan", str(EXAMPLE), "--as-of", MORNING, "--record", "--format", "csv")
    assert result.exit_code == 0 and chosen.exists()
    monkeypatch.delenv("TIKTOK_TRANSITION_HISTORY")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = store.resolve_path()
    assert default == tmp_path / "data" / "tiktok-transition" / "history.sqlite3"
    result = run("scan", str(EXAMPLE), "--as-of", MORNING, "--record", "--format", "csv")
    assert result.exit_code == 0 and default.exists()


def _record_in_a_child(db: str, as_of: str, start: Any, codes: Any) -> None:
    from typer.testing import CliRunner

    from tiktok_transition.cli.main import app

    start.wait()
    args = ["scan", str(EXAMPLE), "--as-of", as_of, "--record", "--history", db]
    codes.put(CliRunner().invoke(app, [*args, "--format", "csv"]).exit_code)


def test_two_processes_recording_at_once_both_land(tmp_path: Path) -> None:
    db = db_path(tmp_path)  # not there yet: both create it at once
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    codes = context.Queue()
    children = [
        context.Process(target=_record_in_a_child, args=(str(db), when, start, codes))
        for when in ("2023-10-20 09:00", "2023-10-20 09:01")
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
        assert child.exitcode == 0
    assert sorted(codes.get(timeout=5) for _ in children) == [0, 0]
    found = store.runs(db, "default")
    assert [run.as_of.minute for run in found] == [0, 1]
    assert [len(store.run_orders(db, run)) for run in found] == [60, 60]


# --- no buyer data -----------------------------------------------------------------------------


def _buyer_values(export: Path) -> set[str]:
    with export.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    values = {row[name].strip() for row in rows for name in BUYER_COLUMNS if row.get(name)}
    return {value for value in values if len(value) >= 4}


def _every_cell(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        tables = [
            name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return [
            str(cell)
            for table in tables
            for row in con.execute(f'SELECT * FROM "{table}"')
            for cell in row
            if cell is not None
        ]


def test_no_buyer_data_in_any_table_even_with_include_pii(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    canary_export = write_csv(
        tmp_path / "canary.csv", [line("576461413038785901"), line("576461413038785902")]
    )
    record(EXAMPLE, MORNING, db, "--include-pii")
    record(canary_export, MORNING, db, "--include-pii", "--shop", "canary")
    buyer = _buyer_values(EXAMPLE) | set(CANARY.values())
    assert {"pembeli_325", "Pembeli Contoh 325", "canary_user_7731"} <= buyer
    cells = _every_cell(db)
    assert len(cells) > 60 * 6
    assert [value for value in buyer for cell in cells if value in cell] == []
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("history.sqlite3*"))
    assert [value for value in buyer if value.encode("utf-8") in raw] == []


SQLITE3 = shutil.which("sqlite3")


@pytest.mark.skipif(
    SQLITE3 is None and not os.environ.get("CI"), reason="the sqlite3 program is not installed"
)
def test_the_sqlite3_program_reads_the_file_and_finds_no_buyer_data(tmp_path: Path) -> None:
    assert SQLITE3 is not None, "CI must install the sqlite3 program (see .ci/run)"
    db = db_path(tmp_path)
    record(EXAMPLE, MORNING, db, "--include-pii")

    def sqlite(*args: str) -> str:
        done = subprocess.run([SQLITE3, str(db), *args], capture_output=True, text=True, check=True)
        return done.stdout

    assert sqlite("PRAGMA integrity_check;").strip() == "ok"
    assert sqlite("PRAGMA journal_mode;").strip() == "wal"
    assert sqlite("SELECT flag, count(*) FROM snapshot_orders GROUP BY flag ORDER BY flag;") == (
        "awaiting_pickup|12\ncancelled|7\nhanded_over|20\nto_ship|16\nunpaid|5\n"
    )
    dump = sqlite(".dump")
    assert "CREATE VIEW snapshot_orders" in dump and "CREATE TABLE snapshot_order_rows" in dump
    assert [value for value in _buyer_values(EXAMPLE) if value in dump] == []


# --- changes -----------------------------------------------------------------------------------


def test_changes_after_the_cutoff_on_the_same_export(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    morning = rows_of(record(EXAMPLE, MORNING, db).stdout)
    at_risk = {
        row["order_id"]: row for row in morning if row["flag"] in ("to_ship", "awaiting_pickup")
    }
    later = rows_of(run("scan", str(EXAMPLE), "--as-of", AFTER_CUTOFF, "--format", "csv").stdout)
    expected = [
        [
            row["order_id"],
            at_risk[row["order_id"]]["flag"],
            "auto_cancelled",
            row["order_amount"],
            row["units"],
            row["shipping_provider"],
            "-105.0",
        ]
        for row in later
        if row["order_id"] in at_risk
    ]
    assert len(expected) == 28
    result = run("changes", str(EXAMPLE), "--as-of", AFTER_CUTOFF, "--history", str(db), "-q")
    assert result.exit_code == 0, result.stderr
    assert list(csv.reader(io.StringIO(result.stdout))) == [CHANGES_COLUMNS, *expected]
    told = run("changes", str(EXAMPLE), "--as-of", AFTER_CUTOFF, "--history", str(db))
    assert "Since 20 Oct 2023 09:00 WIB: 28 lost to the cutoff." in told.stderr
    failing = run(
        "changes", str(EXAMPLE), "--as-of", AFTER_CUTOFF, "--history", str(db), "--fail-on-risk"
    )
    assert failing.exit_code == 1 and failing.stdout == result.stdout


def _edited_exports(tmp_path: Path) -> tuple[Path, Path]:
    waiting = {"Order_Substatus": "Menunggu pengambilan", "RTS_Time": "02/10/2023 09:00:00"}
    shipped = {
        "Order_Status": "Dikirim",
        "Order_Substatus": "Sedang transit",
        "RTS_Time": "02/10/2023 09:00:00",
        "Shipped_Time": "03/10/2023 09:00:00",
    }
    a, b, c, d, e = (f"57646141303878{n}" for n in (5911, 5922, 5933, 5944, 5955))
    before = write_csv(
        tmp_path / "before.csv",
        [
            line(a, Order_Amount="50000", Shipping_Provider_Name="JNE REG"),
            line(b, Quantity="3", Order_Amount="90000", **waiting),
            line(c),
            line(d, **shipped),
        ],
    )
    after = write_csv(
        tmp_path / "after.csv",
        [
            line(a, Order_Amount="50000", Shipping_Provider_Name="JNE REG", **shipped),
            line(c),
            line(d, **shipped),
            line(e, Quantity="2", Order_Amount="70000", Shipping_Provider_Name="=SPX"),
        ],
    )
    return before, after


def test_changes_on_an_edited_export(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    before, after = _edited_exports(tmp_path)
    record(before, MORNING, db)
    result = run("changes", str(after), "--as-of", "2023-10-21 09:00", "--history", str(db))
    assert result.exit_code == 0, result.stderr
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        CHANGES_COLUMNS,
        ["576461413038785955", "", "to_ship", "70000", "2", "'=SPX", "375.0"],
        ["576461413038785911", "to_ship", "handed_over", "50000", "1", "JNE REG", ""],
        ["576461413038785922", "awaiting_pickup", "", "90000", "3", "J&T Express", ""],
    ]
    assert (
        "Since 20 Oct 2023 09:00 WIB: 1 handed over, 1 newly at risk, 1 no longer in the exports."
        in result.stderr
    )
    records = json.loads(
        run(
            "changes", str(after), "--as-of", "2023-10-21 09:00", "--history", str(db),
            "--format", "json",
        ).stdout
    )  # fmt: skip
    assert records[0] == {
        "order_id": "576461413038785955",
        "was": "",
        "now": "to_ship",
        "order_amount": 70000,
        "units": 2,
        "shipping_provider": "=SPX",
        "hours_left": 375.0,
    }
    assert records[2]["hours_left"] is None
    failing = run(
        "changes", str(after), "--as-of", "2023-10-21 09:00", "--history", str(db),
        "--fail-on-risk",
    )  # fmt: skip
    assert failing.exit_code == 1


def test_changes_with_nothing_newly_at_risk_does_not_fail(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    before, _ = _edited_exports(tmp_path)
    record(before, MORNING, db)
    result = run(
        "changes", str(before), "--as-of", "2023-10-21 09:00", "--history", str(db),
        "--fail-on-risk",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout == ",".join(CHANGES_COLUMNS) + "\n"
    assert "Since 20 Oct 2023 09:00 WIB: no order has moved." in result.stderr


def test_changes_compares_with_the_latest_snapshot_before_as_of_or_since(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    before, after = _edited_exports(tmp_path)
    record(before, MORNING, db)
    record(after, "2023-10-22 09:00", db)
    args = ["changes", str(after), "--as-of", "2023-10-23 09:00", "--history", str(db)]
    latest = run(*args)
    assert "Since 22 Oct 2023 09:00 WIB: no order has moved." in latest.stderr
    earlier = run(*args, "--since", "2023-10-21")
    assert "Since 20 Oct 2023 09:00 WIB: 1 handed over" in earlier.stderr
    assert len(rows_of(earlier.stdout)) == 3
    at_the_moment = run(*args, "--since", "2023-10-22 09:00")
    assert "Since 22 Oct 2023 09:00 WIB" in at_the_moment.stderr


def test_changes_without_an_earlier_snapshot_is_exit_2(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    out = tmp_path / "changes.csv"
    nothing = run("changes", str(EXAMPLE), "--as-of", MORNING, "--history", str(db), "-o", str(out))
    assert nothing.exit_code == 2
    assert "record one first" in nothing.stderr and "Traceback" not in nothing.stderr
    assert len(nothing.stderr.strip().splitlines()) == 1
    assert not db.exists() and not out.exists()
    record(EXAMPLE, "2023-10-21 09:00", db)
    too_early = run("changes", str(EXAMPLE), "--as-of", MORNING, "--history", str(db))
    assert too_early.exit_code == 2 and "before 20 Oct 2023 09:00 WIB" in too_early.stderr
    history = run("history", "--history", str(tmp_path / "none.sqlite3"))
    assert history.exit_code == 2 and "record one first" in history.stderr
    indonesian = run(
        "changes", str(EXAMPLE), "--as-of", MORNING, "--history", str(db), "--lang", "id"
    )
    assert indonesian.exit_code == 2 and "rekam dulu" in indonesian.stderr
    assert "sebelum 20 Okt 2023 09.00 WIB" in indonesian.stderr
    assert _english_in(indonesian.stderr) == []


def test_changes_writes_every_format_through_the_one_output_path(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    before, after = _edited_exports(tmp_path)
    record(before, MORNING, db)
    base = ["changes", str(after), "--as-of", "2023-10-21 09:00", "--history", str(db), "-q"]
    sheet = tmp_path / "changes.xlsx"
    assert run(*base, "-o", str(sheet)).exit_code == 0
    import openpyxl

    cells = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    assert list(cells[0]) == CHANGES_COLUMNS and cells[1][5] == "=SPX" and cells[1][3] == 70000
    markdown = run(*base, "--format", "markdown").stdout
    assert markdown.splitlines()[0] == "| " + " | ".join(CHANGES_COLUMNS) + " |"
    jsonl = [json.loads(text) for text in run(*base, "--format", "jsonl").stdout.splitlines()]
    assert [row["order_id"] for row in jsonl] == [
        "576461413038785955", "576461413038785911", "576461413038785922",
    ]  # fmt: skip
    excel = run(*base, "--excel").stdout
    assert excel.startswith("\ufefforder_id;was;now;")


def test_changes_on_a_terminal_tells_the_story_then_the_table(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    before, after = _edited_exports(tmp_path)
    record(before, MORNING, db)
    args = ["changes", str(after), "--as-of", "2023-10-21 09:00", "--history", str(db)]
    table = run(*args, "--format", "table")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].startswith("Since 20 Oct 2023 09:00 WIB: 1 handed over, 1 newly at risk")
    assert "Orders that moved: 3" in table.stdout
    for word in ("(new)", "(not in the exports)", "Handed to courier", "To ship", "=SPX"):
        assert word in table.stdout
    assert table.stderr.count("Since") == 0
    indonesian = run(*args, "--format", "table", "--lang", "id")
    shown = indonesian.stdout + indonesian.stderr
    for word in ("Sejak 20 Okt 2023 09.00 WIB", "baru berisiko", "(baru)", "Sebelumnya"):
        assert word in shown
    assert _english_in(shown) == []


# --- history -----------------------------------------------------------------------------------


def test_history_lists_the_runs_oldest_first_in_every_format(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    before, after = _edited_exports(tmp_path)
    record(after, "2023-10-22 09:00", db)
    record(before, MORNING, db)
    result = run("history", "--history", str(db), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == HISTORY_COLUMNS
    assert [row[1:] for row in rows[1:]] == [
        ["2023-10-20T09:00:00+07:00", "4", "3", "5", "184000", "0", "1"],
        ["2023-10-22T09:00:00+07:00", "4", "2", "3", "114000", "0", "2"],
    ]
    assert all(datetime.fromisoformat(row[0]).utcoffset() is not None for row in rows[1:])
    records = json.loads(run("history", "--history", str(db), "--format", "json").stdout)
    assert list(records[0]) == HISTORY_COLUMNS and records[1]["at_risk_amount"] == 114000


def test_history_on_a_terminal_draws_the_pile_and_the_pace(tmp_path: Path) -> None:
    db = db_path(tmp_path)
    before, after = _edited_exports(tmp_path)
    record(before, MORNING, db)
    record(after, "2023-10-22 09:00", db)
    result = run("history", "--history", str(db), "--format", "table")
    assert result.exit_code == 0
    shown = result.stdout
    assert "█" * 16 in shown and "░" in shown
    assert "Recorded runs of shop default: 2" in shown
    assert "2 orders at risk, 14 d 15 h left: hand over 1 a day to clear them" in shown
    assert "Since 20 Oct 2023 09:00 WIB the pile shrank by about 0 a day." in shown
    assert "1 a day" in shown
    indonesian = run("history", "--history", str(db), "--format", "table", "--lang", "id")
    assert "sehari" in indonesian.stdout and "Tumpukan" in indonesian.stdout
    assert _english_in(indonesian.stdout + indonesian.stderr) == []


# --- a file that is not ours -------------------------------------------------------------------


def _not_sqlite(path: Path) -> None:
    path.write_bytes(b"order_id,flag\n576461413038785901,to_ship\n" * 50)


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE customers (name TEXT, phone TEXT)")
        con.execute("INSERT INTO customers VALUES ('Budi', '0812')")
    con.close()


def _foreign_schema_version(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE schema_version (installed_rank INT, version TEXT)")
        con.execute("INSERT INTO schema_version VALUES (1, '1.2')")
    con.close()


def _newer(path: Path) -> None:
    record(EXAMPLE, MORNING, path)
    with sqlite3.connect(path) as con:
        con.execute("UPDATE schema_version SET version = 99")
    con.close()
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def _damaged(path: Path) -> None:
    record(EXAMPLE, MORNING, path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xa5" * (4096 - 100)  # the first page's table of tables
    path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_not_sqlite, "not a history database"),
        (_foreign, "of another program"),
        (_foreign_schema_version, "of another program"),
        (_newer, "newer tiktok-transition (history schema 99"),
        (_damaged, "is damaged"),
    ],
    ids=["not-sqlite", "foreign", "foreign-schema-version", "newer", "damaged"],
)
def test_a_file_that_is_not_a_usable_history_is_exit_2_and_left_untouched(
    tmp_path: Path, make: Any, words: str
) -> None:
    db = db_path(tmp_path)
    make(db)
    original = db.read_bytes()
    out = tmp_path / "scan.csv"
    attempts = [
        ["scan", str(EXAMPLE), "--as-of", AFTER_CUTOFF, "--record", "-o", str(out)],
        ["summary", str(EXAMPLE), "--record"],
        ["plan", str(EXAMPLE), "--capacity", "3", "--record"],
        ["changes", str(EXAMPLE), "--as-of", AFTER_CUTOFF],
        ["history"],
    ]
    for args in attempts:
        result = run(*args, "--history", str(db))
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert words in result.stderr and str(db) in result.stderr
        assert "--history" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stdout == ""
        assert db.read_bytes() == original
    assert not out.exists()
    indonesian = run("history", "--history", str(db), "--lang", "id")
    assert indonesian.exit_code == 2 and "tidak diubah" in indonesian.stderr
    assert db.read_bytes() == original
