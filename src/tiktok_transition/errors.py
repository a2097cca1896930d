"""The project's own errors: the core raises them, the CLI turns them into one sentence."""

from __future__ import annotations

from typing import Any


class TransitionError(Exception):
    """A problem the user can fix. `key` names a message in the i18n catalogue."""

    exit_code = 2

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        from tiktok_transition.i18n import t

        return t(self.key, **self.params)


class ExportError(TransitionError):
    """An order export that cannot be read right."""


class UsageError(TransitionError):
    """An option value that makes no sense."""
