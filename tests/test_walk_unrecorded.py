"""A walk the journal cannot take at its end (a full disk, a file made read-only mid
walk) is not lost: it is kept as a line of JSON, and pacer says where (issue 9, F9)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
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


def test_on_a_full_disk_no_empty_file_is_left_beside_the_journal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A walk that cannot be kept anywhere (the disk is full: the file is made, the
    line is not written) leaves nothing: no empty X.unrecorded.jsonl beside the
    journal, and a file that was there already is as it was."""
    import builtins
    import errno

    import pacer.journal as journal_module
    from pacer.journal import Entry, keep_unrecorded, kept_walks_path

    class Full:
        def __init__(self, handle: int, *args: object, **kwargs: object) -> None:
            self.file = builtins.open(handle, *args, **kwargs)  # type: ignore[call-overload]  # noqa: SIM115

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def fileno(self) -> int:
            return int(self.file.fileno())

        def write(self, data: bytes) -> int:
            self.file.write(data[: len(data) // 2])  # what fits, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal_module, "open", Full, raising=False)
    entry = Entry(started="2026-12-01T10:00:00", preset="backward", planned_minutes=20,
                  walked_minutes=12, pain_before=3, pain_after=3)  # fmt: skip
    journal = tmp_path / "journal.sqlite3"
    assert keep_unrecorded(entry, journal) is None
    assert not kept_walks_path(journal).exists()
    assert not journal_module.fallback_kept_path().exists()
    kept_walks_path(journal).write_bytes(b'{"an": "earlier line"}\n')
    assert keep_unrecorded(entry, journal) is None
    assert kept_walks_path(journal).read_bytes() == b'{"an": "earlier line"}\n'


def test_a_walk_a_lost_device_ended_is_recorded_as_ended_early_and_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The device is lost and does not come back: the walk ends, and the journal says
    it ended early because of that (not as the walker's choice, nor complete)."""
    from pacer.output.device import Player

    class Lost(FastEngine):
        """Plays 70 s of the walk at once, then is gone (asks for nothing more)."""

        def start(self, pull) -> None:  # type: ignore[no-untyped-def]
            block = np.zeros((4000, 2), dtype=np.float32)
            while self.pulled < 8000 * 70:
                pull(block)
                self.pulled += len(block)

        def alive(self) -> bool:
            return False

    engines: list[FastEngine] = [Lost()]

    def reopen_fails(*args: object, **kwargs: object) -> FastEngine:
        if engines:
            return engines.pop()
        raise device_module.NoAudioOutputError("no audio output was found")

    monkeypatch.setattr(device_module, "open_engine", reopen_fails)
    reopen, _, retry = Player.__init__.__defaults__  # type: ignore[misc]
    monkeypatch.setattr(Player.__init__, "__defaults__", (reopen, 0.3, retry))
    journal = tmp_path / "journal.sqlite3"
    args = ["walk", "--minutes", "2", "--rate", "8000", "--journal", str(journal)]
    result = CliRunner().invoke(main, [*args, "--pain-before", "3"])
    assert result.exit_code == 1, result.output
    assert "Walk ended: the audio device was lost" in result.output
    with Journal(journal) as book:
        (entry,) = book.entries()
    assert entry.ended_early and not entry.dizzy
    assert "audio device was lost" in entry.note
