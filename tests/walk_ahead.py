"""`pacer` as a walker runs it, on a device that plays the first SECONDS of the walk at
once and then asks for no more (alive, as a device with a stalled clock is): a test in
a real terminal meets a walk already past its first minute without waiting for it.

Run: python walk_ahead.py SECONDS pacer-arguments...
"""

from __future__ import annotations

import sys
import threading
from typing import Any

import numpy as np
from test_walk_cli import FastEngine  # the fake device the walk tests use

from pacer.cli import main
from pacer.output import device


class AheadEngine(FastEngine):
    def __init__(self, rate: int, seconds: float) -> None:
        super().__init__()
        self.frames = round(rate * seconds)

    def start(self, pull: Any) -> None:
        def run() -> None:
            while self.pulled < self.frames and not self.stopped.is_set():
                block = np.zeros((min(4096, self.frames - self.pulled), 2), dtype=np.float32)
                pull(block)
                self.pulled += len(block)

        threading.Thread(target=run, daemon=True).start()


if __name__ == "__main__":
    seconds = float(sys.argv[1])
    device.open_engine = lambda name, rate, *a, **kw: AheadEngine(rate, seconds)  # type: ignore[assignment]
    main(sys.argv[2:], prog_name="pacer")
