"""`pacer walk`, `pacer devices` and `pacer tap` as a walker meets them: in-process with
CliRunner and fake devices, and in a real terminal under tmux."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import pacer
from pacer.cli import main
from pacer.errors import NoAudioOutputError
from pacer.output import device as device_module
from pacer.output.device import MiniaudioEngine, Player, PlayerEvent


class FastEngine:
    """A device that pulls as fast as it can, from its own thread."""

    name = "fast"
    description = "a test device"
    latency = 0.01

    def __init__(self) -> None:
        self.stopped = threading.Event()
        self.pulled = 0

    def start(self, pull) -> None:  # type: ignore[no-untyped-def]
        def run() -> None:
            block = np.zeros((4096, 2), dtype=np.float32)
            while not self.stopped.is_set():
                pull(block)
                self.pulled += len(block)

        threading.Thread(target=run, daemon=True).start()

    def alive(self) -> bool:
        return True

    def error(self) -> BaseException | None:
        return None

    def close(self) -> None:
        self.stopped.set()


def test_walk_plays_the_whole_session_and_sums_it_up(monkeypatch: pytest.MonkeyPatch) -> None:
    engines: list[FastEngine] = []

    def fake_open(*args: object, **kw: object) -> FastEngine:
        engines.append(FastEngine())
        return engines[-1]

    monkeypatch.setattr(device_module, "open_engine", fake_open)
    result = CliRunner().invoke(main, ["walk", "--minutes", "1", "--rate", "8000"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2, "not a terminal: one line at the start, one at the end"
    assert lines[0] == (
        "Walking: backward walk: 1 min at 60 steps/min. Output: a test device, latency about 10 ms."
    )
    assert lines[-1] == (
        "Walk complete: 1:00 of 1:00 walked, 60 steps at 60 steps/min. "
        "Recorded in the journal as walk 1."
    )
    assert engines[0].pulled >= 8000 * 62


@pytest.mark.parametrize("preset", ["back-pain", "backward"])
def test_walk_and_show_give_a_programme_the_same_length(
    monkeypatch: pytest.MonkeyPatch, preset: str
) -> None:
    # The stretches last as long as their words: the walk's heading says so, as show does.
    monkeypatch.setattr(device_module, "open_engine", lambda *a, **k: FastEngine())
    args = ["--preset", preset, "--minutes", "1", "--rate", "8000"]
    walked = CliRunner().invoke(main, ["walk", *args, "--no-journal"])
    shown = CliRunner().invoke(main, ["show", *args])
    assert walked.exit_code == shown.exit_code == 0, walked.output + shown.output
    heading = walked.stdout.splitlines()[0].removeprefix("Walking: ").split(". Output:")[0]
    assert shown.stdout.splitlines()[0].startswith(heading + ", ")


def test_a_quiet_walk_says_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # 1 minute is outside the 20-30 advised for a backward walk: quiet, no note of it.
    monkeypatch.setattr(device_module, "open_engine", lambda *a, **k: FastEngine())
    args = ["walk", "--minutes", "1", "--rate", "8000", "--no-journal", "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", "")
    noted = CliRunner().invoke(main, args[:-1])
    assert "1 minute is outside the 20-30 minutes advised" in noted.stderr


def test_walk_with_no_audio_output_says_so_and_points_to_render(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import miniaudio

    def no_device(*args: object, **kw: object) -> None:
        raise miniaudio.MiniaudioError("failed to init device", -401)

    monkeypatch.setattr(miniaudio, "PlaybackDevice", no_device)
    result = CliRunner().invoke(main, ["walk"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "pacer: error: no audio output was found (no sound card or sound server answered); "
        "to walk with a phone, write the walk to a file: pacer render walk.ogg"
    ]
    assert not pacer.journal.default_path().exists()  # a walk that cannot start makes nothing


def test_a_silent_fallback_to_the_null_backend_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    import miniaudio

    class FellBack:
        backend = "Null"

        def __init__(self, *args: object, **kw: object) -> None:
            pass

        def close(self) -> None:
            pass

    monkeypatch.setattr(miniaudio, "PlaybackDevice", FellBack)
    with pytest.raises(NoAudioOutputError, match=r"fell back to its silent NULL backend.*render"):
        MiniaudioEngine(44100)


class FlakyEngine(FastEngine):
    """A device that pulls only when the test says, and can stop for good, as when
    earbuds disconnect."""

    def __init__(self, alive: bool = True) -> None:
        super().__init__()
        self.is_alive = alive
        self.puller = None

    def start(self, pull) -> None:  # type: ignore[no-untyped-def]
        self.puller = pull

    def play(self, seconds: float) -> None:
        assert self.puller is not None
        block = np.zeros((400, 2), dtype=np.float32)
        for _ in range(round(seconds * 8000 / 400)):
            self.puller(block)
            self.pulled += len(block)

    def alive(self) -> bool:
        return self.is_alive


def test_a_lost_device_pauses_the_walk_and_resumes_when_it_comes_back() -> None:
    from pacer.live import Walk
    from pacer.presets import backward

    walk = Walk(backward(minutes=5, sample_rate=8000), pre_roll=0, keep_alive=False)
    first = FlakyEngine()
    spare: list[FlakyEngine] = []

    def reopen() -> FlakyEngine:
        if not spare:
            raise NoAudioOutputError("not yet")
        return spare.pop()

    player = Player(walk, first, reopen, give_up_after=30, retry_every=1)
    try:
        first.play(3)
        assert player.check(now=100.0) is None
        first.is_alive = False
        assert player.check(now=101.0) is PlayerEvent.LOST
        assert first.stopped.is_set()
        assert player.check(now=102.5) is None  # nothing to reopen yet
        spare.append(FlakyEngine())
        assert player.check(now=103.0) is None  # tried less than a second ago
        assert player.check(now=103.6) is PlayerEvent.BACK
        assert player.engine is not first
        player.engine.play(0.1)  # type: ignore[attr-defined]
        status = walk.status()
        assert not status.paused and not status.ended_early
        assert status.elapsed == pytest.approx(1.0, abs=0.1)  # 3 s played, 2 s lead-in
    finally:
        player.close()


def test_a_device_that_never_comes_back_ends_the_walk_cleanly() -> None:
    from pacer.live import Walk
    from pacer.presets import backward

    walk = Walk(backward(minutes=5, sample_rate=8000), pre_roll=0, keep_alive=False)
    engine = FlakyEngine(alive=False)
    player = Player(walk, engine, reopen=None, give_up_after=5)
    assert player.check(now=10.0) is PlayerEvent.LOST
    assert player.check(now=14.0) is None
    assert player.check(now=15.5) is PlayerEvent.GAVE_UP
    assert player.finished
    walk.pull(8000 * 3)
    assert walk.status().ended_early


def test_devices_with_none_found_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device_module, "list_devices", lambda: [])
    result = CliRunner().invoke(main, ["devices"])
    assert result.exit_code == 1
    assert "no audio output devices were found" in result.stderr


def test_devices_lists_numbers_and_names(monkeypatch: pytest.MonkeyPatch) -> None:
    from pacer.output.device import OutputDevice

    monkeypatch.setattr(
        device_module,
        "list_devices",
        lambda: [OutputDevice(0, "Built-in", False), OutputDevice(1, "Earbuds", True)],
    )
    result = CliRunner().invoke(main, ["devices"])
    assert result.stdout.splitlines() == ["0: Built-in", "1: Earbuds  (default)"]


def test_simpleaudio_engine_refuses_in_one_line_where_it_cannot_work() -> None:
    result = CliRunner().invoke(main, ["walk", "--engine", "simpleaudio"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    if sys.version_info >= (3, 12):
        assert "crashes on Python 3.12 and later; use the default engine" in line
    else:
        assert "simpleaudio is not installed" in line or "no audio output" in line


def test_tap_needs_a_terminal() -> None:
    result = CliRunner().invoke(main, ["tap"])
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == "pacer: error: pacer tap needs a terminal to read key presses from"
    )


# -- in a real terminal ------------------------------------------------------------------

TMUX = shutil.which("tmux")


class Terminal:
    """A program running in a detached tmux pane that a test can type into and read."""

    def __init__(self, command: str, tmp: Path) -> None:
        assert TMUX is not None
        self.socket = str(tmp / "tmux.sock")
        self.done = tmp / "exit-code"
        shell = f"{command}; echo $? > {self.done}; sleep 30"
        subprocess.run(
            [TMUX, "-S", self.socket, "new-session", "-d", "-x", "160", "-y", "20", shell],
            check=True,
        )

    def screen(self) -> str:
        out = subprocess.run(
            [TMUX, "-S", self.socket, "capture-pane", "-p"], capture_output=True, text=True
        )
        return out.stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        tick = threading.Event()
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            tick.wait(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run([TMUX, "-S", self.socket, "send-keys", *keys], check=True)

    def exit_code(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        tick = threading.Event()
        while time.monotonic() < deadline:
            if self.done.exists() and self.done.read_text().strip():
                return int(self.done.read_text())
            tick.wait(0.1)
        raise AssertionError(f"the program did not exit; the screen shows:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([TMUX, "-S", self.socket, "kill-server"], capture_output=True)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
@pytest.mark.parametrize(
    "stop_key, code, how", [("q", 0, "ended early"), ("C-c", 130, "ended early")]
)
def test_in_a_real_terminal_the_status_line_follows_the_keys(
    tmp_path: Path, stop_key: str, code: int, how: str
) -> None:
    journal = tmp_path / "journal.sqlite3"
    command = (
        f"{sys.executable} -m pacer walk --engine null --minutes 1 --rate 8000 --journal {journal}"
    )
    term = Terminal(command, tmp_path)
    try:
        term.wait_for("Pain now, 0-10 (Enter to skip):")
        term.keys("eleven", "Enter")
        term.wait_for("'eleven' is not a number from 0 to 10")
        term.keys("3", "Enter")
        term.wait_for("Keys: space pause or resume")
        assert "Flat shoes (no heels)" in term.screen()
        screen = term.wait_for("60 steps/min |")
        assert "walked" in screen and "left |" in screen and "no sound: NULL backend" in screen
        term.keys("Space")
        term.wait_for("PAUSED")
        term.keys("Space")
        term.wait_for("60 steps/min |")
        assert "PAUSED" not in term.screen().splitlines()[-1]
        term.keys("Up")
        term.wait_for("61 steps/min |")
        term.keys("Right")
        # a step walked at the new pace (the keys may all have come before the first)
        shown = re.search(r"66 steps/min \| (\d+) steps? \|", term.wait_for("66 steps/min |"))
        assert shown is not None
        steps = int(shown.group(1))
        term.wait_for(f"66 steps/min | {steps + 1} step")
        term.keys(stop_key)
        screen = term.wait_for(f"Walk {how}:")
        summary = next(line for line in screen.splitlines() if line.startswith("Walk "))
        assert summary.endswith("66 steps/min.") and "of 1:00 walked" in summary
        # Ended by the walker within its first minute: started by mistake, not recorded
        # (and not asked about).
        screen = term.wait_for("not recorded in the journal.")
        assert "Shorter than a minute and ended by you: not recorded in the journal." in screen
        assert "Pain after the walk" not in screen
        assert term.exit_code() == code
        from pacer.journal import Journal

        with Journal(journal) as book:
            assert book.entries() == []
    finally:
        term.close()


@pytest.fixture
def fast_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device_module, "open_engine", lambda *a, **k: FastEngine())


@pytest.mark.usefixtures("fast_engine")
def test_a_walk_is_recorded_with_the_pain_given(tmp_path: Path) -> None:
    from pacer.journal import Journal

    j = tmp_path / "j.sqlite3"
    result = CliRunner().invoke(
        main,
        [
            "walk",
            "--minutes",
            "1",
            "--rate",
            "8000",
            "--journal",
            str(j),
            "--pain-before",
            "4",
            "--pain-after",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    with Journal(j) as book:
        (entry,) = book.entries()
    assert (entry.preset, entry.planned_minutes, entry.walked_minutes) == ("backward", 1, 1)
    assert (entry.pain_before, entry.pain_after, entry.ended_early) == (4, 3, False)
    assert (entry.spm_start, entry.spm_end, entry.source) == (60, 60, "walk")


@pytest.mark.usefixtures("fast_engine")
def test_walk_plan_walks_the_suggested_length(tmp_path: Path) -> None:
    from pacer.journal import Journal

    j = str(tmp_path / "j.sqlite3")
    short = tmp_path / "short.toml"  # a plan of short walks: a rise at 2 steps down to 1
    short.write_text(
        '[[phases]]\nname = "walk"\nminutes = 5\n[plan]\nstart_minutes = 2\n'
        "start_days = 3\nstep_minutes = 1\nmax_minutes = 10\nmax_days = 5\n"
        "minutes_before_more_days = 5\nmax_steps_per_minute = 120\n"
    )
    logged = ["log", "--journal", j, "--minutes", "2", "--preset", str(short)]
    CliRunner().invoke(main, [*logged, "--pain-before", "2", "--pain-after", "4"])
    walk = ["walk", "--plan", "--preset", str(short), "--rate", "8000", "--journal", j]
    result = CliRunner().invoke(main, walk)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Plan: 1 minute, 3 days a week. Rule 2 (after pain rose")
    with Journal(j) as book:
        assert book.entries()[-1].planned_minutes == 1


@pytest.mark.usefixtures("fast_engine")
def test_no_journal_records_nothing(tmp_path: Path) -> None:
    j = tmp_path / "j.sqlite3"
    result = CliRunner().invoke(  # the journal pacer would use, and --no-journal
        main,
        ["walk", "--minutes", "1", "--rate", "8000", "--no-journal"],
        env={"PACER_JOURNAL": str(j)},
    )
    assert result.exit_code == 0 and not j.exists()
    assert "Recorded" not in result.stdout


def test_a_walk_paused_by_the_walker_stays_paused_when_a_lost_device_comes_back() -> None:
    from pacer.live import Walk
    from pacer.presets import backward

    walk = Walk(backward(minutes=5, sample_rate=8000), pre_roll=0, keep_alive=False)
    first = FlakyEngine()
    player = Player(walk, first, lambda: FlakyEngine(), give_up_after=30, retry_every=1)
    try:
        first.play(3)
        walk.pause()
        first.play(0.1)
        first.is_alive = False
        assert player.check(now=101.0) is PlayerEvent.LOST
        assert player.check(now=102.5) is PlayerEvent.BACK
        player.engine.play(1)  # type: ignore[attr-defined]
        player.check(now=103.0)
        assert walk.status().paused
    finally:
        player.close()


@pytest.mark.usefixtures("fast_engine")
def test_the_back_pain_walk_plays_through_every_stretch_to_its_end(tmp_path: Path) -> None:
    # As a new user first tried it: it used to stop with a traceback at the first
    # stretch, 3 minutes in, and record nothing.
    from pacer.journal import Journal

    j = tmp_path / "j.sqlite3"
    args = ["walk", "--preset", "back-pain", "--minutes", "1", "--rate", "8000"]
    result = CliRunner().invoke(main, [*args, "--journal", str(j), "--voice", "none"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("Walk complete: ")
    with Journal(j) as book:
        (entry,) = book.entries()
    assert not entry.ended_early and entry.walked_minutes == entry.planned_minutes == 1


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
def test_device_messages_in_a_real_terminal_leave_nothing_of_the_status_line(
    tmp_path: Path,
) -> None:
    lost, back = tmp_path / "lost", tmp_path / "back"
    ahead = Path(__file__).with_name("walk_ahead.py")
    walk = [sys.executable, str(ahead), "5", str(lost), str(back), "--"]
    walk += ["walk", "--minutes", "1", "--rate", "8000", "--no-journal"]
    term = Terminal(" ".join(walk), tmp_path)
    try:
        term.wait_for("steps/min |")  # the status line, as long as the screen allows
        lost.touch()  # the earbuds disconnect
        gone = "The audio device was lost: paused; waiting for it to come back."
        screen = term.wait_for(gone)
        # The message stands alone on its line: the status line was cleared first.
        assert gone in [line.rstrip() for line in screen.splitlines()]
        term.wait_for("PAUSED")  # and the status line is drawn again below it
        back.touch()
        screen = term.wait_for("Walk complete:")
        lines = [line.rstrip() for line in screen.splitlines()]
        assert gone in lines and "The audio device is back: resuming." in lines
        assert term.exit_code() == 0
    finally:
        term.close()
