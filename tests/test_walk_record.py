"""What `pacer walk` records is what was walked: the journal row, the summary line and
`pacer history` give the main walk's minutes walked (of those planned) and its pace at
its first and last step, as the plans the walk played say, whatever keys were pressed
and whenever."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_walk_cli import FastEngine
from walkcheck import main_walk_heard

import pacer
from pacer.cli import main
from pacer.live import Walk, press
from pacer.output import device as device_module
from pacer.session import pace_text

RATE = 8000
KEYS = ["space", "up", "down", "right", "left", "q"]


class ScriptedEngine(FastEngine):
    """A device that pulls as fast as it can and presses keys at given output samples
    (a walk left paused is resumed once the keys are done, as a walker would)."""

    def __init__(self, keys: list[tuple[int, str]]) -> None:
        super().__init__()
        self.keys = sorted(keys)
        self.walk: Walk | None = None

    def start(self, pull: Any) -> None:
        walk: Walk = pull.__self__
        self.walk = walk

        def run() -> None:
            block = np.zeros((4096, 2), dtype=np.float32)
            keys = list(self.keys)
            while not self.stopped.is_set() and not walk.finished:
                while keys and keys[0][0] <= self.pulled:
                    press(walk, keys.pop(0)[1])
                if not keys and walk.status().paused:
                    walk.resume()
                pull(block)
                self.pulled += len(block)

        threading.Thread(target=run, daemon=True).start()


def walk_with_keys(
    monkeypatch: pytest.MonkeyPatch, journal: Path, args: list[str], keys: list[tuple[int, str]]
) -> tuple[Any, ScriptedEngine]:
    engine = ScriptedEngine(keys)
    monkeypatch.setattr(device_module, "open_engine", lambda *a, **kw: engine)
    command = ["walk", *args, "--rate", str(RATE), "--journal", str(journal)]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    return result, engine


# A tempo key in the first hold of the back-pain programme: the main walk is walked at
# 101 steps/min, not the 100 it was planned at.
@example(preset="back-pain", minutes=1.0, keys=[(RATE * 200, "up")])
# Ended in the main walk by q: the minutes walked of it, at the pace keys set.
@example(preset="back-pain", minutes=1.5, keys=[(RATE * 400, "right"), (RATE * 430, "q")])
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    preset=st.sampled_from(["backward", "back-pain"]),
    minutes=st.sampled_from([1.0, 1.5, 2.0]),
    keys=st.lists(
        st.tuples(st.integers(0, 1000 * RATE) | st.integers(0, 60 * RATE), st.sampled_from(KEYS)),
        max_size=6,
    ),
)
def test_the_journal_and_the_summary_record_what_was_walked(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
    preset: str,
    minutes: float,
    keys: list[tuple[int, str]],
) -> None:
    journal = tmp_path_factory.mktemp("walk") / "journal.sqlite3"
    result, engine = walk_with_keys(
        monkeypatch, journal, ["--preset", preset, "--minutes", f"{minutes:g}"], keys
    )
    walk = engine.walk
    assert walk is not None and walk.finished
    samples, paces = main_walk_heard(walk.session, walk.played())
    summary = result.stdout.splitlines()[-1]
    entries = pacer.Journal(journal).entries()
    if "not recorded" in summary:  # ended by the walker within a minute
        assert not entries and walk.status().elapsed < 60
        return
    (entry,) = entries
    assert entry.walked_minutes == round(samples / RATE / 60, 2)
    assert entry.planned_minutes == minutes
    assert entry.spm_start == (paces[0] if paces else None)
    assert entry.spm_end == (paces[-1] if paces else None)
    # The summary says the same figures.
    walked = pacer.display.clock(samples / RATE, 0)
    assert f"{walked} of {pacer.display.clock(minutes * 60, 0)}" in summary
    if paces:
        first, last = pace_text(paces[0]), pace_text(paces[-1])
        pace = first if first == last else f"{first}→{last}"
        assert f" at {pace} steps/min" in summary


def test_history_shows_the_minutes_and_pace_the_summary_gave(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    journal = tmp_path / "journal.sqlite3"
    keys = [(RATE * 200, "up")]  # in the first hold: the main walk at 101
    result, _ = walk_with_keys(monkeypatch, journal, ["--preset", "back-pain"], keys)
    summary = result.stdout.splitlines()[-1]
    assert "; the main walk 10:00 of 10:00 at 101 steps/min;" in summary
    shown = CliRunner().invoke(main, ["history", "--journal", str(journal)])
    row = shown.stdout.splitlines()[1].split()
    assert row[4:6] == ["10/10", "101"]
