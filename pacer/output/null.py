"""A sink that keeps nothing: for dry runs and for measuring the mixer alone."""

from __future__ import annotations

from ..mixer import DEFAULT_BLOCK_FRAMES, blocks
from ..session import Session
from ..voice import Prepared

__all__ = ["null"]


def null(session: Session | Prepared, frames: int = DEFAULT_BLOCK_FRAMES) -> int:
    """Mix the whole session and throw the sound away; returns the frames mixed."""
    return sum(len(block) for block in blocks(session, frames))
