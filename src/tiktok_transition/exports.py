"""Read TikTok Shop order exports (CSV or XLSX, as Seller Center writes them) into one table.

The result has one row per SKU line, columns named by `FIELDS`, every value normalized:
IDs and text trimmed (the export's trailing tabs), times timezone-aware, money integer rupiah.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiktok_transition import resaved
from tiktok_transition.errors import ExportError, TransitionError, UsageError
from tiktok_transition.money import parse_rupiah
from tiktok_transition.parallel import in_order
from tiktok_transition.safety import MAX_COLUMNS, check_xlsx_bounds, is_stream, read_stream

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd
    import pyarrow as pa

# Internal name -> the export's column name (exact spelling of Seller Center's header).
FIELDS: dict[str, str] = {
    "order_id": "Order ID",
    "status": "Order Status",
    "substatus": "Order Substatus",
    "pre_order": "Normal or Pre-order",
    "sku_id": "SKU ID",
    "seller_sku": "Seller SKU",
    "product_name": "Product Name",
    "variation": "Variation",
    "quantity": "Quantity",
    "unit_price": "SKU Unit Original Price",
    "subtotal": "SKU Subtotal After Discount",
    "order_amount": "Order Amount",
    "created_time": "Created Time",
    "paid_time": "Paid Time",
    "rts_time": "RTS Time",
    "shipped_time": "Shipped Time",
    "delivered_time": "Delivered Time",
    "cancelled_time": "Cancelled Time",
    "payment_method": "Payment Method",
    "shipping_provider": "Shipping Provider Name",
    "tracking_id": "Tracking ID",
    "product_category": "Product Category",
    "buyer_username": "Buyer Username",
    "recipient": "Recipient",
    "phone": "Phone #",
    "zipcode": "Zipcode",
    "province": "Province",
    "city": "Regency and City",
    "district": "Districts",
    "village": "Villages",
    "detail_address": "Detail Address",
    "address_extra": "Additional address information",
}

# Every column of the 53- and 65-column layouts, for validating `--column` overrides.
KNOWN_COLUMNS: tuple[str, ...] = (
    "Order ID", "Order Status", "Order Substatus", "Cancelation/Return Type",
    "Normal or Pre-order", "SKU ID", "Seller SKU", "Product Name", "Variation", "Quantity",
    "Sku Quantity of return", "SKU Unit Original Price", "SKU Subtotal Before Discount",
    "SKU Platform Discount", "SKU Seller Discount", "SKU Subtotal After Discount",
    "Shipping Fee After Discount", "Original Shipping Fee", "Shipping Fee Seller Discount",
    "Shipping Fee Platform Discount", "Taxes", "Distance Shipping Fee", "Distance Fee",
    "Order Refund Amount", "Payment platform discount", "Buyer Service Fee", "Handling Fee",
    "Shipping Insurance", "Item Insurance", "Order Amount", "Created Time", "Paid Time",
    "RTS Time", "Shipped Time", "Delivered Time", "Cancelled Time", "Cancel By",
    "Cancel Reason", "Fulfillment Type", "Warehouse Name", "Tracking ID", "Delivery Option",
    "Shipping Provider Name", "Buyer Message", "Buyer Username", "Recipient", "Phone #",
    "Zipcode", "Country", "Province", "Regency and City", "Districts", "Villages",
    "Detail Address", "Additional address information", "Payment Method", "Weight(kg)",
    "Product Category", "Package ID", "Purchase Channel", "Seller Note", "Checked Status",
    "Checked Marked by", "Tokopedia Invoice Number", "Order Channel", "Creator Handle",
)  # fmt: skip

REQUIRED = ("order_id", "status", "created_time")
TIME_FIELDS = (
    "created_time", "paid_time", "rts_time", "shipped_time", "delivered_time", "cancelled_time",
)  # fmt: skip
MONEY_FIELDS = ("unit_price", "subtotal", "order_amount")
PII_FIELDS = (
    "buyer_username", "recipient", "phone", "zipcode", "province", "city", "district",
    "village", "detail_address", "address_extra",
)  # fmt: skip
# Text of a handful of distinct words, kept as categories (see `few_words`).
FEW_WORDS = ("status", "substatus", "pre_order", "payment_method", "shipping_provider")
# What `scan`, `summary` and `plan` need; the other commands ask for more.
TRIAGE_FIELDS = (
    "order_id", "status", "substatus", "pre_order", "sku_id", "quantity", "order_amount",
    *TIME_FIELDS, "payment_method", "shipping_provider", "tracking_id",
)  # fmt: skip
PRODUCT_FIELDS = (
    "seller_sku", "product_name", "variation", "product_category", "unit_price", "subtotal",
)  # fmt: skip

# Times as Seller Center writes them (day first, WIB), as a spreadsheet re-saves them (no
# seconds, `.` between hours and minutes in an Indonesian locale, a date alone), as Excel cells
# come out of the XLSX reader, and the US layout (the only one with AM/PM). Tried in this order,
# each only on the values still unread: a clean export costs one pass.
TIME_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y %H.%M.%S",
    "%d/%m/%Y %H.%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d",
)
# A spreadsheet set to a short date format writes two-digit years.
SHORT_YEAR_FORMATS = ("%d/%m/%y %H:%M:%S", "%d/%m/%y %H:%M", "%d/%m/%y %H.%M", "%d/%m/%y")
# A number a spreadsheet wrote in scientific notation: the digits past the 15th are gone.
_DESTROYED_ID = re.compile(r"^\s*\d+(?:[.,]\d+)?[eE][+]?\d+\s*$")
_DESCRIPTION_ID = re.compile(r"[A-Za-z]{3,}")

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class Lines:
    """The SKU lines of one or more exports, and what the reader noticed on the way."""

    frame: pd.DataFrame
    notices: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    newest_evidence: datetime | None = None
    # Each line's order as a number (`id_codes` of its Order ID), for `triage`.
    order_codes: npt.NDArray[np.int64] | None = None


@dataclass(frozen=True)
class ReadOptions:
    """How to read: which fields, the zone of naive times, and column name overrides."""

    fields: Sequence[str] = TRIAGE_FIELDS
    tz: str = "Asia/Jakarta"
    overrides: Mapping[str, str] = field(default_factory=dict)
    # Called with (bytes read, total bytes) while a large file is read; None = silent.
    progress: Callable[[int, int], None] | None = None


def parse_column_overrides(specs: Iterable[str]) -> dict[str, str]:
    """`"Order ID=No. Pesanan"` -> {"Order ID": "No. Pesanan"}, checked against known columns."""
    overrides: dict[str, str] = {}
    known = {_fold(name): name for name in KNOWN_COLUMNS}
    for spec in specs:
        canonical, sep, actual = spec.partition("=")
        if not sep or not canonical.strip() or not actual.strip():
            raise UsageError("error.column_override_syntax", spec=spec)
        name = known.get(_fold(canonical))
        if name is None:
            raise UsageError(
                "error.column_override_unknown",
                name=canonical.strip(),
                known=", ".join(KNOWN_COLUMNS),
            )
        overrides[name] = actual.strip()
    return overrides


def read_exports(paths: Sequence[str], options: ReadOptions) -> Lines:
    """Read every export and merge them: identical lines once, each order from its newest file."""
    if not paths:
        raise UsageError("error.no_exports")
    frames = []
    notices: list[tuple[str, dict[str, Any]]] = []
    for source, path in enumerate(paths):
        frame, file_notices = read_export(path, options)
        frame["source"] = source
        frames.append(frame)
        notices.extend(file_notices)
    lines = frames[0] if len(frames) == 1 else _concat(frames)
    lines = _merge_sources(lines) if len(frames) > 1 else lines
    _refuse_no_orders(lines, paths, notices)
    lines, codes = _drop_identical_lines(lines, id_codes(lines["order_id"]))
    return Lines(lines, notices, _newest_evidence(lines), codes)


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


def read_export(
    path: str, options: ReadOptions
) -> tuple[pd.DataFrame, list[tuple[str, dict[str, Any]]]]:
    """One export file (or `-` for CSV on standard input) as a normalized frame of lines.

    Whatever the file holds, the outcome is a frame or an `ExportError` naming the file: a
    parser's own exception is never shown, since its message may quote a buyer's data.
    """
    name = "stdin" if path == "-" else Path(path).name
    try:
        if not is_stream(path):  # a pipe or standard input is read once, below
            streamed = _read_csv_file(_checked_file(path), name, options)
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


def _read_data(
    data: bytes, name: str, options: ReadOptions
) -> tuple[pd.DataFrame, list[tuple[str, dict[str, Any]]]]:
    if data.startswith(XLS_MAGIC):
        raise ExportError("error.old_xls", file=name)
    if data.startswith(XLSX_MAGIC):
        check_xlsx_bounds(data, name)
        header, rows, row_numbers = _read_xlsx(data, name)
        table = _table_from_rows(header, rows, options, name)
        times = {column: FIELDS[column] for column in TIME_FIELDS}
        resaved.refuse_mixed_dates(rows, _locate_columns(header, options, name), times, name)
        frame, notices = _normalize(table, name, options, row_numbers)
        formulas = resaved.xlsx_formula_counts(data, _locate_columns(header, options, name))
        return frame, notices + _spreadsheet_notices(formulas, name)
    return _normalize(_read_csv(data, name, options), name, options, None)


def _read_csv_file(
    file: Path, name: str, options: ReadOptions
) -> tuple[pd.DataFrame, list[tuple[str, dict[str, Any]]]] | None:
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
        tables = [_read_csv(head, name, options, file=file)]
    except _NotUtf8:
        return None
    # Handed over in a list the callee empties: the raw columns are freed as they are read.
    return _normalize(tables.pop(), name, options, None)


class _NotUtf8(Exception):
    """Past its first bytes, a file on disk turned out not to be UTF-8."""


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


def _read_csv(data: bytes, name: str, options: ReadOptions, file: Path | None = None) -> pa.Table:
    """The wanted columns as text, read by pyarrow in bulk; the dialect sniffed from the header.

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
    wanted = _locate_columns(header, options, name)
    names = [f"c{i}" for i in range(len(header))]
    include = [f"c{index}" for index in sorted(set(wanted.values()))]
    bad_rows: list[int | None] = []

    def on_invalid_row(row: Any) -> str:
        bad_rows.append(row.number)
        return "skip"

    def read(buffer: bytes | memoryview | None, threads: bool = True) -> pa.Table:
        # The header is read as row 0 and dropped: pyarrow's skip_rows ignores quoting.
        stream: Any
        if buffer is None:
            assert file is not None
            if options.progress is None:
                stream = pa.input_stream(str(file))
            else:
                stream = _Progress(file.open("rb"), file.stat().st_size, options.progress)
        elif options.progress is not None:
            stream = _Progress(io.BytesIO(buffer), len(buffer), options.progress)
        else:
            stream = pa.BufferReader(pa.py_buffer(buffer))
        return pacsv.read_csv(
            stream,
            read_options=pacsv.ReadOptions(column_names=names, use_threads=threads),
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
    return pa.table({field: table.column(f"c{index}") for field, index in wanted.items()})


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


def _fold(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def fold_header(name: str) -> str:
    """A header as columns are matched: case, BOM and spacing ignored."""
    return _fold(name)


def _locate_columns(header: Sequence[Any], options: ReadOptions, name: str) -> dict[str, int]:
    """Map each wanted field to its column index, by name; raise if a required one is missing."""
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        folded = _fold(str(raw) if raw is not None else "")
        positions.setdefault(folded, index)
    wanted: dict[str, int] = {}
    for field_name in options.fields:
        export_name = FIELDS[field_name]
        actual = options.overrides.get(export_name, export_name)
        position = positions.get(_fold(actual))
        if position is not None:
            wanted[field_name] = position
    missing = [FIELDS[f] for f in REQUIRED if f not in wanted]
    if missing:
        resaved.refuse_misdecoded_header(header, name)
        known = {_fold(c) for c in KNOWN_COLUMNS}
        found = [str(h).strip() for h in header if h is not None and _fold(str(h)) in known]
        raise ExportError(
            "error.not_an_export",
            file=name,
            missing=", ".join(missing),
            found=", ".join(found[:8]) + (", ..." if len(found) > 8 else "") or "-",
            others=len([h for h in header if h is not None and str(h).strip()]) - len(found),
        )
    return wanted


# --- XLSX ----------------------------------------------------------------------------------


def _read_xlsx(data: bytes, name: str) -> tuple[list[Any], list[list[Any]], list[int]]:
    """The first sheet's header, its non-empty rows and their row numbers in the sheet.

    Calamine first (fast, and it reads every cell whatever the sheet's declared dimension);
    openpyxl when calamine fails.
    """
    try:
        rows = _xlsx_rows_calamine(data)
    except BaseException as exc:  # any failure of the fast reader means: try the other
        _reraise_interrupts(exc)
        try:
            rows = _xlsx_rows_openpyxl(data)
        except BaseException as second:
            _reraise_interrupts(second)
            raise ExportError("error.xlsx_unreadable", file=name) from None
    numbered = [
        (number, row)
        for number, row in enumerate(rows, start=1)
        if any(cell is not None and cell != "" for cell in row)
    ]
    if not numbered:
        raise ExportError("error.empty_file", file=name)
    header = list(numbered[0][1])
    return header, [row for _, row in numbered[1:]], [number for number, _ in numbered[1:]]


def _reraise_interrupts(exc: BaseException) -> None:
    """A Rust panic is a BaseException: catch it like an error, but never Ctrl-C or exit."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise exc


def _xlsx_rows_calamine(data: bytes) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = workbook.get_sheet_by_index(0)
    return [list(row) for row in sheet.to_python(skip_empty_area=False)]


def _xlsx_rows_openpyxl(data: bytes) -> list[list[Any]]:
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it skips: nothing a seller can act on.
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Some exports declare a stale dimension (A1:A1); read-only mode would trust it.
            sheet.reset_dimensions()
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()


def _cell_text(value: Any) -> str:
    """An Excel cell as the text Seller Center's CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # Past 15 digits an integer went through a float: write it as a spreadsheet shows it,
        # so that the destroyed-ID check sees it.
        return str(value) if abs(value) < 10**15 else f"{float(value):.5E}"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value) if abs(value) < 1e15 else f"{value:.5E}"
    if isinstance(value, datetime):
        # Excel stores a time as a fraction of a day: 10:05:00 may come back as 10:04:59.999.
        moment: datetime = value.replace(microsecond=0)
        if value.microsecond >= 500_000:
            moment += timedelta(seconds=1)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _table_from_rows(
    header: list[Any], rows: list[list[Any]], options: ReadOptions, name: str
) -> pa.Table:
    import pyarrow as pa

    wanted = _locate_columns(header, options, name)
    columns = {
        field_name: pa.array(
            [_cell_text(row[index]) if index < len(row) else "" for row in rows], pa.string()
        )
        for field_name, index in wanted.items()
    }
    return pa.table(columns)


# --- normalizing -------------------------------------------------------------------------------


def _normalize(
    table: pa.Table, name: str, options: ReadOptions, row_numbers: Sequence[int] | None
) -> tuple[pd.DataFrame, list[tuple[str, dict[str, Any]]]]:
    """Trim every text, drop the XLSX description row, check IDs, parse times and money.

    `row_numbers` are the lines' rows in the sheet (XLSX); None means CSV rows, the header
    being row 1. They only serve to name a row in an error message.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    notices: list[tuple[str, dict[str, Any]]] = []
    rows = (
        np.arange(2, table.num_rows + 2, dtype=np.int64)
        if row_numbers is None
        else np.asarray(row_numbers, dtype=np.int64)
    )
    # IDs first, trimmed of the export's trailing tab: they decide which rows are lines. Times
    # keep theirs (the time formats allow trailing white space): the largest columns are not
    # copied just to trim them. Other text is trimmed as it is converted, a column at a time.
    for column in ("order_id", "sku_id"):
        if column in table.column_names:
            index = table.column_names.index(column)
            table = table.set_column(index, column, pc.utf8_trim_whitespace(table.column(column)))
    if row_numbers is not None and _has_description_row(table):  # XLSX only
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
        table, rows = table.filter(keep), rows[keep.to_numpy(zero_copy_only=False)]
        if blank:
            notices.append(("notice.rows_without_order_id", {"file": name, "count": blank}))
    for column in ("order_id", "sku_id"):
        if column in table.column_names:
            _refuse_destroyed_ids(table.column(column), FIELDS[column], name)

    numbers = [c for c in (*MONEY_FIELDS, "quantity") if c in options.fields]
    texts = [c for c in table.column_names if c not in TIME_FIELDS and c not in numbers]
    notices += _spreadsheet_notices(resaved.error_code_counts(table, texts), name)
    present = {c: FIELDS[c] for c in TIME_FIELDS if c in table.column_names}
    resaved.refuse_mixed_layouts(table, present, name)
    frame = pd.DataFrame(index=pd.RangeIndex(table.num_rows))
    for column in texts:
        values = table.column(column)
        table = table.drop_columns([column])  # converted: let Arrow free it
        if column in FEW_WORDS:
            frame[column] = few_words(values)
        elif column in ("order_id", "sku_id"):
            frame[column] = values.to_pandas().astype("str")
        else:
            frame[column] = pc.utf8_trim_whitespace(values).to_pandas().astype("str")
        del values
    # Arrow's allocator keeps what it freed; give the raw columns back before more is made.
    pa.default_memory_pool().release_unused()
    for column in options.fields:
        if column not in frame.columns and column not in TIME_FIELDS and column not in numbers:
            empty_text = _column_or_blank(table, column)
            frame[column] = few_words(empty_text) if column in FEW_WORDS else empty_text.to_pandas()
    # The time columns, two at a time.
    times = [column for column in TIME_FIELDS if column in options.fields]
    raw_times = {column: _column_or_blank(table, column) for column in times}
    table = table.drop_columns([column for column in times if column in table.column_names])
    bad_times = pd.Series(False, index=frame.index)
    parsed = in_order(lambda column: _parse_time_column(raw_times.pop(column), options.tz), times)
    for column, (values, unparsed) in zip(times, parsed, strict=True):
        frame[column] = values
        bad_times |= unparsed
    frame["unparsed_time"] = bad_times
    pa.default_memory_pool().release_unused()
    for column in numbers:
        values = pc.utf8_trim_whitespace(_column_or_blank(table, column))
        frame[column] = _money(values, FIELDS[column], name, rows)
    return frame, notices


def _spreadsheet_notices(counts: Mapping[str, int], name: str) -> list[tuple[str, dict[str, Any]]]:
    """A warning per column whose cells a spreadsheet ran as formulas (see `resaved`)."""
    return [
        ("notice.spreadsheet_formulas", {"file": name, "column": FIELDS[column], "count": count})
        for column, count in counts.items()
    ]


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


def few_words(values: pa.ChunkedArray) -> pd.Series:
    """A column of a handful of distinct words (statuses, couriers), trimmed, as categories:
    each word is stored and trimmed once, and every line holds a small code. The categories
    are sorted, so sorting or grouping by the column orders it as text would."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    raw = pc.dictionary_encode(values).to_pandas()
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
    values: pa.ChunkedArray, column: str, name: str, rows: npt.NDArray[np.int64]
) -> pd.Series:
    """Integer rupiah: one cast when every value is plain digits, `parse_money_column` else."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    amounts = None
    if not pc.any(pc.match_substring_regex(values, "[xX]")).as_py():  # Arrow reads 0x10 as 16
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
    return bool(-_MAX_RUPIAH < (extremes["min"] or 0) and (extremes["max"] or 0) < _MAX_RUPIAH)


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
    long_ids = ids.filter(pc.and_(digits, pc.greater_equal(pc.utf8_length(ids), 16)))
    if len(long_ids) < 2 or not pc.all(pc.ends_with(long_ids, "0")).as_py():
        return
    distinct = pc.unique(long_ids)
    if len(distinct) >= 2 and pc.all(pc.match_substring_regex(distinct, r"^[0-9]{15}0+$")).as_py():
        raise ExportError("error.ids_rounded", file=name, column=column, count=len(long_ids))


def _parse_time_column(raw: pa.ChunkedArray, tz: str) -> tuple[pd.Series, pd.Series]:
    """The known formats vectorized (each only while values are left), dateutil for the rest.

    Returns the timezone-aware times (NaT where empty) and a mask of values that did not parse.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    # Empty is "" or the export's lone tab; a format's trailing space allows the trailing tab.
    present = pc.invert(pc.or_(pc.equal(raw, ""), pc.utf8_is_space(raw)))
    nothing = pa.nulls(len(raw), pa.timestamp("s"))
    parsed, missing = _strptime_each(raw, present, nothing, [f + " " for f in TIME_FORMATS])
    # `%Y` also reads the "23" of a two-digit year as the year 23: read those again as `%y`.
    early = pc.less(pc.year(parsed), 1000)
    if pc.any(early).as_py():
        parsed = pc.if_else(early, nothing, parsed)
        short_years = [f + " " for f in SHORT_YEAR_FORMATS]
        parsed, missing = _strptime_each(raw, present, parsed, short_years)
    unparsed = pd.Series(
        missing.to_numpy(zero_copy_only=False) if len(raw) else [], dtype=bool
    ).fillna(False)
    naive = pd.Series(parsed.to_pandas(), dtype="datetime64[s]")
    if unparsed.any():
        leftovers = pd.Series(raw.to_pandas(), dtype=object)[unparsed]
        with _FALLBACK_LOCK:
            fixed = {value: _parse_time_fallback(value.strip(), tz) for value in leftovers.unique()}
        naive[unparsed] = leftovers.map(fixed).astype("datetime64[s]")
        unparsed = unparsed & naive.isna()
    aware = _localize(naive, tz)
    # A wall time the zone skipped or repeated (a DST change) is as unreadable as a typo.
    return aware, unparsed | (naive.notna() & aware.isna())


def _localize(naive: pd.Series, tz: str) -> pd.Series:
    """Wall times in `tz` made timezone-aware; ambiguous or skipped wall times become NaT."""
    import numpy as np
    import pandas as pd

    from tiktok_transition.clock import fixed_offset

    wall = naive.to_numpy("datetime64[s]")
    known = wall[~np.isnat(wall)]
    offset = (
        fixed_offset(tz, int(known.min().astype("int64")), int(known.max().astype("int64")))
        if len(known)
        else None
    )
    aware: pd.Series
    if offset is None:
        aware = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    else:  # one offset over the whole span (Asia/Jakarta's): a subtraction, no lookups
        utc = pd.Series(wall - np.timedelta64(offset, "s"), index=naive.index)
        aware = utc.dt.tz_localize("UTC").dt.tz_convert(tz)
    return aware


def _strptime_each(
    raw: pa.ChunkedArray, present: Any, parsed: Any, formats: Sequence[str]
) -> tuple[Any, Any]:
    """Fill `parsed` with each format in turn, each only while some values are still unread."""
    import pyarrow.compute as pc

    missing = pc.and_(present, pc.is_null(parsed))
    for fmt in formats:
        if not pc.any(missing).as_py():
            break
        attempt = _without_rolled_over(
            raw, pc.strptime(raw, format=fmt, unit="s", error_is_null=True), fmt
        )
        parsed = pc.coalesce(parsed, attempt)
        missing = pc.and_(present, pc.is_null(parsed))
    return parsed, missing


def _without_rolled_over(raw: pa.ChunkedArray, attempt: Any, fmt: str) -> Any:
    """Arrow reads 31/02/2023 as 3 March: such impossible dates become unread (null).

    Only a date that landed on day 1-3 can have rolled over; those are written back in the
    format and compared (a zero-padded export matches at once), the rest checked one by one.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    early = pc.fill_null(pc.less_equal(pc.day(attempt), 3), False)
    if not pc.any(early).as_py():
        return attempt
    # Only those few are written back and compared: a zero-padded export matches at once.
    where = np.flatnonzero(early.to_numpy(zero_copy_only=False))
    trimmed = pc.utf8_trim_whitespace(pc.take(raw, where))
    written = pc.strftime(pc.take(attempt, where), format=fmt.strip())
    differs = pc.fill_null(pc.not_equal(written, trimmed), True).to_numpy(zero_copy_only=False)
    impossible = np.zeros(len(raw), dtype=bool)
    for index in np.flatnonzero(differs):
        try:
            datetime.strptime(str(trimmed[int(index)].as_py()), fmt.strip())
        except ValueError:
            impossible[where[index]] = True
    if not impossible.any():
        return attempt
    return pc.if_else(pa.array(impossible), pa.nulls(len(raw), attempt.type), attempt)


_YEAR = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")
# Time columns are parsed two at a time, and `warnings.catch_warnings` is not thread-safe:
# one column at a time in dateutil, so no warning (which would quote the value) slips out.
_FALLBACK_LOCK = threading.Lock()


def _parse_time_fallback(value: str, tz: str) -> datetime | None:
    """A time in a form the fast formats missed, or None. It must name its year: dateutil
    would otherwise fill a bare "1" with today's date. A time with an offset is converted."""
    import warnings
    from zoneinfo import ZoneInfo

    from dateutil import parser

    years = {int(year) for year in _YEAR.findall(value)}
    if not years:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dateutil's warnings quote the value
            parsed = parser.parse(value, dayfirst=True)
        if parsed.year not in years:
            return None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    except (ValueError, OverflowError, ArithmeticError):
        return None
    return parsed


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


# --- merging ---------------------------------------------------------------------------------


def _evidence(lines: pd.DataFrame) -> pd.Series:
    present = [column for column in TIME_FIELDS if column in lines.columns]
    return lines[present].max(axis=1)


def _merge_sources(lines: pd.DataFrame) -> pd.DataFrame:
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


def _drop_identical_lines(
    lines: pd.DataFrame, order_codes: npt.NDArray[np.int64]
) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """A line seen twice counts once; only lines equal in every column read are identical.
    `order_codes` (the lines' `id_codes`) are returned for the lines kept: still numbered by
    first appearance, since only a repeat is dropped."""
    import pandas as pd

    # Lines can only be identical if their (order, SKU) pair is: compare the pairs as one
    # integer each first, which hashes far faster than two text columns.
    key = order_codes
    if "sku_id" in lines.columns:
        sku_codes = id_codes(lines["sku_id"])
        key = key * (int(sku_codes.max(initial=0)) + 2) + sku_codes
    candidates = pd.Series(key, index=lines.index).duplicated(keep=False)
    if not candidates.any():
        return lines, order_codes
    compare = [column for column in lines.columns if column != "source"]
    repeated = lines[candidates].duplicated(compare)
    kept = ~lines.index.isin(repeated[repeated].index)
    return lines[kept].reset_index(drop=True), order_codes[kept]


def id_codes(ids: pd.Series) -> npt.NDArray[np.int64]:
    """Each ID's code, numbered in order of first appearance (0, 1, 2, ...; -1 for a missing
    value). IDs that are all plain numbers are hashed as numbers: several times faster than
    text, with the same codes (no leading zeros, so equal numbers mean equal text)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(ids, pa.large_string(), from_pandas=True)
    codes: npt.NDArray[np.int64]
    if len(values) and values.null_count == 0 and pc.all(pc.ascii_is_decimal(values)).as_py():
        if not pc.any(pc.starts_with(values, "0")).as_py():
            try:
                numbers = pc.cast(values, pa.uint64()).to_numpy()
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass  # longer than 20 digits: hash the text
            else:
                codes = pd.factorize(numbers, sort=False)[0].astype(np.int64)
                return codes
    codes = pd.factorize(ids, sort=False)[0].astype(np.int64)
    return codes


def _newest_evidence(lines: pd.DataFrame) -> datetime | None:
    if lines.empty:
        return None
    # Column by column: a row-wise max over six time columns is ten times slower.
    maxima = [lines[c].max() for c in TIME_FIELDS if c in lines.columns]
    present = [m for m in maxima if m is not None and m == m]
    return max(present).to_pydatetime() if present else None
