"""What a walk is: phases, tempo, cue rules and sound, as frozen, validated data.

Nothing here makes sound or imports numpy: a :class:`Session` is a plain description
that the timeline (:mod:`pacer.timeline`) turns into events and the mixer
(:mod:`pacer.mixer`) turns into audio.

Every range and default a user can set is defined once, in :data:`LIMITS`, and both the
library's validation and the command line's help read it.
"""

from __future__ import annotations

import math
import numbers
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .cues import CUE_KINDS
from .errors import SettingsError

__all__ = [
    "ANNOUNCEMENTS",
    "DEFAULTS",
    "NO_CADENCE",
    "cadence_share",
    "of_cadence",
    "pace_text",
    "PHASE_KINDS",
    "Reminder",
    "SIDES",
    "count",
    "default_voice",
    "fill_in",
    "said",
    "Defaults",
    "Limit",
    "LIMITS",
    "LOOK_BACK_MODES",
    "LOOK_BACK_REST_SECONDS",
    "LOOK_BACK_WALK_SECONDS",
    "SOUNDS",
    "VOICES",
    "Phase",
    "Session",
]


@dataclass(frozen=True)
class Limit:
    """The allowed range of one numeric setting, with its unit.

    ``whole`` settings take whole numbers only (an int, or a numpy integer)."""

    name: str
    low: float
    high: float
    unit: str = ""
    whole: bool = False

    def check(self, value: object, name: str | None = None) -> Any:
        """``value`` as a plain Python number if it is one within ``low..high``
        (an int for a whole setting); else raise :class:`SettingsError` naming
        ``name`` (the setting's own name by default), the value and the range.

        numpy numbers are numbers; ``True``/``False``, text and NaN are not."""
        name = name or self.name
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            kind = "a whole number" if self.whole else "a number"
            raise _error(name, f"{show(value)} is not {kind}; use {self.describe()}.")
        if self.whole and not isinstance(value, numbers.Integral):
            written = repr(float(value)) if math.isfinite(float(value)) else show(value)
            raise _error(name, f"{written} is not a whole number; use {self.describe()}.")
        number: int | float = int(value) if isinstance(value, numbers.Integral) else float(value)
        inside = self.low <= number <= self.high
        if not inside or (isinstance(number, float) and not math.isfinite(number)):
            unit = f" {self.unit}" if self.unit else ""
            raise _error(
                name,
                f"{show(number)} is not in the range {_bound(self.low)}<=x<={_bound(self.high)}"
                f"{unit}.",
            )
        return number

    def describe(self) -> str:
        """The range in words, e.g. ``"30 to 180 steps/min"``."""
        unit = f" {self.unit}" if self.unit else ""
        return f"{_bound(self.low)} to {_bound(self.high)}{unit}"


def _error(name: str, detail: str) -> SettingsError:
    return SettingsError(f"{name}: {detail}", name)


def count(n: int, word: str, plural: str = "") -> str:
    """``n`` and the word, singular for 1: ``"1 step"``, ``"2 steps"``."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def fill_in(words: str, n: int | None) -> str:
    """The walker's own words with the cue's number put in: ``{n}`` is the number and
    ``{s}`` is "s" unless it is 1, so ``"{n} minute{s} to go"`` reads right for any n."""
    if n is None:
        return words.replace("{n}", "").replace("{s}", "")
    return words.replace("{n}", str(n)).replace("{s}", "" if n == 1 else "s")


def _bound(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3g}"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def pace_text(steps_per_minute: float) -> str:
    """A pace as pacer shows it everywhere: steps/min to a tenth, a whole number
    without a point (``130.6``, ``60``). What is stored may be finer (``110%`` of a
    cadence is exactly that share); what is shown agrees from place to place."""
    pace = LIMITS["pace"].check(steps_per_minute, "steps_per_minute")
    return f"{round(float(pace), 1):g}"


SAID_WIDTH = 120
"""The most characters of a name a message echoes: a longer one is shortened in its
middle, keeping its start and its end (a file's name)."""


def said(text: object, width: int | None = SAID_WIDTH) -> str:
    """A name (a file's, a phase's) as it can stand in a one-line message: control
    characters such as a newline are written as escapes, and a name longer than
    ``width`` characters (``None``: any length, for a whole message) is shortened in
    its middle with "…"."""
    raw = os.fspath(text) if isinstance(text, os.PathLike) else text
    value = raw if isinstance(raw, str) else str(raw)
    if not value.isprintable():
        value = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
    if width is not None and len(value) > width:
        half = width // 2
        value = value[: half - 1] + "…" + value[-half:]
    return value


def show(value: object, width: int = 40) -> str:
    """``value`` as a short, one-line text for an error message: a number as written,
    a huge one by its size, anything else by its (shortened) repr."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        number = int(value)
        if abs(number) >= 10**15:
            digits = len(str(abs(number))) if abs(number) < 10**4000 else None
            size = f"{digits}-digit" if digits else "huge"
            return f"a {size} number"
        return str(number)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        real = float(value)
        if math.isfinite(real) and abs(real) >= 10**15 and real.is_integer():
            return show(int(real))  # 1e308 by its size, as 10**400 is, not 309 digits
        return _fmt(real) if math.isfinite(real) else str(real)
    try:
        text = repr(value)
    except Exception:
        text = f"a {type(value).__name__}"
    if not isinstance(value, str):  # a str's repr is one line, its spaces as written
        text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def expect(value: Any, kind: type | tuple[type, ...], name: str, what: str) -> Any:
    """``value`` if it is a ``kind``, else :class:`SettingsError` naming ``name`` and
    ``what`` it should be: every library entry point says a wrong type in one line."""
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise SettingsError(f"{name}: {show(value)} is not {what}", name)
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def expect_path(value: Any, name: str, error: type[SettingsError] = SettingsError) -> Path:
    """``value`` (text or a path) as a :class:`~pathlib.Path`, else ``error`` naming
    ``name``: not text, empty, or holding a NUL character (which no file name can
    hold; only a program can give one). Every file the library takes is checked so."""
    if not isinstance(value, (str, os.PathLike)) or not isinstance(os.fspath(value), str):
        raise error(f"{name}: {show(value)} is not a file name; give text or a Path", name)
    text = os.fspath(value)
    if not text:
        raise error(f"{name}: an empty name is not a file name", name)
    if "\0" in text:
        raise error(f"{name}: {show(text)} is not a file name: it holds a NUL character", name)
    return Path(text)


def expect_frame(value: Any, name: str, most: int = 1 << 40) -> int:
    """``value`` as a whole, non-negative sample count or index below ``most``."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise SettingsError(f"{name}: {show(value)} is not a whole number of samples", name)
    number = int(value)
    if not 0 <= number <= most:
        raise SettingsError(f"{name}: {show(number)} is not in the range 0 to {most}", name)
    return number


LIMITS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit("steps_per_minute", 30, 180, "steps/min"),
        Limit("minutes", 1, 240, "min"),
        Limit("phase_seconds", 1, 240 * 60, "s"),
        Limit("sample_rate", 8000, 192000, "Hz", whole=True),
        Limit("volume", 1, 100, "%"),
        Limit("accent_every", 2, 16, "beats", whole=True),
        Limit("look_back_every", 2, 600, "steps", whole=True),
        Limit("lead_in", 0, 30, "s"),
        Limit("minutes_left", 1, 240, "min", whole=True),
        Limit("posture_every", 30, 3600, "s"),
        Limit("turn_around_every", 4, 100_000, "steps", whole=True),
        Limit("countdown", 0, 10, "s", whole=True),
        Limit("route_metres", 10, 10_000, "m"),
        Limit("step_length", 0.1, 1.5, "m"),
        Limit("pain", 0, 10, "", whole=True),
        Limit("reminder_every", 30, 240 * 60, "s"),
        Limit("reminder_at", 0, 240 * 60, "s"),
        Limit("elapsed", 0, 240 * 60, "s"),
        Limit("steps_walked", 0, 10_000_000, "steps", whole=True),
        Limit("block_frames", 1, 1 << 24, "frames", whole=True),
        Limit("walk_id", 1, 2**63 - 1, "", whole=True),
        Limit("position", 0, 60, "s"),
        Limit("cadence_share", 50, 200, "% of your cadence"),
        Limit("cadence", 20, 250, "steps/min"),
        Limit("hold_before", 15, 30, "s"),
        Limit("hold_after", 15, 20, "s"),
        Limit("buffer_msec", 10, 1000, "ms", whole=True),
        Limit("pre_roll", 0, 10, "s"),
        Limit("clock_seconds", -(10**9), 10**9, "s"),
        Limit("decimals", 0, 6, "", whole=True),
        Limit("pace", 0, 10_000, "steps/min"),
        Limit("tempo_change", -150, 150, "steps/min"),
    )
}
"""Every numeric setting's range, keyed by the library's name for it."""

NO_CADENCE = (
    "none is recorded; record yours with 'pacer tap --save', or walk on the spot for a "
    "minute tapping each step: 'pacer tap --calibrate'"
)
"""What to do when a pace is a share of a cadence that was never recorded."""


def cadence_share(value: object, name: str = "steps_per_minute") -> float | None:
    """The percentage in a pace written as a share of the walker's own cadence
    (``"110%"`` gives 110.0, 50-200); ``None`` for any value that is not such text."""
    if not isinstance(value, str) or not value.strip().endswith("%"):
        return None
    text = value.strip()[:-1].strip()
    try:
        number = float(text)
    except ValueError:
        raise _error(
            name, f"{show(value)} is not a share of your cadence; write it like '110%'."
        ) from None
    share: float = LIMITS["cadence_share"].check(number, name)
    return share


def of_cadence(value: object, cadence: float | None, name: str = "steps_per_minute") -> Any:
    """``value`` with a share of the walker's cadence (``"110%"``) made a pace:
    exactly that percentage of ``cadence`` (steps/min), which must then be 30-180.
    Any other value is returned as it is. A share with no ``cadence`` is refused,
    saying how to record one."""
    share = cadence_share(value, name)
    if share is None:
        return value
    if cadence is None:
        raise _error(name, f"{show(value)} is a share of your own cadence, and {NO_CADENCE}.")
    cadence = LIMITS["cadence"].check(cadence, "cadence")
    pace = cadence * share / 100
    limit = LIMITS["steps_per_minute"]
    if not limit.low <= pace <= limit.high:
        raise _error(
            name,
            f"{show(value)} of your cadence ({_fmt(cadence)} steps/min) is {pace:.4g}, "
            f"not in the range {_bound(limit.low)}<=x<={_bound(limit.high)} steps/min.",
        )
    return pace


INTERNAL = {"internal": True}
"""Field metadata: set by pacer itself (a live walk re-planning), not in preset files."""


def _flag(value: object, name: str) -> bool:
    """A bool, or a numpy bool; nothing else is taken for yes or no."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    raise _error(name, f"{show(value)} is not true or false.")


def _text(value: object, name: str, most: int = 200) -> str:
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= most:
        raise _error(name, f"{show(value)} is not text of 1 to {most} characters.")
    return value


_NUMBERED = ("minutes_left", "minutes_walking", "count")
"""Cues whose own words get a number for ``{n}``."""


def _own_words(value: object, name: str, kind: str = "") -> str:
    """The walker's own words to be spoken, every run of spaces and line breaks one
    space; refused when they hold a control character or nothing to say (no letter,
    digit or ideograph once ``{n}`` and ``{s}`` are filled in): ``"..."``, ``"-"`` or
    emoji only would be silence, or a tune where words were wanted."""
    keep = f"leave {kind} out to keep pacer's own" if kind else "leave the reminder out"
    if isinstance(value, str) and not value.strip():
        raise _error(name, f"{show(value)} has nothing to say; write words, or {keep}.")
    text = " ".join(_text(value, name).split())
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise _error(name, f"{show(text)} has a control character; use words only.")
    stray = _stray_brace(text)
    if stray is not None:
        raise _error(
            name,
            f"{show(text)} has {stray}, which pacer does not fill in; use {{n}} for the "
            "number and {s} for its plural 's', and no other braces.",
        )
    if not any(c.isalnum() for c in fill_in(text, 1 if kind in _NUMBERED else None)):
        raise _error(name, f"{show(text)} has nothing to say; write words, or {keep}.")
    return text


_BRACED = re.compile(r"[{}]+[^\s{}]*[{}]*")


def _stray_brace(text: str) -> str | None:
    """The first brace of ``text`` that is not part of ``{n}`` or ``{s}`` (with the
    word it is in, quoted), else ``None``."""
    at = 0
    while at < len(text):
        if text.startswith(("{n}", "{s}"), at):
            at += 3
            continue
        if text[at] in "{}":
            found = _BRACED.match(text, at)
            token = found.group() if found is not None else text[at]
            return repr(token) if len(token) > 1 else f"a lone {token!r}"
        at += 1
    return None


def _choice(value: object, name: str, choices: Iterable[str], what: str) -> str:
    allowed = tuple(choices)
    if not isinstance(value, str) or value not in allowed:
        raise _error(name, f"{show(value)} is not {what}; use one of {', '.join(allowed)}.")
    return value


def _items(value: object, name: str, what: str) -> tuple[Any, ...]:
    """A list or tuple as a tuple (one value, or text, is not a list)."""
    if not isinstance(value, (list, tuple)):
        raise _error(name, f"{show(value)} is not a list of {what}.")
    return tuple(value)


def _optional(value: object, name: str, limit: str) -> Any:
    return None if value is None else LIMITS[limit].check(value, name)


PHASE_KINDS = ("walk", "warm-up", "cool-down", "stretch")
"""What a phase can be."""

ANNOUNCEMENTS = ("precautions", "stretch", "water")
"""Cue kinds a phase can say as it starts."""

SIDES = ("left", "right")
"""The sides of a one-sided stretch, held in turn: the left leg, then the right."""

VOICES = ("en", "zh", "none")
"""The languages cues are spoken in (from the shipped voice pack), or ``"none"``."""


def default_voice() -> str:
    """The voice a walk has unless told otherwise: ``zh`` when the locale is Chinese,
    else ``en``."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


FADE_ON_BEATS = 16
"""With ``fade_beat``, the beat sounds for this many steps between its gaps."""
FADE_OFF_BEATS = (4, 8, 12, 16)
"""The gaps, in steps, one after each stretch of beats; the last repeats to the end."""

LOOK_BACK_MODES = ("walk", "stop")
LOOK_BACK_REST_SECONDS = 6.0
"""With ``look_back="stop"``, the beat rests about this long (in whole steps) after
"stop": time to hear which shoulder, stand, look, and hear "walk on"."""
LOOK_BACK_WALK_SECONDS = 3.0
"""With ``look_back="stop"``, at least this long walking on the beat between "walk
on" and the next "stop": look-backs closer together are refused."""


def look_back_stop_minimum(steps_per_minute: float, ramp_to: float | None = None) -> int:
    """The fewest steps between look-backs that ``look_back="stop"`` allows at this
    pace: the rest (about :data:`LOOK_BACK_REST_SECONDS` in steps at the starting
    pace) plus about :data:`LOOK_BACK_WALK_SECONDS` of walking at the faster pace."""
    rest = math.ceil(LOOK_BACK_REST_SECONDS * steps_per_minute / 60)
    faster = max(steps_per_minute, ramp_to if ramp_to is not None else steps_per_minute)
    return rest + math.ceil(LOOK_BACK_WALK_SECONDS * faster / 60)


"""How a walker looks back: ``walk`` keeps walking while looking over the shoulder
(as the walking guidance describes); ``stop`` stops, looks, and walks on, for a
walker whom turning the head while walking makes unsteady."""

SOUNDS: dict[str, str] = {
    "wood": "wood block: a short, warm knock (the default)",
    "click": "click: a bright, very short tick",
    "beep": "soft beep: a gentle sine tone",
    "drum": "drum: a low, soft thump",
    "step": "footstep: a soft heel strike (each foot its own with --alternate-feet)",
}
"""The built-in beat sounds, name -> description."""


@dataclass(frozen=True)
class Defaults:
    """The default of every setting a walker can change; the CLI's help shows these."""

    minutes: float = 20
    steps_per_minute: float = 60
    look_back_every: int = 20
    sound: str = "wood"
    sample_rate: int = 44100
    volume: float = 80
    lead_in: float = 2.0
    position: float = 5.0
    look_back: str = LOOK_BACK_MODES[0]
    preset: str = "backward"


DEFAULTS = Defaults()
"""The defaults in force. ``look_back_every=20``: backward steps are short (about
0.35 m), so on a 100-500 m stretch the walker checks the path behind every 7 m or so,
each shoulder in turn (left at step 20, right at step 40, left at step 60, ...)."""


@dataclass(frozen=True)
class Phase:
    """One part of a walk, with its own length, tempo and cue rules.

    Parameters
    ----------
    name:
        What the walker calls it: ``"walk"``, ``"warm-up"``, ``"chest stretch"``.
    seconds:
        Length, 1 s to 4 h.
    steps_per_minute:
        The beat's rate at the start of the phase, 30-180; ``None`` for a phase with no
        beat (a stretch that is held).
    ramp_to:
        The rate at the end of the phase; the tempo glides linearly in time from
        ``steps_per_minute`` to this. ``None`` keeps the tempo constant.
    look_back_every:
        Steps between look-back cues (left, then right, alternating; left first), 2-600;
        ``None`` for none.
    halfway:
        Whether to cue the halfway point of this phase.
    minutes_left:
        Announce these numbers of minutes left in this phase (each must be shorter
        than the phase).
    kind:
        One of :data:`PHASE_KINDS`. The first ``"walk"`` phase is the main walk, the
        one ``--spm`` and ``--minutes`` change.
    posture_every:
        Seconds between posture reminders (head up and eyes level; toes first, then
        heel; arms swing), in turn; ``None`` for none.
    turn_around_every:
        Steps between turn-around cues (the length of a known route in steps);
        ``None`` for none.
    countdown:
        Count the last N seconds of the phase aloud (3, 2, 1), 0-10; for held
        stretches.
    announce:
        Cue kinds said as the phase starts, in order (e.g. ``("precautions",)``,
        ``("stretch",)``, ``("water",)``); with none, a later phase is introduced by
        a ``"phase"`` cue.
    look_back:
        One of :data:`LOOK_BACK_MODES`. ``"stop"``: on a look-back step pacer says
        "stop", the beat rests for about 6 s (whole beats) while the walker looks
        back over the shoulder named, then "walk on", and the beat comes back on its
        own grid.
    side:
        For a one-sided stretch, the side held: ``"left"`` or ``"right"`` (said as
        "left leg", "right leg"); ``None`` for a stretch of both sides at once.
    position:
        For a held stretch (a ``"stretch"`` phase that announces ``"stretch"``):
        seconds to get into position, 0-60, counted from the end of the words that
        say which stretch and how, before the hold begins; ``None`` for the default
        (:data:`DEFAULTS`, 5 s). The hold itself is ``seconds`` long, and ends with
        "release".
    fade_beat:
        Fade the beat for carry-over: after 16 beats on, it drops out for 4 beats,
        then 8, 12, and 16 (and keeps 16 on, 16 off), coming back exactly on the
        grid. Cues still come. Needs a beat.
    elapsed:
        Seconds of this phase already walked before it starts here: set when a live
        walk re-plans the rest of a phase (after a pause or a tempo change), so that
        halfway still falls at the halfway point of the whole phase.
    steps_before:
        Steps of this phase already walked, for the same reason: look-back cues keep
        counting (and alternating) from there.
    grid_steps:
        Beats of this same constant tempo already played before the phase starts
        (on a beat): beats go on on the same grid, sample for sample, as if the phase
        had never been split. 0 after a tempo change.
    first_beat:
        Seconds from the start of the phase to its first beat (0: on the start), for
        a phase that starts between two beats of the walk it continues.
    beat_before:
        For a continued phase: seconds from the walk's last beat before the phase
        to its start. An announcement due after that beat was not yet made, so the
        phase makes it on its first beat. ``None`` for a phase that starts afresh.
    hold_from, hold_until:
        For a held stretch whose length the timeline has fitted to its words
        (:func:`pacer.timeline.fitted`): seconds from the start of the whole phase
        to the start and the end of the hold. ``None`` until then; while ``None``,
        ``seconds`` is the hold alone.
    """

    name: str
    seconds: float
    steps_per_minute: float | None
    ramp_to: float | None = None
    look_back_every: int | None = None
    halfway: bool = False
    minutes_left: tuple[int, ...] = ()
    kind: str = "walk"
    posture_every: float | None = None
    turn_around_every: int | None = None
    countdown: int = 0
    announce: tuple[str, ...] = ()
    look_back: str = DEFAULTS.look_back
    fade_beat: bool = False
    side: str | None = None
    position: float | None = None
    elapsed: float = field(default=0.0, metadata=INTERNAL)
    steps_before: int = field(default=0, metadata=INTERNAL)
    grid_steps: int = field(default=0, metadata=INTERNAL)
    first_beat: float = field(default=0.0, metadata=INTERNAL)
    beat_before: float | None = field(default=None, metadata=INTERNAL)
    hold_from: float | None = field(default=None, metadata=INTERNAL)
    hold_until: float | None = field(default=None, metadata=INTERNAL)

    def __post_init__(self) -> None:
        name = _text(self.name, "name")
        where = f"phase {name!r}: "

        def put(key: str, value: object) -> None:
            object.__setattr__(self, key, value)

        try:
            put("seconds", LIMITS["phase_seconds"].check(self.seconds, "seconds"))
            for key, limit in (
                ("steps_per_minute", "steps_per_minute"),
                ("ramp_to", "steps_per_minute"),
                ("look_back_every", "look_back_every"),
                ("posture_every", "posture_every"),
                ("turn_around_every", "turn_around_every"),
                ("beat_before", "elapsed"),
                ("position", "position"),
                ("hold_from", "elapsed"),
                ("hold_until", "elapsed"),
            ):
                put(key, _optional(getattr(self, key), key, limit))
            for key, limit in (
                ("countdown", "countdown"),
                ("elapsed", "elapsed"),
                ("first_beat", "elapsed"),
                ("steps_before", "steps_walked"),
                ("grid_steps", "steps_walked"),
            ):
                put(key, LIMITS[limit].check(getattr(self, key), key))
            put("halfway", _flag(self.halfway, "halfway"))
            minutes = _items(self.minutes_left, "minutes_left", "whole minutes")
            minutes = tuple(LIMITS["minutes_left"].check(m, "minutes_left") for m in minutes)
            put("minutes_left", tuple(sorted(set(minutes), reverse=True)))
            put("kind", _choice(self.kind, "kind", PHASE_KINDS, "a kind of phase"))
            kinds = _items(self.announce, "announce", "cue kinds")
            put("announce", tuple(_choice(k, "announce", ANNOUNCEMENTS, "a cue") for k in kinds))
            put(
                "look_back",
                _choice(self.look_back, "look_back", LOOK_BACK_MODES, "a way to look back"),
            )
            put("fade_beat", _flag(self.fade_beat, "fade_beat"))
            if self.side is not None:
                put("side", _choice(self.side, "side", SIDES, "a side"))
        except SettingsError as err:
            raise SettingsError(where + str(err), err.setting, str(err)) from None
        if self.steps_per_minute is None:
            for key, what in (
                ("ramp_to", "a ramp needs a beat to ramp from"),
                ("look_back_every", "look-back cues need a beat"),
                ("turn_around_every", "turn-around cues need a beat"),
            ):
                if getattr(self, key) is not None:
                    raise SettingsError(f"{where}{key}: {what}", key, f"{key}: {what}")
            if self.fade_beat:
                what = "fading the beat needs a beat"
                raise SettingsError(f"{where}fade_beat: {what}", "fade_beat", f"fade_beat: {what}")
        if (
            self.look_back == "stop"
            and self.look_back_every is not None
            and self.steps_per_minute is not None
        ):
            least = look_back_stop_minimum(self.steps_per_minute, self.ramp_to)
            if self.look_back_every < least:
                what = (
                    f"{self.look_back_every} steps is too short for look_back='stop' at "
                    f"{show(self.steps_per_minute)} steps/min: allowed is {least} or more "
                    f"(a rest of about {show(LOOK_BACK_REST_SECONDS)} s to stand and look, "
                    f"then at least {show(LOOK_BACK_WALK_SECONDS)} s of walking)"
                )
                raise SettingsError(
                    f"{where}look_back_every: {what}",
                    "look_back_every",
                    f"look_back_every: {what}",
                )
        if not self.holds:
            for key, what in (
                ("side", "only a held stretch has a side"),
                ("position", "only a held stretch has time to get into position"),
            ):
                if getattr(self, key) is not None:
                    what += " (a 'stretch' phase with no beat that announces 'stretch')"
                    raise SettingsError(f"{where}{key}: {what}", key, f"{key}: {what}")
        if (self.hold_from is None) != (self.hold_until is None) or (
            self.hold_from is not None
            and self.hold_until is not None
            and not self.hold_from < self.hold_until <= self.elapsed + self.seconds + 1e-6
        ):
            what = "the hold must lie inside the phase"
            raise SettingsError(f"{where}hold_from: {what}", "hold_from", f"hold_from: {what}")

    @property
    def holds(self) -> bool:
        """True for a held stretch: a ``"stretch"`` phase with no beat that announces
        ``"stretch"``. It says which stretch (and side) and how, gives time to get into
        position, counts the hold and says "release"."""
        return (
            self.kind == "stretch"
            and self.steps_per_minute is None
            and ("stretch" in self.announce)
        )

    @property
    def position_seconds(self) -> float:
        """Seconds to get into position before the hold (the default when unset)."""
        return DEFAULTS.position if self.position is None else self.position

    @property
    def hold_seconds(self) -> float | None:
        """How long the hold lasts, in seconds (``None`` for a phase that does not
        hold a stretch)."""
        if not self.holds:
            return None
        if self.hold_from is not None and self.hold_until is not None:
            return self.hold_until - self.hold_from
        return self.seconds

    @property
    def has_beat(self) -> bool:
        """True when the phase plays a beat."""
        return self.steps_per_minute is not None

    @property
    def end_steps_per_minute(self) -> float | None:
        """The rate at the end of the phase (equal to the start when constant)."""
        return self.ramp_to if self.ramp_to is not None else self.steps_per_minute


@dataclass(frozen=True)
class Reminder:
    """Your own words, said during the main walk ``every`` so many seconds, or once
    ``at`` so many seconds into it."""

    text: str
    every: float | None = None
    at: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", _own_words(self.text, "text"))
        if (self.every is None) == (self.at is None):
            raise _error("reminder", f"{show(self.text)}: give either every or at (seconds).")
        object.__setattr__(self, "every", _optional(self.every, "every", "reminder_every"))
        object.__setattr__(self, "at", _optional(self.at, "at", "reminder_at"))


@dataclass(frozen=True)
class Session:
    """A whole walk: its phases in order, and how it sounds.

    Build one with a preset (:func:`pacer.presets.backward`) or directly. A Session
    is frozen and validated when made; a bad value raises :class:`SettingsError`
    naming the setting and its allowed range.

    Parameters
    ----------
    phases:
        The phases in order; at least one.
    title:
        A short name shown in tables and written into file tags.
    sound:
        The beat sound, one of :data:`SOUNDS`.
    accent_every:
        Accent every Nth beat of a phase (2-16), counting from its first; ``None`` for
        no accent.
    alternate_feet:
        Pan beats slightly left and right, like footfalls (left foot first).
    sample_rate:
        Samples per second, 8000-192000 Hz.
    volume:
        Loudness in percent, 1-100. At 100 nothing goes above -1 dBFS: measured, the
        built-in walks peak at -2.7 to -2.8 dBFS with the default wood beat (any
        voice), and between -1.2 (beep) and -4.6 dBFS (click) with the other beats.
    lead_in:
        Seconds before the first phase (the start cue plays here), 0-30.
    notes:
        Advice for the walker that is not an error, e.g. a length outside what the
        preset recommends. The library never prints these; the CLI does.
    opening:
        The cue at sample 0: ``"start"``, ``"resume"`` (a walk going on after a
        pause), or ``None``.
    first_step:
        Number of the session's first step (0 unless it continues a walk), so that
        feet keep alternating across a re-plan.
    voice:
        ``"en"`` or ``"zh"`` to speak cues with the shipped voice pack, ``"none"`` for
        earcons only (a cue the pack cannot say is an earcon either way).
    phrases:
        Your own words for cue kinds, as ``(kind, words)`` pairs; ``{n}`` stands for
        the number in "minutes left" and the countdown. Spoken by a speech engine
        when one is installed (see :mod:`pacer.tts`), else the built-in words.
    reminders:
        Your own :class:`Reminder` s, said during the main walk.
    """

    phases: tuple[Phase, ...]
    title: str = "walk"
    sound: str = DEFAULTS.sound
    accent_every: int | None = None
    alternate_feet: bool = False
    sample_rate: int = DEFAULTS.sample_rate
    volume: float = DEFAULTS.volume
    lead_in: float = DEFAULTS.lead_in
    notes: tuple[str, ...] = field(default=(), compare=False, metadata=INTERNAL)
    opening: str | None = field(default="start", metadata=INTERNAL)
    first_step: int = field(default=0, metadata=INTERNAL)
    voice: str = "none"
    phrases: tuple[tuple[str, str], ...] = ()
    reminders: tuple[Reminder, ...] = ()

    def __post_init__(self) -> None:
        def put(key: str, value: object) -> None:
            object.__setattr__(self, key, value)

        if isinstance(self.phases, Phase):
            raise _error("phases", "give a list of phases, not one Phase.")
        put("phases", _items(self.phases, "phases", "Phase"))
        if not self.phases:
            raise _error("phases", "a session needs at least one phase.")
        for phase in self.phases:
            if not isinstance(phase, Phase):
                raise _error("phases", f"{show(phase)} is not a Phase.")
        _check_holds(self.phases, self.main_index)
        put("title", _text(self.title, "title"))
        put("sound", _choice(self.sound, "sound", SOUNDS, "a beat sound"))
        put("accent_every", _optional(self.accent_every, "accent_every", "accent_every"))
        put("alternate_feet", _flag(self.alternate_feet, "alternate_feet"))
        put("sample_rate", LIMITS["sample_rate"].check(self.sample_rate))
        put("volume", LIMITS["volume"].check(self.volume))
        put("lead_in", LIMITS["lead_in"].check(self.lead_in))
        put("notes", tuple(_text(n, "notes", 1000) for n in _items(self.notes, "notes", "text")))
        if self.opening is not None:
            _choice(self.opening, "opening", ("start", "resume"), "an opening cue")
        put("first_step", LIMITS["steps_walked"].check(self.first_step, "first_step"))
        put("voice", _choice(self.voice, "voice", VOICES, "a voice"))
        phrases = self.phrases.items() if isinstance(self.phrases, Mapping) else self.phrases
        pairs: list[tuple[str, str]] = []
        for pair in _items(phrases, "phrases", "(cue, words) pairs"):
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise _error("phrases", f"{show(pair)} is not a (cue, words) pair.")
            kind, words = pair
            _choice(kind, "phrases", CUE_KINDS, "a cue")
            pairs.append((kind, _own_words(words, f"phrases: {kind}", kind)))
        put("phrases", tuple(pairs))
        put("reminders", _items(self.reminders, "reminders", "Reminder"))
        for reminder in self.reminders:
            if not isinstance(reminder, Reminder):
                raise _error("reminders", f"{show(reminder)} is not a Reminder.")

    @property
    def main_index(self) -> int | None:
        """Index of the main walk: the first ``"walk"`` phase (``None`` when there is
        none). ``minutes``, ``steps_per_minute`` and the route change this phase, and
        the journal counts it."""
        return next((i for i, p in enumerate(self.phases) if p.kind == "walk"), None)

    @property
    def main_phase(self) -> Phase | None:
        """The main walk (see :attr:`main_index`), or ``None``."""
        index = self.main_index
        return None if index is None else self.phases[index]

    @property
    def seconds(self) -> float:
        """The walk's length: lead-in plus every phase, in seconds (the end cue follows)."""
        return self.lead_in + sum(phase.seconds for phase in self.phases)

    def with_changes(self, **changes: object) -> Session:
        """A copy with some fields changed, validated again."""
        known = [f.name for f in fields(Session)]
        for key in changes:
            if key not in known:
                raise _error(str(key), f"is not a setting of a session; use {', '.join(known)}.")
        return replace(self, **changes)  # type: ignore[arg-type]

    def describe(self) -> str:
        """One line in words: ``"backward walk: 20 min at 60 steps/min"``."""
        minutes = sum(p.seconds for p in self.phases) / 60
        rates = _rates(self.phases)
        shown = _fmt(round(minutes)) if abs(minutes - round(minutes)) < 0.01 else f"{minutes:.1f}"
        return f"{self.title}: {shown} min at {rates}"


def _check_holds(phases: tuple[Phase, ...], main: int | None) -> None:
    """Each held stretch (as given, not yet fitted or begun) is held as the guidance
    says: 15-30 s before the main walk, 15-20 s after it."""
    for index, phase in enumerate(phases):
        if not phase.holds or phase.hold_from is not None or phase.elapsed:
            continue
        after = main is not None and index > main
        limit = LIMITS["hold_after" if after else "hold_before"]
        try:
            limit.check(phase.seconds, "seconds")
        except SettingsError as err:
            when = "after the walk" if after else "before the walk"
            detail = f"{str(err).rstrip('.')} (a stretch {when} is held {limit.describe()})."
            raise SettingsError(f"phase {phase.name!r}: {detail}", "seconds") from None


def _rates(phases: Iterable[Phase]) -> str:
    parts: list[str] = []
    for phase in phases:
        if phase.steps_per_minute is None:
            continue
        text = pace_text(phase.steps_per_minute)
        if phase.ramp_to is not None and phase.ramp_to != phase.steps_per_minute:
            text += f"->{pace_text(phase.ramp_to)}"
        if text not in parts:
            parts.append(text)
    return (", ".join(parts) + " steps/min") if parts else "no beat"
