"""The bounds an input is read within: columns, rows, sheet size, stream size (issue #14)."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

from tiktok_transition.errors import ExportError

# --- limits on what is read ----------------------------------------------------------------

# A real export has at most ~70 columns and Excel at most 1,048,576 rows: these are generous.
MAX_COLUMNS = 1_000
MAX_ROWS = 1_048_576  # Excel's own limit
# A reader allocates the whole rectangle up to the farthest cell: a sparse sheet (a few cells
# far apart) is refused when its rectangle is much larger than the cells it holds.
SPARSE_CELLS = 10_000_000
SPARSE_FACTOR = 4
# The sheet XML of an XLSX, unpacked. A real sheet packs 5-20x; a "zip bomb" 1000x.
MAX_SHEET_BYTES = 2_000_000_000
MAX_PACK_RATIO = 100
PACK_RATIO_FROM = 50_000_000  # below this unpacked size, any ratio is harmless
# What is read from a stream (standard input, a pipe) or any file that is not an XLSX.
MAX_INPUT_BYTES = 4_000_000_000
# One CSV field, and one header line.
MAX_FIELD_BYTES = 1_000_000
STREAM_CHUNK = 1 << 20
# --- reading inputs as streams -------------------------------------------------------------


def is_stream(path: str) -> bool:
    """Standard input, a pipe, `/dev/stdin`, `<(...)`, a device: read once, in order."""
    if path == "-":
        return True
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not Path(path).is_dir()
    except OSError:
        return False


def read_stream(path: str, name: str) -> bytes:
    """The whole of a stream, read once; binary data is refused at its first chunk, and a
    stream longer than `MAX_INPUT_BYTES` is refused instead of filling the memory."""
    try:
        stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise ExportError("error.file_unreadable", file=path, reason=exc.strerror or "") from None
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            chunk = stream.read(STREAM_CHUNK)
            if not chunk:
                break
            if not chunks and b"\x00" in chunk and not chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise ExportError("error.binary", file=name)
            size += len(chunk)
            if size > MAX_INPUT_BYTES:
                raise ExportError("hostile.too_large", file=name, limit=_gb(MAX_INPUT_BYTES))
            chunks.append(chunk)
    except OSError as exc:
        raise ExportError("error.file_unreadable", file=path, reason=exc.strerror or "") from None
    finally:
        if path != "-":
            stream.close()
    return b"".join(chunks)


def _gb(size: int) -> str:
    return f"{size / 1e9:.1f} GB"


# --- XLSX bounds ---------------------------------------------------------------------------

_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,8})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,8})"')


def check_xlsx_bounds(data: bytes, name: str) -> None:
    """Refuse, before any reader unpacks it, a workbook whose first sheet is too large once
    unpacked, packed like a bomb, or reaching past `MAX_COLUMNS` columns, `MAX_ROWS` rows, or
    far beyond the cells it holds (a reader allocates the rectangle up to the farthest cell)."""
    try:
        _check_xlsx_bounds(data, name)
    except ExportError:
        raise
    except Exception:  # a damaged archive: the reader says it cannot be read
        return


def _check_xlsx_bounds(data: bytes, name: str) -> None:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [
            info
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        ]
        total = sum(info.file_size for info in archive.infolist())
        packed = sum(info.compress_size for info in archive.infolist())
        if total > MAX_SHEET_BYTES or (
            total > PACK_RATIO_FROM and total > MAX_PACK_RATIO * max(packed, 1)
        ):
            raise ExportError("hostile.xlsx_too_large", file=name, size=_gb(total))
        first = _first_sheet(sheets)
        if first is None:
            return
        rows, columns, cells = _sheet_extent(archive, first, name)
    if _too_far(rows, columns, cells):
        raise ExportError(
            "hostile.xlsx_too_wide", file=name, rows=rows, columns=columns, limit=MAX_COLUMNS
        )


def _too_far(rows: int, columns: int, cells: int) -> bool:
    rectangle = rows * max(columns, 1)
    sparse = rectangle > max(SPARSE_CELLS, SPARSE_FACTOR * cells)
    return columns > MAX_COLUMNS or rows > MAX_ROWS or sparse


def _first_sheet(sheets: list[Any]) -> Any:
    names = sorted(
        sheets, key=lambda info: (len(info.filename), info.filename)
    )  # sheet1.xml before sheet10.xml
    return names[0] if names else None


def _sheet_extent(archive: Any, info: Any, name: str) -> tuple[int, int, int]:
    """The farthest row and column any cell of the sheet names, and how many cells it holds,
    read as a stream (stopping as soon as the sheet is too large)."""
    rows = columns = cells = 0
    tail = b""
    written = 0
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(STREAM_CHUNK)
            if not chunk:
                break
            written += len(chunk)
            if written > MAX_SHEET_BYTES:  # the declared size lied
                raise ExportError("hostile.xlsx_too_large", file=name, size=_gb(written))
            text = tail + chunk
            found = _CELL_REF.findall(chunk)  # a reference cut at the edge is seen in `text`
            cells += len(found)
            for letters, number in _CELL_REF.findall(text):
                columns = max(columns, _column_number(letters))
                rows = max(rows, int(number))
            for number in _ROW_REF.findall(text):
                rows = max(rows, int(number))
            if columns > MAX_COLUMNS or rows > MAX_ROWS:
                break
            tail = text[-256:]
    return rows, columns, cells


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number
