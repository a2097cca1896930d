"""The history file: its schema and migrations, recording a snapshot, reading runs back.

Tables (schema version 1):

- `schema_version(version)`: one row, the schema the file is at;
- `snapshots`: one row per recorded run: shop, when it ran (`recorded_at`, UTC), `as_of` and
  the cutoff (ISO 8601 with offset), `as_of_us` (microseconds since the epoch, for ordering),
  the command, a key of the exports read, and the counts `history` shows;
- `snapshot_exports`: the fingerprint (name, size, sha256) of each export a run read;
- `snapshot_orders`: per order of a run: `order_id`, `flag`, `order_amount`, `units`,
  `shipping_provider`, `created_time` (seconds since the epoch, UTC). No buyer data.

A run's orders are written by one transaction, so their rowids are one contiguous range, kept in
`snapshots.first_order` .. `last_order`: a run's orders are read (and replaced) by that range,
with no index to build while 720,000 orders are recorded.
"""

from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiktok_transition.errors import TransitionError

if TYPE_CHECKING:
    import pandas as pd

HISTORY_ENV = "TIKTOK_TRANSITION_HISTORY"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 60
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
_AT_RISK = ("awaiting_pickup", "to_ship")

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
)
_OUR_TABLES = {"schema_version", "snapshots", "snapshot_exports", "snapshot_orders"}


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


def fingerprint(paths: Sequence[str]) -> tuple[ExportFingerprint, ...]:
    """Name, size and SHA-256 of each export (`-`, standard input, has neither size nor hash)."""
    prints = []
    for path in paths:
        if path == "-":
            prints.append(ExportFingerprint("-", None, None))
            continue
        try:
            with open(path, "rb") as stream:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()
                size = os.fstat(stream.fileno()).st_size
        except OSError:
            digest, size = None, None
        prints.append(ExportFingerprint(Path(path).name, size, digest))
    return tuple(prints)


# --- the connection ----------------------------------------------------------------------------


@contextmanager
def _told(path: Path) -> Iterator[None]:
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
    if version == SCHEMA_VERSION and not _OUR_TABLES <= tables:
        raise HistoryError("history.damaged", path=str(path))
    return version


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
    return con


@contextmanager
def _for_writing(path: Path) -> Iterator[sqlite3.Connection]:
    """The file, checked, in WAL mode and at the current schema (created when absent)."""
    present = _check_header(path)
    if not present:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise HistoryError("history.cannot_open", path=str(path)) from None
    with _told(path):
        con = _connect(path)
        try:
            if present:
                _version(con, path)  # refuse a foreign or newer file before anything is written
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
def _for_reading(path: Path) -> Iterator[sqlite3.Connection | None]:
    """The file, checked; None when there is none yet (nothing is created)."""
    if not _check_header(path):
        yield None
        return
    with _told(path):
        con = _connect(path)
        try:
            version = _version(con, path)
            yield con if version == SCHEMA_VERSION else None
        finally:
            con.close()


# --- recording ---------------------------------------------------------------------------------


def _exports_key(exports: Sequence[ExportFingerprint]) -> str:
    text = "\n".join(f"{e.name}\t{e.size}\t{e.sha256}" for e in exports)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _epoch_us(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _counts(orders: pd.DataFrame) -> dict[str, int]:
    import numpy as np

    flags = orders["flag"].to_numpy(dtype=object)
    at_risk = np.isin(flags, _AT_RISK)
    return {
        "orders": len(orders),
        "at_risk_orders": int(at_risk.sum()),
        "at_risk_units": int(orders["units"].to_numpy("int64")[at_risk].sum()),
        "at_risk_amount": int(orders["order_amount"].to_numpy("int64")[at_risk].sum()),
        "auto_cancelled_orders": int((flags == "auto_cancelled").sum()),
        "handed_over_orders": int((flags == "handed_over").sum()),
    }


def _order_rows(snapshot_id: int, orders: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    """The rows `executemany` binds, made column-wise from the arrays (no frame rows)."""
    import numpy as np

    created = orders["created_time"]
    seconds = created.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[s]")
    absent = np.isnat(seconds)
    times: list[Any] = seconds.view("i8").tolist()
    if absent.any():
        for index in np.flatnonzero(absent).tolist():
            times[index] = None
    return zip(
        repeat(snapshot_id),
        orders["order_id"].astype(str).tolist(),
        _texts(orders["flag"]),
        orders["order_amount"].to_numpy("int64").tolist(),
        orders["units"].to_numpy("int64").tolist(),
        _texts(orders["shipping_provider"]),
        times,
        strict=False,
    )


def _texts(column: pd.Series) -> list[str]:
    """A column's values as text; a category's words made once (absent: empty)."""
    import numpy as np
    import pandas as pd

    if isinstance(column.dtype, pd.CategoricalDtype):
        words = np.array([*(str(word) for word in column.cat.categories), ""], dtype=object)
        codes = column.cat.codes.to_numpy()
        picked: list[str] = words[np.where(codes < 0, len(words) - 1, codes)].tolist()
        return picked
    return column.fillna("").astype(str).tolist()


def _last_order(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT max(rowid) FROM snapshot_orders").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def record(
    path: Path,
    shop: str,
    *,
    as_of: datetime,
    cutoff: datetime,
    exports: Sequence[ExportFingerprint],
    orders: pd.DataFrame,
    command: str,
    recorded_at: datetime | None = None,
) -> Run:
    """Save a snapshot of `orders` (the triage's frame) in one transaction; the same exports at
    the same `as_of` for the same shop replace their earlier snapshot."""
    counts = _counts(orders)
    stamp = (recorded_at or datetime.now(UTC)).astimezone(UTC)
    key = _exports_key(exports)
    as_of_us = _epoch_us(as_of)
    with _for_writing(path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            earlier = con.execute(
                "SELECT id, first_order, last_order FROM snapshots "
                "WHERE shop = ? AND as_of_us = ? AND exports_key = ?",
                (shop, as_of_us, key),
            ).fetchall()
            for old, first, last in earlier:
                con.execute(
                    "DELETE FROM snapshot_orders WHERE rowid BETWEEN ? AND ?", (first, last)
                )
                con.execute("DELETE FROM snapshot_exports WHERE snapshot_id = ?", (old,))
                con.execute("DELETE FROM snapshots WHERE id = ?", (old,))
            cursor = con.execute(
                "INSERT INTO snapshots (shop, recorded_at, as_of, as_of_us, cutoff, command, "
                "exports_key, orders, at_risk_orders, at_risk_units, at_risk_amount, "
                "auto_cancelled_orders, handed_over_orders) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    shop,
                    stamp.isoformat(),
                    as_of.isoformat(),
                    as_of_us,
                    cutoff.isoformat(),
                    command,
                    key,
                    *counts.values(),
                ),
            )
            snapshot_id = int(cursor.lastrowid or 0)
            con.executemany(
                "INSERT INTO snapshot_exports VALUES (?, ?, ?, ?, ?)",
                [(snapshot_id, i, e.name, e.size, e.sha256) for i, e in enumerate(exports)],
            )
            before = _last_order(con)
            con.executemany(
                "INSERT INTO snapshot_orders VALUES (?, ?, ?, ?, ?, ?, ?)",
                _order_rows(snapshot_id, orders),
            )
            last = _last_order(con)
            if last - before != len(orders):  # pragma: no cover - SQLite's rowid rule
                raise sqlite3.DatabaseError("orders not in one rowid range")
            con.execute(
                "UPDATE snapshots SET first_order = ?, last_order = ? WHERE id = ?",
                (before + 1, last, snapshot_id),
            )
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
    return Run(snapshot_id, shop, stamp, as_of, cutoff, command, **counts, exports=tuple(exports))


# --- reading -----------------------------------------------------------------------------------

_RUN_FIELDS = (
    "id, shop, recorded_at, as_of, cutoff, command, orders, at_risk_orders, at_risk_units, "
    "at_risk_amount, auto_cancelled_orders, handed_over_orders"
)


def _runs_where(
    con: sqlite3.Connection, where: str, params: tuple[Any, ...], limit: str = ""
) -> list[Run]:
    rows = con.execute(
        f"SELECT {_RUN_FIELDS} FROM snapshots WHERE {where} "  # noqa: S608
        f"ORDER BY as_of_us{' DESC' if limit else ''}, id{' DESC' if limit else ''} {limit}",
        params,
    ).fetchall()
    found = []
    for row in rows:
        exports = tuple(
            ExportFingerprint(name, size, sha)
            for name, size, sha in con.execute(
                "SELECT name, size, sha256 FROM snapshot_exports WHERE snapshot_id = ? "
                "ORDER BY position",
                (row[0],),
            )
        )
        counts = dict(zip(HISTORY_COLUMNS[2:], (int(value) for value in row[6:]), strict=True))
        found.append(
            Run(
                int(row[0]),
                str(row[1]),
                datetime.fromisoformat(row[2]),
                datetime.fromisoformat(row[3]),
                datetime.fromisoformat(row[4]),
                str(row[5]),
                **counts,
                exports=exports,
            )
        )
    return found


def check(path: Path) -> None:
    """Refuse now a file `record` would refuse (not SQLite, another program's, damaged, newer);
    an absent file is fine. Nothing is created or written."""
    with _for_reading(path):
        pass


def runs(path: Path, shop: str) -> list[Run]:
    """Every snapshot of `shop`, oldest `as_of` first (recording order within one `as_of`);
    an empty list when the file or the shop has none."""
    with _for_reading(path) as con, _told(path):
        return [] if con is None else _runs_where(con, "shop = ?", (shop,))


def latest_before(path: Path, shop: str, moment: datetime, inclusive: bool = False) -> Run | None:
    """The newest snapshot of `shop` judged before `moment` (or at it, with `inclusive`)."""
    with _for_reading(path) as con, _told(path):
        if con is None:
            return None
        compare = "<=" if inclusive else "<"
        found = _runs_where(
            con, f"shop = ? AND as_of_us {compare} ?", (shop, _epoch_us(moment)), "LIMIT 1"
        )
        return found[0] if found else None


def _order_range(con: sqlite3.Connection, run_id: int) -> tuple[int, int]:
    row = con.execute("SELECT first_order, last_order FROM snapshots WHERE id = ?", (run_id,))
    found = row.fetchone()
    return (int(found[0]), int(found[1])) if found else (0, -1)


def run_orders(path: Path, run: Run, columns: Sequence[str] = ORDER_COLUMNS) -> pd.DataFrame:
    """The orders a snapshot kept, in recording order: `columns` (of `ORDER_COLUMNS`), with
    `created_time` as aware UTC datetimes."""
    import numpy as np
    import pandas as pd

    unknown = [name for name in columns if name not in ORDER_COLUMNS]
    if unknown or not columns:
        raise ValueError(f"not order columns: {unknown}")
    with _for_reading(path) as con, _told(path):
        rows = (
            []
            if con is None
            else con.execute(
                f"SELECT {', '.join(columns)} FROM snapshot_orders "  # noqa: S608
                "WHERE rowid BETWEEN ? AND ?",
                _order_range(con, run.id),
            ).fetchall()
        )
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    del rows
    frame: dict[str, Any] = {}
    for name, column in zip(columns, values, strict=True):
        if name in ("order_amount", "units"):
            frame[name] = np.asarray(column, dtype="int64")
        elif name == "created_time":
            seconds = np.array([math.nan if v is None else v for v in column], dtype="float64")
            frame[name] = pd.to_datetime(seconds, unit="s", utc=True)
        else:
            frame[name] = pd.array(column, dtype="str")
    return pd.DataFrame(frame, columns=list(columns))
