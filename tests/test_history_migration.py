"""The history file across versions: a file written by the first version (schema 1, the orders
as text) is migrated in place and reads as before; orders whose ids are not plain integers, or
that have no courier or creation time, keep them exactly."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT
from exportkit import line, write_csv
from test_history import AFTER_CUTOFF, MORNING, record, rows_of, run
from tiktok_transition import history as store
from tiktok_transition.history import snapshots

# Written by tiktok-transition at 957c3bd (schema 1): shop "odd" is the export `_odd` writes,
# recorded with `scan odd.csv --as-of "2023-10-20 09:00" --record --shop odd`; then shop
# "default" is the example recorded the same way.
VERSION_1 = ROOT / "tests" / "data" / "history-v1.sqlite3"
ODD_IDS = {"0123": "text", "ABC-77": "text", "-5": "integer", "576461413038785911": "integer"}


def _odd(path: Path) -> Path:
    waiting = {"Order_Substatus": "Menunggu pengambilan", "RTS_Time": "02/10/2023 09:00:00"}
    return write_csv(
        path,
        [
            line("0123", Shipping_Provider_Name="JNE REG"),
            line("ABC-77", **waiting),
            line("576461413038785911", Created_Time=""),
            line("-5", Shipping_Provider_Name=""),
        ],
    )


def _version_1(tmp_path: Path) -> Path:
    db = tmp_path / "history.sqlite3"
    shutil.copyfile(VERSION_1, db)
    return db


def _rows(db: Path, query: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


ORDERS = "SELECT * FROM snapshot_orders ORDER BY snapshot_id, order_id"


def test_a_version_1_file_is_migrated_in_place_and_reads_as_before(tmp_path: Path) -> None:
    db = _version_1(tmp_path)
    assert _rows(db, "SELECT version FROM schema_version") == [(1,)]
    orders = _rows(db, ORDERS)
    snapshots_before = _rows(db, "SELECT * FROM snapshots ORDER BY id")
    exports = _rows(db, "SELECT * FROM snapshot_exports ORDER BY snapshot_id")
    assert len(orders) == 64
    result = run("history", "--history", str(db), "--shop", "odd", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert [row["orders"] for row in rows_of(result.stdout)] == ["4"]
    assert _rows(db, "SELECT version FROM schema_version") == [(2,)]
    assert _rows(db, ORDERS) == orders
    assert _rows(db, "SELECT * FROM snapshots ORDER BY id") == snapshots_before
    assert _rows(db, "SELECT * FROM snapshot_exports ORDER BY snapshot_id") == exports
    kinds = _rows(db, "SELECT order_id, typeof(order_id) FROM snapshot_order_rows")
    assert {str(value): kind for value, kind in kinds if str(value) in ODD_IDS} == ODD_IDS
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    [odd] = store.runs(db, "odd")
    kept = store.run_orders(db, odd).sort_values("order_id").to_dict("records")
    assert [order["order_id"] for order in kept] == ["-5", "0123", "576461413038785911", "ABC-77"]
    couriers = ["", "JNE REG", "J&T Express", "J&T Express"]
    assert [order["shipping_provider"] for order in kept] == couriers
    assert [str(order["created_time"]) for order in kept][2] == "NaT"
    flags = ["to_ship", "to_ship", "to_ship", "awaiting_pickup"]
    assert [order["flag"] for order in kept] == flags


def test_changes_against_a_version_1_snapshot_is_as_against_a_new_one(tmp_path: Path) -> None:
    old = _version_1(tmp_path)
    new = tmp_path / "new.sqlite3"
    record(EXAMPLE, MORNING, new)
    args = ["changes", str(EXAMPLE), "--as-of", AFTER_CUTOFF, "--format", "csv"]
    against_old = run(*args, "--history", str(old))
    against_new = run(*args, "--history", str(new))
    assert against_old.exit_code == against_new.exit_code == 0, against_old.stderr
    assert against_old.stdout == against_new.stdout
    assert len(rows_of(against_old.stdout)) == 28
    assert against_old.stderr == against_new.stderr


def test_recording_into_a_version_1_file_keeps_its_other_snapshots(tmp_path: Path) -> None:
    db = _version_1(tmp_path)
    odd_orders = _rows(db, "SELECT * FROM snapshot_orders WHERE snapshot_id = 1")
    record(EXAMPLE, MORNING, db)  # the same export at the same --as-of: replaces its snapshot
    record(EXAMPLE, "2023-10-21 09:00", db)
    assert [run.as_of.day for run in store.runs(db, "default")] == [20, 21]
    assert [len(store.run_orders(db, run)) for run in store.runs(db, "default")] == [60, 60]
    assert _rows(db, "SELECT * FROM snapshot_orders WHERE snapshot_id = 1") == odd_orders
    assert _rows(db, "SELECT count(*) FROM snapshot_orders") == [(124,)]


def test_odd_orders_are_kept_exactly_across_many_inserts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ids that are not plain integers, no courier, no creation time: kept as the first version
    kept them, also where a statement's rows end (three orders per INSERT here)."""
    monkeypatch.setattr(snapshots, "_ROWS_PER_INSERT", 3)
    db = tmp_path / "history.sqlite3"
    export = _odd(tmp_path / "odd.csv")
    for copy in range(2):  # a second courier list and flag list: the codes are the file's
        record(export, f"2023-10-2{copy} 09:00", db, "--shop", "odd")
        record(EXAMPLE, f"2023-10-2{copy} 09:00", db)
    # The first two recordings (snapshots 1 and 2) are those of the version 1 file.
    assert [row for row in _rows(db, ORDERS) if row[0] in (1, 2)] == _rows(VERSION_1, ORDERS)
    scanned = rows_of(run("scan", str(export), "--as-of", MORNING, "--format", "csv").stdout)
    [odd, _] = store.runs(db, "odd")
    kept = store.run_orders(db, odd)
    assert sorted(kept["order_id"]) == sorted(row["order_id"].lstrip("'") for row in scanned)
    assert _rows(db, "SELECT count(*) FROM snapshot_order_rows") == [(128,)]


def test_changes_between_odd_orders(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    export = _odd(tmp_path / "odd.csv")
    record(export, MORNING, db)
    result = run("changes", str(export), "--as-of", AFTER_CUTOFF, "--history", str(db), "-q")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert sorted((row[0], row[1], row[2], row[5]) for row in rows[1:]) == [
        ("'-5", "to_ship", "auto_cancelled", ""),
        ("0123", "to_ship", "auto_cancelled", "JNE REG"),
        ("576461413038785911", "to_ship", "auto_cancelled", "J&T Express"),
        ("ABC-77", "awaiting_pickup", "auto_cancelled", "J&T Express"),
    ]


def test_the_exports_fingerprints_are_whole_file_hashes_taken_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tiktok_transition.history import prints

    monkeypatch.setattr(prints, "_CHUNK", 1000)  # the example: many chunks, a short last one
    db = tmp_path / "history.sqlite3"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    export = _odd(tmp_path / "odd.csv")
    record(EXAMPLE, MORNING, db, str(export))
    [snapshot] = store.runs(db, "default")
    assert snapshot.exports == (
        store.ExportFingerprint(
            EXAMPLE.name, EXAMPLE.stat().st_size, hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
        ),
        store.ExportFingerprint(
            "odd.csv", export.stat().st_size, hashlib.sha256(export.read_bytes()).hexdigest()
        ),
    )
    assert store.fingerprint([str(empty), "-", str(tmp_path / "gone.csv")]) == (
        store.ExportFingerprint("empty.csv", 0, hashlib.sha256(b"").hexdigest()),
        store.ExportFingerprint("-", None, None),
        store.ExportFingerprint("gone.csv", None, None),
    )
