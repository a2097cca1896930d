"""Read the history file back: the runs recorded, and a run's orders."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiktok_transition.history.schema import (
    HISTORY_COLUMNS,
    ORDER_COLUMNS,
    ExportFingerprint,
    Run,
    for_reading,
    sqlite_errors_told,
)
from tiktok_transition.history.snapshots import epoch_us

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


# --- reading -----------------------------------------------------------------------------------

_RUN_FIELDS = (
    "id, shop, recorded_at, as_of, cutoff, command, orders, at_risk_orders, at_risk_units, "
    "at_risk_amount, auto_cancelled_orders, handed_over_orders"
)


def _runs_where(
    con: sqlite3.Connection, where: str, params: tuple[Any, ...], limit: str = ""
) -> list[Run]:
    rows = con.execute(
        f"SELECT {_RUN_FIELDS} FROM snapshots WHERE {where} "
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


def runs(path: Path, shop: str) -> list[Run]:
    """Every snapshot of `shop`, oldest `as_of` first (recording order within one `as_of`);
    an empty list when the file or the shop has none."""
    with for_reading(path) as con, sqlite_errors_told(path):
        return [] if con is None else _runs_where(con, "shop = ?", (shop,))


def latest_before(path: Path, shop: str, moment: datetime, inclusive: bool = False) -> Run | None:
    """The newest snapshot of `shop` judged before `moment` (or at it, with `inclusive`)."""
    with for_reading(path) as con, sqlite_errors_told(path):
        if con is None:
            return None
        compare = "<=" if inclusive else "<"
        found = _runs_where(
            con, f"shop = ? AND as_of_us {compare} ?", (shop, epoch_us(moment)), "LIMIT 1"
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
    words: dict[str, dict[int, str]] = {}
    count, texts = 0, [""] * len(columns)
    with for_reading(path) as con, sqlite_errors_told(path):
        if con is not None:
            # Each column as one text made by SQLite (no Python row per order): the integers
            # comma-separated, the ids and times (text or absent at places) as a JSON array.
            # One pass over the rows, so the columns line up.
            made = ", ".join(_AS_TEXT.get(name, f"group_concat({name})") for name in columns)
            count, *texts = con.execute(
                f"SELECT count(*), {made} FROM snapshot_order_rows WHERE rowid BETWEEN ? AND ?",
                _order_range(con, run.id),
            ).fetchone()
            for name, table in _CODED.items():
                if name in columns:
                    found = con.execute(f"SELECT code, {name} FROM {table}").fetchall()
                    words[name] = dict(found)
    frame: dict[str, Any] = {}
    for name, text in zip(columns, texts, strict=True):
        if name == "order_id":
            frame[name] = _texts(json.loads(text) if count else [])
        elif name == "created_time":
            seconds = [math.nan if v is None else v for v in (json.loads(text) if count else [])]
            frame[name] = pd.to_datetime(np.array(seconds, dtype="float64"), unit="s", utc=True)
        else:
            numbers = _integers(text or "", count)
            frame[name] = _decoded(numbers, words[name]) if name in words else numbers
    return pd.DataFrame(frame, columns=list(columns))


# The order columns that may hold text or nothing, read as JSON arrays.
_AS_TEXT = {
    "order_id": "json_group_array(order_id)",
    "created_time": "json_group_array(created_time)",
}


def _integers(text: str, count: int) -> np.ndarray:
    """`count` comma-separated integers."""
    import numpy as np

    numbers: np.ndarray = (
        np.fromstring(text, dtype="int64", sep=",") if count else np.empty(0, "int64")
    )
    if len(numbers) != count:  # pragma: no cover - the columns are NOT NULL integers
        raise sqlite3.DatabaseError("a snapshot's column is not whole")
    return numbers


# The order columns kept as codes, and the tables of their words.
_CODED = {"flag": "flags", "shipping_provider": "shipping_providers"}


def _decoded(codes: np.ndarray, words: dict[int, str]) -> Any:
    """Codes as their words (a string array)."""
    import numpy as np
    import pandas as pd

    if not len(codes):
        return pd.array([], dtype="str")
    lookup = np.full(max(max(words, default=0), int(codes.max())) + 1, "", dtype=object)
    for code, word in words.items():
        lookup[code] = word
    return pd.array(lookup[codes], dtype="str")


def _texts(values: Sequence[Any]) -> Any:
    """Order ids as text: integers (the usual) converted in one go, others one by one."""
    import pandas as pd
    import pyarrow as pa

    try:
        array = pa.array(values, pa.int64()).cast(pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        array = pa.array([str(value) for value in values], pa.large_string())
    return pd.array(array, dtype="str")
