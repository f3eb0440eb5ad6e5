"""The footstep beat: a soft heel strike; with --alternate-feet each foot has its own
footfall, heard only in its own ear."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from soundcheck import quiet_session, render_array

import pacer
from pacer.cli import main
from pacer.mixer import BEAT_PEAK
from pacer.tones import beat_sound

RATE = 16000


def centroid(sound: np.ndarray, rate: int) -> float:
    """The spectral centroid in Hz: where the sound's energy sits."""
    power = np.abs(np.fft.rfft(sound.astype(np.float64), 1 << 14)) ** 2
    freqs = np.fft.rfftfreq(1 << 14, 1 / rate)
    return float((freqs * power).sum() / power.sum())


def test_the_two_feet_sound_different_and_both_are_low_soft_strikes() -> None:
    left = beat_sound("step", 44100, foot="left").astype(np.float64)
    right = beat_sound("step", 44100, foot="right").astype(np.float64)
    assert len(left) == len(right) == round(0.16 * 44100)
    likeness = float(np.dot(left, right) / np.sqrt(np.dot(left, left) * np.dot(right, right)))
    assert abs(likeness) < 0.5, "two different footfalls, not one sound twice"
    # A heel strike is a low thump: its energy sits well below a wood block's.
    wood = centroid(beat_sound("wood", 44100), 44100)
    assert centroid(right, 44100) < centroid(left, 44100) < 400 < wood


def test_with_alternate_feet_each_footfall_is_its_foots_sound_in_its_own_ear_only() -> None:
    session = quiet_session(seconds=8, rate=RATE, sound="step", alternate_feet=True, volume=100)
    audio = render_array(session).astype(np.float64)
    beats = list(pacer.beats(session))
    assert [b.foot for b in beats[:4]] == ["left", "right", "left", "right"]
    for beat in beats:
        sound = beat_sound("step", RATE, foot=beat.foot).astype(np.float64) * BEAT_PEAK
        piece = audio[beat.sample : beat.sample + len(sound)]
        own, other = (0, 1) if beat.foot == "left" else (1, 0)
        energy = (piece**2).sum(axis=0)
        assert energy[other] == 0.0, "the other ear hears nothing of this foot"
        assert np.allclose(piece[:, own], sound, atol=1e-6), "its own foot's sound"


def test_without_alternate_feet_every_step_is_the_same_footfall_in_both_ears() -> None:
    session = quiet_session(seconds=6, rate=RATE, sound="step", volume=100)
    audio = render_array(session).astype(np.float64)
    sound = beat_sound("step", RATE).astype(np.float64) * BEAT_PEAK
    for beat in pacer.beats(session):
        piece = audio[beat.sample : beat.sample + len(sound)]
        assert np.allclose(piece[:, 0], sound, atol=1e-6)
        assert np.allclose(piece[:, 1], sound, atol=1e-6)


def test_render_with_the_footstep_beat_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "steps.wav"
    result = CliRunner().invoke(
        main,
        [
            *("render", str(out), "--minutes", "1", "--sound", "step", "--alternate-feet"),
            *("--voice", "none", "--no-look-back", "--rate", "16000", "--quiet"),
        ],
    )
    assert result.exit_code == 0, result.output
    with wave.open(str(out), "rb") as wav:
        frames = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").reshape(-1, 2)
    session = pacer.presets.backward(
        minutes=1, sound="step", alternate_feet=True, look_back_every=None, sample_rate=16000
    )
    n = len(beat_sound("step", 16000))
    # Away from every cue, the first steps sit in their own ears.
    cues = pacer.prepare(session).schedule.cues
    free = [
        b
        for b in pacer.beats(session)
        if all(not (c.sample - n < b.sample < c.sample + 4 * 16000) for c in cues)
    ][:6]
    assert len(free) == 6
    for beat in free:
        energy = (frames[beat.sample : beat.sample + n].astype(np.float64) ** 2).sum(axis=0)
        own, other = (0, 1) if beat.foot == "left" else (1, 0)
        assert energy[other] == 0.0 and energy[own] > 0.0
