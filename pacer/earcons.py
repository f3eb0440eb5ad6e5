"""The short tunes that stand for cues until a voice speaks them (and after, as
``--voice none``). Pure data: notes in Hz and seconds, so the timeline can know how
long each cue lasts without making any sound.

Each tune is distinct by shape: the start rises, the end falls and rings longer,
halfway is a chord, minutes-left falls in two notes, a look-back is two quick rising
notes heard only in the ear of the shoulder to look over.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Note", "Earcon", "EARCONS"]

C5, D5, E5, G5, A5, E6, G4 = 523.25, 587.33, 659.26, 783.99, 880.0, 1318.51, 392.0
F5, C6 = 698.46, 1046.5


@dataclass(frozen=True)
class Note:
    """One note: ``frequency`` in Hz, ``start`` and ``seconds`` in seconds."""

    frequency: float
    start: float
    seconds: float


@dataclass(frozen=True)
class Earcon:
    """A cue's tune and where it sits between the ears (-1 left, 0 centre, 1 right)."""

    notes: tuple[Note, ...]
    pan: float = 0.0

    @property
    def seconds(self) -> float:
        """How long the tune lasts, to the end of its last note."""
        return max(note.start + note.seconds for note in self.notes)


def _run(frequencies: tuple[float, ...], step: float, last: float) -> tuple[Note, ...]:
    """Notes one after another, ``step`` apart; the last one rings for ``last`` s."""
    n = len(frequencies)
    return tuple(
        Note(f, i * step, last if i == n - 1 else step * 1.5) for i, f in enumerate(frequencies)
    )


EARCONS: dict[str, Earcon] = {
    "start": Earcon(_run((C5, E5, G5), 0.12, 0.3)),
    "phase": Earcon(_run((G4, C5), 0.14, 0.3)),
    "pause": Earcon(_run((E5, C5), 0.18, 0.35)),
    "resume": Earcon(_run((C5, E5), 0.12, 0.25)),
    "look_left": Earcon(_run((A5, E6), 0.1, 0.16), pan=-1.0),
    "look_right": Earcon(_run((A5, E6), 0.1, 0.16), pan=1.0),
    "halfway": Earcon(tuple(Note(f, 0.0, 0.5) for f in (C5, E5, G5))),
    "minutes_left": Earcon(_run((G5, D5), 0.16, 0.3)),
    "precautions": Earcon(_run((C5, G4, C5), 0.18, 0.3)),
    "posture": Earcon((Note(E5, 0.0, 0.3),)),
    "reminder": Earcon(_run((E5, G5), 0.14, 0.3)),
    "turn_around": Earcon(_run((G5, C6, G5), 0.09, 0.18)),
    "stretch": Earcon(_run((D5, A5), 0.16, 0.4)),
    "count": Earcon((Note(A5, 0.0, 0.12),)),
    "water": Earcon(_run((D5, F5, A5), 0.12, 0.3)),
    "end": Earcon(_run((G5, E5, C5, G4), 0.16, 0.8)),
}
"""The tune for each cue kind."""
