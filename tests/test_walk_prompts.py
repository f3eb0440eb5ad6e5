"""What a walker at a terminal types reaches pacer as meant: arrow keys at the pain
questions are no part of the answer, and with the output going to a log (``| cat``)
the keys are still said once."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from test_walk_cli import TMUX, Terminal

from pacer.journal import Journal


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
def test_arrow_keys_at_the_pain_questions_are_no_part_of_the_answer(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    # A device that plays the whole walk at once: the second question comes at once.
    ahead = Path(__file__).with_name("walk_ahead.py")
    walk = [sys.executable, str(ahead), "75", "--", "walk", "--minutes", "1", "--rate", "8000"]
    term = Terminal(" ".join([*walk, "--journal", str(journal)]), tmp_path)
    try:
        term.wait_for("Pain now, 0-10 (Enter to skip):")
        term.keys("Up", "Left", "2", "Right", "Down", "Enter")
        term.wait_for("Pain after the walk, 0-10 (Enter to skip):")
        term.keys("Up", "Up", "4", "Left", "Enter")  # up recalls no earlier answer
        screen = term.wait_for("Recorded in the journal as walk 1.")
        assert term.exit_code() == 0
        assert "not a number" not in screen and "^[" not in screen, screen
        with Journal(journal) as book:
            (entry,) = book.entries()
        assert (entry.pain_before, entry.pain_after) == (2, 4)
    finally:
        term.close()


def test_the_keys_are_said_once_when_the_output_is_a_log(tmp_path: Path) -> None:
    """Keys read from a terminal, output to a pipe (``pacer walk | tee walk.log``)."""
    primary, secondary = pty.openpty()
    argv = [sys.executable, "-m", "pacer", "walk", "--engine", "null", "--minutes", "1"]
    argv += ["--rate", "8000", "--no-journal"]
    env = dict(os.environ, TMPDIR=str(tmp_path), HOME=str(tmp_path))
    proc = subprocess.Popen(
        argv, stdin=secondary, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith(b"Walking: ")
        keys = proc.stdout.readline().decode()
        assert keys.startswith("Keys: space pause or resume; ") and "q end the walk early" in keys
        os.write(primary, b"q")  # and the keys work
        rest = proc.stdout.read().decode()
        assert proc.wait(timeout=60) == 0
        assert rest.startswith("Walk ended early: ") and "Keys:" not in rest
        assert "\r" not in keys + rest and "\x1b" not in keys + rest  # plain lines
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(primary)
        os.close(secondary)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
def test_ctrl_c_at_pain_now_leaves_no_journal_it_made(tmp_path: Path) -> None:
    """Cancelled at the first question: nothing played, nothing recorded, and no new
    (empty) journal file left behind (one was)."""
    (tmp_path / "place").mkdir()
    journal = tmp_path / "place" / "journal.sqlite3"
    walk = f"{sys.executable} -m pacer walk --engine null --minutes 1 --rate 8000"
    term = Terminal(f"{walk} --journal {journal}", tmp_path)
    try:
        term.wait_for("Pain now, 0-10 (Enter to skip):")
        term.keys("C-c")
        term.wait_for("pacer: cancelled: nothing was played or recorded.")
        assert term.exit_code() == 130
    finally:
        term.close()
    assert list((tmp_path / "place").iterdir()) == []
