"""The audio the mixer makes: onsets exactly on the timeline, earcons in the right ear,
no clipping, no clicks, and identical whatever the block size."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from soundcheck import onsets, quiet_session, render_array

import pacer
from pacer import SOUNDS
from pacer.cues import CUE_KINDS
from pacer.mixer import BEAT_PEAK, CUE_PEAK
from pacer.presets import backward
from pacer.tones import beat_sound, earcon_sound

MINUS_1_DBFS = 10 ** (-1 / 20)


@pytest.mark.parametrize("sound", list(SOUNDS))
@pytest.mark.parametrize("spm", [30, 60, 97.5, 180])
def test_rendered_onsets_are_exactly_the_timelines_samples(sound: str, spm: float) -> None:
    session = quiet_session(seconds=12, spm=spm, rate=8000, sound=sound)
    audio = render_array(session)
    expected = [e.sample for e in pacer.prepare(session).schedule.events()]
    assert onsets(audio) == expected


def test_onsets_hold_for_a_ramp_at_a_high_rate() -> None:
    from pacer import Phase, Session

    session = Session(phases=(Phase("walk", 20, 50, ramp_to=120),), sample_rate=48000)
    assert onsets(render_array(session)) == [
        e.sample for e in pacer.prepare(session).schedule.events()
    ]


@settings(max_examples=15, deadline=None)
@given(frames=st.integers(1, 9000), start=st.integers(0, 200_000))
def test_blocks_are_the_same_samples_whatever_the_block_size_or_start(
    frames: int, start: int
) -> None:
    session = backward(
        minutes=1, sample_rate=8000, look_back_every=3, accent_every=4, alternate_feet=True
    )
    reference = render_array(session, 4096)
    start = min(start, len(reference))
    pieces = list(pacer.blocks(session, frames, start=start))
    assert all(len(p) == frames for p in pieces[:-1])
    together = np.concatenate(pieces) if pieces else np.zeros((0, 2), np.float32)
    assert np.array_equal(together, reference[start:])


def test_blocks_are_float32_stereo_and_end_with_the_session() -> None:
    session = backward(minutes=1, sample_rate=8000)
    audio = render_array(session)
    assert audio.dtype == np.float32 and audio.shape == (pacer.prepare(session).schedule.length, 2)


@pytest.mark.parametrize("side, ear, other", [("look_left", 0, 1), ("look_right", 1, 0)])
def test_look_back_earcons_play_only_in_their_ear(side: str, ear: int, other: int) -> None:
    session = backward(minutes=1, sample_rate=8000, look_back_every=4, voice="none")
    without = session.with_changes(
        phases=(
            session.phases[0].__class__(**{**session.phases[0].__dict__, "look_back_every": None}),
        )
    )
    with_cues, beats_only = render_array(session), render_array(without)
    cues = [c for c in pacer.prepare(session).schedule.cues if c.kind == side]
    assert len(cues) >= 3
    n = len(earcon_sound(side, 8000))
    for cue in cues:
        window = slice(cue.sample, cue.sample + n)
        added = with_cues[window] - beats_only[window]
        energy = (added.astype(np.float64) ** 2).sum(axis=0)
        assert energy[other] == 0.0
        assert energy[ear] > 1.0


def test_the_end_motif_is_longer_and_different_from_every_other_cue() -> None:
    end = earcon_sound("end", 8000)
    for kind in CUE_KINDS:
        if kind != "end":
            other = earcon_sound(kind, 8000)
            assert len(end) > len(other)


@pytest.mark.parametrize("sound", list(SOUNDS))
def test_nothing_clips_even_at_full_volume_with_every_option(sound: str) -> None:
    session = backward(
        minutes=2,
        steps_per_minute=180,
        sample_rate=22050,
        volume=100,
        sound=sound,
        accent_every=2,
        alternate_feet=True,
        look_back_every=2,
    )
    peak = float(np.abs(render_array(session)).max())
    assert BEAT_PEAK <= peak <= MINUS_1_DBFS


def test_a_beat_and_a_cue_at_their_peaks_together_stay_under_minus_1_dbfs() -> None:
    # The worst case the mixer can produce: both sounds' peaks on the same sample.
    assert BEAT_PEAK + CUE_PEAK <= MINUS_1_DBFS


@pytest.mark.parametrize(
    "make",
    [
        *[(lambda s=s: beat_sound(s, 44100)) for s in SOUNDS],
        *[(lambda s=s: beat_sound(s, 44100, accent=True)) for s in SOUNDS],
        *[(lambda k=k: earcon_sound(k, 44100)) for k in CUE_KINDS],
    ],
)
def test_sounds_have_no_clicks_at_their_edges(make: object) -> None:
    sound = make()  # type: ignore[operator]
    assert np.abs(sound).max() == pytest.approx(1.0)
    assert 0 < abs(sound[0]) < 0.01, "starts on its first sample, from near silence"
    assert abs(sound[-1]) < 0.001, "fades to silence"
    assert np.abs(np.diff(sound[:8])).max() < 0.05


def test_volume_scales_the_level() -> None:
    loud = render_array(quiet_session(seconds=6, volume=100))
    soft = render_array(quiet_session(seconds=6, volume=25))
    assert np.allclose(soft * 4, loud, atol=1e-6)


def test_accented_beats_are_louder_and_higher() -> None:
    session = quiet_session(seconds=10, accent_every=4)
    audio = render_array(session)
    beats = list(pacer.beats(session))
    peaks = {b.accent: float(np.abs(audio[b.sample : b.sample + 400]).max()) for b in beats}
    assert peaks[True] > peaks[False] * 1.5
    assert [b.accent for b in beats[:8]] == [True, False, False, False] * 2


def test_alternate_feet_lean_each_beat_to_its_foot() -> None:
    session = quiet_session(seconds=6, alternate_feet=True)
    audio = render_array(session)
    for beat in pacer.beats(session):
        piece = audio[beat.sample : beat.sample + 400].astype(np.float64)
        left, right = (piece**2).sum(axis=0)
        assert (left > right) == (beat.foot == "left")
        assert min(left, right) > 0.4 * max(left, right)  # slight, not one ear only
