"""The ``pacer`` command (and ``python -m pacer``).

Its first act is to make a signal harmless: until the command line has loaded and
taken signals over (a render holds them between blocks, a walk ends and records),
SIGINT, SIGTERM and SIGHUP end pacer at once with one line and exit 128 + the signal.
Nothing has been written by then, so nothing is left half-written.
"""

from __future__ import annotations

import os
import signal

EARLY_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


def _gone(signum: int, _frame: object) -> None:
    try:
        os.write(2, b"pacer: interrupted\n")
    finally:
        os._exit(128 + signum)


def run() -> None:
    """Run the ``pacer`` command with the arguments it was given."""
    for name in EARLY_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _gone)
    from .cli import main

    main(prog_name="pacer")


if __name__ == "__main__":
    run()
