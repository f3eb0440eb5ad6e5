"""Every test gets its own config and data folders, and the test run its own cache:
nothing touches the user's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One speech cache for the whole run (decoded clips are made once)."""
    return tmp_path_factory.mktemp("pacer-cache")


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> None:
    monkeypatch.setenv("PACER_CACHE_DIR", str(shared_cache))
    monkeypatch.setenv("PACER_CONFIG_DIR", str(tmp_path / "pacer-config"))
    monkeypatch.setenv("PACER_DATA_DIR", str(tmp_path / "pacer-data"))
    monkeypatch.delenv("PACER_JOURNAL", raising=False)
