"""No traceback, ever: random argument lists for every command, random preset and
config.toml files, and random values for the library's constructors and entry points.

A command ends with exit 0, 1 or 2 and, when it fails, exactly one ``pacer: error:``
line; a library call works or raises a :class:`~pacer.PacerError`. Writing sound is
stubbed in the command-line runs (the checks before and around it are what is fuzzed;
writing is tested in test_render.py), and there is no audio device: a walk stops at
"no audio output".
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import click
import numpy as np
import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pacer
from pacer import PacerError, Phase, Reminder, Session, presets
from pacer.cli import main
from pacer.config import (
    CONFIG_KEYS,
    PHASE_KEYS,
    REMINDER_KEYS,
    SESSION_KEYS,
    customise,
    load_preset,
    preset_toml,
    session_from,
)
from pacer.cues import CUE_KINDS
from pacer.errors import NoAudioOutputError
from pacer.output import file as output_file

FUZZ = settings(
    max_examples=int(os.environ.get("PACER_FUZZ_EXAMPLES", "60")),  # more to hunt
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def quick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """In a folder of its own; no sound written, no audio device."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACER_CACHE_DIR", str(tmp_path / "cache"))

    def stub_wav(prepared: Any, out: Any, progress: Any, **kwargs: Any) -> None:
        out.write(b"RIFF")

    def stub_soundfile(prepared: Any, fmt: Any, path: Any, progress: Any) -> None:
        if hasattr(path, "write"):
            path.write(b"OggS")

    def no_output(*args: object, **kwargs: object) -> None:
        raise NoAudioOutputError("no audio output (fuzzing)")

    import pacer.output.device as device

    monkeypatch.setattr(output_file, "_write_wav", stub_wav)
    monkeypatch.setattr(output_file, "_write_soundfile", stub_soundfile)
    monkeypatch.setattr(device, "open_engine", no_output)
    monkeypatch.setattr(device, "list_devices", lambda: [])
    return tmp_path


def _commands() -> list[tuple[list[str], click.Command]]:
    found: list[tuple[list[str], click.Command]] = [([], main)]
    for name, command in main.commands.items():  # type: ignore[attr-defined]
        found.append(([name], command))
        for sub, inner in getattr(command, "commands", {}).items():
            found.append(([name, sub], inner))
    return found


COMMANDS = _commands()


def _option_names(command: click.Command) -> list[str]:
    names = ["--help"]
    for param in command.params:
        if isinstance(param, click.Option):
            names += [*param.opts, *param.secondary_opts]
    return names


WORDS = st.sampled_from(
    [
        "",
        "-",
        "0",
        "-1",
        "2.5",
        "1e999",
        "nan",
        "x.wav",
        "w.ogg",
        "walk.flac",
        "same.lrc",
        "x.srt",
        "x.xyz",
        "a" * 300 + ".wav",
        "b" * 250 + ".wav",
        "nowhere/x.wav",
        ".",
        "/dev/full",
        "/dev/null",
        "backward",
        "back-pain",
        "mine.toml",
        "2026-11-22",
        "2026-11-22T08:30",
        "en",
        "zh",
        "none",
        "wood",
        "null",
        "wav",
        "ogg",
        "opus",
        "mp3",
    ]
)
NUMBERS = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.integers(10**15, 10**400).map(str),
    st.floats().map(repr),
)
VALUES = st.one_of(WORDS, NUMBERS, st.text(max_size=12))


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    path, command = draw(st.sampled_from(COMMANDS))
    option = st.sampled_from(_option_names(command))
    pair = st.one_of(st.tuples(option, VALUES), st.tuples(option), st.tuples(VALUES))
    return [*path, *(token for tokens in draw(st.lists(pair, max_size=5)) for token in tokens)]


def _one_line_or_none(result: Any) -> None:
    """The command's promise: 0, 1 or 2, no traceback, one error line when it fails."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert all(line.startswith("pacer: ") for line in lines), result.stderr
    errors = [line for line in lines if line.startswith("pacer: error: ")]
    assert len(errors) == (0 if result.exit_code == 0 else 1), result.stderr


@FUZZ
@given(args=command_lines())
def test_any_command_line_ends_in_one_line_and_a_known_exit_code(
    quick: Path, args: list[str]
) -> None:
    _one_line_or_none(CliRunner().invoke(main, args))


# --- preset and config files --------------------------------------------------------

JUNK = st.one_of(
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.integers(10**15, 10**400),
    st.floats(),
    st.text(max_size=8),
    st.lists(st.integers(-5, 700), max_size=3),
    st.lists(st.text(max_size=6), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    st.dates(),
)
"""Any TOML value: the right type or not."""

LIKELY: dict[str, Any] = {
    "name": st.sampled_from(["walk", "warm-up", "calf stretch"]),
    "kind": st.sampled_from(["walk", "warm-up", "cool-down", "stretch", "jog"]),
    "minutes": st.floats(0.01, 3),
    "seconds": st.integers(0, 200),
    "steps_per_minute": st.integers(20, 200),
    "ramp_to": st.integers(20, 200),
    "look_back_every": st.integers(0, 700),
    "turn_around_every": st.integers(0, 1000),
    "posture_every": st.integers(0, 4000),
    "minutes_left": st.lists(st.integers(0, 4), max_size=3),
    "announce": st.lists(st.sampled_from(["precautions", "stretch", "water", "x"]), max_size=2),
    "countdown": st.integers(-1, 12),
    "halfway": st.booleans(),
    "sound": st.sampled_from(["wood", "click", "cowbell"]),
    "voice": st.sampled_from(["en", "zh", "none", "fr"]),
    "preset": st.sampled_from(["backward", "back-pain", "nope"]),
    "engine": st.sampled_from(["miniaudio", "null", "bogus"]),
    "every_minutes": st.floats(0, 5),
    "at_minutes": st.floats(0, 5),
    "text": st.text(max_size=8),
}


def _value(key: str) -> st.SearchStrategy[Any]:
    likely = LIKELY.get(key)
    return JUNK if likely is None else st.one_of(likely, likely, JUNK)


def _table(keys: tuple[str, ...], needed: tuple[str, ...] = ()) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {k: _value(k) for k in needed},
        optional={k: _value(k) for k in (*keys, "bogus") if k not in needed},
    )


PRESETS = st.fixed_dictionaries(
    {"phases": st.one_of(st.lists(_table(PHASE_KEYS, ("name", "minutes")), max_size=3), JUNK)},
    optional={
        **{k: _value(k) for k in SESSION_KEYS if k not in ("phases", "phrases", "reminders")},
        "phrases": st.one_of(
            st.dictionaries(st.sampled_from([*CUE_KINDS, "nope"]), st.text(max_size=9)), JUNK
        ),
        "reminders": st.one_of(st.lists(_table(REMINDER_KEYS, ("text",)), max_size=2), JUNK),
        "spm": JUNK,
    },
)
CONFIGS = st.fixed_dictionaries(
    {},
    optional={
        "defaults": st.one_of(_table((*CONFIG_KEYS, "spm", "accent", "rate")), JUNK),
        "phrases": st.one_of(st.dictionaries(st.sampled_from(list(CUE_KINDS)), st.text()), JUNK),
        "reminders": st.one_of(st.lists(_table(REMINDER_KEYS, ("text",)), max_size=2), JUNK),
        "bogus": JUNK,
    },
)


@st.composite
def file_bytes(draw: st.DrawFn, documents: st.SearchStrategy[dict[str, Any]]) -> bytes:
    text = tomli_w.dumps(draw(documents))
    how = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    raw = text.encode(how, errors="replace")
    if draw(st.booleans()) and raw:  # a damaged file
        at = draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + draw(st.binary(max_size=4)) + raw[at + 1 :]
    return raw


@FUZZ
@given(raw=file_bytes(PRESETS))
def test_any_preset_file_is_a_walk_or_one_line(quick: Path, raw: bytes) -> None:
    path = quick / "mine.toml"
    path.write_bytes(raw)
    try:
        session = load_preset(str(path))
    except PacerError as err:
        assert "\n" not in str(err) and str(err).startswith(f"{path}: ")
    else:
        assert isinstance(session, Session)
        again = quick / "again.toml"
        again.write_text(preset_toml(session))
        assert load_preset(str(again)) == session
    result = CliRunner().invoke(main, ["show", "--preset", str(path), "--voice", "none"])
    _one_line_or_none(result)
    assert result.exit_code in (0, 2)


@FUZZ
@given(raw=file_bytes(CONFIGS))
def test_any_config_file_is_used_or_one_line_naming_it(quick: Path, raw: bytes) -> None:
    folder = Path(os.environ["PACER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_bytes(raw)
    result = CliRunner().invoke(main, ["show", "--voice", "none", "--minutes", "2"])
    _one_line_or_none(result)
    if result.exit_code:
        assert f"pacer: error: {folder / 'config.toml'}: " in result.stderr or (
            "preset" in result.stderr
        )


# --- the library ---------------------------------------------------------------------

ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(10**15, 10**500),
    st.floats(),
    st.text(max_size=6),
    st.binary(max_size=4),
    st.lists(st.integers(0, 20), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.integers(-(2**63), 2**63 - 1).map(np.int64),
    st.floats(width=32).map(np.float32),
    st.booleans().map(np.bool_),
    st.just(Phase("walk", 60, 60)),
    st.just(object()),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), np.float64("nan")]),
    st.sampled_from(["a\x00b", "\x00", "walk\x00.wav", b"a\x00b", Path("a\x00b.sqlite3")]),
)
"""Any Python value a caller might pass: NaN, infinities and names with a NUL byte
(which only a program can give) among them."""

SHORT = presets.backward(minutes=1, sample_rate=8000)


def _kwargs(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={name: ANYTHING for name in names})


def _works_or_pacer_error(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except PacerError as err:
        assert str(err) and "\n" not in str(err)
        return None


@FUZZ
@given(
    phase=_kwargs([f.name for f in pacer.session.fields(Phase)]),
    session=_kwargs([f.name for f in pacer.session.fields(Session) if f.name != "phases"]),
    phases=st.one_of(ANYTHING, st.just((Phase("walk", 60, 60),))),
    reminder=_kwargs(["text", "every", "at"]),
)
def test_any_values_make_a_session_or_a_pacer_error(
    phase: dict[str, Any], session: dict[str, Any], phases: Any, reminder: dict[str, Any]
) -> None:
    made = _works_or_pacer_error(
        Phase, **{"name": "walk", "seconds": 60, "steps_per_minute": 60, **phase}
    )
    if made is not None:
        assert isinstance(made.seconds, (int, float)) and not isinstance(made.seconds, np.generic)
    _works_or_pacer_error(Session, phases, **session)
    _works_or_pacer_error(Reminder, **{"text": "Relax.", "every": 60, **reminder})
    _works_or_pacer_error(SHORT.with_changes, **session)


@FUZZ
@given(
    backward=_kwargs(presets.factory_options("backward")),
    back_pain=_kwargs(presets.factory_options("back-pain")),
    options=_kwargs(["minutes", "steps_per_minute", "look_back_every", "route_metres", "voice"]),
    preset=st.one_of(ANYTHING, st.sampled_from(["backward", "back-pain"])),
)
def test_any_values_make_a_preset_or_a_pacer_error(
    quick: Path,
    backward: dict[str, Any],
    back_pain: dict[str, Any],
    options: dict[str, Any],
    preset: Any,
) -> None:
    _works_or_pacer_error(presets.backward, **backward)
    _works_or_pacer_error(presets.back_pain, **back_pain)
    _works_or_pacer_error(presets.built_in, preset, **options)
    _works_or_pacer_error(session_from, preset, config=False, **options)
    _works_or_pacer_error(customise, SHORT, **options)
    _works_or_pacer_error(load_preset, preset)


@FUZZ
@given(
    path=st.one_of(ANYTHING, st.sampled_from(["x.wav", "x.flac", "x.lrc", "a" * 300 + ".ogg"])),
    format=st.one_of(ANYTHING, st.sampled_from(["wav", "ogg", "WAV", ".flac"])),
    progress=st.one_of(ANYTHING, st.just(lambda done, total: None)),
    frames=ANYTHING,
)
def test_any_values_render_or_raise_a_pacer_error(
    quick: Path, path: Any, format: Any, progress: Any, frames: Any
) -> None:
    _works_or_pacer_error(pacer.render, SHORT, path, format=format, progress=progress)
    _works_or_pacer_error(output_file.write_captions, SHORT, path)
    _works_or_pacer_error(output_file.format_for, path, format)
    _works_or_pacer_error(lambda: next(iter(pacer.blocks(SHORT, frames))))


PREPARED = pacer.prepare(SHORT)
A_CUE = PREPARED.schedule.cues[0]
A_BLOCK = np.zeros((512, 2), dtype=np.float32)


def _finished_walk() -> Any:
    """A live walk of ``SHORT`` pulled to its end, as a program's play walk ends."""
    walk = pacer.live.Walk(PREPARED, pre_roll=0)
    while not walk.finished:
        walk.pull(1 << 15)
    return walk


FINISHED = _finished_walk()
AN_ENTRY = pacer.journal.Entry("2026-01-05T08:00:00", "backward", 20, 20, 60, 60)


def _checked(now: Any) -> Any:
    """``Player.check(now)`` on a walk playing to no device."""
    with pacer.play(SHORT, engine="null") as player:
        return player.check(now)


def _in_journal(tmp: Path, call: Any) -> Any:
    """``call(book, *args)`` on a journal of one walk in ``tmp``."""

    def run(*args: Any) -> Any:
        with pacer.Journal(tmp / "one.sqlite3") as book:
            if not book.entries():
                book.add(AN_ENTRY)
            return call(book, *args)

    return run


def _entry_points(tmp: Path) -> dict[str, tuple[Any, list[Any]]]:
    """Every public function and class of the library (``pacer.__all__``) and the
    entry points of its modules, each with arguments that work."""
    from datetime import date

    from pacer import display, live, plan, report, timeline

    return {
        "beats": (lambda *a: next(iter(pacer.beats(*a)), None), [SHORT, 0, 8000]),
        "schedule": (pacer.schedule, [SHORT, {}]),
        "prepare": (pacer.prepare, [SHORT]),
        "blocks": (lambda *a: next(iter(pacer.blocks(*a)), None), [PREPARED, 512, 0, 4096]),
        "render": (pacer.render, [PREPARED, str(tmp / "x.wav")]),
        "play": (lambda s: pacer.play(s, engine="null").__enter__().stop(), [SHORT]),
        "Walk": (pacer.Walk, [PREPARED]),
        "Walk.pull": (lambda n: pacer.Walk(PREPARED).pull(n), [512]),
        "Journal": (pacer.Journal, [str(tmp / "j.sqlite3")]),
        "session_from": (pacer.session_from, ["backward"]),
        "Schedule.events": (
            lambda *a: next(iter(PREPARED.schedule.events(*a)), None),
            [0, 8000],
        ),
        "Prepared.words": (PREPARED.words, [A_CUE]),
        "Prepared.speech": (PREPARED.speech, [A_CUE]),
        "display.captions": (display.captions, [PREPARED, "lrc"]),
        "plan.next_walk": (plan.next_walk, [[], "backward", date(2026, 1, 1)]),
        "plan.planned_session": (plan.planned_session, [[AN_ENTRY], "backward", date(2026, 1, 9)]),
        "live.rest_of": (live.rest_of, [SHORT, 8000]),
        "live.render_played": (live.render_played, [PREPARED, list(FINISHED.played()), 8000]),
        "timeline.schedule": (timeline.schedule, [SHORT, {}]),
        "presets.backward": (presets.backward, [1, 60]),
        "presets.back_pain": (lambda m: presets.back_pain(minutes=m), [12]),
        "Walk.pull_into": (lambda block: pacer.Walk(PREPARED).pull_into(block), [A_BLOCK]),
        "Walk.set_steps_per_minute": (
            lambda spm: pacer.Walk(PREPARED).set_steps_per_minute(spm),
            [70],
        ),
        "Player.check": (_checked, [0.0]),
        "Journal.entries": (_in_journal(tmp, lambda book, *a: book.entries(*a)), [5, "backward"]),
        "Journal.get": (_in_journal(tmp, lambda book, i: book.get(i)), [1]),
        "Journal.add": (_in_journal(tmp, lambda book, e: book.add(e)), [AN_ENTRY]),
        "journal.every_walk": (
            _in_journal(tmp, lambda book, it: pacer.journal.every_walk(book if it == "it" else it)),
            ["it"],
        ),
        "journal.record_walk": (
            _in_journal(
                tmp,
                lambda book, walk, preset, after: pacer.journal.record_walk(
                    book, walk, preset=preset, pain_after=after
                ),
            ),
            [FINISHED, "backward", 2],
        ),
        "report.weeks": (report.weeks, [[AN_ENTRY]]),
        "report.as_csv": (report.as_csv, [[AN_ENTRY]]),
        "report.as_records": (report.as_records, [[AN_ENTRY]]),
        "report.clinic_report": (
            report.clinic_report,
            [[AN_ENTRY], "backward", date(2026, 1, 9), pacer.presets.PLANS["backward"], None, {}],
        ),
    }


def test_every_public_name_is_fuzzed() -> None:
    """A new public function or class gets wrong-type fuzzing (below or in the tests
    above) before it is exported."""
    fuzzed = {*_entry_points(Path(".")), "Phase", "Reminder", "Session", "Prepared"}
    public = {
        name
        for name in pacer.__all__
        if callable(getattr(pacer, name))
        and not isinstance(getattr(pacer, name), type(Exception))
        and not (
            isinstance(getattr(pacer, name), type)
            and issubclass(getattr(pacer, name), BaseException)
        )
    }
    assert public - fuzzed - {"Beat", "Cue", "Event", "Summary", "Rendered", "Schedule"} == set()


def test_every_call_the_readme_shows_is_fuzzed() -> None:
    """Each ``pacer.x(...)`` or ``pacer.module.x(...)`` the README calls gets the
    wrong-value fuzzing below (``pacer.play`` and ``pacer.render`` by their names)."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    shown = {name.removeprefix("pacer.") for name in re.findall(r"\bpacer\.[\w.]+(?=\()", readme)}
    assert shown and shown - set(_entry_points(Path("."))) == set()


@pytest.mark.parametrize("name", list(_entry_points(Path("."))))
@FUZZ
@given(data=st.data())
def test_a_wrong_value_anywhere_in_a_public_call_is_a_pacer_error(
    quick: Path, name: str, data: st.DataObject
) -> None:
    """Missing or unknown arguments stay Python's TypeError (the signature's own
    contract); any value of the wrong type or range is a one-line PacerError."""
    call, args = _entry_points(quick)[name]
    at = data.draw(st.integers(0, len(args) - 1))
    wrong = data.draw(ANYTHING)
    _works_or_pacer_error(call, *args[:at], wrong, *args[at + 1 :])


@pytest.mark.parametrize(
    "args",
    [["render", "\x00"], ["render", "a\x00b.wav"], ["history", "--journal", "a\x00b"]],
)
def test_a_nul_character_in_a_file_name_is_one_line(args: list[str]) -> None:
    """A NUL in a file name (only a program can pass one) is a usage error in one line."""
    result = CliRunner().invoke(main, args)
    _one_line_or_none(result)
    assert result.exit_code == 2 and "NUL character" in result.stderr


@pytest.mark.parametrize(
    "call, setting",
    [
        (lambda name: pacer.render(SHORT, name + ".wav"), "path"),
        (lambda name: output_file.write_captions(SHORT, name + ".lrc"), "path"),
        (lambda name: pacer.Journal(name + ".sqlite3"), "journal"),
        (lambda name: load_preset(name + ".toml"), "toml"),
        (lambda name: session_from(name + ".toml", config=False), "toml"),
        (lambda name: session_from("backward", config=name + ".toml"), "config"),
        (lambda name: pacer.config.load_config(name + ".toml"), "config"),
        (lambda name: pacer.report.plot([], name + ".png"), "plot"),
    ],
    ids=["render", "captions", "journal", "preset", "session_from", "config", "config2", "plot"],
)
def test_a_nul_character_in_a_file_name_given_to_the_library_is_a_settings_error(
    quick: Path, call: Any, setting: str
) -> None:
    """A program may give any text as a file name: one with a NUL, which no file can
    have, is a SettingsError that names the setting and the NUL, and nothing is made."""
    with pytest.raises(pacer.SettingsError, match="NUL character") as raised:
        call("walk\x00")
    assert setting in str(raised.value) and "\n" not in str(raised.value)
    assert sorted(p.name for p in quick.iterdir()) == ["cache"] or not list(quick.iterdir())
