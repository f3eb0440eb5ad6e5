"""Programmes, presets and config: the phases and cues the walking guidance asks for,
preset files that round-trip, and bad files reported in one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import pacer
from pacer import Beat, Cue
from pacer.cadence import layout
from pacer.cli import main
from pacer.config import PresetError, load_preset, preset_toml
from pacer.presets import POSTURE_EVERY, back_pain, backward, turn_around_steps


@pytest.fixture(autouse=True)
def own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PACER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "config"


def cues_in(session: pacer.Session, index: int) -> list[Cue]:
    return [c for c in pacer.prepare(session).schedule.cues if c.phase == index]


def test_back_pain_programme_has_the_phases_in_order() -> None:
    session = back_pain()
    kinds = [p.kind for p in session.phases]
    assert kinds == ["warm-up", *["stretch"] * 6, "walk", "cool-down", *["stretch"] * 8]
    names = [(p.name, p.side) for p in session.phases]
    assert names[1:7] == [
        ("chest stretch", None),
        ("back stretch", None),
        ("shoulder stretch", None),
        ("hip stretch", "left"),
        ("hip stretch", "right"),
        ("abdomen stretch", None),
    ]
    assert names[9:16] == [
        ("calf stretch", "left"),
        ("calf stretch", "right"),
        ("hamstring stretch", "left"),
        ("hamstring stretch", "right"),
        ("quadriceps stretch", "left"),
        ("quadriceps stretch", "right"),
        ("lower back stretch", None),
    ]
    assert names[-1] == ("drink water", None)
    assert [c.kind for c in cues_in(session, len(names) - 1)] == ["water", "end"]


def test_each_stretch_is_held_for_its_seconds_with_no_beat_and_a_countdown() -> None:
    prepared = pacer.prepare(back_pain())
    session = prepared.session  # its stretches fitted to their words
    rate = session.sample_rate
    beat_samples = [b.sample for b in pacer.beats(session)]
    held = [span for span in layout(session) if span.phase.holds]
    assert len(held) == 13  # 6 before the walk, 7 after
    for span in held:
        assert span.phase.hold_seconds == pytest.approx(20, abs=1e-9)
        assert not [s for s in beat_samples if span.start <= s < span.end]
        cues = [c for c in prepared.schedule.cues if c.phase == span.index]
        assert cues[0].kind == "stretch" and cues[0].sample == span.start
        hold = next(c for c in cues if c.kind == "hold")
        release = next(c for c in cues if c.kind == "release")
        assert release.sample - hold.sample == 20 * rate
        counts = [(c.value, c.sample) for c in cues if c.kind == "count"]
        assert counts == [(n, release.sample - n * rate) for n in (3, 2, 1)]


def test_warm_up_and_cool_down_are_slower_than_the_walk() -> None:
    phases = {p.kind: p for p in back_pain(minutes=20, steps_per_minute=105).phases}
    walk = phases["walk"].steps_per_minute
    assert walk == 105
    assert phases["warm-up"].steps_per_minute < walk
    assert phases["cool-down"].steps_per_minute < walk
    assert 5 * 60 <= phases["cool-down"].seconds <= 10 * 60


def test_backward_says_the_precautions_once_at_the_start() -> None:
    session = backward(minutes=25)
    precautions = [c for c in pacer.prepare(session).schedule.cues if c.kind == "precautions"]
    assert len(precautions) == 1
    assert precautions[0].wanted == layout(session)[0].start


def test_posture_reminders_come_every_four_minutes_in_turn() -> None:
    session = backward(minutes=25)
    rate, start = session.sample_rate, layout(session)[0].start
    posture = [c for c in pacer.prepare(session).schedule.cues if c.kind == "posture"]
    assert [c.value for c in posture] == [0, 1, 2, 0, 1, 2]
    for n, cue in enumerate(posture, 1):
        assert cue.wanted == start + round(n * POSTURE_EVERY * rate)
    texts = {cue.text for cue in posture}
    assert texts == {
        "Head up, eyes level",
        "Toes first, then the heel",
        "Let your arms swing freely",
    }


@pytest.mark.parametrize("route, step, every", [(200, 0.35, 571), (100, 0.5, 200)])
def test_turn_around_comes_each_time_the_route_is_covered(
    route: float, step: float, every: int
) -> None:
    assert turn_around_steps(route, step) == every
    session = backward(minutes=30, route_metres=route, step_length=step)
    beats = {b.sample: b.step for b in pacer.beats(session)}
    turns = [c for c in pacer.prepare(session).schedule.cues if c.kind == "turn_around"]
    assert len(turns) == (1800 - 1) // every  # steps 0-1799; none due at step 0
    for n, cue in enumerate(turns, 1):
        assert beats[cue.wanted] == n * every


@pytest.mark.parametrize("name", ["backward", "back-pain"])
def test_a_preset_written_as_toml_reads_back_to_the_same_walk(tmp_path: Path, name: str) -> None:
    session = load_preset(name)
    path = tmp_path / "mine.toml"
    path.write_text(preset_toml(session, name))
    again = load_preset(str(path))
    assert list(pacer.prepare(again).schedule.events()) == list(
        pacer.prepare(session).schedule.events()
    )


@pytest.mark.parametrize(
    "text, fragment",
    [
        (
            "title = 'x'\n[[phases]]\nname = 'walk'\nminutes = 10\npace = 60\n",
            "phases[0] (walk): unknown key 'pace'",
        ),
        (
            "[[phases]]\nname = 'walk'\nminutes = 10\nsteps_per_minute = 250\n",
            "phases[0] (walk): steps_per_minute: 250 is not in the range 30<=x<=180 steps/min.",
        ),
        (
            "[[phases]]\nname = 'walk'\nminutes = 'ten'\n",
            "phases[0] (walk): minutes: 'ten' is not a number",
        ),
        (
            "sound = 'cowbell'\n[[phases]]\nname = 'walk'\nminutes = 10\n",
            "bad.toml: sound: 'cowbell' is not a beat sound",
        ),
        ("[[phases]\nname = 'walk'\n", "not valid TOML"),
        ("title = 'no phases'\n", "phases must be a list of [[phases]] tables"),
    ],
)
def test_a_bad_preset_file_is_named_with_its_key_and_problem(
    tmp_path: Path, text: str, fragment: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(PresetError) as caught:
        load_preset(str(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and fragment in message and "\n" not in message
    result = CliRunner().invoke(main, ["show", "--preset", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"pacer: error: {message}\n"


def test_user_presets_are_listed_and_usable_by_name(own_config: Path) -> None:
    (own_config / "presets").mkdir(parents=True)
    (own_config / "presets" / "park.toml").write_text(
        "title = 'park loop'\n[[phases]]\nname = 'walk'\nminutes = 12\nsteps_per_minute = 70\n"
    )
    listing = CliRunner().invoke(main, ["presets"]).stdout
    assert "backward" in listing and "back-pain" in listing
    assert re.search(r"^park\s+park loop: 12 min at 70 steps/min  \(.*park\.toml\)$", listing, re.M)
    shown = json.loads(CliRunner().invoke(main, ["show", "--preset", "park", "--json"]).stdout)
    assert shown["title"] == "park loop" and shown["beats"] == 12 * 70


def test_presets_show_prints_a_file_that_works_as_a_preset(tmp_path: Path) -> None:
    text = CliRunner().invoke(main, ["presets", "show", "back-pain"]).stdout
    (tmp_path / "bp.toml").write_text(text)
    a = CliRunner().invoke(main, ["show", "--json", "--preset", "back-pain"]).stdout
    b = CliRunner().invoke(main, ["show", "--json", "--preset", str(tmp_path / "bp.toml")]).stdout
    assert json.loads(a)["events"] == json.loads(b)["events"]


def test_config_defaults_apply_and_the_command_line_wins(own_config: Path) -> None:
    own_config.mkdir(parents=True)
    (own_config / "config.toml").write_text("[defaults]\nspm = 64\nminutes = 25\n")
    data = json.loads(CliRunner().invoke(main, ["show", "--json"]).stdout)
    assert data["phases"][0]["steps_per_minute"] == 64
    assert data["phases"][0]["frames"] == 25 * 60 * 44100
    data = json.loads(CliRunner().invoke(main, ["show", "--json", "--spm", "58"]).stdout)
    assert data["phases"][0]["steps_per_minute"] == 58


def test_a_bad_config_file_is_one_line(own_config: Path) -> None:
    own_config.mkdir(parents=True)
    (own_config / "config.toml").write_text("[defaults]\nspm = 'fast'\n")
    result = CliRunner().invoke(main, ["show"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"pacer: error: {own_config / 'config.toml'}: [defaults] spm: 'fast' is not a number; "
        "use 30 to 180 steps/min.\n"
    )


def test_options_change_the_main_walk_of_a_programme() -> None:
    data = json.loads(
        CliRunner()
        .invoke(main, ["show", "--json", "--preset", "back-pain", "--minutes", "15", "--spm", "96"])
        .stdout
    )
    walk = next(p for p in data["phases"] if p["name"] == "walk")
    assert walk["steps_per_minute"] == 96 and walk["frames"] == 15 * 60 * 44100
    assert data["phases"][0]["steps_per_minute"] == 90  # the warm-up keeps its pace


def test_beats_and_cues_are_events() -> None:
    kinds = {type(e) for e in pacer.prepare(back_pain()).schedule.events()}
    assert kinds == {Beat, Cue}


@pytest.mark.parametrize("name", list(pacer.presets.FACTORIES))
def test_every_preset_function_takes_a_voice_with_the_same_default(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """back_pain() had no voice= and gave 'none' where backward() gave the locale's."""
    import inspect

    factory = pacer.presets.FACTORIES[name]
    assert inspect.signature(factory).parameters["voice"].default is None
    for locale, voice in (("zh_CN.UTF-8", "zh"), ("en_GB.UTF-8", "en")):
        monkeypatch.setenv("LC_ALL", locale)
        assert factory().voice == voice == pacer.session.default_voice()
    for voice in pacer.session.VOICES:
        assert factory(voice=voice).voice == voice
