"""`pacer` on a device that plays the first SECONDS of the walk at once and then sends
pacer the signal SIGNAL (as a walker's Ctrl-C, ``kill`` or a closing terminal would),
with things failing on the way out as FAILURES (comma-separated) say:

* ``full``: the journal cannot take the walk (a disk that filled mid-walk): it is kept
  beside the journal; ``nowhere``: nor can it be kept anywhere;
* ``stdout``: whoever read standard output has gone (``pacer walk | head -1``).

Run: python walk_failing.py FAILURES SIGNAL SECONDS -- pacer-arguments...
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

import numpy as np
from walk_ahead import AheadEngine

from pacer import journal
from pacer.cli import main
from pacer.output import device


class SignallingEngine(AheadEngine):
    def __init__(self, rate: int, seconds: float, signum: int, failures: set[str]) -> None:
        super().__init__(rate, seconds)
        self.signum = signum
        self.failures = failures

    def start(self, pull: Any) -> None:
        def run() -> None:
            while self.pulled < self.frames:
                block = np.zeros((min(4096, self.frames - self.pulled), 2), dtype=np.float32)
                pull(block)
                self.pulled += len(block)
            if "stdout" in self.failures:
                read, write = os.pipe()
                os.close(read)
                os.dup2(write, 1)
                os.close(write)
            os.kill(os.getpid(), self.signum)

        threading.Thread(target=run, daemon=True).start()


def full(self: journal.Journal, entry: object) -> object:
    raise journal.JournalError(f"{self.path}: could not record the walk (the disk is full)")


if __name__ == "__main__":
    split = sys.argv.index("--")
    given, name, seconds = sys.argv[1:split]
    failures = set(given.split(",")) - {"none"}
    signum = getattr(signal, name)
    device.open_engine = lambda name, rate, *a, **k: SignallingEngine(
        rate, float(seconds), signum, failures
    )
    if failures & {"full", "nowhere"}:
        journal.Journal.add = full  # type: ignore[method-assign]
    if "nowhere" in failures:
        journal.keep_unrecorded = lambda entry, path: None
    main(sys.argv[split + 1 :], prog_name="pacer")
