"""The program around the commands: -o and --column checked before reading, signals, a
standalone exit (issue #14).
"""

from __future__ import annotations

import os
import re
import signal
import stat
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from tiktok_transition.errors import UsageError
from tiktok_transition.guards import printable

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


def refuse_pii_overrides(overrides: Mapping[str, str], fields: Sequence[str]) -> None:
    """`--column 'Order ID=Buyer Username'` would put buyer data in the report: refused
    unless the buyer columns were asked for (`--include-pii`)."""
    from tiktok_transition.reader.layout import FIELDS, PII_FIELDS, fold_header

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


def exit_now(code: str | int | None) -> NoReturn:
    """Leave as `sys.exit(code)` would, without the interpreter's teardown.

    Once a command is done, Python would spend ~80 ms freeing what pandas and pyarrow built
    (measured on a 200,000-line scan: a tenth of its time). Threads that are not daemons are
    joined first, as the interpreter would; what is left unflushed on standard output or
    error is flushed, and if that fails (a reader that went away) the ordinary exit handles
    it, as before. A text code (a message) also takes the ordinary way."""
    import threading

    if code is not None and not isinstance(code, int):
        sys.exit(code)
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: the descriptor was closed when the program began
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code or 0)


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
