"""The command line: what a walker types and sees, and every mistake as one line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import wave
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import pacer
from pacer.cli import main
from pacer.presets import backward


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(main, list(args))

    return invoke


def test_render_writes_the_walk_and_says_what_it_wrote(run, tmp_path: Path) -> None:
    result = run("render", "walk.wav", "--minutes", "2", "--rate", "8000", "--voice", "en")
    assert result.exit_code == 0, result.output
    session = backward(minutes=2, sample_rate=8000).with_changes(voice="en")
    with wave.open(str(tmp_path / "walk.wav")) as wav:
        assert wav.getnframes() == pacer.prepare(session).schedule.length
    assert re.fullmatch(
        r"Wrote walk\.wav: 2:05\.1 long, 120 beats, 9 cues, [\d.]+ MB "
        r"\(WAV, 8000 Hz stereo\)\.\n",
        result.stdout,
    )
    assert "outside the 20-30 minutes advised" in result.stderr


def test_render_ogg_picks_the_phone_rate(run, tmp_path: Path) -> None:
    result = run("render", "walk.ogg", "--minutes", "20", "-q")
    assert result.exit_code == 0 and result.stdout == ""
    import soundfile

    assert soundfile.info(str(tmp_path / "walk.ogg")).samplerate == 22050


def test_options_reach_the_session(run) -> None:
    result = run(
        "show",
        "--json",
        "--spm",
        "72",
        "--minutes",
        "25",
        "--sound",
        "click",
        "--accent",
        "4",
        "--look-back-every",
        "30",
        "--ramp-to",
        "80",
        "--rate",
        "22050",
        "--voice",
        "zh",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["sound"] == "click" and data["sample_rate"] == 22050
    assert data["phases"][0]["steps_per_minute"] == 72
    assert data["phases"][0]["end_steps_per_minute"] == 80
    expected = backward(
        minutes=25,
        steps_per_minute=72,
        ramp_to=80,
        sound="click",
        accent_every=4,
        look_back_every=30,
        sample_rate=22050,
    ).with_changes(voice="zh")
    assert data["voice"] == "zh"
    assert data["frames"] == pacer.prepare(expected).schedule.length
    assert [e["sample"] for e in data["events"]] == [
        c.sample for c in pacer.prepare(expected).schedule.cues
    ]


def test_no_look_back_means_no_look_back_cues(run) -> None:
    data = json.loads(run("show", "--json", "--no-look-back").stdout)
    assert not [e for e in data["events"] if e["kind"].startswith("look")]


def test_show_prints_a_table_of_cues_and_beats_on_request(run) -> None:
    table = run("show", "--minutes", "20", "--voice", "none").stdout.splitlines()
    assert table[0].startswith("backward walk: 20 min at 60 steps/min, wood beat; 1200 steps")
    assert re.match(r"\s+time\s+cue\s+what", table[1])
    assert re.search(
        r"0:22\.0\s+look_left\s+Look back over your left shoulder\s+\[left ear\]", "\n".join(table)
    )
    assert re.search(r"10:03\.0\s+halfway\s+Halfway  \(waited from 10:02\.0\)", "\n".join(table))
    assert table[-1].split()[:2] == ["20:02.0", "end"]
    with_beats = run("show", "--minutes", "1", "--beats").stdout
    assert with_beats.count(" beat ") == 60
    assert "step 1 (left foot)" in with_beats and "step 2 (right foot)" in with_beats


@pytest.mark.parametrize(
    "args, code, fragment",
    [
        (["render", "w.wav", "--spm", "250"], 2, "'--spm': 250 is not in the range 30<=x<=180"),
        (["render", "w.wav", "--spm", "fast"], 2, "'--spm': 'fast' is not a number; use 30 to 180"),
        (["render", "w.wav", "--minutes", "0"], 2, "'--minutes': 0 is not in the range 1<=x<=240"),
        (["render", "w.wav", "--rate", "44100.5"], 2, "'--rate': '44100.5' is not a whole number"),
        (
            ["render", "w.wav", "--rate", "1000"],
            2,
            "'--rate': 1000 is not in the range 8000<=x<=192000",
        ),
        (
            ["render", "w.wav", "--volume", "120"],
            2,
            "'--volume': 120 is not in the range 1<=x<=100",
        ),
        (["render", "w.wav", "--accent", "1"], 2, "'--accent': 1 is not in the range 2<=x<=16"),
        (["render", "w.wav", "--sound", "cowbell"], 2, "'cowbell' is not one of 'wood', 'click'"),
        (["render", "w.xyz"], 2, "w.xyz: extension '.xyz' is not a format pacer writes; use .wav"),
        (["render", "nowhere/w.wav"], 2, "nowhere/w.wav: the directory nowhere does not exist"),
        (["render", "."], 2, ".: is a directory"),
        (
            ["render", "w.opus", "--rate", "44100"],
            2,
            "--rate: 44100 Hz is not allowed for .opus; use one of",
        ),
        (["render", "/dev/full", "--format", "wav"], 1, "cannot write /dev/full: the disk is full"),
        (["render"], 2, "Missing argument 'FILE'"),
        (["walkies"], 2, "No such command 'walkies'"),
    ],
)
def test_mistakes_get_one_line_and_the_right_exit_code(
    run, tmp_path: Path, args: list[str], code: int, fragment: str
) -> None:
    result = run(*args)
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pacer: error: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.output
    assert not list(tmp_path.glob("w.*")) and not list(tmp_path.glob(".w.*"))


def test_an_existing_file_survives_a_refused_render(run, tmp_path: Path) -> None:
    (tmp_path / "w.wav").write_bytes(b"RIFF keep me")
    assert run("render", "w.wav", "--spm", "999").exit_code == 2
    assert (tmp_path / "w.wav").read_bytes() == b"RIFF keep me"


def _commands() -> list[click.Command]:
    return [main, *main.commands.values()]  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: c.name)
def test_every_command_and_option_is_documented_with_its_default(command: click.Command) -> None:
    name = [] if command is main else [command.name]
    result = CliRunner().invoke(main, [*name, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert command.help and command.help.split("\n")[0] in result.stdout
    text = " ".join(result.stdout.split())
    for param in command.params:
        if not isinstance(param, click.Option) or param.hidden:
            continue
        assert param.help, f"{param.name} has no help"
        if param.default is not None and not param.is_flag:
            default = param.default
            shown = f"{default:g}" if isinstance(default, float) else str(default)
            assert f"[default: {shown}" in text, f"{param.name}: default {shown} not shown"


def test_help_and_show_do_not_load_numpy() -> None:
    code = (
        "import sys\nfrom pacer.cli import main\n"
        "for args in (['--help'], ['show', '--minutes', '20']):\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "print('numpy' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "False"


def test_python_dash_m_pacer_is_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pacer", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip() == f"pacer, version {pacer.__version__}"


def test_walk_help_lists_every_key_a_walk_takes() -> None:
    from pacer.live import KEYS

    result = CliRunner().invoke(main, ["walk", "--help"])
    for key, what in KEYS.items():
        assert re.search(rf"^\s+{key}\s+{re.escape(what)}$", result.output, re.M), key
