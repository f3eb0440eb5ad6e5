"""Your own cadence as the base: ``pacer tap --save`` and a calibration walk record it
in the journal; ``--spm 110%`` and ``spm = "110%"`` in a preset or config.toml are that
percentage of it, exactly; with none recorded, one line says how to record one."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_plan import at_the_top

import pacer
from pacer.cli import main
from pacer.config import PresetError, load_preset, session_from
from pacer.journal import Cadence, Entry, Journal
from pacer.plan import next_pace, next_walk
from pacer.presets import PLANS, back_pain, backward
from pacer.session import NO_CADENCE

RATE = 8000


@pytest.fixture(autouse=True)
def own_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PACER_DATA_DIR", str(tmp_path / "data"))
    journal = tmp_path / "journal.sqlite3"
    monkeypatch.setenv("PACER_JOURNAL", str(journal))
    (tmp_path / "config").mkdir()
    return journal


def beat_samples(session: pacer.Session) -> list[int]:
    return [b.sample for b in pacer.beats(session)]


@settings(max_examples=60, deadline=None)
@given(
    cadence=st.floats(60, 130).map(lambda x: round(x, 2)),
    share=st.sampled_from([90, 100, 105, 107.5, 110, 120]),
    preset=st.sampled_from(["backward", "back-pain"]),
)
def test_a_share_is_exactly_that_percentage_of_the_recorded_cadence(
    cadence: float, share: float, preset: str
) -> None:
    session = session_from(
        preset, config=False, steps_per_minute=f"{share:g}%", cadence=cadence, sample_rate=RATE
    )
    main_phase = session.main_phase
    assert main_phase is not None
    pace = cadence * share / 100
    assert main_phase.steps_per_minute == pace
    # The beat: step k of the walk lands k * 60 / pace seconds after its first step.
    span = pacer.cadence.layout(session)[session.main_index or 0]
    samples = [s for s in beat_samples(session) if span.start <= s < span.end]
    for k in (1, 2, 10, len(samples) - 1):
        assert samples[k] - samples[0] == round(k * 60 * RATE / pace)


def test_with_no_cadence_recorded_a_share_is_refused_saying_how_to_record_one(
    tmp_path: Path,
) -> None:
    with pytest.raises(pacer.SettingsError) as caught:
        session_from("backward", config=False, steps_per_minute="110%", cadence=lambda: None)
    assert str(caught.value) == (
        f"steps_per_minute: '110%' is a share of your own cadence, and {NO_CADENCE}."
    )
    result = CliRunner().invoke(main, ["show", "--spm", "110%"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"pacer: error: --spm: '110%' is a share of your own cadence, and {NO_CADENCE}."
    ]
    assert "pacer tap --save" in NO_CADENCE and "pacer tap --calibrate" in NO_CADENCE
    result = CliRunner().invoke(main, ["show", "--spm", "300%"])
    assert result.exit_code == 2
    assert "300 is not in the range 50<=x<=200 % of your cadence" in result.stderr


def test_a_preset_file_and_config_toml_take_a_share(tmp_path: Path, own_places: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[phases]]\nname = "walk"\nminutes = 10\nsteps_per_minute = "110%"\nramp_to = "120%"\n'
    )
    session = load_preset(str(path), cadence=100)
    assert (session.phases[0].steps_per_minute, session.phases[0].ramp_to) == (110, 120)
    with pytest.raises(PresetError) as caught:
        load_preset(str(path))
    assert str(caught.value).startswith(
        f"{path}: phases[0] (walk): steps_per_minute: '110%' is a share of your own cadence"
    )
    config = tmp_path / "config" / "config.toml"
    config.write_text('[defaults]\nspm = "105%"\npreset = "back-pain"\n')
    session = session_from(cadence=lambda: 96.0)
    assert session.main_phase is not None and session.main_phase.steps_per_minute == 96 * 105 / 100
    config.write_text('[defaults]\nspm = "5 %%"\n')
    with pytest.raises(PresetError, match=r"spm: '5 %%' is not a share of your cadence"):
        session_from(cadence=100)


def test_the_journal_keeps_cadences_and_gives_the_latest(own_places: Path) -> None:
    with Journal(own_places) as book:
        assert book.latest_cadence() is None
        book.record_cadence(Cadence("2026-11-20T08:00:00", 98.5, 20))
        book.record_cadence(Cadence("2026-11-22T08:00:00", 102.0, 101, "calibration"))
    with Journal(own_places) as book:
        assert [c.steps_per_minute for c in book.cadences()] == [98.5, 102.0]
        latest = book.latest_cadence()
    assert latest == Cadence("2026-11-22T08:00:00", 102.0, 101, "calibration")
    # Exactly 110 % within the programme's ceiling (back-pain's 120; backward's 66 caps it).
    args = ["show", "--preset", "back-pain", "--spm", "110%", "--minutes", "20"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "walk: 112.2 steps/min for" in result.stdout, result.stdout


class Taps:
    """Key presses every ``every`` seconds of a clock the test keeps."""

    def __init__(self, every: float, keys: list[str] | None = None) -> None:
        self.every = every
        self.clock = 1000.0
        self.keys = keys

    def read(self, timeout: float) -> str | None:
        if self.keys is not None and not self.keys:
            return "enter"
        self.clock += self.every
        return self.keys.pop(0) if self.keys else "space"


class Heard:
    """An audio engine that pulls a block on each key read (and on its own until
    closed), keeping what it heard and when, by the taps' clock."""

    name = "heard"
    description = "a test engine"
    latency = 0.0

    def __init__(self, taps: Taps) -> None:
        self.taps = taps
        self.blocks: list[tuple[float, Any]] = []
        self.pull: Any = None
        self.closed = False

    def start(self, pull: Any) -> None:
        import threading

        import numpy as np

        self.pull = pull
        self.announcer = getattr(pull, "__self__", None)

        def run() -> None:
            while not self.closed:
                block = np.zeros((2048, 2), dtype=np.float32)
                pull(block)
                self.blocks.append((self.taps.clock, block))

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def alive(self) -> bool:
        return not self.closed

    def error(self) -> BaseException | None:
        return None

    def close(self) -> None:
        self.closed = True
        self.thread.join()


@pytest.fixture
def tapping(monkeypatch: pytest.MonkeyPatch) -> Taps:
    taps = Taps(0.5)
    taps.engines = []  # type: ignore[attr-defined]

    @contextlib.contextmanager
    def keys() -> Iterator[Taps]:
        yield taps

    def engine(*args: object, **kw: object) -> Heard:
        taps.engines.append(Heard(taps))  # type: ignore[attr-defined]
        return taps.engines[-1]  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr("pacer.keys.terminal_keys", keys)
    monkeypatch.setattr("pacer.output.device.open_engine", engine)
    monkeypatch.setattr(time, "monotonic", lambda: taps.clock)
    return taps


def test_a_calibration_walk_records_a_minute_of_steps(tapping: Taps, own_places: Path) -> None:
    result = CliRunner().invoke(main, ["tap", "--calibrate"])
    assert result.exit_code == 0, result.output
    assert "Walk on the spot for a minute" in result.stdout
    assert "Your cadence: 120 steps/min" in result.stdout
    assert "Recorded: your cadence is 120 steps/min" in result.stdout
    with Journal(own_places) as book:
        latest = book.latest_cadence()
    assert latest is not None
    assert (latest.how, latest.taps) == ("calibration", 121)  # a minute: taps at 0 s .. 60 s
    assert latest.steps_per_minute == 120


def test_tap_save_records_and_a_share_walks_from_it(tapping: Taps, own_places: Path) -> None:
    result = CliRunner().invoke(main, ["tap", "--save", "--taps", "10"])
    assert result.exit_code == 0, result.output
    assert "Recorded: your cadence is 120 steps/min" in result.stdout
    session = backward(minutes=1, steps_per_minute=60)
    assert session.main_phase is not None
    result = CliRunner().invoke(main, ["show", "--spm", "90%", "--minutes", "20"])
    # 108 steps/min is above backward's ceiling (66), 132 above back-pain's (120): capped.
    assert result.stdout.startswith("backward walk: 20 min at 66 steps/min"), result.output
    pain = CliRunner().invoke(main, ["show", "--preset", "back-pain", "--spm", "110%"])
    assert pain.stdout.startswith("walk for back pain: 25.2 min at 90, 120, 80 steps/min")
    assert back_pain().main_phase is not None


def test_tap_without_save_records_nothing_off_a_terminal(tapping: Taps, own_places: Path) -> None:
    result = CliRunner().invoke(main, ["tap", "--taps", "5"])
    assert result.exit_code == 0, result.output
    assert "Recorded" not in result.stdout
    assert not own_places.exists()


# pacer next: 5 % more steps a minute after a week without a setback ------------------

TODAY = date(2026, 11, 23)


def walk_on(
    days_ago: int, spm: float, before: int | None = 2, after: int | None = 2, **kw: object
) -> Entry:
    day = TODAY - timedelta(days=days_ago)
    return Entry(
        started=f"{day.isoformat()}T08:00:00",
        preset="back-pain",
        planned_minutes=10,
        walked_minutes=10,
        spm_start=spm,
        spm_end=spm,
        pain_before=before,
        pain_after=after,
        **kw,  # type: ignore[arg-type]
    )


def test_next_suggests_five_percent_more_only_as_a_good_weeks_one_step() -> None:
    plan = PLANS["back-pain"]
    top = at_the_top("back-pain", 100, TODAY)
    advice = next_pace(top, "back-pain", TODAY, plan)
    assert advice.steps_per_minute == 105
    assert advice.reason == (
        "a good week at the plan's top, at 100 steps/min without more pain: its one step "
        "is the pace, 105, 5 % more"
    )
    # Below the top a good week's one step is the minutes: the pace keeps (TODAY is a
    # Monday: last week's Monday, Wednesday and Friday at the plan's 10 minutes).
    week = [walk_on(d, 100) for d in (7, 5, 3)]
    assert next_walk(week, "back-pain", TODAY, plan).minutes == 15
    held = next_pace(week, "back-pain", TODAY, plan)
    assert held.steps_per_minute == 100
    assert (
        held.reason
        == "the week's one step is the minutes, not the pace as well: keep 100 steps/min"
    )
    # Not yet a week at this pace: keep it.
    changed = [
        replace(e, spm_start=102, spm_end=102) if e.date >= TODAY - timedelta(days=3) else e
        for e in top
    ]
    assert next_pace(changed, "back-pain", TODAY, plan).steps_per_minute == 102
    # Pain rose this week, or the walker felt dizzy, at the pace walked all along: one
    # step down from it (rule 2), never the pace that hurt.
    rose = [*top, walk_on(0, 100, before=2, after=4)]
    kept = next_pace(rose, "back-pain", TODAY, plan)
    assert kept.steps_per_minute == 95.2 and kept.reason.startswith("pain rose after the walk")
    assert kept.rule == 2
    dizzy = [*top, walk_on(0, 100, ended_early=True, dizzy=True)]
    assert next_pace(dizzy, "back-pain", TODAY, plan).steps_per_minute == 95.2
    # No scored walk: no evidence about pain, so no more.
    unscored = [replace(e, pain_before=None, pain_after=None) for e in top]
    assert next_pace(unscored, "back-pain", TODAY, plan).steps_per_minute == 100
    # Never above the preset's ceiling.
    near = at_the_top("back-pain", 118, TODAY)
    assert next_pace(near, "back-pain", TODAY, plan).steps_per_minute == 120
    at = at_the_top("back-pain", 120, TODAY)
    ceiling = next_pace(at, "back-pain", TODAY, plan)
    assert ceiling.steps_per_minute == 120 and "ceiling" in ceiling.reason


def test_pacer_next_says_the_pace_and_why(own_places: Path) -> None:
    with Journal(own_places) as book:
        for entry in at_the_top("back-pain", 100, date.today()):
            book.add(entry)
    result = CliRunner().invoke(main, ["next", "--preset", "back-pain"])
    assert result.exit_code == 0, result.output
    assert (
        "Pace: 105 steps/min (a good week at the plan's top, at 100 steps/min without more "
        "pain: its one step is the pace, 105, 5 % more)." in result.stdout.splitlines()
    )


def test_the_library_takes_a_cadence_from_the_journal_and_says_to_pass_one() -> None:
    from pacer.config import session_from
    from pacer.errors import SettingsError
    from pacer.journal import Cadence

    recorded = Cadence("2026-01-01T08:00", 118.731, 20)
    session = session_from(steps_per_minute="110%", cadence=recorded)
    assert session.phases[0].steps_per_minute == pytest.approx(118.731 * 1.1)
    with pytest.raises(SettingsError) as caught:
        session_from(steps_per_minute="110%")
    assert "no cadence was given: pass cadence=" in str(caught.value)
    assert "none is recorded" not in str(caught.value)


def test_a_bad_share_in_a_preset_file_is_named_by_file_phase_and_key(tmp_path: Path) -> None:
    preset = tmp_path / "mine.toml"
    preset.write_text(
        'title = "mine"\n[[phases]]\nname = "walk"\nminutes = 2\nsteps_per_minute = "300%"\n'
    )
    result = CliRunner().invoke(main, ["show", "--preset", str(preset)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "--spm" not in lines[0]
    assert lines[0].startswith(f"pacer: error: {preset}: phases[0] (walk): steps_per_minute: 300")


def test_a_share_in_config_toml_with_no_cadence_names_the_file_and_key(tmp_path: Path) -> None:
    config = tmp_path / "config" / "config.toml"
    config.write_text('[defaults]\nspm = "110%"\n')
    result = CliRunner().invoke(main, ["show"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "--spm" not in lines[0]
    assert lines[0].startswith(
        f"pacer: error: {config}: [defaults] spm: '110%' is a share of your own cadence, "
        "and none is recorded"
    )
    # The command line's own share is still named as the option it came in.
    given = CliRunner().invoke(main, ["show", "--spm", "105%"])
    assert given.exit_code == 2 and given.stderr.startswith("pacer: error: --spm: '105%'")


def test_a_tapped_cadence_is_shown_to_a_tenth_the_same_everywhere(
    tapping: Taps, own_places: Path
) -> None:
    tapping.every = 60 / 118.731  # a cadence with more digits than anyone reads
    result = CliRunner().invoke(main, ["tap", "--save", "--taps", "12"])
    assert result.exit_code == 0, result.output
    assert "Your cadence: 118.7 steps/min" in result.stdout
    assert "Walk at it with: pacer walk --spm 118.7" in result.stdout
    assert (
        "Recorded: your cadence is 118.7 steps/min; --spm 110% is 130.6 steps/min, or a "
        "programme's lower ceiling (back-pain 120, backward 66)." in result.stdout
    )
    with Journal(own_places) as book:
        latest = book.latest_cadence()
    assert latest is not None and latest.steps_per_minute == 118.7
    same = CliRunner().invoke(main, ["show", "--preset", "back-pain", "--spm", "100%"])
    assert "walk: 118.7 steps/min for" in same.stdout, same.output
    faster = CliRunner().invoke(main, ["show", "--spm", "110%", "--minutes", "20"])
    assert faster.stdout.startswith("backward walk: 20 min at 66 steps/min"), faster.output
    # The walk itself is paced exactly 110 % of what was recorded.
    session = session_from("backward", config=False, steps_per_minute="110%", cadence=latest)
    assert session.phases[0].steps_per_minute == pytest.approx(118.7 * 1.1)


def test_a_cadence_beyond_what_pacer_walks_is_said_so_never_a_failing_command(
    tapping: Taps, own_places: Path
) -> None:
    """Found from outside: taps at 199 steps/min printed "pacer walk --spm 110% walks at
    219.3" (then refused, 30-180) and "Walk at it with: pacer walk --spm 180"."""
    tapping.every = 60 / 199
    result = CliRunner().invoke(main, ["tap", "--save", "--taps", "12"])
    assert result.exit_code == 0, result.output
    assert "Your cadence: 199 steps/min" in result.stdout
    assert "pacer walk --spm" not in result.stdout and "110% walks at" not in result.stdout
    assert "pacer walks at 30-180 steps/min: it cannot walk at 199." in result.stdout
    assert (
        "Recorded: your cadence is 199 steps/min; 110% of it, 218.9 steps/min, is outside what "
        "pacer walks (30-180): --spm 110% would be refused." in result.stdout
    ), result.stdout


def test_a_calibration_walk_is_heard_start_and_stop_with_no_beat(
    tapping: Taps, own_places: Path
) -> None:
    import numpy as np

    from pacer.live import KEEP_ALIVE_LEVEL, PRE_ROLL_SECONDS, calibration_sounds

    said: list[tuple[str, float]] = []
    real_read = tapping.read

    def read(timeout: float) -> str | None:
        if not said or said[-1][0] != "tap":
            said.append(("tap", tapping.clock))
        return real_read(timeout)

    tapping.read = read  # type: ignore[method-assign]
    (own_places.parent / "config" / "config.toml").write_text('[defaults]\nvoice = "en"\n')
    result = CliRunner().invoke(main, ["tap", "--calibrate"])
    assert result.exit_code == 0, result.output
    [engine] = tapping.engines  # type: ignore[attr-defined]
    assert engine.closed  # the device is let go once the stop has played
    heard = np.concatenate([block for _, block in engine.blocks])
    rate = pacer.DEFAULTS.sample_rate
    sounds = calibration_sounds("en", rate)
    loud = np.flatnonzero(np.abs(heard).max(axis=1) > 0.01)  # well above the bed
    # Two sounds, nothing else: the start after a second of quiet (earbuds wake), then
    # the stop; between them only the inaudible bed (no beat: the walk measures the
    # walker's own pace).
    begin = round(PRE_ROLL_SECONDS * rate)
    assert loud[0] >= begin
    start = heard[begin : begin + len(sounds.start)]
    assert np.abs(start - sounds.start).max() <= 10 * KEEP_ALIVE_LEVEL
    quiet_at, start_at, stop_at = engine.announcer.started
    assert (quiet_at, start_at) == (0, begin)
    assert loud[loud < stop_at][-1] < begin + len(sounds.start)  # silence between
    stop = heard[stop_at : stop_at + len(sounds.stop)]
    assert np.abs(stop - sounds.stop[: len(stop)]).max() <= 10 * KEEP_ALIVE_LEVEL
    assert len(stop) == len(sounds.stop)  # played out whole before pacer went on
    assert loud[-1] < stop_at + len(sounds.stop)
    # The start is said before the first tap is read; the stop when the minute is up:
    # the first block holding it was pulled once the clock passed a minute of taps.
    first_tap = said[0][1]
    frame = 0
    for when, block in engine.blocks:
        if frame <= stop_at < frame + len(block):
            assert when - first_tap >= 60
            break
        frame += len(block)
    assert "Recorded: your cadence is 120 steps/min" in result.stdout


def test_calibration_sounds_say_begin_and_end_in_words_or_tunes() -> None:
    from pacer.voice import manifest

    clips = manifest()["clips"]
    rate = 22050
    worded = calibration_sounds_of("en", rate)
    tunes = calibration_sounds_of("none", rate)
    start_words = clips["start_walk"]["en"]["frames"]
    # The words follow the tune: a voiced start is longer by about the clip "Let's
    # begin." (at the pack's rate) and the gap before it.
    assert len(worded.start) - len(tunes.start) == pytest.approx(start_words + 0.25 * rate, abs=400)
    assert len(worded.stop) > len(tunes.stop)
    for sounds in (worded, tunes):
        assert sounds.start.shape[1] == 2 and sounds.stop.shape[1] == 2
        assert 0.2 < abs(sounds.start).max() < 0.9 and 0.2 < abs(sounds.stop).max() < 0.9


def calibration_sounds_of(voice: str, rate: int) -> Any:
    from pacer.live import calibration_sounds

    return calibration_sounds(voice, rate)


def test_a_calibration_walk_without_sound_says_so_and_still_counts(
    tapping: Taps, own_places: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pacer.errors import NoAudioOutputError

    def none(*args: object, **kw: object) -> object:
        raise NoAudioOutputError("no audio output was found")

    monkeypatch.setattr("pacer.output.device.open_engine", none)
    result = CliRunner().invoke(main, ["tap", "--calibrate"])
    assert result.exit_code == 0, result.output
    assert "No audio output found, so no start and stop sounds: start now" in result.stdout
    assert "Recorded: your cadence is 120 steps/min" in result.stdout
