"""Ready-made sessions. Every default a walker meets is defined here, once.

The numbers come from the walking guidance pacer follows (see the README): backward
walking is done slowly, about 60 steps a minute, for 20 to 30 minutes, turning the
head to look back over the left shoulder, then the right.
"""

from __future__ import annotations

from .session import DEFAULTS, LIMITS, Phase, Session

__all__ = ["RECOMMENDED_MINUTES", "backward", "minutes_left_for"]

RECOMMENDED_MINUTES = (20, 30)
"""Backward walking is advised for 20 to 30 minutes a session."""


def minutes_left_for(minutes: float) -> tuple[int, ...]:
    """The 'minutes left' announcements that suit a walk of this length.

    10, 5 and 1 minutes left, leaving out any that would fall before the start or on
    the halfway point (which is announced anyway).
    """
    return tuple(m for m in (10, 5, 1) if m < minutes and 2 * m != minutes)


def backward(
    minutes: float = DEFAULTS.minutes,
    steps_per_minute: float = DEFAULTS.steps_per_minute,
    *,
    ramp_to: float | None = None,
    look_back_every: int | None = DEFAULTS.look_back_every,
    sound: str = DEFAULTS.sound,
    accent_every: int | None = None,
    alternate_feet: bool = False,
    sample_rate: int = DEFAULTS.sample_rate,
    volume: float = DEFAULTS.volume,
) -> Session:
    """A backward walk: one phase with look-back cues, halfway and minutes left.

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
    sound, accent_every, alternate_feet, sample_rate, volume:
        As in :class:`~pacer.session.Session`.
    """
    LIMITS["minutes"].check(minutes)
    notes: list[str] = []
    low, high = RECOMMENDED_MINUTES
    if not low <= minutes <= high:
        notes.append(
            f"{minutes:g} minute{'' if minutes == 1 else 's'} is outside the "
            f"{low}-{high} minutes advised for a backward walk; the session is made as asked."
        )
    walk = Phase(
        name="walk",
        seconds=minutes * 60,
        steps_per_minute=steps_per_minute,
        ramp_to=ramp_to,
        look_back_every=look_back_every,
        halfway=True,
        minutes_left=minutes_left_for(minutes),
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
    )
