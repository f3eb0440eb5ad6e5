"""Where sound goes: a file (:func:`render`), nothing (:func:`null`), or a device."""

from __future__ import annotations

from .file import FORMATS, Rendered, format_for, render, suggested_rate
from .null import null

__all__ = ["FORMATS", "Rendered", "format_for", "render", "suggested_rate", "null"]
