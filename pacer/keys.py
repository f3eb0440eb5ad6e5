"""Single key presses from a terminal, without waiting for Enter, with a timeout.

POSIX terminals are put in cbreak mode (Ctrl-C still interrupts); Windows reads the
console through msvcrt. Keys come back as names: ``"space"``, ``"up"``, ``"down"``,
``"left"``, ``"right"``, ``"enter"``, or the character itself.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Protocol

__all__ = ["KEYS", "KeyReader", "terminal_keys", "ARROWS"]

KEYS: dict[str, str] = {
    "space": "pause or resume",
    "up": "1 step/min faster",
    "down": "1 step/min slower",
    "right": "5 steps/min faster",
    "left": "5 steps/min slower",
    "q": "end the walk early",
    "d": "dizzy: end the walk at once, calmly (recorded as ended for dizziness)",
}
"""The keys a walker can press in a live walk, and what each does (:func:`pacer.live.press`
does it); numpy-free, so ``pacer walk --help`` lists them for free."""

ARROWS = {"A": "up", "B": "down", "C": "right", "D": "left"}
_NAMES = {" ": "space", "\r": "enter", "\n": "enter", "\x1b": "escape"}


class KeyReader(Protocol):
    def read(self, timeout: float) -> str | None: ...


class _PosixKeys:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def _byte(self, timeout: float) -> str | None:
        import select

        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        data = os.read(self.fd, 1)
        return data.decode("latin-1") if data else None

    def read(self, timeout: float) -> str | None:
        char = self._byte(timeout)
        if char is None:
            return None
        if char == "\x1b":
            if self._byte(0.05) in ("[", "O"):
                final = self._byte(0.05)
                return str(ARROWS.get(final or "", "escape"))
            return "escape"
        return _NAMES.get(char, char)


class _WindowsKeys:  # pragma: no cover - exercised on Windows only
    def read(self, timeout: float) -> str | None:
        import msvcrt
        import threading
        import time

        idle = threading.Event()
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if msvcrt.kbhit():  # type: ignore[attr-defined]
                char = str(msvcrt.getwch())  # type: ignore[attr-defined]
                if char in ("\x00", "\xe0"):
                    code = str(msvcrt.getwch())  # type: ignore[attr-defined]
                    return {"H": "up", "P": "down", "M": "right", "K": "left"}.get(code)
                return _NAMES.get(char, char)
            idle.wait(0.02)  # the console cannot be select()ed on Windows
        return None


@contextlib.contextmanager
def terminal_keys() -> Iterator[KeyReader | None]:
    """Key presses from the terminal on stdin, or ``None`` when stdin is not one."""
    if not sys.stdin.isatty():
        yield None
        return
    if os.name == "nt":  # pragma: no cover
        yield _WindowsKeys()
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        # TCSANOW, not the default TCSAFLUSH: a key pressed a moment before reading
        # starts (the dizzy key at once) is read, never discarded.
        tty.setcbreak(fd, termios.TCSANOW)
        yield _PosixKeys(fd)
    finally:
        # After a hang-up the terminal is gone; there is nothing left to restore.
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
