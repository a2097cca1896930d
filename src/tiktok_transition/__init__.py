"""tiktok-transition: triage a TikTok Shop Indonesia order export against the 2023 wind-down."""


def __getattr__(name: str) -> str:
    """`__version__`, from the installed package's metadata: pyproject.toml is the one source."""
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import version

    return version("tiktok-transition")
