"""The library checks what the command line checks, with the same rules, and refuses
values that make no sense with a SettingsError (issue 13's tester: record_walk took an
unknown preset and a walk stopped at once; schedule took lengths of "x" or 10**12;
pull_into took any array)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import pacer
from pacer import SettingsError
from pacer.presets import backward

RATE = 8000


def stopped_after(seconds: float, minutes: float = 2) -> pacer.live.Walk:
    walk = pacer.live.Walk(backward(minutes=minutes, sample_rate=RATE, voice="none"), pre_roll=0)
    walk.pull(round(RATE * seconds))
    walk.stop()
    walk.pull(512)  # the stop is taken at the next block
    return walk


@pytest.mark.parametrize("preset", ["backwrd", "back\0ward", "", "mine\0.toml", "a\nb", 5])
def test_record_walk_refuses_a_preset_pacer_walk_would_refuse(
    tmp_path: Path, preset: object
) -> None:
    with pacer.Journal(tmp_path / "j.sqlite3") as book:
        with pytest.raises(SettingsError, match=r"^preset: ") as caught:
            pacer.journal.record_walk(book, stopped_after(70), preset=preset)  # type: ignore[arg-type]
        assert "\n" not in str(caught.value)
        assert book.entries() == []


@pytest.mark.parametrize("seconds", [0, 1, 30, 59])
def test_a_walk_the_walker_ended_in_its_first_minute_is_not_recorded(
    tmp_path: Path, seconds: float
) -> None:
    """As pacer walk: a walk ended by the walker within a minute was started by mistake."""
    with pacer.Journal(tmp_path / "j.sqlite3") as book:
        assert pacer.journal.record_walk(book, stopped_after(seconds)) is None
        kept = pacer.journal.record_walk(book, stopped_after(seconds), ended_by_walker=False)
        assert kept is not None  # ended another way (a signal, the device lost): kept
    with pacer.Journal(tmp_path / "j.sqlite3") as book:
        assert len(book.entries()) == 1


def test_a_walk_past_its_first_minute_or_finished_is_recorded(tmp_path: Path) -> None:
    finished = pacer.live.Walk(backward(minutes=1, sample_rate=RATE, voice="none"), pre_roll=0)
    while not finished.finished:
        finished.pull(1 << 14)
    with pacer.Journal(tmp_path / "j.sqlite3") as book:
        for walk in (stopped_after(75), finished):
            assert pacer.journal.record_walk(book, walk) is not None


PREPARED = pacer.prepare(backward(minutes=3, sample_rate=RATE, voice="en"))
KEY = next(iter(PREPARED.lengths))


@pytest.mark.parametrize("length", ["x", -5, math.nan, 2.5, 10**12, True, None, 300 * RATE + 1])
def test_schedule_refuses_cue_lengths_that_are_not_samples_of_a_cue(length: object) -> None:
    with pytest.raises(SettingsError, match=r"^lengths: .* is not a whole number of samples"):
        pacer.timeline.schedule(PREPARED.session, {KEY: length})  # type: ignore[dict-item]


def test_schedule_takes_every_length_prepare_gives() -> None:
    placed = pacer.timeline.schedule(PREPARED.session, PREPARED.lengths)
    assert placed.cues == PREPARED.schedule.cues
    assert pacer.timeline.schedule(PREPARED.session, {KEY: 300 * RATE}).length > 0


@pytest.mark.parametrize(
    "out",
    [
        np.zeros((10, 1), np.float32),
        np.zeros(10, np.float32),
        np.zeros((10, 2), np.float64),
        np.zeros((10, 2, 1), np.float32),
        [[0.0, 0.0]],
        None,
    ],
    ids=["one channel", "flat", "float64", "3-D", "a list", "None"],
)
def test_pull_into_refuses_what_is_not_a_block(out: object) -> None:
    walk = pacer.live.Walk(backward(minutes=1, sample_rate=RATE, voice="none"), pre_roll=0)
    with pytest.raises(
        SettingsError, match=r"^out: .* is not a writable float32 array of shape \(frames, 2\)"
    ):
        walk.pull_into(out)  # type: ignore[arg-type]
    fixed = np.zeros((10, 2), np.float32)
    fixed.flags.writeable = False
    with pytest.raises(SettingsError, match=r"^out: "):
        walk.pull_into(fixed)
    walk.pull_into(np.zeros((10, 2), np.float32))  # a block is taken
