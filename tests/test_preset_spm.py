"""A preset file's phase takes its pace as `spm`, the command line's name, as the issue
and config.toml's [defaults] have it: `spm = "110%"` is exactly 110 % of the cadence
recorded last, `spm = 90` is 90; both names at once are refused in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pacer.cli import main
from pacer.config import PresetError, load_preset
from pacer.journal import Cadence, Journal


@pytest.fixture(autouse=True)
def own_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PACER_DATA_DIR", str(tmp_path / "data"))
    journal = tmp_path / "journal.sqlite3"
    monkeypatch.setenv("PACER_JOURNAL", str(journal))
    (tmp_path / "config").mkdir()
    return journal


def _preset(tmp_path: Path, pace: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(f'[[phases]]\nname = "walk"\nminutes = 2\n{pace}\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(("pace", "spm"), [('spm = "110%"', 105.6), ("spm = 90", 90)])
def test_a_phase_takes_its_pace_as_spm(
    tmp_path: Path, own_places: Path, pace: str, spm: float
) -> None:
    path = _preset(tmp_path, pace)
    assert load_preset(str(path), cadence=96).phases[0].steps_per_minute == spm
    Journal(own_places).record_cadence(Cadence("2026-11-30T08:00:00", 96, 20))
    run = CliRunner().invoke(main, ["show", "--preset", str(path)])
    assert run.exit_code == 0, run.output
    assert f"at {spm:g} steps/min" in run.output.splitlines()[0]


def test_spm_and_steps_per_minute_together_are_refused_in_one_line(tmp_path: Path) -> None:
    path = _preset(tmp_path, "spm = 90\nsteps_per_minute = 100")
    with pytest.raises(
        PresetError, match=r"phases\[0\] \(walk\): give spm or steps_per_minute, not both"
    ):
        load_preset(str(path))
    run = CliRunner().invoke(main, ["show", "--preset", str(path)])
    assert run.exit_code == 2
    assert run.output.strip().splitlines() == [
        f"pacer: error: {path}: phases[0] (walk): give spm or steps_per_minute, not both"
    ]


def test_a_share_in_spm_without_a_cadence_says_how_to_record_one(tmp_path: Path) -> None:
    path = _preset(tmp_path, 'spm = "110%"')
    run = CliRunner().invoke(main, ["show", "--preset", str(path)])
    assert run.exit_code == 2 and len(run.output.strip().splitlines()) == 1
    assert "'110%' is a share of your own cadence" in run.output and "pacer tap" in run.output
