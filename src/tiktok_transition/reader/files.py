"""Read export files (or standard input) into one frame of lines."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.triage import id_codes
from tiktok_transition.errors import ExportError, TransitionError, UsageError
from tiktok_transition.reader.csv import read_csv, read_csv_file
from tiktok_transition.reader.layout import (
    FEW_WORDS,
    FIELDS,
    TIME_FIELDS,
    XLS_MAGIC,
    XLSX_MAGIC,
    Lines,
    locate_columns,
)
from tiktok_transition.reader.limits import check_xlsx_bounds, is_stream, read_stream
from tiktok_transition.reader.merge import drop_identical_lines, merge_sources, newest_evidence_of
from tiktok_transition.reader.normalize import normalize, spreadsheet_notices

if TYPE_CHECKING:
    import pandas as pd

    from tiktok_transition.reader.layout import ReadOptions


def read_exports(paths: Sequence[str], options: ReadOptions) -> Lines:
    """Read every export and merge them: identical lines once, each order from its newest file."""
    if not paths:
        raise UsageError("error.no_exports")
    frames = []
    notices: list[tuple[str, dict[str, Any]]] = []
    for source, path in enumerate(paths):
        read = read_export(path, options)
        read.frame["source"] = source
        frames.append(read.frame)
        notices.extend(read.notices)
    lines = frames[0] if len(frames) == 1 else _concat(frames)
    lines = merge_sources(lines) if len(frames) > 1 else lines
    _refuse_no_orders(lines, paths, notices)
    # One export's lines are as it read them: their orders numbered, and the lines that may
    # repeat another found, on the way.
    if len(frames) == 1 and read.order_codes is not None:
        lines, codes = drop_identical_lines(lines, read.order_codes, read.maybe_repeated)
    else:
        lines, codes = drop_identical_lines(lines, id_codes(lines["order_id"]))
    return Lines(lines, notices, newest_evidence_of(lines), codes)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The lines of several exports, their word columns still categories (on one set)."""
    import pandas as pd
    from pandas.api.types import union_categoricals

    for column in FEW_WORDS:
        if column in frames[0].columns:
            words = union_categoricals([frame[column] for frame in frames], sort_categories=True)
            for frame in frames:
                frame[column] = frame[column].cat.set_categories(words.categories)
    return pd.concat(frames, ignore_index=True)


def read_export(path: str, options: ReadOptions) -> Lines:
    """One export file (or `-` for CSV on standard input) as a normalized frame of lines.

    Whatever the file holds, the outcome is a frame or an `ExportError` naming the file: a
    parser's own exception is never shown, since its message may quote a buyer's data.
    """
    name = "stdin" if path == "-" else Path(path).name
    try:
        if not is_stream(path):  # a pipe or standard input is read once, below
            streamed = read_csv_file(_checked_file(path), name, options)
            if streamed is not None:
                return streamed
        return _read_data(_read_bytes(path, name), name, options)
    except (TransitionError, MemoryError):
        raise
    except PermissionError as exc:
        raise ExportError("error.file_unreadable", file=path, reason=exc.strerror or "") from None
    except BaseException as exc:
        # Rust readers (calamine) panic with a BaseException; let the real ones through.
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise ExportError("error.unreadable", file=name) from exc


def _read_data(data: bytes, name: str, options: ReadOptions) -> Lines:
    if data.startswith(XLS_MAGIC):
        raise ExportError("error.old_xls", file=name)
    if data.startswith(XLSX_MAGIC):
        # Only a workbook needs these (a CSV-only run does not import them).
        from tiktok_transition.reader import resaved
        from tiktok_transition.reader.xlsx import read_xlsx, table_from_rows

        check_xlsx_bounds(data, name)
        header, rows, row_numbers = read_xlsx(data, name)
        handed = [table_from_rows(header, rows, options, name)]  # `normalize` empties it
        times = {column: FIELDS[column] for column in TIME_FIELDS}
        resaved.refuse_mixed_dates(rows, locate_columns(header, options, name), times, name)
        read = normalize(handed, name, options, row_numbers)
        formulas = resaved.xlsx_formula_counts(data, locate_columns(header, options, name))
        read.notices += spreadsheet_notices(formulas, name)
        return read
    return normalize([read_csv(data, name, options)], name, options, None)


def _checked_file(path: str) -> Path:
    file = Path(path)
    try:
        file.stat()
    except FileNotFoundError:
        raise ExportError("error.file_not_found", file=path) from None
    except OSError as exc:  # a symlink loop, a name too long, a folder we may not enter
        raise ExportError("error.file_unreadable", file=path, reason=exc.strerror or "") from None
    if file.is_dir():
        raise ExportError("error.is_directory", file=path)
    return file


def _read_bytes(path: str, name: str) -> bytes:
    if is_stream(path):
        return read_stream(path, name)
    file = _checked_file(path)
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise ExportError("error.file_not_found", file=path) from None
    except OSError as exc:
        raise ExportError("error.file_unreadable", file=path, reason=exc.strerror or "") from None


def _refuse_no_orders(
    lines: pd.DataFrame, paths: Sequence[str], notices: list[tuple[str, dict[str, Any]]]
) -> None:
    """Exports without a single order are not a clean report of nothing: exit 2, saying why
    (rows without an Order ID, or no row at all)."""
    if not lines.empty:
        return
    for key, params in notices:
        if key == "notice.rows_without_order_id":
            raise ExportError("hostile.no_order_ids", file=params["file"])
    name = "stdin" if paths[0] == "-" else Path(paths[0]).name
    raise ExportError("hostile.no_rows", file=name)
