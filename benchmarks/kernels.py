"""What the scan's unavoidable steps cost in pure Arrow, next to the floor, in one process.

    python benchmarks/kernels.py FILE [--repeat 3]

A lower bound for any scan built on pyarrow, with no pandas, no CLI and no error handling:
read the triage columns (the floor's read), parse the time columns with the export's format,
hash the order IDs, take each order's first line, and write those rows in the scan's format
(ISO times with their offset, one join of each row's cells; pyarrow's own CSV writer is timed
beside, for reference: it quotes every text and has no such times). The floor of `run.py` is
the read plus `to_pandas`. Prints the median seconds of each step and what the steps past the
read add, as a share of the floor.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generate_export import TRIAGE_COLUMNS

TIME_FORMAT = "%d/%m/%Y %H:%M:%S"


def measure(path: Path) -> dict[str, float]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    seconds: dict[str, float] = {}

    def step(name: str, work: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = work()
        seconds[name] = time.perf_counter() - start
        return result

    columns = list(TRIAGE_COLUMNS)
    table = step(
        "read",
        lambda: pacsv.read_csv(
            path,
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns, column_types=dict.fromkeys(columns, pa.string())
            ),
        ),
    )
    step("to_pandas", table.to_pandas)
    times = [c for c in columns if c.endswith(" Time")]
    parsed = step(
        "parse times",
        lambda: [
            # The format's trailing space takes the export's trailing tab: no trim needed.
            pc.strptime(table[c], format=TIME_FORMAT + " ", unit="s", error_is_null=True)
            for c in times
        ],
    )
    codes = step(
        "hash order ids",
        lambda: (
            pc.dictionary_encode(pc.utf8_rtrim_whitespace(table["Order ID"]))
            .combine_chunks()
            .indices.to_numpy()
        ),
    )
    first = step("first line of each order", lambda: np.unique(codes, return_index=True)[1])
    orders, order_times = step(
        "take the orders' rows",
        lambda: (table.take(pa.array(first)), [p.take(pa.array(first)) for p in parsed]),
    )
    step("write csv (pyarrow's writer)", lambda: pacsv.write_csv(orders, io.BytesIO()))
    # pyarrow's writer quotes every text and has no ISO time with an offset: the scan's own
    # format needs at least the times as text and one join of each row's cells.
    iso = step("ISO text of the times", lambda: [_iso_text(p) for p in order_times])
    step("join each row's cells", lambda: _join_rows(orders, iso))
    return seconds


def _iso_text(parsed: Any) -> Any:
    """`2023-10-20T09:00:00+07:00` from wall-clock seconds: a day table and a clock table,
    picked per value and joined (what `output/cells.iso_times` does), "" where absent."""
    import datetime as dt

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    wall = pc.fill_null(pc.cast(parsed, pa.int64()), 0).to_numpy()
    days = wall // 86_400
    first = int(days.min())
    span = int(days.max()) - first + 1
    epoch = dt.date(1970, 1, 1)
    day_text = pa.array([str(epoch + dt.timedelta(days=first + d)) for d in range(span)], text)
    second = np.arange(86_400)
    two = pa.array([f"{n:02d}" for n in range(60)], text)
    colon = pa.scalar(":", text)
    clock = pc.binary_join_element_wise(
        pa.scalar("T", text),
        pc.take(two, second // 3600),
        colon,
        pc.take(two, second // 60 % 60),
        colon,
        pc.take(two, second % 60),
        pa.scalar("", text),
    )
    joined = pc.binary_join_element_wise(
        pc.take(day_text, days - first),
        pc.take(clock, wall - days * 86_400),
        pa.scalar("+07:00", text),
        pa.scalar("", text),
    )
    return pc.if_else(pc.is_null(parsed), pa.scalar("", text), joined)


def _join_rows(orders: Any, iso: list[Any]) -> Any:
    """Every row as one text: the orders' text columns and their ISO times, comma-joined."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    cells = [pc.cast(orders[name], text) for name in orders.column_names if "Time" not in name]
    cells += iso
    return pc.binary_join_element_wise(*cells, pa.scalar(",", text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import pandas  # noqa: F401  (imported before the clock starts, as at any process's start)

    runs = [measure(args.file) for _ in range(args.repeat)]
    median = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
    floor = median["read"] + median["to_pandas"]
    # pyarrow's own writer is shown for reference: it cannot write the scan's format.
    reference = ("read", "to_pandas", "write csv (pyarrow's writer)")
    past_read = sum(v for k, v in median.items() if k not in reference)
    print(f"{args.file.name}, median of {args.repeat}")
    for name, value in median.items():
        print(f"  {name:26s} {value:6.2f} s")
    print(f"  floor (read + to_pandas)   {floor:6.2f} s")
    print(f"  steps past the read        {past_read:6.2f} s = {past_read / floor:.2f}x the floor")


if __name__ == "__main__":
    main()
