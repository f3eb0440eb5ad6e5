"""A pace given as a share of the walker's cadence (--spm 110%, spm = "110%" in
config.toml's [defaults]) that comes out above the programme's ceiling (its plan's
max_steps_per_minute) is capped there with a note (found from outside: 131.6 steps/min
backwards from a forward cadence of 119.6, no warning; backward's ceiling is 66)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pacer.cli import main
from pacer.journal import Cadence, Journal


@pytest.mark.parametrize("where", ["command line", "config"])
@pytest.mark.parametrize("preset, ceiling", [("backward", 66), ("back-pain", 120)])
def test_a_share_above_the_ceiling_walks_at_the_ceiling_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, preset: str, ceiling: float
) -> None:
    journal = tmp_path / "j.sqlite3"
    with Journal(journal) as book:
        book.record_cadence(Cadence("2026-12-01T08:00:00", 119.6, 20))
    monkeypatch.setenv("PACER_JOURNAL", str(journal))
    args = ["show", "--preset", preset]
    if where == "config":
        config = tmp_path / "pacer-config" / "config.toml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text('[defaults]\nspm = "110%"\n')
    else:
        args += ["--spm", "110%"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"walk: {ceiling} steps/min for" in result.stdout, result.stdout
    assert "131.6" not in result.stdout
    (note,) = [line for line in result.stderr.splitlines() if "ceiling" in line]
    assert note == (
        f"pacer: note: 131.6 steps/min (110% of your recorded cadence, 119.6) is above the "
        f"{preset} programme's ceiling, {ceiling} steps/min: walking at {ceiling}; to walk "
        "faster on purpose give the number (--spm 131.6)"
    )


def test_a_share_within_the_ceiling_is_exactly_that_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = tmp_path / "j.sqlite3"
    with Journal(journal) as book:
        book.record_cadence(Cadence("2026-12-01T08:00:00", 50, 20))
    monkeypatch.setenv("PACER_JOURNAL", str(journal))
    result = CliRunner().invoke(main, ["show", "--spm", "110%"])
    assert result.exit_code == 0 and "walk: 55 steps/min for" in result.stdout
    assert "ceiling" not in result.stderr
