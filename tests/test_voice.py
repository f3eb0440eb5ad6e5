"""Spoken cues: the pack covers every cue in both languages, clips are clean, and in a
rendered walk each clip sounds at its cue's sample, in the right ear, over a ducked
beat, with captions at the same times."""

from __future__ import annotations

import re
from dataclasses import replace
from importlib import resources
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
import soundfile
from click.testing import CliRunner
from soundcheck import render_array

import pacer
from pacer import Cue, Session
from pacer.cli import main
from pacer.cues import CUE_KINDS
from pacer.live import Walk, press
from pacer.mixer import BEAT_PEAK, DUCK, SPEECH_GAIN
from pacer.presets import back_pain, backward
from pacer.session import default_voice
from pacer.tones import beat_sound
from pacer.tts import KOKORO_VOICE
from pacer.voice import _pack, clip_ids, manifest

LANGS = ("en", "zh")
MINUS_1_DBFS = 10 ** (-1 / 20)


def every_cue(lang: str) -> list[tuple[Cue, Session]]:
    """Every cue the built-in walks can emit (all lengths 1-60 min, both programmes,
    pause and resume), with its session."""
    found = []
    sessions = [
        backward(minutes=m, route_metres=100).with_changes(voice=lang) for m in range(1, 61)
    ]
    sessions.append(back_pain(minutes=20).with_changes(voice=lang))
    for session in sessions:
        found += [(c, session) for c in pacer.prepare(session).schedule.cues]
    stopping = backward(minutes=2, look_back_every=10).with_changes(voice=lang)
    phase = stopping.phases[0]
    stopping = stopping.with_changes(phases=(replace(phase, look_back="stop"),))
    found += [(c, stopping) for c in pacer.prepare(stopping).schedule.cues]
    session = sessions[0]
    found += [(Cue(0, kind, 0.0, 0), session) for kind in ("pause", "resume", "dizzy")]
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_the_pack_says_every_cue_the_timeline_can_emit(lang: str) -> None:
    cues = every_cue(lang)
    kinds = {c.kind for c, _ in cues}
    # A reminder is always the walker's own words (tests/test_own_words.py).
    assert kinds == set(CUE_KINDS) - {"reminder"}
    missing = {(c.kind, c.value) for c, s in cues if not clip_ids(c, s)}
    assert missing == set()  # stop, walk on and dizzy included


@pytest.mark.parametrize("lang", LANGS)
def test_every_clip_decodes_mono_at_its_level_with_no_leading_silence(lang: str) -> None:
    pack = manifest()
    assert pack["sample_rate"] == 22050
    for clip_id, langs in pack["clips"].items():
        info = langs[lang]
        with resources.as_file(_pack().joinpath(info["file"])) as path:
            data, rate = soundfile.read(path, dtype="float32")
        assert data.ndim == 1 and rate == 22050, clip_id
        assert abs(len(data) - info["frames"]) <= 64, clip_id
        peak = float(np.abs(data).max())
        assert 0.1 < peak <= MINUS_1_DBFS, (clip_id, peak)
        rms_db = 20 * np.log10(np.sqrt(np.mean(data.astype(np.float64) ** 2)))
        assert -30 < rms_db < -12, (clip_id, rms_db)
        # Silence is below 1 % of the peak, as the pack's maker trims it; it keeps
        # 40 ms before the first sound, which the codec may smear by a few ms.
        first = int(np.flatnonzero(np.abs(data) > 0.01 * peak)[0])
        assert first <= 0.06 * rate, (clip_id, first / rate)


def test_the_pack_names_each_voice_and_its_licence_and_stays_small() -> None:
    pack = manifest()
    notice = _pack().joinpath("NOTICE").read_text("utf-8")
    assert "Festival" in pack["voices"]["en"] and "BSD" in pack["licences"]["en"]
    # One Kokoro voice says every Mandarin clip; a clip in another voice names it.
    zh = pack["voices"]["zh"]
    assert "Kokoro-82M" in zh and "Apache-2.0" in pack["licences"]["zh"]
    voice = re.search(r", voice (\w+),", zh)
    assert voice is not None and voice[1] in notice and "Kokoro-82M" in notice
    assert voice[1] == KOKORO_VOICE  # your own words in Mandarin sound the same
    own_voices = {info["zh"]["voice"] for info in pack["clips"].values() if "voice" in info["zh"]}
    assert all(v.split(",")[0] in notice for v in own_voices)
    with resources.as_file(_pack()) as folder:
        size = sum(f.stat().st_size for f in Path(folder).rglob("*") if f.suffix == ".ogg")
    assert size <= 2_000_000


def spoken(session: Session) -> list[tuple[Cue, np.ndarray]]:
    prepared = pacer.prepare(session)
    out = []
    for cue in prepared.schedule.cues:
        sound = prepared.speech(cue)
        if sound is not None:
            out.append((cue, sound))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_each_clip_sounds_at_its_cue_and_look_backs_in_their_ear(lang: str) -> None:
    session = backward(minutes=2, sample_rate=22050, look_back_every=6).with_changes(voice=lang)
    audio = render_array(session).astype(np.float64)
    padded = np.concatenate([np.zeros((400, 2)), audio, np.zeros((400, 2))])
    pairs = spoken(session)
    assert len(pairs) > 10
    for cue, sound in pairs:
        n = len(sound)
        window = padded[cue.sample : cue.sample + n + 800]
        mono = window.sum(axis=1)
        corr = np.correlate(mono, sound.astype(np.float64), mode="valid")
        assert int(np.argmax(corr)) == 400, (cue.kind, int(np.argmax(corr)) - 400)
        left, right = (audio[cue.sample : cue.sample + n] ** 2).sum(axis=0)
        if cue.kind == "look_left":
            assert 10 * np.log10(left / right) >= 20
        elif cue.kind == "look_right":
            assert 10 * np.log10(right / left) >= 20


def test_the_beat_is_ducked_while_speech_plays() -> None:
    session = backward(minutes=2, sample_rate=22050).with_changes(voice="en", volume=100)
    prepared = pacer.prepare(session)
    audio = render_array(session).astype(np.float64)
    beat = beat_sound("wood", 22050).astype(np.float64) * BEAT_PEAK
    talk = [(c, c.sample + prepared.schedule.sounding(c)) for c in prepared.schedule.cues]
    under = free = 0
    for step in pacer.beats(session):
        at, n = step.sample, len(beat)
        cue = next((c for c, end in talk if c.sample - 2000 < at < end + 2000), None)
        if cue is None:  # nobody speaking: the beat at full level
            assert np.allclose(audio[at : at + n, 0], beat, atol=1e-6)
            free += 1
            continue
        inside = (
            cue.sample + 500 < at and at + n < cue.sample + prepared.schedule.sounding(cue) - 500
        )
        if not inside:
            continue
        words = prepared.speech(cue)
        assert words is not None
        said = words[at - cue.sample : at - cue.sample + n].astype(np.float64) * SPEECH_GAIN
        ear = 0 if cue.pan <= 0 else 1  # the ear the words are in
        assert np.allclose(audio[at : at + n, ear] - said, beat * DUCK, atol=1e-5)
        under += 1
    assert free > 50 and under > 3


@pytest.mark.parametrize("lang", LANGS)
def test_speech_never_clips_and_cues_never_overlap(lang: str) -> None:
    session = back_pain(minutes=6, sample_rate=16000).with_changes(voice=lang, volume=100)
    prepared = pacer.prepare(session)
    audio = render_array(session)
    assert float(np.abs(audio).max()) <= MINUS_1_DBFS
    cues = prepared.schedule.cues
    for before, after in pairwise(cues):
        sound = prepared.speech(before)
        length = len(sound) if sound is not None else prepared.schedule.sounding(before)
        assert before.sample + length <= after.sample, (before, after)


def test_a_cue_the_pack_cannot_say_is_its_tune_and_still_has_words() -> None:
    session = backward(minutes=20).with_changes(voice="en")
    prepared = pacer.prepare(session)
    seven = Cue(1000, "minutes_left", 0.0, 0, 7)
    assert clip_ids(seven, session) == ()
    assert prepared.speech(seven) is None
    assert prepared.words(seven) == "7 minutes left"
    assert prepared.schedule.sounding(seven) == round(
        CUE_KINDS["minutes_left"].earcon.seconds * 44100
    )


def test_live_play_speaks_the_same_samples_as_the_render() -> None:
    session = backward(minutes=1, sample_rate=8000).with_changes(voice="zh")
    walk = Walk(session, pre_roll=0, keep_alive=False)
    pulled = []
    while not walk.finished:
        pulled.append(walk.pull(1000))
    live = np.concatenate(pulled)
    rendered = render_array(session)
    assert np.array_equal(live[: len(rendered)], rendered)


def _clip(lang: str, clip_id: str) -> np.ndarray:
    """A clip of the pack decoded from its file, as the walk's 22.05 kHz samples."""
    info = manifest()["clips"][clip_id][lang]
    with resources.as_file(_pack().joinpath(info["file"])) as path:
        data, _ = soundfile.read(path, dtype="float32")
    return data.astype(np.float64)


def _heard_at(audio: np.ndarray, at: int, clip: np.ndarray) -> tuple[int, float]:
    """Where ``clip`` best matches the mono ``audio`` near ``at`` (offset from ``at``),
    and how alike they are there (1 = the same shape)."""
    mono = np.concatenate([np.zeros(400), audio.sum(axis=1).astype(np.float64), np.zeros(400)])
    window = mono[at : at + len(clip) + 800]
    offset = int(np.argmax(np.correlate(window, clip, mode="valid")))
    said = window[offset : offset + len(clip)]
    alike = float(said @ clip / np.sqrt((said @ said) * (clip @ clip)))
    return offset - 400, alike


@pytest.mark.parametrize("lang", LANGS)
def test_stop_walk_on_and_dizzy_are_said_by_their_clips_rendered_and_live(lang: str) -> None:
    session = backward(minutes=2, sample_rate=22050, look_back_every=10).with_changes(voice=lang)
    session = session.with_changes(phases=(replace(session.phases[0], look_back="stop"),))
    prepared = pacer.prepare(session)
    audio = render_array(session)
    said = {"stop": 0, "walk_on": 0}
    for cue in prepared.schedule.cues:
        if cue.kind in said:
            assert clip_ids(cue, session) == (cue.kind,)
            # The pack's clip is in the output at the cue's sample, the beat resting.
            assert _heard_at(audio, cue.sample, _clip(lang, cue.kind)) == (
                0,
                pytest.approx(1, abs=0.01),
            )
            said[cue.kind] += 1
    assert said["stop"] >= 3 and said["walk_on"] == said["stop"]
    # d (dizzy) in a live walk: from the press on, its clip is what sounds.
    walk = Walk(session, pre_roll=0, keep_alive=False)
    pieces = [walk.pull(22050 * 5)]
    assert press(walk, "d")
    while not walk.finished:
        pieces.append(walk.pull(4096))
    live = np.concatenate(pieces)
    assert walk.status().dizzy
    offset, alike = _heard_at(live, 22050 * 5, _clip(lang, "dizzy"))
    assert offset == 0 and alike > 0.99


@pytest.mark.parametrize("kind", ["lrc", "srt"])
def test_captions_have_the_timelines_times_and_words(tmp_path: Path, kind: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "render",
            str(tmp_path / "walk.ogg"),
            "--minutes",
            "3",
            "--voice",
            "en",
            "--cues",
            str(tmp_path / f"w.{kind}"),
        ],
    )
    assert result.exit_code == 0, result.output
    session = backward(minutes=3, sample_rate=22050).with_changes(voice="en")
    prepared = pacer.prepare(session)
    cues = prepared.schedule.cues
    text = (tmp_path / f"w.{kind}").read_text(encoding="utf-8")
    if kind == "lrc":
        stamps = re.findall(r"^\[(\d\d):(\d\d\.\d\d)\](.*)$", text, re.M)
        times = [int(m) * 60 + float(s) for m, s, _ in stamps]
        words = [w for _, _, w in stamps]
        tolerance = 0.005
    else:
        mark, *blocks = [b.splitlines() for b in text.strip().split("\n\n")]
        assert mark[1:] == ["00:00:00,000 --> 00:00:00,000", f"pacer: {session.describe()}"]
        times = [_srt(b[1].split(" --> ")[0]) for b in blocks]
        words = [b[2] for b in blocks]
        ends = [_srt(b[1].split(" --> ")[1]) for b in blocks]
        for cue, end in zip(cues, ends, strict=True):
            assert end == pytest.approx(
                (cue.sample + prepared.schedule.sounding(cue)) / 22050, abs=0.0005
            )
        tolerance = 0.0005
    assert len(times) == len(cues)
    for cue, at, said in zip(cues, times, words, strict=True):
        assert at == pytest.approx(cue.sample / 22050, abs=tolerance)
        assert said == prepared.words(cue)


def _srt(stamp: str) -> float:
    h, m, rest = stamp.split(":")
    s, ms = rest.split(",")
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"}, "zh"),
    ],
)
def test_the_default_voice_follows_the_locale(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert default_voice() == expected


def test_show_lists_each_cue_in_the_chosen_language() -> None:
    out = CliRunner().invoke(main, ["show", "--voice", "zh", "--minutes", "20"]).stdout
    assert "从左肩向后看。  [left ear]" in out and "锻炼完成。" in out


@pytest.mark.parametrize("lang", LANGS)
def test_live_pause_and_early_end_are_spoken(lang: str) -> None:
    from pacer.mixer import SPEECH_GAIN

    session = backward(minutes=1, sample_rate=8000).with_changes(voice=lang)
    walk = Walk(session, pre_roll=0, keep_alive=False)
    blocks = [walk.pull(800) for _ in range(150)]  # 15 s: between beats, nothing said
    walk.pause()
    blocks += [walk.pull(800) for _ in range(30)]
    walk.stop()
    while not walk.finished:
        blocks.append(walk.pull(800))
    audio = np.concatenate(blocks)
    for kind, at in (("pause", 150 * 800), ("end", 180 * 800)):
        words = pacer.prepare(session).speech(Cue(0, kind, 0.0, 0))
        assert words is not None
        heard = audio[at : at + len(words), 0]
        assert np.allclose(heard, words * SPEECH_GAIN * 0.8, atol=1e-6), kind
    assert walk.status().ended_early


def test_the_status_line_names_the_next_cue_in_the_walks_language() -> None:
    walk = Walk(
        backward(minutes=5, sample_rate=8000).with_changes(voice="zh"), pre_roll=0, keep_alive=False
    )
    walk.pull(8000 * 10)
    assert walk.status().next_cue == "从左肩向后看。"
