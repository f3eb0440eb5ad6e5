"""A signal at any moment of ``pacer render``, from the first millisecond on, ends it
in one line with 128 + the signal: never a traceback, never half a file, and an
earlier file of the same name intact. (A Ctrl-C inside the Python interpreter's own
start-up, before it runs any of pacer, is the interpreter's to report.)"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

TRIALS = int(os.environ.get("PACER_SIGNAL_TRIALS", "40"))
PACKAGE = str(Path(__file__).resolve().parent.parent / "pacer")
"""Where pacer's own code is: a traceback through it would be pacer's."""
CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


def _start_up() -> float:
    """Seconds until pacer's command line has loaded, the longest of three runs."""
    times = []
    for _ in range(3):
        began = time.monotonic()
        argv = [sys.executable, "-m", "pacer", "--version"]
        subprocess.run(argv, capture_output=True, check=True)
        times.append(time.monotonic() - began)
    return max(times)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_at_any_moment_of_a_render_is_one_line_and_leaves_the_old_file(
    tmp_path: Path, signum: signal.Signals
) -> None:
    target = tmp_path / "walk.wav"
    old = b"RIFF" + b"an earlier walk" * 100
    target.write_bytes(old)
    argv = [sys.executable, "-m", "pacer", "render", str(target), "--minutes", "30", "-q"]
    chance = random.Random(int(signum))
    # The moments span pacer's start-up as this machine runs it now (slower under load),
    # so that about half of them come once pacer is running, half before.
    span = max(0.3, 2 * _start_up())
    early: list[float] = []
    for _ in range(TRIALS):
        when = chance.uniform(0, span)
        child = subprocess.Popen(argv, stderr=subprocess.PIPE, stdout=subprocess.PIPE)
        time.sleep(when)
        child.send_signal(signum)
        _out, err = child.communicate(timeout=120)
        said = err.decode()
        if said.strip() and f"{PACKAGE}/" not in said and not said.startswith("pacer"):
            # Python's own start-up (its site module, runpy finding pacer), before the
            # command's first line has run (the first 20-100 ms here, under load): its
            # KeyboardInterrupt there (a traceback, "Could not import runpy module",
            # "Fatal Python error", exit 1), through none of pacer's code, is not
            # pacer's to catch. Either it ended Python before pacer could write anything,
            # or Python swallowed it ("Exception ignored in" an import's callback) and
            # pacer, never told, wrote the whole walk.
            if child.returncode == 0:
                with wave.open(str(target)) as written:
                    assert written.getnframes() > 30 * 60 * written.getframerate(), said
                target.write_bytes(old)
            else:
                assert target.read_bytes() == old, (when, child.returncode, said)
            early.append(when)
            continue
        assert "Traceback" not in said, (when, said)
        if child.returncode == 0:  # finished before the signal came
            target.write_bytes(old)  # the next trial starts from the old file again
            continue
        # Killed before Python's own start-up had a handler is the same 128 + signal
        # to the shell that started pacer.
        assert child.returncode in (CODES[signum], -signum), (when, child.returncode, said)
        # One line (after the newline that ends a "^C" a terminal shows), or none.
        lines = said.lstrip("\n").splitlines()
        assert len(lines) <= 1 and all(line.startswith("pacer: ") for line in lines), said
        # Killed by the signal's default action with the file changed: the signal came
        # while Python was ending, after pacer's work (Python gives the signals back
        # their defaults as it finishes), so the file that replaced the old one is whole.
        after_the_end = child.returncode == -signum and target.read_bytes() != old
        if "was written in full" in said or after_the_end:
            # The signal came after the finished file replaced the old one: it is whole.
            with wave.open(str(target)) as written:
                assert written.getnframes() > 30 * 60 * written.getframerate(), when
            target.write_bytes(old)
        else:
            assert target.read_bytes() == old, (when, child.returncode, said)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["walk.wav"], when
    assert len(early) < TRIALS * 3 / 4, (span, early)  # many came once pacer was running


SWALLOWED = """
import os, signal, sys, weakref
import pacer.voice
from pacer.__main__ import run

real_prepare = pacer.voice.prepare

class Thing:
    pass

def prepare(*args, **kwargs):
    # A signal that arrives while Python runs a weak reference's callback: an exception
    # raised by the signal's handler there cannot stop anything (Python prints
    # "Exception ignored" and goes on).
    thing = Thing()
    ref = weakref.ref(thing, lambda _ref: [os.kill(os.getpid(), SIGNUM), sum(range(10000))])
    del thing
    return real_prepare(*args, **kwargs)

pacer.voice.prepare = prepare
sys.argv = ["pacer", "render", sys.argv[1], "--minutes", "30", "-q"]
run()
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_python_cannot_raise_still_stops_the_render(
    tmp_path: Path, signum: signal.Signals
) -> None:
    target = tmp_path / "walk.wav"
    old = b"RIFF" + b"an earlier walk" * 100
    target.write_bytes(old)
    script = SWALLOWED.replace("SIGNUM", str(int(signum)))
    done = subprocess.run(
        [sys.executable, "-c", script, str(target)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == CODES[signum], done.stderr
    assert done.stderr == f"pacer: error: interrupted; {target} was not written\n", done.stderr
    assert target.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["walk.wav"]
