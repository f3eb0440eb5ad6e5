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
from typing import Any, Protocol

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
    def line_mode(self) -> None: ...
    def key_mode(self) -> None: ...


class _PosixKeys:
    """Keys from the terminal ``fd``, whose own settings were ``saved``."""

    def __init__(self, fd: int, saved: list[Any]) -> None:
        self.fd = fd
        self.saved = saved

    def line_mode(self) -> None:
        """The terminal as it was (lines, echo): before pacer is suspended (Ctrl-Z),
        and at the end."""
        import termios

        # After a hang-up the terminal is gone; there is nothing left to restore.
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)

    def key_mode(self) -> None:
        """Single keys, no echo: at the start, and again after ``fg`` (the shell gives
        a job it brings back the terminal in line mode)."""
        import termios
        import tty

        # TCSANOW, not the default TCSAFLUSH: a key pressed a moment before reading
        # starts (the dizzy key at once) is read, never discarded.
        with contextlib.suppress(termios.error, OSError):
            tty.setcbreak(self.fd, termios.TCSANOW)

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
    def line_mode(self) -> None:
        """The console reads keys without a mode of its own."""

    def key_mode(self) -> None:
        """The console reads keys without a mode of its own."""

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

    fd = sys.stdin.fileno()
    keys = _PosixKeys(fd, termios.tcgetattr(fd))
    try:
        keys.key_mode()
        yield keys
    finally:
        keys.line_mode()
