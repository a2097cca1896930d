"""Everything Typer: the app, its command groups, the shared options and preamble."""
