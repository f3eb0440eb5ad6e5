"""Where every beat falls, in samples, computed directly from its number.

Beat ``k`` of a phase lands at ``round(t_k * rate)`` samples after the phase starts,
where ``t_k`` is the exact time of the k-th step under the phase's tempo. Nothing is
ever accumulated by adding intervals, so there is no drift at any length: at 60
steps/min the 1800th beat lands exactly 1799 s after the first.

* Constant tempo ``s`` steps/min: ``t_k = 60 k / s``, computed in exact integer
  arithmetic (``s`` is taken as the exact binary fraction it is).
* A linear glide from ``a`` to ``b`` steps/min over ``T`` seconds: the steps taken by
  time ``t`` are ``N(t) = (a t + (b - a) t^2 / (2 T)) / 60``, and ``t_k`` solves
  ``N(t) = k``: ``t_k = 120 k / (a + sqrt(a^2 + 120 (b - a) k / T))``, a form that is
  exact when ``a == b`` and never divides by a small difference.

Beats can be asked for in any window ``[start, end)`` of samples, so a live session
can plan from "now" without walking the whole session.

A step can be silent and still be a step: while the beat fades (``fade_beat``) and
while the walker stops to look back (``look_back="stop"``) the grid goes on with no
sound, so the beat comes back exactly where it would have been. :func:`beats` gives
only the beats that sound; step numbers, feet and accents count every step.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from .errors import SettingsError
from .session import (
    FADE_OFF_BEATS,
    FADE_ON_BEATS,
    LOOK_BACK_REST_SECONDS,
    Phase,
    Session,
    expect,
    show,
)

__all__ = [
    "FADE_OFF_BEATS",
    "FADE_ON_BEATS",
    "LOOK_BACK_REST_SECONDS",
    "Beat",
    "PhaseSpan",
    "beat_offset",
    "beats",
    "fade_gap",
    "first_beat_at_or_after",
    "heard",
    "layout",
    "look_back_rest",
    "steps_before",
    "steps_by",
    "window_edge",
]


@dataclass(frozen=True)
class Beat:
    """One step of the beat.

    Attributes
    ----------
    sample:
        Sample index from the start of the session where the beat's sound starts.
    step:
        The step's number in the whole session, counting from 0.
    phase:
        Index of the phase the beat belongs to.
    foot:
        ``"left"`` or ``"right"``; the first step of a session is the left foot.
    accent:
        True for an accented beat (every Nth beat of a phase, when accents are on).
    """

    sample: int
    step: int
    phase: int
    foot: str
    accent: bool


@dataclass(frozen=True)
class PhaseSpan:
    """Where a phase sits in the session, in samples, and how many beats it has."""

    index: int
    phase: Phase
    start: int
    length: int
    first_step: int
    beat_count: int

    @property
    def end(self) -> int:
        """The sample just after the phase."""
        return self.start + self.length


def fade_gap(step: int) -> bool:
    """Whether step ``step`` of a phase (counting from 0) falls in a gap of a fading
    beat: 16 on, 4 off, 16 on, 8 off, 16 on, 12 off, then 16 on, 16 off to the end."""
    for off in FADE_OFF_BEATS:
        if step < FADE_ON_BEATS:
            return False
        step -= FADE_ON_BEATS
        if step < off:
            return True
        step -= off
    return step % (FADE_ON_BEATS + FADE_OFF_BEATS[-1]) >= FADE_ON_BEATS


def look_back_rest(phase: Phase) -> int:
    """Silent steps after a stop-and-look's "stop": about
    :data:`LOOK_BACK_REST_SECONDS` at the phase's pace, at least 1, and fewer than
    the steps between look-backs (0 when the phase does not stop to look)."""
    every = phase.look_back_every
    if phase.look_back != "stop" or every is None or phase.steps_per_minute is None:
        return 0
    wanted = math.ceil(LOOK_BACK_REST_SECONDS * phase.steps_per_minute / 60)
    return max(1, min(every - 1, wanted))


def heard(phase: Phase, k: int) -> bool:
    """Whether beat ``k`` of ``phase`` sounds: not in a gap of a fading beat, and not
    while the walker stands to look back. Steps count from the phase's own first
    step, including those walked before a re-plan."""
    step = phase.steps_before + k
    if phase.fade_beat and fade_gap(step):
        return False
    rest = look_back_rest(phase)
    if rest:
        every = phase.look_back_every
        assert every is not None
        if step > every and 1 <= step % every <= rest:
            return False
    return True


def _steps_at(phase: Phase, offset: float, length: int, rate: int) -> float:
    """Steps taken (a real number) ``offset`` samples into a phase: the inverse of
    :func:`beat_offset`, used to jump straight to a window."""
    a = phase.steps_per_minute
    assert a is not None
    b = phase.end_steps_per_minute
    assert b is not None
    first = round(phase.first_beat * rate)
    t = (offset - first) / rate
    total = (length - first) / rate
    if t < 0:
        return t * a / 60
    return (a * t + (b - a) * t * t / (2 * total)) / 60


@lru_cache(maxsize=256)
def _exactly(steps_per_minute: float) -> tuple[int, int]:
    """``steps_per_minute`` as a fraction ``p/q``, exactly (made once a pace: making a
    Fraction for every beat was a third of the beats' cost)."""
    spm = Fraction(steps_per_minute)
    return spm.numerator, spm.denominator


def beat_offset(phase: Phase, k: int, length: int, rate: int) -> int:
    """Samples from the start of ``phase`` to its beat ``k`` (``k >= 0``).

    ``length`` is the phase's length in samples (a glide is spread over it) and
    ``rate`` the sample rate in Hz.
    """
    a = phase.steps_per_minute
    assert a is not None, "a phase without a beat has no beat offsets"
    b = phase.end_steps_per_minute
    first = round(phase.first_beat * rate)
    if b == a:
        # round(60 k rate / s) with s = p/q exactly: floor((120 k rate q + p) / (2 p)),
        # on the grid the phase started on (``grid_steps`` beats in, on a beat).
        p, q = _exactly(a)
        g = phase.grid_steps
        grid = (120 * (g + k) * rate * q + p) // (2 * p) - (120 * g * rate * q + p) // (2 * p)
        return first + grid
    assert b is not None
    total = (length - first) / rate
    disc = a * a + 120.0 * (b - a) * k / total
    seconds = 120.0 * k / (a + math.sqrt(max(disc, 0.0)))
    return first + math.floor(seconds * rate + 0.5)


def _beat_count(phase: Phase, length: int, rate: int) -> int:
    if not phase.has_beat or beat_offset(phase, 0, length, rate) >= length:
        return 0
    k = max(0, int(_steps_at(phase, length, length, rate)))
    while k > 0 and beat_offset(phase, k, length, rate) >= length:
        k -= 1
    while beat_offset(phase, k + 1, length, rate) < length:
        k += 1
    return k + 1


@lru_cache(maxsize=64)
def layout(session: Session) -> tuple[PhaseSpan, ...]:
    """Each phase's place in the session in samples, after the lead-in."""
    rate = session.sample_rate
    start = round(session.lead_in * rate)
    first_step = session.first_step
    spans: list[PhaseSpan] = []
    for index, phase in enumerate(session.phases):
        length = round(phase.seconds * rate)
        count = _beat_count(phase, length, rate)
        spans.append(PhaseSpan(index, phase, start, length, first_step, count))
        start += length
        first_step += count
    return tuple(spans)


def first_beat_at_or_after(span: PhaseSpan, offset: int, rate: int) -> int:
    """The number (from 0, within its phase) of the first step of ``span``'s phase at
    or after ``offset`` samples into it, heard or silent; ``span.beat_count`` when
    there is none left (and 0 for a phase with no beat). ``rate`` is the sample rate
    in Hz. Costs a few steps' work wherever ``offset`` is: no walk from the start."""
    if offset <= 0 or span.beat_count == 0:  # a held stretch has no beat to find
        return 0
    k = max(0, int(_steps_at(span.phase, offset, span.length, rate)) - 1)
    while k < span.beat_count and beat_offset(span.phase, k, span.length, rate) < offset:
        k += 1
    return k


def window_edge(value: object, name: str) -> int:
    """``value`` as the edge of a window of samples: a whole sample index (negative is
    before the start). Anything else is a :class:`~pacer.errors.SettingsError` naming
    ``name``."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise SettingsError(f"{name}: {show(value)} is not a whole sample index", name)
    return int(value)


def beats(session: Session, start: int = 0, end: int | None = None) -> Iterator[Beat]:
    """The session's beats that sound, with ``start <= sample < end``, in order (a
    silent step of a fading beat or a stop-and-look is not among them).

    ``end=None`` means to the end of the session. Asking for a window costs time in
    proportion to the beats in it, not to where it starts.
    """
    expect(session, Session, "session", "a Session")
    start = window_edge(start, "start")
    end = None if end is None else window_edge(end, "end")
    rate = session.sample_rate
    accent_every = session.accent_every
    for span in layout(session):
        if span.beat_count == 0 or span.end <= start:
            continue
        if end is not None and span.start >= end:
            break
        k = first_beat_at_or_after(span, start - span.start, rate)
        silent = span.phase.fade_beat or look_back_rest(span.phase) > 0
        while k < span.beat_count:
            sample = span.start + beat_offset(span.phase, k, span.length, rate)
            if end is not None and sample >= end:
                return
            if silent and not heard(span.phase, k):
                k += 1
                continue
            step = span.first_step + k
            yield Beat(
                sample=sample,
                step=step,
                phase=span.index,
                foot="left" if step % 2 == 0 else "right",
                accent=accent_every is not None and k % accent_every == 0,
            )
            k += 1


def steps_by(session: Session, sample: int) -> int:
    """How many of this session's beats have started before ``sample`` (add
    ``session.first_step`` for the step number in a walk that continues another)."""
    return steps_before(layout(session), sample, session.sample_rate)


def steps_before(spans: Sequence[PhaseSpan], sample: int, rate: int) -> int:
    """:func:`steps_by` on phases already laid out (:func:`layout`), at ``rate`` Hz."""
    done = 0
    for span in spans:
        if sample <= span.start:
            break
        if sample >= span.end:
            done += span.beat_count
        else:
            done += first_beat_at_or_after(span, sample - span.start, rate)
    return done
