"""The summary of a triage: counts, units and rupiah per flag, and the time left."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiktok_transition.core.flags import AT_RISK, FLAG_ORDER

if TYPE_CHECKING:
    import pandas as pd

    from tiktok_transition.core.moments import Judgement


def summarize(orders: pd.DataFrame, judgement: Judgement) -> dict[str, Any]:
    """The contract's summary object: counts, units and rupiah per flag, and at risk."""
    by_flag: dict[str, dict[str, int]] = {}
    grouped = orders.groupby("flag")
    counts = grouped.size()
    units = grouped["units"].sum()
    amounts = grouped["order_amount"].sum()
    for flag in FLAG_ORDER:
        present = flag.value in counts.index
        by_flag[flag.value] = {
            "orders": int(counts[flag.value]) if present else 0,
            "units": int(units[flag.value]) if present else 0,
            "amount": int(amounts[flag.value]) if present else 0,
        }
    at_risk = {
        key: sum(by_flag[flag.value][key] for flag in AT_RISK)
        for key in ("orders", "units", "amount")
    }
    warnings: dict[str, int] = {}
    # Each distinct combination of words once: far fewer than the orders.
    for words, count in orders["warnings"].value_counts(dropna=False).items():
        for word in filter(None, str(words).split(";")):
            warnings[word] = warnings.get(word, 0) + int(count)
    return {
        "as_of": judgement.as_of.isoformat(),
        "cutoff": judgement.cutoff.isoformat(),
        "hours_left": judgement.hours_left,
        "orders": len(orders),
        "by_flag": by_flag,
        "at_risk": at_risk,
        "warnings": dict(sorted(warnings.items())),
    }
