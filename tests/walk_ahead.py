"""`pacer` as a walker runs it, on a device that plays the first SECONDS of the walk at
once and then asks for no more (alive, as a device with a stalled clock is): a test in
a real terminal meets a walk already past its first minute without waiting for it.

With LOST and BACK (file names), the device is lost once LOST exists, and a device
comes back once BACK exists; it plays the rest of the walk at once.

Run: python walk_ahead.py SECONDS [LOST BACK] -- pacer-arguments...
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
from test_walk_cli import FastEngine  # the fake device the walk tests use

from pacer.cli import main
from pacer.errors import NoAudioOutputError
from pacer.output import device


class AheadEngine(FastEngine):
    def __init__(self, rate: int, seconds: float, lost: Path | None = None) -> None:
        super().__init__()
        self.frames = round(rate * seconds)
        self.lost = lost

    def start(self, pull: Any) -> None:
        def run() -> None:
            while self.pulled < self.frames and not self.stopped.is_set():
                block = np.zeros((min(4096, self.frames - self.pulled), 2), dtype=np.float32)
                pull(block)
                self.pulled += len(block)

        threading.Thread(target=run, daemon=True).start()

    def alive(self) -> bool:
        return self.lost is None or not self.lost.exists()


def engines(seconds: float, lost: Path | None, back: Path | None) -> Any:
    """``open_engine`` for the walk: the device ahead first, then (after a loss) one
    that plays the rest at once, once ``back`` exists."""
    opened: list[object] = []

    def open_engine(name: str, rate: int, *args: object, **kw: object) -> object:
        if not opened:
            opened.append(AheadEngine(rate, seconds, lost))
        elif back is None or not back.exists():
            raise NoAudioOutputError("not back yet")
        else:
            opened.append(FastEngine())
        return opened[-1]

    return open_engine


if __name__ == "__main__":
    split = sys.argv.index("--")
    given = sys.argv[1:split]
    lost, back = (Path(given[1]), Path(given[2])) if len(given) == 3 else (None, None)
    device.open_engine = engines(float(given[0]), lost, back)
    main(sys.argv[split + 1 :], prog_name="pacer")
