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
def beat_sound(name: str, rate: int, accent: bool = False, foot: str = "left") -> Sound:
    """The beat sound ``name`` (see :data:`pacer.session.SOUNDS`) at ``rate`` Hz.

    An accented beat is pitched a fifth higher. Lengths: wood 80 ms, click 25 ms,
    beep 90 ms, drum 200 ms, step 160 ms. ``foot`` (``"left"`` or ``"right"``)
    matters only for ``step``: each foot has its own footfall (see :func:`_step`).
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
    if name == "step":
        return _step(rate, up, foot)
    raise SettingsError(
        f"--sound: {name!r} is not a beat sound; use one of {', '.join(SOUNDS)}.", "sound"
    )


STEP_FEET = {
    # foot: (heel thump in Hz, the scuff's brightness in Hz, noise seed)
    "left": (150.0, 2600.0, 11),
    "right": (115.0, 1500.0, 23),
}
"""The two footfalls of the ``step`` sound: the right heel lands a little lower and
duller than the left, so the feet can be told apart even in one ear."""


def _step(rate: int, up: float, foot: str) -> Sound:
    """A soft heel strike, 160 ms: a low thump that drops in pitch as the heel lands,
    a short scuff of soft noise, and the sole settling 45 ms later, quieter.

    Footstep-like sounds steady the step more than plain tones (Young et al. 2016).
    """
    if foot not in STEP_FEET:
        raise SettingsError(f"foot: {foot!r} is not a foot; use left or right.", "foot")
    thump_hz, scuff_hz, seed = STEP_FEET[foot]
    n = round(0.16 * rate)
    t = np.arange(n) / rate
    # The thump: a cosine whose pitch falls from 1.6x to 1x in about 20 ms.
    freq = thump_hz * up * (1 + 0.6 * np.exp(-t / 0.02))
    phase = 2 * np.pi * np.cumsum(freq) / rate
    thump = (np.cos(phase - phase[0]) + 0.4 * np.cos(2 * (phase - phase[0]))) * np.exp(-t / 0.03)
    # The scuff: white noise smoothed by a moving average (a gentle low-pass whose
    # cut-off is about the scuff's brightness), dying away within 30 ms.
    rng = np.random.default_rng(seed)
    width = max(1, round(rate / (scuff_hz * up)))
    noise = np.convolve(rng.standard_normal(n + width), np.ones(width) / width, mode="valid")[:n]
    noise /= float(np.abs(noise).max())
    scuff = noise * np.exp(-t / 0.015)
    settle_at = round(0.045 * rate)
    settle = np.zeros(n)
    rest = n - settle_at
    settle[settle_at:] = 0.3 * thump[:rest] + 0.4 * noise[:rest] * np.exp(-t[:rest] / 0.01)
    sig = thump + 1.2 * scuff + settle
    return _shape(sig, rate, attack=0.002, decay=0.0, fade=0.04)


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
