"""Guards against hostile or broken inputs and destinations (issue #14).

Never overwrite an input, write only regular files (or standard output), read every input
within bounds, leave no temporary file behind when a signal ends the process, and never let an
export drive the terminal. Imports neither pandas nor pyarrow.
"""

from __future__ import annotations

import os
import re
import signal
import stat
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tiktok_transition.errors import ExportError, TransitionError, UsageError

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


# --- outputs -------------------------------------------------------------------------------


def output_path(output: Path | None) -> Path | None:
    """`-o -` is standard output; `-o ""` and a folder are usage errors."""
    if output is None or str(output) == "-":
        return None
    if str(output) in ("", "."):
        raise UsageError("hostile.output_empty")
    try:
        folder = stat.S_ISDIR(os.stat(output).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        folder = False
    except OSError as exc:  # a name too long, a symlink loop, a folder we may not enter
        raise UsageError("error.output_write", path=str(output), reason=exc.strerror) from None
    if folder:
        raise UsageError("hostile.output_is_folder", path=str(output))
    return output


def refuse_overwriting_inputs(output: Path | None, inputs: Iterable[str]) -> None:
    """An output that is one of the inputs (same file, through a symlink or a hard link too)
    is refused before anything is read."""
    if output is None:
        return
    try:
        target = os.stat(output)
    except OSError:
        return  # does not exist (yet): it cannot be an input
    if not stat.S_ISREG(target.st_mode):
        return
    for path in inputs:
        if path == "-":
            continue
        try:
            source = os.stat(path)
        except OSError:
            continue
        if (source.st_dev, source.st_ino) == (target.st_dev, target.st_ino):
            raise UsageError("hostile.output_is_input", path=str(output), input=path)


def regular_or_absent(path: Path, key: str, error: type[TransitionError] = UsageError) -> None:
    """A file about to be read must be a regular file (or absent): a pipe would hang, a
    device never end."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise error(key, path=str(path), reason=exc.strerror or str(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise error(key, path=str(path), reason=_not_regular_reason())


def writable_regular(path: Path, key: str, error: type[TransitionError] = UsageError) -> None:
    """A file about to be replaced must be a regular file (or absent) that the user may write:
    a device, a pipe or a read-only file is refused (never replaced by a new file)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise error(key, path=str(path), reason=exc.strerror or str(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise error(key, path=str(path), reason=_not_regular_reason())
    if not os.access(path, os.W_OK):
        raise error(key, path=str(path), reason=os.strerror(13))


def _not_regular_reason() -> str:
    from tiktok_transition.i18n import t

    return t("hostile.not_a_regular_file")


def keep_owner_and_mode(existing: Path, replacement: str | Path) -> None:
    """The replacement takes the existing file's mode (and owner, where the user can)."""
    try:
        info = os.stat(existing)
    except OSError:
        return
    os.chmod(replacement, stat.S_IMODE(info.st_mode))
    if hasattr(os, "chown"):
        try:
            os.chown(replacement, info.st_uid, info.st_gid)
        except OSError:
            pass  # only root may give a file away: it keeps the writer's owner


def refuse_pii_overrides(overrides: Mapping[str, str], fields: Sequence[str]) -> None:
    """`--column 'Order ID=Buyer Username'` would put buyer data in the report: refused
    unless the buyer columns were asked for (`--include-pii`)."""
    from tiktok_transition.exports import FIELDS, PII_FIELDS, fold_header

    if set(PII_FIELDS) <= set(fields):
        return
    pii_names = {FIELDS[field] for field in PII_FIELDS} | set(MORE_PII_HEADERS)
    pii_headers = {fold_header(name) for name in pii_names}
    for canonical, actual in overrides.items():
        if canonical not in pii_names and fold_header(actual) in pii_headers:
            raise UsageError("hostile.pii_column", spec=f"{canonical}={actual}")


# Buyer data the reader never takes as a field, but a `--column` could point at.
MORE_PII_HEADERS = ("Buyer Message",)


# --- signals -------------------------------------------------------------------------------


class Terminated(SystemExit):
    """SIGTERM or SIGHUP: unwind (so temporary files are removed), then exit 128 + signal."""


def _terminate(signum: int, _frame: Any) -> None:
    raise Terminated(128 + signum)


def clean_exit_on_signals() -> None:
    """SIGTERM and SIGHUP end the process like Ctrl-C does: through `finally` blocks."""
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            signal.signal(number, _terminate)


# --- the program's own exit ----------------------------------------------------------------


def run_standalone(main: Callable[..., Any], lang_hint: str | None = None) -> None:
    """Run Typer's `main` as a program: a usage error is one line on standard error (exit 2),
    a reader that went away before the help was printed (`--help | true`) is exit 0."""
    from tiktok_transition.i18n import t

    try:
        code = main(standalone_mode=False)
    except Exception as exc:  # Typer's own (vendored) click exceptions, known by name
        kinds = {kind.__name__ for kind in type(exc).__mro__}
        if "Abort" in kinds:
            print(file=sys.stderr)
            sys.exit(130)
        if "ClickException" not in kinds:
            raise
        context = getattr(exc, "ctx", None)
        where = context.command_path if context is not None else "tiktok-transition"
        lang = (context.meta.get("tiktok_transition.lang") if context else None) or lang_hint
        hint = _strip_markup(t("usage.try_help", lang, command_path=where, help_option="-h"))
        formatter = getattr(exc, "format_message", None)
        message = " ".join((formatter() if formatter else str(exc)).split()).rstrip(".")
        usage = " ".join(context.get_usage().split()) + ". " if context is not None else ""
        line = f"{t('usage.error', lang)}: {message}. {usage}{hint}"
        print(printable(line), file=sys.stderr)
        sys.exit(getattr(exc, "exit_code", 2))
    except SystemExit as exc:
        if exc.code == 1 and _pipe_was_closed():
            sys.exit(0)  # Rich's or Typer's answer to a closed pipe: the input was fine
        raise
    sys.exit(code if isinstance(code, int) else 0)


def _pipe_was_closed() -> bool:
    """Rich points standard output at /dev/null when its reader went away; Typer wraps it."""
    if type(sys.stdout).__name__ == "PacifyFlushWrapper":
        return True
    try:
        return os.fstat(1).st_rdev == os.stat(os.devnull).st_rdev and not stat.S_ISREG(
            os.fstat(1).st_mode
        )
    except OSError:
        return False


def _strip_markup(text: str) -> str:
    return re.sub(r"\[/?[a-z ]*\]", "", text)


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
        first = _first_sheet(archive, sheets)
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


def _first_sheet(archive: Any, sheets: list[Any]) -> Any:
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


# --- terminal safety -----------------------------------------------------------------------

# C0 controls but tab and newline, DEL, C1 controls, and the bidi overrides that reorder text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to show on a terminal: a control character (an escape sequence could retitle
    or drive the terminal) is shown as `\\x1b`, never sent."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda match: _escape(ord(match.group())), text)


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
