"""pacer: a metronome that paces walks through earbuds and speaks cues.

The pipeline is Session -> Timeline -> Sound -> Output::

    import pacer
    session = pacer.presets.backward(minutes=25)      # frozen, validated
    walk = pacer.prepare(session)                     # speech ready; the timeline placed
    for event in walk.schedule.events(): ...          # Beat / Cue at sample indexes
    for block in pacer.blocks(walk): ...              # float32, shape (frames, 2)
    pacer.render(walk, "walk.ogg")                    # a file, written atomically

Importing pacer is cheap: every name below and every submodule (``pacer.plan``,
``pacer.voice``, ``pacer.live``, ...) loads when first used, and numpy and the audio
libraries only when sound is made.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import NoAudioOutputError, OutputError, PacerError, SettingsError

if TYPE_CHECKING:
    from . import (
        cadence,
        config,
        cues,
        display,
        earcons,
        journal,
        keys,
        live,
        mixer,
        output,
        plan,
        presets,
        report,
        session,
        timeline,
        tones,
        tts,
        voice,
    )
    from .cadence import Beat, beats
    from .config import session_from
    from .cues import CUE_KINDS, Cue
    from .journal import Journal
    from .live import Walk
    from .mixer import blocks
    from .output import FORMATS, Rendered, render
    from .output.device import play
    from .session import DEFAULTS, LIMITS, SOUNDS, Phase, Reminder, Session
    from .timeline import Event, Schedule, Summary, schedule
    from .voice import Prepared, prepare

__version__ = "0.1.0"

_NAMES = {
    "Beat": "cadence",
    "beats": "cadence",
    "CUE_KINDS": "cues",
    "Cue": "cues",
    "DEFAULTS": "session",
    "LIMITS": "session",
    "SOUNDS": "session",
    "Phase": "session",
    "Reminder": "session",
    "Session": "session",
    "Event": "timeline",
    "Schedule": "timeline",
    "Summary": "timeline",
    "schedule": "timeline",
    "Prepared": "voice",
    "prepare": "voice",
    "blocks": "mixer",
    "FORMATS": "output",
    "Rendered": "output",
    "render": "output",
    "play": "output.device",
    "Walk": "live",
    "Journal": "journal",
    "session_from": "config",
}
"""Public name -> the submodule that defines it."""

_SUBMODULES = (
    "cadence",
    "config",
    "cues",
    "display",
    "earcons",
    "journal",
    "keys",
    "live",
    "mixer",
    "output",
    "plan",
    "presets",
    "report",
    "session",
    "timeline",
    "tones",
    "tts",
    "voice",
)

__all__ = [
    "CUE_KINDS",
    "DEFAULTS",
    "FORMATS",
    "LIMITS",
    "SOUNDS",
    "Beat",
    "Cue",
    "Event",
    "Journal",
    "NoAudioOutputError",
    "OutputError",
    "PacerError",
    "Phase",
    "Prepared",
    "Reminder",
    "Rendered",
    "Schedule",
    "Session",
    "SettingsError",
    "Summary",
    "Walk",
    "__version__",
    "beats",
    "blocks",
    "cadence",
    "config",
    "cues",
    "display",
    "earcons",
    "journal",
    "keys",
    "live",
    "mixer",
    "output",
    "plan",
    "play",
    "prepare",
    "presets",
    "render",
    "report",
    "schedule",
    "session",
    "session_from",
    "timeline",
    "tones",
    "tts",
    "voice",
]


def __getattr__(name: str) -> Any:
    """Load a public name or a submodule when it is first used."""
    if name in _NAMES:
        value = getattr(importlib.import_module(f"{__name__}.{_NAMES[name]}"), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module 'pacer' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
