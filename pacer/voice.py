"""Spoken cues: what each cue of a walk says, prepared once, and its sound.

:func:`prepare` is the one step that readies a walk's speech: it finds each cue's
clips in the shipped voice pack (``pacer.sounds``, through its manifest) or has a
speech engine say the walker's own words (:mod:`pacer.tts`, which may run an engine
and fill a cache), and so knows how long every spoken cue lasts; it places the cues
with those lengths (:func:`pacer.timeline.schedule`). Render, play and show each call
it once. No audio is decoded and numpy is not imported until a cue's sound is asked
for (:meth:`Prepared.speech`). A cue with no clip in the pack (say, "7 minutes left")
is heard as its tune, and :meth:`Prepared.words` still gives its words.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import unicodedata
import wave
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .cues import CUE_KINDS, Cue, cue_text
from .session import VOICES, Session, expect, fill_in
from .timeline import CueKey, Schedule, cue_key, schedule, wanted_cues
from .tts import cache_dir, spoken

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from .tones import Sound

__all__ = [
    "GAP_SECONDS",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "Line",
    "Prepared",
    "clip_ids",
    "in_language",
    "manifest",
    "own_words",
    "prepare",
]

LANGUAGES = tuple(voice for voice in VOICES if voice != "none")
"""The languages the voice pack speaks: English and Mandarin Chinese."""
LANGUAGE_NAMES = {"en": "English", "zh": "Mandarin Chinese"}
"""Each language's name in words."""
GAP_SECONDS = 0.12
"""Quiet between two clips of one cue."""
END_TUNE_GAP = 0.15
"""The end is the end tune, this pause, then "session complete"."""


def _pack() -> Any:
    """The voice pack's folder: the installed ``pacer.sounds``, or ``sounds/`` beside
    the package when pacer runs from a source checkout.

    A folder on disk is a plain :class:`~pathlib.Path`, found without
    :mod:`importlib.resources` (whose import, with zipfile, tempfile and threading,
    took a tenth of a 30-minute WAV render); only a pack inside a zip needs it."""
    from importlib.util import find_spec
    from pathlib import Path

    try:
        spec = find_spec("pacer.sounds")
    except ModuleNotFoundError:
        spec = None
    if spec is None:
        return Path(__file__).resolve().parent.parent / "sounds"
    for folder in spec.submodule_search_locations or ():
        if Path(folder, "manifest.toml").is_file():
            return Path(folder)
    from importlib import resources

    return resources.files("pacer.sounds")


@lru_cache(maxsize=1)
def manifest() -> dict[str, Any]:
    """The voice pack's manifest (``{}`` when the pack is missing)."""
    try:
        text = _pack().joinpath("manifest.toml").read_text("utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return {}
    data: dict[str, Any] = tomllib.loads(text)
    return data


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
        # Which stretch, which side, "get into position", and how (when the pack
        # knows this stretch).
        known = manifest().get("clips", {})
        own = _slug(phase.name)
        ids = (own if own in known else "stretch",)
        if cue.value is not None:
            ids += (("left_leg", "right_leg")[cue.value % 2],)
        ids += ("get_into_position",)
        if own in known and f"how_{own}" in known:
            ids += (f"how_{own}",)
    elif kind == "precautions":
        ids = ("flat_shoes", "flat_path")
    elif kind in ("minutes_left", "minutes_walking", "count"):
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
            return fill_in(words, cue.value)
    if cue.kind == "minutes_walking":  # your words for minutes left, if you gave some
        return own_words(Cue(cue.sample, "minutes_left", cue.pan, cue.phase, cue.value), session)
    return None


def _clip_samples(clip_id: str, lang: str, rate: int) -> int:
    info = manifest()["clips"][clip_id][lang]
    return math.ceil(int(info["frames"]) * rate / int(manifest()["sample_rate"]))


@dataclass(frozen=True)
class Line:
    """What one spoken cue says, and how long it lasts at the walk's rate.

    Attributes
    ----------
    words:
        The words, in the walk's language.
    samples:
        Its length in samples, at the walk's rate.
    clips:
        Clips of the voice pack said in turn (``()`` for a recording).
    recording:
        A recording of the walker's own words, made by a speech engine, or ``None``.
    """

    words: str
    samples: int
    clips: tuple[str, ...] = ()
    recording: str | None = None


def _recording_samples(path: str, rate: int) -> int:
    with wave.open(path, "rb") as recording:
        return math.ceil(recording.getnframes() * rate / recording.getframerate())


def _script(char: str) -> str | None:
    """The script of a letter, as far as a voice needs it: ``"latin"``, ``"han"``,
    ``"other"``; ``None`` for what is not a letter (digits, punctuation, spaces)."""
    if not unicodedata.category(char).startswith("L"):
        return None
    name = unicodedata.name(char, "")
    if name.startswith(("LATIN ", "FULLWIDTH LATIN ")):
        return "latin"
    if name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
        return "han"
    return "other"


def in_language(text: str, lang: str) -> bool:
    """Whether ``text`` is written in the script of ``lang``, so that its speech
    engine can say it: English in Latin letters only; Mandarin in Chinese characters
    (with Latin letters beside them, as in "GPS"). Digits and punctuation go with
    either. Words in another script (Chinese words for the English voice) would be
    read out letter by letter's name ("Chinese letter"), or not at all."""
    expect(text, str, "text", "text")
    scripts = {_script(char) for char in text} - {None}
    if lang == "en":
        return scripts <= {"latin"}
    if lang == "zh":
        return "han" in scripts and scripts <= {"han", "latin"}
    return False


def _line(cue: Cue, session: Session, unsaid: list[str], foreign: list[str]) -> Line | None:
    """What ``cue`` says and how long: the walker's own words if an engine can say
    them, else clips of the pack, else nothing (its tune). Own words that every
    engine here failed to say are added to ``unsaid``; those not written in the
    walk's language (:func:`in_language`) are not given to an engine but added to
    ``foreign``."""
    rate = session.sample_rate
    words = own_words(cue, session)
    if words is not None and not in_language(words, session.voice):
        if words not in foreign:
            foreign.append(words)
        words = None
    if words is not None:
        path, failed = spoken(words, session.voice)
        if path is not None:
            return Line(words, _recording_samples(str(path), rate), recording=str(path))
        if failed and words not in unsaid:
            unsaid.append(words)
    ids = clip_ids(cue, session)
    if not ids:
        return None
    clips = manifest()["clips"]
    total = sum(_clip_samples(i, session.voice, rate) for i in ids)
    total += round(GAP_SECONDS * rate) * (len(ids) - 1)
    if cue.kind == "end":
        total += round((CUE_KINDS["end"].earcon.seconds + END_TUNE_GAP) * rate)
    # Chinese is written with no space between sentences ("请穿平底的鞋。选择...").
    between = "" if session.voice == "zh" else " "
    return Line(between.join(clips[i][session.voice]["text"] for i in ids), total, clips=ids)


@dataclass(frozen=True, eq=False)
class Prepared:
    """A walk with its speech ready: what each spoken cue says, and the timeline
    placed with their lengths. Made by :func:`prepare`.

    Attributes
    ----------
    session:
        The walk, its held stretches fitted to their words
        (:func:`pacer.timeline.fitted`): the times of this walk are this session's.
    lines:
        What each spoken cue says (cues not here are heard as their tunes).
    schedule:
        The walk's timeline: cues placed, length, events.
    unsaid:
        The walker's own words that every speech engine here failed to say (their
        cues are heard as the pack's words or their tunes), for a caller to mention.
    foreign:
        The walker's own words not written in the walk's language (Chinese words for
        the English voice, see :func:`in_language`): no engine is given them, and
        their cues are heard as the pack's words or their tunes.
    """

    session: Session
    lines: Mapping[CueKey, Line]
    schedule: Schedule
    unsaid: tuple[str, ...] = ()
    foreign: tuple[str, ...] = ()

    @property
    def lengths(self) -> dict[CueKey, int]:
        """How long each spoken cue lasts, in samples."""
        return {key: line.samples for key, line in self.lines.items()}

    def again(self, session: Session) -> Prepared:
        """The same speech for another part of this walk (the rest of it after a
        pause or a tempo change): ``session`` must have this walk's voice, words and
        sample rate. Reads no file and runs no engine."""
        placed = schedule(session, self.lengths)
        return Prepared(placed.session, self.lines, placed, self.unsaid, self.foreign)

    def line(self, cue: Cue) -> Line | None:
        """What ``cue`` says, or ``None`` when it is heard as its tune."""
        return self.lines.get(cue_key(cue, self.session))

    def words(self, cue: Cue) -> str:
        """What the cue says as it is heard, in the walk's language: the walker's own
        words when an engine said them, else the pack's words, else (a tune) what the
        tune means in English, as with no voice. Own words no engine said are never
        shown as if heard (see :meth:`unheard`)."""
        line = self.line(expect(cue, Cue, "cue", "a Cue"))
        if line is not None:
            return line.words
        return cue_text(cue.kind, cue.value, self.session.phases[cue.phase].name)

    def unheard(self, cue: Cue) -> str | None:
        """The walker's own words for ``cue`` when they are not what is heard (no
        engine said them: the cue is the pack's words or its tune), else ``None``."""
        own = own_words(expect(cue, Cue, "cue", "a Cue"), self.session)
        line = self.line(cue)
        if own is None or (line is not None and line.recording is not None):
            return None
        return own

    def speech(self, cue: Cue) -> Sound | None:
        """The cue's speech as mono float32 at the walk's rate (peak at most -1 dBFS),
        or ``None`` when it is heard as its tune."""
        line = self.line(expect(cue, Cue, "cue", "a Cue"))
        if line is None:
            return None
        return _audio(line, self.session.voice, self.session.sample_rate, cue.kind == "end")


def prepare(session: Session) -> Prepared:
    """Ready the speech of ``session``: the one step that may run a speech engine
    (for the walker's own words) and write its cache. Cheap when everything is in
    the pack or the cache; imports no numpy."""
    expect(session, Session, "session", "a Session")
    lines: dict[CueKey, Line] = {}
    unsaid: list[str] = []
    foreign: list[str] = []
    if session.voice in LANGUAGES:
        last = len(session.phases) - 1
        # Every cue the walk can say: those it wants, and those a live walk adds.
        extra = [Cue(0, kind, 0.0, last) for kind in ("start", "resume", "pause", "end", "dizzy")]
        seen: set[CueKey] = set()
        for cue in [*wanted_cues(session), *extra]:
            key = cue_key(cue, session)
            if key not in seen:
                seen.add(key)
                line = _line(cue, session, unsaid, foreign)
                if line is not None:
                    lines[key] = line
    placed = schedule(session, {k: v.samples for k, v in lines.items()})
    return Prepared(placed.session, lines, placed, tuple(unsaid), tuple(foreign))


def _fit(data: Any, source_rate: int, rate: int, samples: int) -> Sound:
    """Mono float32 at ``rate``, exactly ``samples`` long, read-only."""
    import numpy as np

    if source_rate != rate:
        import soxr

        data = soxr.resample(data, source_rate, rate)
    out: Sound = np.zeros(samples, dtype=np.float32)
    out[: min(samples, len(data))] = data[:samples]
    out.flags.writeable = False
    return out


def _read_recording(path: str) -> tuple[Any, int]:
    """A 16-bit mono WAV (the speech cache's) as float32 samples, and its rate."""
    import numpy as np

    with wave.open(path, "rb") as recording:
        raw = recording.readframes(recording.getnframes())
        rate = recording.getframerate()
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / np.float32(32768), rate


@lru_cache(maxsize=256)
def _clip_audio(clip_id: str, lang: str, rate: int) -> Sound:
    """A clip of the pack at ``rate``: from the decoded-clip cache when it is there
    (no Ogg decoder to load, no resampling), else decoded now and kept there."""
    import io
    import zlib  # not hashlib: a checksum that tells the pack's clips apart is enough

    import numpy as np

    info = manifest()["clips"][clip_id][lang]
    samples = _clip_samples(clip_id, lang, rate)
    encoded = _pack().joinpath(info["file"]).read_bytes()
    digest = f"{zlib.crc32(encoded):08x}{len(encoded):x}"
    kept = cache_dir() / "clips" / f"{lang}-{clip_id}-{digest}-{rate}.f32"
    with contextlib.suppress(OSError, ValueError):
        data = np.fromfile(kept, dtype="<f4")
        if len(data) == samples:
            data.flags.writeable = False
            return data
    import soundfile

    decoded, source_rate = soundfile.read(io.BytesIO(encoded), dtype="float32", always_2d=False)
    out = _fit(decoded, int(source_rate), rate, samples)
    with contextlib.suppress(OSError):  # a cache that cannot be written is no cache
        kept.parent.mkdir(parents=True, exist_ok=True)
        part = kept.with_name(f".{kept.name}.{os.getpid()}.part")
        out.astype("<f4").tofile(part)
        os.replace(part, kept)
    return out


@lru_cache(maxsize=256)
def _audio(line: Line, lang: str, rate: int, end: bool) -> Sound:
    import numpy as np

    from .tones import earcon_sound

    if line.recording is not None:
        data, source_rate = _read_recording(line.recording)
        return _fit(data, source_rate, rate, line.samples)
    gap = np.zeros(round(GAP_SECONDS * rate), dtype=np.float32)
    parts: list[Any] = []
    if end:
        parts += [
            earcon_sound("end", rate) * np.float32(0.8),
            np.zeros(round(END_TUNE_GAP * rate), dtype=np.float32),
        ]
    for n, clip_id in enumerate(line.clips):
        if n:
            parts.append(gap)
        parts.append(_clip_audio(clip_id, lang, rate))
    out: Sound = np.concatenate(parts).astype(np.float32)
    out.flags.writeable = False
    return out
