"""A walk as it happens: blocks pulled by the audio device, and the walker's commands
(pause, resume, faster, slower, stop) taken at the next block.

Nothing here knows about devices or keys. :class:`Walk` is a source of audio with a
``pull(frames)`` method that an engine calls from its audio thread, and methods that
any thread may call to steer it. Commands are queued and applied at the start of the
next pull, so the audio thread never waits for a lock held by the user interface.

A tempo change or a resume re-plans "the rest of the walk" as a new session
(:func:`rest_of`) placed at an exact output sample; sounds already ringing finish
naturally, so nothing is cut off and no beat is doubled.
"""

from __future__ import annotations

import bisect
import queue
import threading
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from .cadence import beat_offset, beats, layout, steps_by
from .cues import Cue
from .mixer import CUE_PEAK, SPEECH_GAIN, Mixer, _ear_gains
from .session import LIMITS, Session
from .tones import earcon_sound
from .voice import Prepared, prepare

__all__ = [
    "KEYS",
    "PRE_ROLL_SECONDS",
    "RESUME_LEAD_SECONDS",
    "Status",
    "TapCadence",
    "Walk",
    "press",
    "rest_of",
    "tap_cadence",
]

PRE_ROLL_SECONDS = 1.0
"""Quiet before anything sounds, so Bluetooth earbuds are awake for the first cue."""
RESUME_LEAD_SECONDS = 1.0
"""After 'resume', the beat comes back this long after the resume tune starts."""
KEEP_ALIVE_LEVEL = 2.0 / 32768
"""An inaudible noise bed (about -84 dBFS) so earbuds never see digital silence."""

Block = npt.NDArray[np.float32]


def rest_of(
    session: Session,
    at: int,
    *,
    steps_per_minute: float | None = None,
    opening: str | None = None,
    lead_in: float = 0.0,
) -> Session | None:
    """The part of ``session`` from sample ``at`` on, as a session of its own.

    The beat grid is kept: the rest starts with ``lead_in`` seconds, then waits until
    the next beat of the original, where the phase resumes. That phase keeps its end,
    its halfway point and its look-back count; later phases are unchanged.
    ``steps_per_minute`` replaces the rest of that phase's tempo from that beat on (a
    glide keeps gliding otherwise). Returns ``None`` when less than a second of
    walking is left.
    """
    rate = session.sample_rate
    spans = layout(session)
    index = next((s.index for s in spans if at < s.end), None)
    if index is None:
        return None
    span = spans[index]
    phase = span.phase
    here = max(at, span.start)  # where the rest of this phase starts
    into = here - span.start
    left = span.end - here
    wait = here - at  # still in the session's lead-in
    phases = list(session.phases[index + 1 :])
    if into == 0:  # not begun yet: the whole phase, announcements and all
        if steps_per_minute is not None and phase.has_beat:
            phase = replace(phase, steps_per_minute=steps_per_minute, ramp_to=None)
        phases.insert(0, phase)
    elif left >= rate * LIMITS["phase_seconds"].low:
        changes: dict[str, Any] = {"seconds": left / rate, "elapsed": phase.elapsed + into / rate}
        if phase.has_beat:
            upcoming = next(beats(session, here, span.end), None)
            resume = upcoming.sample if upcoming is not None else span.end
            # steps_by counts this session's steps; span.first_step counts the walk's.
            done_here = session.first_step + steps_by(session, resume) - span.first_step
            changes["steps_before"] = phase.steps_before + done_here
            changes["first_beat"] = (resume - here) / rate
            before_here = session.first_step + steps_by(session, here) - span.first_step
            last = (
                span.start + beat_offset(phase, before_here - 1, span.length, rate)
                if before_here > 0
                else span.start
            )
            changes["beat_before"] = (here - last) / rate
            a, b = phase.steps_per_minute, phase.end_steps_per_minute
            assert a is not None and b is not None
            if steps_per_minute is not None:
                changes.update(steps_per_minute=steps_per_minute, ramp_to=None, grid_steps=0)
            elif a != b:
                changes["steps_per_minute"] = a + (b - a) * (resume - span.start) / span.length
            else:
                changes["grid_steps"] = phase.grid_steps + done_here
        phases.insert(0, replace(phase, **changes))
    else:
        wait += left
    if not phases:
        return None
    return replace(
        session,
        phases=tuple(phases),
        lead_in=lead_in + wait / rate,
        opening=opening,
        first_step=session.first_step + steps_by(session, here),
        notes=(),
    )


def _pace_at(session: Session, sample: int) -> float | None:
    """Steps per minute at ``sample`` (``None`` in a phase with no beat)."""
    spans = layout(session)
    span = next((s for s in spans if sample < s.end), spans[-1])
    a, b = span.phase.steps_per_minute, span.phase.end_steps_per_minute
    if a is None or b is None or a == b:
        return a
    into = min(max(sample - span.start, 0), span.length)
    return round(a + (b - a) * into / span.length, 1)


class _Track:
    """A prepared session playing from output sample ``offset`` (its sample 0 plays
    there)."""

    def __init__(self, prepared: Prepared, offset: int) -> None:
        self.prepared = prepared
        self.session = prepared.session
        self.offset = offset
        self.mixer = Mixer(prepared)
        self.cutoff: int | None = None
        self.end = prepared.schedule.length

    def cut(self, out_sample: int) -> None:
        """Start nothing new from this output sample on; what rings, rings out."""
        self.cutoff = max(0, out_sample - self.offset)
        self.mixer.cut(self.cutoff)

    def add_into(self, out: Block, start: int) -> None:
        lo = start - self.offset
        hi = lo + len(out)
        if hi <= 0:
            return
        lo_c = max(lo, 0)
        for offset, piece in self.mixer.spans(lo_c, min(hi, self.end)):
            at = lo_c - lo + offset
            out[at : at + len(piece)] += piece

    def done(self, out_sample: int) -> bool:
        here = out_sample - self.offset
        return here >= self.end or (self.cutoff is not None and self.mixer.quiet_after(here))


class _Sound:
    """One sound (a pause or end tune) at an output sample."""

    def __init__(self, sound: npt.NDArray[np.float32], at: int, gain: float, pan: float) -> None:
        left, right = _ear_gains(pan)
        self.stereo = np.stack([sound * gain * left, sound * gain * right], axis=1)
        self.at = at

    def add_into(self, out: Block, start: int) -> None:
        a = max(start, self.at)
        b = min(start + len(out), self.at + len(self.stereo))
        if a < b:
            out[a - start : b - start] += self.stereo[a - self.at : b - self.at]

    def done(self, out_sample: int) -> bool:
        return out_sample >= self.at + len(self.stereo)


@dataclass(frozen=True)
class Status:
    """What the status line shows; all times in seconds."""

    elapsed: float
    remaining: float
    steps_per_minute: float | None
    steps: int
    paused: bool
    finished: bool
    ended_early: bool
    next_cue: str | None
    next_cue_in: float | None


class Walk:
    """A live walk: call :meth:`pull` from the audio thread; steer it from any other.

    Parameters
    ----------
    session:
        What to walk; its speech is prepared here (:func:`pacer.voice.prepare`)
        unless it comes prepared.
    pre_roll:
        Seconds of quiet before the session starts (wakes Bluetooth earbuds).
    keep_alive:
        Add an inaudible noise bed so the audio link never sleeps.
    """

    def __init__(
        self,
        session: Session | Prepared,
        pre_roll: float = PRE_ROLL_SECONDS,
        keep_alive: bool = True,
    ) -> None:
        self._speech = session if isinstance(session, Prepared) else prepare(session)
        session = self._speech.session
        self.session = session
        self.rate = session.sample_rate
        self.keep_alive = keep_alive
        self._commands: queue.SimpleQueue[tuple[str, float, Any]] = queue.SimpleQueue()
        self._lock = threading.Lock()  # guards the snapshot read by status()
        self._requests = threading.Lock()  # orders tempo requests from several threads
        self._requested_spm = session.phases[0].steps_per_minute or 60.0
        self._pending_tempo = 0  # tempo requests queued but not yet applied
        self._out = 0
        self._pre_roll = round(pre_roll * self.rate)
        self._plan: _Track | None = _Track(self._speech, self._pre_roll)
        self._others: list[_Track | _Sound] = []
        self._paused_at: int | None = None
        self._paused_plan: Session | None = None
        self._ending = False
        self._ended_early = False
        self._walked = 0  # output samples of walking (not paused, not pre-roll)
        spans = layout(session)
        self._planned = spans[-1].end - spans[0].start
        # Walking is counted on the output clock, from where the phases begin to where
        # they end; a tempo re-plan moves neither, a resume moves both by the pause.
        self._walk_from = self._pre_roll + spans[0].start
        self._walk_until = self._pre_roll + spans[-1].end
        self._rng = np.random.default_rng(1)
        self._steps_per_minute = session.phases[0].steps_per_minute
        self._steps_done = 0
        self._finished = False

    # -- commands (any thread) -------------------------------------------------------
    def pause(self) -> None:
        """Pause: the beat stops after the current sound and a pause tune plays."""
        self._commands.put(("pause", 0.0, None))

    def resume(self) -> None:
        """Resume: a resume tune, then the beat on a fresh beat; the rest of the
        schedule moves later by the length of the pause."""
        self._commands.put(("resume", 0.0, self._prepare_resume()))

    def toggle_pause(self) -> None:
        """Pause if walking, resume if paused."""
        self._commands.put(("toggle", 0.0, self._prepare_resume()))

    def set_steps_per_minute(self, steps_per_minute: float) -> None:
        """Change the tempo from the next beat on (30-180 steps/min)."""
        LIMITS["steps_per_minute"].check(steps_per_minute)
        self._request_tempo(float(steps_per_minute))

    def change_tempo(self, delta: float) -> None:
        """Faster (positive) or slower by ``delta`` steps/min, kept within 30-180."""
        with self._requests:
            base = self._requested_spm
        self._request_tempo(base + delta)

    # The re-planning a command needs (the rest of the walk, its schedule, its mixer)
    # is done here, on the caller's thread, so pull() on the audio thread only swaps it
    # in. pull() checks that it still fits (the same plan, the beat still ahead) and
    # otherwise re-plans itself, with the same result.
    def _request_tempo(self, target: float) -> None:
        limit = LIMITS["steps_per_minute"]
        with self._requests:
            target = min(limit.high, max(limit.low, target))
            self._requested_spm = target
            self._pending_tempo += 1
        prepared = None
        with self._lock:
            plan, out, ending = self._plan, self._out, self._ending
        if plan is not None and not ending:
            upcoming = next(beats(plan.session, max(0, out - plan.offset)), None)
            if upcoming is not None:
                rest = rest_of(plan.session, upcoming.sample, steps_per_minute=target)
                if rest is not None:
                    track = _Track(self._speech.again(rest), plan.offset + upcoming.sample)
                    prepared = (plan, upcoming.sample, track)
        self._commands.put(("tempo", target, prepared))

    def _prepare_resume(self) -> Any:
        with self._lock:
            plan, at = self._paused_plan, self._paused_at
        if plan is None or at is None:
            return None
        rest = rest_of(plan, at, opening="resume", lead_in=RESUME_LEAD_SECONDS)
        return (plan, at, rest, None if rest is None else _Track(self._speech.again(rest), 0))

    def stop(self) -> None:
        """End early: the end tune plays, then the walk is finished."""
        self._commands.put(("stop", 0.0, None))

    # -- state -----------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        """True once the walk has ended and its last sound has rung out."""
        return self._finished

    def status(self) -> Status:
        """A snapshot for the status line."""
        with self._lock:  # copy the state; the work below must not hold up pull()
            plan, out, ending = self._plan, self._out, self._ending
            walked = self._walked / self.rate
            snapshot = (
                self._steps_per_minute,
                self._steps_done,
                self._paused_at is not None,
                self._finished,
                self._ended_early,
            )
        next_cue: str | None = None
        next_in: float | None = None
        if plan is not None and not ending:
            here = out - plan.offset
            cues = plan.prepared.schedule.cues
            index = bisect.bisect_left([c.sample for c in cues], here)
            if index < len(cues):
                cue = cues[index]
                next_cue = plan.prepared.words(cue)
                next_in = (cue.sample - here) / self.rate
        spm, steps, paused, finished, ended_early = snapshot
        return Status(
            elapsed=walked,
            remaining=max(0.0, self._planned / self.rate - walked),
            steps_per_minute=spm,
            steps=steps,
            paused=paused,
            finished=finished,
            ended_early=ended_early,
            next_cue=next_cue,
            next_cue_in=next_in,
        )

    # -- audio thread ----------------------------------------------------------------
    def pull(self, frames: int) -> Block:
        """The next ``frames`` frames of the walk, float32 ``(frames, 2)``."""
        while True:
            try:
                command, value, prepared = self._commands.get_nowait()
            except queue.Empty:
                break
            with self._lock:
                self._apply(command, value, prepared)
        out = np.zeros((frames, 2), dtype=np.float32)
        start = self._out
        sources: list[_Track | _Sound] = [*self._others]
        if self._plan is not None:
            sources.append(self._plan)
        for source in sources:
            source.add_into(out, start)
        if self.keep_alive:
            out += (self._rng.standard_normal((frames, 1)) * KEEP_ALIVE_LEVEL).astype(np.float32)
        with self._lock:
            end = start + frames
            if self._paused_at is None and not self._ending:
                # Walking time: inside the phases, not lead-in, pauses or the end tune.
                self._walked += max(0, min(end, self._walk_until) - max(start, self._walk_from))
            if self._plan is not None:
                # The pace now is the pace of the phase playing now.
                current = _pace_at(self._plan.session, end - self._plan.offset)
                self._steps_per_minute = current
                with self._requests:
                    if self._pending_tempo == 0 and current is not None:
                        self._requested_spm = current
                self._steps_done = self._plan.session.first_step + steps_by(
                    self._plan.session, end - self._plan.offset
                )
            self._others = [s for s in self._others if not s.done(end)]
            if self._plan is not None and self._plan.done(end):
                self._plan = None
                self._ending = True
            self._out = end
            if self._ending and self._plan is None and not self._others:
                self._finished = True
        return out

    def _plan_position(self) -> int:
        assert self._plan is not None
        return self._out - self._plan.offset

    def _apply(self, command: str, value: float, prepared: Any = None) -> None:
        if command == "toggle":
            command = "resume" if self._paused_at is not None else "pause"
        if self._ending:
            return
        if command == "stop":
            self._ending = True
            self._ended_early = True
            self._retire_plan()
            self._others.append(self._tune("end"))
        elif command == "pause" and self._plan is not None and self._paused_at is None:
            self._paused_plan = self._plan.session
            self._paused_at = self._plan_position()
            self._retire_plan()
            self._others.append(self._tune("pause"))
        elif command == "resume" and self._paused_at is not None:
            assert self._paused_plan is not None
            if prepared is not None and prepared[:2] == (self._paused_plan, self._paused_at):
                rest, track = prepared[2], prepared[3]
            else:
                rest = rest_of(
                    self._paused_plan,
                    self._paused_at,
                    opening="resume",
                    lead_in=RESUME_LEAD_SECONDS,
                )
                track = None if rest is None else _Track(self._speech.again(rest), 0)
            self._paused_at = None
            if rest is None or track is None:
                self._ending = True
                self._others.append(self._tune("end"))
                return
            track.offset = self._out
            self._plan = track
            spans = layout(rest)
            self._walk_from = self._out + spans[0].start
            self._walk_until = self._out + spans[-1].end
        elif command == "tempo":
            target = value
            with self._requests:
                self._pending_tempo -= 1
            if self._plan is None:
                if self._paused_plan is not None and self._paused_at is not None:
                    rest = rest_of(self._paused_plan, self._paused_at, steps_per_minute=target)
                    if rest is not None:
                        self._paused_plan, self._paused_at = rest, 0
                return
            plan = self._plan
            if (
                prepared is not None
                and prepared[0] is plan
                and self._plan_position() <= prepared[1]
            ):
                beat, track = prepared[1], prepared[2]
                plan.cut(plan.offset + beat)
                self._others.append(plan)
                self._plan = track
                return
            self._retempo(target)

    def _retempo(self, target: float) -> None:
        """From the next beat on, the rest of the walk at ``target`` steps/min."""
        assert self._plan is not None
        plan = self._plan
        here = self._plan_position()
        upcoming = next(beats(plan.session, here), None)
        if upcoming is None:
            return
        rest = rest_of(plan.session, upcoming.sample, steps_per_minute=target)
        if rest is None:
            return
        plan.cut(plan.offset + upcoming.sample)
        self._others.append(plan)
        self._plan = _Track(self._speech.again(rest), plan.offset + upcoming.sample)

    def _retire_plan(self) -> None:
        if self._plan is not None:
            self._plan.cut(self._out)
            self._others.append(self._plan)
            self._plan = None

    def _tune(self, kind: str) -> _Sound:
        """The pause or end cue, now: spoken with a voice ("Paused."; the end tune and
        "Session complete."), else its tune."""
        volume = self.session.volume / 100
        spoken = self._speech.speech(Cue(0, kind, 0.0, len(self.session.phases) - 1))
        if spoken is not None:
            return _Sound(spoken, self._out, SPEECH_GAIN * volume, 0.0)
        return _Sound(earcon_sound(kind, self.rate), self._out, CUE_PEAK * volume, 0.0)


KEYS: dict[str, str] = {
    "space": "pause or resume",
    "up": "1 step/min faster",
    "down": "1 step/min slower",
    "right": "5 steps/min faster",
    "left": "5 steps/min slower",
    "q": "end the walk early",
}
"""The keys a walker can press, and what each does."""


def press(walk: Walk, key: str) -> bool:
    """Do what ``key`` (a name from :data:`KEYS`) means; False for any other key."""
    steps = {"up": 1, "down": -1, "right": 5, "left": -5}
    if key == "space":
        walk.toggle_pause()
    elif key in steps:
        walk.change_tempo(steps[key])
    elif key in ("q", "Q"):
        walk.stop()
    else:
        return False
    return True


@dataclass(frozen=True)
class TapCadence:
    """A walker's cadence from taps: the median, and the middle half of the taps."""

    steps_per_minute: float
    low: float
    high: float
    taps: int


def tap_cadence(times: list[float]) -> TapCadence:
    """Cadence from tap times in seconds (one tap per step), at least 3 taps.

    The median interval gives the cadence, so one missed or doubled tap does not
    move it; ``low``/``high`` are the cadences of the 75th and 25th percentile
    intervals.
    """
    if len(times) < 3:
        raise ValueError(f"tap at least 3 steps (got {len(times)})")
    intervals = np.diff(np.asarray(times, dtype=np.float64))
    intervals = intervals[intervals > 0]
    if len(intervals) == 0:
        raise ValueError("the taps have no time between them")
    q25, q50, q75 = (float(q) for q in np.quantile(intervals, [0.25, 0.5, 0.75]))
    return TapCadence(60 / q50, 60 / q75, 60 / q25, len(times))
