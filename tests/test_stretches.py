"""Stretches done properly: one-sided stretches held on each side in turn; before each
hold, which stretch, which leg, "get into position" and how, then time to get there;
the hold lasts exactly its seconds, from "hold" to "release"; holds as the guidance
says; minutes left in the back-pain walk say what they count."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pacer
from pacer import Phase, Session
from pacer.cadence import layout
from pacer.config import PresetError, load_preset, preset_toml, session_from
from pacer.cues import HOW
from pacer.live import Walk, press
from pacer.presets import ONE_SIDED, BackPainPlan, back_pain, backward
from pacer.timeline import GAP_SECONDS

RATE = 8000


@pytest.fixture(autouse=True)
def own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PACER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "config"


def check_every_hold(prepared: pacer.voice.Prepared) -> int:
    """The facts of every held stretch of a prepared walk; the number of holds."""
    session = prepared.session
    rate = session.sample_rate
    gap = round(GAP_SECONDS * rate)
    beat_samples = [b.sample for b in prepared.schedule.events() if isinstance(b, pacer.Beat)]
    held = 0
    for span in layout(session):
        phase = span.phase
        if not phase.holds:
            continue
        held += 1
        cues = [
            c
            for c in prepared.schedule.cues
            if c.phase == span.index and c.kind not in ("start", "end")
        ]
        kinds = [c.kind for c in cues]
        assert kinds == ["stretch", "hold", *["count"] * phase.countdown, "release"]
        intro, hold, release = cues[0], cues[1], cues[-1]
        # Which stretch and side, said as the phase starts.
        assert intro.sample == span.start
        assert intro.value == {None: None, "left": 0, "right": 1}[phase.side]
        # Then the time to get into position, counted from the end of the words.
        words_end = intro.sample + prepared.schedule.sounding(intro)
        assert hold.sample - words_end == max(round(phase.position_seconds * rate), gap)
        # The hold lasts its seconds exactly, from "hold" to "release".
        assert release.sample - hold.sample == round(phase.hold_seconds * rate)
        counts = [c for c in cues if c.kind == "count"]
        assert [(c.value, c.sample) for c in counts] == [
            (n, release.sample - n * rate) for n in range(phase.countdown, 0, -1)
        ]
        # "Release" is heard whole before the next phase; no beat in a hold.
        assert release.sample + prepared.schedule.sounding(release) + gap == span.end
        assert not [s for s in beat_samples if span.start <= s < span.end]
        # Nothing was moved: every cue of the stretch is where it was wanted.
        assert all(c.wanted == c.sample for c in cues)
    return held


def test_one_sided_stretches_are_held_left_leg_then_right_leg() -> None:
    session = back_pain()
    sides: dict[str, list[str | None]] = {}
    for phase in session.phases:
        if phase.holds:
            sides.setdefault(phase.name, []).append(phase.side)
    for name, held in sides.items():
        assert held == (["left", "right"] if name in ONE_SIDED else [None])
    assert set(ONE_SIDED) <= set(sides)
    words = pacer.prepare(session.with_changes(voice="en"))
    said = [words.words(c) for c in words.schedule.cues if c.kind == "stretch"]
    calf = [w for w in said if w.startswith("Calf stretch")]
    assert calf == [
        "Calf stretch. Left leg. Get into position. Stand, one foot forward, front knee "
        "slightly bent; press back through the rear heel.",
        "Calf stretch. Right leg. Get into position. Stand, one foot forward, front knee "
        "slightly bent; press back through the rear heel.",
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    preset=st.sampled_from(["back-pain", "backward"]),
    voice=st.sampled_from(["en", "zh", "none"]),
    position=st.sampled_from([0.0, 0.05, 2.5, 5.0, 12.0, 60.0]),
    hold_before=st.sampled_from([15.0, 22.5, 30.0]),
    hold_after=st.sampled_from([15.0, 17.3, 20.0]),
    rate=st.sampled_from([8000, 22050, 44100]),
)
def test_every_hold_of_every_preset_lasts_its_seconds_after_time_to_get_into_position(
    preset: str, voice: str, position: float, hold_before: float, hold_after: float, rate: int
) -> None:
    options: dict[str, object] = {"sample_rate": rate, "voice": voice}
    if preset == "back-pain":
        plan = BackPainPlan(hold_before=hold_before, hold_after=hold_after, position=position)
        session = back_pain(plan=plan, sample_rate=rate).with_changes(voice=voice)
    else:
        session = session_from(preset, config=False, position=position, **options)
    held = check_every_hold(pacer.prepare(session))
    assert held == (13 if preset == "back-pain" else 0)


@st.composite
def stretches(draw: st.DrawFn, index: int, after: bool) -> Phase:
    return Phase(
        draw(st.sampled_from([*HOW, "my own stretch"])),
        draw(st.floats(15, 20 if after else 30).map(lambda x: round(x, 3))),
        None,
        kind="stretch",
        countdown=draw(st.integers(0, 10)),
        announce=("stretch",),
        side=draw(st.sampled_from([None, "left", "right"])),
        position=draw(st.none() | st.floats(0, 60).map(lambda x: round(x, 2))),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), voice=st.sampled_from(["en", "zh", "none"]))
def test_every_stretch_phase_holds_exactly_whatever_it_is(data: st.DataObject, voice: str) -> None:
    before = [data.draw(stretches(i, after=False)) for i in range(data.draw(st.integers(0, 3)))]
    after = [data.draw(stretches(i, after=True)) for i in range(data.draw(st.integers(0, 3)))]
    walk = Phase("walk", 60, data.draw(st.sampled_from([60, 97.5])), minutes_left=(1,))
    session = Session(phases=(*before, walk, *after), sample_rate=RATE, voice=voice)
    prepared = pacer.prepare(session)
    assert check_every_hold(prepared) == len(before) + len(after)
    # Fitting is done once: the prepared walk prepared again is the same walk.
    again = prepared.again(prepared.session)
    assert again.session == prepared.session
    assert again.schedule.cues == prepared.schedule.cues


def test_a_stretch_you_name_yourself_is_still_got_into_and_released() -> None:
    mine = Phase("neck stretch", 20, None, kind="stretch", announce=("stretch",), countdown=3)
    prepared = pacer.prepare(Session(phases=(mine,), voice="en", sample_rate=RATE))
    assert check_every_hold(prepared) == 1
    intro = prepared.schedule.cues[1]
    assert prepared.words(intro) == "Stretch. Get into position."


def test_holds_are_as_the_guidance_says() -> None:
    walk = Phase("walk", 600, 100)

    def hold(seconds: float) -> Phase:
        return Phase("calf stretch", seconds, None, kind="stretch", announce=("stretch",))

    Session(phases=(hold(30), walk, hold(20)))
    with pytest.raises(pacer.SettingsError, match=r"31 is not in the range 15<=x<=30 s"):
        Session(phases=(hold(31), walk))
    with pytest.raises(pacer.SettingsError, match=r"after the walk is held 15 to 20 s"):
        Session(phases=(walk, hold(25)))
    with pytest.raises(pacer.SettingsError, match=r"14 is not in the range 15<=x<=30 s"):
        Session(phases=(hold(14),))
    with pytest.raises(pacer.SettingsError, match="hold_after: 21 is not in the range"):
        back_pain(plan=BackPainPlan(hold_after=21))
    with pytest.raises(pacer.SettingsError, match="only a held stretch has a side"):
        Phase("walk", 60, 60, side="left")
    with pytest.raises(pacer.SettingsError, match="side: 'middle' is not a side"):
        Phase("calf stretch", 20, None, kind="stretch", announce=("stretch",), side="middle")


def test_a_preset_file_keeps_sides_and_position_and_refuses_a_long_hold(tmp_path: Path) -> None:
    plan = BackPainPlan(position=8)
    session = back_pain(plan=plan)
    path = tmp_path / "mine.toml"
    path.write_text(preset_toml(session, "mine"))
    assert load_preset(str(path)) == session
    text = path.read_text()
    assert 'side = "left"' in text and "position = 8" in text
    bad = tmp_path / "bad.toml"
    bad.write_text(
        text.replace(
            'name = "calf stretch"\nkind = "stretch"\nseconds = 20',
            'name = "calf stretch"\nkind = "stretch"\nseconds = 25',
            1,
        )
    )
    assert bad.read_text() != text
    with pytest.raises(PresetError) as caught:
        load_preset(str(bad))
    message = str(caught.value)
    assert message.startswith(f"{bad}: phase 'calf stretch': seconds: 25 is not in the range")
    assert "a stretch after the walk is held 15 to 20 s" in message


def test_position_time_is_set_for_every_stretch_by_option_or_config(own_config: Path) -> None:
    session = session_from("back-pain", config=False, position=8)
    assert {p.position_seconds for p in session.phases if p.holds} == {8}
    own_config.mkdir(parents=True)
    (own_config / "config.toml").write_text("[defaults]\nposition = 3\n")
    session = session_from("back-pain")
    assert {p.position_seconds for p in session.phases if p.holds} == {3}
    (own_config / "config.toml").write_text("[defaults]\nposition = 90\n")
    with pytest.raises(
        PresetError, match=r"\[defaults\] position: 90 is not in the range 0<=x<=60"
    ):
        session_from("back-pain")


def test_the_back_pain_walk_says_minutes_of_walking_left_and_backward_says_minutes_left() -> None:
    for voice, walking, plain in (
        ("en", "Five minutes of walking left.", "Five minutes left."),
        ("zh", "还要走五分钟。", "还剩五分钟。"),
        ("none", "5 minutes of walking left", "5 minutes left"),
    ):
        pain = pacer.prepare(back_pain(minutes=20).with_changes(voice=voice))
        said = [pain.words(c) for c in pain.schedule.cues if c.value == 5 and "minutes" in c.kind]
        assert said == [walking]
        back = pacer.prepare(backward(minutes=20).with_changes(voice=voice))
        said = [back.words(c) for c in back.schedule.cues if c.value == 5 and "minutes" in c.kind]
        assert said == [plain]


@pytest.mark.parametrize("voice", ["en", "zh"])
def test_every_stretch_cue_of_the_programme_is_spoken_in_both_languages(voice: str) -> None:
    prepared = pacer.prepare(back_pain(minutes=20).with_changes(voice=voice))
    for cue in prepared.schedule.cues:
        if cue.kind in ("stretch", "hold", "release", "count", "minutes_walking"):
            assert prepared.line(cue) is not None, (cue.kind, cue.value)


def test_ending_after_a_tempo_key_in_a_stretch_ends_at_once() -> None:
    # A tempo key in a stretch waits for the next beat (the walk, minutes away); the
    # end must not wait for it.
    walk = Walk(back_pain(minutes=1, sample_rate=RATE), pre_roll=0, keep_alive=False)
    chest = layout(walk.session)[1]
    while walk._out < chest.start + 3 * RATE:
        walk.pull(1000)
    press(walk, "up")
    walk.pull(1000)
    walk.stop()
    for _ in range(20):  # the end tune rings out in well under 10 s
        walk.pull(4000)
    assert walk.finished and walk.status().ended_early


def test_a_pause_after_a_tempo_key_in_a_stretch_skips_no_stretch() -> None:
    walk = Walk(back_pain(minutes=1, sample_rate=RATE), pre_roll=0, keep_alive=False)
    chest = layout(walk.session)[1]
    while walk._out < chest.start + 3 * RATE:
        walk.pull(1000)
    press(walk, "up")  # waits for the next beat: the walk's first, after every stretch
    walk.pull(1000)
    walk.pause()
    for _ in range(10):
        walk.pull(4000)
    assert walk.status().paused and walk.status().place.phase == "chest stretch"
    walk.resume()
    walk.pull(1000)
    status = walk.status()
    assert (status.place.phase, status.place.stretch) == ("chest stretch", "position")
    assert status.resuming  # the hold goes on after the resume lead
    # What was heard is what a render of the walk's record gives.
    out = walk._out
    played = pacer.live.render_played(walk.session, walk.played(), out)
    assert played.shape == (out, 2)
