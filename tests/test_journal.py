"""The journal keeps every walk, survives two writers and old files, never touches a
file that is not its own; progression never asks for more after pain rose."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import re
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from journal_writer import add_walks

from pacer.cli import main
from pacer.journal import COLUMNS, SCHEMA_1, SCHEMA_VERSION, Entry, Journal, JournalError
from pacer.plan import PLANS, next_walk

TODAY = date(2026, 11, 22)


def walk(
    day: int,
    minutes: float = 10,
    before: int | None = None,
    after: int | None = None,
    preset: str = "back-pain",
    **kw: object,
) -> Entry:
    started = (TODAY - timedelta(days=day)).isoformat() + "T08:00:00"
    return Entry(
        started=started,
        preset=preset,
        planned_minutes=minutes,
        walked_minutes=minutes,
        pain_before=before,
        pain_after=after,
        **kw,
    )  # type: ignore[arg-type]


def test_walks_round_trip_and_can_be_corrected(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:
        first = book.add(walk(3, before=4, after=3, spm_start=60, spm_end=62, note="windy"))
        book.add(walk(1, ended_early=True))
    with Journal(path) as book:
        entries = book.entries()
        assert [e.id for e in entries] == [first.id, first.id + 1]  # type: ignore[operator]
        assert entries[0] == first
        assert entries[1].ended_early is True
        fixed = book.update(first.id, pain_after=5)  # type: ignore[arg-type]
        assert book.get(first.id).pain_after == 5 == fixed.pain_after  # type: ignore[arg-type]
        assert book.entries(limit=1) == [entries[1]]
        with pytest.raises(JournalError, match="there is no walk 99"):
            book.get(99)


def test_pain_outside_0_to_10_is_refused() -> None:
    with pytest.raises(ValueError, match="pain: 11 is not in the range 0<=x<=10"):
        walk(0, before=11)


def test_the_journal_is_in_wal_mode_with_its_schema_version(tmp_path: Path) -> None:
    Journal(tmp_path / "j.sqlite3").close()
    db = sqlite3.connect(tmp_path / "j.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_journal_from_the_first_schema_is_migrated_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_1)
    db.execute("INSERT INTO pacer_meta VALUES ('app', 'pacer journal')")
    db.execute("INSERT INTO walks VALUES (1, '2026-10-01T07:00:00', 'backward', 20, 60, 3, 2)")
    db.execute("INSERT INTO walks VALUES (2, '2026-10-03T07:00:00', 'backward', 22, 61, NULL, 4)")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Journal(path) as book:
        one, two = book.entries()
    assert (one.planned_minutes, one.walked_minutes, one.spm_start, one.spm_end) == (20, 20, 60, 60)
    assert (one.pain_before, one.pain_after, one.ended_early) == (3, 2, False)
    assert (two.walked_minutes, two.pain_before, two.pain_after) == (22, None, 4)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite3")
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=add_walks, args=(path, name, 150)) for name in ("a", "b")]
    for w in writers:
        w.start()
    for w in writers:
        w.join(timeout=120)
        assert w.exitcode == 0
    with Journal(path) as book:
        entries = book.entries()
    assert len(entries) == 300
    assert sum(e.preset == "a" for e in entries) == 150


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"my shopping list\n", "is not a pacer journal (not an SQLite file)"),
        (None, "is an SQLite file but not a pacer journal"),
        (b"SQLite format 3\x00" + b"\xff" * 200, "damaged or unreadable"),
    ],
)
def test_a_file_that_is_not_a_journal_is_reported_and_left_untouched(
    tmp_path: Path, content: bytes | None, fragment: str
) -> None:
    path = tmp_path / "journal.sqlite3"
    if content is None:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE recipes (name TEXT)")
        db.commit()
        db.close()
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(JournalError, match=re.escape(fragment)):
        Journal(path)
    assert path.read_bytes() == before
    result = CliRunner().invoke(main, ["history", "--journal", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("pacer: error: ") and len(result.stderr.splitlines()) == 1
    assert path.read_bytes() == before


def test_a_journal_from_a_newer_pacer_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal(path).close()
    sqlite3.connect(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(JournalError, match="written by a newer pacer"):
        Journal(path)


# -- progression -------------------------------------------------------------------------

histories = st.lists(
    st.builds(
        walk,
        day=st.integers(0, 40),
        minutes=st.sampled_from([5, 10, 15, 20, 25, 30, 45, 60]),
        before=st.none() | st.integers(0, 10),
        after=st.none() | st.integers(0, 10),
        preset=st.sampled_from(["back-pain", "backward"]),
        ended_early=st.booleans(),
    ),
    max_size=30,
)


def _last(entries: list[Entry], preset: str) -> Entry | None:
    mine = sorted((e for e in entries if e.preset == preset), key=lambda e: e.started)
    return mine[-1] if mine else None


@settings(max_examples=300, deadline=None)
@given(entries=histories, preset=st.sampled_from(["back-pain", "backward"]))
def test_never_more_time_or_days_after_a_walk_that_raised_pain(
    entries: list[Entry], preset: str
) -> None:
    advice = next_walk(entries, preset, TODAY)
    last = _last(entries, preset)
    if last is None:
        assert (advice.minutes, advice.days_per_week) == (
            PLANS[preset].start_minutes,
            PLANS[preset].start_days,
        )
        return
    if last.pain_rose:
        assert advice.minutes <= max(last.planned_minutes, last.walked_minutes)
        walked_days = len(
            {
                e.day
                for e in entries
                if e.preset == preset and (TODAY - timedelta(days=7)).isoformat() < e.day
            }
        )
        assert advice.days_per_week <= max(PLANS[preset].start_days, walked_days)
        assert "pain rose" in advice.reason


def test_two_rises_in_a_row_mean_ease_off_and_see_a_professional() -> None:
    entries = [walk(5, 20, 2, 4), walk(3, 20, 3, 5)]
    advice = next_walk(entries, "back-pain", TODAY)
    assert advice.see_professional
    assert advice.minutes == 15 and advice.days_per_week <= 2
    assert "see a professional" in advice.reason


def test_a_full_week_without_more_pain_builds_up() -> None:
    week = [walk(d, 10, 3, 3) for d in (1, 3, 5)]
    assert next_walk(week, "back-pain", TODAY).minutes == 15
    at_thirty = [walk(d, 30, 3, 2) for d in (1, 3, 5)]
    advice = next_walk(at_thirty, "back-pain", TODAY)
    assert (advice.minutes, advice.days_per_week) == (30, 4)
    backward = [walk(d, 20, 2, 2, preset="backward") for d in (1, 3, 5)]
    assert next_walk(backward, "backward", TODAY).minutes == 22


def test_a_short_week_keeps_the_plan() -> None:
    advice = next_walk([walk(2, 10, 3, 3)], "back-pain", TODAY)
    assert advice.minutes == 10 and "until a full week is walked" in advice.reason


# -- commands ----------------------------------------------------------------------------


def test_log_history_and_exports(tmp_path: Path) -> None:
    j = str(tmp_path / "j.sqlite3")
    run = CliRunner().invoke
    assert (
        run(
            main,
            [
                "log",
                "--journal",
                j,
                "--minutes",
                "20",
                "--date",
                "2026-11-20T08:15",
                "--pain-before",
                "4",
                "--pain-after",
                "3",
                "--spm",
                "60",
            ],
        ).exit_code
        == 0
    )
    assert (
        run(
            main,
            ["log", "--journal", j, "--minutes", "12", "--preset", "back-pain", "--ended-early"],
        ).exit_code
        == 0
    )
    fixed = run(main, ["log", "--journal", j, "--id", "1", "--pain-after", "2"])
    assert fixed.stdout.startswith("Walk 1 corrected: 2026-11-20 08:15 backward, 20 of 20 min")
    rows = list(csv.DictReader(io.StringIO(run(main, ["history", "--journal", j, "--csv"]).stdout)))
    assert list(rows[0]) == ["id", *COLUMNS]
    assert rows[0]["pain_after"] == "2" and rows[1]["ended_early"] == "True"
    records = json.loads(run(main, ["history", "--journal", j, "--json"]).stdout)
    assert [r["walked_minutes"] for r in records] == [20, 12]
    assert set(records[0]) == {"id", *COLUMNS}
    table = run(main, ["history", "--journal", j]).stdout
    assert "2026-11-20 08:15  backward" in table and "4->2" in table
    assert "(ended early)" in table
    assert "Pain over the last 1 walks: fell by 2.0 on average" in table


def test_log_mistakes_are_one_line(tmp_path: Path) -> None:
    j = str(tmp_path / "j.sqlite3")
    for args, fragment in [
        (["--minutes", "20", "--pain-after", "12"], "12 is not in the range 0<=x<=10"),
        (["--minutes", "20", "--date", "yesterday"], "'yesterday' is not a date"),
        (["--pain-after", "3"], "give --minutes"),
        (["--id", "7", "--pain-after", "3"], "there is no walk 7"),
    ]:
        result = CliRunner().invoke(main, ["log", "--journal", j, *args])
        assert result.exit_code in (1, 2), result.output
        assert len(result.stderr.splitlines()) == 1 and fragment in result.stderr


def test_plot_without_matplotlib_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: object, **kw: object) -> object:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    j = str(tmp_path / "j.sqlite3")
    CliRunner().invoke(main, ["log", "--journal", j, "--minutes", "20"])
    result = CliRunner().invoke(
        main, ["history", "--journal", j, "--plot", str(tmp_path / "p.png")]
    )
    assert result.exit_code == 1
    assert result.stderr == "pacer: error: --plot needs matplotlib: pip install 'pacer[plot]'\n"


def test_next_explains_itself(tmp_path: Path) -> None:
    j = str(tmp_path / "j.sqlite3")
    out = CliRunner().invoke(main, ["next", "--journal", j, "--preset", "back-pain"]).stdout
    assert out.splitlines()[0] == (
        "Next back-pain walk: 10 minutes, 3 days a week. Why: no "
        "back-pain walks recorded yet: start with 10 minutes, 3 days "
        "a week."
    )


def test_plot_draws_a_png_when_matplotlib_is_there(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    j = str(tmp_path / "j.sqlite3")
    for day in ("2026-11-10", "2026-11-18"):
        CliRunner().invoke(
            main,
            [
                "log",
                "--journal",
                j,
                "--minutes",
                "20",
                "--date",
                day,
                "--pain-before",
                "3",
                "--pain-after",
                "2",
            ],
        )
    picture = tmp_path / "walks.png"
    result = CliRunner().invoke(main, ["history", "--journal", j, "--plot", str(picture)])
    assert result.exit_code == 0, result.output
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
