"""Beats land at exact sample indexes; cues land on beats, in order, never overlapping."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pacer
from pacer import Beat, Cue, Phase, Session
from pacer.cadence import layout
from pacer.cues import CUE_KINDS
from pacer.presets import backward

RATES = st.sampled_from([8000, 11025, 22050, 44100, 48000, 96000, 192000])
SPM = st.floats(30, 180, allow_nan=False).map(lambda x: round(x, 2))


def test_1800th_beat_lands_exactly_1799_seconds_after_the_first() -> None:
    session = backward(minutes=30)
    beats = list(pacer.beats(session))
    assert len(beats) == 1800
    assert beats[1799].sample - beats[0].sample == 1799 * 44100


def test_first_beat_comes_after_the_lead_in_on_the_left_foot() -> None:
    session = backward()
    first = next(pacer.beats(session))
    assert first.sample == round(session.lead_in * session.sample_rate)
    assert (first.step, first.foot) == (0, "left")


@settings(max_examples=60, deadline=None)
@given(spm=SPM, rate=RATES, seconds=st.floats(5, 600).map(lambda x: round(x, 1)))
def test_constant_tempo_beats_are_the_nearest_sample_to_the_true_time(
    spm: float, rate: int, seconds: float
) -> None:
    session = Session(phases=(Phase("walk", seconds, spm),), sample_rate=rate)
    lead = round(session.lead_in * rate)
    length = round(seconds * rate)
    beats = list(pacer.beats(session))
    exact_period = Fraction(60) * rate / Fraction(spm)
    for k, beat in enumerate(beats):
        true_offset = exact_period * k
        assert abs(beat.sample - lead - true_offset) <= Fraction(1, 2)
        assert beat.step == k
    # The right count: every beat inside the phase, and the next one would not be.
    assert beats[-1].sample < lead + length
    assert lead + exact_period * len(beats) >= length - Fraction(1, 2)


@settings(max_examples=60, deadline=None)
@given(a=SPM, b=SPM, rate=RATES, seconds=st.floats(10, 900).map(lambda x: round(x, 1)))
def test_a_ramp_places_every_beat_where_the_integrated_tempo_reaches_it(
    a: float, b: float, rate: int, seconds: float
) -> None:
    session = Session(phases=(Phase("walk", seconds, a, ramp_to=b),), sample_rate=rate)
    span = layout(session)[0]
    total = span.length / rate
    beats = list(pacer.beats(session))
    samples = [beat.sample for beat in beats]
    assert samples == sorted(set(samples)), "strictly increasing"
    half_sample_in_steps = max(a, b) / 60 * (0.5 / rate)
    for k, sample in enumerate(samples):
        t = (sample - span.start) / rate
        steps = (a * t + (b - a) * t * t / (2 * total)) / 60
        assert abs(steps - k) <= half_sample_in_steps + 1e-9
    # Count: the integrated steps over the phase, rounded up (within a sample).
    expected = (a + b) / 2 * total / 60
    assert len(beats) - 1 <= expected + 1e-6 < len(beats) + half_sample_in_steps + 1e-6


@settings(max_examples=40, deadline=None)
@given(spm=SPM, rate=RATES, seconds=st.integers(5, 300), data=st.data())
def test_any_window_gives_exactly_the_full_timelines_events_in_it(
    spm: float, rate: int, seconds: int, data: st.DataObject
) -> None:
    session = backward(
        minutes=seconds / 60 if seconds >= 60 else 1,
        steps_per_minute=spm,
        sample_rate=rate,
        look_back_every=4,
    )
    prepared = pacer.prepare(session)
    full = list(prepared.schedule.events())
    end_sample = prepared.schedule.length
    lo = data.draw(st.integers(0, end_sample))
    hi = data.draw(st.integers(lo, end_sample))
    assert list(prepared.schedule.events(lo, hi)) == [e for e in full if lo <= e.sample < hi]


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    minutes = draw(st.integers(1, 12))
    spm = draw(SPM)
    ramp = draw(st.none() | SPM)
    every = draw(st.integers(2, 60))
    return backward(
        minutes=minutes,
        steps_per_minute=spm,
        ramp_to=ramp,
        look_back_every=every,
        sample_rate=draw(RATES),
    )


@settings(max_examples=60, deadline=None)
@given(session=sessions())
def test_cues_sit_on_beats_inside_the_session_and_never_overlap(session: Session) -> None:
    prepared = pacer.prepare(session)
    rate = session.sample_rate
    events = list(prepared.schedule.events())
    beat_samples = {e.sample for e in events if isinstance(e, Beat)}
    cues = [e for e in events if isinstance(e, Cue)]
    end = prepared.schedule.end
    assert cues[0].kind == "start" and cues[0].sample == 0
    assert cues[-1].kind == "end" and cues[-1].sample == end
    for cue in cues[1:-1]:
        assert cue.sample in beat_samples, cue
        assert cue.sample < end
    for before, after in pairwise(cues):
        assert before.sample + round(CUE_KINDS[before.kind].earcon.seconds * rate) <= after.sample


@settings(max_examples=60, deadline=None)
@given(session=sessions())
def test_look_backs_alternate_left_first_every_n_steps(session: Session) -> None:
    prepared = pacer.prepare(session)
    looks = [c for c in prepared.schedule.cues if c.kind.startswith("look_")]
    unplaced = prepared.schedule.unplaced
    kinds = [
        c.kind
        for c in sorted(
            looks + [c for c in unplaced if c.kind.startswith("look_")], key=lambda c: c.wanted
        )
    ]
    assert kinds == ["look_left", "look_right"] * (len(kinds) // 2) + ["look_left"] * (
        len(kinds) % 2
    )
    every = session.phases[0].look_back_every
    assert every is not None
    beats = {b.sample: b.step for b in pacer.beats(session)}
    for cue in looks:
        if cue.wanted == cue.sample:
            assert beats[cue.sample] % every == 0
        assert (cue.pan < 0) == (cue.kind == "look_left")


def test_halfway_and_minutes_left_are_announced_on_time() -> None:
    session = backward(minutes=25)
    start = layout(session)[0].start
    rate = session.sample_rate
    cues = {(c.kind, c.value): c for c in pacer.prepare(session).schedule.cues}
    assert cues[("halfway", None)].wanted == start + round(12.5 * 60 * rate)
    for minutes in (10, 5, 1):
        assert cues[("minutes_left", minutes)].wanted == start + (25 - minutes) * 60 * rate


def test_a_cue_that_waits_for_a_free_beat_keeps_where_it_wanted_to_be() -> None:
    session = backward(minutes=20, voice="none")  # 1 minute left meets a look-back at 19:00
    (late,) = [
        c for c in pacer.prepare(session).schedule.cues if c.kind == "minutes_left" and c.value == 1
    ]
    assert late.sample > late.wanted
    assert late.sample - late.wanted == 44100  # the next beat, one second later


def test_timeline_as_json_is_the_same_timeline() -> None:
    session = backward(minutes=2)
    prepared = pacer.prepare(session)
    data = pacer.display.as_json(prepared, with_beats=True)
    assert [e["sample"] for e in data["events"]] == [e.sample for e in prepared.schedule.events()]
    assert data["beats"] == 120
    assert data["frames"] == prepared.schedule.length


@pytest.mark.parametrize(("at", "placed"), [(59, False), (45, True), (20, True)])
def test_a_reminder_that_would_sound_past_the_end_is_not_placed(at: float, placed: bool) -> None:
    """A long reminder at 0:59 of a one-minute walk moved the end to 1:08: it is listed
    as not placed instead, and the walk ends when it ends."""
    from pacer import Reminder
    from pacer.timeline import cue_key, schedule, wanted_cues

    rate = 8000
    plain = backward(minutes=1, sample_rate=rate, voice="en")
    late = plain.with_changes(reminders=(Reminder("Relax your shoulders.", at=at),))
    reminder = next(c for c in wanted_cues(late) if c.kind == "reminder")
    placed_here = schedule(late, {cue_key(reminder, late): 9 * rate})  # said for 9 s
    assert placed_here.length == schedule(plain, {}).length
    kinds = [c.kind for c in placed_here.cues]
    assert ("reminder" in kinds) == placed
    assert [c.kind for c in placed_here.unplaced] == ([] if placed else ["reminder"])
