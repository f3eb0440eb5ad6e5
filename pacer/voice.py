"""Spoken cues from the shipped voice pack (``pacer.sounds``), found only through its
manifest.

Which clips a cue speaks, their words and their lengths come from
``sounds/manifest.toml`` without loading any audio or numpy (so ``pacer show`` stays
quick); :func:`speech` decodes, resamples and caches the audio when sound is made.
A cue with no clip in the pack (say, "7 minutes left") is heard as its earcon, and
:func:`cue_words` still gives its words.
"""

from __future__ import annotations

import math
import os
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .cues import Cue, cue_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from .session import Session
    from .tones import Sound

__all__ = [
    "own_words",
    "LANGUAGES",
    "VOICES",
    "GAP_SECONDS",
    "clip_ids",
    "cue_samples",
    "cue_words",
    "default_voice",
    "manifest",
    "speech",
]

LANGUAGES = ("en", "zh")
VOICES = (*LANGUAGES, "none")
"""``--voice`` choices: English, Mandarin Chinese, or no speech (earcons only)."""
GAP_SECONDS = 0.12
"""Quiet between two clips of one cue."""
END_TUNE_GAP = 0.15
"""The end is the end tune, this pause, then "session complete"."""


def _pack() -> Any:
    """The voice pack's folder: the installed ``pacer.sounds``, or ``sounds/`` beside
    the package when pacer runs from a source checkout."""
    from importlib import resources
    from pathlib import Path

    try:
        return resources.files("pacer.sounds")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "sounds"


@lru_cache(maxsize=1)
def manifest() -> dict[str, Any]:
    """The voice pack's manifest (``{}`` when the pack is missing)."""
    try:
        text = _pack().joinpath("manifest.toml").read_text("utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return {}
    data: dict[str, Any] = tomllib.loads(text)
    return data


def default_voice() -> str:
    """``zh`` when the locale is Chinese, else ``en``."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _slug(name: str) -> str:
    return name.lower().replace("-", "_").replace(" ", "_")


_PHASE_CLIP = {"warm-up": "warm_up", "walk": "walk", "cool-down": "cool_down", "stretch": "stretch"}


def clip_ids(cue: Cue, session: Session) -> tuple[str, ...]:
    """The clips a cue speaks, in order; empty when the pack lacks any of them."""
    lang = session.voice
    if lang not in LANGUAGES:
        return ()
    phase = session.phases[cue.phase]
    kind = cue.kind
    if kind == "start":
        ids: tuple[str, ...] = (
            ("start_backward",) if session.title.startswith("backward") else ("start_walk",)
        )
    elif kind == "phase":
        ids = (_PHASE_CLIP[phase.kind],)
    elif kind == "stretch":
        own = _slug(phase.name)
        ids = (own if own in manifest().get("clips", {}) else "stretch", "hold")
    elif kind == "precautions":
        ids = ("flat_shoes", "flat_path")
    elif kind in ("minutes_left", "count"):
        ids = (f"{kind}_{cue.value}",)
    elif kind == "posture":
        ids = (f"posture_{(cue.value or 0) % 3}",)
    else:
        ids = (kind,)
    clips = manifest().get("clips", {})
    if all(lang in clips.get(i, {}) for i in ids):
        return ids
    return ()


def own_words(cue: Cue, session: Session) -> str | None:
    """The walker's own words for this cue (a custom phrase or a reminder), if any."""
    if cue.kind == "reminder" and cue.value is not None:
        return session.reminders[cue.value].text
    for kind, words in session.phrases:
        if kind == cue.kind:
            return words.replace("{n}", "" if cue.value is None else str(cue.value))
    return None


def _own_clip(cue: Cue, session: Session) -> str | None:
    """The cached recording of the walker's own words for this cue, if a speech
    engine could make one (see :mod:`pacer.tts`)."""
    words = own_words(cue, session)
    if words is None or session.voice not in LANGUAGES:
        return None
    from .tts import synthesize

    path = synthesize(words, session.voice)
    return None if path is None else str(path)


def cue_words(cue: Cue, session: Session) -> str:
    """What the cue says, in the session's language (English words with no voice)."""
    words = own_words(cue, session)
    if words is not None:
        return words
    ids = clip_ids(cue, session)
    if not ids:
        return cue_text(cue.kind, cue.value, session.phases[cue.phase].name)
    clips = manifest()["clips"]
    return " ".join(clips[i][session.voice]["text"] for i in ids)


def _clip_samples(clip_id: str, lang: str, rate: int) -> int:
    info = manifest()["clips"][clip_id][lang]
    return math.ceil(int(info["frames"]) * rate / int(manifest()["sample_rate"]))


def cue_samples(cue: Cue, session: Session) -> int | None:
    """How long the cue's speech lasts at the session's rate, or ``None`` (no speech)."""
    own = _own_clip(cue, session)
    if own is not None:
        return len(_file_audio(own, session.sample_rate))
    ids = clip_ids(cue, session)
    if not ids:
        return None
    rate = session.sample_rate
    total = sum(_clip_samples(i, session.voice, rate) for i in ids)
    total += round(GAP_SECONDS * rate) * (len(ids) - 1)
    if cue.kind == "end":
        from .earcons import EARCONS

        total += round((EARCONS["end"].seconds + END_TUNE_GAP) * rate)
    return total


@lru_cache(maxsize=64)
def _file_audio(path: str, rate: int) -> Sound:
    """A recording of the walker's own words, at ``rate``."""
    import numpy as np
    import soundfile

    data, source_rate = soundfile.read(path, dtype="float32", always_2d=False)
    if source_rate != rate:
        import soxr

        data = soxr.resample(data, source_rate, rate).astype(np.float32)
    out: Sound = np.ascontiguousarray(data, dtype=np.float32)
    out.flags.writeable = False
    return out


@lru_cache(maxsize=256)
def _clip_audio(clip_id: str, lang: str, rate: int) -> Sound:
    from importlib import resources

    import numpy as np
    import soundfile

    info = manifest()["clips"][clip_id][lang]
    with resources.as_file(_pack().joinpath(info["file"])) as path:
        data, source_rate = soundfile.read(path, dtype="float32", always_2d=False)
    if source_rate != rate:
        import soxr

        data = soxr.resample(data, source_rate, rate).astype(np.float32)
    wanted = _clip_samples(clip_id, lang, rate)
    out = np.zeros(wanted, dtype=np.float32)
    out[: min(wanted, len(data))] = data[:wanted]
    out.flags.writeable = False
    return out


@lru_cache(maxsize=256)
def _joined(ids: tuple[str, ...], lang: str, rate: int, end: bool) -> Sound:
    import numpy as np

    from .tones import earcon_sound

    gap = np.zeros(round(GAP_SECONDS * rate), dtype=np.float32)
    parts: list[Any] = []
    if end:
        parts += [
            earcon_sound("end", rate) * np.float32(0.8),
            np.zeros(round(END_TUNE_GAP * rate), dtype=np.float32),
        ]
    for n, clip_id in enumerate(ids):
        if n:
            parts.append(gap)
        parts.append(_clip_audio(clip_id, lang, rate))
    out: Sound = np.concatenate(parts).astype(np.float32)
    out.flags.writeable = False
    return out


def speech(cue: Cue, session: Session) -> Sound | None:
    """The cue's speech as mono float32 at the session's rate (peak at most -1 dBFS),
    or ``None`` when it has none."""
    own = _own_clip(cue, session)
    if own is not None:
        return _file_audio(own, session.sample_rate)
    ids = clip_ids(cue, session)
    if not ids:
        return None
    return _joined(ids, session.voice, session.sample_rate, cue.kind == "end")
