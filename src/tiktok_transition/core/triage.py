"""Lines -> orders -> flags against the cutoff. Pure functions over frames: no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.flags import (
    COD_PATTERN,
    FLAG_ORDER,
    NEEDS_ACTION,
    PRE_ORDER_PATTERN,
    PROGRESSION,
    W_AMOUNT_VARIES,
    W_CONFLICT,
    W_CREATED_AFTER_SHUTDOWN,
    W_LINES_DISAGREE,
    W_UNKNOWN_STATUS,
    W_UNPARSED_TIME,
    Flag,
    Stage,
    stage_of,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd
    import pyarrow as pa

    from tiktok_transition.core.moments import Judgement


SCAN_COLUMNS: tuple[str, ...] = (
    "order_id", "flag", "status", "substatus", "created_time", "paid_time", "rts_time",
    "shipped_time", "cancelled_time", "hours_left", "lines", "units", "order_amount",
    "payment_method", "cod", "pre_order", "shipping_provider", "tracking_id", "warnings",
)  # fmt: skip
PII_COLUMNS: tuple[str, ...] = ("buyer_username", "recipient", "phone", "address")
_ADDRESS_PARTS = (
    "detail_address", "address_extra", "village", "district", "city", "province", "zipcode",
)  # fmt: skip


def triage(
    lines: pd.DataFrame,
    judgement: Judgement,
    include_pii: bool = False,
    order_codes: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per order, flagged against the cutoff and sorted (see `_sort_order`).

    Order-level values are taken once: text from the order's first line, a time from the first
    of its lines that has one; lines are counted and units summed. Everything is decided on
    integer arrays (codes of the few distinct status words, times as seconds, each order's run
    of lines), and each text column is taken from the lines once, already in report order: no
    Python per order. `order_codes`: the lines' `id_codes`, when the reader has them.
    """
    import numpy as np
    import pandas as pd

    groups = _OrderRuns(lines, order_codes)
    first = groups.first_line
    times = [c for c in lines.columns if isinstance(lines[c].dtype, pd.DatetimeTZDtype)]
    utc = {column: groups.first_present(lines[column]) for column in times}
    judged = _judge(lines, first, utc, judgement, groups)
    started = np.where(np.isnat(utc["paid_time"]), utc["created_time"], utc["paid_time"])
    order = _sort_order(judged.ranks, judged.pre_order, started, _id_key(lines["order_id"])[first])
    picked = first[order]

    skip = {"quantity", "order_amount", "source", "sku_id", "unparsed_time"}
    texts = [c for c in lines.columns if c not in skip and c not in times]
    orders = pd.DataFrame(
        {column: lines[column].take(picked).reset_index(drop=True) for column in texts}
    )
    for column in times:
        orders[column] = _aware(utc[column][order], lines[column].dt.tz)
    amounts = groups.runs(lines["order_amount"].to_numpy("int64"))
    quantities = groups.runs(lines["quantity"].to_numpy("int64"))
    varies = groups.per_order(np.minimum, amounts) != groups.per_order(np.maximum, amounts)
    unparsed = groups.per_order(
        np.logical_or, groups.runs(lines["unparsed_time"].to_numpy(bool))
    ).astype(bool)
    orders["lines"] = np.diff(groups.starts, append=groups.size)[order].astype("int64", copy=False)
    orders["units"] = groups.per_order(np.add, quantities)[order]
    orders["order_amount"] = amounts[groups.starts][order]
    orders["amount_varies"] = varies[order]
    orders["unparsed_time"] = unparsed[order]
    if include_pii:
        orders["address"] = _join_address(orders)
    warnings = _warning_words(
        [
            (W_CREATED_AFTER_SHUTDOWN, judged.created_late[order]),
            (W_UNKNOWN_STATUS, judged.unknown[order]),
            (W_CONFLICT, judged.conflict[order]),
            (W_AMOUNT_VARIES, varies[order]),
            (W_UNPARSED_TIME, unparsed[order]),
            (W_LINES_DISAGREE, judged.disagree[order]),
        ]
    )
    return orders.assign(
        flag=_words(judged.flag_code[order], [f.value for f in Flag]),
        cod=judged.cod[order],
        pre_order=judged.pre_order[order],
        warnings=warnings,
        hours_left=judged.hours_left[order],
    )


class _OrderRuns:
    """Each order's lines as one run: order k is the k-th to appear, its run begins at
    `starts[k]`. An export lists an order's lines together; when it does not (merged files),
    a stable sort makes the runs, keeping each order's lines in file order."""

    def __init__(self, lines: pd.DataFrame, codes: np.ndarray | None = None) -> None:
        import numpy as np

        codes = id_codes(lines["order_id"]) if codes is None else codes
        together = bool((codes[1:] >= codes[:-1]).all())
        self._by_order = None if together else np.argsort(codes, kind="stable")
        ordered = self.runs(codes)
        self.size = len(codes)
        self.starts = np.flatnonzero(np.diff(ordered, prepend=-1)) if len(codes) else codes
        self.first_line = self.runs(np.arange(len(codes)))[self.starts]

    def runs(self, values: np.ndarray) -> np.ndarray:
        """Line values with each order's lines together."""
        return values if self._by_order is None else values[self._by_order]

    def per_order(self, ufunc: np.ufunc, values: np.ndarray) -> np.ndarray:
        """`ufunc` over each order's run of `values` (already in runs)."""
        result: np.ndarray = ufunc.reduceat(values, self.starts) if len(self.starts) else values
        return result

    def first_present(self, times: pd.Series) -> np.ndarray:
        """Each order's time (UTC, no zone) from the first of its lines that has one, or NaT."""
        import numpy as np

        utc = self.runs(times.to_numpy("datetime64[s]"))  # a zone's times as numbers are UTC
        present = ~np.isnat(utc)
        if len(self.starts) == 0:
            return utc[self.starts]
        # The common case: every order's time is on its first line, or on none of its lines.
        on_first = present[self.starts]
        if on_first.all() or not (self.per_order(np.logical_or, present) & ~on_first).any():
            return utc[self.starts]
        where = np.where(present, np.arange(len(utc)), len(utc))
        first = self.per_order(np.minimum, where)
        chosen: np.ndarray = np.append(utc, np.datetime64("NaT", "s"))[first]
        return chosen


def _aware(utc: np.ndarray, tz: Any) -> pd.Series:
    import pandas as pd

    return pd.Series(utc).dt.tz_localize("UTC").dt.tz_convert(tz)


def _join_address(orders: pd.DataFrame) -> pd.Series:
    parts = [orders[c] for c in _ADDRESS_PARTS if c in orders.columns]
    if not parts:
        return orders["order_id"].map(lambda _: "")
    joined = parts[0].astype("str")
    for part in parts[1:]:
        joined = joined.where(part == "", joined.where(joined == "", joined + ", ") + part)
    return joined


@dataclass
class _Judged:
    """Per order, in order of first appearance: the flag and what the report says beside it."""

    flag_code: np.ndarray  # position in list(Flag)
    ranks: np.ndarray  # position in FLAG_ORDER
    cod: np.ndarray
    pre_order: np.ndarray
    unknown: np.ndarray
    conflict: np.ndarray
    created_late: np.ndarray
    hours_left: np.ndarray
    disagree: np.ndarray


def _judge(
    lines: pd.DataFrame,
    first: np.ndarray,
    utc: dict[str, np.ndarray],
    judgement: Judgement,
    groups: _OrderRuns,
) -> _Judged:
    """Flag every order (its `first` line, its times in `utc`): timestamps first, the status
    text to confirm or fill in. Text is judged once per distinct value (a file has a handful of
    status words and payment methods), the rest is array arithmetic."""
    import numpy as np

    stages = list(Stage)
    line_status = _stage_codes(lines["status"], stages)
    line_sub = _stage_codes(lines["substatus"], stages)
    status_code, sub_code = line_status[first], line_sub[first]
    unknown = (status_code == _UNKNOWN) | (sub_code == _UNKNOWN)
    stage, disagree = _agreed_stage(
        groups, np.where(line_sub >= 0, line_sub, line_status), stages, first
    )

    def at(*wanted: Stage) -> np.ndarray:
        # Read from a table of the few codes (-2 unknown, -1 empty, then each stage).
        chosen = np.zeros(len(stages) + 2, dtype=bool)
        chosen[[stages.index(w) + 2 for w in wanted]] = True
        picked: np.ndarray = chosen[stage + 2]
        return picked

    def has(column: str) -> np.ndarray:
        present: np.ndarray = ~np.isnat(utc[column])
        return present

    cod = _matches(lines["payment_method"], COD_PATTERN)[first]
    pre_order = _matches(lines["pre_order"], PRE_ORDER_PATTERN)[first]
    paid, rts = has("paid_time"), has("rts_time")
    shipped = has("shipped_time") | has("delivered_time")
    cancelled_at = has("cancelled_time")

    says_paid = at(Stage.TO_SHIP, Stage.AWAITING_SHIPMENT, Stage.AWAITING_COLLECTION)
    is_cancelled = cancelled_at | at(Stage.CANCELLED)
    is_handed = shipped | at(Stage.HANDED_OVER)
    is_paid = paid | cod | rts | says_paid
    is_arranged = rts | at(Stage.AWAITING_COLLECTION)
    missed = judgement.as_of > judgement.cutoff

    flags = list(Flag)
    conditions = [is_cancelled, is_handed, ~is_paid]
    choices = [Flag.CANCELLED, Flag.HANDED_OVER, Flag.UNPAID]
    if missed:
        conditions.append(np.ones(len(first), dtype=bool))
        choices.append(Flag.AUTO_CANCELLED)
    conditions.append(is_arranged)
    choices.append(Flag.AWAITING_PICKUP)
    flag_code = np.select(
        conditions, [flags.index(c) for c in choices], default=flags.index(Flag.TO_SHIP)
    )

    conflict = (
        (at(Stage.UNPAID) & (paid | rts | shipped))
        | (says_paid & (shipped | cancelled_at))
        | (at(Stage.AWAITING_SHIPMENT) & rts)
        | (at(Stage.HANDED_OVER) & cancelled_at)
    )
    shutdown = np.datetime64(judgement.shutdown.astimezone(UTC).replace(tzinfo=None), "s")
    timed = np.isin(flag_code, [flags.index(f) for f in NEEDS_ACTION])
    rank = {flag: position for position, flag in enumerate(FLAG_ORDER)}
    return _Judged(
        flag_code=flag_code,
        ranks=np.array([rank[f] for f in flags])[flag_code],
        cod=cod,
        pre_order=pre_order,
        unknown=unknown,
        conflict=conflict,
        created_late=utc["created_time"] > shutdown,  # NaT compares False
        hours_left=np.where(timed, judgement.hours_left, math.nan),
        disagree=disagree,
    )


def _agreed_stage(
    groups: _OrderRuns, line_stage: np.ndarray, stages: list[Stage], first: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each order's stage from all its lines (the most advanced, see `PROGRESSION`), and
    whether its lines disagree. An order without a known word on any line keeps its first
    line's code (empty or unknown)."""
    import numpy as np

    # Codes are -2 (unknown), -1 (empty), or a position in `stages`: shifted by 2 to index.
    rank_of = np.full(len(stages) + 2, -1, dtype=np.int64)
    for position, known in enumerate(PROGRESSION):
        rank_of[stages.index(known) + 2] = position
    ranks = groups.runs(rank_of[line_stage + 2])
    high = groups.per_order(np.maximum, ranks)
    low = groups.per_order(np.minimum, np.where(ranks < 0, len(PROGRESSION), ranks))
    disagree = (high >= 0) & (low < high)
    stage_of_rank = np.array([stages.index(known) for known in PROGRESSION], dtype=np.int64)
    stage = np.where(high >= 0, stage_of_rank[np.maximum(high, 0)], line_stage[first])
    return stage, disagree


_UNKNOWN = -2  # a word the tool does not know; -1 is an empty cell


def _stage_codes(words: pd.Series, stages: list[Stage]) -> np.ndarray:
    """The position of each word's stage in `stages`, -1 for empty, -2 for unknown."""

    codes, distinct = _codes(words)
    table = [
        -1 if not str(word).strip() else (stages.index(stage) if stage else _UNKNOWN)
        for word, stage in ((word, stage_of(str(word))) for word in distinct)
    ]
    return _lookup(codes, table, missing=-1)


def _matches(values: pd.Series, pattern: str) -> np.ndarray:
    """Whether each value matches `pattern`, testing each distinct value once."""
    import re

    codes, distinct = _codes(values)
    compiled = re.compile(pattern)
    table = [bool(compiled.search(str(value))) for value in distinct]
    return _lookup(codes, table, missing=False).astype(bool)


def _codes(values: pd.Series) -> tuple[np.ndarray, Any]:
    """Each value's code among the distinct values (-1: missing): a column of categories (as
    the reader makes the word columns) has them already."""
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories
    return pd.factorize(values, sort=False)


def _lookup(codes: np.ndarray, table: list[Any], missing: Any) -> np.ndarray:
    import numpy as np

    values = np.array([*table, missing])
    return values[np.where(codes < 0, len(table), codes)]


def _words(codes: np.ndarray, words: list[str]) -> pd.Series:
    """Text from small integer codes: each word is picked in Arrow (ten times faster than a
    categorical made into text) and handed to pandas as its Arrow-backed text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text: pd.Series = pc.take(pa.array(words, pa.string()), codes).to_pandas()
    return text


def _warning_words(checks: list[tuple[str, np.ndarray]]) -> pd.Series:
    """`a;b` words from boolean masks: one bit per word, one string per mix of bits."""
    import numpy as np

    bits = np.zeros(len(checks[0][1]), dtype=np.int64)
    for position, (_, mask) in enumerate(checks):
        bits |= mask.astype(np.int64) << position
    texts = [
        ";".join(word for position, (word, _) in enumerate(checks) if mix >> position & 1)
        for mix in range(1 << len(checks))
    ]
    return _words(bits, texts)


def _sort_order(
    ranks: np.ndarray, pre_order: np.ndarray, started: np.ndarray, ids: np.ndarray
) -> np.ndarray:
    """The report's order: by flag (at risk first: awaiting_pickup, to_ship), pre-orders first,
    then oldest paid (created, if unpaid) first, then by order id (as a number where every id
    is digits). An absent time sorts last."""
    import numpy as np

    started_key = np.where(np.isnat(started), np.datetime64("9999-12-31", "s"), started)
    seconds = started_key.astype("int64", copy=False)
    if len(seconds) and ranks.min() >= 0 and ranks.max() < 1 << 20:
        # Flag, pre-order and time as one number (time in the low 40 bits: 34,000 years of
        # seconds, the years 1 to 9999 fit), so the sort has two keys instead of four.
        since = seconds - seconds.min()
        later = (~pre_order.astype(bool)).astype(np.int64)
        one = (ranks.astype(np.int64, copy=False) << 41) | (later << 40) | since
        two_keys: np.ndarray = np.lexsort((ids, one))
        return two_keys
    order: np.ndarray = np.lexsort((ids, started_key, ~pre_order.astype(bool), ranks))
    return order


def _id_key(ids: pd.Series) -> np.ndarray:
    """A sort key for order ids: numeric order for 1-19 digit ids, text order otherwise."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if ids.empty:
        return np.zeros(0, dtype=np.uint64)
    try:
        numbers: np.ndarray = pc.cast(pa.array(ids), pa.uint64()).to_numpy()
        return numbers
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.factorize(ids, sort=True)[0]


def keep_flags(orders: pd.DataFrame, flags: set[str]) -> pd.DataFrame:
    return orders[orders["flag"].isin(flags)].reset_index(drop=True) if flags else orders


def id_codes(ids: pd.Series | pa.ChunkedArray) -> npt.NDArray[np.int64]:
    """Each ID's code, numbered in order of first appearance (0, 1, 2, ...; -1 for a missing
    value). IDs that are all plain numbers are hashed as numbers: several times faster than
    text, with the same codes (no leading zeros, so equal numbers mean equal text); and not
    hashed at all when they come in order (`_numbered_in_order`)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(ids, pa.ChunkedArray):
        values = ids
    else:
        values = pa.array(ids, pa.large_string(), from_pandas=True)
    codes: npt.NDArray[np.int64]
    digits_only = (
        len(values) and values.null_count == 0 and pc.all(pc.ascii_is_decimal(values)).as_py()
    )
    if digits_only and not pc.any(pc.starts_with(values, "0")).as_py():
        try:
            numbers = pc.cast(values, pa.uint64()).to_numpy()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass  # longer than 20 digits: hash the text
        else:
            ordered = _numbered_in_order(numbers)
            if ordered is not None:
                return ordered
            codes = pd.factorize(numbers, sort=False)[0].astype(np.int64, copy=False)
            return codes
    text = ids.to_pandas() if isinstance(ids, pa.ChunkedArray) else ids
    codes = pd.factorize(text, sort=False)[0].astype(np.int64, copy=False)
    return codes


def _numbered_in_order(numbers: np.ndarray) -> npt.NDArray[np.int64] | None:
    """The codes of numbers that come in runs (an order's lines together) whose values only
    rise or only fall from run to run (an export listed by order ID, either way): then no
    value comes back after its run, and each run's code is its position. None otherwise."""
    import numpy as np

    if len(numbers) == 0:
        return None
    change = numbers[1:] != numbers[:-1]
    firsts = numbers[np.concatenate(([True], change))]
    rising = bool((firsts[1:] > firsts[:-1]).all())
    if not rising and not bool((firsts[1:] < firsts[:-1]).all()):
        return None
    codes = np.zeros(len(numbers), dtype=np.int64)
    np.cumsum(change, out=codes[1:])
    return codes
