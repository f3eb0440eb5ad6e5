"""When the walker is told things: the cue schedule, as data.

Cues are placed on beats, so words and tunes land in step: look back left, then
right, alternating, every ``look_back_every`` steps; halfway; minutes left; and the
end. Two cues never overlap: when one is still sounding, the next waits for the next
free beat. A cue that no longer fits before its phase ends is not placed, and is
listed in :attr:`Schedule.unplaced` so that nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .cadence import PhaseSpan, _first_beat_at_or_after, beat_offset, layout
from .earcons import EARCONS
from .session import Session

__all__ = ["CUE_KINDS", "Cue", "Schedule", "cue_text", "schedule", "sounding_samples"]

CUE_KINDS: dict[str, str] = {
    "start": "Start of the walk",
    "resume": "Resuming",
    "pause": "Paused",
    "phase": "Next phase begins",
    "look_left": "Look back over your left shoulder",
    "look_right": "Look back over your right shoulder",
    "halfway": "Halfway",
    "minutes_left": "Minutes left",
    "precautions": "Wear flat shoes, and keep to a flat path with no crowds",
    "posture": "Posture reminder",
    "turn_around": "Turn around",
    "stretch": "Stretch and hold",
    "count": "Countdown",
    "water": "Drink some water",
    "reminder": "Your own reminder",
    "end": "Session complete",
}
"""Every kind of cue the timeline can emit, with what it means."""

_PRIORITY = {
    "resume": 0,
    "pause": 0,
    "start": 0,
    "phase": 1,
    "look_left": 2,
    "look_right": 2,
    "halfway": 3,
    "minutes_left": 4,
    "precautions": 1,
    "stretch": 1,
    "water": 1,
    "turn_around": 2,
    "count": 3,
    "posture": 5,
    "reminder": 5,
    "end": 9,
}

POSTURE = (
    "Head up, eyes level",
    "Toes first, then the heel",
    "Let your arms swing freely",
)
"""The posture reminders, said in turn."""
_GAP_SECONDS = 0.1


@dataclass(frozen=True)
class Cue:
    """Something the walker is told.

    Attributes
    ----------
    sample:
        Sample index where the cue's sound starts (on a beat, where its phase has one).
    kind:
        One of :data:`CUE_KINDS`.
    pan:
        Where it is heard: -1 left ear only, 0 both, 1 right ear only.
    phase:
        Index of the phase it belongs to (the end cue: the last phase).
    value:
        The number for ``minutes_left`` and ``count``, which reminder for
        ``posture``; otherwise ``None``.
    wanted:
        The sample it was scheduled for before it waited for a free beat.
    """

    sample: int
    kind: str
    pan: float
    phase: int
    value: int | None = None
    wanted: int = -1

    @property
    def text(self) -> str:
        """What the cue says, in English."""
        return cue_text(self.kind, self.value, phase_name="")


def cue_text(kind: str, value: int | None = None, phase_name: str = "") -> str:
    """The English words for a cue."""
    if kind == "minutes_left" and value is not None:
        return f"{value} minute{'s' if value != 1 else ''} left"
    if kind == "phase" and phase_name:
        return f"Next: {phase_name}"
    if kind == "posture" and value is not None:
        return POSTURE[value % len(POSTURE)]
    if kind == "count" and value is not None:
        return str(value)
    if kind == "stretch" and phase_name:
        return f"{phase_name[:1].upper()}{phase_name[1:]}: hold"
    return CUE_KINDS[kind]


@dataclass(frozen=True)
class Schedule:
    """The placed cues in order, and any that could not be placed."""

    cues: tuple[Cue, ...]
    unplaced: tuple[Cue, ...]
    end: int

    @property
    def end_cue(self) -> Cue:
        """The session's last cue, which ends it."""
        return self.cues[-1]


def sounding_samples(cue: Cue, session: Session) -> int:
    """How long a cue sounds, in samples: its speech with a voice, else its earcon."""
    if session.voice != "none":
        from .voice import cue_samples

        spoken = cue_samples(cue, session)
        if spoken is not None:
            return spoken
    return round(EARCONS[cue.kind].seconds * session.sample_rate)


def _wanted(session: Session) -> list[Cue]:
    """Every cue at the sample it would like, before overlaps are resolved."""
    rate = session.sample_rate
    spans = layout(session)
    wanted: list[Cue] = [Cue(0, session.opening, 0.0, 0)] if session.opening else []
    for span in spans:
        phase = span.phase
        fresh = phase.elapsed == 0 and phase.beat_before is None
        if fresh:
            at = _on_beat(span, 0, rate)
            if phase.announce:
                for kind in phase.announce:
                    wanted.append(Cue(at, kind, 0.0, span.index))
            elif span.index > 0:
                wanted.append(Cue(at, "phase", 0.0, span.index))
        for every, kinds in (
            (phase.look_back_every, (("look_right", 1.0), ("look_left", -1.0))),
            (phase.turn_around_every, (("turn_around", 0.0), ("turn_around", 0.0))),
        ):
            if every is None:
                continue
            # Count from the phase's own first step, including steps walked before a
            # re-plan: the n-th cue is on step n * every (look back left when n is odd).
            walked = phase.steps_before
            first = -walked % every or (every if walked == 0 else 0)
            for k in range(first, span.beat_count, every):
                n = (walked + k) // every
                at = span.start + beat_offset(phase, k, span.length, rate)
                kind, pan = kinds[n % 2]
                wanted.append(Cue(at, kind, pan, span.index))
        # A moment is announced on the first beat at or after it. In a phase that
        # continues a walk, a moment after the walk's last beat is still to be said.
        done = round(phase.elapsed * rate)
        since = None if phase.beat_before is None else round(phase.beat_before * rate)
        halfway = (done + span.length) // 2 - done
        if phase.halfway and _due(halfway, since, strict=False):
            at = _on_beat(span, max(halfway, 0), rate)
            wanted.append(Cue(at, "halfway", 0.0, span.index))
        for minutes in phase.minutes_left:
            offset = span.length - minutes * 60 * rate
            if _due(offset, since, strict=True):
                at = _on_beat(span, max(offset, 0), rate)
                wanted.append(Cue(at, "minutes_left", 0.0, span.index, minutes))
        if phase.posture_every is not None:
            every_samples = round(phase.posture_every * rate)
            n = 1
            while (offset := n * every_samples - done) < span.length:
                if _due(offset, since, strict=True):
                    at = _on_beat(span, max(offset, 0), rate)
                    if at < span.end:
                        wanted.append(Cue(at, "posture", 0.0, span.index, (n - 1) % 3))
                n += 1
        if phase.kind == "walk" and span.index == _main_index(session):
            for index, reminder in enumerate(session.reminders):
                if reminder.every is not None:
                    moments = [n * reminder.every for n in range(1, 10_000)]
                else:
                    moments = [reminder.at or 0.0]
                for moment in moments:
                    offset = round(moment * rate) - done
                    if offset >= span.length:
                        break
                    if _due(offset, since, strict=reminder.every is not None):
                        at = _on_beat(span, max(offset, 0), rate)
                        if at < span.end:
                            wanted.append(Cue(at, "reminder", 0.0, span.index, index))
        for count in range(phase.countdown, 0, -1):
            offset = span.length - count * rate
            if _due(offset, since, strict=True):
                wanted.append(Cue(span.start + offset, "count", 0.0, span.index, count))
    return wanted


def _main_index(session: Session) -> int | None:
    """The main walk: the first phase of kind ``walk``."""
    return next((i for i, p in enumerate(session.phases) if p.kind == "walk"), None)


def _due(offset: int, beat_before: int | None, strict: bool) -> bool:
    """Whether a moment ``offset`` samples into a phase is still to be announced."""
    if beat_before is not None:
        return offset > -beat_before
    return offset > 0 if strict else offset >= 0


def _on_beat(span: PhaseSpan, offset: int, rate: int) -> int:
    """The first beat at or after ``offset`` in the phase (the offset itself if the
    phase has no beat there), as a session sample."""
    if span.beat_count:
        k = _first_beat_at_or_after(span, offset, rate)
        if k < span.beat_count:
            return span.start + beat_offset(span.phase, k, span.length, rate)
    return span.start + offset


def _place(span: PhaseSpan, earliest: int, rate: int) -> int | None:
    """The first beat (or, in a phase with no beat, the first sample) at or after
    ``earliest`` that is still inside the phase, or ``None``."""
    offset = max(earliest - span.start, 0)
    if span.beat_count:
        k = _first_beat_at_or_after(span, offset, rate)
        if k >= span.beat_count:
            return None
        return span.start + beat_offset(span.phase, k, span.length, rate)
    return span.start + offset if offset < span.length else None


@lru_cache(maxsize=64)
def schedule(session: Session) -> Schedule:
    """Place every cue of the session.

    A cue lasts as long as its speech (with a voice) or its earcon. Cues are taken in
    order of the sample they want (ties: start, phase, look-back, halfway, minutes
    left); each starts no earlier than 0.1 s after the previous one ends, on the next
    free beat.
    """
    rate = session.sample_rate
    spans = layout(session)
    gap = round(_GAP_SECONDS * rate)
    placed: list[Cue] = []
    unplaced: list[Cue] = []
    free = 0
    for cue in sorted(_wanted(session), key=lambda c: (c.sample, _PRIORITY[c.kind])):
        at: int | None = cue.sample
        if cue.sample < free:
            at = _place(spans[cue.phase], free, rate)
        moved = Cue(
            at if at is not None else cue.sample,
            cue.kind,
            cue.pan,
            cue.phase,
            cue.value,
            wanted=cue.sample,
        )
        if at is None:
            unplaced.append(moved)
            continue
        placed.append(moved)
        free = at + sounding_samples(moved, session) + gap
    end = spans[-1].end
    placed.append(Cue(max(end, free), "end", 0.0, len(spans) - 1, wanted=end))
    return Schedule(tuple(placed), tuple(unplaced), placed[-1].sample)
