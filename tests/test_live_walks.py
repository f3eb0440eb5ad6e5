"""Every programme walks live to its end: random sessions (stretches, glides, short
phases, a stretch first or last) under random commands at random moments, pulled in
random block sizes, give exactly the samples of an offline render of what was walked."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from walkcheck import main_walk_heard

import pacer
from pacer import Phase, Session
from pacer.live import Played, Walk, press, render_played
from pacer.presets import back_pain, backward

RATE = 8000


@st.composite
def phases(draw: st.DrawFn, index: int) -> Phase:
    kind = draw(st.sampled_from(["walk", "glide", "stretch", "warm-up", "cool-down"]))
    # tiny phases (a second or two, the shortest allowed) as often as longer ones
    seconds = draw(
        st.sampled_from([1.0, 1.25, 2.0, 3.0]) | st.floats(1, 45).map(lambda x: round(x, 2))
    )
    name = f"{kind} {index}"
    if kind == "stretch":
        announce = draw(st.sampled_from([(), ("stretch",), ("water",)]))
        if announce == ("stretch",):  # a held stretch: held 15-20 s, a side, position time
            return Phase(
                name,
                draw(st.floats(15, 20).map(lambda x: round(x, 2))),
                None,
                kind="stretch",
                countdown=draw(st.integers(0, 3)),
                announce=announce,
                side=draw(st.sampled_from([None, "left", "right"])),
                position=draw(st.sampled_from([None, 0.0, 2.5])),
            )
        return Phase(
            name,
            seconds,
            None,
            kind="stretch",
            countdown=draw(st.integers(0, 3)),
            announce=announce,
        )
    spm = draw(st.floats(30, 180).map(lambda x: round(x, 1)))
    ramp = draw(st.floats(30, 180).map(lambda x: round(x, 1))) if kind == "glide" else None
    return Phase(
        name,
        seconds,
        spm,
        ramp_to=ramp,
        kind="walk" if kind == "glide" else kind,
        look_back_every=draw(st.none() | st.integers(2, 12)),
        halfway=draw(st.booleans()),
        posture_every=draw(st.none() | st.just(30.0)),
        turn_around_every=draw(st.none() | st.integers(4, 20)),
        countdown=draw(st.integers(0, 2)),
    )


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    count = draw(st.integers(1, 4))
    return Session(
        phases=tuple(draw(phases(i)) for i in range(count)),
        sample_rate=RATE,
        lead_in=draw(st.sampled_from([0.0, 0.5, 2.0])),
        sound=draw(st.sampled_from(["wood", "click"])),
        # spoken, as a walker hears it (words fit stretches; an end cuts words short)
        voice=draw(st.sampled_from(["none", "en"])),
    )


COMMANDS = ["space", "up", "down", "right", "left", "pause", "resume", "set", "q", "d"]


@dataclass(frozen=True)
class Step:
    at: int  # output sample at or after which the command is given
    what: str
    value: float = 60.0


PRE_ROLLS = st.shared(st.sampled_from([0.0, 0.3, 1.0]), key="pre_roll")
SESSIONS = st.shared(sessions(), key="session")


@st.composite
def scripts(draw: st.DrawFn, session: Session, pre_roll: float) -> list[Step]:
    """Commands at random moments, and as often at the moments that are easy to get
    wrong: the pre-roll, on or just after a beat (inside its sound), the last beats,
    around a phase boundary, on every cue (the start, "hold", each count of a
    countdown, "release", the end), anywhere in a hold; one to three commands at the
    same moment (fast key presses)."""
    pre = round(pre_roll * RATE)
    prepared = pacer.prepare(session)  # its stretches as long as they are said
    spans = pacer.cadence.layout(prepared.session)
    every_beat = [b.sample for b in pacer.beats(prepared.session)]
    beat_at = [pre + s for s in every_beat[:400] + every_beat[-3:]]
    edges = [pre + e for s in spans for e in (s.start, s.end)]
    edges += [pre + c.sample for c in prepared.schedule.cues]
    holds = [
        (
            pre + s.start + round(s.phase.hold_from * RATE),
            pre + s.start + round(s.phase.hold_until * RATE),
        )
        for s in spans
        if s.phase.hold_from is not None and s.phase.hold_until is not None
    ]
    near = st.sampled_from([-1, 0, 1]) | st.integers(2, 2500)
    moment = st.one_of(
        st.integers(0, 200 * RATE),
        st.integers(0, 3 * RATE),
        st.builds(lambda at, by: max(0, at + by), st.sampled_from(edges), st.integers(-RATE, RATE)),
        st.builds(lambda at, by: max(0, at + by), st.sampled_from(edges), near),
        *(
            [st.builds(lambda at, by: max(0, at + by), st.sampled_from(beat_at), near)]
            if beat_at
            else []
        ),
        *(
            [st.sampled_from(holds).flatmap(lambda hold: st.integers(hold[0], hold[1]))]
            if holds
            else []
        ),
    )
    steps = []
    for _ in range(draw(st.integers(0, 8))):
        at = draw(moment)
        for _ in range(draw(st.integers(1, 3))):
            what = draw(st.sampled_from(COMMANDS))
            steps.append(Step(at, what, draw(st.floats(30, 180).map(lambda x: round(x, 1)))))
    return sorted(steps, key=lambda s: s.at)


script = st.tuples(SESSIONS, PRE_ROLLS).flatmap(lambda sp: scripts(*sp))


def give(walk: Walk, step: Step) -> None:
    if step.what == "pause":
        walk.pause()
    elif step.what == "resume":
        walk.resume()
    elif step.what == "set":
        walk.set_steps_per_minute(step.value)
    else:
        press(walk, step.what)


def walk_to_the_end(
    walk: Walk, steps: list[Step], sizes: list[int], service: bool = False
) -> np.ndarray:
    """Pull until the walk is finished, giving each command once the walk has reached
    its moment; a walk left paused is resumed, as a walker would. With ``service``,
    the walk is looked after before every pull, as a player does a few times a
    second (else only when a command comes)."""
    pieces = []
    out = 0
    pending = list(steps)
    i = 0
    # Far beyond any walk the strategies make: the walk, and pauses as long as it.
    far = 2 * pacer.prepare(walk.session).schedule.length + 1000 * RATE
    while out < far:
        while pending and pending[0].at <= out:
            give(walk, pending.pop(0))
        if service:
            walk.service()
        if not pending and walk.status().paused:
            walk.resume()
        block = walk.pull(sizes[i % len(sizes)])
        pieces.append(block)
        out += len(block)
        i += 1
        if walk.finished:
            break
    assert walk.finished, "the walk never ended"
    return np.concatenate(pieces)


def heard_beats(played: tuple[Played, ...], frames: int) -> list[tuple[int, int, str]]:
    """(output sample, step, foot) of every beat the walk's plans started."""
    heard = []
    for item in played:
        if item.session is None:
            continue
        for beat in pacer.beats(item.session):
            if item.cut is not None and beat.sample >= item.cut:
                break
            if item.at + beat.sample < frames:
                heard.append((item.at + beat.sample, beat.step, beat.foot))
    return heard


def _two(pace: float, second: Phase, lead_in: float = 0.0) -> Session:
    """2 s of walking at ``pace``, then ``second``."""
    return Session(phases=(Phase("walk 0", 2.0, pace), second), sample_rate=RATE, lead_in=lead_in)


# Cases once found, pulled in blocks of 1 and 4096: (session, commands, pre-roll).
EARLY = [
    # Two tempo keys at once at the very start, the first beat's rest of phase too
    # short to keep: the second re-plan waited behind the first, and the status
    # counted a beat the walk never played (heard [0], status 2 steps).
    (_two(40, Phase("walk 1", 1.0, 30.0)), [Step(1, "up"), Step(1, "up"), Step(8196, "q")], 0.0),
    # The same keys before a lead-in, then q inside the first beat's sound: the end
    # moved the first plan's cut later, past a beat a re-plan had taken over.
    (
        _two(40, Phase("walk 1", 1.0, 30.0), lead_in=0.5),
        [Step(0, "up"), Step(1, "up"), Step(8196, "q")],
        1.0,
    ),
    # Two tempo keys and a pause at once: the plan heard had nothing more to sound
    # before the re-plan's beat, and the pause left its record saying it was heard on.
    (
        _two(30, Phase("stretch 1", 1.0, None, kind="stretch")),
        [Step(0, "up"), Step(1, "up"), Step(2, "space")],
        0.0,
    ),
]


def early_cases(test: Any) -> Any:
    for session, steps, pre_roll in EARLY:
        test = example(
            session=session, steps=steps, sizes=[1, 4096], pre_roll=pre_roll, service=False
        )(test)
    return test


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    session=SESSIONS,
    steps=script,
    sizes=st.lists(st.sampled_from([1, 2, 64]) | st.integers(1, 5000), min_size=1, max_size=6).map(
        lambda s: [*s, 4096]
    ),
    pre_roll=PRE_ROLLS,
    service=st.booleans(),
)
@early_cases
def test_any_session_under_any_commands_walks_to_its_end_as_rendered(
    session: Session, steps: list[Step], sizes: list[int], pre_roll: float, service: bool
) -> None:
    walk = Walk(session, pre_roll=pre_roll, keep_alive=False)
    out = walk_to_the_end(walk, steps, sizes, service)
    played = walk.played()
    assert np.array_equal(out, render_played(session, played, len(out)))
    # No beat doubled or skipped across the re-plans: steps are numbered one after
    # another, later and later, left foot first.
    heard = heard_beats(played, len(out))
    assert [step for _, step, _ in heard] == list(range(len(heard)))
    assert all(a[0] < b[0] for a, b in itertools.pairwise(heard))
    assert all(foot == ("left" if step % 2 == 0 else "right") for _, step, foot in heard)
    # A pause or an early end starts nothing more of the walk until it resumes.
    for tune in (item for item in played if item.tune is not None):
        for plan in (p for p in played if p.session is not None and p.at <= tune.at):
            assert plan.session is not None
            later = pacer.prepare(plan.session).schedule.events(tune.at - plan.at, plan.cut)
            assert next(iter(later), None) is None, "the walk went on during a pause"
    status = walk.status()
    assert status.finished
    assert status.steps == len(heard)
    # What is recorded is what was walked: the main walk's time and its first and
    # last paces, as the plans played say.
    walked = walk.walked()
    samples, paces = main_walk_heard(walk.session, played)
    assert walked.main_seconds == samples / RATE
    assert walked.steps_per_minute_start == (paces[0] if paces else None)
    assert walked.steps_per_minute_end == (paces[-1] if paces else None)
    assert (walked.seconds, walked.steps) == (status.elapsed, status.steps)
    assert (walked.ended_early, walked.dizzy) == (status.ended_early, status.dizzy)
    # (held stretches last as long as their words, position time, hold and release)
    planned = sum(p.seconds for p in walk.session.phases)
    assert 0 <= status.elapsed <= planned + 1e-9
    if not status.ended_early:  # all of it walked, less what a resume skips (< 1 s each)
        pauses = sum(1 for p in played if p.tune == "pause")
        assert status.elapsed >= planned - pauses - 1e-9
    _glides_still(session, played, steps)


STRETCH_FIRST_AND_LAST = """
title = "stretches around a walk"

[[phases]]
name = "calf stretch"
kind = "stretch"
seconds = 20
countdown = 3
announce = ["stretch"]
side = "left"
position = 2.5

[[phases]]
name = "walk"
kind = "walk"
minutes = 1
steps_per_minute = 100
halfway = true
look_back_every = 8

[[phases]]
name = "lower back stretch"
kind = "stretch"
seconds = 20
countdown = 3
announce = ["stretch"]
"""


@pytest.fixture(scope="module")
def stretch_first_and_last(tmp_path_factory: pytest.TempPathFactory) -> Session:
    """A preset file whose first and last phases are held stretches, as pacer reads it."""
    from pacer.config import load_preset

    path = tmp_path_factory.mktemp("presets") / "stretch-ends.toml"
    path.write_text(STRETCH_FIRST_AND_LAST)
    session = load_preset(str(path))
    assert not session.phases[0].has_beat and not session.phases[-1].has_beat
    return session.with_changes(sample_rate=RATE)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    programme=st.sampled_from(["backward", "back-pain", "stretch first and last"]),
    voice=st.sampled_from(["none", "en"]),
    pre_roll=st.sampled_from([0.0, 1.0]),
    sizes=st.lists(st.integers(256, 5000), min_size=1, max_size=3).map(lambda s: [*s, 4096]),
)
def test_every_programme_walks_to_its_end_under_any_commands(
    stretch_first_and_last: Session,
    data: st.DataObject,
    programme: str,
    voice: str,
    pre_roll: float,
    sizes: list[int],
) -> None:
    # Both built-in presets and a preset file, whole: commands in the pre-roll, in
    # holds, on each count of a countdown, on phase boundaries, in the last beats.
    session = {
        "backward": lambda: backward(minutes=1, sample_rate=RATE),
        "back-pain": lambda: back_pain(minutes=1, sample_rate=RATE),
        "stretch first and last": lambda: stretch_first_and_last,
    }[programme]().with_changes(voice=voice)
    steps = data.draw(scripts(session, pre_roll))
    walk = Walk(session, pre_roll=pre_roll, keep_alive=False)
    out = walk_to_the_end(walk, steps, sizes, service=True)
    played = walk.played()
    assert np.array_equal(out, render_played(session, played, len(out)))
    heard = heard_beats(played, len(out))
    assert [step for _, step, _ in heard] == list(range(len(heard)))
    status = walk.status()
    assert status.finished and status.steps == len(heard)
    if not any(s.what in ("q", "d") for s in steps):
        assert not status.ended_early  # walked to its end, however paused and nudged
    walked = walk.walked()
    samples, paces = main_walk_heard(walk.session, played)
    assert walked.main_seconds == samples / RATE
    assert walked.steps_per_minute_end == (paces[-1] if paces else None)


def test_both_built_in_programmes_walk_live_to_their_end() -> None:
    for session in (back_pain(minutes=1, sample_rate=RATE), backward(minutes=1, sample_rate=RATE)):
        walk = Walk(session, pre_roll=0.5, keep_alive=False)
        out = walk_to_the_end(walk, [], [4096, 333])
        pre = round(0.5 * RATE)
        expected = np.concatenate(list(pacer.blocks(session, 4096)))
        assert np.array_equal(out[pre : pre + len(expected)], expected)
        status = walk.status()
        assert status.finished and not status.ended_early
        assert status.steps == sum(s.beat_count for s in pacer.cadence.layout(walk.session))
        spans = pacer.cadence.layout(walk.session)
        assert status.elapsed == (spans[-1].end - spans[0].start) / RATE


def _pull_to(walk: Walk, seconds: float) -> None:
    """Pull until the walk's output clock reaches ``seconds``."""
    target = round(seconds * RATE)
    while walk._out < target:
        walk.pull(min(4000, target - walk._out))


def test_during_a_stretch_the_status_names_it_and_a_tempo_key_changes_the_next_walk() -> None:
    from pacer.cli import _status_line

    session = back_pain(minutes=1, sample_rate=RATE)
    walk = Walk(session, pre_roll=0, keep_alive=False)
    spans = pacer.cadence.layout(walk.session)  # the walk's stretches fitted to their words
    chest = spans[1]
    assert chest.phase.name == "chest stretch" and not chest.phase.has_beat
    assert chest.phase.hold_from is not None
    hold_start = chest.start + round(chest.phase.hold_from * RATE)
    _pull_to(walk, (hold_start - 2 * RATE) / RATE)  # 2 s before the hold
    status = walk.status()
    place = status.place
    assert (place.phase, place.stretch, place.left) == ("chest stretch", "position", 2)
    assert "chest stretch: get into position, the hold begins in 2 s" in _status_line(
        status, None, "t", 200
    )
    _pull_to(walk, (hold_start + 8 * RATE) / RATE)  # 8 s into a 20 s hold
    status = walk.status()
    place = status.place
    assert (place.phase, place.kind, place.left) == ("chest stretch", "stretch", 12)
    assert place.stretch == "hold" and place.side is None
    assert status.steps_per_minute is None
    assert (place.next_walk, place.next_steps_per_minute) == ("walk", 100)
    line = _status_line(status, status.steps_per_minute, "test", 200)
    assert "chest stretch: hold, 12 s left | then walk at 100 steps/min" in line
    press(walk, "up")  # during the hold: the next walking phase gets faster
    status = walk.status()
    assert status.place.next_steps_per_minute == 101 and status.steps_per_minute is None
    assert "then walk at 101 steps/min" in _status_line(status, None, "test", 200)
    walk.pull(400)
    assert walk.status().place.next_steps_per_minute == 101
    main = spans[walk.session.main_index or 0]
    assert main.phase.name == "walk"
    _pull_to(walk, (main.start + 5 * RATE) / RATE)
    assert walk.status().steps_per_minute == 101
    # The hold kept its length: the walk began where the programme says.
    heard = heard_beats(walk.played(), walk._out)
    first_walk_beat = next(s for s, step, _ in heard if s >= chest.end)
    assert first_walk_beat == main.start


def test_a_pause_during_a_hold_pauses_the_hold() -> None:
    session = back_pain(minutes=1, sample_rate=RATE)
    walk = Walk(session, pre_roll=0, keep_alive=False)
    spans = pacer.cadence.layout(walk.session)
    chest, main = spans[1], spans[walk.session.main_index or 0]
    assert chest.phase.hold_from is not None
    _pull_to(walk, (chest.start + round(chest.phase.hold_from * RATE) + 5 * RATE) / RATE)
    walk.pause()
    _pull_to(walk, walk._out / RATE + 30)  # 30 s paused
    status = walk.status()
    assert status.paused and status.place.phase == "chest stretch" and status.place.left == 15
    assert status.place.stretch == "hold"
    walk.resume()
    walk.pull(400)
    # The hold goes on for its 15 s after the resume lead; the walk begins that much
    # later than planned: exactly the pause and the lead later.
    paused_for = 30 * RATE + round(pacer.live.RESUME_LEAD_SECONDS * RATE)
    _pull_to(walk, (main.start + paused_for + 2 * RATE) / RATE)
    heard = heard_beats(walk.played(), walk._out)
    first_walk_beat = next(s for s, _, _ in heard if s >= chest.end)
    assert first_walk_beat == main.start + paused_for
    assert walk.status().steps_per_minute == 100


def test_the_audio_thread_makes_nothing_new(monkeypatch: pytest.MonkeyPatch) -> None:
    # A spoken walk with every kind of command: the re-plans, their timelines, their
    # mixers and their speech are made when the command is given; pull() only plays.
    import pacer.live as live
    import pacer.voice as voice

    session = back_pain(minutes=1, sample_rate=RATE).with_changes(voice="en")
    walk = Walk(session, pre_roll=0.5, keep_alive=True)

    def made_on_the_audio_thread(*args: object, **kw: object) -> None:
        raise AssertionError("pull() made something new")

    def pull_only(seconds: float) -> None:
        with monkeypatch.context() as patch:
            for name in ("rest_of", "Mixer", "prepare", "tune_audio", "_Track", "layout"):
                patch.setattr(live, name, made_on_the_audio_thread)
            patch.setattr(voice, "_clip_audio", made_on_the_audio_thread)
            patch.setattr(voice, "_read_recording", made_on_the_audio_thread)
            patch.setattr(voice.Prepared, "again", made_on_the_audio_thread)
            _pull_to(walk, walk._out / RATE + seconds)

    for command in ["up", "right", "space", "space", "down", "space", "space", "up"] * 4:
        press(walk, command)
        walk.status()  # the player's regular look (it makes again what had to wait)
        pull_only(9)
    walk.stop()
    for _ in range(200):
        if walk.finished:
            break
        pull_only(0.5)
    assert walk.finished and walk.status().ended_early


def test_no_pull_allocates_more_than_its_block_in_a_whole_walk() -> None:
    """The audio thread never makes a whole sound: a spoken back-pain walk at 22 050 Hz,
    walked to its end with tempo keys and pauses (each a re-plan), in varied block
    sizes, allocates at most a few blocks' worth in any one pull (a spoken line in
    stereo is hundreds of blocks), the block filled being the engine's own."""
    import tracemalloc

    rate = 22050
    walk = Walk(back_pain(minutes=1, sample_rate=rate).with_changes(voice="en"), pre_roll=0.5)
    order = [256, 1024, 4096, 441, 2048, 3000, 512]
    sizes = itertools.cycle(order)
    buffers = {n: np.zeros((n, 2), dtype=np.float32) for n in order}
    commands = iter(["up", "right", "space", "space", "down", "space", "space", "left"] * 3)
    worst: dict[int, int] = {}
    next_command = 5 * rate
    tracemalloc.start()
    try:
        while not walk.finished:
            if walk._out >= next_command:
                command = next(commands, None)
                if command is not None:
                    press(walk, command)
                    walk.status()  # the player's regular look (it makes again what waited)
                next_command += 9 * rate
            out = buffers[next(sizes)]
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            walk.pull_into(out)
            peak = tracemalloc.get_traced_memory()[1] - before
            worst[len(out)] = max(worst.get(len(out), 0), peak)
    finally:
        tracemalloc.stop()
    assert not walk.status().ended_early  # walked to its end
    for frames, peak in worst.items():
        assert peak <= 4 * frames * 8 + 32 * 1024, (frames, peak)


@pytest.mark.parametrize("order", ["tempo, then pause", "pause, then tempo"])
def test_a_tempo_key_and_a_pause_in_a_hold_keep_the_hold_and_change_the_walk(
    order: str,
) -> None:
    walk = Walk(back_pain(minutes=1, sample_rate=RATE), pre_roll=0, keep_alive=False)
    spans = pacer.cadence.layout(walk.session)  # its stretches as long as they are said
    chest, main = spans[1], spans[7]
    _pull_to(walk, (chest.start + 5 * RATE) / RATE)
    if order.startswith("tempo"):
        walk.change_tempo(1)
        walk.pull(400)
        walk.pause()
    else:
        walk.pause()
        walk.pull(400)
        walk.change_tempo(1)
    for _ in range(5):  # paused 10 s, the player looking in now and then
        walk.status()
        walk.pull(2 * RATE)
    status = walk.status()
    assert status.paused and status.place.phase == "chest stretch"
    walk.resume()
    walk.pull(400)
    assert walk.status().place.phase == "chest stretch"  # the hold goes on
    # The walk begins later by exactly the pause and the resume lead, at 101 steps/min.
    pause_start = chest.start + 5 * RATE + (400 if order.startswith("tempo") else 0)
    resumed = chest.start + 5 * RATE + 400 + 10 * RATE
    shift = resumed - pause_start + round(pacer.live.RESUME_LEAD_SECONDS * RATE)
    _pull_to(walk, (main.start + shift + 3 * RATE) / RATE)
    heard = heard_beats(walk.played(), walk._out)
    assert next(s for s, _, _ in heard if s >= chest.end) == main.start + shift
    assert walk.status().steps_per_minute == 101


def _glides_still(session: Session, played: tuple[Played, ...], steps: list[Step]) -> None:
    """Every glide of ``session`` still glides in every plan the walk played: its end
    pace differs from its start and its beats' intervals change one way only (within a
    sample of rounding). Checked for the glides no command of ``steps`` can have pushed
    against a pace limit (a glide shifted past one is held there, flat)."""
    spm = pacer.session.LIMITS["steps_per_minute"]
    # A command's pace is a pace of the walk or one set, moved by every key at most.
    paces = [p.steps_per_minute for p in session.phases if p.steps_per_minute is not None]
    paces += [p.ramp_to for p in session.phases if p.ramp_to is not None]
    paces += [s.value for s in steps if s.what == "set"]
    if not paces:
        return  # no glide
    lowest = min(paces) - sum(
        5 if s.what == "left" else 1 for s in steps if s.what in ("left", "down")
    )
    highest = max(paces) + sum(
        5 if s.what == "right" else 1 for s in steps if s.what in ("right", "up")
    )
    glides = {
        p.name: p.ramp_to - p.steps_per_minute
        for p in session.phases
        if p.ramp_to is not None and p.steps_per_minute is not None
        if p.ramp_to != p.steps_per_minute
        if lowest - abs(p.ramp_to - p.steps_per_minute) > spm.low
        if highest + abs(p.ramp_to - p.steps_per_minute) < spm.high
    }
    for item in played:
        if item.session is None:
            continue
        for index, phase in enumerate(item.session.phases):
            if phase.name not in glides or phase.steps_per_minute is None:
                continue
            if phase.elapsed > 0:
                continue  # the rest of a glide begun: near its end it may have none left
            end = phase.end_steps_per_minute
            assert end is not None
            assert phase.ramp_to is not None, f"{phase.name} no longer glides"
            assert (end - phase.steps_per_minute) * glides[phase.name] > 0, phase.name
            at = [b.sample for b in pacer.beats(item.session) if b.phase == index]
            gaps = np.diff(at)
            if len(gaps) < 2:
                continue
            change = np.diff(gaps) * (-1 if glides[phase.name] > 0 else 1)
            assert (change >= -2).all(), f"{phase.name}: its beats do not glide"


@st.composite
def boundary_keys(draw: st.DrawFn, session: Session) -> list[Step]:
    """Tempo keys at phase boundaries (just before, on, just after), in holds and in
    the last moments of a phase."""
    spans = pacer.cadence.layout(session)
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        span = draw(st.sampled_from(spans))
        moments = [span.start, span.end, span.end - RATE, span.end - RATE // 4, span.start + 1]
        if span.phase.hold_from is not None:
            moments.append(span.start + round(span.phase.hold_from * RATE) + RATE)
        at = max(0, draw(st.sampled_from(moments)))
        key = draw(st.sampled_from(["up", "down", "right", "left"]))
        steps.append(Step(at, key, draw(st.floats(30, 180).map(lambda x: round(x, 1)))))
    return sorted(steps, key=lambda s: s.at)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), session=sessions())
def test_a_tempo_key_anywhere_leaves_every_later_glide_gliding(
    data: st.DataObject, session: Session
) -> None:
    steps = data.draw(boundary_keys(session))
    walk = Walk(session, pre_roll=0.0, keep_alive=False)
    out = walk_to_the_end(walk, steps, [4096, 777])
    played = walk.played()
    assert np.array_equal(out, render_played(session, played, len(out)))
    _glides_still(session, played, steps)


@pytest.mark.parametrize("dizzy", [False, True])
def test_a_walk_stopped_after_all_its_time_has_played_is_complete(dizzy: bool) -> None:
    session = backward(minutes=1, sample_rate=RATE)
    walk = Walk(session, pre_roll=0.0, keep_alive=False)
    spans = pacer.cadence.layout(walk.session)
    _pull_to(walk, spans[-1].end / RATE)  # every step played; its last words ring on
    assert not walk.status().finished
    walk.dizzy() if dizzy else walk.stop()
    walk_to_the_end(walk, [], [4096])
    status = walk.status()
    assert status.finished and not status.ended_early
    assert status.steps == sum(s.beat_count for s in spans)


def test_a_walk_stopped_a_moment_before_its_end_ended_early() -> None:
    session = backward(minutes=1, sample_rate=RATE)
    walk = Walk(session, pre_roll=0.0, keep_alive=False)
    _pull_to(walk, pacer.cadence.layout(walk.session)[-1].end / RATE - 0.5)
    walk.stop()
    walk_to_the_end(walk, [], [4096])
    assert walk.status().ended_early


def test_a_walk_ending_on_a_stretch_knows_the_pace_walked_last() -> None:
    session = back_pain(minutes=1, sample_rate=RATE)
    assert not session.phases[-1].has_beat  # it ends on a stretch
    walk = Walk(session, pre_roll=0.0, keep_alive=False)
    walk_to_the_end(walk, [], [4096])
    last = [p for p in session.phases if p.has_beat][-1]
    assert walk.status().steps_per_minute is None
    assert walk.last_steps_per_minute == last.end_steps_per_minute


def test_quick_presses_of_space_in_a_hold_never_pile_up_resume_leads() -> None:
    from pacer.cli import _status_line

    walk = Walk(back_pain(minutes=1, sample_rate=RATE), pre_roll=0, keep_alive=False)
    chest = pacer.cadence.layout(walk.session)[1]
    assert chest.phase.hold_from is not None
    _pull_to(walk, (chest.start + round(chest.phase.hold_from * RATE) + 2 * RATE) / RATE)
    for _ in range(10):  # ten presses in half a second
        press(walk, "space")
        walk.status()
        walk.pull(RATE // 20)
    status = walk.status()
    assert not status.paused and status.resuming
    assert _status_line(status, None, "t", 200).startswith("RESUMING ")
    frozen = status.place.left
    lead = round(pacer.live.RESUME_LEAD_SECONDS * RATE)
    # The rest of the resume lead (the last press resumed, half a tenth ago): the hold
    # goes on after it, not after five of them.
    walk.pull(lead - RATE // 20)
    assert walk.status().place.left == frozen and not walk.status().resuming
    walk.pull(RATE)
    assert walk.status().place.left == frozen - 1


def test_a_tempo_key_while_paused_in_a_walk_shows_at_once() -> None:
    from pacer.cli import _status_line

    walk = Walk(backward(minutes=1, sample_rate=RATE), pre_roll=0, keep_alive=False)
    _pull_to(walk, 5)
    walk.pause()
    walk.pull(400)
    for key, pace in [("up", 61), ("right", 66), ("left", 61)]:
        press(walk, key)
        status = walk.status()
        assert status.paused and status.steps_per_minute == pace
        assert f"{pace} steps/min" in _status_line(status, status.steps_per_minute, "t", 200)
        walk.pull(400)
        assert walk.status().steps_per_minute == pace


def test_a_hold_is_counted_down_to_1_as_a_timer_is() -> None:
    from pacer.cli import _status_line

    walk = Walk(back_pain(minutes=1, sample_rate=RATE), pre_roll=0, keep_alive=False)
    chest = pacer.cadence.layout(walk.session)[1]
    shown: dict[str, list[str]] = {}
    while walk._out < chest.end:
        walk.pull(RATE // 10)
        status = walk.status()
        if status.place.phase == "chest stretch":
            line = _status_line(status, None, "t", 200).split(" | ")[2]
            said = shown.setdefault(status.place.stretch or "", [])
            if not said or said[-1] != line:
                said.append(line)
    assert chest.phase.hold_from is not None and chest.phase.hold_until is not None
    hold = round(chest.phase.hold_until - chest.phase.hold_from)
    assert shown["hold"] == [f"chest stretch: hold, {n} s left" for n in range(hold, 0, -1)]
    # Getting into position counts down to the hold, the stretch's words included.
    position = round(chest.phase.hold_from)
    assert shown["position"] == [
        f"chest stretch: get into position, the hold begins in {n} s"
        for n in range(position, 0, -1)
    ]
    assert shown["release"] == ["chest stretch: release"]
