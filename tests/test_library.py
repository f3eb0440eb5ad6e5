"""The library as a program meets it: every part reachable from ``import pacer`` at no
cost until used, a timeline that is a pure function of the walk and its cue lengths,
speech prepared in one step, and every error a PacerError."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pacer
from pacer import Reminder, SettingsError
from pacer.presets import backward
from pacer.timeline import cue_key, schedule


def test_every_public_name_and_part_is_there_after_import_pacer_without_numpy() -> None:
    code = (
        "import sys, pacer\n"
        "cheap = 'numpy' not in sys.modules\n"
        "parts = [pacer.plan.next_walk, pacer.voice.prepare, pacer.tts.synthesize,\n"
        "         pacer.timeline.schedule, pacer.display.captions, pacer.config.config_dir]\n"
        "still_cheap = 'numpy' not in sys.modules\n"
        "names = [getattr(pacer, name) for name in pacer.__all__]\n"
        "print(cheap, still_cheap, pacer.live.Walk.__name__, len(names) == len(pacer.__all__))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "True", "Walk", "True"], done.stderr


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        pacer.nothing  # noqa: B018


def with_own_words() -> pacer.Session:
    return backward(minutes=12, sample_rate=16000).with_changes(
        voice="en",
        phrases=(("halfway", "Halfway there."),),
        reminders=(Reminder("Relax your shoulders.", every=120),),
    )


def test_the_timeline_runs_no_engine_and_reads_no_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = with_own_words()
    lengths = {cue_key(c, session): 16000 * 3 for c in pacer.timeline.wanted_cues(session)}

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the timeline reached for a voice, an engine or a file")

    monkeypatch.setattr(pacer.voice, "spoken", refuse)
    monkeypatch.setattr(pacer.voice, "manifest", refuse)
    monkeypatch.setattr("builtins.open", refuse)
    monkeypatch.setattr(Path, "read_text", refuse)
    placed = schedule(session, lengths)
    # Each cue lasts as long as it was told: three seconds, so no two are closer.
    spoken = [c for c in placed.cues if c.kind != "end"]
    assert all(b.sample - a.sample >= 3 * 16000 for a, b in pairwise(spoken))


def test_speech_is_prepared_once_per_phrase_and_a_replan_prepares_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked: list[str] = []

    def spoken(text: str, lang: str) -> tuple[None, bool]:
        asked.append(text)  # no engine here: the built-in words and tunes are used
        return None, False

    monkeypatch.setattr(pacer.voice, "spoken", spoken)
    prepared = pacer.prepare(with_own_words())
    assert sorted(asked) == ["Halfway there.", "Relax your shoulders."]
    rest = pacer.live.rest_of(prepared.session, prepared.schedule.length // 2)
    assert rest is not None
    again = prepared.again(rest)
    assert len(asked) == 2
    assert [c.kind for c in again.schedule.cues][-1] == "end"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: list(pacer.blocks(backward(minutes=1), 0)), "frames: 0 is not in the range"),
        (lambda: pacer.tones.beat_sound("gong", 8000), "'gong' is not a beat sound; use"),
        (lambda: pacer.tones.earcon_sound("gong", 8000), "'gong' is not a kind of cue; use"),
    ],
)
def test_bad_values_to_the_sound_layer_are_settings_errors(make: object, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        make()  # type: ignore[operator]


@pytest.mark.parametrize("lang, voice", [("zh_CN.UTF-8", "zh"), ("en_GB.UTF-8", "en")])
def test_the_backward_preset_speaks_as_pacer_walk_does(
    monkeypatch: pytest.MonkeyPatch, lang: str, voice: str
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", lang)
    assert backward().voice == voice == pacer.config.session_from(config=False).voice
    assert backward(voice="none").voice == "none"


def test_a_program_records_a_finished_play_walk_in_one_call_as_pacer_walk_would(
    tmp_path: Path,
) -> None:
    session = backward(minutes=1, sample_rate=8000, voice="none")
    walk = pacer.live.Walk(session, pre_roll=0)
    while not walk.finished:
        walk.pull(1 << 14)
    with pacer.Journal(tmp_path / "j.sqlite3") as book:
        entry = pacer.journal.record_walk(book, walk, preset="backward", pain_after=2)
        assert book.entries() == [entry]
    assert entry.id == 1 and entry.preset == "backward" and entry.source == "walk"
    assert entry.walked_minutes == entry.planned_minutes == 1.0
    assert entry.spm_start == entry.spm_end == 60 and entry.pain_after == 2
    assert not entry.ended_early and not entry.faded


def test_a_walk_the_journal_cannot_take_is_kept_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk = pacer.live.Walk(backward(minutes=2, sample_rate=8000, voice="none"), pre_roll=0)
    walk.pull(8000 * 70)  # past the first minute: a walk worth recording
    walk.stop()
    walk.pull(512)  # the stop is taken at the next block

    def full(self: object, entry: object) -> object:
        raise pacer.journal.JournalError("the disk is full")

    monkeypatch.setattr(pacer.Journal, "add", full)
    with (
        pacer.Journal(tmp_path / "j.sqlite3") as book,
        pytest.raises(pacer.journal.JournalError, match="the walk is kept in"),
    ):
        pacer.journal.record_walk(book, walk)
    kept = pacer.journal.kept_walks_path(tmp_path / "j.sqlite3").read_text()
    assert '"ended_early": true' in kept and '"preset": "backward"' in kept


def test_the_planned_session_walks_what_the_plan_advises() -> None:
    from datetime import date

    session, planned = pacer.plan.planned_session([], "back-pain", date(2026, 1, 5), voice="none")
    assert session.main_phase is not None
    assert session.main_phase.seconds == planned.advice.minutes * 60
    assert planned.note is None and planned.preset == "back-pain"
    with pytest.raises(SettingsError, match="minutes: the plan sets it"):
        pacer.plan.planned_session([], "backward", date(2026, 1, 5), minutes=3)


@pytest.mark.parametrize("key", [k for k in pacer.config.OPTION_KEYS if k != "preset"])
@pytest.mark.parametrize("junk", [object(), b"x", {"a": 1}, [object()], float("nan")])
def test_session_from_refuses_a_value_no_option_takes_naming_the_option(
    key: str, junk: object
) -> None:
    # With a route or without, given alone or with others: every option is checked.
    with pytest.raises(SettingsError) as raised:
        pacer.session_from("backward", config=False, **{"voice": "none", key: junk})
    assert raised.value.setting == key or str(raised.value).startswith(f"{key}: ")


def test_session_from_says_a_wrong_voice_and_step_length_without_a_route() -> None:
    with pytest.raises(SettingsError, match="voice: 0 is not a voice"):
        pacer.session_from(config=False, voice=0)
    with pytest.raises(SettingsError, match=r"step_length: 5 is not in the range"):
        pacer.session_from(config=False, step_length=5)


@given(
    setting=st.sampled_from(["buffer_msec", "pre_roll"]),
    value=st.one_of(
        st.integers(),
        st.floats(),
        st.integers(1001, 10**12),
        st.text(max_size=3),
        st.none(),
    ),
)
@settings(max_examples=60, deadline=None)
def test_play_checks_its_buffer_and_pre_roll_against_their_ranges_before_any_device(
    setting: str, value: object
) -> None:
    # buffer_msec=10**9 once hung in the device's stop, and a NaN pre-roll at exit.
    limit = pacer.LIMITS[setting]
    if isinstance(value, (int, float)) and limit.low <= value <= limit.high:
        value = limit.high + 1  # only values outside the range here
    if setting == "pre_roll" and value is None:
        value = "none"

    def no_device(*args: object, **kwargs: object) -> None:
        raise AssertionError("a device was opened")

    session = backward(minutes=1, sample_rate=8000, voice="none")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pacer.output.device, "MiniaudioEngine", no_device)
        with (
            pytest.raises(SettingsError) as raised,
            pacer.play(session, "null", **{setting: value}),
        ):
            pass
    assert raised.value.setting == setting
    assert limit.describe() in str(raised.value) or f"<=x<={limit.high:g}" in str(raised.value)


def _a_walk() -> pacer.live.Walk:
    return pacer.live.Walk(backward(minutes=1, sample_rate=8000, voice="none"))


WRONG_CALLS = {
    "tap_cadence(None)": lambda: pacer.live.tap_cadence(None),
    "tap_cadence(text)": lambda: pacer.live.tap_cadence(["a", "b", "c"]),
    "render_played(played=None)": lambda: pacer.live.render_played(backward(), None, 10),
    "render_played(frames=-1)": lambda: pacer.live.render_played(backward(), [], -1),
    "render_played(frames='x')": lambda: pacer.live.render_played(backward(), [], "x"),
    "Walk.change_tempo(None)": lambda: _a_walk().change_tempo(None),
    "Walk(keep_alive='x')": lambda: pacer.live.Walk(backward(), keep_alive="x"),
    "press(None)": lambda: pacer.live.press(None, "up"),
    "Announcer('x')": lambda: pacer.live.Announcer("x"),
    "next_pace(today=None)": lambda: pacer.plan.next_pace([], "backward", None),
    "next_pace(entries=None)": lambda: pacer.plan.next_pace(None, "backward", date(2026, 1, 5)),
    "walks_ahead(None)": lambda: pacer.plan.walks_ahead(None, None),
    "week_start(None)": lambda: pacer.plan.week_start(None),
    "minutes_words(None)": lambda: pacer.plan.minutes_words(None),
    "display.as_json(None)": lambda: pacer.display.as_json(None),
    "display.as_rows(None)": lambda: pacer.display.as_rows(None),
    "display.clock(None)": lambda: pacer.display.clock(None),
    "cue_text('nosuch')": lambda: pacer.cues.cue_text("nosuch"),
    "cue_text(None)": lambda: pacer.cues.cue_text(None),
    "cue_text('posture', 'x')": lambda: pacer.cues.cue_text("posture", "x"),
    "pace_text(None)": lambda: pacer.session.pace_text(None),
}


@pytest.mark.parametrize("call", list(WRONG_CALLS), ids=list(WRONG_CALLS))
def test_a_wrong_value_to_a_public_call_is_a_one_line_pacer_error(call: str) -> None:
    # Each once raised a TypeError, ValueError, KeyError or AttributeError.
    with pytest.raises(pacer.PacerError) as raised:
        WRONG_CALLS[call]()
    assert str(raised.value) and "\n" not in str(raised.value)
