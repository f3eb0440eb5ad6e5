"""Every test gets its own config and data folders: nothing touches the user's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACER_CONFIG_DIR", str(tmp_path / "pacer-config"))
    monkeypatch.setenv("PACER_DATA_DIR", str(tmp_path / "pacer-data"))
    monkeypatch.delenv("PACER_JOURNAL", raising=False)
