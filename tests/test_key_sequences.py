"""An escape sequence from the terminal is one key, never letters (issue 9, outside
tester's finding 1): Ctrl/Shift/Alt+Left (ESC [ 1 ; 5 D ...) and Esc then Left end in a
``D``, which was read as the dizzy key and ended the walk. Any arrow, with or without
modifiers, is that arrow; every other sequence (function keys, random CSI, SS3, Alt+key,
strings) is no key; d, q and space come only from their own key presses."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacer.keys import ALT_WAIT, SEQUENCE_WAIT, KeyDecoder, _PosixKeys

ARROW = {"A": "up", "B": "down", "C": "right", "D": "left"}
FINALS = {**ARROW, "a": "up", "b": "down", "c": "right", "d": "left"}  # rxvt's too
MODIFIERS = ["2", "3", "4", "5", "6", "7", "8"]  # xterm: Shift, Alt, ..., Ctrl+Alt+Shift


@dataclass(frozen=True)
class Token:
    data: str  # the bytes a key press sends (latin-1)
    key: str | None  # the key it is
    sequence: bool  # an escape sequence (its bytes must never be d, q or space)


def _arrow(final: str, mod: str | None, ss3: bool, alt: bool) -> Token:
    if ss3:
        body = "\x1bO" + final
    elif mod is None:
        body = "\x1b[" + final
    else:
        body = f"\x1b[1;{mod}{final}"
    return Token(("\x1b" if alt else "") + body, ARROW[final], True)


arrows = st.builds(
    _arrow,
    st.sampled_from("ABCD"),
    st.none() | st.sampled_from(MODIFIERS),
    st.booleans(),
    st.booleans(),
)
rxvt_arrows = st.builds(
    lambda final, intro: Token(f"\x1b{intro}{final}", ARROW[final.upper()], True),
    st.sampled_from("abcd"),
    st.sampled_from("[O"),
)
FUNCTION_KEYS = [
    "\x1bOP",
    "\x1bOQ",
    "\x1bOR",
    "\x1bOS",  # F1-F4 (SS3): Q is no q
    "\x1b[15~",
    "\x1b[17~",
    "\x1b[18~",
    "\x1b[19~",
    "\x1b[20~",
    "\x1b[21~",
    "\x1b[23~",
    "\x1b[24~",
    "\x1b[1;5P",
    "\x1b[1;2Q",
    "\x1b[15;5~",
    "\x1b[2~",
    "\x1b[3~",
    "\x1b[5~",
    "\x1b[6~",
    "\x1b[H",
    "\x1b[F",
    "\x1b[1;5H",
    "\x1b[1;2F",
    "\x1b[Z",  # Shift+Tab
    "\x1b[[A",
    "\x1b[[B",
    "\x1b[[C",
    "\x1b[[D",
    "\x1b[[E",  # the Linux console's F1-F5
    "\x1b[200~",
    "\x1b[201~",
    "\x1b[<0;12;5M",
    "\x1b[?1;2c",
    "\x1b[12;40R",
    "\x1b]11;rgb:0000/0000/0000\x07",
    "\x1b]10;rgb:ffff/ffff/ffff\x1b\\",
    "\x1bPq d q\x1b\\",
]
function_keys = st.builds(
    lambda data, alt: Token(("\x1b" if alt else "") + data, None, True),
    st.sampled_from(FUNCTION_KEYS),
    st.booleans(),
)
random_csi = st.builds(
    lambda params, inter, final: Token(
        "\x1b[" + params + inter + final,
        FINALS.get(final) if not inter and all(c.isdigit() or c == ";" for c in params) else None,
        True,
    ),
    st.text(st.characters(min_codepoint=0x30, max_codepoint=0x3F), max_size=8).filter(
        lambda p: not p.startswith("[")
    ),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x2F), max_size=3),
    st.characters(min_codepoint=0x40, max_codepoint=0x7E).filter(lambda c: c != "["),
)
random_ss3 = st.builds(
    lambda final: Token("\x1bO" + final, FINALS.get(final), True),
    st.characters(min_codepoint=0x40, max_codepoint=0x7E),
)
alt_keys = st.builds(
    lambda c: Token("\x1b" + c, None, True),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E).filter(lambda c: c not in "[O]P_^X"),
)
PLAIN = {" ": "space", "\r": "enter", "\n": "enter"}
plain = st.builds(
    lambda c: Token(c, PLAIN.get(c, c), False),
    st.sampled_from("dqDQ xjk\r\n19?;~").filter(lambda c: c not in "[O"),
)
lone_escape = st.just(Token("\x1b", "escape", False))
tokens = st.lists(
    st.one_of(
        plain,
        plain,
        arrows,
        rxvt_arrows,
        function_keys,
        random_csi,
        random_ss3,
        alt_keys,
        lone_escape,
    ),
    max_size=40,
)


def _timed(draw: st.DrawFn, script: list[Token]) -> list[tuple[float, str]]:
    """Each byte with the time it comes: a key's own bytes close together (split at any
    point, as a slow link splits them), keys apart by any time, a lone Esc alone."""
    out: list[tuple[float, str]] = []
    now = 0.0
    for index, token in enumerate(script):
        follows_lone_escape = index > 0 and script[index - 1].data == "\x1b"
        if follows_lone_escape:
            # Long enough to be a key of its own (and a "[" after it no sequence's).
            now += draw(st.floats(SEQUENCE_WAIT + 0.01, 5.0))
        elif index:
            now += draw(st.sampled_from([0.0, 0.001, 0.3, 2.0]))
        for position, char in enumerate(token.data):
            if position:
                # The byte after the ESCs of Alt+key must come at once; later bytes of
                # a sequence may come up to SEQUENCE_WAIT apart.
                escs = len(token.data) - len(token.data.lstrip("\x1b"))
                limit = ALT_WAIT if position <= escs else SEQUENCE_WAIT
                now += draw(st.floats(0.0, limit * 0.9))
            out.append((now, char))
    return out


def decode(timed: list[tuple[float, str]], end: float) -> list[str]:
    """What a reader makes of the bytes: expire() whenever the decoder's wait passes."""
    decoder = KeyDecoder()
    keys: list[str] = []
    last = 0.0

    def expire_until(now: float) -> None:
        if decoder.pending and now - last > decoder.wait():
            key = decoder.expire(last + decoder.wait())
            if key is not None:
                keys.append(key)

    for now, char in timed:
        expire_until(now)
        key = decoder.feed(char, now)
        last = now
        if key is not None:
            keys.append(key)
    expire_until(end)
    return keys


@given(st.data(), tokens)
@settings(max_examples=400, deadline=None)
def test_every_key_press_is_one_key_and_a_sequence_is_never_letters(
    data: st.DataObject, script: list[Token]
) -> None:
    timed = _timed(data.draw, script)
    keys = decode(timed, (timed[-1][0] if timed else 0.0) + 10)
    assert keys == [t.key for t in script if t.key is not None]
    # The fact a walker relies on, said on its own: d, q and space only from their keys.
    pressed = [t.key for t in script if not t.sequence and t.key in ("d", "D", "q", "Q", "space")]
    assert [k for k in keys if k in ("d", "D", "q", "Q", "space")] == pressed


@given(st.lists(st.binary(max_size=12), max_size=12), st.data())
@settings(max_examples=300, deadline=None)
def test_random_bytes_after_an_escape_within_a_sequence_never_give_d_q_or_space(
    junk: list[bytes], data: st.DataObject
) -> None:
    """Random bytes, ESC [ before each piece: whatever else happens, a d, q or space
    is only ever a byte outside every sequence the decoder was in."""
    decoder = KeyDecoder()
    now = 0.0
    for piece in junk:
        for index, byte in enumerate(b"\x1b[" + piece):
            char = chr(byte)
            was_inside = decoder.pending
            now += data.draw(st.sampled_from([0.0, 0.01]))
            key = decoder.feed(char, now)
            if key in ("d", "q", "space", "D", "Q"):
                assert not was_inside, (piece, index)


def test_the_tester_s_sequences_are_arrows() -> None:
    for data, key in [
        ("\x1b[1;5D", "left"),
        ("\x1b[1;2D", "left"),
        ("\x1b[1;3D", "left"),
        ("\x1b\x1b[D", "left"),
        ("\x1b\x1bOD", "left"),
        ("\x1b[1;5C", "right"),
        ("\x1b[D", "left"),
        ("\x1bOD", "left"),
        ("\x1b[d", "left"),
        ("\x1bOd", "left"),
    ]:
        assert decode([(i * 0.001, c) for i, c in enumerate(data)], 5.0) == [key], data
    assert decode([(i * 0.001, c) for i, c in enumerate("\x1b[[D")], 5.0) == []  # F4
    # Esc, then Left a moment later (a link slower than the Alt wait): Esc and Left.
    assert decode([(0.0, "\x1b"), (0.2, "["), (0.2, "D")], 5.0) == ["escape", "left"]
    # Esc, then d a moment later: d (the dizzy key works after an Esc).
    assert decode([(0.0, "\x1b"), (0.2, "d")], 5.0) == ["escape", "d"]


@given(tokens, st.lists(st.integers(1, 8), min_size=1, max_size=20))
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
def test_the_terminal_reader_reads_sequences_split_across_reads_as_one_key(
    script: list[Token], cuts: list[int]
) -> None:
    """Through a real pty: the bytes written in pieces cut anywhere, a few ms apart."""
    script = [t for t in script if t.data != "\x1b"]  # a lone Esc needs waiting for
    stream = "".join(t.data for t in script).encode("latin-1")
    primary, secondary = pty.openpty()
    try:
        import termios

        keys = _PosixKeys(secondary, termios.tcgetattr(secondary))
        keys.key_mode()
        at = 0
        index = 0
        while at < len(stream):
            size = cuts[index % len(cuts)]
            os.write(primary, stream[at : at + size])
            at += size
            index += 1
            time.sleep(0.002)
        got: list[str] = []
        while True:
            key = keys.read(0.2)
            if key is None:
                break
            got.append(key)
        assert got == [t.key for t in script if t.key is not None]
    finally:
        os.close(primary)
        os.close(secondary)


WALK = [sys.executable, "-m", "pacer", "walk", "--engine", "null", "--minutes", "3"]
WALK += ["--rate", "8000", "--pain-before", "2", "--pain-after", "2", "--no-journal"]


def test_ctrl_shift_alt_left_and_esc_left_slow_the_walk_and_never_end_it() -> None:
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(WALK, stdin=secondary, stdout=secondary, stderr=secondary)
    seen = b""
    try:
        deadline = time.monotonic() + 60

        def until(text: bytes) -> None:
            """Wait for ``text`` in what pacer writes from now on."""
            nonlocal seen
            mark = len(seen)
            while text not in seen[mark:]:
                assert time.monotonic() < deadline, seen.decode(errors="replace")
                assert b"felt dizzy" not in seen, seen.decode(errors="replace")
                if select.select([primary], [], [], 0.5)[0]:
                    seen += os.read(primary, 65536)

        until(b"Keys:")
        until(b"steps/min")
        # Each slows the walk by 5, seen on the screen before the next is pressed.
        for sequence, pace in zip(
            (b"\x1b[1;5D", b"\x1b[1;2D", b"\x1b[1;3D"), (55, 50, 45), strict=True
        ):
            os.write(primary, sequence)
            until(b"| %d steps/min" % pace)
        os.write(primary, b"\x1b\x1b[D")  # Esc, then Left at once
        until(b"| 40 steps/min")
        os.write(primary, b"\x1b[1;5C\x1b\x1b[C")  # Ctrl+Right; Esc, then Right
        until(b"| 50 steps/min")
        os.write(primary, b"q")
        until(b"Walk ended early")
        assert b"felt dizzy" not in seen, seen.decode(errors="replace")
        assert proc.wait(30) == 0
    finally:
        proc.kill()
        proc.wait()
        os.close(primary)
        os.close(secondary)
