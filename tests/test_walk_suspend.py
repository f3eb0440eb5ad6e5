"""A walk suspended (Ctrl-Z, or a ``kill -STOP`` pacer cannot catch) waits: the stopped
time is neither played nor walked, and after ``fg`` the keys work at once and the
status line is back (issue 9)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_walk_cli import TMUX, Terminal

from pacer.journal import Journal


class Shell(Terminal):
    """An interactive bash (job control: Ctrl-Z and fg) in a detached tmux pane."""

    def __init__(self, tmp: Path) -> None:
        assert TMUX is not None
        self.socket = str(tmp / "tmux.sock")
        bash = shutil.which("bash")
        env = f"env -i PATH={Path(sys.executable).parent}:/usr/bin:/bin HOME={tmp} TMPDIR={tmp}"
        shell = f"{env} TERM=xterm PS1='$ ' {bash} --norc --noprofile -i"
        subprocess.run(
            [TMUX, "-S", self.socket, "new-session", "-d", "-x", "120", "-y", "30", shell],
            check=True,
        )

    def last_line(self) -> str:
        lines = [line for line in self.screen().splitlines() if line.strip()]
        return lines[-1] if lines else ""

    def wait_until(self, shows: Callable[[str], bool], what: str, timeout: float = 30) -> str:
        """The screen's last line once ``shows`` says it shows ``what``."""
        deadline = time.monotonic() + timeout
        tick = threading.Event()
        while time.monotonic() < deadline:
            line = self.last_line()
            if shows(line):
                return line
            tick.wait(0.1)
        raise AssertionError(f"{what} never appeared; the screen shows:\n{self.screen()}")

    def last_shows(self, text: str) -> str:
        return self.wait_until(lambda line: text in line, repr(text))


@pytest.mark.skipif(TMUX is None or shutil.which("bash") is None, reason="tmux and bash are needed")
def test_ctrl_z_then_fg_finds_the_walk_paused_and_the_keys_working(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    walk = f"{sys.executable} -m pacer walk --engine null --minutes 1 --rate 8000"
    walk += f" --journal {journal} --pain-before 2"
    shell = Shell(tmp_path)
    try:
        shell.wait_for("$")
        shell.keys(walk, "Enter")
        before = shell.last_shows("60 steps/min | 2 steps |")  # walking
        shell.keys("C-z")
        shell.wait_for("Suspended: the walk is paused; after fg, space walks on.")
        shell.wait_for("Stopped")
        shell.keys("fg", "Enter")
        # The status line is drawn again, and the walk waited, paused.
        paused = shell.last_shows("PAUSED ")
        walked = before.split(" walked")[0]
        assert paused.startswith(f"PAUSED {walked} walked") or paused.startswith("PAUSED 0:0")
        # The terminal reads single keys again: no Enter, no echo.
        shell.keys("Space")
        shell.wait_until(lambda line: line.startswith("RESUMING "), "RESUMING")
        shell.wait_until(lambda line: "PAUSED" not in line and "RESUMING" not in line, "walking")
        shell.keys("Up")
        shell.last_shows("61 steps/min |")
        assert "^[" not in shell.screen()
        shell.keys("q")
        shell.wait_for("Walk ended early: ")
        shell.wait_until(lambda line: line == "$", "the prompt")
        shell.keys("echo exit=$?", "Enter")
        shell.wait_for("exit=0")
    finally:
        shell.close()


def test_a_walk_stopped_and_continued_does_not_count_the_stopped_time(tmp_path: Path) -> None:
    """``kill -STOP`` cannot be caught: on ``kill -CONT`` the NULL backend's clock has
    jumped and it asks for all the stopped time at once; the walk does not play it
    in a burst, and does not count it as walked."""
    journal = tmp_path / "journal.sqlite3"
    argv = [sys.executable, "-m", "pacer", "walk", "--engine", "null", "--minutes", "1"]
    argv += ["--rate", "8000", "--journal", str(journal), "--pain-before", "2"]
    env = dict(os.environ, TMPDIR=str(tmp_path), HOME=str(tmp_path))
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    tick = threading.Event()
    stopped_for = 8.0
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith(b"Walking: ")  # the walk begins
        began = time.monotonic()
        tick.wait(2)
        proc.send_signal(signal.SIGSTOP)
        stopped = time.monotonic()
        tick.wait(stopped_for)
        proc.send_signal(signal.SIGCONT)
        continued = time.monotonic()
        tick.wait(2)
        proc.send_signal(signal.SIGTERM)
        ended = time.monotonic()
        assert proc.wait(timeout=60) == 143
    finally:
        if proc.poll() is None:
            proc.kill()
    with Journal(journal) as book:
        (entry,) = book.entries()
    walked = entry.walked_minutes * 60
    running = (stopped - began) + (ended - continued)  # at most this was walked
    assert walked <= running + 1.0, (walked, running, continued - stopped)


def test_a_walk_held_stopped_by_kill_tstp_is_no_lost_device_and_stays_as_it_should(
    tmp_path: Path,
) -> None:
    """``kill -TSTP`` held longer than the loss backstop (5 s), then ``kill -CONT``:
    the device asked for nothing while pacer was stopped, and that is no loss (it was
    said as one, "lost ... back", and the paused walk walked on by itself). With keys
    (stdin a terminal) the walk stays paused for space; with none (stdin /dev/null)
    it walks on, as the Suspended line says."""
    import pty
    import select

    argv = [sys.executable, "-m", "pacer", "walk", "--engine", "null", "--minutes", "1"]
    argv += ["--rate", "8000", "--no-journal", "--pain-before", "2"]
    env = dict(os.environ, TMPDIR=str(tmp_path), HOME=str(tmp_path), COLUMNS="200")
    primary, secondary = pty.openpty()
    keyed = subprocess.Popen(argv, stdin=secondary, stdout=secondary, stderr=secondary, env=env)
    keyless = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=secondary, stderr=subprocess.PIPE, env=env
    )
    os.close(secondary)
    seen = b""

    def read_for(seconds: float) -> None:
        nonlocal seen
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if select.select([primary], [], [], left)[0]:
                try:
                    seen += os.read(primary, 65536)
                except OSError:
                    return

    try:
        read_for(0.1)
        deadline = time.monotonic() + 30
        while seen.count(b"steps/min |") < 4:
            assert time.monotonic() < deadline, seen.decode(errors="replace")
            read_for(0.2)
        for proc in (keyed, keyless):
            proc.send_signal(signal.SIGTSTP)
        read_for(6.5)  # longer than the backstop
        assert b"Suspended: the walk is paused; after fg, space walks on." in seen
        assert b"it walks on by itself when continued" in seen
        for proc in (keyed, keyless):
            proc.send_signal(signal.SIGCONT)
        mark = len(seen)
        read_for(3.0)
        after = seen[mark:].decode(errors="replace")
        keyed.send_signal(signal.SIGTERM)
        keyless.send_signal(signal.SIGTERM)
        assert keyed.wait(30) == 143 and keyless.wait(30) == 143
        read_for(0.5)
        assert keyless.stderr is not None
        errors = keyless.stderr.read().decode()
        text = seen.decode(errors="replace")
        assert "audio device" not in text + errors, text + errors
        lines = [line for line in after.replace("\r", "\n").split("\n") if "steps/min" in line]
        assert any(line.lstrip("\x1b[K").startswith("PAUSED ") for line in lines), after
        # The keyless walk walked on: its status lines go on counting time.
        walking = [line for line in lines if not line.lstrip("\x1b[K").startswith("PAUSED")]
        assert len({line.split(" walked")[0] for line in walking}) >= 2, after
    finally:
        for proc in (keyed, keyless):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        os.close(primary)
