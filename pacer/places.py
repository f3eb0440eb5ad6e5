"""Where pacer keeps the user's files: config, data (the journal) and cache.

Each has an environment variable that overrides it (``PACER_CONFIG_DIR``,
``PACER_DATA_DIR``, ``PACER_CACHE_DIR``). On Linux the folders are the XDG ones,
found here as platformdirs finds them, without importing it (its import, with
tempfile's, is a tenth of a 30-minute WAV render); elsewhere platformdirs says.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["user_dir"]

_XDG = {
    "config": ("XDG_CONFIG_HOME", "~/.config"),
    "data": ("XDG_DATA_HOME", "~/.local/share"),
    "cache": ("XDG_CACHE_HOME", "~/.cache"),
}
"""Each kind of folder: the XDG variable that names it and the fallback."""


def _plain_linux() -> bool:
    """Linux that is not Android (where platformdirs has folders of its own)."""
    return sys.platform == "linux" and not (
        "ANDROID_DATA" in os.environ and "ANDROID_ROOT" in os.environ
    )


def user_dir(kind: str) -> Path:
    """pacer's ``kind`` folder (``"config"``, ``"data"`` or ``"cache"``): the
    ``PACER_<KIND>_DIR`` variable when set, else the platform's own folder for
    pacer (``~/.config/pacer`` on Linux)."""
    override = os.environ.get(f"PACER_{kind.upper()}_DIR")
    if override:
        return Path(override)
    if _plain_linux():
        variable, fallback = _XDG[kind]
        base = os.environ.get(variable, "")
        if not base.strip():
            base = os.path.expanduser(fallback)
        return Path(base) / "pacer"
    import platformdirs

    find = {
        "config": platformdirs.user_config_dir,
        "data": platformdirs.user_data_dir,
        "cache": platformdirs.user_cache_dir,
    }[kind]
    return Path(find("pacer", appauthor=False))
