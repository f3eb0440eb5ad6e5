"""Every test gets its own config, data and temporary folders, and the test run its own
cache: nothing touches the user's (nor walks another pacer kept in the temporary
folder)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One speech cache for the whole run (decoded clips are made once)."""
    return tmp_path_factory.mktemp("pacer-cache")


@pytest.fixture(autouse=True)
def private_folders(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    shared_cache: Path,
) -> None:
    import pacer.journal

    kept = tmp_path_factory.mktemp("temp") / pacer.journal.FALLBACK_NAME
    monkeypatch.setattr(pacer.journal, "fallback_kept_path", lambda: kept)
    monkeypatch.setenv("PACER_CACHE_DIR", str(shared_cache))
    monkeypatch.setenv("PACER_CONFIG_DIR", str(tmp_path / "pacer-config"))
    monkeypatch.setenv("PACER_DATA_DIR", str(tmp_path / "pacer-data"))
    monkeypatch.delenv("PACER_JOURNAL", raising=False)
