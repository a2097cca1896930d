"""Migration checklists: bundled TOML data, user overrides, and progress kept in one file."""

from tiktok_transition.checklists.loader import (
    BUNDLED_PLATFORMS,
    ChecklistFileError,
    load_checklists,
)
from tiktok_transition.checklists.models import (
    Checklist,
    Item,
    Phase,
    UnknownItemError,
    UnknownPlatformError,
    require_platform,
)
from tiktok_transition.checklists.state import (
    STATE_ENV,
    ProgressStore,
    StateError,
    default_state_path,
)

__all__ = [
    "BUNDLED_PLATFORMS",
    "STATE_ENV",
    "Checklist",
    "ChecklistFileError",
    "Item",
    "Phase",
    "ProgressStore",
    "StateError",
    "UnknownItemError",
    "UnknownPlatformError",
    "default_state_path",
    "load_checklists",
    "require_platform",
]
