"""Test helpers (pytest puts tests/ on the path): sessions small enough to render in
milliseconds, and ways to measure sound without ears."""

from __future__ import annotations

import numpy as np

import pacer
from pacer import Phase, Session


def quiet_session(seconds: float = 20, spm: float = 60, rate: int = 8000, **kw: object) -> Session:
    """A session whose only cues are the start and the end: every other onset is a beat."""
    phase = Phase("walk", seconds, spm, look_back_every=None, halfway=False)
    return Session(phases=(phase,), sample_rate=rate, **kw)  # type: ignore[arg-type]


def render_array(session: Session, frames: int = 4096) -> np.ndarray:
    """The whole session as one (n, 2) float32 array."""
    return np.concatenate(list(pacer.blocks(session, frames)))


def onsets(signal: np.ndarray, silence: int = 1) -> list[int]:
    """Sample indexes where sound starts after at least ``silence`` silent samples."""
    mono = np.abs(signal).sum(axis=1) if signal.ndim == 2 else np.abs(signal)
    loud = mono > 0
    starts = np.flatnonzero(loud[1:] & ~loud[:-1]) + 1
    if loud[0]:
        starts = np.concatenate([[0], starts])
    result = []
    for s in starts:
        if s == 0 or not loud[max(0, s - silence) : s].any():
            result.append(int(s))
    return result
