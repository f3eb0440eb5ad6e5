"""Messages a program or a walker reads: the library names its own arguments, never
the command line's options; a value is blamed where it was given; a huge number is
said by its size (issue 13's tester)."""

from __future__ import annotations

import pytest

import pacer
from pacer import SettingsError
from pacer.presets import back_pain, backward


def test_the_library_names_its_argument_not_a_command_line_option() -> None:
    session = backward(minutes=1, voice="none")
    with pytest.raises(SettingsError) as caught, pacer.play(session, engine="bogus"):
        pass
    assert str(caught.value) == (
        "engine: 'bogus' is not an engine; use one of miniaudio, null, simpleaudio"
    )


@pytest.mark.parametrize("factory", [backward, back_pain])
@pytest.mark.parametrize("pace", [None, "fast", 10, 1e308, 1.5e300, float("inf")])
def test_a_bad_pace_is_blamed_on_the_pace_in_one_short_line(factory: object, pace: object) -> None:
    with pytest.raises(SettingsError) as caught:
        factory(steps_per_minute=pace)  # type: ignore[operator]
    text = str(caught.value)
    assert text.startswith("steps_per_minute: ") and "\n" not in text and len(text) < 120


def test_a_huge_float_is_said_by_its_size_as_a_huge_whole_number_is() -> None:
    assert pacer.session.show(1e308) == pacer.session.show(int(1e308)) == "a 309-digit number"
    assert pacer.session.show(2.5) == "2.5" and pacer.session.show(120.0) == "120"


def test_mandarin_words_of_one_cue_are_joined_with_no_space() -> None:
    """请穿平底的鞋。选择平坦、人少的路。 — no ASCII space between the sentences."""
    prepared = pacer.prepare(backward(minutes=3, voice="zh"))
    said = [prepared.words(c) for c in prepared.schedule.cues if prepared.line(c) is not None]
    precautions = next(c for c in prepared.schedule.cues if c.kind == "precautions")
    assert prepared.words(precautions).startswith("请穿平底的鞋。选择")
    assert [w for w in said if " " in w] == []
    english = pacer.prepare(backward(minutes=3, voice="en"))
    precautions = next(c for c in english.schedule.cues if c.kind == "precautions")
    assert english.words(precautions) == "Wear flat shoes. Keep to a flat path with no crowds."
