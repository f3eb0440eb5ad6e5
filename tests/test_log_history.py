"""`pacer log` refuses every mistake in one line with exit 2 (unknown or impossible walk
ids, contradictory flags, dates long gone), keeps notes on one line, and `pacer
history` reads at a glance (every mark explained, minutes to a tenth, columns that stay
aligned). Walks kept beside a journal that could not take them are recorded by the
next command that writes to it (issue 10, issue 9)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import pacer.journal as journal_module
from pacer.cli import main
from pacer.journal import Entry, Journal, kept_walks_path

_real_fallback = journal_module.fallback_kept_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_line(err: str) -> bool:
    return err.startswith("pacer: error: ") and len(err.splitlines()) == 1


@pytest.fixture
def journal(tmp_path: Path) -> str:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:
        for day in (3, 2, 1):
            started = (date.today() - timedelta(days=day)).isoformat() + "T08:00:00"
            book.add(Entry(started=started, preset="backward", planned_minutes=20,
                           walked_minutes=20, pain_before=2, pain_after=2))  # fmt: skip
    return str(path)


# -- usage mistakes: one line, exit 2, the journal untouched ---------------------------------


@pytest.mark.parametrize(
    "args, said",
    [
        (["--delete", "99", "--yes"], "'--delete': there is no walk 99 in the journal"),
        (["--id", "99", "--pain-after", "7"], "'--id': there is no walk 99 in the journal"),
        (["--delete", "-1"], "'--delete': '-1' is not a walk id"),
        (["--delete", "0", "--yes"], "'--delete': '0' is not a walk id"),
        (["--delete", "1" * 23, "--yes"], "'--delete': a 23-digit number is not in the range"),
        (["--delete", "two"], "'--delete': 'two' is not a walk id"),
        (["--id", "0", "--note", "x"], "'--id': '0' is not a walk id"),
        (["--faded", "--not-faded", "--minutes", "3"], "--faded and --not-faded say opposite"),
        (["--dizzy", "--not-dizzy", "--minutes", "3"], "--dizzy and --not-dizzy say opposite"),
        (["--ended-early", "--not-ended-early", "--minutes", "3"], "--ended-early and --not-"),
        (["--dizzy", "--not-ended-early", "--minutes", "3"], "--dizzy means the walk ended"),
        (["--date", "0001-01-01", "--minutes", "3"], "0001-01-01 is more than 2 years ago"),
        (["--date", "1900-01-01", "--minutes", "3"], "1900-01-01 is more than 2 years ago"),
        (["--date", "2016-11-20", "--minutes", "3"], "2016-11-20 is more than 2 years ago"),
    ],
)
def test_log_mistakes_are_one_line_with_exit_2_and_change_nothing(
    journal: str, args: list[str], said: str
) -> None:
    before = Path(journal).read_bytes()
    code, out, err = run("log", *args, "--journal", journal)
    assert code == 2 and out == "" and one_line(err), err
    assert said in err
    assert Path(journal).read_bytes() == before


@given(days=st.integers(0, 100_000))
@settings(max_examples=60, deadline=None)
def test_log_takes_a_date_back_to_two_years_ago_and_no_further(days: int) -> None:
    """The allowed range is said in the error, and it is exactly what is taken."""
    import click

    from pacer.cli import _walk_date

    today = date.today()
    earliest = today.replace(year=today.year - 2, day=min(today.day, 28))
    when = (today - timedelta(days=days)).isoformat()
    try:
        _walk_date(when)
    except click.BadParameter as err:
        assert date.fromisoformat(when) < earliest
        assert f"give a date from {earliest.isoformat()} to now" in err.message
    else:
        assert date.fromisoformat(when) >= earliest


def test_log_help_names_walk_ids_plainly() -> None:
    code, out, _ = run("log", "--help")
    assert code == 0
    assert "--id ID " in out and "--delete ID " in out
    assert "e+18" not in out


def test_correcting_a_dizzy_walk_says_it_in_the_walkers_flags(journal: str) -> None:
    assert run("log", "--id", "2", "--dizzy", "--journal", journal)[0] == 0
    code, _, err = run("log", "--id", "2", "--not-ended-early", "--journal", journal)
    assert code == 2 and one_line(err), err
    assert "walk 2 ended because you felt dizzy" in err and "--not-dizzy" in err
    assert "ended_early" not in err and "dizzy=" not in err
    code, _out, err = run(
        "log", "--id", "2", "--not-ended-early", "--not-dizzy", "--journal", journal
    )
    assert code == 0, err


@pytest.mark.parametrize("flags", [["--csv", "--json"], ["--csv", "--plot", "w.png"]])
def test_history_refuses_two_outputs_at_once(journal: str, flags: list[str]) -> None:
    code, out, err = run("history", *flags, "--journal", journal)
    assert code == 2 and out == "" and one_line(err), err
    assert "are different outputs: give one" in err


# -- notes on one line ------------------------------------------------------------------------


@given(note=st.text(max_size=30))
@settings(max_examples=40, deadline=None)
def test_a_note_is_kept_on_one_line_and_every_history_row_stays_one_row(
    tmp_path_factory: pytest.TempPathFactory, note: str
) -> None:
    path = str(tmp_path_factory.mktemp("n") / "j.sqlite3")
    code, out, err = run("log", "--minutes", "10", "--note", note, "--journal", path)
    assert code == 0, err
    with Journal(path) as book:
        (kept,) = book.entries()

    # The words are kept, in order: line breaks and tabs split words, and a control
    # character is kept as a picture (ESC as ␛), never dropped.
    assert kept.note == " ".join(kept.note.split())
    pictures = {chr(0x2400 + n) for n in range(0x22)}

    def plain(text: str) -> list[str]:
        return [c for c in text if c.isprintable() and not c.isspace() and c not in pictures]

    def controls(text: str) -> int:
        return sum(1 for c in text if (ord(c) < 0x20 or c == "\x7f") and not c.isspace())

    assert plain(kept.note) == plain(note)
    assert sum(c in pictures for c in kept.note) == sum(c in pictures for c in note) + controls(
        note
    )
    assert kept.note.isprintable()
    code, out, _ = run("history", "--journal", path)
    rows = [line for line in out.splitlines() if line.lstrip().startswith("1  ")]
    assert len(rows) == 1


def test_an_old_note_with_a_line_break_is_shown_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:  # written by the library, or an earlier pacer
        book.add(Entry(started="2026-11-20T08:00:00", preset="backward", planned_minutes=10,
                       walked_minutes=10, note="windy\nby the river"))  # fmt: skip
    out = run("history", "--journal", str(path))[1]
    assert "windy by the river" in out
    assert "Walk 1 deleted: " in run("log", "--delete", "1", "--yes", "--journal", str(path))[1]


# -- history at a glance --------------------------------------------------------------------


def test_history_marks_a_dizzy_walk_explains_every_mark_and_rounds_minutes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "j.sqlite3"
    day = (date.today() - timedelta(days=1)).isoformat()
    with Journal(path) as book:
        book.add(Entry(started=f"{day}T08:00:00", preset="backward", planned_minutes=1,
                       walked_minutes=1 / 3, ended_early=True, dizzy=True))  # fmt: skip
        book.add(Entry(started=f"{day}T09:00:00", preset="backward", planned_minutes=20,
                       walked_minutes=20, pain_before=2, pain_after=4))  # fmt: skip
    out = run("history", "--journal", str(path))[1]
    (dizzy,) = [line for line in out.splitlines() if line.startswith("   1  ")]
    assert "0.3/1" in dizzy and "– ✱" in dizzy
    assert "0.33" not in out
    assert "Pain before→after: – not given, ▲ pain rose, ✱ ended because you felt dizzy." in out
    assert "(▲ rose, ✱ dizzy)" in out
    (week,) = [line for line in out.splitlines() if "█" in line]
    assert "20.3" in week and "– ✱  2→4 ▲" in week


def test_a_long_preset_path_is_shown_by_its_name_and_the_columns_stay_aligned(
    tmp_path: Path,
) -> None:
    long = str(tmp_path / ("my-own-walk-for-a-sore-back-in-winter" * 3 + ".toml"))
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:
        for preset in ("backward", long, str(tmp_path / "short.toml")):
            book.add(Entry(started="2026-11-20T08:00:00", preset=preset, planned_minutes=10,
                           walked_minutes=10, pain_before=1, pain_after=1))  # fmt: skip
    out = run("history", "--journal", str(path))[1]
    header, *rows = out.split("\n\n")[0].splitlines()[:4]
    assert str(tmp_path) not in out
    assert "my-own-walk-for…" in rows[1] and " short " in rows[2]
    for label in ("minutes", "spm", "pain"):
        column = header.index(label)
        assert all(len(row) > column for row in rows)
    ends = {row.index("10/10") + len("10/10") for row in rows}
    assert len(ends) == 1  # minutes right-aligned in one column
    pains = {row.index("1→1") for row in rows}
    assert len(pains) == 1


# -- walks kept beside the journal are recorded by the next command that writes -------------


def _kept(journal: Path, *walks: dict[str, object]) -> Path:
    kept = kept_walks_path(journal)
    with open(kept, "a", encoding="utf-8") as out:
        for walk in walks:
            out.write(json.dumps(walk) + "\n")
    return kept


def _walk(started: str, minutes: float = 12) -> dict[str, object]:
    return {"started": started, "preset": "backward", "planned_minutes": 20,
            "walked_minutes": minutes, "pain_before": 3, "pain_after": 3}  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [
        ["log", "--minutes", "15"],
        ["log", "--id", "1", "--note", "fine"],
        ["log", "--delete", "2", "--yes"],
    ],
)
def test_walks_kept_beside_the_journal_are_recorded_by_the_next_write_and_said(
    journal: str, command: list[str]
) -> None:
    kept = _kept(Path(journal), _walk("2026-11-21T08:00:00"))
    code, out, err = run(*command, "--journal", journal)
    assert code == 0, err
    assert out.splitlines()[0] == "1 walk kept on 21 Nov was recorded now (walk 4)."
    assert not kept.exists()
    with Journal(journal) as book:
        assert book.get(4).walked_minutes == 12 and book.get(4).pain_after == 3
    # and only once
    code, out, _ = run(*command[:1], "--minutes", "9", "--journal", journal)
    assert "kept on" not in out


def test_several_kept_walks_are_said_in_one_line_and_reading_leaves_them_kept(
    journal: str,
) -> None:
    kept = _kept(
        Path(journal), _walk("2026-11-20T08:00:00"), _walk("2026-11-21T08:00:00", minutes=7)
    )
    assert run("history", "--journal", journal)[0] == 0
    assert kept.exists()  # reading is not writing
    _code, out, _ = run("log", "--minutes", "15", "--journal", journal)
    assert (
        out.splitlines()[0] == "2 walks kept on 20 Nov and 21 Nov were recorded now (walks 4, 5)."
    )
    assert out.splitlines()[1].startswith("Walk 6 recorded: ")


def test_a_damaged_kept_walks_file_is_said_never_crashes_and_is_never_lost(
    journal: str,
) -> None:
    kept = _kept(Path(journal), _walk("2026-11-21T08:00:00"))
    with open(kept, "ab") as out:
        out.write(b'{"started": "2026-11-2\xff\n[1, 2]\n{"preset": "x"}\n')
    with open(kept, "a", encoding="utf-8") as out:
        out.write(json.dumps(_walk("2026-11-22T08:00:00")) + "\n")
    code, out, err = run("log", "--minutes", "15", "--journal", journal)
    assert code == 0, err
    assert (
        out.splitlines()[0] == "2 walks kept on 21 Nov and 22 Nov were recorded now (walks 4, 5)."
    )
    assert f"pacer: note: {kept}: 3 lines there are not a walk pacer can read" in err
    assert kept.read_bytes() == b'{"started": "2026-11-2\xff\n[1, 2]\n{"preset": "x"}\n'


def test_kept_walks_stay_kept_when_the_journal_cannot_take_them(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:
        book.add(Entry(started="2026-11-20T08:00:00", preset="backward", planned_minutes=10,
                       walked_minutes=10, note="a walk by the river"))  # fmt: skip
    data = path.read_bytes()
    at = data.index(b"a walk by the river")
    path.write_bytes(data[:at] + b"\xff\xfe" + data[at + 2 :])  # garbage in the note
    kept = _kept(path, _walk("2026-11-21T08:00:00"))
    before = kept.read_bytes()
    code, _out, err = run("log", "--minutes", "15", "--journal", str(path))
    assert code == 1 and one_line(err) and "walk 1: its note is not readable text" in err
    assert kept.read_bytes() == before


def test_an_import_cut_short_is_finished_without_recording_a_walk_twice(
    journal: str,
) -> None:
    walk = _walk("2026-10-05T08:00:00")
    with Journal(journal) as book:
        book.add(Entry(**walk))  # type: ignore[arg-type]  # committed, then cut short
    kept = kept_walks_path(journal)
    taking = kept.with_name(kept.name + ".recording")
    taking.write_text(json.dumps(walk) + "\n" + json.dumps(_walk("2026-10-06T08:00:00")) + "\n")
    _code, out, _ = run("log", "--minutes", "15", "--journal", journal)
    assert out.splitlines()[0] == "1 walk kept on 6 Oct was recorded now (walk 5)."
    assert not taking.exists()
    with Journal(journal) as book:
        assert [e.started[:10] for e in book.entries()].count("2026-10-05") == 1


def test_a_walk_start_records_kept_walks_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from test_walk_cli import FastEngine

    from pacer.output import device as device_module

    monkeypatch.setattr(device_module, "open_engine", lambda *a, **k: FastEngine())
    journal = tmp_path / "journal.sqlite3"
    yesterday = (datetime.now() - timedelta(days=1)).replace(microsecond=0)
    kept = _kept(journal, _walk(yesterday.isoformat()))
    args = ["walk", "--minutes", "1", "--rate", "8000", "--journal", str(journal)]
    result = CliRunner().invoke(main, [*args, "--pain-before", "3", "--pain-after", "3"])
    assert result.exit_code == 0, result.output
    day = f"{yesterday.day} {yesterday:%b}"
    assert f"1 walk kept on {day} was recorded now (walk 1)." in result.output
    assert "Recorded in the journal as walk 2." in result.output
    assert not kept.exists()


# -- walks kept aside are walks: counted by next, shown by history and report ---------------


def test_a_rise_in_a_walk_kept_beside_the_journal_holds_next_back_and_is_shown(
    journal: str, tmp_path: Path
) -> None:
    """Found from outside: a walk kept beside the journal (it could not take it) was
    invisible to next, history and report, so its pain rise held nothing back."""
    today = datetime.now().replace(microsecond=0, second=0)
    rose = {**_walk(today.isoformat(), minutes=20), "pain_after": 7}
    kept = _kept(Path(journal), rose)
    before = kept.read_bytes()
    code, out, _ = run("next", "--journal", journal)
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith("Rule 2 (after pain rose, never more): pain rose after your walk")
    assert "1 walk kept beside the journal" in out and "is not yet in the journal" in out
    code, out, err = run("history", "--journal", journal)
    assert code == 0 and "not yet in the journal" in err
    (row,) = [line for line in out.splitlines() if today.strftime("%Y-%m-%d %H:%M") in line]
    assert row.split()[0] == "–" and "3→7 ▲" in row and "not yet in the journal" in row
    page = tmp_path / "r.html"
    code, _, err = run("report", str(page), "--journal", journal)
    assert (
        code == 0
        and "not yet in the journal" in err
        and "pain rose after your walk" in (page.read_text())
    )
    assert kept.read_bytes() == before  # reading is not writing
    with Journal(journal) as book:
        assert len(book.entries()) == 3


def test_walks_kept_in_the_temporary_folder_are_counted_and_recorded_in_their_journal(
    journal: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found from outside: walks kept in the temporary folder (when not even a file
    beside the journal could be written) were never recorded. Each is kept with its
    journal's name, counted by next, recorded by the next write to that journal and
    left there for any other."""
    import tempfile

    from pacer.journal import keep_unrecorded

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(temp))
    monkeypatch.setattr(journal_module, "fallback_kept_path", _real_fallback)
    kept_walks_path(journal).mkdir()  # nothing can be written beside the journal
    yesterday = (datetime.now() - timedelta(days=1)).replace(microsecond=0)
    ours = Entry(**{**_walk(yesterday.isoformat(), minutes=20), "pain_after": 7})  # type: ignore[arg-type]
    other = Entry(**_walk(yesterday.isoformat(), minutes=5))  # type: ignore[arg-type]
    assert keep_unrecorded(ours, journal) == journal_module.fallback_kept_path()
    another = tmp_path / "another.sqlite3"
    kept_walks_path(another).mkdir()
    assert keep_unrecorded(other, another) == journal_module.fallback_kept_path()
    assert (
        journal_module.fallback_kept_path().stat().st_mode & 0o077 == 0
    )  # only the walker reads it
    code, out, _ = run("next", "--journal", journal)
    assert code == 0 and out.splitlines()[1].startswith("Rule 2 (after pain rose")
    kept_walks_path(journal).rmdir()
    code, out, err = run("log", "--minutes", "15", "--journal", journal)
    assert code == 0, err
    day = f"{yesterday.day} {yesterday:%b}"
    assert out.splitlines()[0] == f"1 walk kept on {day} was recorded now (walk 4)."
    with Journal(journal) as book:
        assert book.get(4).pain_after == 7 and book.get(4).walked_minutes == 20
    (left,) = journal_module.fallback_kept_path().read_text().splitlines()
    assert json.loads(left)["walked_minutes"] == 5  # another journal's: still there
    code, out, _ = run("log", "--minutes", "9", "--journal", journal)
    assert "kept on" not in out  # and only once


def test_a_walk_kept_in_the_temporary_folder_by_an_older_pacer_goes_to_the_default_journal(
    journal: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(journal_module, "fallback_kept_path", _real_fallback)
    journal_module.fallback_kept_path().write_text(json.dumps(_walk("2026-11-21T08:00:00")) + "\n")
    code, out, _ = run("log", "--minutes", "15", "--journal", str(tmp_path / "elsewhere.sqlite3"))
    assert code == 0 and "kept on" not in out  # not the default journal: not its walk
    monkeypatch.setenv("PACER_JOURNAL", journal)
    code, out, _ = run("log", "--minutes", "15")
    assert out.splitlines()[0] == "1 walk kept on 21 Nov was recorded now (walk 4)."
    assert not journal_module.fallback_kept_path().exists()


# -- a journal there is not is never made by reading it, nor by naming a walk in it --------


@pytest.mark.parametrize("empty", [False, True])
@pytest.mark.parametrize(
    "args",
    [
        ["log", "--delete", "1", "--yes"],
        ["log", "--id", "1", "--pain-after", "3"],
        ["history"],
        ["history", "--csv"],
        ["next"],
        ["report", "REPORT"],
    ],
)
def test_no_journal_is_created_or_written_by_naming_a_walk_or_reading(
    tmp_path: Path, args: list[str], empty: bool
) -> None:
    """Found from outside: log --delete 1 with no journal said exit 2 but created it;
    history, next and report turned a 0-byte file into a journal."""
    path = tmp_path / "walks" / "j.sqlite3"
    path.parent.mkdir()
    if empty:
        path.write_bytes(b"")
    args = [str(tmp_path / "r.html") if a == "REPORT" else a for a in args]
    code, _out, err = run(*args, "--journal", str(path))
    if args[0] == "log":
        assert code == 2 and one_line(err)
        assert "there is no walk 1: the journal" in err
        assert ("is empty" if empty else "does not exist") in err
    else:
        assert code == 0, err
    assert sorted(p.name for p in path.parent.iterdir()) == (["j.sqlite3"] if empty else [])
    if empty:
        assert path.read_bytes() == b""


def test_a_program_planning_from_a_journal_counts_its_kept_walks_as_pacer_next_does(
    journal: str,
) -> None:
    """pacer.plan.planned_walk / planned_session given the journal see the walks kept
    beside it (a pain rise in one holds the plan back), the same walks and the same
    advice as pacer next and pacer walk --plan."""
    import pacer
    from pacer.journal import every_walk

    today = datetime.now().replace(microsecond=0, second=0)
    _kept(Path(journal), {**_walk(today.isoformat(), minutes=20), "pain_after": 7})
    with Journal(journal) as book:
        walks, kept = every_walk(book)
        assert [e.id for e in walks] == [1, 2, 3, None] and len(kept) == 1
        planned = pacer.plan.planned_walk(book, "backward", date.today())
        _, from_session = pacer.plan.planned_session(book, "backward", date.today(), voice="none")
        without = pacer.plan.planned_walk(book.entries(), "backward", date.today())
    assert planned.advice.rule == 2 and from_session == planned
    assert without.advice.rule != 2  # the kept walk is what holds the plan back
    code, out, _ = run("next", "--journal", journal)
    assert code == 0 and f"Next backward walk: {planned.advice.minutes:g} minutes" in out
    assert planned.advice.reason in out


def test_a_journal_in_memory_has_no_kept_walks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A journal in memory never reads the walks kept for the default journal."""
    from pacer.journal import default_path, every_walk

    monkeypatch.setenv("PACER_JOURNAL", str(tmp_path / "default.sqlite3"))
    _kept(default_path(), _walk("2026-11-21T08:00:00"))
    with Journal(":memory:") as book:
        assert every_walk(book) == ([], [])
    with Journal() as book:
        assert [e.id for e in every_walk(book)[1]] == [None]  # the default journal's


@pytest.mark.parametrize("damage", ["note", "odd value"])
def test_a_walk_on_a_journal_that_would_refuse_its_record_is_refused_before_it_starts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, damage: str
) -> None:
    """Found from outside: a walk started on a journal with damaged walk text, and its
    record was then kept aside. It is refused in one line before any sound, as an
    unwritable journal is; --no-journal walks anyway."""
    import sqlite3

    from test_walk_cli import FastEngine

    from pacer.output import device as device_module

    opened: list[object] = []
    monkeypatch.setattr(
        device_module, "open_engine", lambda *a, **k: opened.append(1) or FastEngine()
    )
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:
        book.add(Entry(started="2026-11-20T08:00:00", preset="backward", planned_minutes=10,
                       walked_minutes=10, note="a walk by the river"))  # fmt: skip
    if damage == "note":
        data = path.read_bytes()
        at = data.index(b"a walk by the river")
        path.write_bytes(data[:at] + b"\xff\xfe" + data[at + 2 :])
        said = "walk 1: its note is not readable text"
    else:
        with sqlite3.connect(path) as db:
            db.execute("UPDATE walks SET walked_minutes = 'abc'")
        db.close()
        said = "walk 1 has an odd value"
    before = path.read_bytes()
    args = ["walk", "--minutes", "1", "--rate", "8000", "--journal", str(path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and one_line(result.stderr), result.output
    assert said in result.stderr and "--no-journal" in result.stderr
    assert opened == [] and result.stdout == ""  # nothing played, nothing asked
    assert path.read_bytes() == before and not kept_walks_path(path).exists()
    result = CliRunner().invoke(main, [*args[:5], "--no-journal"])
    assert result.exit_code == 0 and opened == [1]
