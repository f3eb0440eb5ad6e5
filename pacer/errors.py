"""The errors pacer raises. Every one is a :class:`PacerError`."""

from __future__ import annotations

__all__ = [
    "PacerError",
    "SettingsError",
    "OutputError",
    "NoAudioOutputError",
]


class PacerError(Exception):
    """Base class of every error pacer raises on purpose.

    The message is one line, written for the walker: it names the value and what
    would have been allowed.
    """


class SettingsError(PacerError, ValueError):
    """A setting is out of range or of the wrong kind.

    Attributes
    ----------
    setting:
        The setting's name in the library (``"steps_per_minute"``), or ``""``.
    detail:
        The message without where the setting sits (``"phase 'walk': "``), so that
        a caller can say where in its own words: ``"steps_per_minute: 250 is not in
        the range 30<=x<=180 steps/min."``.
    """

    def __init__(self, message: str, setting: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.setting = setting
        self.detail = detail or message


class OutputError(PacerError):
    """Sound could not be written where it was asked to go (disk full, no permission)."""


class NoAudioOutputError(PacerError):
    """No audio output device could be opened for live play."""
