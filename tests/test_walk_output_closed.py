"""Standard output is only the screen (issue 9, outside tester's finding 3): a walk
whose stdout is a pipe already closed when it starts walks, as one whose pipe closes
mid-walk does (before: a silent exit 1 and nothing played)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from pacer.journal import Journal


def test_a_walk_whose_output_pipe_is_closed_from_the_start_is_walked_and_recorded(
    tmp_path: Path,
) -> None:
    journal = tmp_path / "journal.sqlite3"
    argv = [sys.executable, "-m", "pacer", "walk", "--engine", "null", "--minutes", "1"]
    argv += ["--rate", "8000", "--journal", str(journal), "--pain-before", "2"]
    env = dict(os.environ, TMPDIR=str(tmp_path), HOME=str(tmp_path))
    read_end, write_end = os.pipe()
    os.close(read_end)  # `pacer walk ... | true`: nobody reads, from the start
    began = time.monotonic()
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=write_end, stderr=subprocess.PIPE, env=env
    )
    os.close(write_end)
    try:
        threading.Event().wait(8)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""  # walking
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 143
        ran = time.monotonic() - began
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.stderr is not None
    errors = proc.stderr.read().decode()
    assert "Traceback" not in errors, errors
    with Journal(journal) as book:
        (entry,) = book.entries()
    walked = entry.walked_minutes * 60
    assert 1.0 <= walked <= ran, (walked, ran, errors)  # it walked (before: exit 1 at once)
