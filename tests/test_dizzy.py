"""The dizzy key: d ends the walk at once and calmly, with its own words (or tune)
instead of the end tune, and the walk knows it ended because of dizziness."""

from __future__ import annotations

import numpy as np
import pytest

import pacer
from pacer.live import KEYS, Walk, press, render_played, tune_audio
from pacer.presets import backward

RATE = 8000


@pytest.mark.parametrize("voice", ["none", "en", "zh"])
def test_d_stops_the_beat_at_once_and_says_the_dizzy_line_not_the_end(voice: str) -> None:
    session = backward(minutes=2, sample_rate=RATE).with_changes(voice=voice)
    walk = Walk(session, pre_roll=0.0, keep_alive=False)
    pieces = [walk.pull(1000) for _ in range(40)]  # 5 s in
    pressed_at = 40 * 1000
    assert press(walk, "d")
    while not walk.finished:
        pieces.append(walk.pull(1000))
    audio = np.concatenate(pieces)
    played = walk.played()
    assert np.array_equal(audio, render_played(session, played, len(audio)))
    # After the press: nothing of the walk starts, and what plays is the dizzy line.
    assert played[-1].tune == "dizzy" and played[-1].at == pressed_at
    assert all(item.tune != "end" for item in played)
    line = tune_audio(pacer.prepare(session), "dizzy")
    assert len(line) != len(tune_audio(pacer.prepare(session), "end"))
    walked = played[0]
    assert walked.cut == pressed_at
    beats_after = [b for b in pacer.beats(session, pressed_at)]
    assert beats_after, "the walk had beats still to come"
    tail = audio[pressed_at:]
    ringing = render_played(session, played[:-1], len(audio))[pressed_at:]
    # float32 sums: what still rings under the line leaves rounding of ~3e-8
    expected = np.pad(line, ((0, len(tail) - len(line)), (0, 0)))
    assert np.allclose(tail - ringing, expected, atol=1e-6)
    status = walk.status()
    assert status.finished and status.ended_early and status.dizzy


def test_q_is_not_dizzy_and_the_keys_say_what_d_does() -> None:
    walk = Walk(backward(minutes=1, sample_rate=RATE), pre_roll=0.0, keep_alive=False)
    walk.pull(4000)
    press(walk, "q")
    while not walk.finished:
        walk.pull(4000)
    assert walk.status().ended_early and not walk.status().dizzy
    assert "dizzy" in KEYS["d"]


@pytest.mark.parametrize("key, tune", [("d", "dizzy"), ("q", "end")])
def test_d_or_q_cuts_the_words_being_said_with_a_short_fade(key: str, tune: str) -> None:
    session = backward(minutes=2, sample_rate=RATE).with_changes(voice="en")
    prepared = pacer.prepare(session)
    look = next(c for c in prepared.schedule.cues if c.kind in ("look_left", "look_right"))
    words = len(prepared.speech(look))
    assert words > RATE // 2, "a look-back cue is long enough to press a key inside it"
    pressed_at = look.sample + RATE // 4  # a quarter of a second into the words
    walk = Walk(session, pre_roll=0.0, keep_alive=False)
    pieces = [walk.pull(pressed_at)]
    assert np.abs(pieces[0][look.sample :]).max() > 0.01, "the words were sounding"
    assert press(walk, key)
    while not walk.finished:
        pieces.append(walk.pull(1000))
    audio = np.concatenate(pieces)
    played = walk.played()
    assert np.array_equal(audio, render_played(session, played, len(audio)))
    # Within the fade the words are gone: from then on only the tune sounds.
    fade = round(pacer.live.END_FADE_SECONDS * RATE)
    line = tune_audio(prepared, tune)
    expected = np.pad(line, ((0, len(audio) - pressed_at - len(line)), (0, 0)))
    assert np.allclose(audio[pressed_at + fade :], expected[fade:], atol=1e-6)
    # and the fade itself never gets louder than the words were.
    before = np.abs(audio[pressed_at - fade : pressed_at]).max()
    assert np.abs(audio[pressed_at : pressed_at + fade] - expected[:fade]).max() <= before + 1e-6


@pytest.mark.parametrize("key, dizzy", [("D", True), ("Q", False)])
def test_capital_d_and_q_are_d_and_q_as_with_caps_lock_on(key: str, dizzy: bool) -> None:
    """README: d (or D, as with Caps Lock on), q (or Q): a walker whose Caps Lock is on
    still ends the walk; an escape sequence's final D is no key (test_key_sequences)."""
    walk = Walk(backward(minutes=1, sample_rate=RATE), pre_roll=0.0, keep_alive=False)
    walk.pull(4000)
    assert press(walk, key)
    while not walk.finished:
        walk.pull(4000)
    assert walk.status().ended_early and walk.status().dizzy is dizzy
