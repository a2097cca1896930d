"""Headless Chromium for the report's tests and the README's screenshot: the DOM after the page
has loaded, and screenshots, with the network off (a proxy that refuses, no name resolves)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    # The network off: every request goes to a proxy that is not there, and no name resolves.
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
TIMEOUT = 180


def find_chromium() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        env = {**os.environ, "HOME": profile}
        return subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=True,
            env=env,
        )


def dump_dom(page: Path) -> str:
    """The DOM as Chromium built it (after parsing, styles and images)."""
    return _run(page, "--dump-dom").stdout


def screenshot(page: Path, target: Path, width: int, height: int) -> Path:
    """A PNG of the page's first `height` pixels at a window `width` wide."""
    _run(page, f"--screenshot={target.resolve()}", f"--window-size={width},{height}")
    return target
