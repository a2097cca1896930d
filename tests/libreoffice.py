"""LibreOffice as the seller's spreadsheet: open files the way a locale would, save them again.

Each conversion runs `soffice --headless --convert-to` with its own profile under the test's
temporary folder (`-env:UserInstallation`), whose locale is set in the profile's
registrymodifications.xcu: that locale decides how text becomes numbers and dates, as it does
for a seller who double-clicks the file. Several files share one call: LibreOffice starts slowly.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from conftest import soffice

# CSV filter options: separator (ASCII code), text delimiter ("), character set (76: UTF-8),
# first line. The language token is left out: the profile's locale decides, as for a user.
COMMA_UTF8 = "CSV:44,34,76,1"
SEMICOLON_UTF8 = "CSV:59,34,76,1"
# Saving as CSV: comma separated, UTF-8, as LibreOffice's "Text CSV" offers first.
CSV_OUT = "csv:Text - txt - csv (StarCalc):44,34,76,1"

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale"
 oor:op="fuse"><value>{locale}</value></prop></item>
</oor:items>
"""


def profile(folder: Path, locale: str) -> Path:
    """A LibreOffice user profile whose locale (number and date formats) is `locale`."""
    user = folder / f"profile-{locale}" / "user"
    if not user.is_dir():
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_XCU.format(locale=locale))
    return user.parent


def convert(
    files: Sequence[Path], to: str, into: Path, locale: str, infilter: str | None = None
) -> list[Path]:
    """Open each file in LibreOffice under `locale` and save it in `into` as `to`."""
    into.mkdir(parents=True, exist_ok=True)
    command = [
        soffice(),
        f"-env:UserInstallation={profile(into.parent, locale).as_uri()}",
        "--headless",
        "--norestore",
    ]
    if infilter is not None:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", to, "--outdir", str(into), *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    extension = to.split(":")[0]
    outputs = [into / f"{file.stem}.{extension}" for file in files]
    missing = [str(path) for path in outputs if not path.exists()]
    assert not missing, f"LibreOffice did not write {missing}: {done.stdout} {done.stderr}"
    return outputs
