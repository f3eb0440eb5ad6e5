"""The ``pacer`` command (and ``python -m pacer``).

Its first act is to make a signal harmless: until the command line has loaded and
taken signals over (a render holds them between blocks, a walk ends and records),
SIGINT, SIGTERM and SIGHUP end pacer at once with one line and exit 128 + the signal.
Nothing has been written by then, so nothing is left half-written. A Ctrl-C that
comes while this module is still loading (before a handler can be set) ends pacer
the same way.
"""

import sys  # always loaded already: Python's own start-up imported it

# No "from __future__ import annotations": it imports a module, outside the try.
try:
    import os
    import signal
except KeyboardInterrupt:  # the first instant, before a handler could be set
    sys.stderr.write("pacer: interrupted\n")
    raise SystemExit(130) from None

EARLY_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


def _gone(signum: int, _frame: object) -> None:
    try:
        os.write(2, b"pacer: interrupted\n")
    finally:
        os._exit(128 + signum)


def _take_signals() -> None:
    try:
        for name in EARLY_SIGNALS:
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _gone)
    except KeyboardInterrupt:  # came before SIGINT's handler was set
        _gone(signal.SIGINT, None)


def run() -> None:
    """Run the ``pacer`` command with the arguments it was given."""
    _take_signals()
    from .cli import main

    main(prog_name="pacer")


if __name__ == "__main__":
    try:
        run()
    except KeyboardInterrupt:  # between run()'s first instruction and its handlers
        _gone(signal.SIGINT, None)
