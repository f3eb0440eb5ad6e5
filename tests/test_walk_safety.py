"""No walk is ever lost: Ctrl-C (once or several times), SIGTERM and SIGHUP mid-walk
record the walk so far and restore the terminal; Ctrl-C at the first pain question
cancels; a journal that cannot be written is found before the walk starts."""

from __future__ import annotations

import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_walk_cli import TMUX, FastEngine, Terminal

from pacer.cli import main
from pacer.journal import Journal
from pacer.output import device as device_module
from pacer.output.device import BUFFER_MSEC, PERIODS

WALK = [sys.executable, "-m", "pacer", "walk", "--engine", "null", "--minutes", "1"]
WALK += ["--rate", "8000"]


def entries(journal: Path) -> list[object]:
    with Journal(journal) as book:
        return list(book.entries())


# -- in a real terminal ------------------------------------------------------------------


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
def test_ctrl_c_at_the_pain_question_cancels_the_walk(tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    term = Terminal(" ".join([*WALK, "--journal", str(journal)]), tmp_path)
    try:
        screen = term.wait_for("Pain now, 0-10 (Enter to skip):")
        lines = [
            line.rstrip()
            for line in screen.splitlines()
            if line.strip() and not line.startswith("pacer: note:")
        ]
        # The walk's summary and the precautions come first, then the question, which
        # reads cleanly.
        assert lines[0].startswith("Walking: backward walk: 1 min at 60 steps/min. Output: ")
        # The NULL backend asks for exactly the period pacer asks for.
        assert f"latency about {BUFFER_MSEC * PERIODS} ms" in lines[0]
        assert lines[1] == "Flat shoes (no heels), and a flat, straight path with no crowds."
        assert lines[2] == "Pain now, 0-10 (Enter to skip):"
        term.keys("C-c")
        assert term.exit_code() == 130
        screen = term.screen()
        assert "nothing was played or recorded" in screen
        assert "Keys:" not in screen and "walked" not in screen
        assert entries(journal) == []
    finally:
        term.close()


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
@pytest.mark.parametrize("presses", [2, 3])
def test_ctrl_c_pressed_again_and_again_records_the_walk_and_restores_the_terminal(
    tmp_path: Path, presses: int
) -> None:
    journal = tmp_path / "journal.sqlite3"
    before, after = tmp_path / "stty-before", tmp_path / "stty-after"
    # A device that plays the first 71 s at once: past the first minute walked, so
    # the walk is one the journal keeps.
    ahead = Path(__file__).with_name("walk_ahead.py")
    walk = [sys.executable, str(ahead), "71", "--", "walk", "--minutes", "2", "--rate", "8000"]
    walk += ["--journal", str(journal), "--pain-before", "3"]
    command = f"stty -g > {before}; {' '.join(walk)}; code=$?; stty -g > {after}; (exit $code)"
    term = Terminal(command, tmp_path)
    try:
        shown = re.search(r"(1:\d\d) walked \|", term.wait_for("walked |"))
        assert shown is not None, "the walk is past its first minute"
        term.keys(*["C-c"] * presses)  # in quick succession
        assert term.exit_code() == 130
        screen = term.screen()
        assert f"Walk ended early: {shown.group(1)} of 2:00 walked" in screen
        assert "Recorded in the journal as walk 1." in screen
        (entry,) = entries(journal)
        assert entry.ended_early and entry.pain_before == 3  # type: ignore[attr-defined]
        minutes, seconds = map(int, shown.group(1).split(":"))
        walked = entry.walked_minutes * 60  # type: ignore[attr-defined]
        assert abs(walked - (minutes * 60 + seconds)) <= 0.5 + 0.6  # shown to a second
        assert before.read_text() == after.read_text(), "the terminal was not restored"
    finally:
        term.close()


def _walk_on_a_pty(journal: Path) -> tuple[subprocess.Popen[bytes], int, int]:
    """``pacer walk`` with a pseudo-terminal for stdin, stdout and stderr; returns the
    process, the terminal's controlling side and its other side."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [*WALK, "--journal", str(journal), "--pain-before", "2"],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
    )
    seen = b""
    deadline = time.monotonic() + 30
    while b"steps/min |" not in seen:  # the status line: the walk is on
        assert time.monotonic() < deadline, seen.decode(errors="replace")
        seen += os.read(primary, 4096)
    return proc, primary, secondary


def _drain(fd: int, into: list[bytes]) -> None:
    try:
        while chunk := os.read(fd, 4096):
            into.append(chunk)
    except OSError:
        pass


@pytest.mark.parametrize(
    "name, code, closed", [("SIGTERM", 143, False), ("SIGHUP", 129, True), ("SIGHUP", 129, False)]
)
def test_sigterm_and_sighup_mid_walk_record_the_walk_and_restore_the_terminal(
    tmp_path: Path, name: str, code: int, closed: bool
) -> None:
    journal = tmp_path / "journal.sqlite3"
    proc, primary, secondary = _walk_on_a_pty(journal)
    printed: list[bytes] = []
    try:
        cooked = termios.tcgetattr(primary)
        assert not cooked[3] & termios.ICANON, "pacer reads single keys while walking"
        if closed:  # the terminal goes away: nothing can be printed any more
            os.close(primary)
            primary = -1
        else:
            reader = threading.Thread(target=_drain, args=(primary, printed), daemon=True)
            reader.start()
        proc.send_signal(getattr(signal, name))
        assert proc.wait(timeout=30) == code
        (entry,) = entries(journal)
        assert entry.ended_early and entry.pain_before == 2  # type: ignore[attr-defined]
        if primary >= 0:
            assert termios.tcgetattr(secondary)[3] & termios.ICANON, "terminal not restored"
            # A terminal still open (a hang-up sent by kill -HUP) is told how the walk
            # went, on a line of its own after the status line.
            os.close(secondary)
            secondary = -1
            reader.join(timeout=10)
            text = b"".join(printed).decode()
            assert "\r\x1b[KWalk ended early: " in text
            assert text.endswith("Recorded in the journal as walk 1.\r\n")
    finally:
        if proc.poll() is None:
            proc.kill()
        if secondary >= 0:
            os.close(secondary)
        if primary >= 0:
            os.close(primary)


# -- a journal that cannot be written ----------------------------------------------------


def test_an_unwritable_journal_is_found_before_the_walk_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[FastEngine] = []

    def fake_open(*args: object, **kw: object) -> FastEngine:
        opened.append(FastEngine())
        return opened[-1]

    monkeypatch.setattr(device_module, "open_engine", fake_open)
    where = "/proc/pacer-nowhere/journal.sqlite3"  # nothing can be written in /proc
    result = CliRunner().invoke(main, ["walk", "--minutes", "1", "--journal", where])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"pacer: error: {where}: nothing can be written in /proc")
    assert line.endswith("or --no-journal to walk without recording")
    assert opened == [] and result.stdout == ""
    # With --no-journal the walk goes ahead.
    args = ["walk", "--minutes", "1", "--rate", "8000", "--no-journal"]
    result = CliRunner().invoke(main, args, env={"PACER_JOURNAL": where})
    assert result.exit_code == 0 and len(opened) == 1


@pytest.fixture
def home() -> Iterator[Path]:
    """A folder an ordinary user owns (pacer runs as that user below)."""
    folder = Path(tempfile.mkdtemp(prefix="pacer-safety-"))
    if os.geteuid() == 0:
        os.chown(folder, 65534, 65534)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _as_user(argv: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` as an ordinary user (root may write anything, so as root run it
    as nobody)."""
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root, and setpriv is missing to run as nobody")
        argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *argv]
        probe = [*argv[:4], sys.executable, "-c", "import click, pacer"]
        if subprocess.run(probe, capture_output=True, timeout=60).returncode != 0:
            pytest.skip("nobody cannot run this Python (its files are readable by root only)")
    env = dict(
        os.environ,
        HOME=str(home),
        PACER_DATA_DIR=str(home / "data"),
        PACER_CONFIG_DIR=str(home / "config"),
    )
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)


def _refused(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == "", "the walk started"
    (line,) = result.stderr.splitlines()
    assert line.startswith("pacer: error: ")
    return line


def test_a_read_only_journal_file_is_named_as_such(home: Path) -> None:
    journal = home / "journal.sqlite3"
    Journal(journal).close()
    if os.geteuid() == 0:
        for name in os.listdir(home):
            os.chown(home / name, 65534, 65534)
    journal.chmod(0o444)
    line = _refused(_as_user([*WALK, "--journal", str(journal)], home))
    assert f"{journal}: the journal file is read-only (Permission denied)" in line


def test_a_read_only_journal_folder_is_named_as_such(home: Path) -> None:
    folder = home / "walks"
    folder.mkdir()
    if os.geteuid() == 0:
        os.chown(folder, 65534, 65534)
    folder.chmod(0o555)
    journal = folder / "journal.sqlite3"
    line = _refused(_as_user([*WALK, "--journal", str(journal)], home))
    assert f"its folder {folder} is read-only" in line
    # A rollback journal now: no -wal or -shm file to speak of.
    assert "SQLite must create journal.sqlite3-journal beside the journal" in line
    assert "-wal" not in line and "-shm" not in line
    assert "damaged" not in line


def _in_own_mounts(script: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    """Run a shell ``script`` in a mount namespace of its own (mounts vanish with it);
    skip where this system allows no such thing."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare is missing")
    flags = "-m" if os.geteuid() == 0 else "-rm"
    probe = subprocess.run(
        [unshare, flags, "sh", "-c", f"mount -t tmpfs tmpfs {tmp}"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip("this system allows no private mounts")
    env = dict(os.environ, PACER_DATA_DIR=str(tmp / "data"))
    return subprocess.run(
        [unshare, flags, "sh", "-c", script], env=env, capture_output=True, text=True, timeout=60
    )


def test_a_full_disk_is_named_as_such(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    journal = disk / "journal.sqlite3"
    walk = " ".join([*WALK, "--journal", str(journal)])
    script = (
        f"mount -t tmpfs -o size=1m tmpfs {disk} && "
        f"(dd if=/dev/zero of={disk}/filler bs=4096 2>/dev/null; true) && exec {walk}"
    )
    line = _refused(_in_own_mounts(script, tmp_path))
    assert f"{journal}: the disk is full (less than 64 KiB free)" in line


def test_a_read_only_mount_is_named_as_such(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    journal = disk / "journal.sqlite3"
    walk = " ".join([*WALK, "--journal", str(journal)])
    script = f"mount -t tmpfs -o ro tmpfs {disk} && exec {walk}"
    line = _refused(_in_own_mounts(script, tmp_path))
    assert f"{journal}: it is on a read-only file system" in line


# -- a signal, and something else going wrong on the way out ------------------------------


@pytest.mark.parametrize("name, code", [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129)])
@pytest.mark.parametrize("journal_fails", ["none", "full", "nowhere"])
@pytest.mark.parametrize("stdout_fails", [False, True])
def test_a_walk_a_signal_ends_exits_with_the_signal_whatever_else_fails(
    tmp_path: Path, name: str, code: int, journal_fails: str, stdout_fails: bool
) -> None:
    """The exit code of a walk a signal ended is 128 + the signal, even when the journal
    cannot take the walk (it is kept, or cannot be) or standard output has no reader
    any more; what failed is still said in one line."""
    journal = tmp_path / "journal.sqlite3"
    failing = Path(__file__).with_name("walk_failing.py")
    failures = ",".join([journal_fails, *(["stdout"] if stdout_fails else [])])
    argv = [sys.executable, str(failing), failures, name, "71", "--", "walk", "--minutes", "2"]
    argv += ["--rate", "8000", "--journal", str(journal), "--pain-before", "2"]
    env = dict(os.environ, TMPDIR=str(tmp_path), HOME=str(tmp_path))
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("pacer: error:")]
    kept = tmp_path / "journal.sqlite3.unrecorded.jsonl"
    if journal_fails == "none":
        (entry,) = entries(journal)
        assert entry.ended_early and entry.pain_before == 2  # type: ignore[attr-defined]
        assert errors == []
    else:
        assert entries(journal) == []
        (error,) = errors
        assert "could not record the walk (the disk is full)" in error
        if journal_fails == "full":
            assert f"the walk is kept in {kept}" in error
            assert '"pain_before": 2' in kept.read_text()
        else:
            assert not kept.exists()
    if not stdout_fails:
        assert "Walk ended early: " in result.stdout
