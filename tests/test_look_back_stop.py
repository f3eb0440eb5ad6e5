"""Safer look-backs: with look_back="stop" pacer says "stop" on the beat, the beat
rests while the walker looks back over the shoulder named, then "walk on", and the
beat comes back on its own grid; live as rendered."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import pacer
from pacer import Phase, Session
from pacer.cadence import look_back_rest
from pacer.cli import main
from pacer.errors import SettingsError
from pacer.live import Walk, render_played, rest_of
from pacer.presets import backward
from pacer.session import LOOK_BACK_REST_SECONDS, LOOK_BACK_WALK_SECONDS, look_back_stop_minimum

RATE = 8000


def stopping(session: Session) -> Session:
    return session.with_changes(
        phases=tuple(
            replace(p, look_back="stop") if p.look_back_every else p for p in session.phases
        )
    )


@settings(max_examples=80, deadline=None)
@given(
    spm=st.floats(30, 180).map(lambda x: round(x, 2)),
    every=st.integers(2, 60),
    rate=st.sampled_from([8000, 22050, 44100]),
)
def test_a_stop_and_look_either_fits_with_walking_between_or_is_refused(
    spm: float, every: int, rate: int
) -> None:
    walking = Session(phases=(Phase("walk", 120, spm, look_back_every=every),), sample_rate=rate)
    try:
        stops = stopping(walking)
    except SettingsError as err:
        # Refused in one line that names look_back_every and the least allowed.
        assert err.setting == "look_back_every"
        assert "\n" not in str(err)
        least = look_back_stop_minimum(spm)
        assert every < least
        assert f"allowed is {least} or more" in str(err)
        return
    rest = look_back_rest(stops.phases[0])
    # The whole rest of about six seconds, and at least three seconds of walking.
    assert rest * 60 / spm >= LOOK_BACK_REST_SECONDS
    assert (every - rest) * 60 / spm >= LOOK_BACK_WALK_SECONDS
    grid = list(pacer.beats(walking))
    heard = list(pacer.beats(stops))
    # Beats after each rest are the very beats of the walk without stops (same
    # sample, step and foot); the only steps missing are the rests after each stop.
    resting = {n * every + r for n in range(1, len(grid) // every + 1) for r in range(1, rest + 1)}
    assert heard == [b for b in grid if b.step not in resting]
    # "Stop" and "walk on" come on the beats they want; which shoulder comes within
    # the rest (after "stop", before "walk on"); none is left unplaced.
    cues = pacer.prepare(stops).schedule.cues
    assert all(c.sample == c.wanted for c in cues if c.kind in ("stop", "walk_on"))
    step = 60 / spm * rate
    sides = [c for c in cues if c.kind in ("look_left", "look_right")]
    assert all(0 <= c.sample - c.wanted < (rest - 1) * step for c in sides)
    stops_said = [c for c in cues if c.kind == "stop"]
    walk_ons = [c for c in cues if c.kind == "walk_on"]
    # (only the last stop may lose its words to the end of the walk)
    assert 0 <= len(stops_said) - len(sides) <= 1 and 0 <= len(stops_said) - len(walk_ons) <= 1
    # The walker still takes every step: the phases and step counts are the same.
    spans = pacer.cadence.layout
    assert [(s.start, s.end, s.beat_count) for s in spans(stops)] == [
        (s.start, s.end, s.beat_count) for s in spans(walking)
    ]


@pytest.mark.parametrize("spm", [40, 60, 100, 180])
def test_stop_look_and_walk_on_come_on_the_grid_with_about_six_seconds_to_look(
    spm: float,
) -> None:
    every = max(20, look_back_stop_minimum(spm))
    session = stopping(backward(minutes=3, steps_per_minute=spm, look_back_every=every))
    session = session.with_changes(sample_rate=RATE)
    phase = session.phases[0]
    rest = look_back_rest(phase)
    period = 60 / spm
    assert LOOK_BACK_REST_SECONDS <= rest * period < LOOK_BACK_REST_SECONDS + period
    cues = pacer.prepare(session).schedule.cues
    grid = {
        b.step: b.sample
        for b in pacer.beats(replace(session, phases=(replace(phase, look_back="walk"),)))
    }
    heard = {b.step for b in pacer.beats(session)}
    stops = [c for c in cues if c.kind == "stop" and c.wanted == c.sample]
    assert len(stops) >= 3
    sides = [c.kind for c in cues if c.kind in ("look_left", "look_right")]
    assert sides[:4] == ["look_left", "look_right", "look_left", "look_right"]
    for stop in stops:
        step = next(s for s, sample in grid.items() if sample == stop.sample)
        assert step % every == 0 and step in heard, "stop is said on a step that sounds"
        assert all(step + r not in heard for r in range(1, rest + 1)), "the beat rests"
        if step + rest + 1 in grid:
            assert step + rest + 1 in heard, "then it comes back on its own grid"
            walk_on = next(c for c in cues if c.kind == "walk_on" and c.sample > stop.sample)
            assert walk_on.sample == grid[step + rest], "walk on: on the last silent step"
        look = next(
            c for c in cues if c.kind in ("look_left", "look_right") and c.sample > stop.sample
        )
        assert look.wanted == grid[step + 1]
        assert (look.pan < 0) == (look.kind == "look_left") and look.pan != 0


def test_the_default_is_to_look_while_walking() -> None:
    session = backward(minutes=2, sample_rate=RATE)
    assert session.phases[0].look_back == "walk"
    kinds = {c.kind for c in pacer.prepare(session).schedule.cues}
    assert "stop" not in kinds and "walk_on" not in kinds
    assert len(list(pacer.beats(session))) == sum(
        s.beat_count for s in pacer.cadence.layout(session)
    )


def test_a_bad_way_to_look_back_is_refused_in_words() -> None:
    with pytest.raises(pacer.SettingsError, match=r"look_back: 'run' .* walk, stop"):
        Phase("walk", 60, 60, look_back_every=20, look_back="run")


@settings(max_examples=40, deadline=None)
@given(fraction=st.floats(0, 0.95), spm=st.sampled_from([45.0, 60.0, 97.5, 150.0]))
def test_the_rest_of_a_walk_that_stops_to_look_is_the_same_walk_from_there(
    fraction: float, spm: float
) -> None:
    session = stopping(
        backward(
            minutes=2,
            steps_per_minute=spm,
            look_back_every=look_back_stop_minimum(spm),
            sample_rate=RATE,
        )
    )
    at = round(pacer.prepare(session).schedule.length * fraction)
    rest = rest_of(session, at)
    assert rest is not None
    assert [(b.sample - at, b.step) for b in pacer.beats(session, at)] == [
        (b.sample, b.step) for b in pacer.beats(rest)
    ]

    def wanted(s: Session, shift: int) -> list[tuple[int, str]]:
        plan = pacer.prepare(s).schedule
        return sorted(
            (c.wanted - shift, c.kind)
            for c in plan.cues + plan.unplaced
            if c.wanted >= shift and c.kind in ("stop", "look_left", "look_right", "walk_on")
        )

    # Whatever is still to come of a stop it starts in is still said.
    assert wanted(rest, 0) == wanted(session, at)


def test_live_a_pause_inside_a_stop_resumes_on_the_grid_and_sounds_as_rendered() -> None:
    session = stopping(backward(minutes=1, look_back_every=10, sample_rate=RATE))
    walk = Walk(session, pre_roll=0.0, keep_alive=False)
    lead = round(session.lead_in * RATE)
    pieces, out, pause_at = [], 0, None
    while not walk.finished and out < 200 * RATE:
        if pause_at is None and out >= lead + 12 * RATE:  # inside the first stop
            walk.pause()
            pause_at = out
        if pause_at is not None and out >= pause_at + 3 * RATE and walk.status().paused:
            walk.resume()
        block = walk.pull(700)
        pieces.append(block)
        out += len(block)
    audio = np.concatenate(pieces)
    played = walk.played()
    assert np.array_equal(audio, render_played(session, played, len(audio)))
    said = [
        c.kind
        for item in played
        if item.session is not None
        for c in pacer.prepare(item.session).schedule.cues
        if item.cut is None or c.sample < item.cut
    ]
    # "walk on" from the stop the pause came in is still said after the resume.
    assert said.count("walk_on") == said.count("stop")
    rest = look_back_rest(session.phases[0])
    heard = [
        b.step
        for item in played
        if item.session is not None
        for b in pacer.beats(item.session)
        if item.cut is None or b.sample < item.cut
    ]
    assert heard == [s for s in range(walk.status().steps) if not (s > 10 and 1 <= s % 10 <= rest)]


def test_look_back_stop_from_the_command_line_a_preset_and_config(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["show", "--json", "--minutes", "3", "--voice", "en"]
    plain = json.loads(runner.invoke(main, args).stdout)
    typed = json.loads(runner.invoke(main, [*args, "--look-back", "stop"]).stdout)
    kinds = [e["kind"] for e in typed["events"]]
    assert "stop" not in [e["kind"] for e in plain["events"]]
    assert kinds.count("stop") == kinds.count("walk_on") >= 4
    # A preset key on the walk phase, and a default in config.toml, do the same.
    preset = tmp_path / "stops.toml"
    preset.write_text(
        '[[phases]]\nname = "walk"\nminutes = 3\nsteps_per_minute = 60\n'
        'look_back_every = 20\nlook_back = "stop"\n'
    )
    from_file = json.loads(runner.invoke(main, ["show", "--json", "--preset", str(preset)]).stdout)
    assert [e["kind"] for e in from_file["events"]].count("stop") >= 4
    config = tmp_path / "pacer-config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text('[defaults]\nlook_back = "stop"\n')
    from_config = json.loads(runner.invoke(main, args).stdout)
    assert [e["kind"] for e in from_config["events"]] == kinds
    # ... and the command line still wins.
    walking = json.loads(runner.invoke(main, [*args, "--look-back", "walk"]).stdout)
    assert walking["events"] == plain["events"]


def test_a_bad_look_back_is_one_line_naming_what_is_allowed(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", "--look-back", "run"])
    assert result.exit_code == 2
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert "'run'" in result.output and "walk" in result.output and "stop" in result.output
    preset = tmp_path / "bad.toml"
    preset.write_text(
        '[[phases]]\nname = "walk"\nminutes = 3\nsteps_per_minute = 60\nlook_back = "run"\n'
    )
    result = CliRunner().invoke(main, ["show", "--preset", str(preset)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "bad.toml" in result.output and "look_back" in result.output


def test_look_backs_too_close_to_stop_between_are_refused_in_one_line() -> None:
    result = CliRunner().invoke(
        main, ["show", "--look-back", "stop", "--look-back-every", "2", "--minutes", "1"]
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pacer: error: --look-back-every: 2 steps")
    assert "allowed is 9 or more" in lines[0]


def test_stopping_to_look_back_with_no_look_backs_is_refused() -> None:
    result = CliRunner().invoke(main, ["show", "--look-back", "stop", "--no-look-back"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "give one, not both" in lines[0]


def test_render_says_how_many_beats_are_heard_when_some_steps_rest(tmp_path: Path) -> None:
    out = tmp_path / "walk.wav"
    args = ["render", str(out), "--look-back", "stop", "--minutes", "1", "--rate", "8000"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    session = stopping(backward(minutes=1, sample_rate=RATE))
    heard = len(list(pacer.beats(session)))
    steps = sum(s.beat_count for s in pacer.cadence.layout(session))
    assert heard < steps
    assert f"{steps} steps, {heard} beats heard" in result.stdout


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.integers(1, 12),
    spm=st.sampled_from([50, 55, 60, 63, 66]),
    every=st.integers(12, 40),
)
def test_no_cue_shortens_a_stop_and_look(minutes: int, spm: float, every: int) -> None:
    """Found from outside: --look-back stop --minutes 2 said "halfway" at 1:03.0 and
    pushed "look left" to 1:04.0, leaving 4 s of the rest to look instead of 5. Every
    look cue now comes on the beat after its "stop", and no other cue sounds from
    "stop" to the end of "walk on": one that would is moved after it."""
    try:
        session = stopping(backward(minutes=minutes, steps_per_minute=spm, look_back_every=every))
    except SettingsError:
        return  # too close together for a stop-and-look: refused, tested above
    prepared = pacer.prepare(session)
    cues = prepared.schedule.cues
    step = round(60 / spm * session.sample_rate)
    own = ("stop", "look_left", "look_right", "walk_on")
    for n, cue in enumerate(cues):
        if cue.kind != "stop":
            continue
        rest = [c for c in cues[n + 1 :] if c.kind in own and c.sample > cue.sample][:2]
        if len(rest) < 2:
            continue
        side, walk_on = rest
        assert side.kind in ("look_left", "look_right") and side.sample == side.wanted
        assert abs(side.sample - cue.sample - step) <= 1, (cue, side)
        ends = walk_on.sample + prepared.schedule.sounding(walk_on)
        others = [c for c in cues if c.kind not in own and cue.sample <= c.sample < ends]
        assert not others, (cue, walk_on, others)
