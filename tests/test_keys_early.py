"""A key pressed the moment pacer starts reading keys is never lost or echoed: the
dizzy key pressed as soon as the Keys line shows ends the walk (issue 9, F4)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pacer.keys import terminal_keys

WALK = [sys.executable, "-m", "pacer", "walk", "--engine", "null", "--minutes", "1"]
WALK += ["--rate", "8000", "--pain-before", "2"]


def test_a_key_pressed_before_reading_starts_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    primary, secondary = pty.openpty()
    try:
        os.write(primary, b"d")  # typed while the terminal still reads whole lines
        with open(secondary, closefd=False) as stdin:
            monkeypatch.setattr(sys, "stdin", stdin)
            with terminal_keys() as keys:
                assert keys is not None
                assert keys.read(5.0) == "d"
    finally:
        os.close(primary)
        os.close(secondary)


def test_d_pressed_as_the_keys_line_shows_ends_the_walk(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [*WALK, "--journal", str(tmp_path / "journal.sqlite3")],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
    )
    try:
        seen = b""
        deadline = time.monotonic() + 30
        while b"Keys:" not in seen:
            assert time.monotonic() < deadline, seen.decode(errors="replace")
            seen += os.read(primary, 4096)
        os.write(primary, b"d")  # at once
        while b"felt dizzy" not in seen:
            assert time.monotonic() < deadline, seen.decode(errors="replace")
            seen += os.read(primary, 4096)
        assert b"ended early because you felt dizzy" in seen, seen.decode(errors="replace")
    finally:
        proc.kill()
        proc.wait()
        os.close(primary)
        os.close(secondary)
