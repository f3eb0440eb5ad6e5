"""What a walk is: phases, tempo, cue rules and sound, as frozen, validated data.

Nothing here makes sound or imports numpy: a :class:`Session` is a plain description
that the timeline (:mod:`pacer.timeline`) turns into events and the mixer
(:mod:`pacer.mixer`) turns into audio.

Every range and default a user can set is defined once, in :data:`LIMITS`, and both the
library's validation and the command line's help read it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .cues import CUE_KINDS
from .errors import SettingsError

__all__ = [
    "ANNOUNCEMENTS",
    "DEFAULTS",
    "PHASE_KINDS",
    "Reminder",
    "Defaults",
    "Limit",
    "LIMITS",
    "SOUNDS",
    "Phase",
    "Session",
]


@dataclass(frozen=True)
class Limit:
    """The allowed range of one numeric setting, with its command-line option and unit."""

    name: str
    option: str
    low: float
    high: float
    unit: str = ""

    def check(self, value: float) -> None:
        """Raise :class:`SettingsError` unless ``low <= value <= high`` (and finite)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SettingsError(
                f"{self.option}: {value!r} is not a number; use {self.describe()}.",
                self.name,
            )
        if not (math.isfinite(value) and self.low <= value <= self.high):
            raise SettingsError(
                f"{self.option}: {_fmt(value)} is not in the range "
                f"{_fmt(self.low)}<=x<={_fmt(self.high)}.",
                self.name,
            )

    def describe(self) -> str:
        """The range in words, e.g. ``"30 to 180 steps/min"``."""
        unit = f" {self.unit}" if self.unit else ""
        return f"{_fmt(self.low)} to {_fmt(self.high)}{unit}"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


LIMITS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit("steps_per_minute", "--spm", 30, 180, "steps/min"),
        Limit("minutes", "--minutes", 1, 240, "min"),
        Limit("phase_seconds", "phase length", 1, 240 * 60, "s"),
        Limit("sample_rate", "--rate", 8000, 192000, "Hz"),
        Limit("volume", "--volume", 1, 100, "%"),
        Limit("accent_every", "--accent", 2, 16, "beats"),
        Limit("look_back_every", "--look-back-every", 2, 600, "steps"),
        Limit("lead_in", "lead-in", 0, 30, "s"),
        Limit("minutes_left", "minutes left", 1, 240, "min"),
        Limit("posture_every", "posture reminders every", 30, 3600, "s"),
        Limit("turn_around_every", "turn around every", 4, 100_000, "steps"),
        Limit("countdown", "countdown", 0, 10, "s"),
        Limit("route_metres", "--route-metres", 10, 10_000, "m"),
        Limit("step_length", "--step-length", 0.1, 1.5, "m"),
        Limit("pain", "pain", 0, 10, ""),
    )
}
"""Every numeric setting's range, keyed by the library's name for it."""

PHASE_KINDS = ("walk", "warm-up", "cool-down", "stretch")
"""What a phase can be."""

ANNOUNCEMENTS = ("precautions", "stretch", "water")
"""Cue kinds a phase can say as it starts."""

SOUNDS: dict[str, str] = {
    "wood": "wood block: a short, warm knock (the default)",
    "click": "click: a bright, very short tick",
    "beep": "soft beep: a gentle sine tone",
    "drum": "drum: a low, soft thump",
    "step": "footstep: a soft heel strike (each foot its own with --alternate-feet)",
}
"""The built-in beat sounds, name -> description."""


@dataclass(frozen=True)
class Defaults:
    """The default of every setting a walker can change; the CLI's help shows these."""

    minutes: float = 20
    steps_per_minute: float = 60
    look_back_every: int = 20
    sound: str = "wood"
    sample_rate: int = 44100
    volume: float = 80
    lead_in: float = 2.0


DEFAULTS = Defaults()
"""The defaults in force. ``look_back_every=20``: backward steps are short (about
0.35 m), so on a 100-500 m stretch the walker checks the path behind every 7 m or so,
each shoulder in turn (left at step 20, right at step 40, left at step 60, ...)."""


@dataclass(frozen=True)
class Phase:
    """One part of a walk, with its own length, tempo and cue rules.

    Parameters
    ----------
    name:
        What the walker calls it: ``"walk"``, ``"warm-up"``, ``"chest stretch"``.
    seconds:
        Length, 1 s to 4 h.
    steps_per_minute:
        The beat's rate at the start of the phase, 30-180; ``None`` for a phase with no
        beat (a stretch that is held).
    ramp_to:
        The rate at the end of the phase; the tempo glides linearly in time from
        ``steps_per_minute`` to this. ``None`` keeps the tempo constant.
    look_back_every:
        Steps between look-back cues (left, then right, alternating; left first), 2-600;
        ``None`` for none.
    halfway:
        Whether to cue the halfway point of this phase.
    minutes_left:
        Announce these numbers of minutes left in this phase (each must be shorter
        than the phase).
    kind:
        One of :data:`PHASE_KINDS`. The first ``"walk"`` phase is the main walk, the
        one ``--spm`` and ``--minutes`` change.
    posture_every:
        Seconds between posture reminders (head up and eyes level; toes first, then
        heel; arms swing), in turn; ``None`` for none.
    turn_around_every:
        Steps between turn-around cues (the length of a known route in steps);
        ``None`` for none.
    countdown:
        Count the last N seconds of the phase aloud (3, 2, 1), 0-10; for held
        stretches.
    announce:
        Cue kinds said as the phase starts, in order (e.g. ``("precautions",)``,
        ``("stretch",)``, ``("water",)``); with none, a later phase is introduced by
        a ``"phase"`` cue.
    elapsed:
        Seconds of this phase already walked before it starts here: set when a live
        walk re-plans the rest of a phase (after a pause or a tempo change), so that
        halfway still falls at the halfway point of the whole phase.
    steps_before:
        Steps of this phase already walked, for the same reason: look-back cues keep
        counting (and alternating) from there.
    grid_steps:
        Beats of this same constant tempo already played before the phase starts
        (on a beat): beats go on on the same grid, sample for sample, as if the phase
        had never been split. 0 after a tempo change.
    first_beat:
        Seconds from the start of the phase to its first beat (0: on the start), for
        a phase that starts between two beats of the walk it continues.
    beat_before:
        For a continued phase: seconds from the walk's last beat before the phase
        to its start. An announcement due after that beat was not yet made, so the
        phase makes it on its first beat. ``None`` for a phase that starts afresh.
    """

    name: str
    seconds: float
    steps_per_minute: float | None
    ramp_to: float | None = None
    look_back_every: int | None = None
    halfway: bool = False
    minutes_left: tuple[int, ...] = ()
    kind: str = "walk"
    posture_every: float | None = None
    turn_around_every: int | None = None
    countdown: int = 0
    announce: tuple[str, ...] = ()
    elapsed: float = 0.0
    steps_before: int = 0
    grid_steps: int = 0
    first_beat: float = 0.0
    beat_before: float | None = None

    def __post_init__(self) -> None:
        LIMITS["phase_seconds"].check(self.seconds)
        if min(self.elapsed, self.steps_before, self.grid_steps, self.first_beat) < 0 or (
            self.beat_before is not None and self.beat_before < 0
        ):
            raise SettingsError(f"phase {self.name!r}: elapsed and steps_before must be >= 0")
        spm = LIMITS["steps_per_minute"]
        if self.steps_per_minute is not None:
            spm.check(self.steps_per_minute)
        if self.ramp_to is not None:
            if self.steps_per_minute is None:
                raise SettingsError(
                    f"phase {self.name!r}: a ramp needs a beat to ramp from", "ramp_to"
                )
            Limit("ramp_to", "--ramp-to", spm.low, spm.high, spm.unit).check(self.ramp_to)
        if self.look_back_every is not None:
            LIMITS["look_back_every"].check(self.look_back_every)
            if self.steps_per_minute is None:
                raise SettingsError(
                    f"phase {self.name!r}: look-back cues need a beat", "look_back_every"
                )
        for minutes in self.minutes_left:
            LIMITS["minutes_left"].check(minutes)
        if self.kind not in PHASE_KINDS:
            raise SettingsError(
                f"phase {self.name!r}: kind {self.kind!r} is not one of {', '.join(PHASE_KINDS)}",
                "kind",
            )
        if self.posture_every is not None:
            LIMITS["posture_every"].check(self.posture_every)
        if self.turn_around_every is not None:
            LIMITS["turn_around_every"].check(self.turn_around_every)
            if self.steps_per_minute is None:
                raise SettingsError(
                    f"phase {self.name!r}: turn-around cues need a beat", "turn_around_every"
                )
        LIMITS["countdown"].check(self.countdown)
        object.__setattr__(self, "announce", tuple(self.announce))
        for kind in self.announce:
            if kind not in ANNOUNCEMENTS:
                raise SettingsError(
                    f"phase {self.name!r}: {kind!r} cannot be announced; use one of "
                    f"{', '.join(ANNOUNCEMENTS)}",
                    "announce",
                )
        object.__setattr__(
            self, "minutes_left", tuple(sorted(set(self.minutes_left), reverse=True))
        )

    @property
    def has_beat(self) -> bool:
        """True when the phase plays a beat."""
        return self.steps_per_minute is not None

    @property
    def end_steps_per_minute(self) -> float | None:
        """The rate at the end of the phase (equal to the start when constant)."""
        return self.ramp_to if self.ramp_to is not None else self.steps_per_minute


@dataclass(frozen=True)
class Reminder:
    """Your own words, said during the main walk ``every`` so many seconds, or once
    ``at`` so many seconds into it."""

    text: str
    every: float | None = None
    at: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not 1 <= len(self.text.strip()) <= 200:
            raise SettingsError(f"reminder: {self.text!r} must be 1 to 200 characters", "text")
        if (self.every is None) == (self.at is None):
            raise SettingsError(
                f"reminder {self.text!r}: give either every_minutes or at_minutes", "reminder"
            )
        if self.every is not None:
            Limit("every", "every_minutes", 0.5, 240, "min").check(self.every / 60)
        if self.at is not None:
            Limit("at", "at_minutes", 0, 240, "min").check(self.at / 60)


@dataclass(frozen=True)
class Session:
    """A whole walk: its phases in order, and how it sounds.

    Build one with a preset (:func:`pacer.presets.backward`) or directly. A Session
    is frozen and validated when made; a bad value raises :class:`SettingsError`
    naming the setting and its allowed range.

    Parameters
    ----------
    phases:
        The phases in order; at least one.
    title:
        A short name shown in tables and written into file tags.
    sound:
        The beat sound, one of :data:`SOUNDS`.
    accent_every:
        Accent every Nth beat of a phase (2-16), counting from its first; ``None`` for
        no accent.
    alternate_feet:
        Pan beats slightly left and right, like footfalls (left foot first).
    sample_rate:
        Samples per second, 8000-192000 Hz.
    volume:
        Loudness in percent, 1-100. At 100 the loudest moment peaks at -1 dBFS.
    lead_in:
        Seconds before the first phase (the start cue plays here), 0-30.
    notes:
        Advice for the walker that is not an error, e.g. a length outside what the
        preset recommends. The library never prints these; the CLI does.
    opening:
        The cue at sample 0: ``"start"``, ``"resume"`` (a walk going on after a
        pause), or ``None``.
    first_step:
        Number of the session's first step (0 unless it continues a walk), so that
        feet keep alternating across a re-plan.
    voice:
        ``"en"`` or ``"zh"`` to speak cues with the shipped voice pack, ``"none"`` for
        earcons only (a cue the pack cannot say is an earcon either way).
    phrases:
        Your own words for cue kinds, as ``(kind, words)`` pairs; ``{n}`` stands for
        the number in "minutes left" and the countdown. Spoken by a speech engine
        when one is installed (see :mod:`pacer.tts`), else the built-in words.
    reminders:
        Your own :class:`Reminder` s, said during the main walk.
    """

    phases: tuple[Phase, ...]
    title: str = "walk"
    sound: str = DEFAULTS.sound
    accent_every: int | None = None
    alternate_feet: bool = False
    sample_rate: int = DEFAULTS.sample_rate
    volume: float = DEFAULTS.volume
    lead_in: float = DEFAULTS.lead_in
    notes: tuple[str, ...] = field(default=(), compare=False)
    opening: str | None = "start"
    first_step: int = 0
    voice: str = "none"
    phrases: tuple[tuple[str, str], ...] = ()
    reminders: tuple[Reminder, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "phases", tuple(self.phases))
        if not self.phases:
            raise SettingsError("a session needs at least one phase", "phases")
        for phase in self.phases:
            if not isinstance(phase, Phase):
                raise SettingsError(f"phases: {phase!r} is not a Phase", "phases")
        if self.sound not in SOUNDS:
            raise SettingsError(
                f"--sound: {self.sound!r} is not a beat sound; use one of {', '.join(SOUNDS)}.",
                "sound",
            )
        if self.accent_every is not None:
            LIMITS["accent_every"].check(self.accent_every)
        if isinstance(self.sample_rate, bool) or not isinstance(self.sample_rate, int):
            raise SettingsError(
                f"--rate: {self.sample_rate!r} is not a whole number of Hz; "
                f"use {LIMITS['sample_rate'].describe()}.",
                "sample_rate",
            )
        LIMITS["sample_rate"].check(self.sample_rate)
        LIMITS["volume"].check(self.volume)
        LIMITS["lead_in"].check(self.lead_in)
        object.__setattr__(self, "notes", tuple(self.notes))
        object.__setattr__(self, "phrases", tuple(tuple(p) for p in self.phrases))
        object.__setattr__(self, "reminders", tuple(self.reminders))
        for kind, words in self.phrases:
            if kind not in CUE_KINDS:
                raise SettingsError(
                    f"phrases: {kind!r} is not a cue; use one of {', '.join(CUE_KINDS)}",
                    "phrases",
                )
            if not isinstance(words, str) or not 1 <= len(words.strip()) <= 200:
                raise SettingsError(f"phrases: {kind} must be 1 to 200 characters", "phrases")
        for reminder in self.reminders:
            if not isinstance(reminder, Reminder):
                raise SettingsError(f"reminders: {reminder!r} is not a Reminder", "reminders")
        if self.voice not in ("en", "zh", "none"):
            raise SettingsError(
                f"--voice: {self.voice!r} is not a voice; use one of en, zh, none.", "voice"
            )
        if self.opening not in ("start", "resume", None):
            raise SettingsError(f"opening: {self.opening!r} is not 'start', 'resume' or None")

    @property
    def seconds(self) -> float:
        """The walk's length: lead-in plus every phase, in seconds (the end cue follows)."""
        return self.lead_in + sum(phase.seconds for phase in self.phases)

    def with_changes(self, **changes: object) -> Session:
        """A copy with some fields changed, validated again."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def describe(self) -> str:
        """One line in words: ``"backward walk: 20 min at 60 steps/min"``."""
        minutes = sum(p.seconds for p in self.phases) / 60
        rates = _rates(self.phases)
        shown = _fmt(round(minutes)) if abs(minutes - round(minutes)) < 0.01 else f"{minutes:.1f}"
        return f"{self.title}: {shown} min at {rates}"


def _rates(phases: Iterable[Phase]) -> str:
    parts: list[str] = []
    for phase in phases:
        if phase.steps_per_minute is None:
            continue
        text = _fmt(phase.steps_per_minute)
        if phase.ramp_to is not None and phase.ramp_to != phase.steps_per_minute:
            text += f"->{_fmt(phase.ramp_to)}"
        if text not in parts:
            parts.append(text)
    return (", ".join(parts) + " steps/min") if parts else "no beat"
