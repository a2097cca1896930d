"""The exports' fingerprints taken in the background while a run reads them: in a thread at the
lowest CPU priority, so that the hash fills the cores the run leaves idle instead of taking
one from the reader's threads, and finished at full speed by whoever asks for them."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import threading
from collections.abc import Sequence
from io import FileIO
from pathlib import Path

from tiktok_transition.history.schema import ExportFingerprint

_CHUNK = 4 << 20  # bytes hashed per step: a step's CPU time bounds how long `result` can wait
# The file being hashed: name, stream, size, bytes left to hash, digest so far.
_Reading = tuple[str, FileIO, int, int, "hashlib._Hash"]


def fingerprint(paths: Sequence[str]) -> tuple[ExportFingerprint, ...]:
    """Name, size and SHA-256 of each export, taken now, in this thread."""
    return Fingerprinting(paths, background=False).result()


class Fingerprinting:
    """`fingerprint(paths)`, begun now in a thread that yields the CPU to everything else the
    process does; `result()` finishes it in the calling thread (at that thread's priority) and
    returns the fingerprints, in the paths' order."""

    def __init__(self, paths: Sequence[str], background: bool = True) -> None:
        self._paths = list(paths)
        self._prints: list[ExportFingerprint] = []
        self._file: _Reading | None = None
        self._buffer = bytearray(_CHUNK)
        self._lock = threading.Lock()
        self._wanted = threading.Event()
        if background:
            threading.Thread(target=self._background, name="history-hash", daemon=True).start()

    def result(self) -> tuple[ExportFingerprint, ...]:
        self._wanted.set()
        with self._lock:
            while self._step():
                pass
            return tuple(self._prints)

    def _background(self) -> None:
        _lowest_priority()
        while not self._wanted.is_set():
            with self._lock:
                if not self._step():
                    return

    def _step(self) -> bool:
        """Hash the next chunk (or open the next file); False once every path has its print."""
        if self._file is None:
            if len(self._prints) == len(self._paths):
                return False
            self._file = self._open(self._paths[len(self._prints)])
            return True
        name, stream, size, left, digest = self._file
        try:
            read = stream.readinto(self._buffer) if left else 0
        except OSError:
            read = None
        if read:
            taken = min(read, left)
            with memoryview(self._buffer) as view:
                digest.update(view[:taken])  # lets go of the GIL for the whole chunk
            self._file = (name, stream, size, left - taken, digest)
            return True
        stream.close()
        self._file = None
        whole = read == 0 and not left  # read to the end: fingerprinted
        self._prints.append(
            ExportFingerprint(name, size, digest.hexdigest())
            if whole
            else ExportFingerprint(name, None, None)
        )
        return True

    def _open(self, path: str) -> _Reading | None:
        """Standard input (`-`), a pipe or a device was read once and not kept: it is named,
        with neither size nor hash, and never opened again (a second reader of a pipe would
        take part of the export away from the scan). A file that cannot be opened: named."""
        source = Path(path)
        if path == "-" or not source.is_file():
            self._prints.append(ExportFingerprint("-" if path == "-" else source.name, None, None))
            return None
        try:
            stream = open(source, "rb", buffering=0)  # noqa: SIM115 - closed by _step
        except OSError:
            self._prints.append(ExportFingerprint(source.name, None, None))
            return None
        try:
            size = os.fstat(stream.fileno()).st_size
        except OSError:
            stream.close()
            self._prints.append(ExportFingerprint(source.name, None, None))
            return None
        return (source.name, stream, size, size, hashlib.sha256())


def _lowest_priority() -> None:
    """This thread, and only it, at nice 19 (Linux gives each thread its own nice value);
    elsewhere it keeps the process's priority."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
