"""Checklist progress in one JSON file, safe when several processes write at once."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiktok_transition.checklists.loader import load_checklists
from tiktok_transition.checklists.models import Checklist, require_platform
from tiktok_transition.errors import TransitionError
from tiktok_transition.guards import keep_owner_and_mode, regular_or_absent, writable_regular
from tiktok_transition.i18n import t

if TYPE_CHECKING:
    from filelock import FileLock

STATE_ENV = "TIKTOK_TRANSITION_STATE"
FORMAT_VERSION = 1
LOCK_TIMEOUT_SECONDS = 30

# platform -> item id -> when it was marked done (aware datetime)
Progress = dict[str, dict[str, datetime]]


class StateError(TransitionError):
    """A progress file that cannot be read or written."""


def default_state_path() -> Path:
    """`TIKTOK_TRANSITION_STATE` if set, else `progress.json` in the user's state directory."""
    override = os.environ.get(STATE_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_state_path

    return user_state_path("tiktok-transition") / "progress.json"


class ProgressStore:
    """Which checklist items are done, and when; ids are checked against `checklists`."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        checklists: Mapping[str, Checklist] | None = None,
    ) -> None:
        self.path = path if path is not None else default_state_path()
        self.checklists = checklists if checklists is not None else load_checklists()
        # Texts for the caller to show: the core never prints.
        self.warnings: list[str] = []
        self._lock: FileLock | None = None  # made when first needed: reading takes none

    def completed(self, platform: str) -> dict[str, datetime]:
        """Done items of `platform` that its checklist still has, with when they were marked."""
        checklist = require_platform(self.checklists, platform)
        progress = self._read()
        if progress is None:
            with self._locked():
                progress = self._read_for_write()
        marked = progress.get(platform, {})
        return {item_id: marked[item_id] for item_id in checklist.item_ids if item_id in marked}

    def done(
        self, platform: str, item_ids: Iterable[str], when: datetime | None = None
    ) -> list[str]:
        """Mark items done; returns the ids newly marked (a done item keeps its first time)."""
        wanted = require_platform(self.checklists, platform).require_items(item_ids)
        stamp = (when or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        with self._locked():
            progress = self._read_for_write()
            marked = progress.setdefault(platform, {})
            changed = [item_id for item_id in dict.fromkeys(wanted) if item_id not in marked]
            for item_id in changed:
                marked[item_id] = stamp
            if changed:
                self._write(progress)
        return changed

    def undo(self, platform: str, item_ids: Iterable[str]) -> list[str]:
        """Mark items not done; returns the ids that were done before."""
        wanted = require_platform(self.checklists, platform).require_items(item_ids)
        with self._locked():
            progress = self._read_for_write()
            marked = progress.get(platform, {})
            changed = [item_id for item_id in dict.fromkeys(wanted) if item_id in marked]
            for item_id in changed:
                del marked[item_id]
            if changed:
                self._write(progress)
        return changed

    def reset(self, platform: str) -> int:
        """Forget all progress on `platform`; returns how many marks were removed."""
        require_platform(self.checklists, platform)
        with self._locked():
            progress = self._read_for_write()
            removed = len(progress.pop(platform, {}))
            if removed:
                self._write(progress)
        return removed

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the lock next to the file, so a read-modify-write is never interleaved."""
        from filelock import FileLock, Timeout

        # A device or a pipe is never replaced, a read-only file never overwritten.
        writable_regular(self.path, "checklist.state_unusable", StateError)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._unusable(exc) from exc
        if self._lock is None:
            self._lock = FileLock(f"{self.path}.lock", timeout=LOCK_TIMEOUT_SECONDS)
        lock = self._lock
        try:
            lock.acquire()
        except Timeout as exc:
            raise StateError("checklist.state_locked", path=self.path) from exc
        except OSError as exc:
            raise self._unusable(exc) from exc
        try:
            yield
        finally:
            lock.release()

    def _read(self) -> Progress | None:
        """The stored progress; `None` when the file is corrupt."""
        regular_or_absent(self.path, "checklist.state_unusable", StateError)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise self._unusable(exc) from exc
        return _parse(raw, self.path)

    def _read_for_write(self) -> Progress:
        """Inside the lock: the stored progress, moving a corrupt file aside first."""
        progress = self._read()
        if progress is not None:
            return progress
        backup = _free_name(self.path)
        try:
            os.replace(self.path, backup)
        except OSError as exc:
            raise self._unusable(exc) from exc
        self.warnings.append(t("checklist.state_corrupt", path=self.path, backup=backup))
        return {}

    def _write(self, progress: Progress) -> None:
        document = {
            "version": FORMAT_VERSION,
            "platforms": {
                platform: {item_id: when.isoformat() for item_id, when in marked.items()}
                for platform, marked in sorted(progress.items())
                if marked
            },
        }
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        try:
            _write_atomically(self.path, text)
        except OSError as exc:
            raise self._unusable(exc) from exc

    def _unusable(self, exc: OSError) -> StateError:
        return StateError("checklist.state_unusable", path=self.path, reason=exc.strerror or exc)


def _parse(raw: bytes, path: Path) -> Progress | None:
    """Progress from the file's bytes; `None` when they are not a progress file of ours."""
    if not raw.strip():
        return {}
    try:
        document: Any = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):
        # ValueError: also a number of thousands of digits; RecursionError: deep nesting.
        return None
    if not isinstance(document, dict):
        return None
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        # Moving a newer file aside would lose someone's progress: refuse instead.
        raise StateError("checklist.state_newer", path=path, version=version)
    platforms = document.get("platforms")
    if version != FORMAT_VERSION or not isinstance(platforms, dict):
        return None
    progress: Progress = {}
    for platform, marked in platforms.items():
        if not isinstance(marked, dict):
            return None
        progress[platform] = {}
        for item_id, when in marked.items():
            try:
                moment = datetime.fromisoformat(when)
            except (TypeError, ValueError):
                return None
            if moment.tzinfo is None or not _in_range(moment):
                return None
            progress[platform][item_id] = moment
    return progress


def _in_range(moment: datetime) -> bool:
    """A time that can be shown in any zone (year 9999 overflows once converted)."""
    try:
        moment.astimezone(UTC)
    except OverflowError:
        return False
    return 1 < moment.year < 9999


def _free_name(path: Path) -> Path:
    """`progress.json.corrupt-<UTC timestamp>`, with a counter if that name is taken."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    return candidate


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, sync it, then swap it in."""
    # Closed by the `with` below; opened here so `finally` knows its name.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        keep_owner_and_mode(path, handle.name)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not possible (nor needed) on every system."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
