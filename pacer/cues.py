"""What the walker can be told: the cue vocabulary, one table, and a cue as data.

Every kind of cue is one row of :data:`CUE_KINDS`: what it means (its words when
nothing else says it), which goes first when two want the same sample, and its tune
(heard with ``--voice none``, and for any cue the voice pack cannot say). Nothing here
knows about samples, sound or files: the timeline (:mod:`pacer.timeline`) places cues,
the voice (:mod:`pacer.voice`) says them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .earcons import A5, C5, C6, D5, E5, E6, F5, G4, G5, Earcon, Note, in_turn, together

__all__ = ["CUE_KINDS", "HOW", "POSTURE", "SIDE_WORDS", "Cue", "CueKind", "cue_text"]


@dataclass(frozen=True)
class CueKind:
    """One kind of cue.

    Attributes
    ----------
    meaning:
        What it says in English when nothing more particular is said.
    priority:
        Order among cues that want the same sample: lower first.
    earcon:
        Its tune.
    names_phase:
        True when what it says depends on its phase (the phase's kind or name).
    """

    meaning: str
    priority: int
    earcon: Earcon
    names_phase: bool = False


_LOOK = in_turn((A5, E6), 0.1, 0.16)

CUE_KINDS: dict[str, CueKind] = {
    "start": CueKind("Start of the walk", 0, in_turn((C5, E5, G5), 0.12, 0.3)),
    "resume": CueKind("Resuming", 0, in_turn((C5, E5), 0.12, 0.25)),
    "pause": CueKind("Paused", 0, in_turn((E5, C5), 0.18, 0.35)),
    "phase": CueKind("Next phase begins", 1, in_turn((G4, C5), 0.14, 0.3), names_phase=True),
    "look_left": CueKind("Look back over your left shoulder", 2, _LOOK),
    "look_right": CueKind("Look back over your right shoulder", 2, _LOOK),
    "stop": CueKind("Stop", 2, in_turn((G4, G4), 0.14, 0.25)),
    "walk_on": CueKind("Walk on", 2, in_turn((C5, G5), 0.1, 0.25)),
    "halfway": CueKind("Halfway", 3, together((C5, E5, G5), 0.5)),
    "minutes_left": CueKind("Minutes left", 4, in_turn((G5, D5), 0.16, 0.3)),
    "minutes_walking": CueKind("Minutes of walking left", 4, in_turn((G5, D5), 0.16, 0.3)),
    "precautions": CueKind(
        "Wear flat shoes, and keep to a flat path with no crowds",
        1,
        in_turn((C5, G4, C5), 0.18, 0.3),
    ),
    "posture": CueKind("Posture reminder", 5, Earcon((Note(E5, 0.0, 0.3),))),
    "turn_around": CueKind("Turn around", 2, in_turn((G5, C6, G5), 0.09, 0.18)),
    "stretch": CueKind(
        "Get into position for a stretch", 1, in_turn((D5, A5), 0.16, 0.4), names_phase=True
    ),
    "hold": CueKind("Hold", 1, together((D5, A5), 0.45)),
    "release": CueKind("Release", 1, in_turn((A5, D5), 0.16, 0.45)),
    "count": CueKind("Countdown", 3, Earcon((Note(A5, 0.0, 0.12),))),
    "water": CueKind("Drink some water", 1, in_turn((D5, F5, A5), 0.12, 0.3)),
    "reminder": CueKind("Your own reminder", 5, in_turn((E5, G5), 0.14, 0.3)),
    "dizzy": CueKind(
        "Stop here and stand still; rest until the dizziness passes",
        0,
        in_turn((E5, D5, C5), 0.22, 0.6),
    ),
    "end": CueKind("Session complete", 9, in_turn((G5, E5, C5, G4), 0.16, 0.8)),
}
"""Every kind of cue the timeline can emit. The tunes differ by shape: the start
rises, the end falls and rings longest, halfway is a chord, minutes-left falls in two
notes, a look-back is two quick rising notes (heard only in the ear of the shoulder
to look over); "stop" (to look back) is one low note twice, "walk on" a quick rising
fifth; the dizzy ending falls slowly and softly. A stretch rises (get into
position), its hold is the same two notes at once, and "release" falls."""

POSTURE = (
    "Head up, eyes level",
    "Toes first, then the heel",
    "Let your arms swing freely",
)
"""The posture reminders, said in turn."""

HOW: dict[str, str] = {
    "calf stretch": "Stand, one foot forward, front knee slightly bent; "
    "press back through the rear heel.",
    "hamstring stretch": "Sit with one leg straight; reach forward, keeping your back long.",
    "quadriceps stretch": "Lie on your stomach, or stand holding a support; "
    "bend one knee and hold the ankle.",
    "lower back stretch": "Lie on your back and hug both knees to your chest.",
    "hip stretch": "Kneel on one knee, the other foot forward; ease your hips forward.",
    "chest stretch": "Clasp your hands behind your back and open your chest.",
    "back stretch": "Clasp your hands in front of you and round your upper back.",
    "shoulder stretch": "Lace your fingers and reach your arms up overhead.",
    "abdomen stretch": "Lie on your stomach and push up gently on your forearms.",
}
"""How to do each stretch pacer knows by name, in one short sentence (calf,
hamstring, quadriceps and lower back as the walking guidance describes them)."""

SIDE_WORDS = ("left leg", "right leg")
"""What a one-sided stretch's side is called: a stretch cue's value 0 or 1."""


@dataclass(frozen=True)
class Cue:
    """Something the walker is told.

    Attributes
    ----------
    sample:
        Sample index where the cue's sound starts (on a beat, where its phase has one).
    kind:
        One of :data:`CUE_KINDS`.
    pan:
        Where it is heard: -1 left ear only, 0 both, 1 right ear only.
    phase:
        Index of the phase it belongs to (the end cue: the last phase).
    value:
        The number for ``minutes_left``, ``minutes_walking`` and ``count``, which
        reminder for ``posture`` and ``reminder``, the side of a one-sided
        ``stretch`` (0 left, 1 right); otherwise ``None``.
    wanted:
        The sample it was scheduled for before it waited for a free beat.
    """

    sample: int
    kind: str
    pan: float
    phase: int
    value: int | None = None
    wanted: int = -1

    @property
    def text(self) -> str:
        """What the cue says, in English."""
        return cue_text(self.kind, self.value)


def cue_text(kind: str, value: int | None = None, phase_name: str = "") -> str:
    """The English words for a cue (``kind`` one of :data:`CUE_KINDS`)."""
    if not isinstance(kind, str) or kind not in CUE_KINDS:
        from .errors import SettingsError

        shown = repr(kind) if isinstance(kind, str) else type(kind).__name__
        raise SettingsError(
            f"kind: {shown[:40]} is not a kind of cue; use one of {', '.join(CUE_KINDS)}", "kind"
        )
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        from .errors import SettingsError

        raise SettingsError(f"value: {type(value).__name__} is not a whole number", "value")
    if not isinstance(phase_name, str):
        from .errors import SettingsError

        raise SettingsError(f"phase_name: {type(phase_name).__name__} is not text", "phase_name")
    if kind == "minutes_left" and value is not None:
        return f"{value} minute{'s' if value != 1 else ''} left"
    if kind == "minutes_walking" and value is not None:
        return f"{value} minute{'s' if value != 1 else ''} of walking left"
    if kind == "phase" and phase_name:
        return f"Next: {phase_name}"
    if kind == "posture" and value is not None:
        return POSTURE[value % len(POSTURE)]
    if kind == "count" and value is not None:
        return str(value)
    if kind == "stretch" and phase_name:
        side = f", {SIDE_WORDS[value]}" if value is not None and 0 <= value < 2 else ""
        how = HOW.get(phase_name.lower())
        said = f"{phase_name[:1].upper()}{phase_name[1:]}{side}: get into position."
        return f"{said} {how}" if how else said
    return CUE_KINDS[kind].meaning
