"""A journal writer for another process: a spawned process finds a function by its
module's name, and pytest's test modules have no importable name there under plain
``pytest`` (only under ``python -m pytest``, which puts the current folder on the
path). This module is importable in both, through the ``pythonpath`` setting."""

from __future__ import annotations

from pacer.journal import Entry, Journal


def add_walks(path: str, preset: str, count: int) -> None:
    """Add ``count`` ten-minute walks of ``preset`` to the journal at ``path``."""
    with Journal(path) as book:
        for i in range(count):
            book.add(
                Entry(
                    started=f"2026-11-{1 + i % 7:02d}T08:00:00",
                    preset=preset,
                    planned_minutes=10,
                    walked_minutes=10,
                )
            )
