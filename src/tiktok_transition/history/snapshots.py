"""Record a run in the history file: the exports' fingerprints and every order's flag."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.flags import AT_RISK
from tiktok_transition.history.schema import ExportFingerprint, Run, for_writing

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa


_AT_RISK = tuple(flag.value for flag in AT_RISK)  # the rule lives in core.flags


# --- recording ---------------------------------------------------------------------------------


def _exports_key(exports: Sequence[ExportFingerprint]) -> str:
    text = "\n".join(f"{e.name}\t{e.size}\t{e.sha256}" for e in exports)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def epoch_us(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


_ROWS_PER_INSERT = 500  # orders per INSERT statement (fewer if SQLite allows fewer variables)
_ORDER_FIELDS = 6  # bound per order: ORDER_COLUMNS (the snapshot id is written in the SQL)


class _Orders:
    """A snapshot's orders as SQLite holds them: one int64 row per order (order id, flag code,
    amount, units, courier code, created time), made column-wise from the frame's arrays. The
    few cells that are not integers (an order id that is not a plain decimal integer, an absent
    creation time) are kept apart, by their place in the flattened rows."""

    def __init__(self, orders: pd.DataFrame) -> None:
        import numpy as np
        import pyarrow as pa

        table = np.empty((len(orders), _ORDER_FIELDS), dtype="int64")
        # Flags and couriers: their place in these word lists until `code` gives the file's.
        self.flag_words, table[:, 1] = _words(orders["flag"])
        self.courier_words, table[:, 4] = _words(orders["shipping_provider"])
        table[:, 2] = orders["order_amount"].to_numpy("int64")
        table[:, 3] = orders["units"].to_numpy("int64")
        created = orders["created_time"]
        seconds = created.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[s]")
        table[:, 5] = seconds.view("int64")
        others: list[tuple[np.ndarray, list[Any]]] = []  # (places in the flat rows, values)
        absent = np.flatnonzero(np.isnat(seconds))
        if len(absent):
            others.append((absent * _ORDER_FIELDS + 5, [None] * len(absent)))
        ids = pa.array(orders["order_id"].astype(str), pa.large_string(), from_pandas=True)
        ids = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
        table[:, 0], plain = _integer_ids(ids)
        texts = np.flatnonzero(~plain)
        if len(texts):
            others.append((texts * _ORDER_FIELDS, ids.take(pa.array(texts)).to_pylist()))
        places = np.concatenate([at for at, _ in others]) if others else np.empty(0, "int64")
        values = [value for _, found in others for value in found]
        order = np.argsort(places, kind="stable")
        self.table = table
        self.places = places[order]
        self.values = [values[i] for i in order.tolist()]

    def counts(self) -> dict[str, int]:
        """The `history` counts of these orders."""
        import numpy as np

        flags = self.table[:, 1]
        place = {word: i for i, word in enumerate(self.flag_words)}
        at_risk = np.isin(flags, [place[word] for word in _AT_RISK if word in place])
        return {
            "orders": len(self.table),
            "at_risk_orders": int(at_risk.sum()),
            "at_risk_units": int(self.table[at_risk, 3].sum()),
            "at_risk_amount": int(self.table[at_risk, 2].sum()),
            "auto_cancelled_orders": int((flags == place.get("auto_cancelled", -1)).sum()),
            "handed_over_orders": int((flags == place.get("handed_over", -1)).sum()),
        }

    def code(self, con: sqlite3.Connection) -> None:
        """The flags and couriers as the file's codes (words it has not seen yet added)."""
        for column, table, name, words in (
            (1, "flags", "flag", self.flag_words),
            (4, "shipping_providers", "shipping_provider", self.courier_words),
        ):
            if words:
                self.table[:, column] = _file_codes(con, table, name, words)[self.table[:, column]]

    def batches(self, rows: int) -> Iterator[list[Any]]:
        """The rows, `rows` at a time, flattened into the parameters of one INSERT each."""
        import numpy as np

        fields = _ORDER_FIELDS
        for start in range(0, len(self.table), rows):
            params: list[Any] = self.table[start : start + rows].ravel().tolist()
            first = start * fields
            low, high = np.searchsorted(self.places, [first, first + rows * fields])
            for at in range(int(low), int(high)):
                params[int(self.places[at]) - first] = self.values[at]
            yield params


def _words(column: pd.Series) -> tuple[list[str], np.ndarray]:
    """A column's distinct words (an absent value: "") and each value's place among them."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column.dtype, pd.CategoricalDtype):
        words = [str(word) for word in column.cat.categories]
        places = column.cat.codes.to_numpy().astype("int64")
    else:
        encoded = pa.array(column, pa.large_string(), from_pandas=True)
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.combine_chunks()
        encoded = encoded.dictionary_encode()
        words = [str(word) for word in encoded.dictionary.to_pylist()]
        indices = pc.fill_null(encoded.indices, -1)
        places = indices.to_numpy(zero_copy_only=False).astype("int64")
    if (places < 0).any():
        places = np.where(places < 0, len(words), places)
        words.append("")
    return words, places


def _file_codes(con: sqlite3.Connection, table: str, name: str, words: list[str]) -> np.ndarray:
    """The code in the file's `table` of each of `words`, in order (new words added)."""
    import numpy as np

    con.executemany(f"INSERT OR IGNORE INTO {table} ({name}) VALUES (?)", [(w,) for w in words])
    known = dict(con.execute(f"SELECT {name}, code FROM {table}").fetchall())
    return np.array([known[word] for word in words], dtype="int64")


def _integer_ids(ids: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The ids as int64, and where that is exact: a plain decimal integer that reads back as
    the same text ("0123", "+5" or "12a" stay text; their int64 is 0)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        numbers = pc.cast(ids, pa.int64())
        plain = pc.equal(pc.cast(numbers, pa.large_string()), ids)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        plain = pc.match_substring_regex(ids, r"^(0|-?[1-9][0-9]{0,17})$")
        numbers = pc.cast(pc.if_else(plain, ids, "0"), pa.int64())
    exact = plain.to_numpy(zero_copy_only=False).astype(bool)
    return numbers.to_numpy(zero_copy_only=False), exact


def _insert_orders(con: sqlite3.Connection, snapshot_id: int, rows: _Orders) -> None:
    """Many orders per INSERT: SQLite steps through each statement's rows without the
    interpreter lock, and the snapshot id is written once per statement, not bound per order."""
    limit = con.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // _ORDER_FIELDS
    per = max(1, min(_ROWS_PER_INSERT, limit))
    one = f"({int(snapshot_id)}, ?, ?, ?, ?, ?, ?)"
    statement = ""
    for params in rows.batches(per):
        count = len(params) // _ORDER_FIELDS
        if count != per or not statement:
            statement = f"INSERT INTO snapshot_order_rows VALUES {', '.join([one] * count)}"
        con.execute(statement, params)


def _last_order(con: sqlite3.Connection) -> int:
    row = con.execute("SELECT max(rowid) FROM snapshot_order_rows").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def record(
    path: Path,
    shop: str,
    *,
    as_of: datetime,
    cutoff: datetime,
    exports: Sequence[ExportFingerprint] | Callable[[], Sequence[ExportFingerprint]],
    orders: pd.DataFrame,
    command: str,
    recorded_at: datetime | None = None,
) -> Run:
    """Save a snapshot of `orders` (the triage's frame) in one transaction; the same exports at
    the same `as_of` for the same shop replace their earlier snapshot. `exports` may be a
    function that waits for the fingerprints: it is called once the orders are written (inside
    the transaction), so a hash still being finished elsewhere overlaps with the writing."""
    rows = _Orders(orders)
    counts = rows.counts()
    stamp = (recorded_at or datetime.now(UTC)).astimezone(UTC)
    as_of_us = epoch_us(as_of)
    with for_writing(path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
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
                    f"pending {secrets.token_hex(16)}",  # until the exports' key is known
                    *counts.values(),
                ),
            )
            snapshot_id = int(cursor.lastrowid or 0)
            rows.code(con)
            before = _last_order(con)
            _insert_orders(con, snapshot_id, rows)
            last = _last_order(con)
            if last - before != len(orders):  # pragma: no cover - SQLite's rowid rule
                raise sqlite3.DatabaseError("orders not in one rowid range")
            prints = tuple(exports() if callable(exports) else exports)
            key = _exports_key(prints)
            earlier = con.execute(
                "SELECT id, first_order, last_order FROM snapshots "
                "WHERE shop = ? AND as_of_us = ? AND exports_key = ?",
                (shop, as_of_us, key),
            ).fetchall()
            for old, first, end in earlier:
                con.execute(
                    "DELETE FROM snapshot_order_rows WHERE rowid BETWEEN ? AND ?", (first, end)
                )
                con.execute("DELETE FROM snapshot_exports WHERE snapshot_id = ?", (old,))
                con.execute("DELETE FROM snapshots WHERE id = ?", (old,))
            con.execute(
                "UPDATE snapshots SET exports_key = ?, first_order = ?, last_order = ? "
                "WHERE id = ?",
                (key, before + 1, last, snapshot_id),
            )
            con.executemany(
                "INSERT INTO snapshot_exports VALUES (?, ?, ?, ?, ?)",
                [(snapshot_id, i, e.name, e.size, e.sha256) for i, e in enumerate(prints)],
            )
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
    return Run(snapshot_id, shop, stamp, as_of, cutoff, command, **counts, exports=prints)
