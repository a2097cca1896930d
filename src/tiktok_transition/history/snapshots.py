"""Record a run in the history file: the exports' fingerprints and every order's flag."""

from __future__ import annotations

import hashlib
import mmap
import os
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.flags import AT_RISK
from tiktok_transition.history.schema import ExportFingerprint, Run, for_writing

if TYPE_CHECKING:
    import pandas as pd


_AT_RISK = tuple(flag.value for flag in AT_RISK)  # the rule lives in core.flags


def fingerprint(paths: Sequence[str]) -> tuple[ExportFingerprint, ...]:
    """Name, size and SHA-256 of each export. Standard input (`-`), a pipe or a device was read
    once and not kept: it is named, with neither size nor hash, and never opened again (a
    second reader of a pipe would take part of the export away from the scan)."""
    prints = []
    for path in paths:
        source = Path(path)
        if path == "-" or not source.is_file():
            prints.append(ExportFingerprint("-" if path == "-" else source.name, None, None))
            continue
        try:
            with source.open("rb") as stream:
                size = os.fstat(stream.fileno()).st_size
                digest = hashlib.sha256()
                if size:
                    # One call over the memory map: hashlib drops the interpreter lock for
                    # all of it, so the hash runs beside the reader's threads.
                    with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                        digest.update(mapped)
        except (OSError, ValueError):  # cannot be opened or mapped: named, not fingerprinted
            prints.append(ExportFingerprint(source.name, None, None))
            continue
        prints.append(ExportFingerprint(source.name, size, digest.hexdigest()))
    return tuple(prints)


# --- recording ---------------------------------------------------------------------------------


def _exports_key(exports: Sequence[ExportFingerprint]) -> str:
    text = "\n".join(f"{e.name}\t{e.size}\t{e.sha256}" for e in exports)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def epoch_us(moment: datetime) -> int:
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
    as_of_us = epoch_us(as_of)
    with for_writing(path) as con:
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
