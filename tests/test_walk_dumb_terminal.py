"""TERM=dumb takes no escape codes (issue 9, outside tester's finding 5): the walk
writes it plain lines, as it writes a log: no status line drawn over itself."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time


def test_a_dumb_terminal_gets_plain_lines_and_no_escape_codes() -> None:
    argv = [sys.executable, "-m", "pacer", "walk", "--engine", "null", "--minutes", "1"]
    argv += ["--rate", "8000", "--no-journal", "--pain-before", "2", "--pain-after", "2"]
    primary, secondary = pty.openpty()
    env = dict(os.environ, TERM="dumb", COLUMNS="80")
    proc = subprocess.Popen(argv, stdin=secondary, stdout=secondary, stderr=secondary, env=env)
    os.close(secondary)
    seen = b""

    def read_until(text: bytes, seconds: float) -> None:
        nonlocal seen
        end = time.monotonic() + seconds
        while text not in seen and time.monotonic() < end:
            if select.select([primary], [], [], 0.2)[0]:
                try:
                    seen += os.read(primary, 65536)
                except OSError:
                    return

    try:
        read_until(b"Keys:", 30)
        read_until(b"never", 3.0)  # a few seconds of walking
        os.write(primary, b" ")  # a pause and a resume: the status line would change
        read_until(b"never", 1.0)
        os.write(primary, b" ")
        read_until(b"never", 1.0)
        os.write(primary, b"q")
        read_until(b"Walk ended early", 30)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(primary)
    text = seen.decode(errors="replace")
    assert "Walk ended early" in text, text
    assert "\x1b" not in text, text
    assert "walked |" not in text, text  # no status line: a log's lines only
