"""Live walking without ears: the blocks a device pulls are the session's samples,
and pause, tempo and stop land exactly where they were asked for."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from soundcheck import onsets, quiet_session, render_array

import pacer
from pacer import Beat, Phase, Session
from pacer.errors import PacerError
from pacer.live import KEYS, RESUME_LEAD_SECONDS, Walk, press, rest_of, tap_cadence
from pacer.presets import backward

RATE = 8000


def short(seconds: float = 12, spm: float = 60, **kw: object) -> Session:
    phase = Phase("walk", seconds, spm, look_back_every=4, halfway=True)
    return Session(phases=(phase,), sample_rate=RATE, lead_in=0.5, **kw)  # type: ignore[arg-type]


def drive(
    walk: Walk, sizes: list[int], actions: dict[int, object] | None = None, limit: int = 2000
) -> np.ndarray:
    """Pull blocks of the given sizes (cycling) until the walk finishes; run
    ``actions[i](walk)`` just before pull number i."""
    pieces = []
    for i in range(limit):
        if actions and i in actions:
            actions[i](walk)  # type: ignore[operator]
        pieces.append(walk.pull(sizes[i % len(sizes)]))
        if walk.finished:
            break
    return np.concatenate(pieces)


def test_an_undisturbed_walk_is_the_render_after_the_pre_roll() -> None:
    session = short()
    walk = Walk(session, pre_roll=0.25, keep_alive=False)
    out = drive(walk, [441, 1000, 37])
    pre = round(0.25 * RATE)
    expected = render_array(session)
    assert not out[:pre].any()
    assert np.array_equal(out[pre : pre + len(expected)], expected)
    assert not out[pre + len(expected) :].any()
    status = walk.status()
    assert status.finished and not status.ended_early
    assert status.steps == len(list(pacer.beats(session)))


def test_a_tempo_change_is_heard_from_the_next_beat_with_no_double_beat() -> None:
    session = quiet_session(seconds=20, rate=RATE)  # every onset is a beat
    block = 400
    walk = Walk(session, pre_roll=0, keep_alive=False)
    out = drive(walk, [block], {30: lambda w: w.set_steps_per_minute(90)})
    reference = render_array(session)
    old_beats = [b.sample for b in pacer.beats(session)]
    next_beat = next(s for s in old_beats if s >= 30 * block)
    # Up to the next beat: exactly the original walk.
    assert np.array_equal(out[:next_beat], reference[:next_beat])
    # From it: exactly the rest of the walk at 90 steps/min.
    rest = rest_of(session, next_beat, steps_per_minute=90)
    assert rest is not None
    rest_audio = render_array(rest)
    assert np.array_equal(out[next_beat : next_beat + len(rest_audio)], rest_audio)
    # Heard as: the old beats, then beats 60/90 s apart starting on the old next beat.
    found = onsets(out)
    before = [s for s in found if 0 < s < next_beat]
    after = [s for s in found if s >= next_beat][:-1]  # the last onset is the end tune
    assert before == [s for s in old_beats if s < next_beat]
    assert after[0] == next_beat
    assert all(abs(gap - 60 / 90 * RATE) <= 1 for gap in np.diff(after))
    assert walk.status().steps_per_minute == 90


def test_pause_stops_the_beat_and_resume_shifts_the_rest_of_the_walk() -> None:
    session = short(seconds=20)
    block = 400
    walk = Walk(session, pre_roll=0, keep_alive=False)
    paused_at, resumed_at = 20 * block, 50 * block
    out = drive(walk, [block], {20: Walk.pause, 50: Walk.resume})
    reference = render_array(session)
    assert np.array_equal(out[:paused_at], reference[:paused_at])
    pause_tune = pacer.tones.earcon_sound("pause", RATE)
    # During the pause: only what was ringing and the pause tune; no new beat.
    quiet_from = paused_at + len(pause_tune) + round(0.1 * RATE)
    assert not out[quiet_from:resumed_at].any()
    # After resuming, every later cue comes exactly (pause + resume lead) later.
    shift = resumed_at - paused_at + round(RESUME_LEAD_SECONDS * RATE)
    halfway = next(c for c in pacer.prepare(session).schedule.cues if c.kind == "halfway")
    rest = rest_of(session, paused_at, opening="resume", lead_in=RESUME_LEAD_SECONDS)
    assert rest is not None
    moved = next(c for c in pacer.prepare(rest).schedule.cues if c.kind == "halfway")
    assert resumed_at + moved.sample == halfway.sample + shift
    # And the resumed audio is the rest of the walk, sample for sample.
    rest_audio = render_array(rest)
    assert np.allclose(out[resumed_at : resumed_at + len(rest_audio)], rest_audio, atol=1e-7)
    # Walking time is the phase's 20 s: the pause takes nothing from the walk.
    assert walk.status().elapsed == pytest.approx(20)


def test_stop_plays_the_end_tune_and_finishes_early() -> None:
    session = short(seconds=30)
    walk = Walk(session, pre_roll=0, keep_alive=False)
    out = drive(walk, [400], {10: Walk.stop})
    end = pacer.tones.earcon_sound("end", RATE)
    assert len(out) < len(render_array(session)) / 2
    assert len(out) >= 10 * 400 + len(end)
    status = walk.status()
    assert status.finished and status.ended_early


def test_the_keep_alive_bed_is_never_silent_and_never_heard() -> None:
    walk = Walk(short(), pre_roll=1.0, keep_alive=True)
    bed = walk.pull(RATE)  # the pre-roll: nothing but the bed
    assert np.count_nonzero(bed) == bed.size
    rms_db = 20 * np.log10(np.sqrt(np.mean(bed.astype(np.float64) ** 2)))
    assert rms_db < -80


def test_keys_do_what_the_help_says() -> None:
    walk = Walk(short(seconds=20), pre_roll=0, keep_alive=False)
    walk.pull(4000)
    for key, expected in [("up", 61), ("up", 62), ("right", 67), ("left", 62), ("down", 61)]:
        assert press(walk, key)
        walk.pull(400)
        assert walk.status().steps_per_minute == expected
    assert press(walk, "space")
    walk.pull(400)
    assert walk.status().paused
    assert press(walk, "space")
    walk.pull(400)
    assert not walk.status().paused
    assert not press(walk, "x")
    assert press(walk, "q")
    drive(walk, [400])
    assert walk.status().ended_early
    assert set(KEYS) == {"space", "up", "down", "right", "left", "q", "d"}


def test_tempo_keys_stay_inside_the_allowed_range() -> None:
    walk = Walk(short(spm=178), pre_roll=0, keep_alive=False)
    press(walk, "right")
    walk.pull(400)
    assert walk.status().steps_per_minute == 180


@settings(max_examples=40, deadline=None)
@given(
    spm=st.floats(30, 180).map(lambda x: round(x, 1)),
    every=st.integers(2, 30),
    fraction=st.floats(0, 0.95),
)
def test_the_rest_of_a_walk_is_the_same_walk_from_there(
    spm: float, every: int, fraction: float
) -> None:
    session = backward(minutes=3, steps_per_minute=spm, look_back_every=every, sample_rate=RATE)
    at = round(pacer.prepare(session).schedule.length * fraction * 0.9)
    rest = rest_of(session, at)
    assert rest is not None
    # Beats: the same steps at the same samples, counted from ``at``.
    assert [(b.sample - at, b.step, b.foot) for b in pacer.beats(session, at)] == [
        (b.sample, b.step, b.foot) for b in pacer.beats(rest)
    ]

    # Cues: the same ones, wanted at the same moments (look-backs keep alternating).
    # Which of them fit when cues crowd each other may differ: the rest starts with
    # nothing still sounding.
    def wanted(s: Session, shift: int) -> list[tuple[int, str, int | None]]:
        plan = pacer.prepare(s).schedule
        return sorted(
            (c.wanted - shift, c.kind, c.value)
            for c in plan.cues + plan.unplaced
            if c.wanted >= shift and c.kind != "start"
        )

    assert wanted(rest, 0) == wanted(session, at)


def test_tap_cadence_uses_the_median_so_one_missed_step_does_not_matter() -> None:
    taps = [i * 1.0 for i in range(20)]
    assert tap_cadence(taps).steps_per_minute == pytest.approx(60)
    missed = taps[:10] + taps[11:]  # one step not tapped: one 2 s interval
    assert tap_cadence(missed).steps_per_minute == pytest.approx(60)
    with pytest.raises(PacerError, match="at least 3"):
        tap_cadence([0.0, 1.0])
    with pytest.raises(PacerError, match="no time between them"):
        tap_cadence([2.0, 2.0, 2.0])


class Recording(Walk):
    """A walk that remembers the frame counts the device asked for, and can steer
    itself at a chosen pull."""

    def __init__(
        self, *args: object, actions: dict[int, object] | None = None, **kw: object
    ) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.sizes: list[int] = []
        self.blocks: list[np.ndarray] = []
        self.actions = actions or {}
        self.done = threading.Event()

    def pull_into(self, out: np.ndarray) -> None:
        n = len(self.sizes)
        if n in self.actions:
            self.actions[n](self)  # type: ignore[operator]
        super().pull_into(out)
        self.sizes.append(len(out))
        self.blocks.append(out.copy())
        if self.finished:
            self.done.set()


def test_the_real_miniaudio_engine_on_the_null_backend_pulls_the_same_samples() -> None:
    from pacer.output.device import Player, open_engine

    session = Session(
        phases=(Phase("walk", 2.5, 120, look_back_every=2),), sample_rate=RATE, lead_in=0.3
    )
    actions = {8: lambda w: w.set_steps_per_minute(150), 20: Walk.pause, 26: Walk.resume}
    live = Recording(session, pre_roll=0.1, keep_alive=False, actions=actions)
    engine = open_engine("null", RATE)
    assert engine.description == "no sound: NULL backend"
    with Player(live, engine):
        assert live.done.wait(timeout=30), "the NULL backend stopped pulling"
    # The same walk driven by hand with the same block sizes and the same commands.
    offline = Walk(session, pre_roll=0.1, keep_alive=False)
    replay = []
    for i, frames in enumerate(live.sizes):
        if i in actions:
            actions[i](offline)  # type: ignore[operator]
        replay.append(offline.pull(frames))
    assert np.array_equal(np.concatenate(live.blocks), np.concatenate(replay))
    assert any(isinstance(e, Beat) for e in pacer.prepare(session).schedule.events())


@settings(max_examples=60, deadline=None)
@given(
    spm=st.floats(30, 180).map(lambda x: round(x, 1)),
    every=st.integers(2, 30),
    cuts=st.lists(st.floats(0.01, 0.6), min_size=2, max_size=4),
)
def test_the_rest_of_the_rest_is_the_rest_of_the_walk(
    spm: float, every: int, cuts: list[float]
) -> None:
    # A live walk re-plans again and again (tempo keys, pauses): each re-plan of a
    # re-plan must still be the same walk from there.
    session = backward(minutes=3, steps_per_minute=spm, look_back_every=every, sample_rate=RATE)
    current, offset = session, 0
    for fraction in cuts:
        at = round(pacer.prepare(current).schedule.length * fraction)
        rest = rest_of(current, at)
        if rest is None:
            break
        current, offset = rest, offset + at
        assert [(b.sample + offset, b.step, b.foot) for b in pacer.beats(current)] == [
            (b.sample, b.step, b.foot) for b in pacer.beats(session, offset)
        ]


def test_many_tempo_changes_then_pause_and_resume_keep_walking() -> None:
    walk = Walk(backward(minutes=30, sample_rate=8000), pre_roll=0, keep_alive=False)
    for i in range(20):
        walk.change_tempo(1 if i % 2 else -1)
        for _ in range(12):
            walk.pull(400)
    walk.pause()
    walk.pull(400)
    walk.resume()
    for _ in range(60):
        walk.pull(400)
    status = walk.status()
    assert not status.paused and not status.finished and status.steps_per_minute == 60
    # 15 s pulled: 2 s lead-in and 1 s of resuming are not walking; 12 s are.
    assert status.elapsed == pytest.approx(12.0, abs=0.1)
    assert status.steps == 12


def test_the_audio_thread_does_not_re_plan_what_the_caller_prepared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pacer.live as live

    walk = Walk(backward(minutes=30, sample_rate=8000), pre_roll=0, keep_alive=False)
    for _ in range(30):
        walk.pull(400)

    def no_re_planning(*args: object, **kw: object) -> None:
        raise AssertionError("pull() re-planned on the audio thread")

    def pull_without_re_planning(times: int) -> None:
        with monkeypatch.context() as patch:
            patch.setattr(live, "rest_of", no_re_planning)
            for _ in range(times):
                walk.pull(400)

    walk.set_steps_per_minute(70)  # the re-plan is made here, on the caller's thread
    pull_without_re_planning(30)
    assert walk.status().steps_per_minute == 70
    walk.toggle_pause()
    pull_without_re_planning(10)
    assert walk.status().paused
    walk.toggle_pause()  # resume: made here too
    pull_without_re_planning(30)
    assert walk.status().steps_per_minute == 70 and not walk.status().paused


def test_two_quick_presses_add_up() -> None:
    walk = Walk(backward(minutes=5, sample_rate=8000), pre_roll=0, keep_alive=False)
    walk.pull(8000 * 3)
    press(walk, "up")
    press(walk, "up")
    press(walk, "right")
    walk.pull(400)
    walk.pull(8000)
    assert walk.status().steps_per_minute == 67


def test_the_pace_shown_and_nudged_is_the_phase_playing_now() -> None:
    from pacer.presets import back_pain

    session = back_pain(minutes=10, sample_rate=8000)
    walk = Walk(session, pre_roll=0, keep_alive=False)
    walk.pull(8000 * 60)
    assert walk.status().steps_per_minute == 90  # warm-up
    start = pacer.cadence.layout(walk.session)[walk.session.main_index or 0].start  # the walk
    walk.pull(start - 8000 * 60 + 8000 * 30)
    assert walk.status().steps_per_minute == 100
    press(walk, "up")
    walk.pull(8000 * 3)
    assert walk.status().steps_per_minute == 101
