"""Ready-made walks. Every default a walker meets is defined here or in
:data:`pacer.session.DEFAULTS`, once.

The numbers come from the walking guidance pacer follows (see the README):

* **backward**: slowly, about 60 steps a minute, 20 to 30 minutes, looking back over
  the left shoulder, then the right; precautions once at the start; posture
  reminders now and then.
* **back-pain**: a few minutes of easy warm-up walking; stretches for chest, back,
  shoulders, hips and abdomen, each held 15-30 s; the walk; 5-10 minutes of slower
  cool-down walking; stretches for calf, hamstrings, quadriceps and lower back, each
  held 15-20 s; a reminder to drink water. One-sided stretches (calf, hamstring,
  quadriceps, hip) are held on each side in turn, left leg first; before each hold
  the walker is told how and given time to get into position.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

from .errors import SettingsError
from .session import DEFAULTS, LIMITS, Phase, Session, default_voice, show

__all__ = [
    "BACK_PAIN",
    "BACK_PAIN_TITLE",
    "BUILT_IN",
    "ONE_SIDED",
    "PLANS",
    "Plan",
    "RECOMMENDED_MINUTES",
    "STEP_LENGTH",
    "back_pain",
    "backward",
    "built_in",
    "minutes_left_for",
    "plan_from_table",
    "turn_around_steps",
]

RECOMMENDED_MINUTES = (20, 30)
"""Backward walking is advised for 20 to 30 minutes a session."""

POSTURE_EVERY = 240.0
"""Seconds between posture reminders during a walk: often enough to help, rarely
enough not to nag."""

STEP_LENGTH = {"backward": 0.35, "back-pain": 0.6}
"""Typical step length in metres: backward steps are short; a steady forward walk
with short steps is about 0.6 m."""


@dataclass(frozen=True)
class BackPainPlan:
    """The back-pain programme's numbers (all adjustable in a preset file)."""

    warm_up_minutes: float = 3
    warm_up_steps_per_minute: float = 90
    walk_minutes: float = 10
    walk_steps_per_minute: float = 100
    cool_down_minutes: float = 5
    cool_down_steps_per_minute: float = 80
    hold_before: float = 20  # advised 15-30 s
    hold_after: float = 20  # advised 15-20 s
    position: float = DEFAULTS.position  # seconds to get into position before a hold
    stretches_before: tuple[str, ...] = (
        "chest stretch",
        "back stretch",
        "shoulder stretch",
        "hip stretch",
        "abdomen stretch",
    )
    stretches_after: tuple[str, ...] = (
        "calf stretch",
        "hamstring stretch",
        "quadriceps stretch",
        "lower back stretch",
    )

    def __post_init__(self) -> None:
        for key in ("warm_up_minutes", "walk_minutes", "cool_down_minutes"):
            object.__setattr__(self, key, LIMITS["minutes"].check(getattr(self, key), key))
        for key in ("warm_up", "walk", "cool_down"):
            name = f"{key}_steps_per_minute"
            value = LIMITS["steps_per_minute"].check(getattr(self, name), name)
            object.__setattr__(self, name, value)
        object.__setattr__(self, "position", LIMITS["position"].check(self.position, "position"))
        for key in ("stretches_before", "stretches_after"):
            names = getattr(self, key)
            if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
                raise SettingsError(f"{key}: give a list of stretch names", key)
            object.__setattr__(self, key, tuple(names))


BACK_PAIN = BackPainPlan()

BACK_PAIN_TITLE = "walk for back pain"
"""The back-pain programme's title (a preset file saved from it keeps it)."""

ONE_SIDED = ("calf stretch", "hamstring stretch", "quadriceps stretch", "hip stretch")
"""Stretches held on each side in turn (left leg, then right leg)."""

BUILT_IN = {
    "backward": f"Backward walking: {DEFAULTS.minutes:g} min at {DEFAULTS.steps_per_minute:g} "
    "steps/min, look back left then right",
    "back-pain": "Walking for back pain: warm-up, stretches, walk, cool-down, stretches",
}
"""The built-in presets, by name."""


@dataclass(frozen=True)
class Plan:
    """How a programme builds up over the weeks (``pacer next`` reads it).

    A walker starts at ``start_minutes``, ``start_days`` days a week. Each week that
    earns a step adds ``step_minutes``, up to ``minutes_before_more_days``; then one
    more day a week, up to ``max_days``; then ``step_minutes`` again, up to
    ``max_minutes``. Minutes are 1-240, days 1-7, with
    ``start_minutes <= minutes_before_more_days <= max_minutes`` and
    ``start_days <= max_days``. ``max_steps_per_minute`` is the pace's ceiling (30-180):
    ``pacer next`` suggests 5 % more steps a minute after a week without a setback,
    never above it. A preset file sets them in a ``[plan]`` table.
    """

    start_minutes: float
    start_days: int
    step_minutes: float
    max_minutes: float
    max_days: int
    minutes_before_more_days: float
    max_steps_per_minute: float = 180

    def __post_init__(self) -> None:
        for name in ("start_minutes", "max_minutes", "minutes_before_more_days"):
            _plan_number(name, getattr(self, name), LIMITS["minutes"].low, LIMITS["minutes"].high)
        _plan_number("step_minutes", self.step_minutes, 0.5, 60)
        pace = LIMITS["steps_per_minute"]
        _plan_number("max_steps_per_minute", self.max_steps_per_minute, pace.low, pace.high)
        for name in ("start_days", "max_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 7:
                raise SettingsError(
                    f"plan: {name} = {value!r} is not a whole number of days from 1 to 7", name
                )
        if not self.start_minutes <= self.minutes_before_more_days <= self.max_minutes:
            raise SettingsError(
                f"plan: minutes_before_more_days = {self.minutes_before_more_days:g} must be "
                f"from start_minutes ({self.start_minutes:g}) to max_minutes "
                f"({self.max_minutes:g})",
                "minutes_before_more_days",
            )
        if self.start_days > self.max_days:
            raise SettingsError(
                f"plan: start_days = {self.start_days} is more than max_days = {self.max_days}",
                "start_days",
            )

    @property
    def least_minutes(self) -> float:
        """The plan's floor: easing off never suggests fewer minutes than one step below
        its start (the backward plan's 18, back-pain's 5), nor fewer days a week than it
        starts at; below that the advice is rest and see a professional."""
        return max(
            min(self.start_minutes, self.step_minutes), self.start_minutes - self.step_minutes
        )


def _plan_number(name: str, value: Any, low: float, high: float) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        raise SettingsError(
            f"plan: {name} = {value!r} is not a number of minutes from {low:g} to {high:g}", name
        )


PLANS = {
    # Back pain: start around 10 minutes, 3 days a week; build towards 30-60 minutes,
    # 5 days a week.
    # Its pace: 100 steps/min to begin with; never suggested above 120.
    "back-pain": Plan(10, 3, 5, 60, 5, 30, max_steps_per_minute=120),
    # Backward walking: 20 minutes, building to the advised 30; then more days.
    # Backward walking is slow (about 60 steps/min): never suggested above 66.
    "backward": Plan(20, 3, 2, 30, 5, 30, max_steps_per_minute=66),
}
"""Each built-in preset's plan. A preset file without a ``[plan]`` table gets the
backward plan."""


def plan_from_table(table: Any, source: str) -> Plan:
    """A :class:`Plan` from a preset file's ``[plan]`` table; ``source`` names the file
    in errors (a :class:`SettingsError` naming the key and what is allowed)."""
    names = [f.name for f in fields(Plan)]
    if not isinstance(table, dict):
        raise SettingsError(f"{source}: [plan] must be a table of {', '.join(names)}", "plan")
    unknown = sorted(set(table) - set(names))
    if unknown:
        raise SettingsError(
            f"{source}: [plan] unknown key {unknown[0]!r}; known keys: {', '.join(names)}", "plan"
        )
    missing = [name for name in names if name not in table]
    if missing:
        raise SettingsError(f"{source}: [plan] needs {', '.join(missing)}", "plan")
    try:
        return Plan(**table)
    except SettingsError as err:
        message = str(err).removeprefix("plan: ")
        raise SettingsError(f"{source}: [plan] {message}", err.setting) from None


def minutes_left_for(minutes: float) -> tuple[int, ...]:
    """The 'minutes left' announcements that suit a walk of this length.

    10, 5 and 1 minutes left, leaving out any that would fall before the start or on
    the halfway point (which is announced anyway).
    """
    return tuple(m for m in (10, 5, 1) if m < minutes and 2 * m != minutes)


def turn_around_steps(route_metres: float, step_length: float) -> int:
    """Steps to cover a route of ``route_metres`` at ``step_length`` metres a step."""
    route = LIMITS["route_metres"].check(route_metres)
    step = LIMITS["step_length"].check(step_length)
    steps: int = max(4, round(route / step))
    return steps


def backward(
    minutes: float = DEFAULTS.minutes,
    steps_per_minute: float = DEFAULTS.steps_per_minute,
    *,
    ramp_to: float | None = None,
    look_back_every: int | None = DEFAULTS.look_back_every,
    route_metres: float | None = None,
    step_length: float = STEP_LENGTH["backward"],
    sound: str = DEFAULTS.sound,
    accent_every: int | None = None,
    alternate_feet: bool = False,
    sample_rate: int = DEFAULTS.sample_rate,
    volume: float = DEFAULTS.volume,
    voice: str | None = None,
) -> Session:
    """A backward walk: one phase with look-back cues, precautions at the start,
    posture reminders every 4 minutes, halfway and minutes left.

    Parameters
    ----------
    minutes:
        Length of the walk, 1-240 min. Outside the advised 20-30 min the session
        carries a note (it is not refused).
    steps_per_minute:
        The beat, 30-180 steps/min; 60 is the advised slow pace.
    ramp_to:
        Glide linearly to this rate by the end, or ``None`` to keep the pace.
    look_back_every:
        Steps between look-back cues (left first, then right, alternating), or
        ``None`` for none.
    route_metres, step_length:
        A known route (10-10000 m) and step length (0.1-1.5 m, backward steps are
        about 0.35 m): "turn around" each time the route is covered.
    sound, accent_every, alternate_feet, sample_rate, volume:
        As in :class:`~pacer.session.Session`.
    voice:
        ``"en"`` or ``"zh"`` to speak the cues, ``"none"`` for tunes only; by default
        the locale's, as ``pacer walk`` does (:func:`~pacer.session.default_voice`).
    """
    minutes = LIMITS["minutes"].check(minutes)
    LIMITS["steps_per_minute"].check(steps_per_minute)  # before a look-back needs a beat
    notes: list[str] = []
    low, high = RECOMMENDED_MINUTES
    if not low <= minutes <= high:
        notes.append(
            f"{minutes:g} minute{'' if minutes == 1 else 's'} is outside the "
            f"{low}-{high} minutes advised for a backward walk; the session is made as asked."
        )
    turn = turn_around_steps(route_metres, step_length) if route_metres is not None else None
    walk = _phase(
        name="walk",
        seconds=minutes * 60,
        steps_per_minute=steps_per_minute,
        ramp_to=ramp_to,
        look_back_every=look_back_every,
        halfway=True,
        minutes_left=minutes_left_for(minutes),
        posture_every=POSTURE_EVERY if minutes * 60 > POSTURE_EVERY else None,
        turn_around_every=turn,
        announce=("precautions",),
    )
    return Session(
        phases=(walk,),
        title="backward walk",
        sound=sound,
        accent_every=accent_every,
        alternate_feet=alternate_feet,
        sample_rate=sample_rate,
        volume=volume,
        notes=tuple(notes),
        voice=default_voice() if voice is None else voice,
    )


def _phase(**values: Any) -> Phase:
    """A preset's phase; an error names the preset's parameter, as the caller wrote it."""
    try:
        return Phase(**values)
    except SettingsError as err:
        raise SettingsError(err.detail, err.setting) from None


def _stretches(names: tuple[str, ...], hold: float, position: float, when: str) -> list[Phase]:
    """Held stretches: one phase each, or one for each side of a one-sided stretch."""
    hold = LIMITS[when].check(hold, when)
    return [
        Phase(
            name,
            hold,
            None,
            kind="stretch",
            countdown=3,
            announce=("stretch",),
            side=side,
            position=position,
        )
        for name in names
        for side in (("left", "right") if name.lower() in ONE_SIDED else (None,))
    ]


def back_pain(
    minutes: float = BACK_PAIN.walk_minutes,
    steps_per_minute: float = BACK_PAIN.walk_steps_per_minute,
    *,
    plan: BackPainPlan = BACK_PAIN,
    route_metres: float | None = None,
    step_length: float = STEP_LENGTH["back-pain"],
    sound: str = DEFAULTS.sound,
    sample_rate: int = DEFAULTS.sample_rate,
    volume: float = DEFAULTS.volume,
    voice: str | None = None,
) -> Session:
    """The back-pain programme: warm-up walk, stretches held for a counted time (no
    beat while holding), the walk, a slower cool-down walk, stretches after, and a
    reminder to drink water.

    Parameters
    ----------
    minutes:
        The main walk, 1-240 min (start around 10; ``pacer next`` suggests more
        over the weeks when pain does not increase).
    steps_per_minute:
        The main walk's beat, 30-180 steps/min. The warm-up and cool-down are slower
        (see :class:`BackPainPlan`).
    voice:
        As in :func:`backward`: by default the locale's, as ``pacer walk`` does.
    """
    minutes = LIMITS["minutes"].check(minutes)
    steps_per_minute = LIMITS["steps_per_minute"].check(steps_per_minute)
    if not isinstance(plan, BackPainPlan):
        raise SettingsError(f"plan: {show(plan)} is not a BackPainPlan", "plan")
    turn = turn_around_steps(route_metres, step_length) if route_metres is not None else None
    warm_up = Phase(
        "warm-up",
        plan.warm_up_minutes * 60,
        min(plan.warm_up_steps_per_minute, steps_per_minute),
        kind="warm-up",
        announce=("precautions",),
    )
    walk = _phase(
        name="walk",
        seconds=minutes * 60,
        steps_per_minute=steps_per_minute,
        halfway=True,
        minutes_left=minutes_left_for(minutes),
        posture_every=POSTURE_EVERY if minutes * 60 > POSTURE_EVERY else None,
        turn_around_every=turn,
    )
    cool_down = Phase(
        "cool-down",
        plan.cool_down_minutes * 60,
        min(plan.cool_down_steps_per_minute, steps_per_minute),
        kind="cool-down",
    )
    after = _stretches(plan.stretches_after, plan.hold_after, plan.position, "hold_after")
    water = Phase("drink water", 5, None, kind="stretch", announce=("water",))
    phases = [
        warm_up,
        *_stretches(plan.stretches_before, plan.hold_before, plan.position, "hold_before"),
        walk,
        cool_down,
        *after,
        water,
    ]
    return Session(
        phases=tuple(phases),
        title=BACK_PAIN_TITLE,
        sound=sound,
        sample_rate=sample_rate,
        volume=volume,
        voice=default_voice() if voice is None else voice,
    )


FACTORIES = {"backward": backward, "back-pain": back_pain}
"""Each built-in preset's factory, by name (the keys of :data:`BUILT_IN`)."""


def built_in(name: str, **options: object) -> Session:
    """The built-in preset ``name`` (see :data:`BUILT_IN`), made with ``options``
    (the factory's keyword arguments)."""
    factory: Any = FACTORIES.get(name) if isinstance(name, str) else None
    if factory is None:
        raise SettingsError(
            f"preset: {show(name)} is not a built-in preset; use one of {', '.join(BUILT_IN)}",
            "preset",
        )
    known = factory_options(name)
    for key in options:
        if key not in known:
            raise SettingsError(
                f"{key}: not an option of the {name} preset; use {', '.join(known)}", key
            )
    session: Session = factory(**options)
    return session


def factory_options(name: str) -> tuple[str, ...]:
    """The keyword arguments the built-in preset ``name`` takes."""
    import inspect

    factory: Any = FACTORIES[name]
    return tuple(inspect.signature(factory).parameters)
