"""Captions are written only over captions pacer wrote, never through a link, and a
render with captions is all or nothing (issue 13's tester: --cues replaced a film's
subtitles, wrote through a link, and a failed caption left the audio)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import pacer
from pacer import OutputError, SettingsError, presets
from pacer.cli import main
from pacer.output import file as output_file

SHORT = presets.backward(minutes=1, sample_rate=8000, voice="none")
RENDER = ["render", "--minutes", "1", "--voice", "none", "--rate", "8000", "-q"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*RENDER, *args])
    return result.exit_code, result.stderr


@pytest.mark.parametrize("kind", ["srt", "lrc"])
@pytest.mark.parametrize(
    "text",
    [
        "1\n00:00:01,000 --> 00:00:02,000\nMy movie subtitles\n",
        "[ti:My song]\n[ar:Someone]\n[00:01.00]la la\n",
        "my notes about walking\n",
        "1\n00:00:00,000 --> 00:00:00,000\nnot pacer: a film\n",
    ],
)
def test_captions_never_replace_a_file_pacer_did_not_write(
    tmp_path: Path, kind: str, text: str
) -> None:
    theirs = tmp_path / f"movie.{kind}"
    theirs.write_text(text, encoding="utf-8")
    code, err = run(str(tmp_path / "walk.wav"), "--cues", str(theirs))
    assert code == 2
    assert err.strip().endswith(
        f"movie.{kind}: already exists and is not captions pacer wrote; "
        "pacer writes only over an earlier file of its own kind: give another name"
    )
    assert theirs.read_text(encoding="utf-8") == text
    assert not (tmp_path / "walk.wav").exists()
    with pytest.raises(SettingsError, match="is not captions pacer wrote"):
        output_file.write_captions(SHORT, theirs)
    with pytest.raises(SettingsError, match="is not captions pacer wrote"):
        pacer.render(SHORT, tmp_path / "walk.wav", captions=theirs)
    assert theirs.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("kind", ["srt", "lrc"])
def test_captions_pacer_wrote_are_written_again(tmp_path: Path, kind: str) -> None:
    mine = tmp_path / f"walk.{kind}"
    for minutes in ("1", "2"):
        result = CliRunner().invoke(
            main,
            [
                "render",
                "--voice",
                "none",
                "--rate",
                "8000",
                "-q",
                "--minutes",
                minutes,
                str(tmp_path / "walk.wav"),
                "--cues",
                str(mine),
            ],
        )
        assert result.exit_code == 0, result.stderr
    assert "2 min" in mine.read_text(encoding="utf-8")


@pytest.mark.parametrize("dangling", [False, True])
def test_captions_are_never_written_through_a_link(tmp_path: Path, dangling: bool) -> None:
    target = tmp_path / "target.txt"
    if not dangling:
        target.write_text("hi\n")
    link = tmp_path / "link.lrc"
    link.symlink_to(target)
    code, err = run(str(tmp_path / "walk.wav"), "--cues", str(link))
    assert code == 2
    assert "link.lrc: is a symbolic link; pacer writes captions only to a file of its own" in err
    assert (target.read_text() == "hi\n") if not dangling else not target.exists()
    assert link.is_symlink() and not (tmp_path / "walk.wav").exists()


def test_a_render_whose_captions_cannot_be_written_writes_no_audio(tmp_path: Path) -> None:
    old = tmp_path / "walk.wav"
    code, err = run(str(old), "--cues", "/proc/c.lrc")
    assert code == 1 and "cannot write /proc/c.lrc" in err
    assert not old.exists()
    pacer.render(SHORT, old)
    before = old.read_bytes()
    code, err = run("--minutes", "2", str(old), "--cues", "/proc/c.lrc")
    assert code == 1 and old.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["walk.wav"]


@pytest.mark.parametrize("earlier", [False, True])
def test_captions_failing_at_the_last_moment_put_the_old_audio_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, earlier: bool
) -> None:
    audio, words = tmp_path / "walk.wav", tmp_path / "walk.lrc"
    if earlier:
        pacer.render(presets.backward(minutes=2, sample_rate=8000, voice="none"), audio)
    before = audio.read_bytes() if earlier else None
    replace = os.replace

    def failing(src: object, dst: object, *args: object, **kwargs: object) -> None:
        if str(dst).endswith(".lrc"):
            raise OSError(28, "No space left on device")
        replace(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OutputError, match=r"cannot write .*walk\.lrc: the disk is full"):
        pacer.render(SHORT, audio, captions=words)
    monkeypatch.setattr(os, "replace", replace)
    assert (audio.read_bytes() if earlier else audio.exists()) == (before if earlier else False)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["walk.wav"] if earlier else [])


def test_render_refuses_a_dash_and_an_empty_cues_in_one_line(tmp_path: Path) -> None:
    os.chdir(tmp_path)
    code, err = run("-")
    assert code == 2 and err.startswith("pacer: error: FILE: '-' is not a file name here")
    code, err = run("walk.wav", "--cues", "")
    assert code == 2 and err == (
        "pacer: error: --cues: '' is not a file name; give a .lrc or .srt file name\n"
    )
    assert list(tmp_path.iterdir()) == []
