"""The history file: its tables and migrations, opened for reading or writing, and the
records it holds.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tiktok_transition.errors import TransitionError

HISTORY_ENV = "TIKTOK_TRANSITION_HISTORY"
SCHEMA_VERSION = 2
BUSY_TIMEOUT_SECONDS = 60
_PAGE_SIZE = 16384  # 720,000 orders: 0.30 -> 0.28 s of CPU, against the default 4096
_SQLITE_HEADER = b"SQLite format 3\x00"
# What a snapshot keeps of each order (and nothing else: no buyer data, whatever the options).
ORDER_COLUMNS: tuple[str, ...] = (
    "order_id", "flag", "order_amount", "units", "shipping_provider", "created_time",
)  # fmt: skip
# The `history` command's columns, in the contract's order.
HISTORY_COLUMNS: tuple[str, ...] = (
    "recorded_at", "as_of", "orders", "at_risk_orders", "at_risk_units", "at_risk_amount",
    "auto_cancelled_orders", "handed_over_orders",
)  # fmt: skip
# Migration N+1 takes a file from schema version N to N+1: statements run in one transaction.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "INSERT INTO schema_version (version) VALUES (0)",
        """CREATE TABLE snapshots (
            id INTEGER PRIMARY KEY,
            shop TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            as_of TEXT NOT NULL,
            as_of_us INTEGER NOT NULL,
            cutoff TEXT NOT NULL,
            command TEXT NOT NULL,
            exports_key TEXT NOT NULL,
            orders INTEGER NOT NULL,
            at_risk_orders INTEGER NOT NULL,
            at_risk_units INTEGER NOT NULL,
            at_risk_amount INTEGER NOT NULL,
            auto_cancelled_orders INTEGER NOT NULL,
            handed_over_orders INTEGER NOT NULL,
            first_order INTEGER NOT NULL DEFAULT 0,
            last_order INTEGER NOT NULL DEFAULT -1,
            UNIQUE (shop, as_of_us, exports_key)
        )""",
        """CREATE TABLE snapshot_exports (
            snapshot_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            size INTEGER,
            sha256 TEXT,
            PRIMARY KEY (snapshot_id, position)
        )""",
        """CREATE TABLE snapshot_orders (
            snapshot_id INTEGER NOT NULL,
            order_id TEXT NOT NULL,
            flag TEXT NOT NULL,
            order_amount INTEGER NOT NULL,
            units INTEGER NOT NULL,
            shipping_provider TEXT NOT NULL,
            created_time INTEGER
        )""",
    ),
    # 2: the orders as integers (a tenth of the binding work, a third of the bytes): order ids
    # that are plain decimal integers as INTEGER (others stay TEXT: the column has no type),
    # flags and couriers as codes into two small tables. `snapshot_orders` becomes a view that
    # shows them as version 1 did, with the words, for the `sqlite3` program.
    (
        "CREATE TABLE flags (code INTEGER PRIMARY KEY, flag TEXT NOT NULL UNIQUE)",
        "INSERT INTO flags (code, flag) VALUES (0, 'awaiting_pickup'), (1, 'to_ship'), "
        "(2, 'auto_cancelled'), (3, 'unpaid'), (4, 'handed_over'), (5, 'cancelled')",
        """CREATE TABLE shipping_providers (
            code INTEGER PRIMARY KEY,
            shipping_provider TEXT NOT NULL UNIQUE
        )""",
        """CREATE TABLE snapshot_order_rows (
            snapshot_id INTEGER NOT NULL,
            order_id NOT NULL,
            flag INTEGER NOT NULL,
            order_amount INTEGER NOT NULL,
            units INTEGER NOT NULL,
            shipping_provider INTEGER NOT NULL,
            created_time INTEGER
        )""",
        "INSERT OR IGNORE INTO flags (flag) SELECT DISTINCT flag FROM snapshot_orders",
        "INSERT INTO shipping_providers (shipping_provider) "
        "SELECT DISTINCT shipping_provider FROM snapshot_orders",
        """INSERT INTO snapshot_order_rows (rowid, snapshot_id, order_id, flag, order_amount,
            units, shipping_provider, created_time)
        SELECT o.rowid, o.snapshot_id,
            CASE WHEN CAST(CAST(o.order_id AS INTEGER) AS TEXT) = o.order_id
                THEN CAST(o.order_id AS INTEGER) ELSE o.order_id END,
            f.code, o.order_amount, o.units, p.code, o.created_time
        FROM snapshot_orders AS o
        JOIN flags AS f ON f.flag = o.flag
        JOIN shipping_providers AS p ON p.shipping_provider = o.shipping_provider
        ORDER BY o.rowid""",
        "DROP TABLE snapshot_orders",
        """CREATE VIEW snapshot_orders AS
        SELECT o.snapshot_id AS snapshot_id,
            CAST(o.order_id AS TEXT) AS order_id,
            f.flag AS flag,
            o.order_amount AS order_amount,
            o.units AS units,
            p.shipping_provider AS shipping_provider,
            o.created_time AS created_time
        FROM snapshot_order_rows AS o
        JOIN flags AS f ON f.code = o.flag
        JOIN shipping_providers AS p ON p.code = o.shipping_provider""",
    ),
)
_OUR_TABLES = {
    "schema_version", "snapshots", "snapshot_exports", "snapshot_order_rows", "flags",
    "shipping_providers",
}  # fmt: skip


class HistoryError(TransitionError):
    """A history file that cannot be used; it is left as it was."""


@dataclass(frozen=True)
class ExportFingerprint:
    """An export a run read: its file name, size in bytes and SHA-256 (None for stdin)."""

    name: str
    size: int | None
    sha256: str | None


@dataclass(frozen=True)
class Run:
    """One recorded snapshot: the `history` columns, and what it was judged against."""

    id: int
    shop: str
    recorded_at: datetime
    as_of: datetime
    cutoff: datetime
    command: str
    orders: int
    at_risk_orders: int
    at_risk_units: int
    at_risk_amount: int
    auto_cancelled_orders: int
    handed_over_orders: int
    exports: tuple[ExportFingerprint, ...] = ()

    def row(self) -> dict[str, Any]:
        """The `HISTORY_COLUMNS` of this run, times as aware datetimes."""
        return {name: getattr(self, name) for name in HISTORY_COLUMNS}


def resolve_path(path: Path | None = None) -> Path:
    """`path`, else `TIKTOK_TRANSITION_HISTORY`, else `history.sqlite3` in the user data dir."""
    if path is not None:
        return path.expanduser()
    override = os.environ.get(HISTORY_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("tiktok-transition") / "history.sqlite3"


# --- the connection ----------------------------------------------------------------------------


@contextmanager
def sqlite_errors_told(path: Path) -> Iterator[None]:
    """SQLite's errors as one of ours, naming the file and what to do."""
    try:
        yield
    except HistoryError:
        raise
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise HistoryError(
                "history.busy", path=str(path), seconds=BUSY_TIMEOUT_SECONDS
            ) from None
        if "unable to open" in text or "readonly" in text or "read-only" in text:
            raise HistoryError("history.cannot_open", path=str(path)) from None
        if "disk" in text and "full" in text:
            raise HistoryError("history.disk_full", path=str(path)) from None
        raise HistoryError("history.damaged", path=str(path)) from None
    except sqlite3.DatabaseError:
        raise HistoryError("history.damaged", path=str(path)) from None


def _check_header(path: Path) -> bool:
    """Whether the file exists with content; a file that is not SQLite is refused unread."""
    if path.is_dir():
        raise HistoryError("history.not_sqlite", path=str(path))
    try:
        with open(path, "rb") as stream:
            head = stream.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return False
    except OSError:
        raise HistoryError("history.cannot_open", path=str(path)) from None
    if not head:
        return False
    if head != _SQLITE_HEADER:
        raise HistoryError("history.not_sqlite", path=str(path))
    return True


def _version(con: sqlite3.Connection, path: Path) -> int:
    """The file's schema version: 0 for an empty database; a foreign or newer one refused."""
    tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return 0
    columns = [row[1] for row in con.execute("PRAGMA table_info(schema_version)")]
    if columns != ["version"]:  # no such table, or another program's of that name
        raise HistoryError("history.foreign", path=str(path))
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    if row is None or not isinstance(row[0], int | None):
        raise HistoryError("history.foreign", path=str(path))
    version = row[0] or 0
    if version > SCHEMA_VERSION:
        raise HistoryError("history.newer", path=str(path), found=version, known=SCHEMA_VERSION)
    if version == SCHEMA_VERSION and not tables >= _OUR_TABLES:
        raise HistoryError("history.damaged", path=str(path))
    return version


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
    return con


@contextmanager
def for_writing(path: Path) -> Iterator[sqlite3.Connection]:
    """The file, checked, in WAL mode and at the current schema (created when absent)."""
    present = _check_header(path)
    if not present:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise HistoryError("history.cannot_open", path=str(path)) from None
    with sqlite_errors_told(path):
        con = _connect(path)
        try:
            if present:
                _version(con, path)  # refuse a foreign or newer file before anything is written
            else:  # a new file: larger pages, fewer of them to fill per snapshot (taken only
                con.execute(f"PRAGMA page_size = {_PAGE_SIZE}")  # while it is still empty)
            _wal(con)
            _migrate(con, path)
            yield con
        finally:
            con.close()


def _wal(con: sqlite3.Connection) -> None:
    """WAL mode (kept in the file); a new file being switched by another process is waited for."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = NORMAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _migrate(con: sqlite3.Connection, path: Path) -> None:
    if _version(con, path) == SCHEMA_VERSION:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        version = _version(con, path)  # another process may have migrated meanwhile
        for statements in _MIGRATIONS[version:]:
            for statement in statements:
                con.execute(statement)
        con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


@contextmanager
def for_reading(path: Path) -> Iterator[sqlite3.Connection | None]:
    """The file, checked; None when there is none yet (nothing is created)."""
    if not _check_header(path):
        yield None
        return
    with sqlite_errors_told(path):
        con = _connect(path)
        try:
            version = _version(con, path)
            if version:  # a file of an earlier version is migrated in place, then read
                _migrate(con, path)
            yield con if version else None
        finally:
            con.close()


def check(path: Path) -> None:
    """Refuse now a file `record` would refuse (not SQLite, another program's, damaged, newer);
    an absent file is fine. Nothing is created or written."""
    with for_reading(path):
        pass
