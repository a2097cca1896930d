"""CSV exports: encodings, delimiters, and pyarrow reading straight from the file."""

from __future__ import annotations

import codecs
import csv
import io
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiktok_transition.core.parallel import in_background, inline
from tiktok_transition.errors import ExportError
from tiktok_transition.reader.layout import TIME_FIELDS, XLS_MAGIC, XLSX_MAGIC, locate_columns
from tiktok_transition.reader.limits import MAX_COLUMNS
from tiktok_transition.reader.normalize import normalize
from tiktok_transition.reader.times import read_time_columns, read_times

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from tiktok_transition.reader.layout import Lines, ReadOptions


def read_csv_file(file: Path, name: str, options: ReadOptions) -> Lines | None:
    """The common case, a UTF-8 CSV on disk, read by pyarrow straight from the file: the
    export is never held whole in memory. None when the file needs the other path (XLSX,
    another encoding, blank lines before the header): the caller then reads its bytes."""
    with file.open("rb") as stream:
        head = stream.read(_HEAD)
    if not head.strip() or head.startswith((XLS_MAGIC, XLSX_MAGIC)) or b"\x00" in head:
        return None
    text = head[len(codecs.BOM_UTF8) :] if head.startswith(codecs.BOM_UTF8) else head
    if text.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"\r", b"\n")):
        return None
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(text) - 4:  # not a character cut at the end of the head
            return None
    try:
        tables = [read_csv(head, name, options, file=file)]
    except _NotUtf8:
        return None
    # Handed over in the list, which `normalize` empties: the raw columns are freed as they
    # are converted.
    return normalize(tables, name, options, None)


class _NotUtf8(Exception):
    """Past its first bytes, a file on disk turned out not to be UTF-8."""


# --- CSV -----------------------------------------------------------------------------------

_HEAD = 65536


def _decode_for_csv(data: bytes, name: str) -> tuple[bytes | memoryview, str]:
    """The file as UTF-8 bytes (no BOM) and the text of its start; other encodings converted.

    Seller Center writes UTF-8 with a BOM; a spreadsheet writes UTF-8 without one, UTF-16 with a
    BOM ("Unicode text", tab separated) or the Windows code page (cp1252, the last resort). The
    common case is not copied: the body is a view past the BOM.
    """
    body: bytes | memoryview
    if data.startswith(codecs.BOM_UTF8):
        body = memoryview(data)[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            body = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise ExportError("error.encoding", file=name) from None
    else:
        body = data
    head = bytes(body[:_HEAD])
    if b"\x00" in head:
        body = _utf16_without_bom(data, name)
        head = bytes(body[:_HEAD])
    try:
        head_text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A character cut at the boundary of the start is fine; anything earlier is not UTF-8.
        if exc.start < len(head) - 4:
            body = _from_cp1252(body, name)
            head_text = body[:_HEAD].decode("utf-8", errors="ignore")
        else:
            head_text = head[: exc.start].decode("utf-8")
    return body, head_text


def _utf16_without_bom(data: bytes, name: str) -> bytes:
    """Text saved as UTF-16 without a BOM (a zero byte beside each ASCII letter), as UTF-8;
    anything else with zero bytes is binary data."""
    sample = data[:_HEAD]
    even, odd = sample[0::2], sample[1::2]
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) > 0.4 * len(zeros) and others.count(0) < 0.05 * len(others):
            try:
                return data.decode(encoding).encode("utf-8")
            except UnicodeDecodeError:
                break
    raise ExportError("error.binary", file=name)


def _from_cp1252(body: bytes | memoryview, name: str) -> bytes:
    try:
        return bytes(body).decode("cp1252").encode("utf-8")
    except UnicodeDecodeError:
        raise ExportError("error.encoding", file=name) from None


def _sniff_delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: counts[sep])


def _parse_header(head_text: str, delimiter: str, name: str) -> list[str]:
    """The first record of the file, quoting respected (a header cell may hold a newline)."""
    try:
        return next(csv.reader(io.StringIO(head_text, newline=""), delimiter=delimiter), [])
    except csv.Error:
        raise ExportError("error.csv_unreadable", file=name) from None


def read_csv(data: bytes, name: str, options: ReadOptions, file: Path | None = None) -> pa.Table:
    """The wanted columns as text, read by pyarrow's streaming reader (about one core; the
    time columns' times are read beside it, see `_read_on`); the dialect sniffed from the
    header.

    With `file`, `data` is only the start of that UTF-8 file, and pyarrow reads the file itself.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    body, head_text = _decode_for_csv(data, name)
    if not head_text.strip() and (file is not None or not bytes(body).strip()):
        raise ExportError("error.empty_file", file=name)
    lead = len(head_text) - len(head_text.lstrip("\r\n"))
    if lead:  # blank lines before the header
        body, head_text = body[lead:], head_text[lead:]
    first_line = head_text.splitlines()[0] if head_text else ""
    delimiter = _sniff_delimiter(first_line)
    header = _parse_header(head_text, delimiter, name)
    if len(header) > MAX_COLUMNS:
        raise ExportError("hostile.header_too_wide", file=name, limit=MAX_COLUMNS)
    wanted = locate_columns(header, options, name)
    names = [f"c{i}" for i in range(len(header))]
    include = [f"c{index}" for index in sorted(set(wanted.values()))]
    bad_rows: list[int | None] = []

    def on_invalid_row(row: Any) -> str:
        bad_rows.append(row.number)
        return "skip"

    # The time columns are read as times while the reader reads on (see `_read_on`).
    times = {field: f"c{index}" for field, index in wanted.items() if field in TIME_FIELDS}

    def read(buffer: bytes | memoryview | None, threads: bool = True) -> pa.Table:
        # The header is read as row 0 and dropped: pyarrow's skip_rows ignores quoting.
        reader = pacsv.open_csv(
            _stream(buffer, file, options.progress),
            read_options=pacsv.ReadOptions(
                column_names=names, use_threads=threads, block_size=_BLOCK_SIZE
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid_row
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=include,
                column_types=dict.fromkeys(include, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        return _read_on(reader, times if threads else {})

    try:
        with _unraisable() as mishaps:
            source = None if file is not None else body
            try:
                table = read(source)
            except pa.ArrowInvalid as exc:
                # Text that is not UTF-8 past the start of the file: pyarrow says so, or (in a
                # malformed row) fails to hand that row to `on_invalid_row`.
                if "utf8" not in str(exc).lower() and not mishaps:
                    raise
                if file is not None:
                    raise _NotUtf8 from None
                bad_rows.clear()
                body = source = _from_cp1252(body, name)
                table = read(source)
            if bad_rows and bad_rows[0] is None:
                # Multi-threaded reading does not know row numbers; find the first one again.
                bad_rows.clear()
                read(source, threads=False)
    except pa.ArrowException as exc:
        # Arrow's message quotes the offending row, which may hold a buyer's address.
        if "block size" in str(exc):  # one field longer than a read block (1 MB)
            raise ExportError("hostile.field_too_large", file=name, limit=1) from None
        raise ExportError("error.csv_unreadable", file=name) from None
    if bad_rows:
        row = bad_rows[0]
        raise ExportError(
            "error.csv_bad_row",
            file=name,
            row="?" if row is None else row,
            count=len(bad_rows),
            columns=len(header),
        )
    table = table.slice(1) if table.num_rows else table
    columns = {field: table.column(f"c{index}") for field, index in wanted.items()}
    for field in times:
        for column in read_time_columns(field):
            if column in table.column_names:
                columns[column] = table.column(column)
    return pa.table(columns)


# The reader's block (pyarrow's default): no field may be longer.
_BLOCK_SIZE = 1 << 20
# Rows the reader hands over at a time to the workers that read their times.
_TIME_ROWS = 1 << 16


def _stream(
    buffer: bytes | memoryview | None,
    file: Path | None,
    progress: Callable[[int, int], None] | None,
) -> Any:
    """What pyarrow reads: the file itself (`buffer` None) or the bytes in memory, through
    `_Progress` when the command shows how far reading has got."""
    import pyarrow as pa

    if buffer is None:
        assert file is not None
        if progress is None:
            return pa.input_stream(str(file))
        return _Progress(file.open("rb"), file.stat().st_size, progress)
    if progress is not None:
        return _Progress(io.BytesIO(buffer), len(buffer), progress)
    return pa.BufferReader(pa.py_buffer(buffer))


def _read_on(reader: pacsv.CSVStreamingReader, times: Mapping[str, str]) -> pa.Table:
    """Every batch of the reader as a table; with `times` ({field: column}), the columns
    `read_times` makes of each time column too (see `read_time_columns`).

    The reader reads in a thread of its own (about one core, the GIL released while it reads)
    while this thread loads pandas, then two workers read the times of each few blocks as they
    arrive (`_times_beside`). A small export (`core.parallel.inline`) is read, then its times,
    in this thread.
    """
    import pyarrow as pa

    if not times:
        return pa.Table.from_batches(list(reader), schema=reader.schema)
    batches: list[pa.RecordBatch] = []
    if inline():
        batches += reader
        parts = [_times_of(times, batches)]
    else:
        parts = _times_beside(reader, times, batches)
    table = pa.Table.from_batches(batches, schema=reader.schema)
    for field in times:
        for position, column in enumerate(read_time_columns(field)):
            chunks = [chunk for part in parts for chunk in part[field][position].chunks]
            kind = pa.timestamp("s") if position == 0 else pa.bool_()
            table = table.append_column(column, pa.chunked_array(chunks, kind))
    return table


def _times_of(
    times: Mapping[str, str], group: list[pa.RecordBatch]
) -> dict[str, tuple[pa.ChunkedArray, pa.ChunkedArray]]:
    import pyarrow as pa

    return {
        field: read_times(pa.chunked_array([batch.column(column) for batch in group]))
        for field, column in times.items()
    }


def _times_beside(
    reader: pacsv.CSVStreamingReader, times: Mapping[str, str], batches: list[pa.RecordBatch]
) -> list[dict[str, tuple[pa.ChunkedArray, pa.ChunkedArray]]]:
    """Read every batch into `batches` in a thread, and the times of each `_TIME_ROWS` rows
    by two workers as they come. The reader's error is raised here; an error here stops the
    reader."""
    import queue
    import threading

    ready: queue.SimpleQueue[list[pa.RecordBatch] | BaseException | None] = queue.SimpleQueue()
    stop = threading.Event()

    def read() -> None:
        group: list[pa.RecordBatch] = []
        rows = 0
        try:
            for batch in reader:
                if stop.is_set():
                    return
                batches.append(batch)
                group.append(batch)
                rows += batch.num_rows
                if rows >= _TIME_ROWS:
                    ready.put(group)
                    group, rows = [], 0
            if group:
                ready.put(group)
            ready.put(None)
        except BaseException as exc:  # handed to the thread that reads the times
            ready.put(exc)

    thread = threading.Thread(target=read, name="csv-reader")
    thread.start()
    try:
        # What comes next needs pandas (and pyarrow's compute functions load it on first
        # use): loaded while the reader reads.
        import pandas  # noqa: F401
        import pyarrow.compute  # noqa: F401

        def arrived() -> Iterator[list[pa.RecordBatch]]:
            while (item := ready.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                yield item

        # Two workers: while the reader reads, they share the core it leaves; once it is
        # done, both cores finish the times.
        with in_background(partial(_times_of, times), arrived()) as made:
            return [result() for result in made]
    finally:
        stop.set()
        thread.join()


@contextmanager
def _unraisable() -> Iterator[list[Any]]:
    """Collect, instead of printing, what pyarrow's callbacks could not report (Python prints
    "Exception ignored in ..." with a traceback on standard error)."""
    caught: list[Any] = []
    previous = sys.unraisablehook
    sys.unraisablehook = caught.append
    try:
        yield caught
    finally:
        sys.unraisablehook = previous


class _Progress(io.RawIOBase):
    """A byte stream that reports how far the reader has got."""

    def __init__(
        self, raw: io.RawIOBase | io.BufferedIOBase, total: int, report: Callable[[int, int], None]
    ) -> None:
        self._raw = raw
        self._pos = 0
        self._total = total
        self._report = report

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        size = self._raw.readinto(target) or 0
        self._pos += size
        self._report(self._pos, self._total)
        return size

    def close(self) -> None:
        self._raw.close()
        super().close()
