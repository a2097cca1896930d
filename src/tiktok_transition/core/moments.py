"""The moments a triage is judged against: as-of, shutdown, cutoff, and the shop's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tiktok_transition.errors import UsageError


@dataclass(frozen=True)
class Judgement:
    """The moments an order is judged against, all timezone-aware."""

    as_of: datetime
    cutoff: datetime
    shutdown: datetime

    def __post_init__(self) -> None:
        if self.cutoff < self.shutdown:
            raise UsageError("error.cutoff_before_shutdown")

    @property
    def hours_left(self) -> float:
        """Hours from `as_of` to the cutoff, one decimal; negative once it has passed."""
        return round((self.cutoff - self.as_of).total_seconds() / 3600, 1)
