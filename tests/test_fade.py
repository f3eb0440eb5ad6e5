"""Fading the beat for carry-over: in the walking phase the beat drops out for growing
stretches and comes back exactly on its grid; cues still come; live is as rendered."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from soundcheck import quiet_session, render_array

import pacer
from pacer import Phase, Session
from pacer.cadence import fade_gap
from pacer.cli import main
from pacer.live import Walk, render_played, rest_of
from pacer.presets import back_pain, backward

RATE = 8000


def fading(session: Session) -> Session:
    """``session`` with the beat fading in every phase that has one."""
    return session.with_changes(
        phases=tuple(replace(p, fade_beat=p.has_beat) for p in session.phases)
    )


def runs(steps: list[int]) -> list[tuple[int, int]]:
    """Consecutive steps as (first, last) runs."""
    out: list[tuple[int, int]] = []
    for step in steps:
        if out and step == out[-1][1] + 1:
            out[-1] = (out[-1][0], step)
        else:
            out.append((step, step))
    return out


def test_the_beat_drops_out_for_4_8_12_then_16_steps_after_every_16() -> None:
    session = fading(quiet_session(seconds=240, spm=60, rate=RATE))
    heard = [b.step for b in pacer.beats(session)]
    assert runs(heard)[:7] == [
        (0, 15),  # 16 on
        (20, 35),  # 4 off, 16 on
        (44, 59),  # 8 off
        (72, 87),  # 12 off
        (104, 119),  # 16 off
        (136, 151),  # 16 off, and so on to the end
        (168, 183),
    ]


@settings(max_examples=60, deadline=None)
@given(
    spm=st.floats(30, 180).map(lambda x: round(x, 2)),
    rate=st.sampled_from([8000, 22050, 44100]),
    glide=st.none() | st.floats(30, 180).map(lambda x: round(x, 1)),
)
def test_inside_a_gap_there_is_no_beat_and_the_next_beat_lands_on_the_grid(
    spm: float, rate: int, glide: float | None
) -> None:
    steady = Session(phases=(Phase("walk", 90, spm, ramp_to=glide),), sample_rate=rate)
    faded = fading(steady)
    grid = list(pacer.beats(steady))
    heard = list(pacer.beats(faded))
    # Every beat heard is the very beat of the unfaded walk (sample, step, foot);
    # exactly the steps in a gap are missing.
    assert heard == [b for b in grid if not fade_gap(b.step)]
    assert len(heard) < len(grid)
    # The walker still walks every step: the walk's length and step count are the same.
    assert pacer.prepare(faded).schedule.summary() == pacer.prepare(steady).schedule.summary()


def test_a_gap_is_silent_and_the_beat_after_it_sounds_at_its_grid_sample() -> None:
    steady = quiet_session(seconds=70, rate=RATE)
    faded = fading(steady)
    audio, full = render_array(faded), render_array(steady)
    grid = list(pacer.beats(steady))
    ring = len(pacer.tones.beat_sound("wood", RATE))
    gaps = [b for b in grid if fade_gap(b.step)]
    assert gaps
    for beat in gaps:  # a step in a gap: silence where its beat would be
        assert not audio[beat.sample : beat.sample + ring].any()
    for beat in pacer.beats(faded):  # a beat heard: the same samples as unfaded
        window = slice(beat.sample, beat.sample + ring)
        assert np.array_equal(audio[window], full[window])


def test_cues_still_come_while_the_beat_is_faded() -> None:
    steady = backward(minutes=5, look_back_every=7, sample_rate=RATE, voice="none")
    faded = fading(steady)
    cues = pacer.prepare(faded).schedule.cues
    assert cues == pacer.prepare(steady).schedule.cues
    audio = render_array(faded)
    steps_at = {b.sample: b.step for b in pacer.beats(steady)}
    in_gaps = [c for c in cues if c.sample in steps_at and fade_gap(steps_at[c.sample])]
    assert {c.kind for c in in_gaps} >= {"look_left", "look_right"}
    for cue in in_gaps:  # heard, with no beat under it
        assert np.abs(audio[cue.sample : cue.sample + 200]).max() > 0.01


def test_only_the_phases_asked_fade_and_a_stretch_cannot() -> None:
    session = back_pain(minutes=2, sample_rate=RATE)
    main = next(i for i, p in enumerate(session.phases) if p.kind == "walk")
    phases = list(session.phases)
    phases[main] = replace(phases[main], fade_beat=True)
    faded = session.with_changes(phases=tuple(phases))
    gone = {b.step for b in pacer.beats(session)} - {b.step for b in pacer.beats(faded)}
    assert gone and all(b.phase == main for b in pacer.beats(session) if b.step in gone)
    stretch = next(p for p in session.phases if not p.has_beat)
    try:
        replace(stretch, fade_beat=True)
    except pacer.SettingsError as err:
        assert "fad" in str(err)
    else:
        raise AssertionError("a stretch with no beat cannot fade its beat")


@settings(max_examples=30, deadline=None)
@given(fraction=st.floats(0, 0.95), spm=st.sampled_from([45.0, 60.0, 97.5, 150.0]))
def test_the_rest_of_a_fading_walk_fades_on_as_the_walk_would(fraction: float, spm: float) -> None:
    session = fading(backward(minutes=3, steps_per_minute=spm, sample_rate=RATE))
    at = round(pacer.prepare(session).schedule.length * fraction)
    rest = rest_of(session, at)
    assert rest is not None
    assert [(b.sample - at, b.step) for b in pacer.beats(session, at)] == [
        (b.sample, b.step) for b in pacer.beats(rest)
    ]


def test_a_live_fading_walk_paused_in_a_gap_is_its_render_and_fades_on_by_step() -> None:
    session = fading(quiet_session(seconds=60, rate=RATE))
    walk = Walk(session, pre_roll=0.0, keep_alive=False)
    gap_step = next(
        b.step for b in pacer.beats(quiet_session(seconds=60, rate=RATE)) if fade_gap(b.step)
    )
    lead = round(session.lead_in * RATE)
    pieces, out, paused = [], 0, False
    while not walk.finished and out < 200 * RATE:
        if not paused and out >= lead + (gap_step + 1) * RATE:  # in the first gap
            walk.pause()
            paused = True
            pause_at = out
        if paused and out >= pause_at + 5 * RATE and walk.status().paused:
            walk.resume()
        block = walk.pull(500)
        pieces.append(block)
        out += len(block)
    audio = np.concatenate(pieces)
    played = walk.played()
    assert np.array_equal(audio, render_played(session, played, len(audio)))
    heard = [
        b.step
        for item in played
        if item.session is not None
        for b in pacer.beats(item.session)
        if item.cut is None or b.sample < item.cut
    ]
    # Every step outside a gap sounds once, in order; none in a gap.
    assert heard == [s for s in range(walk.status().steps) if not fade_gap(s)]


def test_fade_beat_from_the_command_line_and_a_preset_key(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["show", "--json", "--beats", "--minutes", "3", "--voice", "none"]
    steady = json.loads(runner.invoke(main, args).stdout)["events"]
    faded = json.loads(runner.invoke(main, [*args, "--fade-beat"]).stdout)["events"]
    steps = {e["step"]: e["sample"] for e in steady if e["type"] == "beat"}
    heard = {e["step"]: e["sample"] for e in faded if e["type"] == "beat"}
    assert heard == {s: at for s, at in steps.items() if not fade_gap(s)}
    # Cues are the same with the beat faded.
    assert [e for e in faded if e["type"] == "cue"] == [e for e in steady if e["type"] == "cue"]
    preset = tmp_path / "fading.toml"
    preset.write_text(
        '[[phases]]\nname = "walk"\nminutes = 3\nsteps_per_minute = 60\nfade_beat = true\n'
    )
    from_file = json.loads(
        runner.invoke(main, ["show", "--json", "--beats", "--preset", str(preset)]).stdout
    )
    assert {e["step"] for e in from_file["events"] if e["type"] == "beat"} == set(heard)
    shown = runner.invoke(main, ["show", "--fade-beat", "--minutes", "3"]).stdout
    assert "the beat fades" in shown
