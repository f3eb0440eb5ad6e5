"""What a command loads: only what it needs, so that it starts quickly.

Each check runs the command in a fresh Python and reads ``sys.modules`` after it. The
times themselves are measured in benchmarks/render.py, not here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN = """
import sys
from pacer.cli import main
try:
    main(sys.argv[1:], prog_name="pacer")
except SystemExit as done:
    if done.code:
        raise
heavy = ("numpy", "soundfile", "sqlite3", "miniaudio", "pacer.journal", "pacer.plan",
         "pacer.report", "pacer.live", "platformdirs", "hashlib", "importlib.resources",
         "tempfile")
print("loaded:", *(name for name in heavy if name in sys.modules))
"""


def loaded(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """The heavy modules loaded by ``pacer ARGS`` (which must succeed)."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.splitlines()[-1].split()[1:])


def _every_command() -> list[list[str]]:
    from pacer.cli import main

    found: list[list[str]] = [[]]
    for name, command in main.commands.items():
        found.append([name])
        found += [[name, sub] for sub in getattr(command, "commands", {})]
    return found


@pytest.mark.parametrize("path", _every_command(), ids=lambda path: " ".join(path) or "pacer")
def test_every_help_loads_no_numpy_no_audio_library_and_no_journal(path: list[str]) -> None:
    assert loaded(*path, "--help") == set()


def test_the_walk_help_lists_the_keys() -> None:
    from click.testing import CliRunner

    from pacer.cli import main
    from pacer.keys import KEYS

    shown = CliRunner().invoke(main, ["walk", "--help"]).output
    assert all(key in shown and what[:20] in shown for key, what in KEYS.items())


def test_show_loads_no_numpy_and_no_journal() -> None:
    assert loaded("show", "--minutes", "20") == set()


@pytest.mark.parametrize("folders", ["PACER_CACHE_DIR", "XDG"])
def test_a_wav_render_loads_numpy_but_no_audio_library_and_no_journal(
    tmp_path: Path, folders: str
) -> None:
    # The first render decodes the voice's clips into the cache (with soundfile); from
    # then on a WAV render is numpy and the cheap part of the standard library only:
    # no platformdirs, hashlib, importlib.resources or tempfile (together a tenth of a
    # 30-minute render), in pacer's own folders as well as in PACER_CACHE_DIR.
    env = dict(os.environ)
    if folders == "XDG":
        for kind in ("CACHE", "CONFIG", "DATA"):
            env.pop(f"PACER_{kind}_DIR", None)
            env[f"XDG_{kind}_HOME"] = str(tmp_path / kind.lower())
    render = ["render", "--minutes", "2", "--rate", "8000", "-q"]
    loaded(*render, str(tmp_path / "first.wav"), env=env)
    second = tmp_path / "second.wav"
    assert loaded(*render, str(second), env=env) == {"numpy"}
    assert second.stat().st_size > 0
    if folders == "XDG":
        assert list((tmp_path / "cache" / "pacer" / "speech" / "clips").iterdir())
