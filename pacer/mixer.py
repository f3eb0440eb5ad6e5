"""Events into sound: fixed-size float32 blocks, computed from absolute sample
indexes so that where a block starts or ends changes nothing about what is heard.

Memory is bounded by the block size and the sounds, never by the session's length:
the mixer walks the timeline once and keeps only the sounds still ringing.

Levels: a beat peaks at 0.5 and a cue at 0.39 of full scale at volume 100, so even a
cue on a beat peaks at 0.89, just under -1 dBFS. Speech (clips that peak at most at
-1 dBFS) is played at 0.82, and while anyone speaks the beat is ducked by 12 dB with
20 ms ramps, so words stay clear and the sum still stays under -1 dBFS. Nothing ever
clips.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from .cadence import Beat
from .cues import CUE_KINDS, Cue
from .session import LIMITS, Session, expect, expect_frame
from .tones import Sound, beat_sound, earcon_sound, raised_cosine
from .voice import Prepared, prepare

__all__ = [
    "blocks",
    "Mixer",
    "BEAT_PEAK",
    "CUE_PEAK",
    "UNACCENTED",
    "FOOT_PAN",
    "STEP_PAN",
    "DEFAULT_BLOCK_FRAMES",
]

BEAT_PEAK = 0.5
"""Peak of a beat at volume 100, as a fraction of full scale."""
CUE_PEAK = 0.39
"""Peak of a cue at volume 100 (beat + cue stay under -1 dBFS = 0.891)."""
UNACCENTED = 0.6
"""Gain of an unaccented beat when accents are on."""
FOOT_PAN = 0.3
"""How far a footfall leans to its side with ``alternate_feet``: the other ear hears
it at 70 %."""
STEP_PAN = 1.0
"""Where a ``step`` footfall sits with ``alternate_feet``: in its own foot's ear only,
each foot with its own sound."""
SPEECH_GAIN = 0.82
"""Gain on speech clips at volume 100 (they peak at -1 dBFS or below), leaving room
for the ducked beat under -1 dBFS."""
DUCK = 10 ** (-12 / 20)
"""The beat's level while speech plays: -12 dB, so a look-back heard in one ear is
at least 20 dB louder there than the beat left in the other."""
DUCK_RAMP_SECONDS = 0.02
DEFAULT_BLOCK_FRAMES = 4096

# The ducked gain, computed as the ramp computes it where it is fully down, so that a
# beat ducked whole and a beat ducked in part get the very same samples.
_DUCKED: np.float32 = np.float32(1 - (1 - DUCK) * 1.0)

Block = npt.NDArray[np.float32]
Stereo = dict[tuple[int, float, float, "np.float32 | None"], tuple[Sound, Block]]
"""Whole sounds in both ears (see :meth:`Mixer.warm`), by the sound's ``id``, its gain in
each ear and its ducking; each kept with its sound, so no ``id`` is reused while kept."""


class _Placed(NamedTuple):
    """A sound placed at a sample (until ``end``), with its gain in each ear. A named
    tuple: one is made per beat, and a tuple is the cheapest to make."""

    start: int
    end: int
    sound: Sound
    left: float
    right: float
    ducks: bool = False


def _placed(start: int, sound: Sound, left: float, right: float, ducks: bool = False) -> _Placed:
    return _Placed(start, start + len(sound), sound, left, right, ducks)


def _ear_gains(pan: float) -> tuple[float, float]:
    """Balance: the centre is full level in both ears; -1 is the left ear only."""
    return min(1.0, 1.0 - pan), min(1.0, 1.0 + pan)


class Mixer:
    """Mixes a prepared walk's events into audio, window by window, in order.

    Call :meth:`spans` with windows that move forward (each starting where the last
    ended, or later); the mixer walks the timeline once.

    ``scratch`` (float32, shape ``(frames, 2)``): where sounds overlap in a window of
    at most ``frames``, they are mixed in it, at their offsets in the window, instead
    of in new arrays; a caller that uses each piece before the next :meth:`spans`
    call (a file writer) so makes no new arrays at all.

    ``stereo``: where the whole sounds in both ears are kept (:meth:`warm` makes them);
    mixers of one walk's plans may share it, so a sound is copied once a walk.
    """

    def __init__(
        self,
        prepared: Prepared,
        start: int = 0,
        scratch: Block | None = None,
        stereo: Stereo | None = None,
    ) -> None:
        self._scratch = scratch
        session = prepared.session
        self.prepared = prepared
        self.session = session
        rate = session.sample_rate
        self._gain = session.volume / 100
        self._speaking: list[tuple[int, int]] = []
        for cue in prepared.schedule.cues:
            line = prepared.line(cue)
            if line is not None:
                self._speaking.append((cue.sample, cue.sample + line.samples))
        self._speech_starts = [s for s, _ in self._speaking]
        self._ramp = max(1, round(DUCK_RAMP_SECONDS * rate))
        self._longest = max(
            max(
                len(beat_sound(session.sound, rate, a, foot))
                for a in (False, True)
                for foot in ("left", "right")
            ),
            max(round(kind.earcon.seconds * rate) + 1 for kind in CUE_KINDS.values()),
            max((e - s for s, e in self._speaking), default=0),
        )
        self._events = prepared.schedule.events(max(0, start - self._longest))
        self._cutoff: int | None = None
        self._pending: _Placed | None = None
        self._ringing: list[_Placed] = []
        # A sound heard alone, whole, is the same array every time: keep it.
        self._whole: Stereo = {} if stereo is None else stereo

    def warm(self) -> None:
        """Make now, on the caller's thread, every sound this walk can play in both ears
        (each beat, ducked and not, and each cue): mixing then copies no whole sound
        (a spoken line at 44.1 kHz is over a megabyte in stereo). For a live walk,
        whose audio thread must not make them."""
        for accent in (False, True):
            for foot in ("left", "right"):
                beat = self._place(Beat(0, 0, 0, foot, accent))
                self._stereo(beat)
                self._stereo(beat, _DUCKED)
        for cue in self.prepared.schedule.cues:
            self._stereo(self._place(cue))

    def _place(self, event: Beat | Cue) -> _Placed:
        session = self.session
        rate = session.sample_rate
        if isinstance(event, Beat):
            gain = BEAT_PEAK * self._gain
            if session.accent_every is not None and not event.accent:
                gain *= UNACCENTED
            pan = 0.0
            foot = "left"
            if session.alternate_feet:
                foot = event.foot
                lean = STEP_PAN if session.sound == "step" else FOOT_PAN
                pan = -lean if foot == "left" else lean
            sound = beat_sound(session.sound, rate, event.accent, foot)
            left, right = _ear_gains(pan)
            return _placed(event.sample, sound, gain * left, gain * right, ducks=True)
        pan = event.pan
        spoken = self.prepared.speech(event)
        if spoken is not None:
            gain, sound = SPEECH_GAIN * self._gain, spoken
        else:
            gain, sound = CUE_PEAK * self._gain, earcon_sound(event.kind, rate)
        left, right = _ear_gains(pan)
        return _placed(event.sample, sound, gain * left, gain * right)

    def _duck(self, a: int, b: int) -> npt.NDArray[np.float32] | np.float32 | None:
        """The beat's gain over samples ``[a, b)``: ``None`` when no speech is near, one
        number when all of it is under speech, else one per sample."""
        if not self._speaking:
            return None
        ramp = self._ramp
        i = bisect.bisect_right(self._speech_starts, b + ramp)
        near = [(s, e) for s, e in self._speaking[max(0, i - 3) : i] if e + ramp > a]
        if not near:
            return None
        if any(s <= a and b - 1 <= e for s, e in near):
            return _DUCKED
        t = np.arange(a, b, dtype=np.float64)
        weight = np.zeros(b - a)
        for s, e in near:
            rise = (t - (s - ramp)) / ramp
            fall = ((e + ramp) - t) / ramp
            weight = np.maximum(weight, raised_cosine(np.minimum(rise, fall)))
        return (1 - (1 - DUCK) * weight).astype(np.float32)

    def _next(self) -> _Placed | None:
        if self._pending is None:
            event = next(self._events, None)
            if event is not None:
                self._pending = self._place(event)
        cutoff = self._cutoff
        if self._pending is not None and cutoff is not None and self._pending.start >= cutoff:
            return None
        return self._pending

    def cut(self, at: int) -> None:
        """Start no sound at or after sample ``at``; sounds already started ring out."""
        self._cutoff = at

    def quiet_after(self, sample: int) -> bool:
        """True when, after a :meth:`cut`, nothing sounds from ``sample`` on."""
        return self._next() is None and all(p.end <= sample for p in self._ringing)

    def spans(self, start: int, end: int) -> list[tuple[int, Block]]:
        """The sound in samples ``[start, end)`` as ``(offset, audio)`` pieces.

        ``offset`` is from ``start``; ``audio`` is float32 of shape ``(n, 2)``, and may
        be shared and read-only (copy it to change it). Pieces do not overlap; where
        there is no piece there is silence. With a ``scratch`` buffer (see
        :class:`Mixer`) a mixed piece lasts only until the next call.
        """
        scratch = self._scratch
        into = scratch if scratch is not None and end - start <= len(scratch) else None
        while (upcoming := self._next()) is not None and upcoming.start < end:
            self._ringing.append(upcoming)
            self._pending = None
        self._ringing = [p for p in self._ringing if p.end > start]
        live = sorted((p for p in self._ringing if p.start < end), key=lambda p: p.start)
        pieces: list[tuple[int, Block]] = []
        group: list[_Placed] = []
        group_end = -1
        for placed in live:
            if group and placed.start >= group_end:
                pieces.append(self._mix(group, start, end, into))
                group = []
            group.append(placed)
            group_end = max(group_end, placed.end) if len(group) > 1 else placed.end
        if group:
            pieces.append(self._mix(group, start, end, into))
        return pieces

    def _stereo(self, placed: _Placed, duck: np.float32 | None = None) -> Block:
        """The whole sound in both ears at its gains (ducked by ``duck``), computed
        once and shared read-only: a sound placed again is the same array."""
        key = (id(placed.sound), placed.left, placed.right, duck)
        kept = self._whole.get(key)
        if kept is None:
            sound = placed.sound if duck is None else placed.sound * duck
            whole = np.empty((len(sound), 2), dtype=np.float32)
            np.multiply(sound, np.float32(placed.left), out=whole[:, 0])
            np.multiply(sound, np.float32(placed.right), out=whole[:, 1])
            whole.flags.writeable = False
            kept = self._whole[key] = (placed.sound, whole)
        return kept[1]

    def _mix(
        self, group: list[_Placed], start: int, end: int, into: Block | None = None
    ) -> tuple[int, Block]:
        alone = group[0]
        if len(group) == 1 and start <= alone.start and alone.end <= end:
            duck = self._duck(alone.start, alone.end) if alone.ducks else None
            if not isinstance(duck, np.ndarray):
                return alone.start - start, self._stereo(alone, duck)
        lo = max(start, group[0].start)
        hi = min(end, max(p.end for p in group))
        if into is None:
            out = np.zeros((hi - lo, 2), dtype=np.float32)
        else:
            out = into[lo - start : hi - start]
            out.fill(0)
        for p in group:
            a, b = max(lo, p.start), min(hi, p.end)
            if a >= b:
                continue
            duck = self._duck(a, b) if p.ducks else None
            if isinstance(duck, np.ndarray):
                piece = p.sound[a - p.start : b - p.start] * duck
                out[a - lo : b - lo, 0] += piece * np.float32(p.left)
                out[a - lo : b - lo, 1] += piece * np.float32(p.right)
            else:
                out[a - lo : b - lo] += self._stereo(p, duck)[a - p.start : b - p.start]
        return lo - start, out


def blocks(
    session: Session | Prepared,
    frames: int = DEFAULT_BLOCK_FRAMES,
    start: int = 0,
    end: int | None = None,
) -> Iterator[Block]:
    """The session's audio as float32 blocks of shape ``(frames, 2)``.

    Every block has ``frames`` rows except the last, which ends with the session (or
    at ``end``). Starting at ``start`` gives exactly the samples a full render has
    there. Values are in ``[-1, 1]``; channel 0 is the left ear. A session is
    prepared first (:func:`pacer.voice.prepare`); pass a prepared one to reuse it.
    """
    frames = LIMITS["block_frames"].check(frames, "frames")
    expect(session, (Session, Prepared), "session", "a Session")
    start = expect_frame(start, "start")
    if end is not None:
        end = expect_frame(end, "end")
    prepared = session if isinstance(session, Prepared) else prepare(session)
    stop = prepared.schedule.length if end is None else end
    mixer = Mixer(prepared, start)
    for b0 in range(start, stop, frames):
        b1 = min(b0 + frames, stop)
        out = np.zeros((b1 - b0, 2), dtype=np.float32)
        for offset, piece in mixer.spans(b0, b1):
            out[offset : offset + len(piece)] = piece
        yield out
