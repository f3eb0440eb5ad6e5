"""pacer's folders are where platformdirs would put them, though a command does not
import it on Linux (see test_startup)."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from pacer.places import user_dir

FINDERS = {
    "config": platformdirs.user_config_dir,
    "data": platformdirs.user_data_dir,
    "cache": platformdirs.user_cache_dir,
}


@pytest.mark.parametrize("kind", list(FINDERS))
@pytest.mark.parametrize("xdg", [None, "", "   ", "/elsewhere/x"], ids=repr)
def test_each_folder_is_the_one_platformdirs_names(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str, xdg: str | None
) -> None:
    monkeypatch.delenv(f"PACER_{kind.upper()}_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    variable = f"XDG_{kind.upper()}_HOME"
    if xdg is None:
        monkeypatch.delenv(variable, raising=False)
    else:
        monkeypatch.setenv(variable, xdg)
    assert user_dir(kind) == Path(FINDERS[kind]("pacer", appauthor=False))


@pytest.mark.parametrize("kind", list(FINDERS))
def test_pacers_own_variable_names_the_folder(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setenv(f"PACER_{kind.upper()}_DIR", "/mine")
    assert user_dir(kind) == Path("/mine")


@pytest.mark.skipif(sys.platform != "linux", reason="Android is told apart on Linux")
def test_on_android_platformdirs_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PACER_DATA_DIR", raising=False)
    monkeypatch.setenv("ANDROID_DATA", "/data")
    monkeypatch.setenv("ANDROID_ROOT", "/system")
    said: list[str] = []
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: said.append("asked") or "/a")
    assert user_dir("data") == Path("/a") and said == ["asked"]
