"""Sessions are validated when made, and errors name the setting, value and range."""

from __future__ import annotations

import pytest

import pacer
from pacer import LIMITS, Phase, Session, SettingsError
from pacer.presets import backward


def test_backward_preset_defaults_come_from_walking_guidance() -> None:
    session = backward()
    (walk,) = session.phases
    assert walk.steps_per_minute == 60
    assert walk.seconds == 20 * 60
    assert walk.look_back_every == 20
    assert walk.halfway
    assert 5 in walk.minutes_left and 1 in walk.minutes_left
    assert session.notes == ()


@pytest.mark.parametrize("minutes", [10, 45])
def test_backward_outside_20_to_30_minutes_is_noted_not_refused(minutes: int) -> None:
    session = backward(minutes=minutes)
    assert session.phases[0].seconds == minutes * 60
    assert len(session.notes) == 1 and "20-30" in session.notes[0]


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"steps_per_minute": 250}, "steps_per_minute: 250 is not in the range 30<=x<=180"),
        ({"steps_per_minute": 29.9}, "steps_per_minute: 29.9 is not in the range 30<=x<=180"),
        ({"minutes": 0}, "minutes: 0 is not in the range 1<=x<=240"),
        ({"minutes": 241}, "minutes: 241 is not in the range 1<=x<=240"),
        ({"sample_rate": 4000}, "sample_rate: 4000 is not in the range 8000<=x<=192000"),
        ({"volume": 101}, "volume: 101 is not in the range 1<=x<=100"),
        ({"accent_every": 1}, "accent_every: 1 is not in the range 2<=x<=16"),
        ({"look_back_every": 1}, "look_back_every: 1 is not in the range 2<=x<=600"),
        ({"ramp_to": 200}, "ramp_to: 200 is not in the range 30<=x<=180"),
        ({"sound": "cowbell"}, "sound: 'cowbell' is not a beat sound; use one of wood"),
        ({"steps_per_minute": float("nan")}, "steps_per_minute: nan is not in the range"),
        ({"steps_per_minute": "fast"}, "steps_per_minute: 'fast' is not a number"),
        ({"sample_rate": 44100.0}, "sample_rate: 44100.0 is not a whole number"),
    ],
)
def test_bad_settings_raise_one_error_naming_value_and_range(kwargs: dict, fragment: str) -> None:
    with pytest.raises(SettingsError) as caught:
        backward(**kwargs)
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, pacer.PacerError)


def test_session_is_frozen_and_hashable() -> None:
    session = backward()
    with pytest.raises(AttributeError):
        session.sound = "click"  # type: ignore[misc]
    assert hash(session) == hash(backward())


def test_with_changes_validates_again() -> None:
    with pytest.raises(SettingsError, match="sample_rate: 100 is not in the range"):
        backward().with_changes(sample_rate=100)
    assert backward().with_changes(sound="beep").sound == "beep"


def test_a_session_needs_a_phase_and_phases_need_a_beat_for_look_backs() -> None:
    with pytest.raises(SettingsError, match="at least one phase"):
        Session(phases=())
    with pytest.raises(SettingsError, match="look-back cues need a beat"):
        Phase("hold", 20, None, look_back_every=10)


def test_limits_are_the_single_source_for_ranges() -> None:
    spm = LIMITS["steps_per_minute"]
    assert (spm.low, spm.high, spm.name) == (30, 180, "steps_per_minute")
    assert spm.describe() == "30 to 180 steps/min"
