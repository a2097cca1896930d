"""Guards any layer may use: a file to read or replace is a regular one, text for a
terminal is printable.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path

from tiktok_transition.errors import TransitionError, UsageError


def regular_or_absent(path: Path, key: str, error: type[TransitionError] = UsageError) -> bool:
    """A file about to be read must be a regular file (or absent): a pipe would hang, a
    device never end. True when it is there."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise error(key, path=str(path), reason=exc.strerror or str(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise error(key, path=str(path), reason=_not_regular_reason())
    return True


def writable_regular(path: Path, key: str, error: type[TransitionError] = UsageError) -> None:
    """A file about to be replaced must be a regular file (or absent) that the user may write:
    a device, a pipe or a read-only file is refused (never replaced by a new file)."""
    if regular_or_absent(path, key, error) and not os.access(path, os.W_OK):
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
        # only root may give a file away: it keeps the writer's owner
        with contextlib.suppress(OSError):
            os.chown(replacement, info.st_uid, info.st_gid)


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
