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

__all__ = ["KEYS", "KeyDecoder", "KeyReader", "terminal_keys", "ARROWS"]

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
# rxvt's shifted (ESC [ a) and Ctrl (ESC O a) arrows end in a small letter.
_ARROW_FINALS = {**ARROWS, **{final.lower(): name for final, name in ARROWS.items()}}

ALT_WAIT = 0.05
"""Seconds after a lone Esc within which the next byte makes it a sequence (Alt+key,
an arrow, ...) rather than a key of its own (ncurses' ESCDELAY is of this order)."""
SEQUENCE_WAIT = 1.0
"""Seconds a terminal may take between the bytes of one escape sequence (a slow link
splits it) before what came of it is dropped; a ``[`` or ``O`` this soon after a lone
Esc still starts one."""


class KeyDecoder:
    """Bytes from a terminal in, key names out; an escape sequence is one key, never
    letters.

    A sequence is CSI (``ESC [``, parameter bytes 0x30-0x3F, intermediate bytes
    0x20-0x2F, one final byte 0x40-0x7E; the Linux console's ``ESC [ [ x`` too), SS3
    (``ESC O``, optional parameters, one final byte), a string (``ESC ]``, ``ESC P``,
    ``ESC _``, ``ESC ^``, ``ESC X``, up to BEL or ``ESC \\``), or Alt+key (``ESC`` then
    any other byte); ``ESC ESC ...`` is Alt and the sequence after it. An arrow, with
    or without modifiers (xterm's ``ESC [ 1 ; 5 D``, rxvt's ``ESC [ d``/``ESC O d``), is
    that arrow; every other sequence is no key at all. A lone Esc is ``"escape"``.

    Pure: :meth:`feed` takes one byte (as a latin-1 character) and the time it came,
    :meth:`expire` is called when no byte came; both give the key completed, if any.
    """

    def __init__(self) -> None:
        self._seq = ""  # the sequence so far, from its ESC; "" outside one
        self._last = 0.0  # when its last byte came
        self._lone_escape_at: float | None = None  # a lone Esc said, a "[" may yet follow

    @property
    def pending(self) -> bool:
        """Inside a sequence: a byte is awaited (see :meth:`wait`)."""
        return bool(self._seq)

    def wait(self) -> float:
        """How long to wait for the next byte of the sequence before :meth:`expire`."""
        return ALT_WAIT if self._seq.lstrip("\x1b") == "" else SEQUENCE_WAIT

    def expire(self, now: float) -> str | None:
        """No byte came within :meth:`wait`: a lone Esc is ``"escape"``; a sequence cut
        short is dropped."""
        if not self._seq:
            return None
        lone = self._seq.lstrip("\x1b") == ""
        self._seq = ""
        if lone:
            self._lone_escape_at = now
            return "escape"
        return None

    def feed(self, char: str, now: float) -> str | None:
        after_escape = self._lone_escape_at
        self._lone_escape_at = None
        if not self._seq:
            if char == "\x1b":
                self._seq, self._last = char, now
                return None
            if char in "[O" and after_escape is not None and now - after_escape <= SEQUENCE_WAIT:
                # The rest of a sequence whose Esc came alone (a link split it).
                self._seq, self._last = "\x1b" + char, now
                return None
            return _NAMES.get(char, char)
        self._last = now
        return self._more(char)

    def _more(self, char: str) -> str | None:
        body = self._seq.lstrip("\x1b")  # the ESCs before it are Alt
        code = ord(char)
        if body == "":
            if char == "\x1b":
                self._seq += char  # ESC ESC: Alt, then what the second ESC starts
                return None
            if char in "[O]P_^X":
                self._seq += char
                return None
            self._seq = ""  # Alt+key: no key of pacer's
            return None
        intro, rest = body[0], body[1:]
        if intro in "]P_^X":  # a string, up to BEL or ST (ESC \\)
            if char == "\x07" or (rest.endswith("\x1b") and char == "\\"):
                self._seq = ""
            elif len(body) > 4096:
                self._seq = ""  # no terminal sends this much: give up on it
            else:
                self._seq += char
            return None
        if intro == "[" and rest == "[":  # the Linux console's F1-F5: ESC [ [ A..E
            self._seq = ""
            return None
        if char == "\x1b":  # a new sequence before this one ended: this one is dropped
            self._seq = char
            return None
        if intro == "[" and rest == "" and char == "[":
            self._seq += char
            return None
        if 0x30 <= code <= 0x3F and not any(0x20 <= ord(c) <= 0x2F for c in rest):
            self._seq += char  # parameters come before intermediates
            return None
        if 0x20 <= code <= 0x2F and intro == "[":
            self._seq += char
            return None
        self._seq = ""
        if 0x40 <= code <= 0x7E:
            plain = all(c.isdigit() or c == ";" for c in rest)
            return _ARROW_FINALS.get(char) if plain else None
        return None  # a byte no sequence has: the sequence and it are dropped


class KeyReader(Protocol):
    def read(self, timeout: float) -> str | None: ...
    def line_mode(self) -> None: ...
    def key_mode(self) -> None: ...


class _PosixKeys:
    """Keys from the terminal ``fd``, whose own settings were ``saved``."""

    def __init__(self, fd: int, saved: list[Any]) -> None:
        self.fd = fd
        self.saved = saved
        self.decoder = KeyDecoder()

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

        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return None
        data = os.read(self.fd, 1)
        return data.decode("latin-1") if data else None

    def read(self, timeout: float) -> str | None:
        """The next key within ``timeout`` seconds, or None; an escape sequence is one
        key (:class:`KeyDecoder`), and one that is no key is passed over."""
        import time

        decoder = self.decoder
        end = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            left = end - now
            if decoder.pending:
                # A sequence begun is finished (or dropped) before giving up.
                char = self._byte(decoder.wait())
                now = time.monotonic()
                key = decoder.expire(now) if char is None else decoder.feed(char, now)
            else:
                if left <= 0:
                    return None
                char = self._byte(left)
                if char is None:
                    return None
                key = decoder.feed(char, time.monotonic())
            if key is not None:
                return key
            if char is None and not decoder.pending and time.monotonic() >= end:
                return None


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
