"""Where sound goes: a file (:func:`render`), nothing (:func:`null`), or a device.

The names below load when first used: the formats table (:mod:`.formats`) needs
neither numpy nor an audio library, so the command line can read it for free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes

if TYPE_CHECKING:  # the names below, typed (at run time they load when used)
    from .file import Rendered, format_for, render
    from .formats import FORMATS, suggested_rate
    from .null import null

_NAMES = {
    "FORMATS": "formats",
    "suggested_rate": "formats",
    "Rendered": "file",
    "format_for": "file",
    "render": "file",
    "null": "null",
}
"""Public name -> the submodule that defines it."""

ENGINES = ("miniaudio", "null", "simpleaudio")
"""How live sound is played (:func:`pacer.output.device.open_engine`); here, apart
from the engines themselves, so the command line reads it without loading numpy."""

__all__ = ["ENGINES", "FORMATS", "Rendered", "format_for", "render", "suggested_rate", "null"]


__getattr__ = lazy_attributes(__name__, _NAMES)
"""Load a public name, or a submodule (``pacer.output.device``), when first used."""
