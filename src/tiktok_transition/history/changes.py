"""What moved between a recorded snapshot and now: one row per order whose flag changed, that is
new, or that has left the exports. Pure functions over frames, on integer codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

CHANGES_COLUMNS: tuple[str, ...] = (
    "order_id", "was", "now", "order_amount", "units", "shipping_provider", "hours_left",
)  # fmt: skip
# What `compare` reads of a snapshot's orders.
CHANGES_SOURCE: tuple[str, ...] = ("order_id", "flag", "order_amount", "units", "shipping_provider")
# The contract's flag words, in report order (as `triage.Flag`, which this pure module does not
# import so that it stays free of the triage's dependencies).
_FLAGS = ("awaiting_pickup", "to_ship", "auto_cancelled", "unpaid", "handed_over", "cancelled")
_AT_RISK_CODES = (0, 1)
_AUTO_CANCELLED = 2
_HANDED_OVER = 4
_CANCELLED = 5


def _codes(flags: pd.Series) -> np.ndarray:
    """Each flag word's place in `_FLAGS`; -1 for an empty (or unknown) word."""
    import pyarrow as pa

    return _positions(flags.astype(str), pa.array(_FLAGS, pa.large_string()))


def _arrow(values: pd.Series) -> pa.Array:
    import pyarrow as pa

    array = pa.array(values, pa.large_string(), from_pandas=True)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _positions(ids: pd.Series, among: pd.Series | pa.Array) -> np.ndarray:
    """Where each of `ids` is in `among` (unique), -1 where absent: Arrow's hash lookup."""
    import pyarrow as pa
    import pyarrow.compute as pc

    value_set = among if isinstance(among, pa.Array) else _arrow(among)
    found = pc.fill_null(pc.index_in(_arrow(ids), value_set=value_set), -1)
    positions: np.ndarray = found.to_numpy(zero_copy_only=False).astype("int64")
    return positions


def compare(now: pd.DataFrame, was: pd.DataFrame) -> pd.DataFrame:
    """The `CHANGES_COLUMNS` rows: `now` (the triage's frame, in report order) against `was`
    (a snapshot's orders). Orders still there come first, in `now`'s order; then those no longer
    in the exports, by order id. `was` is empty for a new order, `now` for a gone one."""
    import numpy as np
    import pandas as pd

    now_ids = now["order_id"].astype(str)
    at = _positions(now_ids, was["order_id"].astype(str))  # row in the snapshot, -1: new
    now_codes = _codes(now["flag"])
    was_codes = _codes(was["flag"])
    before = np.append(was_codes, -1)[np.where(at >= 0, at, len(was_codes))]
    moved = before != now_codes
    gone = np.ones(len(was), dtype=bool)
    gone[at[at >= 0]] = False
    words = np.array([*_FLAGS, ""], dtype=object)
    left = was[gone].sort_values("order_id", kind="stable")
    kept = now.loc[moved, ["order_id", "order_amount", "units", "shipping_provider", "hours_left"]]
    # Built as whole columns (no concat of frames): each column one array, as the writers expect.
    columns = {
        "order_id": (
            kept["order_id"].astype(str).to_numpy(dtype=object),
            left["order_id"].astype(str).to_numpy(),
        ),
        "was": (words[before[moved]], words[_codes(left["flag"])]),
        "now": (words[now_codes[moved]], np.full(len(left), "", dtype=object)),
        "order_amount": (
            kept["order_amount"].to_numpy("int64"),
            left["order_amount"].to_numpy("int64"),
        ),
        "units": (kept["units"].to_numpy("int64"), left["units"].to_numpy("int64")),
        "shipping_provider": (
            kept["shipping_provider"].astype(str).to_numpy(dtype=object),
            left["shipping_provider"].astype(str).to_numpy(),
        ),
        "hours_left": (kept["hours_left"].to_numpy("float64"), np.full(len(left), np.nan)),
    }
    frame = {}
    for name, (present, absent) in columns.items():
        values = np.concatenate([present, absent])
        text = values.dtype == object or name in ("order_id", "shipping_provider")
        frame[name] = pd.array(values.astype(object), dtype="str") if text else values
    return pd.DataFrame(frame, columns=list(CHANGES_COLUMNS))


@dataclass(frozen=True)
class ChangeCounts:
    """How many orders moved which way: the story told before the table."""

    handed_over: int
    new_at_risk: int
    lost_to_cutoff: int
    cancelled: int
    gone: int
    other: int

    @classmethod
    def of(cls, changes: pd.DataFrame) -> ChangeCounts:
        import numpy as np

        was = _codes(changes["was"])
        now = _codes(changes["now"])
        at_risk_now = np.isin(now, _AT_RISK_CODES)
        new_at_risk = at_risk_now & ~np.isin(was, _AT_RISK_CODES)
        handed = now == _HANDED_OVER
        lost = now == _AUTO_CANCELLED
        cancelled = now == _CANCELLED
        gone = (changes["now"] == "").to_numpy()
        told = new_at_risk | handed | lost | cancelled | gone
        return cls(
            handed_over=int(handed.sum()),
            new_at_risk=int(new_at_risk.sum()),
            lost_to_cutoff=int(lost.sum()),
            cancelled=int(cancelled.sum()),
            gone=int(gone.sum()),
            other=int((~told).sum()),
        )

    @property
    def alarming(self) -> bool:
        """An order newly at risk or newly auto-cancelled (`--fail-on-risk`)."""
        return bool(self.new_at_risk or self.lost_to_cutoff)
