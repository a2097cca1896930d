"""Where one scan's time goes: wall seconds of each stage, in one process.

    python benchmarks/stages.py FILE [--repeat 5]

The stages are the functions the scan calls one after the other (the reader's pyarrow read,
with the times read beside it; normalize, with each line's order numbered beside the
conversions; identical lines, triage, the CSV), timed by wrapping them; the process's imports
happen before the first run and are not counted. Prints every run and the
median of each stage. A profile, not a benchmark: the ratios that matter are `run.py`'s.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(module: Any, name: str, label: str, seconds: dict[str, float]) -> None:
    work: Callable[..., Any] = getattr(module, name)

    @functools.wraps(work)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return work(*args, **kwargs)
        finally:
            seconds[label] = seconds.get(label, 0.0) + time.perf_counter() - start

    setattr(module, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--as-of", default="2023-10-20T09:00")
    args = parser.parse_args()

    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    import tiktok_transition.core.triage as triage
    import tiktok_transition.output.writers as writers
    import tiktok_transition.reader.csv as reader_csv
    import tiktok_transition.reader.files as files
    from tiktok_transition.cli.main import app

    seconds: dict[str, float] = {}
    _timed(reader_csv, "read_csv", "read (pyarrow)", seconds)
    _timed(reader_csv, "normalize", "normalize", seconds)
    _timed(files, "drop_identical_lines", "identical lines", seconds)
    _timed(triage, "triage", "triage", seconds)
    _timed(writers, "write_csv", "csv", seconds)
    runs = []
    for _ in range(args.repeat):
        seconds.clear()
        start = time.perf_counter()
        command = ["scan", str(args.file), "--as-of", args.as_of, "-q"]
        # Standard output to /dev/null, as `run.py` has it (`-o /dev/null` would make the
        # report whole in memory first, as for any output that is not a regular file).
        with (
            open(os.devnull, "w") as null,
            contextlib.redirect_stdout(null),
            contextlib.suppress(SystemExit),  # the command's exit code
        ):
            app(command)
        seconds["whole command"] = time.perf_counter() - start
        runs.append(dict(seconds))
        print("  ".join(f"{k} {v:.2f}" for k, v in seconds.items()), file=sys.stderr)
    print(f"{args.file.name}, median of {args.repeat}")
    for name in runs[0]:
        print(f"  {name:16s} {statistics.median(run[name] for run in runs):6.2f} s")


if __name__ == "__main__":
    main()
