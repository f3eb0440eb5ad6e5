"""The journal records why a walk ended early (dizziness) and whether its beat faded:
a version-2 journal gains both without losing a walk, exports carry them, pacer log
sets them, and pacer walk records them."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_walk_cli import TMUX, Terminal, fast_engine  # noqa: F401  (a fixture)

from pacer.cli import main
from pacer.journal import _SCHEMA_2_WALKS, SCHEMA_1, SCHEMA_VERSION, Journal


def test_a_version_2_journal_gains_dizzy_and_faded_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_1.split("CREATE TABLE walks")[0] + _SCHEMA_2_WALKS)
    db.execute("INSERT INTO pacer_meta VALUES ('app', 'pacer journal')")
    db.execute(
        "INSERT INTO walks VALUES (1, '2026-11-02T07:00:00', 'back-pain', 10, 6, 100, 100, 1,"
        " 3, NULL, 'walk', 'cut short')"
    )
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    with Journal(path) as book:
        (old,) = book.entries()
        assert (old.walked_minutes, old.ended_early, old.note) == (6, True, "cut short")
        assert (old.dizzy, old.faded) == (False, False)
        fixed = book.update(1, dizzy=True)
        assert fixed.dizzy and book.get(1).dizzy
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_log_records_dizziness_as_an_early_end_and_a_faded_beat(tmp_path: Path) -> None:
    j = str(tmp_path / "j.sqlite3")
    run = CliRunner().invoke
    result = run(main, ["log", "--minutes", "4", "--planned", "10", "--dizzy", "--journal", j])
    assert result.exit_code == 0, result.output
    assert "ended early" in result.stdout and "dizzy" in result.stdout
    assert run(main, ["log", "--minutes", "10", "--faded", "--journal", j]).exit_code == 0
    refused = run(main, ["log", "--id", "1", "--not-ended-early", "--journal", j])
    assert refused.exit_code == 2 and "dizzy" in refused.stderr
    assert refused.stderr.count("\n") == 1
    both = run(main, ["log", "--minutes", "3", "--dizzy", "--not-ended-early", "--journal", j])
    assert both.exit_code == 2 and both.stderr.count("\n") == 1
    with Journal(j) as book:
        dizzy, faded = book.entries()
    assert (dizzy.dizzy, dizzy.ended_early, dizzy.faded) == (True, True, False)
    assert (faded.dizzy, faded.ended_early, faded.faded) == (False, False, True)
    exported = list(
        csv.DictReader(io.StringIO(run(main, ["history", "--csv", "--journal", j]).stdout))
    )
    assert [(r["dizzy"], r["faded"]) for r in exported] == [("True", "False"), ("False", "True")]
    records = json.loads(run(main, ["history", "--json", "--journal", j]).stdout)
    assert [(r["dizzy"], r["faded"]) for r in records] == [(True, False), (False, True)]


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (.ci/run installs it)")
def test_in_a_real_terminal_d_ends_the_walk_calmly_and_the_journal_says_dizzy(
    tmp_path: Path,
) -> None:
    journal = tmp_path / "journal.sqlite3"
    command = (
        f"{sys.executable} -m pacer walk --engine null --minutes 2 --rate 8000 --voice none "
        f"--journal {journal}"
    )
    term = Terminal(command, tmp_path)
    try:
        term.wait_for("Pain now, 0-10 (Enter to skip):")
        term.keys("4", "Enter")
        term.wait_for("60 steps/min |")
        term.keys("d")
        screen = term.wait_for("Walk ended early because you felt dizzy:")
        assert "Stand still, and rest until the dizziness passes." in screen
        term.wait_for("Pain after the walk, 0-10 (Enter to skip):")
        term.keys("5", "Enter")
        # Well inside its first minute, and still recorded: dizziness is worth knowing.
        term.wait_for("Recorded in the journal as walk 1.")
        assert term.exit_code() == 0
        with Journal(journal) as book:
            (entry,) = book.entries()
        assert entry.dizzy and entry.ended_early and entry.walked_minutes < 1
        assert (entry.pain_before, entry.pain_after, entry.faded) == (4, 5, False)
    finally:
        term.close()


@pytest.mark.usefixtures("fast_engine")
@pytest.mark.parametrize("fade", [True, False])
def test_a_walk_with_a_fading_beat_is_recorded_as_faded(tmp_path: Path, fade: bool) -> None:
    j = tmp_path / "j.sqlite3"
    args = ["walk", "--minutes", "1", "--rate", "8000", "--journal", str(j), "--voice", "none"]
    args += ["--pain-before", "2", "--pain-after", "2"]
    result = CliRunner().invoke(main, [*args, "--fade-beat"] if fade else args)
    assert result.exit_code == 0, result.output
    with Journal(j) as book:
        (entry,) = book.entries()
    assert entry.faded is fade and not entry.dizzy and not entry.ended_early
