"""The rules, pure (no Typer, no Rich, no files): flags, moments, triage, planning, money."""
