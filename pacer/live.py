"""A walk as it happens: blocks pulled by the audio device, and the walker's commands
(pause, resume, faster, slower, stop) taken at the next block.

Nothing here knows about devices or keys. :class:`Walk` is a source of audio with a
``pull(frames)`` method that an engine calls from its audio thread, and methods that
any thread may call to steer it. Commands are typed values (:class:`Pause`,
:class:`Resume`, :class:`Tempo`, :class:`Stop`) put on a queue and applied at the start
of the next pull, so the audio thread never waits for a lock held by the user
interface.

A tempo change or a resume re-plans "the rest of the walk" as a new session
(:func:`rest_of`) placed at an exact output sample; sounds already ringing finish
naturally, so nothing is cut off and no beat is doubled. The re-plan is made on the
thread that gives the command; the audio thread only swaps it in. When the walk moved
on before the swap (the beat it was made for has passed), the audio thread hands the
command back and :meth:`Walk.service` (called by every command, by
:meth:`Walk.status` and by the player a few times a second) makes it again.

Everything a walk played is kept as :class:`Played` records, and
:func:`render_played` renders them offline: the same samples, whatever the block sizes
and whenever the commands came.
"""

from __future__ import annotations

import bisect
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from .cadence import (
    PhaseSpan,
    beat_offset,
    beats,
    first_beat_at_or_after,
    layout,
    steps_before,
    steps_by,
    window_edge,
)
from .cues import Cue
from .errors import SettingsError
from .keys import KEYS
from .mixer import CUE_PEAK, SPEECH_GAIN, Mixer, Stereo, _ear_gains
from .session import LIMITS, Phase, Session, expect, expect_frame, show
from .tones import earcon_sound
from .voice import Prepared, prepare

__all__ = [
    "KEYS",
    "PRE_ROLL_SECONDS",
    "RESUME_LEAD_SECONDS",
    "Command",
    "Pause",
    "Place",
    "Played",
    "Resume",
    "Status",
    "Stop",
    "TapCadence",
    "Tempo",
    "Walk",
    "Walked",
    "press",
    "render_played",
    "rest_of",
    "tap_cadence",
    "Announcer",
    "CalibrationSounds",
    "calibration_sounds",
]

PRE_ROLL_SECONDS = 1.0
"""Quiet before anything sounds, so Bluetooth earbuds are awake for the first cue."""
RESUME_LEAD_SECONDS = 1.0
"""After 'resume', the beat comes back this long after the resume tune starts."""
KEEP_ALIVE_LEVEL = 2.0 / 32768
"""An inaudible noise bed (about -84 dBFS) so earbuds never see digital silence."""

Block = npt.NDArray[np.float32]


def check_block(out: object) -> None:
    """Raise :class:`SettingsError` unless ``out`` is a block to fill: a writable
    float32 numpy array of shape ``(frames, 2)``."""
    if not (
        isinstance(out, np.ndarray)
        and out.dtype == np.float32
        and out.ndim == 2
        and out.shape[1] == 2
        and out.flags.writeable
    ):
        shown = (
            f"a {'' if out.flags.writeable else 'read-only '}{out.dtype} array of shape {out.shape}"
            if isinstance(out, np.ndarray)
            else show(out)
        )
        raise SettingsError(
            f"out: {shown} is not a writable float32 array of shape (frames, 2)", "out"
        )


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
    glide keeps gliding, its end shifted by as much); in a phase with no beat (a held
    stretch) it is ignored. Returns ``None`` when less than a second of walking is
    left. ``at`` may be before the session starts (negative): the rest is then the
    whole session.
    """
    expect(session, Session, "session", "a Session")
    at = window_edge(at, "at")
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
            assert phase.steps_per_minute is not None  # a phase with a beat has one
            phase = replace(
                phase,
                steps_per_minute=steps_per_minute,
                ramp_to=_shifted(phase.ramp_to, steps_per_minute - phase.steps_per_minute),
            )
        phases.insert(0, phase)
    elif left >= rate * LIMITS["phase_seconds"].low:
        phases.insert(0, _rest_of_phase(session, span, here, steps_per_minute))
    else:
        wait += left
    if not phases:
        return None
    # The silence before the rest only delays it: where the session's own lead-in is
    # longer than a session's lead-in may be, the walk simply resumes a little sooner.
    quiet = min(LIMITS["lead_in"].high, lead_in + wait / rate)
    return replace(
        session,
        phases=tuple(phases),
        lead_in=quiet,
        opening=opening,
        first_step=session.first_step + steps_by(session, here),
        notes=(),
    )


def _rest_of_phase(
    session: Session, span: PhaseSpan, here: int, steps_per_minute: float | None
) -> Phase:
    """The rest of the phase of ``span`` from session sample ``here`` (inside it)."""
    rate = session.sample_rate
    phase = span.phase
    into = here - span.start
    seconds = (span.end - here) / rate
    elapsed = phase.elapsed + into / rate
    if not phase.has_beat:
        return replace(phase, seconds=seconds, elapsed=elapsed)
    # The next step on the grid, heard or not (a faded beat, a stop to look back):
    # cues due on silent steps are still to come.
    k = first_beat_at_or_after(span, into, rate)
    resume = (
        span.start + beat_offset(phase, k, span.length, rate) if k < span.beat_count else span.end
    )
    # steps_by counts this session's steps; span.first_step counts the walk's.
    done_here = session.first_step + steps_by(session, resume) - span.first_step
    before_here = session.first_step + steps_by(session, here) - span.first_step
    last = (
        span.start + beat_offset(phase, before_here - 1, span.length, rate)
        if before_here > 0
        else span.start
    )
    a, b = phase.steps_per_minute, phase.end_steps_per_minute
    assert a is not None and b is not None  # a phase with a beat has both
    spm, ramp_to, grid = a, phase.ramp_to, phase.grid_steps
    glided = a + (b - a) * (resume - span.start) / span.length
    glided = min(max(glided, min(a, b)), max(a, b))
    if steps_per_minute is not None:
        # A glide keeps gliding, shifted by the change; a steady phase takes the pace.
        spm, grid = steps_per_minute, 0
        ramp_to = _shifted(phase.ramp_to, steps_per_minute - glided) if a != b else None
    elif a != b:
        spm = glided
    else:
        grid = phase.grid_steps + done_here
    return replace(
        phase,
        seconds=seconds,
        elapsed=elapsed,
        steps_before=phase.steps_before + done_here,
        first_beat=(resume - here) / rate,
        beat_before=(here - last) / rate,
        steps_per_minute=spm,
        ramp_to=ramp_to,
        grid_steps=grid,
    )


def _shifted(ramp_to: float | None, by: float) -> float | None:
    """A glide's end pace moved by ``by`` steps per minute (as its start was), kept
    within the allowed paces; ``None`` (no glide) stays ``None``."""
    if ramp_to is None:
        return None
    limits = LIMITS["steps_per_minute"]
    return min(max(ramp_to + by, limits.low), limits.high)


def _main_spans(spans: Sequence[PhaseSpan], walk: Session) -> tuple[PhaseSpan, ...]:
    """Of a plan's phases ``spans`` (the rest of ``walk``: its last phases, in order),
    those of the main walk (:attr:`Session.main_index`); all of them when the walk has
    none, none once the plan is past it."""
    main = walk.main_index
    if main is None:
        return tuple(spans)
    here = main - (len(walk.phases) - len(spans))
    return (spans[here],) if 0 <= here < len(spans) else ()


def _span_at(spans: Sequence[PhaseSpan], sample: int) -> PhaseSpan:
    """The phase playing at ``sample`` (the first before the walk, the last after)."""
    return next((s for s in spans if sample < s.end), spans[-1])


def _pace(span: PhaseSpan, sample: int) -> float | None:
    """Steps per minute at ``sample`` in ``span`` (``None`` in a phase with no beat)."""
    a, b = span.phase.steps_per_minute, span.phase.end_steps_per_minute
    if a is None or b is None or a == b:
        return a
    into = min(max(sample - span.start, 0), span.length)
    return round(a + (b - a) * into / span.length, 1)


def _step_pace(span: PhaseSpan, k: int, rate: int) -> float | None:
    """Steps per minute at step ``k`` of the phase of ``span`` (a phase with a beat)."""
    return _pace(span, span.start + beat_offset(span.phase, k, span.length, rate))


def _pace_at(session: Session, sample: int) -> float | None:
    """Steps per minute at ``sample`` (``None`` in a phase with no beat)."""
    return _pace(_span_at(layout(session), sample), sample)


def _warm(prepared: Prepared) -> None:
    """Decode and cache every sound a prepared walk will say, on the caller's thread
    (the audio thread then finds them made)."""
    for cue in prepared.schedule.cues:
        prepared.speech(cue)


def tune_audio(prepared: Prepared, kind: str) -> Block:
    """The pause or end cue as a walk plays it on a command, float32 ``(n, 2)``:
    spoken with a voice ("Paused."; the end tune and "Session complete."), else its
    tune."""
    session = prepared.session
    volume = session.volume / 100
    spoken = prepared.speech(Cue(0, kind, 0.0, len(session.phases) - 1))
    if spoken is not None:
        sound, gain = spoken, SPEECH_GAIN * volume
    else:
        sound, gain = earcon_sound(kind, session.sample_rate), CUE_PEAK * volume
    left, right = _ear_gains(0.0)
    stereo = np.stack([sound * gain * left, sound * gain * right], axis=1).astype(np.float32)
    stereo.flags.writeable = False
    return stereo


@dataclass(frozen=True)
class Played:
    """One thing a walk played, in output samples.

    Either a plan (``session`` from output sample ``at`` on; from its own sample
    ``cut`` on it started nothing new, and what was ringing rang out) or a tune
    (``tune`` is ``"pause"``, ``"end"`` or ``"dizzy"``, played whole from ``at``).
    A plan ``faded`` from its own sample ``faded`` on fades out over
    :data:`END_FADE_SECONDS` and is silent after: an end or a dizzy cuts the words
    being said.
    """

    at: int
    session: Session | None = None
    cut: int | None = None
    tune: str | None = None
    faded: int | None = None


END_FADE_SECONDS = 0.03
"""When the walk ends (q, or d for dizzy), whatever it is saying fades out this fast."""


def _faded(piece: Block, first: int, fade_from: int | None, length: int) -> Block:
    """``piece`` (starting at sample ``first``) faded out from ``fade_from`` over
    ``length`` samples and silent after."""
    if fade_from is None or first + len(piece) <= fade_from:
        return piece
    where = np.arange(first, first + len(piece), dtype=np.float32)
    gain = np.clip(1.0 - (where - fade_from) / max(1, length), 0.0, 1.0)
    return (piece * gain[:, None]).astype(np.float32, copy=False)


class _Track:
    """A session playing from output sample ``offset`` (its sample 0 plays there).

    Made on the thread that gives a command (laying it out, decoding its sounds and
    making them stereo there, in ``stereo``, which the walk's plans share); the audio
    thread only mixes it. ``walk`` is the whole walk this plan is part of: ``main``
    are this plan's phases that are the walk's main walk.
    """

    def __init__(self, prepared: Prepared, offset: int, walk: Session, stereo: Stereo) -> None:
        _warm(prepared)
        self.prepared = prepared
        self.session = prepared.session
        self.offset = offset
        self.spans = layout(self.session)
        self.main = _main_spans(self.spans, walk)
        self.mixer = Mixer(prepared, stereo=stereo)
        self.mixer.warm()
        self.cutoff: int | None = None
        self.fade_from: int | None = None
        self.fade_length = max(1, round(END_FADE_SECONDS * prepared.session.sample_rate))
        self.end = prepared.schedule.length
        self.record = -1  # its place in the walk's list of what was played

    def cut(self, out_sample: int) -> None:
        """Start nothing new from this output sample on; what rings, rings out. A cut
        never moves later: what a re-plan took over stays the re-plan's."""
        at = max(0, out_sample - self.offset)
        self.cutoff = at if self.cutoff is None else min(self.cutoff, at)
        self.mixer.cut(self.cutoff)

    def add_into(self, out: Block, start: int) -> None:
        lo = start - self.offset
        hi = lo + len(out)
        if hi <= 0:
            return
        lo_c = max(lo, 0)
        for offset, piece in self.mixer.spans(lo_c, min(hi, self.end)):
            at = lo_c - lo + offset
            piece = _faded(piece, lo_c + offset, self.fade_from, self.fade_length)
            out[at : at + len(piece)] += piece

    def fade(self, out_sample: int) -> None:
        """Start nothing new from this output sample on, and fade out what rings."""
        at = max(0, out_sample - self.offset)
        self.cut(out_sample)
        if self.fade_from is None or self.fade_from > at:
            self.fade_from = at

    def done(self, out_sample: int) -> bool:
        here = out_sample - self.offset
        if self.fade_from is not None and here >= self.fade_from + self.fade_length:
            return True
        return here >= self.end or (self.cutoff is not None and self.mixer.quiet_after(here))


class _Sound:
    """One sound (a pause or end tune, made beforehand) at an output sample."""

    def __init__(self, stereo: Block, at: int) -> None:
        self.stereo = stereo
        self.at = at

    def add_into(self, out: Block, start: int) -> None:
        a = max(start, self.at)
        b = min(start + len(out), self.at + len(self.stereo))
        if a < b:
            out[a - start : b - start] += self.stereo[a - self.at : b - self.at]

    def done(self, out_sample: int) -> bool:
        return out_sample >= self.at + len(self.stereo)


@dataclass(frozen=True)
class _PausedAt:
    """A paused walk: the plan that was playing, and its own sample where it stopped."""

    session: Session
    at: int


# -- commands ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PreparedTempo:
    """A tempo change made ready for the plan ``plan``: from its own sample ``beat`` (a
    beat), ``track`` plays instead; ``track`` is ``None`` when there is no beat left to
    change."""

    plan: _Track
    beat: int
    track: _Track | None


@dataclass(frozen=True)
class PreparedPausedTempo:
    """A tempo change made ready for a paused walk: the paused plan ``paused`` becomes
    ``rest`` (paused at its start), or stays when ``rest`` is ``None``."""

    paused: _PausedAt
    rest: _PausedAt | None


@dataclass(frozen=True)
class PreparedResume:
    """A resume made ready for the paused plan ``paused``: ``track`` plays from the
    moment it is swapped in, walking from its sample ``walk_from`` to ``walk_until``;
    ``track`` is ``None`` when nothing is left to walk (the walk ends)."""

    paused: _PausedAt
    track: _Track | None
    walk_from: int = 0
    walk_until: int = 0


@dataclass(frozen=True)
class Pause:
    """Pause now: the beat stops after the sound playing and a pause tune plays."""


@dataclass(frozen=True)
class Stop:
    """End early now: the end tune plays, then the walk is finished. ``dizzy``: the
    walker feels dizzy; the beat stops at once and pacer says to stand still and rest
    instead of the end tune."""

    dizzy: bool = False


@dataclass(frozen=True)
class Resume:
    """Resume a paused walk, with its re-plan made ready (``None``: not made yet)."""

    prepared: PreparedResume | None = None


@dataclass(frozen=True)
class Tempo:
    """Walk at ``steps_per_minute`` from the next beat on; ``number`` orders the tempo
    requests, ``prepared`` is the re-plan made ready (``None``: not made yet)."""

    steps_per_minute: float
    number: int
    prepared: PreparedTempo | PreparedPausedTempo | None = None


Command = Pause | Resume | Tempo | Stop
"""What the walker can ask of a walk."""


@dataclass(frozen=True)
class _Projection:
    """The walk as it will be once the queued commands are applied: the plan that will
    play, or the place it will be paused at, or ending; ``known`` is False where that
    depends on the moment the audio thread applies them (a pause's place)."""

    plan: _Track | None
    paused: _PausedAt | None
    pausing: bool
    ending: bool
    known: bool = True


@dataclass(frozen=True)
class Place:
    """Where a walk is in its programme; times in seconds.

    ``phase`` is the phase playing (or paused in), of kind ``kind``; ``left`` the
    seconds left in it. In a held stretch, ``stretch`` says what the walker is doing:
    ``"position"``, getting into position while the stretch is said, ``left`` being
    the time until the hold begins (the words and the time to get into position);
    ``"hold"``, ``left`` being what is left of the hold; ``"release"``. ``side`` is
    ``"left"``, ``"right"`` or ``None``. ``next_walk`` and ``next_steps_per_minute``
    name the next phase with a beat and its pace, while the phase playing has none: a
    tempo key there changes that phase.
    """

    phase: str = ""
    kind: str = "walk"
    left: float = 0.0
    stretch: str | None = None
    side: str | None = None
    next_walk: str | None = None
    next_steps_per_minute: float | None = None


@dataclass(frozen=True)
class Status:
    """What the status line shows; all times in seconds.

    ``steps_per_minute`` is the pace now (the one asked for, while it waits for its
    beat or the walk is paused; ``None`` in a phase with no beat). ``ended_early`` and
    ``dizzy`` say how the walk ended (dizzy: because the walker felt dizzy), from the
    moment it is asked to end. ``resuming`` is True between a resume and the beat's
    return. ``place`` is where the walk is in its programme.
    """

    elapsed: float
    remaining: float
    steps_per_minute: float | None
    steps: int
    paused: bool
    finished: bool
    ended_early: bool
    dizzy: bool = False
    resuming: bool = False
    next_cue: str | None = None
    next_cue_in: float | None = None
    place: Place = Place()


@dataclass(frozen=True)
class Walked:
    """What a walk walked, as the journal records it; times in seconds.

    ``seconds`` is all the walking: every phase, not the lead-in, pauses or the end
    tune. The *main walk* is the phase ``minutes`` sets (:attr:`Session.main_index`;
    the whole walk when it has none): ``main_seconds`` of it were walked, of
    ``main_planned``; ``steps_per_minute_start`` is the pace of its first step and
    ``steps_per_minute_end`` of its last step walked, as heard (tempo keys included;
    ``None`` when none of its steps was walked).
    """

    seconds: float
    main_seconds: float
    main_planned: float
    steps_per_minute_start: float | None
    steps_per_minute_end: float | None
    steps: int
    ended_early: bool
    dizzy: bool


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
        expect(session, (Session, Prepared), "session", "a Session")
        LIMITS["pre_roll"].check(pre_roll)
        expect(keep_alive, bool, "keep_alive", "True or False")
        self._speech = session if isinstance(session, Prepared) else prepare(session)
        session = self._speech.session
        self.session = session
        self.rate = session.sample_rate
        self.keep_alive = keep_alive
        self._commands: queue.SimpleQueue[Command] = queue.SimpleQueue()
        self._lock = threading.Lock()  # guards the state status() and commands read
        self._control = threading.RLock()  # orders commands from several threads
        self._out = 0
        self._pre_roll = round(pre_roll * self.rate)
        self._tunes = {kind: tune_audio(self._speech, kind) for kind in ("pause", "end", "dizzy")}
        # The bed is a fixed second of noise, repeated: made once, and the same
        # samples whatever the block sizes.
        noise = np.random.default_rng(1).standard_normal((self.rate, 1)) * KEEP_ALIVE_LEVEL
        self._bed = noise.astype(np.float32)
        self._played: list[Played] = []
        self._plan: _Track | None = None
        # The plans started and not yet all given way, in order: the first is heard now,
        # the last is the plan. A tempo change's plan waits for its beat (and a second
        # change may wait behind the first): until then the one before it is heard, and
        # the status line and the step count follow that one.
        self._heard: list[_Track] = []
        self._others: list[_Track | _Sound] = []
        self._paused: _PausedAt | None = None
        self._ending = False
        self._ended_early = False
        self._dizzy = False
        self._walked = 0  # output samples of walking (not paused, not pre-roll)
        spans = layout(session)
        self._planned = spans[-1].end - spans[0].start
        # Walking is counted on the output clock, from where the phases begin to where
        # they end; a tempo re-plan moves neither, a resume moves both by the pause.
        self._walk_from = self._pre_roll + spans[0].start
        self._walk_until = self._pre_roll + spans[-1].end
        self._steps_per_minute = session.phases[0].steps_per_minute
        self._last_pace: float | None = None
        self._steps_done = 0
        self._finished = False
        # Commands: how many were queued and taken, those handed back to be made
        # again, and the tempo requests not yet settled.
        self._issued = 0
        self._taken = 0
        self._returned: list[Command] = []
        self._projection: _Projection | None = None
        self._tempo_number = 0
        self._tempo_settled = 0
        self._tempo_target: float | None = None
        self._stop_asked: Stop | None = None
        # The main walk (what the journal counts): its walking time, and the pace of its
        # first and last steps, as the steps were heard.
        self._main_walked = 0
        self._main_first_pace: float | None = None
        self._main_last_pace: float | None = None
        # The walk's sounds in both ears, made with its plans and shared by them.
        self._stereo: Stereo = {}
        self._start_plan(_Track(self._speech, self._pre_roll, session, self._stereo))

    # -- commands (any thread) -------------------------------------------------------
    def pause(self) -> None:
        """Pause: the beat stops after the current sound and a pause tune plays."""
        with self._control:
            self._service()
            self._issue_pause()

    def resume(self) -> None:
        """Resume: a resume tune, then the beat on a fresh beat; the rest of the
        schedule moves later by the length of the pause."""
        with self._control:
            self._service()
            self._issue_resume()

    def toggle_pause(self) -> None:
        """Pause if walking, resume if paused."""
        with self._control:
            self._service()
            if self._projected().pausing:
                self._issue_resume()
            else:
                self._issue_pause()

    @property
    def pausing(self) -> bool:
        """Paused, or a pause asked that the audio thread has yet to take (it takes it
        at its next pull: while the process is stopped, that can be seconds)."""
        with self._control:
            self._service()
            return self._projected().pausing

    def set_steps_per_minute(self, steps_per_minute: float) -> None:
        """Change the tempo from the next beat on (30-180 steps/min). In a phase with
        no beat (a held stretch) it changes the next phase with a beat."""
        LIMITS["steps_per_minute"].check(steps_per_minute)
        with self._control:
            self._service()
            self._issue_tempo(float(steps_per_minute))

    def change_tempo(self, delta: float) -> None:
        """Faster (positive) or slower by ``delta`` steps/min, kept within 30-180."""
        delta = LIMITS["tempo_change"].check(delta, "delta")
        with self._control:
            self._service()
            base = self._tempo_base()
            if base is None:  # no beat is left to change
                return
            limit = LIMITS["steps_per_minute"]
            self._issue_tempo(min(limit.high, max(limit.low, base + delta)))

    def stop(self) -> None:
        """End early: the end tune plays, then the walk is finished."""
        self._end(Stop())

    def dizzy(self) -> None:
        """End at once because the walker feels dizzy: the beat stops and pacer says,
        calmly, to stop, stand still and rest (its tune with no voice)."""
        self._end(Stop(dizzy=True))

    def silence(self) -> None:
        """The sound has stopped for good (its device is closed): the walk ends where
        it was heard to (ended early, unless all its time had played) and is finished.
        Nothing may pull the walk any more."""
        if self._finished:
            return
        self.stop()
        self.pull_into(np.zeros((0, 2), dtype=np.float32))  # takes the stop
        with self._lock:
            self._plan = None
            self._others = []
            self._heard.clear()
            self._finished = True

    def service(self) -> None:
        """Make again the commands the audio thread handed back (their moment passed
        before they were swapped in). Called by every command and by :meth:`status`;
        a player calls it a few times a second."""
        with self._control:
            self._service()

    # -- the caller's side of commands -----------------------------------------------
    def _end(self, stop: Stop) -> None:
        with self._control:
            self._service()
            with self._lock:
                if self._stop_asked is None and not self._ending:
                    self._stop_asked = stop  # the first end asked for is the one taken
            self._put(stop, replace(self._projected(), plan=None, ending=True))

    def _service(self) -> None:
        with self._lock:
            if self._taken < self._issued or not self._returned:
                return
            returned, self._returned = self._returned, []
        for command in returned:
            if isinstance(command, Resume):
                self._issue_resume()
            elif isinstance(command, Tempo) and command.number == self._tempo_number:
                self._issue_tempo(command.steps_per_minute, command.number)

    def _projected(self) -> _Projection:
        """The walk as it will be when every queued command has been applied."""
        with self._lock:
            if self._taken >= self._issued or self._projection is None:
                paused = self._paused
                return _Projection(self._plan, paused, paused is not None, self._ending)
        return self._projection

    def _put(self, command: Command, after: _Projection) -> None:
        with self._lock:
            self._issued += 1
            self._projection = after
        self._commands.put(command)

    def _position(self, plan: _Track) -> int:
        with self._lock:
            return max(0, self._out - plan.offset)

    def _issue_pause(self) -> None:
        now = self._projected()
        if now.ending or now.pausing or (now.known and now.plan is None):
            return
        self._put(Pause(), _Projection(None, None, True, False, known=False))

    def _issue_resume(self) -> None:
        now = self._projected()
        if now.ending or not now.pausing:
            return
        if not now.known or now.paused is None:  # paused where the audio thread decides
            self._put(Resume(None), _Projection(None, None, False, False, known=False))
            return
        prepared = _prepare_resume(self._speech, now.paused, self._stereo)
        # Where the resumed plan starts is decided when it is swapped in.
        after = _Projection(prepared.track, None, False, prepared.track is None, known=False)
        self._put(Resume(prepared), after)

    def _issue_tempo(self, target: float, number: int | None = None) -> None:
        if number is None:
            self._tempo_number += 1
            number = self._tempo_number
        if number == self._tempo_number:
            self._tempo_target = target
        now = self._projected()
        prepared: PreparedTempo | PreparedPausedTempo | None = None
        after = now
        if now.known and now.plan is not None:
            plan = now.plan
            upcoming = next(beats(plan.session, self._position(plan)), None)
            track = None
            if upcoming is not None:
                rest = rest_of(plan.session, upcoming.sample, steps_per_minute=target)
                if rest is not None:
                    at = plan.offset + upcoming.sample
                    track = _Track(self._speech.again(rest), at, self.session, self._stereo)
            beat = upcoming.sample if upcoming is not None else 0
            prepared = PreparedTempo(plan, beat, track)
            if track is not None:
                after = replace(now, plan=track)
        elif now.known and now.paused is not None:
            rest = _paused_at_tempo(now.paused.session, now.paused.at, target)
            moved = _PausedAt(rest, 0) if rest is not None else None
            prepared = PreparedPausedTempo(now.paused, moved)
            if moved is not None:
                after = replace(now, paused=moved)
        elif now.known:  # ending: nothing to change
            with self._lock:
                self._tempo_settled = max(self._tempo_settled, number)
            return
        self._put(Tempo(target, number, prepared), after)

    def _tempo_base(self) -> float | None:
        """The pace a tempo key changes: the one last asked for while it is not yet
        heard, else the pace now, or in a phase with no beat the next phase's."""
        with self._lock:
            unsettled = self._tempo_settled < self._tempo_number
        if unsettled and self._tempo_target is not None:
            return self._tempo_target
        now = self._projected()
        if now.plan is not None:
            return _pace_here_or_next(now.plan.session, self._position(now.plan))
        if now.paused is not None:
            return _pace_here_or_next(now.paused.session, now.paused.at)
        with self._lock:
            return self._steps_per_minute

    # -- state -----------------------------------------------------------------------
    @property
    def last_steps_per_minute(self) -> float | None:
        """The pace last walked on the beat (a walk may end on a stretch, with none)."""
        with self._lock:
            return self._last_pace

    @property
    def finished(self) -> bool:
        """True once the walk has ended and its last sound has rung out."""
        return self._finished

    def walked(self) -> Walked:
        """What the walk has walked so far (all of it, once :attr:`finished`)."""
        main = _main_spans(layout(self.session), self.session)
        with self._lock:
            return Walked(
                seconds=self._walked / self.rate,
                main_seconds=self._main_walked / self.rate,
                main_planned=sum(span.length for span in main) / self.rate,
                steps_per_minute_start=self._main_first_pace,
                steps_per_minute_end=self._main_last_pace,
                steps=self._steps_done,
                ended_early=self._ended_early,
                dizzy=self._dizzy,
            )

    def played(self) -> tuple[Played, ...]:
        """Everything the walk has played so far, in the order it started."""
        with self._lock:
            return tuple(self._played)

    def status(self) -> Status:
        """A snapshot for the status line (and a moment to :meth:`service` commands)."""
        self.service()
        with self._lock:  # copy the state; the work below must not hold up pull()
            plan, out, ending, paused = self._plan, self._out, self._ending, self._paused
            now = _playing(plan, self._heard, out)
            walked = self._walked / self.rate
            spm, steps = self._steps_per_minute, self._steps_done
            finished, ended_early, dizzy = self._finished, self._ended_early, self._dizzy
            asked = self._tempo_target if self._tempo_settled < self._tempo_number else None
            stop = self._stop_asked
            if stop is not None and not ending:  # asked to end: as it will be, now
                ended_early = paused is not None or out < self._walk_until
                dizzy = stop.dizzy
        resuming = False
        where: tuple[Session, int] | None = None
        if now is not None and not ending:
            where = (now.session, out - now.offset)
            resuming = now.session.opening == "resume" and out - now.offset < now.spans[0].start
        elif paused is not None and not ending:
            where = (paused.session, paused.at)
            spm = asked if asked is not None else _pace_at(paused.session, max(0, paused.at))
        later = (plan.session, out - plan.offset) if plan is not None else where
        place = Place() if where is None else _place(*where, later or where, asked)
        status = Status(
            walked,
            max(0.0, self._planned / self.rate - walked),
            spm,
            steps,
            paused is not None,
            finished,
            ended_early,
            dizzy,
            resuming,
        )
        for track in (now, plan):
            if track is None or ending or status.next_cue is not None:
                continue
            here = out - track.offset
            cues = track.prepared.schedule.cues
            index = bisect.bisect_left([c.sample for c in cues], here)
            if index < len(cues) and (track.cutoff is None or cues[index].sample < track.cutoff):
                cue = cues[index]
                status = replace(
                    status,
                    next_cue=track.prepared.words(cue),
                    next_cue_in=(cue.sample - here) / self.rate,
                )
        return replace(status, place=place)

    # -- audio thread ----------------------------------------------------------------
    def pull(self, frames: int) -> Block:
        """The next ``frames`` frames of the walk, float32 ``(frames, 2)``."""
        frames = expect_frame(frames, "frames", 1 << 24)
        out = np.zeros((frames, 2), dtype=np.float32)
        self.pull_into(out)
        return out

    def pull_into(self, out: Block) -> None:
        """Fill ``out`` (float32 ``(frames, 2)``) with the next frames of the walk.

        For an audio thread: nothing here lays out a session, decodes a sound or
        allocates more than the pieces of sound that fall in this block. Anything
        but a writable float32 array of that shape is a :class:`SettingsError`, and
        the walk is left as it was.
        """
        check_block(out)
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                break
            with self._lock:
                self._taken += 1
                if not self._apply(command):
                    self._returned.append(command)
        frames = len(out)
        out.fill(0)
        start = self._out
        for source in self._others:
            source.add_into(out, start)
        plan = self._plan
        if plan is not None:
            plan.add_into(out, start)
        if self.keep_alive:
            self._add_bed(out, start)
        with self._lock:
            end = start + frames
            if self._paused is None and not self._ending:
                # Walking time: inside the phases, not lead-in, pauses or the end tune.
                self._walked += max(0, min(end, self._walk_until) - max(start, self._walk_from))
                self._count_main(start, end)
            now = _playing(plan, self._heard, end)
            if now is not None:
                # The pace now is the pace of the phase playing now.
                here = end - now.offset
                pace = _pace(_span_at(now.spans, here), here)
                if pace is not None and plan is not None and now is not plan:
                    pace = _pace(plan.spans[0], 0)  # asked for, heard from the next beat
                self._steps_per_minute = pace
                if pace is not None and self._paused is None and not self._ending:
                    self._last_pace = pace
                before = steps_before(now.spans, here, self.rate)  # no layout here
                self._steps_done = now.session.first_step + before
            while len(self._heard) > 1 and self._heard[1].offset <= end:
                del self._heard[0]
            self._others = [s for s in self._others if not s.done(end)]
            if plan is not None and plan.done(end):
                self._plan = None
                self._ending = True
            self._out = end
            if self._ending and self._plan is None and not self._others:
                self._finished = True

    def _count_main(self, start: int, end: int) -> None:
        """Count the main walk heard in output samples ``[start, end)``: its time, and
        the pace of its first step and of its latest. Each plan of the chain is heard
        from its own start until the next one starts."""
        chain = self._heard
        for i, track in enumerate(chain):
            lo = start if i == 0 else max(start, track.offset)
            hi = end if i + 1 == len(chain) else min(end, chain[i + 1].offset)
            for span in track.main:
                a = max(lo - track.offset, span.start)
                b = min(hi - track.offset, span.end)
                if a >= b:
                    continue
                self._main_walked += b - a
                first = first_beat_at_or_after(span, a - span.start, self.rate)
                after = first_beat_at_or_after(span, b - span.start, self.rate)
                if after > first:
                    if self._main_first_pace is None:
                        self._main_first_pace = _step_pace(span, first, self.rate)
                    self._main_last_pace = _step_pace(span, after - 1, self.rate)

    def _add_bed(self, out: Block, start: int) -> None:
        bed = self._bed
        size = len(bed)
        done = 0
        while done < len(out):
            at = (start + done) % size
            n = min(size - at, len(out) - done)
            out[done : done + n] += bed[at : at + n]
            done += n

    def _start_plan(self, track: _Track) -> None:
        if track.offset <= self._out:
            self._heard.clear()
        self._heard.append(track)
        track.record = len(self._played)
        self._played.append(Played(track.offset, track.session))
        self._plan = track

    def _retire(self, track: _Track, out_sample: int) -> None:
        self._cut(track, out_sample)
        self._others.append(track)

    def _cut(self, track: _Track, out_sample: int) -> None:
        """``track`` starts nothing from this output sample on, and its record says so."""
        track.cut(out_sample)
        self._played[track.record] = replace(self._played[track.record], cut=track.cutoff)

    def _silence_others(self) -> None:
        """Plans still due to start sounds after now start none: one a tempo change
        replaces, playing until its beat (perhaps silent until then, so no longer
        mixed, and yet heard): what rings, rings out."""
        for source in (*self._others, *self._heard):
            if not isinstance(source, _Sound):
                self._cut(source, self._out)

    def _play_tune(self, kind: str) -> None:
        self._played.append(Played(self._out, tune=kind))
        self._others.append(_Sound(self._tunes[kind], self._out))

    def _apply(self, command: Command) -> bool:
        """Apply ``command`` now (under the lock); False hands it back to be made
        again, because the walk has moved on from what it was made for."""
        applied = self._apply_now(command)
        if applied and isinstance(command, Tempo):
            self._tempo_settled = max(self._tempo_settled, command.number)
        return applied

    def _apply_now(self, command: Command) -> bool:
        if self._ending:
            return True
        plan = self._plan
        if isinstance(command, Stop):
            self._ending = True
            # Once all the walk's time has played (its last words may still ring
            # out), the walk is complete, whatever ends it now.
            self._ended_early = self._paused is not None or self._out < self._walk_until
            self._dizzy = command.dizzy
            if plan is not None:
                self._retire(plan, self._out)
                self._plan = None
            # A plan a tempo change replaces plays on until its beat; the end ends it
            # too (in a long stretch that beat can be minutes away). Words being
            # said are cut with a short fade, so the end or dizzy line comes clear.
            self._silence_others()
            for source in self._others:
                if not isinstance(source, _Sound):
                    source.fade(self._out)
                    self._played[source.record] = replace(
                        self._played[source.record], cut=source.cutoff, faded=source.fade_from
                    )
            self._heard.clear()
            self._paused = None
            self._play_tune("dizzy" if command.dizzy else "end")
        elif isinstance(command, Pause):
            if plan is not None:
                heard = _playing(plan, self._heard, self._out)
                if heard is not None and heard is not plan:
                    # A tempo change still waits for its beat (in a stretch, maybe
                    # minutes away): the walk pauses where it is heard, and the change
                    # is made again for the paused walk (not here: on the caller's side).
                    self._paused = _PausedAt(heard.session, self._out - heard.offset)
                    pace = _pace(plan.spans[0], 0)
                    if pace is not None:
                        self._returned.append(Tempo(pace, self._tempo_number))
                else:
                    self._paused = _PausedAt(plan.session, self._out - plan.offset)
                self._retire(plan, self._out)
                self._silence_others()
                self._heard.clear()
                self._plan = None
                self._play_tune("pause")
        elif isinstance(command, Resume):
            if self._paused is None:
                return True
            ready = command.prepared
            if ready is None or ready.paused is not self._paused:
                return False
            self._paused = None
            if ready.track is None:
                self._ending = True
                self._play_tune("end")
                return True
            ready.track.offset = self._out
            self._start_plan(ready.track)
            self._walk_from = self._out + ready.walk_from
            self._walk_until = self._out + ready.walk_until
        elif isinstance(command, Tempo):
            change = command.prepared
            if plan is None and self._paused is not None:
                if not isinstance(change, PreparedPausedTempo) or change.paused is not self._paused:
                    return False
                if change.rest is not None:
                    self._paused = change.rest
                return True
            if plan is None:
                return True
            if (
                not isinstance(change, PreparedTempo)
                or change.plan is not plan
                or (change.track is not None and self._out - plan.offset > change.beat)
            ):
                return False
            if change.track is not None:
                self._retire(plan, plan.offset + change.beat)
                self._start_plan(change.track)
        return True


def _place(session: Session, here: int, later: tuple[Session, int], asked: float | None) -> Place:
    """Where a walk is at sample ``here`` of the plan ``session``; ``later`` is the
    latest plan and its sample now (it has any change asked for: ``asked``, a pace not
    yet heard), where the next phase with a beat is found while this one has none."""
    rate = session.sample_rate
    span = _span_at(layout(session), here)
    left = max(0, span.end - max(here, span.start)) / rate
    stretch, left = _stretch_step(span, here, rate, left)
    side = span.phase.side if stretch is not None else None
    next_walk: str | None = None
    next_spm: float | None = None
    if not span.phase.has_beat:
        upcoming = next(beats(later[0], max(0, later[1])), None)
        if upcoming is not None:
            next_walk = layout(later[0])[upcoming.phase].phase.name
            next_spm = asked if asked is not None else _pace_at(later[0], upcoming.sample)
    return Place(span.phase.name, span.phase.kind, left, stretch, side, next_walk, next_spm)


def _stretch_step(span: PhaseSpan, here: int, rate: int, left: float) -> tuple[str | None, float]:
    """In a held stretch: getting into position, holding or releasing, and the
    seconds left of that (to the hold, of the hold); else ``(None, left)``."""
    phase = span.phase
    if phase.hold_from is None or phase.hold_until is None:
        return None, left
    into = max(here, span.start) - span.start + round(phase.elapsed * rate)
    hold_from, hold_until = round(phase.hold_from * rate), round(phase.hold_until * rate)
    if into < hold_from:
        return "position", (hold_from - into) / rate
    if into < hold_until:
        return "hold", (hold_until - into) / rate
    return "release", left


def _paused_at_tempo(session: Session, at: int, target: float) -> Session | None:
    """The rest of a paused walk from ``at``, its pace ``target`` from the next beat:
    in a phase with no beat (a held stretch) the hold is kept whole and the next
    phase with a beat takes the new pace."""
    upcoming = next(beats(session, max(at, 0)), None)
    if upcoming is None:
        return rest_of(session, at)
    spans = layout(session)
    here = _span_at(spans, max(at, 0)).index
    if upcoming.phase == here:
        return rest_of(session, at, steps_per_minute=target)
    now = rest_of(session, at)
    later = rest_of(session, spans[upcoming.phase].start, steps_per_minute=target)
    if now is None or later is None:
        return now
    kept = upcoming.phase - (len(session.phases) - len(now.phases))
    return replace(now, phases=(*now.phases[:kept], *later.phases))


def _playing(plan: _Track | None, heard: Sequence[_Track], out: int) -> _Track | None:
    """The plan being heard at output sample ``out``: a re-plan waiting for its beat
    is not heard yet; the plan before it in ``heard`` plays until then."""
    if plan is None:
        return None
    for track in reversed(heard):
        if track.offset <= out:
            return track
    return heard[0] if heard else plan


def _prepare_resume(speech: Prepared, paused: _PausedAt, stereo: Stereo) -> PreparedResume:
    """The rest of a paused walk, made ready to be swapped in (on the caller's thread)."""
    at = max(paused.at, 0)
    lead = RESUME_LEAD_SECONDS
    begins = layout(paused.session)[0].start
    if at < begins:
        # Paused before the walk came back (in a resume's lead, quick presses of space):
        # it comes back where it was due, at least the lead from now; leads never pile up.
        lead = max(0.0, lead - (begins - at) / paused.session.sample_rate)
    rest = rest_of(paused.session, at, opening="resume", lead_in=lead)
    if rest is None:
        return PreparedResume(paused, None)
    spans = layout(rest)
    track = _Track(speech.again(rest), 0, speech.session, stereo)
    return PreparedResume(paused, track, spans[0].start, spans[-1].end)


def _pace_here_or_next(session: Session, here: int) -> float | None:
    """The pace at ``here``, or in a phase with no beat the pace of the next beat."""
    pace = _pace_at(session, here)
    if pace is not None:
        return pace
    upcoming = next(beats(session, max(0, here)), None)
    return None if upcoming is None else _pace_at(session, upcoming.sample)


def render_played(session: Session | Prepared, played: Sequence[Played], frames: int) -> Block:
    """Render offline, in one piece, the first ``frames`` frames of what a live walk of
    ``session`` played (:meth:`Walk.played`), without its keep-alive bed: the same
    samples the walk gave, whatever its block sizes."""
    expect(session, (Session, Prepared), "session", "a Session")
    played = expect(played, (list, tuple), "played", "a list of Played (Walk.played())")
    for item in played:
        expect(item, Played, "played", "a list of Played (Walk.played())")
    frames = expect_frame(frames, "frames", 1 << 31)
    speech = session if isinstance(session, Prepared) else prepare(session)
    out = np.zeros((frames, 2), dtype=np.float32)
    for item in played:
        if item.session is not None:
            part = speech.again(item.session)
            mixer = Mixer(part)
            if item.cut is not None:
                mixer.cut(item.cut)
            stop = min(part.schedule.length, frames - item.at)
            length = max(1, round(END_FADE_SECONDS * part.session.sample_rate))
            for offset, piece in mixer.spans(0, max(stop, 0)):
                piece = _faded(piece, offset, item.faded, length)
                a = item.at + offset
                out[a : a + len(piece)] += piece[: max(0, frames - a)]
        elif item.tune is not None:
            sound = tune_audio(speech, item.tune)[: max(0, frames - item.at)]
            out[item.at : item.at + len(sound)] += sound
    return out


def press(walk: Walk, key: str) -> bool:
    """Do what ``key`` (a name from :data:`KEYS`) means; False for any other key."""
    expect(walk, Walk, "walk", "a live Walk")
    steps = {"up": 1, "down": -1, "right": 5, "left": -5}
    if key == "space":
        walk.toggle_pause()
    elif key in steps:
        walk.change_tempo(steps[key])
    elif key in ("q", "Q"):
        walk.stop()
    elif key in ("d", "D"):
        walk.dizzy()
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
    expect(times, (list, tuple), "times", "a list of tap times in seconds")
    for time in times:
        if isinstance(time, bool) or not isinstance(time, (int, float, np.integer, np.floating)):
            raise SettingsError(f"times: {show(time)} is not a time in seconds", "times")
    if len(times) < 3:
        raise SettingsError(f"tap at least 3 steps (got {len(times)})", "times")
    intervals = np.diff(np.asarray(times, dtype=np.float64))
    intervals = intervals[intervals > 0]
    if len(intervals) == 0:
        raise SettingsError("the taps have no time between them", "times")
    q25, q50, q75 = (float(q) for q in np.quantile(intervals, [0.25, 0.5, 0.75]))
    return TapCadence(60 / q50, 60 / q75, 60 / q25, len(times))


@dataclass(frozen=True)
class CalibrationSounds:
    """What a calibration walk says, float32 ``(frames, 2)`` at ``sample_rate``.

    ``start``: the start tune, then "Let's begin." (the walker starts stepping and
    tapping); ``stop``: the stop tune, then the end tune and "Session complete."
    Without a voice (``"none"``) the tunes alone. There is no beat: the walk measures
    the walker's own cadence, which a beat would set.
    """

    start: Block
    stop: Block
    sample_rate: int


def calibration_sounds(voice: str = "en", sample_rate: int = 22050) -> CalibrationSounds:
    """The start and stop of a calibration walk (:class:`CalibrationSounds`), in
    ``voice`` (``en``, ``zh`` or ``none``)."""
    session = Session(
        (Phase("walk", 60.0, 60),),
        title="calibration walk",
        voice=voice,
        sample_rate=sample_rate,
    )
    prepared = prepare(session)
    left, right = _ear_gains(0.0)
    gap = np.zeros(round(0.25 * sample_rate), dtype=np.float32)

    def stereo(*kinds: str) -> Block:
        parts: list[npt.NDArray[np.float32]] = []
        for kind in kinds:
            if kind.startswith("tune:"):
                tune = earcon_sound(kind[5:], sample_rate) * CUE_PEAK
                parts += [tune.astype(np.float32), gap]
                continue
            spoken = prepared.speech(Cue(0, kind, 0.0, 0))
            if spoken is not None:
                parts += [(spoken * SPEECH_GAIN).astype(np.float32), gap]
            elif kind == "end":
                parts += [(earcon_sound("end", sample_rate) * CUE_PEAK).astype(np.float32), gap]
        mono = np.concatenate(parts[:-1])
        out = np.stack([mono * left, mono * right], axis=1).astype(np.float32)
        out.flags.writeable = False
        return out

    return CalibrationSounds(stereo("tune:start", "start"), stereo("tune:stop", "end"), sample_rate)


class Announcer:
    """Plays short sounds on demand on a running audio engine (the calibration walk's
    start and stop), an inaudible bed between them so earbuds stay awake. Give
    :meth:`pull_into` to the engine; :meth:`say` queues a sound; :meth:`wait` waits
    until everything queued has been pulled."""

    def __init__(self, sample_rate: int, keep_alive: bool = True) -> None:
        sample_rate = LIMITS["sample_rate"].check(sample_rate)
        expect(keep_alive, bool, "keep_alive", "True or False")
        self._queue: queue.SimpleQueue[Block] = queue.SimpleQueue()
        self._sound: Block | None = None
        self._at = 0
        self._queued = 0
        self._done = 0
        self._lock = threading.Condition()
        noise = np.random.default_rng(1).standard_normal((sample_rate, 1)) * KEEP_ALIVE_LEVEL
        self._bed = noise.astype(np.float32) if keep_alive else None
        self._bed_at = 0
        self._frame = 0
        self.started: list[int] = []
        """The frame (counted from the first pulled) at which each sound began."""

    def say(self, sound: Block) -> None:
        """Play ``sound`` (float32 ``(frames, 2)``) after whatever is queued."""
        with self._lock:
            self._queued += 1
        self._queue.put(sound)

    def wait(self, timeout: float) -> bool:
        """Wait until every sound queued has been played; ``False`` on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: self._done >= self._queued, timeout)

    def pull_into(self, out: Block) -> None:
        """Fill ``out`` (float32 ``(frames, 2)``) with the next frames."""
        check_block(out)
        frames = len(out)
        out[:] = 0.0
        if self._bed is not None:
            index = (self._bed_at + np.arange(frames)) % len(self._bed)
            out += self._bed[index]
            self._bed_at = (self._bed_at + frames) % len(self._bed)
        filled = 0
        first, self._frame = self._frame, self._frame + frames
        while filled < frames:
            if self._sound is None:
                try:
                    self._sound, self._at = self._queue.get_nowait(), 0
                except queue.Empty:
                    return
                self.started.append(first + filled)
            take = min(frames - filled, len(self._sound) - self._at)
            out[filled : filled + take] += self._sound[self._at : self._at + take]
            filled += take
            self._at += take
            if self._at >= len(self._sound):
                self._sound = None
                with self._lock:
                    self._done += 1
                    self._lock.notify_all()
