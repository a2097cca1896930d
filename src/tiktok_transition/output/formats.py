"""The output formats, and the one chosen from --format, -o's extension and the terminal."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from tiktok_transition.errors import UsageError


class Format(StrEnum):
    AUTO = "auto"
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    MARKDOWN = "markdown"
    XLSX = "xlsx"


_BY_SUFFIX = {
    ".csv": Format.CSV,
    ".json": Format.JSON,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".md": Format.MARKDOWN,
    ".xlsx": Format.XLSX,
}


def resolve_format(fmt: Format, output: Path | None, stdout_is_terminal: bool) -> Format:
    """`auto`: the output file's extension, else a table on a terminal and CSV in a pipe."""
    if fmt is Format.AUTO:
        if output is not None:
            return _BY_SUFFIX.get(output.suffix.lower(), Format.CSV)
        return Format.TABLE if stdout_is_terminal else Format.CSV
    if fmt is Format.XLSX and output is None:
        raise UsageError("error.xlsx_needs_output")
    return fmt
