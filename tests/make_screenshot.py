"""Regenerate `examples/report.png`, the README's picture of `report`: the example export's
report, opened in headless Chromium with the network off, as the browser tests open it.

    python tests/make_screenshot.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import browser  # noqa: E402

EXPORT = ROOT / "examples" / "orders-2023-10-20.csv"
TARGET = ROOT / "examples" / "report.png"
WIDTH, HEIGHT = 1000, 1900


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "tiktok_transition", "report", str(EXPORT),
             "--as-of", "2023-10-20 09:00", "--state", str(Path(folder) / "progress.json"),
             "-o", str(page)],
            check=True,
        )  # fmt: skip
        browser.screenshot(page, TARGET, WIDTH, HEIGHT)
    print(f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size:,} bytes, {WIDTH}x{HEIGHT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
