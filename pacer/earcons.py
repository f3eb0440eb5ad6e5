"""What a tune is: notes in Hz and seconds, pure data, so the timeline can know how long
each cue's tune lasts without making any sound. The tunes themselves are in the cue
vocabulary (:data:`pacer.cues.CUE_KINDS`), one per kind of cue."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Earcon", "Note", "in_turn", "together"]

G4, C5, D5, E5, F5, G5, A5, C6, E6 = (
    392.0,
    523.25,
    587.33,
    659.26,
    698.46,
    783.99,
    880.0,
    1046.5,
    1318.51,
)
"""Note frequencies in Hz."""


@dataclass(frozen=True)
class Note:
    """One note: ``frequency`` in Hz, ``start`` and ``seconds`` in seconds."""

    frequency: float
    start: float
    seconds: float


@dataclass(frozen=True)
class Earcon:
    """A cue's tune: its notes, from the tune's start."""

    notes: tuple[Note, ...]

    @property
    def seconds(self) -> float:
        """How long the tune lasts, to the end of its last note."""
        return max(note.start + note.seconds for note in self.notes)


def in_turn(frequencies: tuple[float, ...], step: float, last: float) -> Earcon:
    """Notes one after another, ``step`` seconds apart; the last rings ``last`` s."""
    n = len(frequencies)
    return Earcon(
        tuple(
            Note(f, i * step, last if i == n - 1 else step * 1.5) for i, f in enumerate(frequencies)
        )
    )


def together(frequencies: tuple[float, ...], seconds: float) -> Earcon:
    """A chord: the notes at once, each ringing ``seconds``."""
    return Earcon(tuple(Note(f, 0.0, seconds) for f in frequencies))
