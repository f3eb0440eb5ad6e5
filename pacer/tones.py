"""The sounds pacer makes, synthesised once with numpy and cached.

Every sound is a mono float32 array that peaks at exactly 1.0 and starts on its first
sample (that sample is already non-zero, so an onset is where the timeline says). A
short raised-cosine attack and a raised-cosine fade at the end keep the edges free of
clicks. Arrays are read-only: they are shared by every block that uses them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .cues import CUE_KINDS
from .earcons import Note
from .errors import SettingsError
from .session import SOUNDS

__all__ = ["Sound", "beat_sound", "earcon_sound", "ramp", "raised_cosine"]

Sound = npt.NDArray[np.float32]

ACCENT_RATIO = 1.5
"""An accented beat is the same sound a fifth higher."""


def raised_cosine(position: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The raised-cosine curve at ``position``: 0 at or before 0, 1 at or after 1,
    a smooth S between (no corner for the ear to hear as a click)."""
    clipped = np.clip(np.asarray(position, dtype=np.float64), 0.0, 1.0)
    curve: npt.NDArray[np.float64] = 0.5 - 0.5 * np.cos(np.pi * clipped)
    return curve


def ramp(n: int) -> npt.NDArray[np.float64]:
    """A fade-in over ``n`` samples, from just above 0 to just below 1 (reverse it
    for a fade-out)."""
    return raised_cosine((np.arange(n) + 0.5) / n)


def _shape(
    signal: npt.NDArray[np.float64], rate: int, attack: float, decay: float, fade: float
) -> Sound:
    """Apply attack, exponential decay (time constant ``decay`` s) and end fade, and
    scale the peak to 1."""
    n = len(signal)
    t = np.arange(n) / rate
    env = np.exp(-t / decay) if decay > 0 else np.ones(n)
    a = max(1, min(n, round(attack * rate)))
    env[:a] *= ramp(a)
    f = max(1, min(n, round(fade * rate)))
    env[n - f :] *= ramp(f)[::-1]
    out = signal * env
    peak = float(np.max(np.abs(out)))
    result: Sound = (out / peak).astype(np.float32)
    result.flags.writeable = False
    return result


def _partials(
    rate: int, seconds: float, partials: tuple[tuple[float, float], ...]
) -> npt.NDArray[np.float64]:
    t = np.arange(round(seconds * rate)) / rate
    # Cosines start at their peak, so the sound's first sample is never zero.
    return sum((amp * np.cos(2 * np.pi * freq * t) for freq, amp in partials), np.zeros(len(t)))


@lru_cache(maxsize=32)
def beat_sound(name: str, rate: int, accent: bool = False) -> Sound:
    """The beat sound ``name`` (see :data:`pacer.session.SOUNDS`) at ``rate`` Hz.

    An accented beat is pitched a fifth higher. Lengths: wood 80 ms, click 25 ms,
    beep 90 ms, drum 200 ms.
    """
    up = ACCENT_RATIO if accent else 1.0
    nyquist = rate / 2 * 0.9

    def p(*pairs: tuple[float, float]) -> tuple[tuple[float, float], ...]:
        return tuple((f * up, a) for f, a in pairs if f * up < nyquist)

    if name == "wood":
        sig = _partials(rate, 0.08, p((820, 1.0), (1930, 0.45), (3100, 0.15)))
        return _shape(sig, rate, attack=0.0015, decay=0.022, fade=0.01)
    if name == "click":
        rng = np.random.default_rng(7)
        n = round(0.025 * rate)
        sig = _partials(rate, 0.025, p((2600, 1.0), (5200, 0.3))) + 0.25 * rng.standard_normal(n)
        sig[0] = abs(sig[0]) + 0.5
        return _shape(sig, rate, attack=0.0008, decay=0.005, fade=0.004)
    if name == "beep":
        sig = _partials(rate, 0.09, p((880, 1.0), (1760, 0.1)))
        return _shape(sig, rate, attack=0.01, decay=0.0, fade=0.04)
    if name == "drum":
        n = round(0.2 * rate)
        t = np.arange(n) / rate
        freq = (60 + 60 * np.exp(-t / 0.03)) * up
        phase = 2 * np.pi * np.cumsum(freq) / rate
        sig = np.cos(phase - phase[0])
        return _shape(sig, rate, attack=0.003, decay=0.06, fade=0.03)
    raise SettingsError(
        f"--sound: {name!r} is not a beat sound; use one of {', '.join(SOUNDS)}.", "sound"
    )


def _note(note: Note, rate: int) -> npt.NDArray[np.float64]:
    sig = _partials(rate, note.seconds, ((note.frequency, 1.0), (2 * note.frequency, 0.25)))
    return _shape(sig, rate, attack=0.005, decay=note.seconds / 2.5, fade=0.02).astype(np.float64)


@lru_cache(maxsize=32)
def earcon_sound(kind: str, rate: int) -> Sound:
    """The tune of a cue kind (see :data:`pacer.cues.CUE_KINDS`), mono, at ``rate``."""
    if kind not in CUE_KINDS:
        raise SettingsError(
            f"cue: {kind!r} is not a kind of cue; use one of {', '.join(CUE_KINDS)}.", "kind"
        )
    earcon = CUE_KINDS[kind].earcon
    out = np.zeros(round(earcon.seconds * rate))
    for note in earcon.notes:
        start = round(note.start * rate)
        tone = _note(note, rate)
        end = min(len(out), start + len(tone))
        out[start:end] += tone[: end - start]
    peak = float(np.max(np.abs(out)))
    result: Sound = (out / peak).astype(np.float32)
    result.flags.writeable = False
    return result
