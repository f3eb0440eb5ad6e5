"""pacer: a metronome that paces walks through earbuds and speaks cues.

The pipeline is Session -> Timeline -> Mixer -> Sink::

    import pacer
    session = pacer.presets.backward(minutes=25)      # frozen, validated
    for event in pacer.timeline(session): ...         # Beat / Cue at sample indexes
    for block in pacer.blocks(session): ...           # float32, shape (frames, 2)
    pacer.render(session, "walk.ogg")                 # a file, written atomically

Importing pacer is cheap: numpy and the audio libraries load only when sound is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import presets
from .cadence import Beat, beats
from .cues import CUE_KINDS, Cue, schedule
from .errors import NoAudioOutputError, OutputError, PacerError, SettingsError
from .events import Event, Summary, length, summary, timeline
from .session import DEFAULTS, LIMITS, SOUNDS, Phase, Reminder, Session

if TYPE_CHECKING:
    from .journal import Journal
    from .live import Walk
    from .mixer import blocks
    from .output import FORMATS, Rendered, render
    from .output.device import play

__version__ = "0.1.0"

__all__ = [
    "Beat",
    "CUE_KINDS",
    "Cue",
    "DEFAULTS",
    "Event",
    "FORMATS",
    "Journal",
    "LIMITS",
    "NoAudioOutputError",
    "OutputError",
    "PacerError",
    "Phase",
    "Reminder",
    "Rendered",
    "SOUNDS",
    "Session",
    "SettingsError",
    "Summary",
    "Walk",
    "__version__",
    "beats",
    "blocks",
    "length",
    "play",
    "presets",
    "render",
    "schedule",
    "summary",
    "timeline",
]

_LAZY = {
    "blocks": ("pacer.mixer", "blocks"),
    "render": ("pacer.output", "render"),
    "play": ("pacer.output.device", "play"),
    "Walk": ("pacer.live", "Walk"),
    "Journal": ("pacer.journal", "Journal"),
    "Rendered": ("pacer.output", "Rendered"),
    "FORMATS": ("pacer.output", "FORMATS"),
}


def __getattr__(name: str) -> Any:
    """Load the parts that need numpy only when first used."""
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'pacer' has no attribute {name!r}")
