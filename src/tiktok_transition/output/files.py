"""Where a report goes: standard output, or a file written atomically."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tiktok_transition.errors import UsageError

# --- destinations --------------------------------------------------------------------------


@contextmanager
def open_output(path: Path | None) -> Iterator[IO[bytes]]:
    """Standard output (also `-o -`), or a file written atomically: complete, or not there at all.

    A path that is not a regular file (`/dev/null`, a named pipe) is written directly. Every
    failure to write (a full disk, a closed standard output) is the user's error, exit 2.
    """
    if path is None or str(path) == "-":
        with _written_to(Path("-")):
            yield _stdout_buffer()
        return
    with _written_to(path):
        direct = path.exists() and not path.is_file()
        if direct and path.is_dir():
            raise UsageError("hostile.output_is_folder", path=str(path))
    if direct:
        # Made whole first: a writer that fails half-way (an XLSX on a full device) leaves
        # nothing half-open behind, and the one write says what went wrong.
        made = io.BytesIO()
        yield made
        with _written_to(path), path.open("wb") as stream:
            stream.write(made.getbuffer())
        return
    if path.exists() and not os.access(path, os.W_OK):  # a read-only report stays as it is
        raise UsageError("error.output_write", path=str(path), reason=os.strerror(13))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError("error.output_folder_missing", path=str(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise UsageError("error.output_write", path=str(path), reason=exc.strerror or "") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _keep_mode(path, temporary)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError("error.output_write", path=str(path), reason=exc.strerror or "") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _stdout_buffer() -> IO[bytes]:
    import sys

    if sys.stdout is None:  # started with standard output closed (`>&-`)
        raise UsageError("hostile.no_stdout")
    sys.stdout.flush()
    buffer: IO[bytes] = sys.stdout.buffer
    return buffer


@contextmanager
def _written_to(path: Path) -> Iterator[None]:
    """An OSError while writing `path` (`-`: standard output) as the user's error; a reader
    that went away (`| head`) stays a BrokenPipeError."""
    import sys

    try:
        yield
        if str(path) == "-" and sys.stdout is not None:
            sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = "-" if str(path) == "-" else str(path)
        raise UsageError("error.output_write", path=where, reason=exc.strerror or "") from None


def _keep_mode(path: Path, temporary: str) -> None:
    """mkstemp creates 0600; give the report the mode a plain `open()` would."""
    if path.exists():
        from tiktok_transition.guards import keep_owner_and_mode

        keep_owner_and_mode(path, temporary)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
