"""The files and streams a report is written to: formats, cells, writers, atomic files."""
