"""The summary of a triage: counts, units and rupiah per flag, and the time left."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.flags import AT_RISK, FLAG_ORDER

if TYPE_CHECKING:
    import pandas as pd

    from tiktok_transition.core.moments import Judgement


@dataclass(frozen=True)
class Tally:
    """Orders, units and rupiah of one flag (or of several together)."""

    orders: int = 0
    units: int = 0
    amount: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.orders + other.orders, self.units + other.units, self.amount + other.amount
        )


@dataclass(frozen=True)
class Summary:
    """What `summary` reports: every flag's tally (in FLAG_ORDER), the at-risk total, warnings."""

    as_of: datetime
    cutoff: datetime
    hours_left: float
    orders: int
    by_flag: dict[str, Tally]
    at_risk: Tally
    warnings: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """The contract's summary object (`summary --format json`)."""
        return {
            "as_of": self.as_of.isoformat(),
            "cutoff": self.cutoff.isoformat(),
            "hours_left": self.hours_left,
            "orders": self.orders,
            "by_flag": {flag: asdict(tally) for flag, tally in self.by_flag.items()},
            "at_risk": asdict(self.at_risk),
            "warnings": dict(self.warnings),
        }


def summarize(orders: pd.DataFrame, judgement: Judgement) -> Summary:
    """Counts, units and rupiah per flag, and at risk."""
    grouped = orders.groupby("flag")
    counts = grouped.size()
    units = grouped["units"].sum()
    amounts = grouped["order_amount"].sum()
    by_flag: dict[str, Tally] = {}
    for flag in FLAG_ORDER:
        present = flag.value in counts.index
        by_flag[flag.value] = (
            Tally(int(counts[flag.value]), int(units[flag.value]), int(amounts[flag.value]))
            if present
            else Tally()
        )
    at_risk = sum((by_flag[flag.value] for flag in AT_RISK), Tally())
    warnings: dict[str, int] = {}
    # Each distinct combination of words once: far fewer than the orders.
    for words, count in orders["warnings"].value_counts(dropna=False).items():
        for word in filter(None, str(words).split(";")):
            warnings[word] = warnings.get(word, 0) + int(count)
    return Summary(
        as_of=judgement.as_of,
        cutoff=judgement.cutoff,
        hours_left=judgement.hours_left,
        orders=len(orders),
        by_flag=by_flag,
        at_risk=at_risk,
        warnings=dict(sorted(warnings.items())),
    )
