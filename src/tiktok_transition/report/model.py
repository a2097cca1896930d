"""What the HTML report shows, already aggregated: small, typed, free of pandas.

The builder fills it from the frames; the charts and the template only read it. A page of a
million-line export holds a few hundred numbers, the capped tables and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# The rows the tables list at most; the rest is one note away (`plan`, `picklist`).
TABLE_CAP = 3000


@dataclass(frozen=True)
class Totals:
    orders: int
    units: int
    amount: int


@dataclass(frozen=True)
class Headline:
    """The contract's summary, for the top of the page."""

    as_of: datetime
    cutoff: datetime
    shutdown: datetime
    hours_left: float
    orders: int
    at_risk: Totals
    lost: Totals  # auto_cancelled


@dataclass(frozen=True)
class PlanDay:
    day: date
    by_flag: dict[str, int]  # at-risk flag -> orders planned that day
    skipped: bool = False  # a --skip-day day: no pickup

    @property
    def orders(self) -> int:
        return sum(self.by_flag.values())


@dataclass(frozen=True)
class Plan:
    capacity: int
    chosen: bool  # --capacity given (else: the capacity that saves them all)
    needed: int | None  # None: no handover day is left
    days: list[PlanDay]
    orders: int
    missed: dict[str, int]  # flag -> orders no day has room for

    @property
    def missed_orders(self) -> int:
        return sum(self.missed.values())


@dataclass(frozen=True)
class CourierAmount:
    courier: str
    by_flag: dict[str, int]  # at-risk flag -> rupiah

    @property
    def amount(self) -> int:
        return sum(self.by_flag.values())


@dataclass(frozen=True)
class CreatedDay:
    day: date
    by_flag: dict[str, int]  # every flag -> orders created that day

    @property
    def orders(self) -> int:
        return sum(self.by_flag.values())


@dataclass(frozen=True)
class OrderRow:
    order_id: str
    flag: str
    amount: int
    units: int
    courier: str
    day: date | None  # None: misses the cutoff
    pre_order: bool
    cod: bool
    buyer: dict[str, str] | None = None  # only with --include-pii


@dataclass(frozen=True)
class PickRow:
    sku: str
    product: str
    variation: str
    units: int
    orders: int


@dataclass(frozen=True)
class CourierPicks:
    courier: str
    units: int
    orders: int
    rows: list[PickRow]


@dataclass(frozen=True)
class ChecklistProgress:
    platform: str
    title: str
    done: int
    total: int
    checked_on: date


@dataclass(frozen=True)
class Source:
    when: datetime
    day_only: bool
    text: str
    source: str


@dataclass(frozen=True)
class ExportFile:
    name: str
    size: int | None  # None: standard input, not kept
    sha256: str | None


@dataclass(frozen=True)
class HistoryRun:
    """One recorded run of the shop (the history store), for the at-risk pile over time."""

    recorded_at: datetime
    at_risk_orders: int


@dataclass(frozen=True)
class Report:
    lang: str
    made_at: datetime
    headline: Headline
    plan: Plan
    amounts: list[CourierAmount]  # largest first, the tail folded into one
    created: list[CreatedDay]  # oldest first
    orders: list[OrderRow]  # plan order, at most TABLE_CAP
    orders_total: int
    picks: list[CourierPicks]
    picks_total: int  # pick-list lines before the cap
    checklists: list[ChecklistProgress]
    sources: list[Source]
    files: list[ExportFile]
    include_pii: bool = False
    history: list[HistoryRun] | None = None  # None: no history store given
    warnings: dict[str, int] = field(default_factory=dict)

    @property
    def picks_shown(self) -> int:
        return sum(len(courier.rows) for courier in self.picks)
