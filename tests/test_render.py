"""Files: the exact samples, readable by other tools, and never left half-written."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile
from soundcheck import onsets, render_array

import pacer
from pacer import OutputError, SettingsError
from pacer.mixer import Mixer
from pacer.output import file as output_file
from pacer.presets import backward

SHORT = backward(minutes=1, sample_rate=8000, look_back_every=8, voice="none")


def pcm16(audio: np.ndarray) -> np.ndarray:
    return np.rint(np.clip(audio, -1, 1) * 32767).astype(np.int16)


def test_wav_holds_exactly_the_mixed_samples(tmp_path: Path) -> None:
    result = pacer.render(SHORT, tmp_path / "walk.wav")
    with wave.open(str(tmp_path / "walk.wav")) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (2, 2, 8000)
        assert wav.getnframes() == pacer.prepare(SHORT).schedule.length == result.summary.frames
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").reshape(-1, 2)
    assert np.array_equal(data, pcm16(render_array(SHORT)))
    assert result.bytes == (tmp_path / "walk.wav").stat().st_size
    assert result.bytes - data.nbytes < 200  # the header and the title tag


def test_flac_is_lossless(tmp_path: Path) -> None:
    pacer.render(SHORT, tmp_path / "walk.flac")
    data, rate = soundfile.read(tmp_path / "walk.flac", dtype="int16")
    assert rate == 8000
    assert np.array_equal(data, pcm16(render_array(SHORT)))


@pytest.mark.parametrize(
    "name, rate", [("walk.ogg", 22050), ("walk.opus", 24000), ("walk.mp3", 22050)]
)
def test_compressed_files_are_readable_with_beats_where_expected(
    tmp_path: Path, name: str, rate: int
) -> None:
    session = backward(minutes=1, sample_rate=rate, voice="none")
    prepared = pacer.prepare(session)
    result = pacer.render(session, tmp_path / name)
    data, got_rate = soundfile.read(tmp_path / name, dtype="float32", always_2d=True)
    assert got_rate == rate and data.shape[1] == 2
    # Lossy codecs may pad the end a little, never shorten the walk.
    assert abs(len(data) - prepared.schedule.length) < 0.1 * rate
    assert result.bytes < 0.05 * prepared.schedule.length * 4, "much smaller than WAV"
    # Each beat is still there: loudest near its scheduled sample (codec delay < 30 ms).
    mono = np.abs(data).sum(axis=1)
    for beat in list(pacer.beats(session))[3:13]:  # after the precautions tune
        window = mono[beat.sample - int(0.05 * rate) : beat.sample + int(0.05 * rate)]
        before = mono[beat.sample - int(0.4 * rate) : beat.sample - int(0.1 * rate)]
        assert window.max() > 10 * before.max()


@pytest.mark.parametrize("name", ["walk.ogg", "walk.wav", "walk.flac"])
def test_files_carry_title_and_artist_tags(tmp_path: Path, name: str) -> None:
    pacer.render(SHORT.with_changes(sample_rate=22050), tmp_path / name)
    with soundfile.SoundFile(tmp_path / name) as sf:
        assert sf.title.startswith("backward walk: 1 min at 60 steps/min")
        assert sf.artist == "pacer"


def test_progress_reports_reach_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    pacer.render(SHORT, tmp_path / "walk.wav", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (pacer.prepare(SHORT).schedule.length, pacer.prepare(SHORT).schedule.length)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.parametrize("name", ["walk.wav", "walk.flac", "walk.ogg"])
@pytest.mark.parametrize(
    "error", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()]
)
def test_a_failed_render_leaves_the_old_file_and_no_part_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, name: str
) -> None:
    target = tmp_path / name
    target.write_bytes(b"OggS yesterday's walk")
    real = Mixer.spans
    calls = []

    def failing(self: Mixer, start: int, end: int) -> list:  # type: ignore[type-arg]
        calls.append(start)
        if len(calls) == 3:
            raise error
        return real(self, start, end)

    monkeypatch.setattr(Mixer, "spans", failing)
    expected = OutputError if isinstance(error, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as caught:
        pacer.render(backward(minutes=5, sample_rate=22050), target)
    if isinstance(error, OSError):
        assert str(caught.value) == f"cannot write {target}: the disk is full"
    assert target.read_bytes() == b"OggS yesterday's walk"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_disk_full_is_an_output_error() -> None:
    with pytest.raises(OutputError, match="the disk is full"):
        pacer.render(SHORT, "/dev/full", format="wav")


def test_no_permission_is_reported_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output_file.os, "open", refuse)
    with pytest.raises(OutputError, match=f"no permission to write in {tmp_path}"):
        pacer.render(SHORT, tmp_path / "walk.wav")


@pytest.mark.parametrize(
    "path, fragment",
    [
        ("walk.xyz", "extension '.xyz' is not a format pacer writes; use .wav, .flac, .ogg"),
        ("walk", "no extension is not a format pacer writes"),
        ("missing/walk.wav", "the directory"),
        (".", "is a directory"),
    ],
)
def test_bad_targets_are_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, fragment: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError, match=re.escape(fragment)):
        pacer.render(SHORT, path)
    assert list(tmp_path.iterdir()) == []


def test_a_rate_the_format_cannot_carry_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"sample_rate: 44100 Hz is not allowed for \.opus"):
        pacer.render(backward(minutes=1), tmp_path / "walk.opus")


def test_wav_onsets_survive_the_round_trip(tmp_path: Path) -> None:
    pacer.render(SHORT, tmp_path / "walk.wav")
    data, _ = soundfile.read(tmp_path / "walk.wav", dtype="int16")
    found = set(onsets(data))
    assert {b.sample for b in pacer.beats(SHORT)} <= found


def test_a_wav_render_loads_no_ogg_decoder_once_the_clips_are_decoded(tmp_path: Path) -> None:
    code = (
        "import sys, pacer\n"
        "session = pacer.presets.backward(minutes=2, sample_rate=16000, voice='en')\n"
        "pacer.render(session, sys.argv[1])\n"
        "print('soundfile' in sys.modules)"
    )
    env = {**os.environ, "PACER_CACHE_DIR": str(tmp_path / "cache")}
    first, second = tmp_path / "first.wav", tmp_path / "second.wav"
    loaded = [
        subprocess.run(
            [sys.executable, "-c", code, str(out)], capture_output=True, text=True, env=env
        ).stdout.strip()
        for out in (first, second)
    ]
    assert loaded == ["True", "False"]
    assert first.read_bytes() == second.read_bytes()


RENDER = [sys.executable, "-m", "pacer", "render"]
SHORT_WALK = ["--minutes", "1", "--rate", "8000", "--voice", "none", "-q"]


def test_a_render_to_a_pipe_with_a_reader_writes_the_walk_into_it(tmp_path: Path) -> None:
    # Once a render waited for ever here: it opened the pipe to read what was in it.
    import threading

    fifo = tmp_path / "walk.wav"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = subprocess.run(
        [*RENDER, str(fifo), *SHORT_WALK], capture_output=True, text=True, timeout=120
    )
    reader.join(30)
    assert done.returncode == 0, done.stderr
    assert got and got[0].startswith(b"RIFF") and len(got[0]) > 8000 * 60 * 4


def test_a_render_to_a_pipe_nobody_reads_is_one_line_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "walk.ogg"
    os.mkfifo(fifo)
    done = subprocess.run(
        [*RENDER, str(fifo), *SHORT_WALK], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert (
        done.stderr == f"pacer: error: {fifo}: is a pipe that no program reads; start the "
        "program that reads it first (or give a file name)\n"
    )
    assert stat_is_fifo(fifo)


def stat_is_fifo(path: Path) -> bool:
    import stat

    return stat.S_ISFIFO(os.stat(path).st_mode)
