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

# No "from __future__ import annotations" here: it imports a module too, before the
# try below could catch a Ctrl-C in it (nothing here needs it).
try:
    from ._lazy import lazy_attributes
    from .errors import NoAudioOutputError, OutputError, PacerError, SettingsError
except KeyboardInterrupt:  # a Ctrl-C in the instant the command starts, before its handlers
    import sys

    _argv = getattr(sys, "orig_argv", [])
    if sys.argv[0].endswith(("/pacer", "\\pacer", "pacer.exe")) or (
        "-m" in _argv[:-1] and _argv[_argv.index("-m") + 1] == "pacer"
    ):
        sys.stderr.write("pacer: interrupted\n")
        raise SystemExit(130) from None
    raise  # a program importing pacer: its Ctrl-C is its own

TYPE_CHECKING = False  # not typing's: importing typing would cost the command's start-up
if TYPE_CHECKING:  # the names below, typed (at run time they load when used)
    from . import (  # noqa: F401
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
    from .cadence import Beat, beats  # noqa: F401
    from .config import session_from  # noqa: F401
    from .cues import CUE_KINDS, Cue  # noqa: F401
    from .journal import Journal  # noqa: F401
    from .live import Walk  # noqa: F401
    from .mixer import blocks  # noqa: F401
    from .output import Rendered, render  # noqa: F401
    from .output.device import play  # noqa: F401
    from .output.formats import FORMATS  # noqa: F401
    from .session import DEFAULTS, LIMITS, SOUNDS, Phase, Reminder, Session  # noqa: F401
    from .timeline import Event, Schedule, Summary, schedule  # noqa: F401
    from .voice import Prepared, prepare  # noqa: F401

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
    "FORMATS": "output.formats",
    "Rendered": "output",
    "render": "output",
    "play": "output.device",
    "Walk": "live",
    "Journal": "journal",
    "session_from": "config",
}
"""Public name -> the submodule that defines it."""

__all__ = [
    "NoAudioOutputError",
    "OutputError",
    "PacerError",
    "SettingsError",
    "__version__",
    *_NAMES,
]


__getattr__ = lazy_attributes(__name__, _NAMES)
"""Load a public name, or a submodule (``pacer.plan``), when it is first used."""
