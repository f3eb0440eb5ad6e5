"""The journal keeps only what happened, survives two writers and old files, never
touches a file that is not its own or is damaged, names odd rows by walk id, reads what
it cannot write, and refuses paths that are not journal files."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import random
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from journal_writer import add_walks

from pacer.cli import main
from pacer.errors import SettingsError
from pacer.journal import (
    COLUMNS,
    SCHEMA_1,
    SCHEMA_VERSION,
    SHORTEST_RECORDED_MINUTES,
    Entry,
    Journal,
    JournalError,
    worth_recording,
)

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
    with pytest.raises(SettingsError, match="pain_before: 11 is not a whole number from 0 to 10"):
        walk(0, before=11)


def test_the_journal_keeps_no_shared_memory_file_and_has_its_schema_version(
    tmp_path: Path,
) -> None:
    """A rollback journal, not WAL: WAL maps a -shm file into memory, and a write to it
    after the file turned unwritable ended pacer with a bus error (issue 9)."""
    Journal(tmp_path / "j.sqlite3").close()
    db = sqlite3.connect(tmp_path / "j.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    old = tmp_path / "wal.sqlite3"  # a journal an earlier pacer kept in WAL mode
    with Journal(old) as book:
        book.add(walk(1))
    db = sqlite3.connect(old)
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    with Journal(old) as book:
        assert [e.walked_minutes for e in book.entries()] == [10]
        book.add(walk(0))
    assert sqlite3.connect(old).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not Path(f"{old}-shm").exists() and not Path(f"{old}-wal").exists()


_FROZEN = """
import subprocess, sys
from pacer.journal import Entry, Journal, JournalError
path, folder = sys.argv[1], sys.argv[2]
book = Journal(path)
book.add(Entry(started="2026-11-20T08:00:00", preset="backward", planned_minutes=10,
               walked_minutes=10))
import os
files = [path + s for s in ("", "-journal", "-wal", "-shm") if os.path.exists(path + s)]
subprocess.run(["chattr", "+i", *files, folder], check=True)
try:
    book.add(Entry(started="2026-11-21T08:00:00", preset="backward", planned_minutes=10,
                   walked_minutes=10))
except JournalError as err:
    print(err)
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="chattr +i needs root")
def test_a_journal_made_immutable_while_open_is_an_error_line_never_a_bus_error(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "walks"
    folder.mkdir()
    path = folder / "journal.sqlite3"
    try:
        done = subprocess.run(
            [sys.executable, "-c", _FROZEN, str(path), str(folder)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        subprocess.run(["chattr", "-R", "-i", str(folder)], capture_output=True)
    if "Operation not supported" in done.stderr:
        pytest.skip("this file system has no immutable flag")
    assert done.returncode == 0, done.stderr  # a bus error is -7 (shell: 135)
    assert "could not record the walk" in done.stdout
    with Journal(path) as book:
        assert len(book.entries()) == 1


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
    assert "   1  2026-11-20 08:15  backward       20/20    60  4→2" in table
    assert "ended early" in table
    assert "Pain over the last walk with both scores: fell by 2.0 on average" in table


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


def run(*args: str, terminal_input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=terminal_input)
    return result.exit_code, result.stdout, result.stderr


def one_line(err: str) -> bool:
    return err.startswith("pacer: error: ") and len(err.splitlines()) == 1


# -- a damaged journal is found before anything is read or written --------------------------


def _journal_of(tmp_path: Path, walks: int) -> Path:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:
        for i in range(walks):
            book.add(walk(i % 60, 10 + i % 20, i % 5, i % 4, note="a walk by the river " * 2))
    assert not Path(f"{path}-wal").exists()  # all in the file itself once closed
    return path


@pytest.mark.parametrize("fill", [b"\x00", b"\xff", b"random"])
def test_one_damaged_page_among_400_walks_is_refused_and_never_written(
    tmp_path: Path, fill: bytes
) -> None:
    path = _journal_of(tmp_path, 400)
    data = path.read_bytes()
    page = 4096
    pages = len(data) // page
    assert pages > 10

    for number in range(2, pages + 1):  # every page but the header's
        damage = random.Random(number).randbytes(page) if fill == b"random" else fill * page
        start = (number - 1) * page
        path.write_bytes(data[:start] + damage + data[start + page :])
        damaged = path.read_bytes()
        with pytest.raises(JournalError, match="damaged"):
            Journal(path)
        for args in (
            ["log", "--minutes", "20"],
            ["history"],
            ["next"],
            ["history", "--csv"],
            ["log", "--delete", "3", "--yes"],
        ):
            code, out, err = run(*args, "--journal", str(path))
            assert code == 1 and out == "" and one_line(err), (number, args, err)
            assert "the journal is damaged" in err
            # In plain words, not SQLite's (found from outside: "btreeInitPage() ...").
            assert "part of the file cannot be read" in err, err
            assert not re.search(r"btree|page \d|error code|malformed|\*\*\*|cell", err, re.I)
        assert path.read_bytes() == damaged, f"page {number}: the damaged journal was written"


@pytest.mark.parametrize(
    "column, value, shown",
    [
        ("walked_minutes", "'abc'", "walked_minutes: 'abc' is not a number of minutes"),
        ("walked_minutes", "9e999", "walked_minutes: inf is not a number of minutes"),
        ("planned_minutes", "'NaN'", "planned_minutes: 'NaN' is not a number of minutes"),
        ("planned_minutes", "-3", "planned_minutes: -3.0 is not a number of minutes"),
        ("pain_before", "3.5", "pain_before: 3.5 is not a whole number from 0 to 10"),
        ("pain_after", "'x'", "pain_after: 'x' is not a whole number from 0 to 10"),
        ("spm_start", "'fast'", "spm_start: 'fast' is not a number of steps/min"),
        ("started", "'yesterday'", "started: 'yesterday' is not a date and time"),
        ("ended_early", "'yes'", "ended_early: 'yes' is not 0 or 1"),
        ("preset", "''", "preset: '' is not a name"),
    ],
)
def test_an_odd_row_is_reported_by_its_walk_id_and_can_be_corrected_or_deleted(
    tmp_path: Path, column: str, value: str, shown: str
) -> None:
    path = _journal_of(tmp_path, 5)
    db = sqlite3.connect(path)
    db.execute("PRAGMA ignore_check_constraints = ON")
    db.execute(f"UPDATE walks SET {column} = {value} WHERE id = 4")
    db.commit()
    db.close()
    readers = [["history"], ["history", "--json"], ["next", "--preset", "back-pain"]]
    if column == "preset":
        readers.pop()  # next reads only back-pain walks, and this one has no preset now
    for args in readers:
        code, out, err = run(*args, "--journal", str(path))
        assert code == 1 and out == "" and one_line(err), err
        assert f"walk 4 has an odd value ({shown}" in err
        assert "pacer log --id 4" in err and "pacer log --delete 4" in err
    with Journal(path) as book:
        with pytest.raises(JournalError, match="walk 4 has an odd value"):
            book.get(4)
        assert book.get(3).id == 3  # the others are still readable one by one
    before = path.read_bytes()
    for args in (["log", "--minutes", "20"], ["log", "--id", "3", "--pain-after", "2"]):
        code, out, err = run(*args, "--journal", str(path))  # nothing else is written
        assert code == 1 and out == "" and one_line(err), err
        assert f"walk 4 has an odd value ({shown}" in err
    assert path.read_bytes() == before
    fix = {
        "walked_minutes": ["--minutes", "10"],
        "planned_minutes": ["--planned", "10"],
        "pain_before": ["--pain-before", "3"],
        "pain_after": ["--pain-after", "3"],
        "spm_start": ["--spm", "60"],
        "started": ["--date", "2026-11-20T08:00"],
        "ended_early": ["--not-ended-early"],
        "preset": ["--preset", "backward"],
    }[column]
    code, out, err = run("log", "--id", "4", *fix, "--journal", str(path))
    assert code == 0, err
    assert out.startswith("Walk 4 corrected: ")
    assert run("history", "--journal", str(path))[0] == 0


def test_an_odd_row_can_be_deleted(tmp_path: Path) -> None:
    path = _journal_of(tmp_path, 5)
    db = sqlite3.connect(path)
    db.execute("UPDATE walks SET walked_minutes = 'abc' WHERE id = 2")
    db.commit()
    db.close()
    code, out, _ = run("log", "--delete", "2", "--yes", "--journal", str(path))
    assert code == 0 and out == "Walk 2 deleted: (its values are odd)\n"
    with Journal(path) as book:
        assert sorted(e.id for e in book.entries()) == [1, 3, 4, 5]  # type: ignore[type-var]


def test_a_journal_without_its_walks_table_is_reported(tmp_path: Path) -> None:
    path = _journal_of(tmp_path, 3)
    db = sqlite3.connect(path)
    db.execute("DROP TABLE walks")
    db.commit()
    db.close()
    before = path.read_bytes()
    for args in (["history"], ["log", "--minutes", "10"]):
        code, _, err = run(*args, "--journal", str(path))
        assert code == 1 and one_line(err) and "lost its walks table" in err
    assert path.read_bytes() == before


# -- paths that are not journal files --------------------------------------------------------


def test_a_fifo_or_a_device_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "journal.fifo"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/null"), tmp_path):
        # In a child process with a time limit: a FIFO once made pacer wait for ever.
        done = subprocess.run(
            [sys.executable, "-m", "pacer", "history", "--journal", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2 and done.stdout == "" and one_line(done.stderr)
        assert "is not a regular file" in done.stderr or "is a directory" in done.stderr


def test_only_the_default_location_gets_its_folders_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    code, _, err = run("log", "--minutes", "10", "--journal", str(missing / "j.sqlite3"))
    assert code == 2 and one_line(err)
    assert f"the folder {missing} does not exist" in err
    assert not (tmp_path / "no").exists()
    with pytest.raises(SettingsError, match="does not exist"):
        Journal(missing / "j.sqlite3")
    monkeypatch.setenv("PACER_JOURNAL", str(missing / "j.sqlite3"))
    assert run("history")[0] == 2 and not (tmp_path / "no").exists()
    monkeypatch.delenv("PACER_JOURNAL")
    monkeypatch.setenv("PACER_DATA_DIR", str(tmp_path / "data" / "deep"))
    code, out, _ = run("log", "--minutes", "10")
    assert code == 0 and out.startswith("Walk 1 recorded")
    assert (tmp_path / "data" / "deep" / "journal.sqlite3").is_file()


# -- a journal that cannot be written can still be read --------------------------------------


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Path:  # type: ignore[misc]
    """A folder that cannot be written: a read-only mount when running as root (root
    writes through file permissions), else a folder and file without write permission."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], capture_output=True
        )
        if mounted.returncode != 0:
            pytest.skip("running as root where tmpfs cannot be mounted")
    path = _journal_of(folder, 30)
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        path.chmod(0o444)
        folder.chmod(0o555)
    yield folder
    if os.geteuid() == 0:
        import gc

        gc.collect()  # journals a failed test left open
        subprocess.run(["umount", "--lazy", str(folder)], check=True)
    else:
        folder.chmod(0o755)


def test_a_read_only_journal_is_read_and_writing_says_read_only(read_only_folder: Path) -> None:
    path = str(read_only_folder / "j.sqlite3")
    before = Path(path).read_bytes()
    code, out, err = run("history", "--journal", path)
    assert code == 0 and err == "" and "week of" in out
    code, out, _ = run("history", "--csv", "--journal", path)
    assert code == 0 and len(out.splitlines()) == 31
    code, out, _ = run("next", "--preset", "back-pain", "--journal", path)
    assert code == 0 and out.startswith("Next back-pain walk:")
    for args in (
        ["log", "--minutes", "10"],
        ["log", "--id", "3", "--pain-after", "1"],
        ["log", "--delete", "3", "--yes"],
    ):
        code, out, err = run(*args, "--journal", path)
        assert code == 1 and out == "" and one_line(err), err
        assert "the journal is read-only" in err
    with Journal(path) as book:
        assert book.read_only and len(book.entries()) == 30
    assert Path(path).read_bytes() == before


# -- the journal keeps only what happened ----------------------------------------------------


def test_log_delete_asks_on_a_terminal_and_takes_yes_in_scripts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(_journal_of(tmp_path, 4))
    code, _, err = run("log", "--delete", "2", "--journal", path)
    assert code == 2 and one_line(err) and "add --yes" in err
    monkeypatch.setattr("pacer.cli._on_terminal", lambda: True)
    code, out, _ = run("log", "--delete", "2", "--journal", path, terminal_input="n\n")
    assert code == 0 and out.startswith("Delete walk 2: ") and out.endswith("Walk 2 kept.\n")
    code, out, _ = run("log", "--delete", "2", "--journal", path, terminal_input="y\n")
    assert code == 0 and "Walk 2 deleted: " in out
    code, out, _ = run("log", "--delete", "3", "--yes", "--journal", path)
    assert code == 0 and out.startswith("Walk 3 deleted: ")
    with Journal(path) as book:
        assert sorted(e.id for e in book.entries()) == [1, 4]  # type: ignore[type-var]
    code, _, err = run("log", "--delete", "3", "--yes", "--journal", path)
    assert code == 2 and err.startswith(  # a usage mistake: the id is wrong
        "pacer: error: Invalid value for '--delete': there is no walk 3 in the journal"
    )
    code, _, err = run("log", "--delete", "1", "--minutes", "3", "--journal", path)
    assert code == 2 and "--delete ID takes only --yes and --journal" in err


def test_ended_early_can_be_corrected_both_ways(tmp_path: Path) -> None:
    path = str(tmp_path / "j.sqlite3")
    run("log", "--minutes", "12", "--ended-early", "--journal", path)
    code, out, _ = run("log", "--id", "1", "--not-ended-early", "--journal", path)
    assert code == 0 and "ended early" not in out
    with Journal(path) as book:
        assert book.get(1).ended_early is False
    code, out, _ = run("log", "--id", "1", "--ended-early", "--journal", path)
    assert code == 0 and out.startswith("Walk 1 corrected: ") and ", ended early," in out
    with Journal(path) as book:
        assert book.get(1).ended_early is True


def test_log_refuses_the_future_and_presets_it_does_not_know(tmp_path: Path) -> None:
    path = str(tmp_path / "j.sqlite3")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    later_today = (datetime.now() + timedelta(hours=2)).replace(microsecond=0).isoformat()
    for args, fragment in [
        (["--date", tomorrow], f"{tomorrow} is in the future"),
        (["--date", later_today], "is in the future"),
        (["--preset", "nonesuch"], "--preset: 'nonesuch' is not a preset"),
    ]:
        code, out, err = run("log", "--minutes", "10", *args, "--journal", path)
        assert code == 2 and out == "" and one_line(err), err
        assert fragment in err
    code, _, err = run("log", "--id", "1", "--preset", "nonesuch", "--journal", path)
    assert code == 2 and "'nonesuch' is not a preset" in err
    assert (
        run("log", "--minutes", "10", "--date", date.today().isoformat(), "--journal", path)[0] == 0
    )


def test_a_walk_ended_by_the_walker_within_a_minute_is_not_worth_recording() -> None:
    assert SHORTEST_RECORDED_MINUTES == 1
    assert not worth_recording(0.03, ended_by_walker=True)
    assert worth_recording(1.0, ended_by_walker=True)
    assert worth_recording(0.03, ended_by_walker=False)  # the device was lost: it happened


# -- the library refuses what is not a walk --------------------------------------------------

_GOOD = dict(started="2026-11-20T08:00", preset="backward", planned_minutes=20, walked_minutes=20)
_BAD = st.one_of(
    st.none(),
    st.text(max_size=4),
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not 0 <= x <= 240),
    st.just(float("nan")),
    st.just(float("inf")),
    st.booleans(),
    st.integers(min_value=10**6),
    st.lists(st.integers(), max_size=1),
)


@settings(deadline=None)
@given(
    field=st.sampled_from(
        ["started", "planned_minutes", "walked_minutes", "spm_start", "pain_after", "preset"]
    ),
    value=_BAD,
)
def test_entry_refuses_any_odd_value_with_a_settings_error(field: str, value: object) -> None:
    if field in ("spm_start", "pain_after") and value is None:
        return  # unknown is allowed for these
    if field == "preset" and isinstance(value, str) and value.strip():
        return  # any name is a preset name here
    if field == "started" and isinstance(value, str):
        try:
            datetime.fromisoformat(value)
            return
        except ValueError:
            pass
    with pytest.raises(SettingsError, match=f"^{field}: "):
        Entry(**{**_GOOD, field: value})  # type: ignore[arg-type]


@settings(deadline=None)
@given(
    kind=st.sampled_from(["int8", "int16", "int32", "int64", "uint8", "uint32", "uint64"]),
    pain=st.tuples(st.integers(0, 10), st.integers(0, 10)),
    minutes=st.integers(0, 120),
    spm=st.integers(30, 127),
)
def test_entry_takes_any_whole_number_type_and_keeps_plain_python_numbers(
    kind: str, pain: tuple[int, int], minutes: int, spm: int
) -> None:
    """Found from outside: np.int64 scores and minutes were refused. Any integral
    number is taken (kept as int), and the journal records it."""
    import numpy as np

    number = getattr(np, kind)
    entry = Entry(
        "2026-11-20T08:00", "backward", number(minutes), number(minutes),
        spm_start=number(spm), pain_before=number(pain[0]), pain_after=number(pain[1]),
    )  # fmt: skip
    for name in ("planned_minutes", "walked_minutes", "spm_start", "pain_before", "pain_after"):
        assert type(getattr(entry, name)) is int
    assert (entry.pain_before, entry.pain_after, entry.walked_minutes) == (*pain, minutes)
    with Journal(":memory:") as book:
        added = book.add(entry)
        assert added.id is not None and book.get(added.id) == added


@settings(deadline=None)
@given(day=st.dates(max_value=date(1999, 12, 31)))
def test_entry_refuses_a_date_before_2000(day: date) -> None:
    """Found from outside: the library's Entry took 1900 (pacer log --date does not)."""
    with pytest.raises(SettingsError, match=r"^started: .* is not a date from 2000-01-01 on"):
        Entry(f"{day.isoformat()}T08:00", "backward", 10, 10)
    assert Entry("2000-01-01T00:00", "backward", 10, 10).day == "2000-01-01"


def test_a_walk_dated_before_2000_in_a_journal_is_named_as_odd(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:
        book.add(walk(1))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE walks SET started = '1900-01-01T08:00:00'")
    db.close()
    code, _, err = run("history", "--journal", str(path))
    assert code == 1 and "walk 1 has an odd value (started: '1900-01-01T08:00:00'" in err


def test_the_library_refuses_odd_arguments_with_pacer_errors(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="walked_minutes: 'a' is not a number"):
        Entry(started="2026-11-20", preset="backward", planned_minutes=1, walked_minutes="a")  # type: ignore[arg-type]
    with pytest.raises(SettingsError, match="started: None is not a date"):
        Entry(started=None, preset="backward", planned_minutes=1, walked_minutes=1)  # type: ignore[arg-type]
    with pytest.raises(SettingsError, match="journal: 5 is not a file name"):
        Journal(5)  # type: ignore[arg-type]
    with Journal(tmp_path / "j.sqlite3") as book:
        book.add(walk(1))
        with pytest.raises(JournalError, match=f"there is no walk {10**30}"):
            book.get(10**30)
        with pytest.raises(SettingsError, match="walk id: '1' is not a whole number"):
            book.get("1")  # type: ignore[arg-type]
        with pytest.raises(SettingsError, match="'minutes' is not a journal column"):
            book.update(1, minutes=3)
        with pytest.raises(SettingsError, match="pain_after: 12"):
            book.update(1, pain_after=12)
        with pytest.raises(SettingsError, match="limit: -1"):
            book.entries(limit=-1)
        with pytest.raises(SettingsError, match="is not an Entry"):
            book.add({"started": "2026-11-20"})  # type: ignore[arg-type]
        assert 10**30 not in book and 1 in book
        assert len(book.entries(limit=10**30)) == 1


def test_a_time_with_a_zone_is_kept_as_local_time() -> None:
    entry = Entry("2026-11-20T08:00:00+00:00", "backward", 20, 20)
    expected = datetime(2026, 11, 20, 8, tzinfo=__import__("datetime").timezone.utc)
    assert entry.started == expected.astimezone().replace(tzinfo=None).isoformat()


_WALKS = st.builds(
    Entry,
    started=st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1)).map(datetime.isoformat),
    preset=st.text(min_size=1, max_size=12).filter(str.strip),
    planned_minutes=st.floats(0, 240),
    walked_minutes=st.floats(0, 240) | st.integers(0, 240),
    spm_start=st.none() | st.floats(30, 180),
    spm_end=st.none() | st.integers(30, 180),
    ended_early=st.booleans(),
    pain_before=st.none() | st.integers(0, 10),
    pain_after=st.none() | st.integers(0, 10),
    source=st.sampled_from(["walk", "log"]),
    note=st.text(max_size=20),
)


@settings(deadline=None)
@given(walks=st.lists(_WALKS, max_size=20))
def test_every_walk_reads_back_as_it_was_recorded(walks: list[Entry]) -> None:
    # Rows SQLite finds plain skip the checks in Python; they must read the same.
    with Journal(":memory:") as book:
        added = {e.id: e for e in (book.add(w) for w in walks)}
        read = book.entries()
        assert {e.id: e for e in read} == added
        assert [e.started for e in read] == sorted(e.started for e in walks)
        assert all(type(e.ended_early) is bool for e in read)


# -- garbage inside a walk: reading and writing are refused alike ---------------------------


_WRITERS = (
    ["log", "--minutes", "20"],
    ["log", "--id", "5", "--pain-after", "3"],
    ["log", "--delete", "7", "--yes"],
)


def _refuses_all_alike(path: Path) -> str:
    """Every reader and writer refuses the journal in the same one line, naming no raw
    bytes; the file is left byte for byte as it was. Returns that line."""
    before = path.read_bytes()
    lines = set()
    # `next` reads the damaged walk's programme (its walks are all back-pain walks).
    for args in (["history"], ["next", "--preset", "back-pain"], ["history", "--csv"], *_WRITERS):
        code, out, err = run(*args, "--journal", str(path))
        assert code == 1 and out == "" and one_line(err), (args, err)
        assert "\\x" not in err and "\ufffd" not in err and "\udcff" not in err, err
        err.encode("utf-8")  # no lone surrogates from undecodable bytes either
        lines.add(err)
    assert len(lines) == 1, lines
    assert path.read_bytes() == before, "the damaged journal was written"
    return lines.pop()


@settings(max_examples=25, deadline=None)
@given(
    which=st.integers(0, 399),
    start=st.integers(0, 28),  # the garbage stays inside the 40-byte note
    garbage=st.binary(min_size=1, max_size=12).filter(lambda b: b.count(0) < len(b)),
)
def test_garbage_inside_a_note_refuses_reading_and_writing_alike(
    tmp_path_factory: pytest.TempPathFactory, which: int, start: int, garbage: bytes
) -> None:
    """The testers' case: bytes overwritten inside a note (quick_check does not look at
    text); `next` and `history` refused while `log` still added, corrected and deleted."""
    path = _CLEAN_400(tmp_path_factory)
    data = bytearray(path.read_bytes())
    notes = [m.start() for m in re.finditer(b"a walk by the river a walk", data)]
    at = notes[which] + start
    data[at : at + len(garbage)] = garbage
    path.write_bytes(bytes(data))
    try:
        text = bytes(data[notes[which] : notes[which] + 40]).decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        line = _refuses_all_alike(path)
        assert re.search(
            r"the journal is damaged \(walk \d+: its note is not readable text\)", line
        )
    else:  # still text: every command works
        assert run("history", "--journal", str(path))[0] == 0


def _clean_400() -> Callable[..., Path]:
    made: dict[int, bytes] = {}

    def fresh(factory: pytest.TempPathFactory, repeat: int = 2) -> Path:
        """A copy of a journal of 400 walks, each with a note of ``repeat`` phrases."""
        if repeat not in made:
            path = factory.mktemp("clean") / "j.sqlite3"
            with Journal(path) as book:
                for i in range(400):
                    note = "a walk by the river " * repeat
                    book.add(walk(i % 60, 10 + i % 20, i % 5, i % 4, note=note))
            made[repeat] = path.read_bytes()
        path = factory.mktemp("damaged") / "j.sqlite3"
        path.write_bytes(made[repeat])
        return path

    return fresh


_CLEAN_400 = _clean_400()


@pytest.mark.parametrize("offset", range(8_192, 300_000, 7_500))
def test_garbage_anywhere_mid_file_leaves_no_journal_half_readable(
    tmp_path_factory: pytest.TempPathFactory, offset: int
) -> None:
    """300 random bytes at each of 40 offsets of a 400-walk journal with long notes (as
    `dd conv=notrunc` did): wherever reading is refused, every write is refused too,
    in one line naming no raw bytes, and the file is not touched."""
    path = _CLEAN_400(tmp_path_factory, repeat=30)
    data = bytearray(path.read_bytes())
    assert len(data) > offset + 300
    data[offset : offset + 300] = random.Random(offset).randbytes(300)
    path.write_bytes(bytes(data))
    if run("history", "--journal", str(path))[0] == 0:  # the garbage fell in free space
        assert run("next", "--preset", "back-pain", "--journal", str(path))[0] == 0
        return
    assert "damaged" in _refuses_all_alike(path)


# -- a walk id is never given twice ---------------------------------------------------------


def test_a_walk_id_is_never_given_again_after_a_delete(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:
        ids = [book.add(walk(1)).id for _ in range(4)]
        book.delete(4)
        book.delete(3)
        assert book.add(walk(0)).id == 5
    with Journal(path) as book:  # and after opening it again
        book.delete(5)
        assert book.add(walk(0)).id == 6
    assert ids == [1, 2, 3, 4]
    code, out, _ = run("log", "--delete", "6", "--yes", "--journal", str(path))
    assert code == 0
    code, out, _ = run("log", "--minutes", "12", "--journal", str(path))
    assert code == 0 and out.startswith("Walk 7 recorded: ")


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE sqlite_sequence SET seq = 0",
        "DELETE FROM sqlite_sequence",
        "UPDATE sqlite_sequence SET seq = 1",
    ],
)
def test_a_walk_id_is_never_given_again_when_sqlite_sequence_is_edited(
    tmp_path: Path, edit: str
) -> None:
    """Found from outside: lowering SQLite's own count after a delete gave the deleted
    walk's id again. pacer keeps its own mark of the highest id it gave."""
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:
        for _ in range(4):
            book.add(walk(1))
        book.delete(4)
    with sqlite3.connect(path) as db:
        db.execute(edit)
    db.close()
    with Journal(path) as book:
        assert book.add(walk(0)).id == 5


def test_a_journal_whose_ids_have_run_out_says_so(tmp_path: Path) -> None:
    """Found from outside: at 2**63-1 a new walk was refused as "the disk is full"."""
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:
        book.add(walk(1))
    with sqlite3.connect(path) as db:
        db.execute(f"UPDATE sqlite_sequence SET seq = {2**63 - 1}")
    db.close()
    before = path.read_bytes()
    code, out, err = run("log", "--minutes", "12", "--journal", str(path))
    assert code == 1 and out == "" and err.startswith("pacer: error: ")
    assert len(err.splitlines()) == 1 and "full" not in err
    assert "used up its walk ids" in err and "start a new journal with --journal PATH" in err
    assert path.read_bytes() == before
    assert run("history", "--journal", str(path))[0] == 0  # it can still be shown


def test_a_version_3_journal_keeps_every_row_and_id_and_never_reuses_one(
    tmp_path: Path,
) -> None:
    """Migration to AUTOINCREMENT ids copies every row with its id, odd values too."""
    from pacer.journal import _SCHEMA_3_WALKS

    path = tmp_path / "v3.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA_1.split("CREATE TABLE walks")[0] + _SCHEMA_3_WALKS)
    db.execute("INSERT INTO pacer_meta VALUES ('app', 'pacer journal')")
    for n in (2, 5, 9):
        db.execute(
            "INSERT INTO walks (id, started, preset, planned_minutes, walked_minutes, "
            "pain_before, pain_after, note, dizzy, ended_early) VALUES "
            f"({n}, '2026-11-0{n}T07:00:00', 'back-pain', 10, {n}, 3, 4, 'walk {n}', 1, 1)"
        )
    db.execute("PRAGMA ignore_check_constraints = ON")
    db.execute("UPDATE walks SET pain_after = 12 WHERE id = 5")  # an odd value, kept
    db.execute("PRAGMA user_version = 3")
    db.commit()
    db.close()
    with Journal(path) as book:
        assert book.get(9).walked_minutes == 9 and book.get(2).note == "walk 2"
        with pytest.raises(JournalError, match="walk 5 has an odd value"):
            book.get(5)
        book.update(5, pain_after=4)
        assert [e.id for e in book.entries()] == [2, 5, 9]
        assert all(e.dizzy and e.ended_early for e in book.entries())
        book.delete(9)
        assert book.add(walk(0)).id == 10
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_two_odd_walks_can_each_be_repaired_in_turn(tmp_path: Path) -> None:
    """Found trying issue 10 as a user: with walks 2 and 4 odd, `log --id 2` named walk
    4 and `log --delete 4` named walk 2: neither could be repaired. An odd walk's repair
    goes ahead whatever other walk is odd; a sound walk still waits."""
    path = _journal_of(tmp_path, 5)
    db = sqlite3.connect(path)
    db.execute("UPDATE walks SET walked_minutes = 'abc' WHERE id = 2")
    db.execute("UPDATE walks SET planned_minutes = 9e999 WHERE id = 4")
    db.commit()
    db.close()
    code, out, err = run("log", "--id", "3", "--pain-after", "2", "--journal", str(path))
    assert code == 1 and out == "" and "walk 2 has an odd value" in err
    code, out, err = run("log", "--id", "2", "--minutes", "10", "--journal", str(path))
    assert code == 0, err
    assert out.startswith("Walk 2 corrected: ")
    code, out, err = run("history", "--journal", str(path))
    assert code == 1 and "walk 4 has an odd value" in err and one_line(err)
    code, out, err = run("log", "--delete", "4", "--yes", "--journal", str(path))
    assert code == 0 and out == "Walk 4 deleted: (its values are odd)\n", err
    assert run("history", "--journal", str(path))[0] == 0
    with Journal(path) as book:
        assert sorted(e.id for e in book.entries()) == [1, 2, 3, 5]  # type: ignore[type-var]


def test_a_journal_that_cannot_take_the_walk_says_the_walk_was_not_started(
    read_only_folder: Path,
) -> None:
    """Found before the walk: nothing was walked, so the line says the walk was not
    started (it said "this walk could not be recorded")."""
    path = str(read_only_folder / "j.sqlite3")
    code, out, err = run("walk", "--engine", "null", "--minutes", "1", "--journal", path)
    assert code == 1 and out == "" and one_line(err), err
    assert "so the walk was not started;" in err and "could not be recorded" not in err


def test_journal_and_no_journal_together_are_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    for args in (
        ["--journal", str(path), "--no-journal"],
        ["--no-journal", "--journal", str(path)],
    ):
        code, out, err = run("walk", "--engine", "null", "--minutes", "1", *args)
        assert code == 2 and out == "" and one_line(err), err
        assert "--journal" in err and "--no-journal" in err
    assert not path.exists()


def test_a_read_only_journal_file_is_said_read_only_once() -> None:
    """Found from outside: "the journal is read-only (the journal file is read-only
    (Operation not permitted))"."""
    from pacer.journal import _read_only_words

    said = _read_only_words("the journal file is read-only (Operation not permitted)")
    assert said == "the journal is read-only (Operation not permitted)"
    assert said.count("read-only") == 1
