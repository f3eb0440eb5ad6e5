"""Every input checked at the edge, every file kept whole: one test (or a few) for each
class of failure an outside tester found. A mistake is one line naming the value and
what is allowed (exit 2; 1 for a failure of the machine); nothing already written is
lost or left half-written."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from click.testing import CliRunner

import pacer
from pacer import Phase, Reminder, Session, SettingsError, presets
from pacer.cli import main
from pacer.config import PHASE_KEYS, SESSION_KEYS, PresetError, load_preset, session_from
from pacer.output import file as output_file
from pacer.session import count

HUGE = "9" * 400
SHORT = presets.backward(minutes=1, sample_rate=8000)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of its own (the config and data folders are beside it)."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def config(tmp_path: Path) -> Path:
    folder = Path(os.environ["PACER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def one_line(*args: str, code: int = 2) -> str:
    """Run pacer; it must fail with ``code`` and exactly one error line: return it."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = [line for line in result.stderr.splitlines() if line.startswith("pacer: error: ")]
    assert len(errors) == 1 and "Traceback" not in result.output, result.stderr
    return errors[0]


def preset_file(where: Path, text: str, name: str = "mine.toml") -> Path:
    path = where / name
    path.write_text(text + '\n[[phases]]\nname = "walk"\nminutes = 3\nsteps_per_minute = 60\n')
    return path


# 1. Huge integers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["render", "w.wav", "--accent", HUGE],
        ["render", "w.wav", "--look-back-every", HUGE],
        ["show", "--rate", HUGE],
        ["show", "--spm", "-" + HUGE],
        ["log", "--minutes", "20", "--pain-after", HUGE],
        ["log", "--id", HUGE, "--minutes", "20"],
    ],
)
def test_huge_numbers_on_the_command_line_are_one_line(here: Path, args: list[str]) -> None:
    line = one_line(*args)
    assert "a 400-digit number is not in the range" in line
    assert not list(here.glob("w.*"))


@pytest.mark.parametrize(
    "text, fragment",
    [
        (f"accent_every = {HUGE}", "accent_every: a 400-digit number is not in the range 2<=x<=16"),
        (
            f"[[reminders]]\ntext = 'x'\nevery_minutes = {HUGE}",
            "reminders[0]: every_minutes: a 400-digit number is not in the range",
        ),
    ],
)
def test_huge_numbers_in_a_preset_are_one_line(here: Path, text: str, fragment: str) -> None:
    path = preset_file(here, text)
    assert one_line("show", "--preset", str(path)).startswith(f"pacer: error: {path}: {fragment}")
    phase = here / "phase.toml"
    phase.write_text(f"[[phases]]\nname = 'walk'\nminutes = 3\nlook_back_every = {HUGE}\n")
    assert "look_back_every: a 400-digit number" in one_line("show", "--preset", str(phase))


def test_huge_numbers_in_config_toml_name_the_file(config: Path) -> None:
    (config / "config.toml").write_text(f"[defaults]\nrate = {HUGE}\n")
    line = one_line("show")
    assert line.startswith(f"pacer: error: {config / 'config.toml'}: [defaults] rate: a 400-digit")


def test_huge_numbers_in_the_library_are_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="minutes: a 401-digit number is not in the range"):
        presets.backward(minutes=10**400)


# 2. Long names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["render", "a" * 300 + ".wav"],
        ["render", "w.wav", "--cues", "c" * 300 + ".lrc"],
        ["history", "--plot", "p" * 300 + ".png"],
    ],
)
def test_a_name_too_long_is_one_line(here: Path, args: list[str]) -> None:
    assert "the most a file system takes is 255" in one_line(*args)
    assert list(here.iterdir()) == []


@pytest.mark.parametrize("tmpfile", [True, False], ids=["unnamed", "named"])
def test_a_legal_250_character_name_is_written(
    here: Path, monkeypatch: pytest.MonkeyPatch, tmpfile: bool
) -> None:
    monkeypatch.setattr(output_file._Atomic, "use_tmpfile", tmpfile)
    name = "w" * 246 + ".wav"
    pacer.render(SHORT, name)
    assert [p.name for p in here.iterdir()] == [name]
    assert soundfile.info(name).frames == pacer.prepare(SHORT).schedule.length


@pytest.mark.parametrize("command", [["log", "--minutes", "5"], ["history"], ["next"]])
def test_a_journal_name_too_long_for_sqlites_side_files_is_refused_before_anything(
    here: Path, command: list[str]
) -> None:
    """SQLite keeps NAME-journal and NAME-wal beside the journal: a name with no room
    for them is refused in words, and nothing is created."""
    line = one_line(*command, "--journal", "j" * 244 + ".sql")
    assert line.endswith(
        "the name is too long: at most 247 characters for a journal, since SQLite keeps "
        "a file named like it plus '-journal' beside it"
    )
    assert list(here.iterdir()) == []
    with pytest.raises(SettingsError, match="at most 247 characters"):
        pacer.Journal("j" * 244 + ".sql")


def test_the_longest_journal_name_is_used(here: Path) -> None:
    name = "j" * 243 + ".sql"
    result = CliRunner().invoke(main, ["log", "--minutes", "5", "--journal", name])
    assert result.exit_code == 0, result.output
    assert [entry.walked_minutes for entry in pacer.Journal(name).entries()] == [5]


# 3. Encodings ---------------------------------------------------------------------------

TEXT = "title = 'café walk'\n[[phases]]\nname = 'walk'\nminutes = 3\nsteps_per_minute = 60\n"


@pytest.mark.parametrize(
    "raw, fragment",
    [
        (TEXT.encode("latin-1"), "not UTF-8 text (byte 0xe9 on line 1); save it as UTF-8"),
        (TEXT.encode("utf-16"), "is UTF-16 text; save it as UTF-8"),
        (bytes(range(256)), "not a text file; a preset is TOML text"),
        (TEXT.encode("utf-32"), "is UTF-32 text; save it as UTF-8"),
        (
            b"a = " + b"[" * 5000 + b"]" * 5000,
            "not valid TOML (arrays or tables nested too deeply)",
        ),
    ],
    ids=["latin-1", "utf-16", "binary", "utf-32", "deep"],
)
def test_a_file_in_another_encoding_is_one_line(
    here: Path, config: Path, raw: bytes, fragment: str
) -> None:
    path = here / "mine.toml"
    path.write_bytes(raw)
    assert one_line("show", "--preset", str(path)) == f"pacer: error: {path}: {fragment}"
    (config / "config.toml").write_bytes(raw)
    assert one_line("show") == f"pacer: error: {config / 'config.toml'}: {fragment}"
    (config / "config.toml").unlink()
    (config / "presets").mkdir()
    (config / "presets" / "latin.toml").write_bytes(raw)
    listing = CliRunner().invoke(main, ["presets"])
    assert listing.exit_code == 0
    assert re.search(rf"^latin +cannot be used: {re.escape(fragment)}  \(", listing.stdout, re.M)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dangling(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere.toml")


def _loop(path: Path) -> None:
    path.symlink_to(path)


@pytest.mark.parametrize(
    "make, fragment",
    [
        (_fifo, "not a regular file (a pipe or a device); a preset or config file is TOML text"),
        (_dangling, "no such file"),
        (_loop, "cannot read it (Too many levels of symbolic links)"),
    ],
    ids=["fifo", "dangling-link", "link-loop"],
)
def test_a_preset_or_config_that_is_no_file_is_one_line(
    here: Path, config: Path, make: Any, fragment: str
) -> None:
    """A named pipe is refused, never waited on; a broken config.toml link is said."""
    path = here / "mine.toml"
    make(path)
    assert one_line("show", "--preset", str(path)).startswith(f"pacer: error: {path}: {fragment}")
    with pytest.raises(PresetError, match=re.escape(fragment)):
        pacer.session_from(str(path))
    make(config / "config.toml")
    assert one_line("show").startswith(f"pacer: error: {config / 'config.toml'}: {fragment}")
    (config / "config.toml").unlink()
    (config / "presets").mkdir()
    make(config / "presets" / "odd.toml")
    listing = CliRunner().invoke(main, ["presets"])
    assert listing.exit_code == 0
    assert re.search(rf"^odd +cannot be used: {re.escape(fragment)}", listing.stdout, re.M)
    assert fragment in one_line("presets", "show", "odd")


def test_a_file_name_with_a_nul_is_a_preset_error() -> None:
    with pytest.raises(PresetError, match="not a file name: it holds a NUL character"):
        pacer.session_from("a\x00b.toml")


def test_a_byte_order_mark_is_read(here: Path) -> None:
    path = here / "bom.toml"
    path.write_bytes(TEXT.encode("utf-8-sig"))
    assert load_preset(str(path)).title == "café walk"


# 4. Every value checked against one schema ---------------------------------------------


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("reminders = 5", "reminders must be a list of [[reminders]] tables, not 5"),
        ("phrases = 5", "phrases must be a table, not 5"),
        ("title = 5", "title: 5 is not text of 1 to 200 characters."),
        ("[title]", "title: {} is not text of 1 to 200 characters."),
        ("sound = ['wood']", "sound: ['wood'] is not a beat sound; use one of"),
        ("alternate_feet = 'no'", "alternate_feet: 'no' is not true or false."),
    ],
)
def test_a_session_value_of_the_wrong_shape_is_one_line(
    here: Path, text: str, fragment: str
) -> None:
    path = preset_file(here, text)
    assert one_line("show", "--preset", str(path)).startswith(f"pacer: error: {path}: {fragment}")


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("minutes_left = 3", "minutes_left: 3 is not a list of whole minutes."),
        ("announce = 5", "announce: 5 is not a list of cue kinds."),
        ("countdown = 2.5", "countdown: 2.5 is not a whole number; use 0 to 10 s."),
        ("look_back_every = 2.5", "look_back_every: 2.5 is not a whole number; use 2 to 600"),
        ("turn_around_every = 4.5", "turn_around_every: 4.5 is not a whole number"),
        ("halfway = 1", "halfway: 1 is not true or false."),
    ],
)
def test_a_phase_value_of_the_wrong_shape_is_one_line(here: Path, text: str, fragment: str) -> None:
    path = here / "mine.toml"
    path.write_text(f"[[phases]]\nname = 'walk'\nminutes = 3\nsteps_per_minute = 60\n{text}\n")
    line = one_line("show", "--preset", str(path))
    assert line.startswith(f"pacer: error: {path}: phases[0] (walk): {fragment}")


def test_a_phase_table_in_place_of_a_list_is_one_line(here: Path) -> None:
    path = here / "mine.toml"
    path.write_text("[phases.name]\nx = 1\n")
    assert one_line("show", "--preset", str(path)).endswith(
        "phases must be a list of [[phases]] tables, not {'name': {'x': 1}}"
    )


# Every field of the dataclasses that a file may set, with a value that is not its
# default. A field added to Phase or Session without one here fails this test.
EXAMPLES: dict[str, Any] = {
    "name": "walk",
    "seconds": 150,
    "steps_per_minute": 70,
    "ramp_to": 75,
    "look_back_every": 30,
    "halfway": True,
    "minutes_left": [1],
    "kind": "walk",
    "posture_every": 60,
    "turn_around_every": 400,
    "countdown": 3,
    "announce": ["water"],
    "look_back": "stop",
    "fade_beat": True,
    "side": "left",
    "position": 8,
    "title": "every key",
    "sound": "click",
    "accent_every": 4,
    "alternate_feet": True,
    "sample_rate": 22050,
    "volume": 50,
    "lead_in": 1.5,
    "voice": "zh",
    "phrases": {"halfway": "Half."},
    "reminders": [{"text": "Breathe.", "every_minutes": 1}],
}


def test_every_field_a_file_may_set_is_read_from_a_file(here: Path) -> None:
    import tomli_w

    phase_keys = [k for k in PHASE_KEYS if k != "minutes"]
    missing = [k for k in (*phase_keys, *SESSION_KEYS) if k not in EXAMPLES and k != "phases"]
    assert not missing, f"add an example value for {missing}"
    document = {k: EXAMPLES[k] for k in SESSION_KEYS if k != "phases"}
    # A held stretch's own keys are set on a stretch after the walk.
    stretch_keys = ("side", "position")
    stretch = {"name": "calf stretch", "kind": "stretch", "seconds": 20, "announce": ["stretch"]}
    document["phases"] = [
        {k: EXAMPLES[k] for k in phase_keys if k not in stretch_keys},
        {**stretch, **{k: EXAMPLES[k] for k in stretch_keys}},
    ]
    path = here / "every.toml"
    path.write_text(tomli_w.dumps(document))
    session = load_preset(str(path))
    for key in phase_keys:
        value = getattr(session.phases[1 if key in stretch_keys else 0], key)
        assert (list(value) if isinstance(value, tuple) else value) == EXAMPLES[key], key
    for key in SESSION_KEYS:
        if key not in ("phases", "phrases", "reminders"):
            assert getattr(session, key) == EXAMPLES[key], key
    assert session.phrases == (("halfway", "Half."),)
    assert session.reminders == (Reminder("Breathe.", every=60),)


# 5. config.toml: every key used or refused, with the file's name -----------------------


def test_config_toml_errors_name_the_file_and_the_key(config: Path) -> None:
    path = config / "config.toml"
    path.write_text("[defaults]\nspm = 1000\n")
    assert one_line("show") == (
        f"pacer: error: {path}: [defaults] spm: 1000 is not in the range 30<=x<=180 steps/min."
    )
    path.write_text('[defaults]\nengine = "bogus"\n')
    assert one_line("walk", "--no-journal") == (
        f"pacer: error: {path}: [defaults] engine: 'bogus' is not an engine; "
        "use one of miniaudio, null, simpleaudio"
    )
    path.write_text("[defaults]\nbogus = 1\n")
    assert one_line("show").startswith(f"pacer: error: {path}: [defaults]: unknown key 'bogus';")
    path.write_text("defaults = 5\n")
    assert one_line("show") == f"pacer: error: {path}: [defaults] must be a table, not 5"


def test_config_toml_engine_is_the_walks_engine(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pacer.output.device as device

    asked: list[str] = []

    def record(name: str, *args: object, **kwargs: object) -> None:
        asked.append(name)
        raise pacer.NoAudioOutputError("no audio output here")

    monkeypatch.setattr(device, "open_engine", record)
    (config / "config.toml").write_text('[defaults]\nengine = "null"\n')
    one_line("walk", "--no-journal", code=1)
    one_line("walk", "--no-journal", "--engine", "miniaudio", code=1)
    assert asked == ["null", "miniaudio"]


def test_config_toml_sets_any_session_or_main_walk_setting(config: Path) -> None:
    (config / "config.toml").write_text(
        "[defaults]\npreset = 'back-pain'\nsteps_per_minute = 96\naccent = 4\n"
        "halfway = false\nroute_metres = 300\n"
    )
    data = json.loads(CliRunner().invoke(main, ["show", "--json"]).stdout)
    walk = next(p for p in data["phases"] if p["name"] == "walk")
    assert walk["steps_per_minute"] == 96 and data["title"] == "walk for back pain"
    session = session_from()
    assert session.accent_every == 4 and session.main_phase is not None
    assert not session.main_phase.halfway
    assert session.main_phase.turn_around_every == 500  # 300 m of 0.6 m steps


# 6. An output over an input or another output; a format the name contradicts -----------


@pytest.mark.parametrize(
    "args, fragment",
    [
        (
            ["render", "same.lrc", "--format", "wav", "--cues", "same.lrc"],
            "--cues: same.lrc is written to the same file as FILE",
        ),
        (
            ["render", "mine.toml", "--format", "wav", "--preset", "mine.toml"],
            "--preset: mine.toml is read from the same file as FILE",
        ),
        (
            ["render", "walk.ogg", "--format", "wav"],
            "--format: wav does not match the file name walk.ogg (OGG)",
        ),
    ],
)
def test_an_output_never_overwrites_an_input_or_says_the_wrong_format(
    here: Path, args: list[str], fragment: str
) -> None:
    preset_file(here, "")
    before = {p.name: p.read_bytes() for p in here.iterdir()}
    assert fragment in one_line(*args)
    assert {p.name: p.read_bytes() for p in here.iterdir()} == before


@pytest.mark.parametrize("where", ["default", "PACER_JOURNAL", "--journal"])
def test_render_never_writes_over_a_journal_or_any_file_not_audio(
    here: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    journal = here / "mine.db" if where != "default" else None
    if where == "PACER_JOURNAL":
        monkeypatch.setenv("PACER_JOURNAL", str(journal))
    flags = ["--journal", str(journal)] if where == "--journal" else []
    CliRunner().invoke(main, ["log", "--minutes", "5", *flags], catch_exceptions=False)
    path = journal or pacer.journal.default_path()
    kept = path.read_bytes()
    assert one_line("render", str(path), "--format", "wav", "--minutes", "1").endswith(
        ".sqlite3: already exists and is a database (perhaps pacer's journal); "
        "pacer writes only over an earlier file of its own kind: give another name"
        if where == "default"
        else f"{path}: already exists and is a database (perhaps pacer's journal); "
        "pacer writes only over an earlier file of its own kind: give another name"
    )
    notes = here / "notes.txt"
    notes.write_text("my walks\n")
    assert "notes.txt: already exists and is not an audio file" in one_line(
        "render", "notes.txt", "--format", "ogg"
    )
    (here / "walk.srt").write_bytes(kept)
    assert "walk.srt: already exists and is a database" in one_line(
        "render", "walk.wav", "--cues", "walk.srt"
    )
    with pytest.raises(SettingsError, match="already exists and is a database"):
        pacer.render(SHORT, path, format="wav")
    assert path.read_bytes() == kept and notes.read_text() == "my walks\n"
    assert not (here / "walk.wav").exists()


@pytest.mark.parametrize("closed", [">&-", "2>&-", "<&-", ">&- 2>&-"])
def test_a_closed_standard_stream_is_no_traceback(tmp_path: Path, closed: str) -> None:
    """Started with standard output (or error, or input) closed, pacer runs as if it
    were /dev/null; a render's file is still the file, never written as the output."""
    script = (
        f'"$0" -m pacer show --voice none {closed} && "$0" -m pacer render -q '
        f"--voice none --minutes 1 --rate 8000 walk.wav {closed}"
    )
    run = subprocess.run(
        ["sh", "-c", script, sys.executable], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "Error" not in run.stderr, run.stderr
    assert soundfile.info(tmp_path / "walk.wav").duration >= 60


# 7. A full device ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["show"], ["history", "--json"], ["presets", "show", "backward"], ["--help"], []],
)
def test_output_to_a_full_device_is_one_line(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "pacer", *args], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert done.returncode == 1
    assert done.stderr == "pacer: error: cannot write the output: the disk is full\n"


@pytest.mark.parametrize("format", list(output_file.FORMATS))
def test_a_full_disk_is_said_for_every_format(format: str) -> None:
    with pytest.raises(pacer.OutputError) as caught:
        pacer.render(SHORT, "/dev/full", format=format)
    assert str(caught.value) == "cannot write /dev/full: the disk is full"


# 8. A killed render leaves the old file and nothing else -------------------------------

STALL = """
import sys
import pacer.output.file as f

real = f.pcm16_pieces


def stalled(*args, **kwargs):
    pieces = real(*args, **kwargs)
    yield next(pieces)
    print("writing", flush=True)
    sys.stdin.readline()  # until the test sends its signal
    yield from pieces


f.pcm16_pieces = stalled
f._Atomic.use_tmpfile = {tmpfile}
from pacer.cli import main

main(["render", "walk.{ext}", "--minutes", "25", "--rate", "8000", "-q", "--voice", "none"])
"""


@pytest.mark.parametrize("ext", ["wav", "flac"])
@pytest.mark.parametrize(
    "signum, code, tmpfile",
    [
        (signal.SIGKILL, -signal.SIGKILL, True),
        (signal.SIGTERM, 143, True),
        (signal.SIGHUP, 129, True),
        (signal.SIGTERM, 143, False),
        (signal.SIGHUP, 129, False),
        (signal.SIGINT, 130, False),
    ],
    ids=["SIGKILL", "SIGTERM", "SIGHUP", "SIGTERM-named", "SIGHUP-named", "SIGINT-named"],
)
def test_a_render_killed_midway_leaves_the_old_file_and_nothing_else(
    tmp_path: Path, signum: int, code: int, tmpfile: bool, ext: str
) -> None:
    old = tmp_path / f"walk.{ext}"
    old.write_bytes(b"OggS yesterday's walk")
    render = subprocess.Popen(
        [sys.executable, "-c", STALL.format(tmpfile=tmpfile, ext=ext)],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert render.stdout is not None and render.stdout.readline() == "writing\n"
    if not tmpfile:
        assert len(list(tmp_path.iterdir())) == 2  # the old file and the named temporary
    render.send_signal(signum)
    _, stderr = render.communicate()
    assert render.returncode == code, stderr
    if signum != signal.SIGKILL:
        assert stderr == f"pacer: error: interrupted; walk.{ext} was not written\n"
    assert [p.name for p in tmp_path.iterdir()] == [old.name]
    assert old.read_bytes() == b"OggS yesterday's walk"


# A signal that lands inside one of libsndfile's callbacks into Python (writing, asking
# where the file is, finishing it on close) or while the finished file is linked into
# place: the render still stops, and the old file stays.
SELF_SIGNAL = """
import os
import signal
import soundfile
import pacer.output.file as f

calls = 0


def at(where, real, nth):
    def wrapped(*args, **kwargs):
        global calls
        calls += 1
        if calls == nth:
            os.kill(os.getpid(), signal.{signame})
        return real(*args, **kwargs)

    return wrapped


where = "{where}"
if where == "close":
    soundfile.SoundFile.close = at(where, soundfile.SoundFile.close, 1)
elif where == "link":
    os.link = at(where, os.link, 1)
else:
    setattr(f._Recorded, where, at(where, getattr(f._Recorded, where), {nth}))
from pacer.cli import main

main(["render", "walk.{ext}", "--preset", "short.toml", "--rate", "8000", "-q"])
"""


@pytest.mark.parametrize(
    "signame, ext, where, nth",
    [
        ("SIGINT", "flac", "write", 1),
        ("SIGTERM", "flac", "tell", 40),
        ("SIGHUP", "flac", "close", 1),
        ("SIGTERM", "flac", "link", 1),
        ("SIGTERM", "ogg", "write", 20),
        ("SIGHUP", "ogg", "tell", 2),
        ("SIGINT", "ogg", "close", 1),
        ("SIGHUP", "ogg", "link", 1),
    ],
)
def test_a_signal_inside_the_encoder_still_stops_the_render(
    tmp_path: Path, signame: str, ext: str, where: str, nth: int
) -> None:
    old = tmp_path / f"walk.{ext}"
    old.write_bytes(b"OggS yesterday's walk")
    preset = tmp_path / "short.toml"
    preset.write_text(
        'voice = "none"\n[[phases]]\nname = "walk"\nminutes = 3\nsteps_per_minute = 100\n'
    )
    code = SELF_SIGNAL.format(signame=signame, ext=ext, where=where, nth=nth)
    render = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert render.returncode == 128 + getattr(signal, signame), render.stderr
    assert render.stderr == f"pacer: error: interrupted; walk.{ext} was not written\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([old.name, preset.name])
    assert old.read_bytes() == b"OggS yesterday's walk"


@pytest.mark.parametrize("tmpfile", [True, False], ids=["unnamed", "named"])
def test_a_render_through_a_link_writes_the_file_it_points_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmpfile: bool
) -> None:
    monkeypatch.setattr(output_file._Atomic, "use_tmpfile", tmpfile)
    (tmp_path / "music").mkdir()
    real = tmp_path / "music" / "walk.wav"
    real.write_bytes(b"OggS yesterday's walk")
    link = tmp_path / "walk.wav"
    link.symlink_to(real)
    pacer.render(SHORT, link)
    assert link.is_symlink() and link.resolve() == real
    assert soundfile.info(real).frames == pacer.prepare(SHORT).schedule.length
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["music", "walk.wav", "walk.wav"]


def test_a_temporary_left_by_a_killed_render_is_removed_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output_file._Atomic, "use_tmpfile", False)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], text=True, capture_output=True
    )
    dead = int(gone.stdout)
    stale = tmp_path / f".walk.wav.{dead}-0badc0de.part"
    stale.write_bytes(b"half a walk")
    living = tmp_path / f".walk.wav.{os.getpid()}-0badc0de.part"  # another render, running
    living.write_bytes(b"in progress")
    pacer.render(SHORT, tmp_path / "walk.wav")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([living.name, "walk.wav"])


# 9. The speech cache -------------------------------------------------------------------


@pytest.fixture
def own_words(config: Path) -> Path:
    pytest.importorskip("espeakng_loader")
    (config / "config.toml").write_text('[phrases]\nhalfway = "Halfway, well done."\n')
    return config


def test_a_cache_folder_that_is_a_file_is_one_note(
    own_words: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("PACER_CACHE_DIR", str(blocker))
    result = CliRunner().invoke(main, ["render", str(tmp_path / "w.wav"), "--voice", "en", "-q"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "speech cache" in line]
    assert len(notes) == 1 and notes[0].startswith(f"pacer: note: the speech cache {blocker}")
    assert pacer.tts.synthesize("Halfway, well done.", "en") is None
    assert blocker.read_text() == "x"


def test_a_broken_clip_in_the_cache_is_made_again(
    own_words: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PACER_CACHE_DIR", str(tmp_path / "cache"))
    made = pacer.tts.synthesize("Halfway, well done.", "en")
    assert made is not None
    good = made.read_bytes()
    made.write_bytes(b"RIFF\0\0garbage")
    again = pacer.tts.synthesize("Halfway, well done.", "en")
    assert again == made
    heard = soundfile.read(made)[0]  # a whole clip again (speech varies by a sample or two)
    assert abs(len(heard) - len(soundfile.read(io.BytesIO(good))[0])) < 100


def test_a_full_cache_disk_is_one_note_and_pacers_own_words(
    own_words: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    monkeypatch.setenv("PACER_CACHE_DIR", str(tmp_path / "cache"))

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pacer.tts, "_write_probe", full)
    monkeypatch.setattr(soundfile, "write", full)
    result = CliRunner().invoke(main, ["show", "--voice", "en"])
    assert result.exit_code == 0
    assert "cannot be used (the disk is full)" in result.stderr
    assert pacer.tts.synthesize("Halfway, well done.", "en") is None
    assert list((tmp_path / "cache").iterdir()) == []


# 10. The library: a PacerError for any value -------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: Session(phases=None),  # type: ignore[arg-type]
        lambda: Session(phases=5),  # type: ignore[arg-type]
        lambda: Session(phases=Phase("walk", 60, 60)),  # type: ignore[arg-type]
        lambda: SHORT.with_changes(sound={}),
        lambda: SHORT.with_changes(phrases=5),
        lambda: SHORT.with_changes(reminders=None),
        lambda: SHORT.with_changes(notes=5),
        lambda: SHORT.with_changes(bogus=1),
        lambda: Phase("walk", 60, 60, minutes_left=5),  # type: ignore[arg-type]
        lambda: Phase("walk", 60, 60, announce=5),  # type: ignore[arg-type]
        lambda: Phase("walk", 60, 60, elapsed="a"),  # type: ignore[arg-type]
        lambda: next(iter(pacer.blocks(SHORT, 0))),
        lambda: next(iter(pacer.blocks(SHORT, -1))),
        lambda: next(iter(pacer.blocks(SHORT, 2.5))),  # type: ignore[arg-type]
        lambda: next(iter(pacer.blocks(SHORT, "4096"))),  # type: ignore[arg-type]
        lambda: next(iter(pacer.blocks(SHORT, None))),  # type: ignore[arg-type]
        lambda: pacer.render(SHORT, 5),  # type: ignore[arg-type]
        lambda: pacer.render(SHORT, None),  # type: ignore[arg-type]
        lambda: pacer.render(SHORT, b"walk.wav"),  # type: ignore[arg-type]
        lambda: pacer.render(SHORT, "walk.wav", format=5),  # type: ignore[arg-type]
        lambda: presets.backward(alternate_feet="no"),  # type: ignore[arg-type]
        lambda: presets.backward(look_back_every=2.5),  # type: ignore[arg-type]
        lambda: session_from(config=False, bogus=1),
    ],
)
def test_a_bad_library_value_is_a_settings_error(here: Path, call: Any) -> None:
    with pytest.raises(SettingsError) as caught:
        call()
    assert "\n" not in str(caught.value)
    assert list(here.iterdir()) == []


def test_numpy_numbers_are_numbers() -> None:
    session = presets.backward(minutes=np.int64(20), steps_per_minute=np.float32(62))
    assert session.phases[0].seconds == 1200 and type(session.phases[0].seconds) is int
    assert session.with_changes(sample_rate=np.int32(22050)).sample_rate == 22050
    assert json.dumps(pacer.display.as_json(pacer.prepare(session)))


def test_library_errors_name_the_library_parameter_and_the_cli_its_flag(here: Path) -> None:
    with pytest.raises(SettingsError, match=r"^steps_per_minute: 250 is not in the range"):
        presets.backward(steps_per_minute=250)
    with pytest.raises(SettingsError, match=r"^sample_rate: 44100 Hz is not allowed for \.opus"):
        pacer.render(SHORT.with_changes(sample_rate=44100), "w.opus")
    assert one_line("render", "w.opus", "--rate", "44100").startswith(
        "pacer: error: --rate: 44100 Hz is not allowed for .opus"
    )


# 12. Wording ---------------------------------------------------------------------------


def test_range_errors_end_with_the_range_not_empty_brackets(here: Path) -> None:
    line = one_line("log", "--minutes", "20", "--pain-after", "11")
    assert "'--pain-after': 11 is not in the range 0<=x<=10. (see '" in line
    assert "()" not in line


def test_counts_are_singular_for_one() -> None:
    assert [count(n, "step") for n in (0, 1, 2)] == ["0 steps", "1 step", "2 steps"]
    assert pacer.session.fill_in("{n} minute{s} to go", 1) == "1 minute to go"
    assert pacer.session.fill_in("{n} minute{s} to go", 5) == "5 minutes to go"


def test_a_reminder_error_says_where_once(here: Path) -> None:
    path = preset_file(here, "[[reminders]]\ntext = ''\nevery_minutes = 5")
    with pytest.raises(PresetError) as caught:
        load_preset(str(path))
    assert str(caught.value) == (
        f"{path}: reminders[0]: text: '' has nothing to say; write words, or leave the "
        "reminder out."
    )


# issue 12: the library builds the CLI's session in one call ----------------------------


def test_the_library_builds_the_session_the_command_line_does(config: Path, here: Path) -> None:
    park = preset_file(here, "title = 'park loop'")
    (config / "config.toml").write_text(
        "[defaults]\nsound = 'click'\n[[reminders]]\ntext = 'Breathe.'\nevery_minutes = 1\n"
    )
    args = ["--preset", str(park), "--route-metres", "100", "--spm", "70", "--voice", "none"]
    shown = json.loads(CliRunner().invoke(main, ["show", "--json", *args]).stdout)
    session = pacer.session_from(str(park), route_metres=100, steps_per_minute=70, voice="none")
    assert session.sound == "click" and session.reminders == (Reminder("Breathe.", every=60),)
    assert session.main_phase is not None and session.main_phase.turn_around_every == 286
    expected = pacer.display.as_json(pacer.prepare(session))
    assert shown["events"] == expected["events"]


def test_a_session_note_never_stands_beside_an_error(here: Path) -> None:
    """'1 minute is outside the 20-30 minutes advised' is said when the command goes
    ahead; when it then fails, the error is the one line."""
    failed = CliRunner().invoke(main, ["render", "/dev/full", "--format", "wav", "--minutes", "1"])
    assert failed.exit_code == 1
    assert failed.stderr == "pacer: error: cannot write /dev/full: the disk is full\n"
    done = CliRunner().invoke(main, ["show", "--minutes", "1", "--voice", "none"])
    assert done.exit_code == 0
    assert done.stderr.startswith("pacer: note: 1 minute is outside the 20-30 minutes advised")
