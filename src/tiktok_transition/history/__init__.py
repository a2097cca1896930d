"""The history of recorded runs: one SQLite file, per shop, with no buyer data in it.

Pure: the standard library's `sqlite3` and pandas/numpy arrays; raises `HistoryError` (a
`TransitionError`, so the CLI turns it into one sentence and exit 2); never prints.

Public API (stable: other commands, such as the HTML report, read the history through it):

- `resolve_path(path)`: `path`, else `TIKTOK_TRANSITION_HISTORY`, else `history.sqlite3` in
  platformdirs' user data directory.
- `fingerprint(paths)`: an `ExportFingerprint` (name, size, sha256) per export read;
  `Fingerprinting(paths)` takes them in a low-priority thread, `.result()` finishes them.
- `record(path, shop, as_of=..., cutoff=..., exports=..., orders=..., command=...) -> Run`:
  saves one snapshot in one transaction; the same exports at the same `as_of` for the same shop
  replace their earlier snapshot (one is kept). `orders` is the triage's frame; only
  `ORDER_COLUMNS` are kept.
- `check(path)`: refuses now a file `record` would refuse; creates and writes nothing.
- `runs(path, shop) -> list[Run]`: every snapshot of a shop, oldest `as_of` first; a `Run`
  carries the `HISTORY_COLUMNS` (`Run.row()`), its cutoff and the exports' fingerprints.
- `latest_before(path, shop, moment, inclusive=False) -> Run | None`: the newest snapshot whose
  `as_of` is before `moment` (or at it, with `inclusive`).
- `run_orders(path, run, columns=ORDER_COLUMNS) -> pandas.DataFrame`: the orders of a
  snapshot (`created_time` as aware UTC datetimes).
- `compare(now, was) -> pandas.DataFrame`: the `CHANGES_COLUMNS` rows between two sets of
  orders (`was` needs the `CHANGES_SOURCE` columns); `ChangeCounts.of(changes)` counts them
  for a story.

The file: WAL mode, a busy timeout, one transaction per snapshot (two cron jobs recording at
once both land), a `schema_version` table with migrations from version 1. A file that is not
SQLite, an SQLite database of another program, a damaged one or one from a newer schema is a
`HistoryError`; the file is never deleted or rewritten.
"""

from tiktok_transition.history.changes import (
    CHANGES_COLUMNS,
    CHANGES_SOURCE,
    ChangeCounts,
    compare,
)
from tiktok_transition.history.prints import Fingerprinting, fingerprint
from tiktok_transition.history.runs import latest_before, run_orders, runs
from tiktok_transition.history.schema import (
    HISTORY_COLUMNS,
    HISTORY_ENV,
    ORDER_COLUMNS,
    SCHEMA_VERSION,
    ExportFingerprint,
    HistoryError,
    Run,
    check,
    resolve_path,
)
from tiktok_transition.history.snapshots import record

__all__ = [
    "CHANGES_COLUMNS",
    "CHANGES_SOURCE",
    "HISTORY_COLUMNS",
    "HISTORY_ENV",
    "ORDER_COLUMNS",
    "SCHEMA_VERSION",
    "ChangeCounts",
    "ExportFingerprint",
    "Fingerprinting",
    "HistoryError",
    "Run",
    "check",
    "compare",
    "fingerprint",
    "latest_before",
    "record",
    "resolve_path",
    "run_orders",
    "runs",
]
