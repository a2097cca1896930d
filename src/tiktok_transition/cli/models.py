"""The program's pydantic models (the checklists', the timeline's), imported without pydantic's
plugin discovery.

pydantic looks for plugins (installed packages that instrument validation) when a model class
is built, by reading every installed package's entry points: ~3 ms at each start of `checklist`
or `timeline`, for plugins this program has no use for. Typer builds its own adapters the same
way (`PYDANTIC_DISABLE_PLUGINS` while it builds them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

_DISABLE = "PYDANTIC_DISABLE_PLUGINS"


@contextmanager
def without_plugins() -> Iterator[None]:
    """Build the models imported here without looking for pydantic plugins."""
    previous = os.environ.get(_DISABLE)
    os.environ[_DISABLE] = "__all__"
    try:
        yield
    finally:
        if previous is None:
            del os.environ[_DISABLE]
        else:
            os.environ[_DISABLE] = previous
