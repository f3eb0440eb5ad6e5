"""When: the session's beats and cues at sample indexes, as data.

Pure functions of a :class:`~pacer.session.Session` and the lengths of its cues'
sounds. Cues are placed on beats, so words and tunes land in step: look back left,
then right, alternating, every ``look_back_every`` steps; halfway; minutes left; and
the end. Two cues never overlap: when one is still sounding, the next waits for the
next free beat. A cue that no longer fits before its phase ends is not placed, and
is listed in :attr:`Schedule.unplaced` so that nothing is dropped silently.

How long a cue sounds is given, not found out here: a spoken cue's length comes from
:func:`pacer.voice.prepare` (which may run a speech engine); any cue not in the
lengths given lasts as long as its tune. Nothing here makes sound or reads a file.
"""

from __future__ import annotations

import heapq
import numbers
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .cadence import (
    Beat,
    PhaseSpan,
    beat_offset,
    beats,
    first_beat_at_or_after,
    layout,
    look_back_rest,
    window_edge,
)
from .cues import CUE_KINDS, Cue
from .errors import SettingsError
from .session import Phase, Session, expect, show

__all__ = [
    "GAP_SECONDS",
    "TAIL_SECONDS",
    "CueKey",
    "CueLengths",
    "Event",
    "Schedule",
    "Summary",
    "cue_key",
    "fitted",
    "schedule",
    "wanted_cues",
]

Event = Beat | Cue
"""A timeline event: a :class:`~pacer.cadence.Beat` or a :class:`~pacer.cues.Cue`."""

CueKey = tuple[str, int | None, str]
"""What makes two cues of one walk sound the same: kind, value, and (for a kind that
names its phase) the phase's kind and name."""

CueLengths = Mapping[CueKey, int]
"""How long each spoken cue sounds, in samples; a cue not in it sounds its tune."""

GAP_SECONDS = 0.1
"""Quiet kept between one cue's end and the next cue's start."""
TAIL_SECONDS = 0.5
"""Quiet kept after the end tune has rung out."""


def cue_key(cue: Cue, session: Session) -> CueKey:
    """The key of ``cue`` in :data:`CueLengths`: the same for every cue of the walk
    (and of the rest of it after a pause) that says the same thing."""
    if not CUE_KINDS[cue.kind].names_phase:
        return (cue.kind, cue.value, "")
    phase = session.phases[cue.phase]
    return (cue.kind, cue.value, f"{phase.kind}\0{phase.name}")


def sounding_samples(cue: Cue, session: Session, lengths: CueLengths) -> int:
    """How long ``cue`` sounds, in samples: its given length, else its tune's."""
    given = lengths.get(cue_key(cue, session))
    if given is not None:
        return given
    return round(CUE_KINDS[cue.kind].earcon.seconds * session.sample_rate)


def _side(phase: Phase) -> int | None:
    """A one-sided stretch's side as its stretch cue's value (0 left, 1 right)."""
    return None if phase.side is None else (0 if phase.side == "left" else 1)


def _announcements(phase: Phase, at: int, index: int) -> list[Cue]:
    return [
        Cue(at, kind, 0.0, index, _side(phase) if kind == "stretch" else None)
        for kind in phase.announce
    ]


def fitted(session: Session, lengths: CueLengths) -> Session:
    """``session`` with each held stretch (:attr:`Phase.holds
    <pacer.session.Phase.holds>`) made as long as it needs: its words (which stretch,
    which side, "get into position", how), then its position time, then the hold of
    ``seconds``, then "release" and a moment's quiet. The hold's start and end are
    kept in the phase (``hold_from``, ``hold_until``), so a phase fitted once is not
    fitted again. ``session`` itself when it has no held stretch to fit."""
    rate = session.sample_rate
    gap = round(GAP_SECONDS * rate)
    phases = list(session.phases)
    for index, phase in enumerate(phases):
        if not phase.holds or phase.hold_from is not None or phase.elapsed:
            continue
        intro = _announcements(phase, 0, index)
        words = sum(sounding_samples(c, session, lengths) for c in intro) + gap * (len(intro) - 1)
        # The hold's cue must not wait for the words: at least the usual gap after them.
        start = words + max(round(phase.position_seconds * rate), gap)
        end = start + round(phase.seconds * rate)
        release = sounding_samples(Cue(0, "release", 0.0, index), session, lengths) + gap
        phases[index] = replace(
            phase,
            seconds=(end + release) / rate,
            hold_from=start / rate,
            hold_until=end / rate,
        )
    if phases == list(session.phases):
        return session
    return replace(session, phases=tuple(phases))


def _hold_cues(span: PhaseSpan, rate: int) -> list[Cue]:
    """A fitted hold's cues: "hold" as it starts, the countdown of its last seconds,
    "release" as it ends; those still to come in a phase that continues a walk."""
    phase = span.phase
    assert phase.hold_from is not None and phase.hold_until is not None
    done = round(phase.elapsed * rate)
    hold_at = round(phase.hold_from * rate) - done
    release_at = hold_at + round((phase.hold_until - phase.hold_from) * rate)
    cues = [Cue(span.start + hold_at, "hold", 0.0, span.index)] if hold_at >= 0 else []
    for count in range(phase.countdown, 0, -1):
        offset = release_at - count * rate
        if offset > 0 and offset > hold_at:
            cues.append(Cue(span.start + offset, "count", 0.0, span.index, count))
    if release_at >= 0:
        cues.append(Cue(span.start + release_at, "release", 0.0, span.index))
    return cues


def wanted_cues(session: Session) -> list[Cue]:
    """Every cue at the sample it would like, before overlaps are resolved (the end
    cue, placed last, is not among them). A held stretch not yet fitted to its
    words is fitted to its tunes' lengths first (:func:`fitted`)."""
    session = fitted(session, {})
    rate = session.sample_rate
    spans = layout(session)
    wanted: list[Cue] = [Cue(0, session.opening, 0.0, 0)] if session.opening else []
    last = len(spans) - 1
    for span in spans:
        phase = span.phase
        fresh = phase.elapsed == 0 and phase.beat_before is None
        if fresh:
            at = _on_beat(span, 0, rate)
            if phase.announce:
                wanted += _announcements(phase, at, span.index)
            elif span.index > 0:
                wanted.append(Cue(at, "phase", 0.0, span.index))
        rest = look_back_rest(phase)
        if rest:
            wanted += _stop_and_look(span, rest, rate)
        for every, kinds in (
            (None if rest else phase.look_back_every, (("look_right", 1.0), ("look_left", -1.0))),
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
        # Minutes left of a walk that more phases follow say what they count.
        left = "minutes_walking" if phase.has_beat and span.index < last else "minutes_left"
        for minutes in phase.minutes_left:
            offset = span.length - minutes * 60 * rate
            if _due(offset, since, strict=True):
                at = _on_beat(span, max(offset, 0), rate)
                wanted.append(Cue(at, left, 0.0, span.index, minutes))
        if phase.posture_every is not None:
            every_samples = round(phase.posture_every * rate)
            n = 1
            while (offset := n * every_samples - done) < span.length:
                if _due(offset, since, strict=True):
                    at = _on_beat(span, max(offset, 0), rate)
                    if at < span.end:
                        wanted.append(Cue(at, "posture", 0.0, span.index, (n - 1) % 3))
                n += 1
        if phase.kind == "walk" and span.index == session.main_index:
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
        if phase.hold_from is not None:
            wanted += _hold_cues(span, rate)
            continue
        for count in range(phase.countdown, 0, -1):
            offset = span.length - count * rate
            if _due(offset, since, strict=True):
                wanted.append(Cue(span.start + offset, "count", 0.0, span.index, count))
    return wanted


def _stop_and_look(span: PhaseSpan, rest: int, rate: int) -> list[Cue]:
    """A stop-and-look on every look-back step: "stop" on the step, which shoulder
    on the next (left first), and "walk on" on the last silent step before the beat
    comes back. Steps count as the look-back cues do, from the phase's own first step
    (a re-plan says what is still to come of a stop it starts in)."""
    phase = span.phase
    every = phase.look_back_every
    assert every is not None
    walked = phase.steps_before
    cues: list[Cue] = []
    n = max(1, (walked - rest) // every)
    while (look_step := n * every) - walked < span.beat_count:
        side = ("look_left", -1.0) if n % 2 else ("look_right", 1.0)
        for offset, (kind, pan) in ((0, ("stop", 0.0)), (1, side), (rest, ("walk_on", 0.0))):
            k = look_step + offset - walked
            if 0 <= k < span.beat_count:
                at = span.start + beat_offset(phase, k, span.length, rate)
                cues.append(Cue(at, kind, pan, span.index))
        n += 1
    return cues


def _due(offset: int, beat_before: int | None, strict: bool) -> bool:
    """Whether a moment ``offset`` samples into a phase is still to be announced."""
    if beat_before is not None:
        return offset > -beat_before
    return offset > 0 if strict else offset >= 0


def _on_beat(span: PhaseSpan, offset: int, rate: int) -> int:
    """The first beat at or after ``offset`` in the phase (the offset itself if the
    phase has no beat there), as a session sample."""
    if span.beat_count:
        k = first_beat_at_or_after(span, offset, rate)
        if k < span.beat_count:
            return span.start + beat_offset(span.phase, k, span.length, rate)
    return span.start + offset


def _place(span: PhaseSpan, earliest: int, rate: int) -> int | None:
    """The first beat (or, in a phase with no beat, the first sample) at or after
    ``earliest`` that is still inside the phase, or ``None``."""
    offset = max(earliest - span.start, 0)
    if span.beat_count:
        k = first_beat_at_or_after(span, offset, rate)
        if k >= span.beat_count:
            return None
        return span.start + beat_offset(span.phase, k, span.length, rate)
    return span.start + offset if offset < span.length else None


@dataclass(frozen=True)
class Summary:
    """Counts a walker or a script wants before or after a session."""

    frames: int
    sample_rate: int
    beats: int
    cues: int
    unplaced: int

    @property
    def seconds(self) -> float:
        """Length in seconds."""
        return self.frames / self.sample_rate


@dataclass(frozen=True, eq=False)
class Schedule:
    """A session's timeline: its cues placed, any that could not be, and its length.

    Beats are not stored: :meth:`events` computes them for any window.
    """

    session: Session
    lengths: CueLengths
    cues: tuple[Cue, ...]
    """The placed cues in order; the last is the end."""
    unplaced: tuple[Cue, ...]
    """Cues that did not fit before their phase ended."""

    @property
    def end_cue(self) -> Cue:
        """The session's last cue, which ends it."""
        return self.cues[-1]

    @property
    def end(self) -> int:
        """The sample where the end cue starts."""
        return self.cues[-1].sample

    @property
    def length(self) -> int:
        """The whole session in samples: up to the end cue, its sound, and a short
        tail."""
        return (
            self.end + self.sounding(self.end_cue) + round(TAIL_SECONDS * self.session.sample_rate)
        )

    def sounding(self, cue: Cue) -> int:
        """How long ``cue`` sounds, in samples."""
        return sounding_samples(cue, self.session, self.lengths)

    def events(self, start: int = 0, end: int | None = None) -> Iterator[Event]:
        """Every beat and cue with ``start <= sample < end``, in order of sample.

        At the same sample a beat comes before a cue. ``end=None`` runs to the end of
        the session. Asking for a window costs time in proportion to what is in it.
        """
        start = window_edge(start, "start")
        end = None if end is None else window_edge(end, "end")
        cues = (c for c in self.cues if c.sample >= start and (end is None or c.sample < end))
        keyed_beats: Iterator[tuple[int, int, Event]] = (
            (b.sample, 0, b) for b in beats(self.session, start, end)
        )
        keyed_cues: Iterator[tuple[int, int, Event]] = ((c.sample, 1, c) for c in cues)
        for item in heapq.merge(keyed_beats, keyed_cues, key=lambda item: item[:2]):
            yield item[2]

    def summary(self) -> Summary:
        """Length, beat count and cue count."""
        return Summary(
            frames=self.length,
            sample_rate=self.session.sample_rate,
            beats=sum(span.beat_count for span in layout(self.session)),
            cues=len(self.cues),
            unplaced=len(self.unplaced),
        )


REMINDER_KINDS = ("posture", "reminder")
"""Reminders (of posture, or the walker's own): one that would still be sounding when
the walk ends is not placed (listed in :attr:`Schedule.unplaced`), never pushing the
end later (a long reminder at 0:59 of a one-minute walk moved the end to 1:08)."""

LONGEST_CUE_SECONDS = 300
"""The longest a spoken cue may last (a long reminder said slowly is under a minute)."""


def _check_lengths(lengths: Mapping[Any, Any], rate: int) -> None:
    most = LONGEST_CUE_SECONDS * rate
    for key, samples in lengths.items():
        if (
            not isinstance(samples, numbers.Integral)
            or isinstance(samples, bool)
            or not 0 <= int(samples) <= most
        ):
            raise SettingsError(
                f"lengths: {show(key)}: {show(samples)} is not a whole number of samples "
                f"from 0 to {most} ({LONGEST_CUE_SECONDS} s at {rate} Hz)",
                "lengths",
            )


_STOP_AND_LOOK = frozenset({"stop", "look_left", "look_right", "walk_on"})


def schedule(session: Session, lengths: CueLengths) -> Schedule:
    """Place every cue of the session.

    A cue lasts as long as ``lengths`` says (a spoken cue), else as long as its tune.
    Cues are taken in order of the sample they want (ties: start, phase, look-back,
    halfway, minutes left); each starts no earlier than 0.1 s after the previous one
    ends, on the next free beat. Held stretches are first fitted to their words
    (:func:`fitted`): the schedule's session is the fitted one.
    """
    expect(session, Session, "session", "a Session")
    expect(lengths, Mapping, "lengths", "a mapping of cue keys to sample counts")
    _check_lengths(lengths, session.sample_rate)
    session = fitted(session, lengths)
    rate = session.sample_rate
    spans = layout(session)
    gap = round(GAP_SECONDS * rate)
    placed: list[Cue] = []
    unplaced: list[Cue] = []
    free = 0
    end = spans[-1].end
    wanted = wanted_cues(session)
    # A stop-and-look keeps its whole rest: from "stop" to the end of "walk on" no other
    # cue sounds; one that would is moved to after it (never the look cue later).
    stops = sorted(c.sample for c in wanted if c.kind == "stop")
    ons = sorted(c.sample for c in wanted if c.kind == "walk_on")
    windows = []
    for stop in stops:
        after = next((o for o in ons if o > stop), None)
        if after is not None:
            probe = Cue(after, "walk_on", 0.0, 0)
            windows.append((stop, after + sounding_samples(probe, session, lengths) + gap))
    heap = [(c.sample, CUE_KINDS[c.kind].priority, n, c, c.sample) for n, c in enumerate(wanted)]
    heapq.heapify(heap)
    serial = len(heap)
    while heap:
        sample, _, _, cue, first = heapq.heappop(heap)
        at: int | None = sample
        if sample < free:
            at = _place(spans[cue.phase], free, rate)
        if at is not None and cue.kind not in _STOP_AND_LOOK and windows:
            length = sounding_samples(replace(cue, sample=at), session, lengths)
            inside = next((w for w in windows if at < w[1] and at + length + gap > w[0]), None)
            if inside is not None:
                later = _place(spans[cue.phase], inside[1], rate)
                if later is not None:
                    serial += 1
                    item = (later, CUE_KINDS[cue.kind].priority, serial, cue, first)
                    heapq.heappush(heap, item)
                    continue
        moved = Cue(
            at if at is not None else sample,
            cue.kind,
            cue.pan,
            cue.phase,
            cue.value,
            wanted=first,
        )
        sounding = sounding_samples(moved, session, lengths)
        if at is None or (cue.kind in REMINDER_KINDS and at + sounding > end):
            unplaced.append(moved)
            continue
        placed.append(moved)
        free = at + sounding + gap
    placed.append(Cue(max(end, free), "end", 0.0, len(spans) - 1, wanted=end))
    return Schedule(session, lengths, tuple(placed), tuple(unplaced))
