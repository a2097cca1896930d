"""Merge several exports: identical lines once, each order from its newest file."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tiktok_transition.core.triage import id_codes
from tiktok_transition.reader.layout import TIME_FIELDS

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd
    import pyarrow as pa


# --- merging ---------------------------------------------------------------------------------


def _evidence(lines: pd.DataFrame) -> pd.Series:
    present = [column for column in TIME_FIELDS if column in lines.columns]
    return lines[present].max(axis=1)


def merge_sources(lines: pd.DataFrame) -> pd.DataFrame:
    """An order seen in several exports is taken from the one with its newest evidence."""
    evidence = _evidence(lines).fillna(lines["created_time"])
    keyed = lines.assign(_evidence=evidence)
    best = keyed.groupby(["order_id", "source"], sort=False)["_evidence"].max().reset_index()
    # Newest evidence wins; on a tie, the file named last on the command line.
    best = best.sort_values(["_evidence", "source"], na_position="first").drop_duplicates(
        "order_id", keep="last"
    )
    chosen = keyed.merge(best[["order_id", "source"]], on=["order_id", "source"])
    return chosen.drop(columns="_evidence")


def repeat_candidates(
    order_codes: npt.NDArray[np.int64], sku_ids: pd.Series | pa.ChunkedArray | None
) -> npt.NDArray[np.bool_]:
    """The lines that may repeat another line: those that share their order and SKU with
    another (`order_codes`: the lines' `id_codes`; `sku_ids`: their SKU IDs, if read)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    # Lines can only be identical if their order is, so only orders of several lines are
    # looked at: when each order's lines lie together (codes never go back), those are the
    # lines beside another of their order.
    shared = np.ones(len(order_codes), dtype=bool)
    if len(order_codes) > 1 and bool((order_codes[1:] >= order_codes[:-1]).all()):
        same_as_next = order_codes[1:] == order_codes[:-1]
        shared = np.append(same_as_next, False) | np.insert(same_as_next, 0, False)
    # Then their (order, SKU) pairs, as one integer each: far faster to hash than two texts.
    key = order_codes[shared]
    if sku_ids is not None:
        if isinstance(sku_ids, pa.ChunkedArray):
            sku_codes = id_codes(sku_ids.filter(pa.array(shared)))
        else:
            sku_codes = id_codes(sku_ids[shared])
        key = key * (int(sku_codes.max(initial=0)) + 2) + sku_codes
    candidates = np.zeros(len(order_codes), dtype=bool)
    candidates[shared] = pd.Series(key).duplicated(keep=False).to_numpy()
    return candidates


def drop_identical_lines(
    lines: pd.DataFrame,
    order_codes: npt.NDArray[np.int64],
    candidates: npt.NDArray[np.bool_] | None = None,
) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """A line seen twice counts once; only lines equal in every column read are identical.
    `order_codes` (the lines' `id_codes`) are returned for the lines kept: still numbered by
    first appearance, since only a repeat is dropped. `candidates`: `repeat_candidates`, when
    the reader found them."""
    if candidates is None:
        skus = lines["sku_id"] if "sku_id" in lines.columns else None
        candidates = repeat_candidates(order_codes, skus)
    if not candidates.any():
        return lines, order_codes
    compare = [column for column in lines.columns if column != "source"]
    repeated = lines[candidates].duplicated(compare)
    kept = ~lines.index.isin(repeated[repeated].index)
    return lines[kept].reset_index(drop=True), order_codes[kept]


def newest_evidence_of(lines: pd.DataFrame) -> datetime | None:
    if lines.empty:
        return None
    # Column by column: a row-wise max over six time columns is ten times slower.
    maxima = [lines[c].max() for c in TIME_FIELDS if c in lines.columns]
    present = [m for m in maxima if m is not None and m == m]
    return max(present).to_pydatetime() if present else None
