"""tiktok-transition: triage a TikTok Shop Indonesia order export against the 2023 wind-down."""

__version__ = "0.1.0"
