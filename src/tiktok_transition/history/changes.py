"""What moved between a recorded snapshot and now: one row per order whose flag changed, that is
new, or that has left the exports. Pure functions over frames, on integer codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

CHANGES_COLUMNS: tuple[str, ...] = (
    "order_id", "was", "now", "order_amount", "units", "shipping_provider", "hours_left",
)  # fmt: skip
# The contract's flag words, in report order (as `triage.Flag`, which this pure module does not
# import so that it stays free of the triage's dependencies).
_FLAGS = ("awaiting_pickup", "to_ship", "auto_cancelled", "unpaid", "handed_over", "cancelled")
_AT_RISK_CODES = (0, 1)
_AUTO_CANCELLED = 2
_HANDED_OVER = 4
_CANCELLED = 5


def _codes(flags: pd.Series) -> np.ndarray:
    import pandas as pd

    return pd.Categorical(flags.astype(str), categories=list(_FLAGS)).codes.astype("int64")


def compare(now: pd.DataFrame, was: pd.DataFrame) -> pd.DataFrame:
    """The `CHANGES_COLUMNS` rows: `now` (the triage's frame, in report order) against `was`
    (a snapshot's orders). Orders still there come first, in `now`'s order; then those no longer
    in the exports, by order id. `was` is empty for a new order, `now` for a gone one."""
    import numpy as np
    import pandas as pd

    was_ids = pd.Index(was["order_id"].astype(str))
    now_ids = pd.Index(now["order_id"].astype(str))
    at = was_ids.get_indexer(now_ids)  # each order's row in the snapshot, -1 when new
    now_codes = _codes(now["flag"])
    was_codes = _codes(was["flag"])
    before = np.where(at >= 0, was_codes[np.maximum(at, 0)], -1)
    moved = before != now_codes
    gone = np.ones(len(was), dtype=bool)
    gone[at[at >= 0]] = False
    words = np.array([*_FLAGS, ""], dtype=object)
    present = pd.DataFrame(
        {
            "order_id": now_ids[moved].to_numpy(),
            "was": words[before[moved]],
            "now": words[now_codes[moved]],
            "order_amount": now["order_amount"].to_numpy("int64")[moved],
            "units": now["units"].to_numpy("int64")[moved],
            "shipping_provider": now["shipping_provider"].astype(str).to_numpy()[moved],
            "hours_left": now["hours_left"].to_numpy("float64")[moved],
        }
    )
    left = was[gone].sort_values("order_id", kind="stable")
    absent = pd.DataFrame(
        {
            "order_id": left["order_id"].astype(str).to_numpy(),
            "was": words[_codes(left["flag"])],
            "now": "",
            "order_amount": left["order_amount"].to_numpy("int64"),
            "units": left["units"].to_numpy("int64"),
            "shipping_provider": left["shipping_provider"].astype(str).to_numpy(),
            "hours_left": np.full(len(left), np.nan),
        }
    )
    rows = pd.concat([present, absent], ignore_index=True) if len(absent) else present
    return rows.astype(
        {
            "order_id": "str",
            "was": "str",
            "now": "str",
            "order_amount": "int64",
            "units": "int64",
            "shipping_provider": "str",
            "hours_left": "float64",
        }
    ).loc[:, list(CHANGES_COLUMNS)]


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
