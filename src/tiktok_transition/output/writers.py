"""One writer per file format, for frames and records alike (`write_rows`); CSV safety lives here.

A column's kind comes from its dtype: datetimes are written ISO 8601 with offset, booleans
`true`/`false`, integers as integers, floats with one decimal, everything else as text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, TypeAlias

from tiktok_transition.core.parallel import in_order
from tiktok_transition.output.cells import (
    cell_kind,
    excel_cells,
    json_records,
    markdown_escape,
    quote_one,
    record_cell,
    row_cells,
    text_cells,
    xlsx_text,
)
from tiktok_transition.output.formats import Format

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


# --- writers -------------------------------------------------------------------------------


def write_csv(frame: pd.DataFrame, stream: IO[bytes], excel: bool = False) -> None:
    """RFC 4180 CSV, quoted only where needed, built column-wise in Arrow (no per-row Python).

    `excel`: UTF-8 with BOM and `;`, as a spreadsheet in an Indonesian locale opens it.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    separator = ";" if excel else ","
    if excel:
        stream.write(b"\xef\xbb\xbf")
    header = separator.join(quote_one(str(name), separator) for name in frame.columns)
    stream.write((header + "\n").encode("utf-8"))
    if frame.empty:
        return
    # In slices, so the text of a million rows is never in memory all at once; two slices
    # are made at a time (Arrow's kernels run outside the GIL), and written in order.
    newline, nothing = pa.scalar("\n", pa.large_string()), pa.scalar("", pa.large_string())

    def rows_of(part: pd.DataFrame) -> pa.Array:
        cells = (
            [excel_cells(part[name], str(name), separator) for name in part.columns]
            if excel
            else row_cells(part, separator)
        )
        cells[-1] = pc.binary_join_element_wise(cells[-1], newline, nothing)
        return pc.binary_join_element_wise(*cells, pa.scalar(separator, pa.large_string()))

    # The slices are cut here, in this thread: the workers only read them. An even number of
    # equal slices, none over CSV_SLICE, keeps both workers busy to the end (200,000 rows:
    # two of 100,000, not 131,072 then 68,928).
    count = -(-len(frame) // CSV_SLICE)
    count += count % 2 if count > 1 else 0
    size = -(-len(frame) // count)
    parts = (frame.iloc[start : start + size] for start in range(0, len(frame), size))
    for rows in in_order(rows_of, parts):
        # The rows, each ending in a newline, lie back to back in the array's data buffer.
        offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)
        first, last = offsets[rows.offset], offsets[rows.offset + len(rows)]
        stream.write(memoryview(rows.buffers()[2])[first:last])


CSV_SLICE = 1 << 17


def write_json(frame: pd.DataFrame, stream: IO[bytes]) -> None:
    text = json.dumps(json_records(frame), ensure_ascii=False, indent=2)
    stream.write((text + "\n").encode("utf-8"))


def write_jsonl(frame: pd.DataFrame, stream: IO[bytes]) -> None:
    for record in json_records(frame):
        stream.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))


def write_object(value: Any, stream: IO[bytes]) -> None:
    """One JSON object (summary, checklist), pretty-printed."""
    stream.write((json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def write_markdown(frame: pd.DataFrame, stream: IO[bytes]) -> None:
    names = [str(name) for name in frame.columns]
    lines = ["| " + " | ".join(names) + " |", "|" + "|".join("---" for _ in names) + "|"]
    # Numbers stay numbers: only text cells get the formula guard.
    cells = [text_cells(frame[name], guard=True) for name in frame.columns]
    for values in zip(*cells, strict=True):
        lines.append("| " + " | ".join(markdown_escape(value) for value in values) + " |")
    stream.write(("\n".join(lines) + "\n").encode("utf-8"))


def _records_csv(records: Records, stream: IO[bytes], excel: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\n")
    writer.writerow(records.columns)
    for row in records.rows:
        writer.writerow([record_cell(row[name], "," if excel else ".") for name in records.columns])
    stream.write((("\ufeff" if excel else "") + buffer.getvalue()).encode("utf-8"))


def _records_markdown(records: Records, stream: IO[bytes]) -> None:
    columns = records.columns
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for row in records.rows:
        cells = (markdown_escape(record_cell(row[name])) for name in columns)
        lines.append("| " + " | ".join(cells) + " |")
    stream.write(("\n".join(lines) + "\n").encode("utf-8"))


def _write_xlsx_records(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], stream: IO[bytes]
) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("report")
    sheet.freeze_panes = "A2"
    sheet.append(list(columns))
    for row in rows:
        cells = []
        for name in columns:
            value = row[name]
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=xlsx_text(value))
                cell.data_type = "s"
            else:
                cell = WriteOnlyCell(sheet, value=value)
            cells.append(cell)
        sheet.append(cells)
    workbook.save(stream)


def write_xlsx(frame: pd.DataFrame, stream: IO[bytes], sheet: str = "report") -> None:
    """Real cells: IDs and text as text, amounts as numbers, times as (local) datetimes."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "A2"
    kinds = {name: cell_kind(frame[name]) for name in frame.columns}
    widths = {name: max(len(str(name)), 10) for name in frame.columns}
    values: dict[str, list[Any]] = {}
    for name in frame.columns:
        series = frame[name]
        if kinds[name] == "time":
            naive = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) else series
            values[name] = [None if v is None or v != v else v.to_pydatetime() for v in naive]
            widths[name] = 19
        elif kinds[name] == "float":
            values[name] = [None if v != v else float(v) for v in series]
        elif kinds[name] in ("int", "bool"):
            values[name] = [v.item() if hasattr(v, "item") else v for v in series]
        else:
            texts = [xlsx_text(str(v)) if v == v and v is not None else "" for v in series]
            values[name] = texts
            longest = max((len(v) for v in texts[:1000]), default=0)
            widths[name] = min(max(widths[name], longest), 60)
    for index, name in enumerate(frame.columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = widths[name] + 2
    worksheet.append([str(name) for name in frame.columns])
    for row in zip(*values.values(), strict=True):
        cells = []
        for name, value in zip(frame.columns, row, strict=True):
            cell = WriteOnlyCell(worksheet, value=value)
            if kinds[name] == "time" and value is not None:
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif kinds[name] == "text":
                cell.data_type = "s"
            cells.append(cell)
        worksheet.append(cells)
    workbook.save(stream)


# --- one writer per format, for frames and records alike ------------------------------------


@dataclass(frozen=True)
class Records:
    """Plain rows (text, numbers, booleans) and their columns: a report without pandas."""

    rows: Sequence[Mapping[str, Any]]
    columns: Sequence[str] = ()


Rows: TypeAlias = "pd.DataFrame | Records"


def _csv(rows: Rows, stream: IO[bytes], excel: bool) -> None:
    if isinstance(rows, Records):
        _records_csv(rows, stream, excel)
    else:
        write_csv(rows, stream, excel=excel)


def _json(rows: Rows, stream: IO[bytes], _excel: bool) -> None:
    if isinstance(rows, Records):
        write_object([dict(row) for row in rows.rows], stream)
    else:
        write_json(rows, stream)


def _jsonl(rows: Rows, stream: IO[bytes], _excel: bool) -> None:
    if isinstance(rows, Records):
        for row in rows.rows:
            stream.write((json.dumps(dict(row), ensure_ascii=False) + "\n").encode("utf-8"))
    else:
        write_jsonl(rows, stream)


def _markdown(rows: Rows, stream: IO[bytes], _excel: bool) -> None:
    if isinstance(rows, Records):
        _records_markdown(rows, stream)
    else:
        write_markdown(rows, stream)


def _xlsx(rows: Rows, stream: IO[bytes], _excel: bool) -> None:
    if isinstance(rows, Records):
        _write_xlsx_records(rows.rows, rows.columns, stream)
    else:
        write_xlsx(rows, stream)


Writer = Callable[[Rows, IO[bytes], bool], None]
# Every file format and its writer; TABLE is the terminal's (a view, not rows).
WRITERS: Mapping[Format, Writer] = {
    Format.CSV: _csv,
    Format.JSON: _json,
    Format.JSONL: _jsonl,
    Format.MARKDOWN: _markdown,
    Format.XLSX: _xlsx,
}


def write_rows(rows: Rows, fmt: Format, stream: IO[bytes], excel: bool = False) -> None:
    """A report's rows in a file format: the one writer of that format."""
    WRITERS[fmt](rows, stream, excel)
