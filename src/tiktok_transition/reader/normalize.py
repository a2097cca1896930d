"""Normalize the raw columns of an export: trim, check IDs, parse money and times."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.money import parse_rupiah
from tiktok_transition.core.parallel import all_of
from tiktok_transition.core.triage import id_codes
from tiktok_transition.errors import ExportError
from tiktok_transition.reader import resaved
from tiktok_transition.reader.layout import FEW_WORDS, FIELDS, MONEY_FIELDS, TIME_FIELDS, Lines
from tiktok_transition.reader.merge import repeat_candidates
from tiktok_transition.reader.times import finish_times, parse_time_column, read_time_columns

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd
    import pyarrow as pa

    from tiktok_transition.reader.layout import ReadOptions


# A number a spreadsheet wrote in scientific notation: the digits past the 15th are gone.
_DESTROYED_ID = re.compile(r"^\s*\d+(?:[.,]\d+)?[eE][+]?\d+\s*$")
_DESCRIPTION_ID = re.compile(r"[A-Za-z]{3,}")
# --- normalizing -------------------------------------------------------------------------------


def normalize(
    handed: list[pa.Table], name: str, options: ReadOptions, row_numbers: Sequence[int] | None
) -> Lines:
    """Trim every text, drop the XLSX description row, check IDs, parse times and money; and
    number each line's order (`id_codes`).

    The raw table comes in a one-item list, which this empties: with no other reference to
    it, each raw column is freed as soon as it is converted (a table passed as an argument
    would live, whole, until the call returns: at a million lines, 240 MB more at the peak).
    `row_numbers` are the lines' rows in the sheet (XLSX); None means CSV rows, the header
    being row 1. They only serve to name a row in an error message.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    table = handed.pop()
    # Times the CSV reader already read (`read_times`), kept beside the raw columns they
    # came from: every row taken or dropped below is taken or dropped in both.
    ahead_names = [
        name for field in TIME_FIELDS for name in read_time_columns(field)
        if name in table.column_names
    ]  # fmt: skip
    ahead = table.select(ahead_names) if ahead_names else None
    table = table.drop_columns(ahead_names)
    notices: list[tuple[str, dict[str, Any]]] = []
    # Each line's row in the sheet, for error messages; None while they are the CSV's lines
    # in order (row = position + 2, the header being row 1).
    rows = None if row_numbers is None else np.asarray(row_numbers, dtype=np.int64)
    # IDs first, trimmed of the export's trailing tab: they decide which rows are lines. Times
    # keep theirs (the time formats allow trailing white space): the largest columns are not
    # copied just to trim them. Other text is trimmed as it is converted, a column at a time.
    ids = [column for column in ("order_id", "sku_id") if column in table.column_names]
    trimmed = all_of([partial(pc.utf8_trim_whitespace, table.column(column)) for column in ids])
    for column, values in zip(ids, trimmed, strict=True):
        table = table.set_column(table.column_names.index(column), column, values)
    if rows is not None and _has_description_row(table):  # XLSX only
        table, rows = table.slice(1), rows[1:]
    order_ids = table.column("order_id")
    empty = pc.equal(order_ids, "")
    if pc.any(empty).as_py():
        keep = pc.invert(empty)
        others = [
            pc.utf8_trim_whitespace(table.column(c)) for c in table.column_names if c != "order_id"
        ]
        # A row with nothing at all in it (a spreadsheet's trailing ";;;;") is not worth a word.
        filled = [pc.not_equal(column, "") for column in others]
        something = filled[0] if filled else pc.equal(order_ids, "x")
        for mask in filled[1:]:
            something = pc.or_(something, mask)
        blank: int = pc.sum(pc.cast(pc.and_(empty, something), pa.int64())).as_py() or 0
        if rows is None:
            rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
        table, rows = table.filter(keep), rows[keep.to_numpy(zero_copy_only=False)]
        ahead = ahead.filter(keep) if ahead is not None else None
        if blank:
            notices.append(("notice.rows_without_order_id", {"file": name, "count": blank}))
    numbers = [c for c in (*MONEY_FIELDS, "quantity") if c in options.fields]
    texts = [c for c in table.column_names if c not in TIME_FIELDS and c not in numbers]
    present = {c: FIELDS[c] for c in TIME_FIELDS if c in table.column_names}
    # The checks, by two workers too; a refusal is raised in this order all the same (IDs a
    # spreadsheet destroyed, then times in two layouts). Each line's order as a number first:
    # the longest to make. Error codes in the word columns are counted on their few distinct
    # words, as they are converted.
    work: list[Callable[[], Any]] = [
        partial(
            _order_keys,
            table.column("order_id"),
            table.column("sku_id") if "sku_id" in ids else None,
        ),
        *(partial(_refuse_destroyed_ids, table.column(c), FIELDS[c], name) for c in ids),
        partial(resaved.refuse_mixed_layouts, table, present, name),
        partial(resaved.error_code_counts, table, [c for c in texts if c not in FEW_WORDS]),
    ]
    # Every column is converted by the same two workers (Arrow's and numpy's kernels run
    # outside the GIL; a small export does it all in this thread, see `core.parallel`): the
    # times first, the longest to make when the reader has not read them ahead. Each raw
    # column leaves the table as it is handed over, and is freed once converted; the frame's
    # columns keep their order all the same.
    checked = len(work)
    times = [column for column in TIME_FIELDS if column in options.fields]
    kept = texts + [c for c in numbers if c in table.column_names]
    tz = options.tz
    work += [
        partial(_parse_times, _column_or_blank(table, column), _read_ahead(ahead, column), tz)
        for column in times
    ]
    work += [partial(_convert, column, table.column(column), name, rows) for column in kept]
    count, ahead = table.num_rows, None
    table = table.drop_columns([c for c in (*times, *kept) if c in table.column_names])
    results = all_of(work)
    (order_codes, maybe_repeated), error_codes = results[0], results[checked - 1]
    results = results[checked:]
    frame = pd.DataFrame(index=pd.RangeIndex(count))
    parsed_times, results = results[: len(times)], results[len(times) :]
    for column, (series, errors) in zip(texts, results[: len(texts)], strict=True):
        frame[column] = series
        if errors:
            error_codes[column] = errors
    amounts = dict(zip(kept[len(texts) :], results[len(texts) :], strict=True))
    notices += spreadsheet_notices({c: error_codes[c] for c in texts if c in error_codes}, name)
    for column in options.fields:
        if column not in frame.columns and column not in TIME_FIELDS + tuple(numbers):
            empty = _column_or_blank(table, column)
            frame[column] = few_words(empty) if column in FEW_WORDS else empty.to_pandas()
    bad_times = pd.Series(False, index=frame.index)
    for column, (series, unparsed) in zip(times, parsed_times, strict=True):
        frame[column] = series
        bad_times |= unparsed
    frame["unparsed_time"] = bad_times
    for column in numbers:
        frame[column] = (
            amounts[column][0]
            if column in amounts
            else _money(_column_or_blank(table, column), FIELDS[column], name, rows)
        )
    # Arrow's allocator keeps what it freed; give the raw columns back.
    pa.default_memory_pool().release_unused()
    return Lines(frame, notices, order_codes=order_codes, maybe_repeated=maybe_repeated)


def _order_keys(
    order_ids: pa.ChunkedArray, sku_ids: pa.ChunkedArray | None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Each line's order as a number (`id_codes`), and the lines that may repeat another."""
    codes = id_codes(order_ids)
    return codes, repeat_candidates(codes, sku_ids)


def _read_ahead(
    ahead: pa.Table | None, column: str
) -> tuple[pa.ChunkedArray, pa.ChunkedArray] | None:
    """What the reader read of a time column (`read_times`), if it did."""
    if ahead is None:
        return None
    names = read_time_columns(column)
    if names[0] not in ahead.column_names:
        return None
    return ahead.column(names[0]), ahead.column(names[1])


def _parse_times(
    text: pa.ChunkedArray,
    ahead: tuple[pa.ChunkedArray, pa.ChunkedArray] | None,
    tz: str,
) -> tuple[pd.Series, pd.Series]:
    """`parse_time_column` (its last step only, when the reader read the times ahead), then
    what Arrow freed in this worker given back (each thread of its allocator keeps its own
    free pages)."""
    import pyarrow as pa

    parsed = parse_time_column(text, tz) if ahead is None else finish_times(text, *ahead, tz)
    pa.default_memory_pool().release_unused()
    return parsed


def _convert(
    column: str, values: pa.ChunkedArray, name: str, rows: npt.NDArray[np.int64] | None
) -> tuple[pd.Series, int]:
    """One raw column as the frame holds it: a word column as categories (and its count of
    error codes), an amount as integer rupiah, other text trimmed."""
    import pyarrow.compute as pc

    if column in FEW_WORDS:
        return few_words_counting_errors(values)
    if column in MONEY_FIELDS or column == "quantity":
        return _money(values, FIELDS[column], name, rows), 0
    if column not in ("order_id", "sku_id"):  # IDs were trimmed first
        values = pc.utf8_trim_whitespace(values)
    return values.to_pandas().astype("str"), 0


def spreadsheet_notices(counts: Mapping[str, int], name: str) -> list[tuple[str, dict[str, Any]]]:
    """A warning per column whose cells a spreadsheet ran as formulas (see `resaved`)."""
    return [
        ("notice.spreadsheet_formulas", {"file": name, "column": FIELDS[column], "count": count})
        for column, count in counts.items()
    ]


def few_words(values: pa.ChunkedArray) -> pd.Series:
    """A column of a handful of distinct words (statuses, couriers), trimmed, as categories:
    each word is stored and trimmed once, and every line holds a small code. The categories
    are sorted, so sorting or grouping by the column orders it as text would."""
    import pyarrow.compute as pc

    return _words_of(pc.dictionary_encode(values).to_pandas())


def few_words_counting_errors(values: pa.ChunkedArray) -> tuple[pd.Series, int]:
    """`few_words`, and how many of its cells hold a spreadsheet's error code (counted per
    distinct word, as `resaved.error_code_counts` counts cells)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    raw = pc.dictionary_encode(values).to_pandas()
    words = pa.array(raw.cat.categories, pa.string())
    errors = resaved.error_code_counts(pa.table({"words": words}), ["words"])
    count = 0
    if errors:  # rare: weigh each distinct error word by its cells
        codes = raw.cat.codes.to_numpy()
        per_word = np.bincount(codes[codes >= 0], minlength=len(words))
        matches = pc.match_substring_regex(pc.utf8_trim_whitespace(words), resaved.ERROR_CODE)
        count = int(per_word[matches.to_numpy(zero_copy_only=False)].sum())
    return _words_of(raw), count


def _words_of(raw: pd.Series) -> pd.Series:
    """The trimmed, sorted categories of a dictionary-encoded column of raw words."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    words = pc.utf8_trim_whitespace(pa.array(raw.cat.categories, pa.string())).to_pandas()
    # Two raw words may be one once trimmed ("Shipped" and "Shipped\t").
    codes, categories = pd.factorize(pd.Series(words, dtype="str"), sort=True)
    raw_codes = raw.cat.codes.to_numpy()
    renumbered = np.append(codes, -1)[np.where(raw_codes < 0, len(codes), raw_codes)]
    return pd.Series(pd.Categorical.from_codes(renumbered, categories=categories))


def _column_or_blank(table: pa.Table, column: str) -> pa.ChunkedArray:
    """The column, or empty text on every row when the export does not have it."""
    import pyarrow as pa

    if column in table.column_names:
        return table.column(column)
    return pa.chunked_array([pa.array([""] * table.num_rows, pa.string())])


def _money(
    values: pa.ChunkedArray, column: str, name: str, rows: npt.NDArray[np.int64] | None
) -> pd.Series:
    """Integer rupiah from the raw (untrimmed) column: one cast when every value is plain
    digits, `parse_money_column` else."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(values) and pc.all(pc.ascii_is_decimal(values)).as_py():  # no blank, no tab
        try:
            digits = pc.cast(values, pa.int64())
        except pa.ArrowInvalid:  # past int64: the careful way names it
            digits = None
        if digits is not None and _within_rupiah_range(digits):
            return pd.Series(digits.to_numpy(), dtype="int64")
    values = pc.utf8_trim_whitespace(values)
    amounts = None
    # Plain digits (or empty) everywhere is the common case, and one cheap pass to tell; Arrow
    # would also read other text as numbers (0x10 as 16), so that goes the careful way.
    plain = pc.all(pc.or_(pc.ascii_is_decimal(values), pc.equal(values, ""))).as_py()
    if plain or not pc.any(pc.match_substring_regex(values, "[xX]")).as_py():
        try:
            amounts = pc.cast(pc.if_else(pc.equal(values, ""), "0", values), pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            amounts = None
    if amounts is not None and _within_rupiah_range(amounts):
        return pd.Series(amounts.to_numpy(), dtype="int64")
    text = pd.Series(values.to_pandas(), dtype="str")
    return parse_money_column(text, column, name, rows)


def _within_rupiah_range(amounts: pa.ChunkedArray) -> bool:
    """Every amount within +-`_MAX_RUPIAH` (no `abs()`: it overflows on the smallest int64)."""
    import pyarrow.compute as pc

    if len(amounts) == 0:
        return True
    extremes = pc.min_max(amounts).as_py()
    return bool((extremes["min"] or 0) > -_MAX_RUPIAH and (extremes["max"] or 0) < _MAX_RUPIAH)


def _has_description_row(table: pa.Table) -> bool:
    """Row 2 of an XLSX export describes each column ("Platform unique order ID.")."""
    if table.num_rows == 0:
        return False
    first_id = table.column("order_id")[0].as_py() or ""
    return bool(_DESCRIPTION_ID.search(first_id)) and not _DESTROYED_ID.match(first_id)


def _refuse_destroyed_ids(ids: pa.ChunkedArray, column: str, name: str) -> None:
    """IDs a spreadsheet turned into numbers: different orders may now share one value.

    Three traces: scientific notation (`5.76461E+17`, `5,76461E+17`), a float's `.0`, and
    zeros past the 15th digit (`576461413038785000`, what Excel writes once the column is
    formatted as a number). The last is only trusted when every long ID of the column, and
    at least two different ones, end that way: a real ID ends in 000 one time in a thousand.
    """
    import pyarrow.compute as pc

    digits = pc.ascii_is_decimal(ids)
    # The common case, every ID plain digits, skips the pattern matching.
    if not pc.all(pc.or_(digits, pc.equal(ids, ""))).as_py():
        destroyed = pc.match_substring_regex(ids, r"^-?[0-9]+(?:[.,][0-9]+)?[eE][+]?[0-9]+$")
        # An 18-digit ID that went through a float comes back as "576461413038785984.0".
        floated = pc.match_substring_regex(ids, r"^[0-9]{16,}[.,]0+$")
        bad = pc.or_(destroyed, floated)
        if pc.any(bad).as_py():
            count = pc.sum(pc.cast(bad, "int64")).as_py()
            raise ExportError("error.ids_destroyed", file=name, column=column, count=count)
    long = pc.and_(digits, pc.greater_equal(pc.binary_length(ids), 16))  # digits: bytes = chars
    if pc.any(pc.and_(long, pc.invert(pc.ends_with(ids, "0")))).as_py():
        return  # the common case, told without copying the IDs out
    long_ids = ids.filter(long)
    if len(long_ids) < 2:
        return
    distinct = pc.unique(long_ids)
    if len(distinct) >= 2 and pc.all(pc.match_substring_regex(distinct, r"^[0-9]{15}0+$")).as_py():
        raise ExportError("error.ids_rounded", file=name, column=column, count=len(long_ids))


# Beyond this, a "rupiah amount" is not one (and would overflow a 64-bit integer).
_MAX_RUPIAH = 10**15


def parse_money_column(
    values: pd.Series, column: str, name: str, rows: npt.NDArray[np.int64] | None = None
) -> pd.Series:
    """Integer rupiah: a fast cast for plain digits, `parse_rupiah` for every other form.

    A value that is not an amount is an error naming its row (`rows`: the sheet row of each
    value) and column, never the value itself: in a shifted row it may be a buyer's phone.
    """
    import numpy as np
    import pandas as pd

    digits = values.str.fullmatch(r"-?[0-9]{1,15}")
    result = pd.Series(0, index=values.index, dtype="int64")
    result[digits] = values[digits].astype("int64")
    rest = ~digits & (values != "")
    if rest.any():
        mapping: dict[str, int] = {}
        for value in values[rest].unique():
            amount = parse_rupiah(value)
            if amount is None or abs(amount) >= _MAX_RUPIAH:
                position = int(np.flatnonzero((values == value).to_numpy(dtype=bool))[0])
                row = int(rows[position]) if rows is not None else position + 2
                raise ExportError("error.bad_money_at", file=name, column=column, row=row)
            mapping[value] = amount
        result[rest] = values[rest].map(mapping).astype("int64")
    return result
