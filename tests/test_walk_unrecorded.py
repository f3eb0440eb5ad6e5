"""A walk the journal cannot take at its end (a full disk, a file made read-only mid
walk) is not lost: it is kept as a line of JSON, and pacer says where (issue 9, F9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_walk_cli import FastEngine

from pacer.cli import main
from pacer.journal import Journal, JournalError
from pacer.output import device as device_module


def test_a_walk_the_journal_cannot_take_is_kept_and_said(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(device_module, "open_engine", lambda *a, **k: FastEngine())

    def full(self: Journal, entry: object) -> object:
        raise JournalError(f"{self.path}: could not record the walk (the disk is full)")

    monkeypatch.setattr(Journal, "add", full)
    journal = tmp_path / "journal.sqlite3"
    args = ["walk", "--minutes", "1", "--rate", "8000", "--journal", str(journal)]
    result = CliRunner().invoke(main, [*args, "--pain-before", "3"])
    assert result.exit_code == 1, result.output
    kept = tmp_path / "journal.sqlite3.unrecorded.jsonl"
    assert f"the disk is full); the walk is kept in {kept}" in result.output
    (line,) = kept.read_text().splitlines()
    walk = json.loads(line)
    assert walk["walked_minutes"] == 1.0 and walk["pain_before"] == 3
    assert walk["preset"] == "backward" and not walk["ended_early"]
