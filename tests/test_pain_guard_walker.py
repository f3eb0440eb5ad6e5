"""The pain guard is about the walker, not one preset: one preset file however it is
spelled is one programme; a setback (pain rose, or dizzy) on any programme holds every
programme back; walks dated after today count as walked today; `pacer next` reads a
journal without ever creating one."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_plan import PRESETS, TODAY, at_most, at_the_top, cases, level, walk

from pacer.cli import main
from pacer.config import preset_identity
from pacer.journal import Entry, Journal
from pacer.plan import PLANS, levels_by_week, next_pace, next_walk, pace_of
from pacer.presets import Plan


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def log(journal: str, *args: str) -> None:
    code, _, err = run("log", "--journal", journal, *args)
    assert code == 0, err


def ago(days: int, hour: int = 8) -> str:
    return f"{date.today() - timedelta(days=days)}T{hour:02d}:00"


# -- one preset file, however spelled, is one programme ------------------------------------

names = st.text(st.sampled_from("abcxyz-_ 0123é"), min_size=1, max_size=12).filter(
    lambda n: n.strip() == n and n not in (".", "..")
)
folders = st.lists(st.sampled_from(["a", "b c", ".", "..", "~", "presets", "x.toml"]), max_size=4)


@settings(max_examples=300, deadline=None)
@given(name=names, where=folders, absolute=st.booleans(), dot=st.booleans())
def test_a_preset_file_is_one_programme_however_its_path_is_spelled(
    name: str, where: list[str], absolute: bool, dot: bool
) -> None:
    # Every spelling of a file named NAME.toml (relative, ./, absolute, through other
    # folders, ~) is the programme NAME, the name `pacer presets` lists it under.
    parts = (["."] if dot else []) + where + [f"{name}.toml"]
    spelled = ("/" if absolute else "") + "/".join(parts)
    assert preset_identity(spelled) == name
    assert preset_identity(name) == name  # a user preset by its name


def test_built_in_names_are_their_own_programme() -> None:
    assert [preset_identity(p) for p in ("backward", "back-pain")] == ["backward", "back-pain"]


@pytest.mark.parametrize("built_in", ["backward", "back-pain"])
def test_a_preset_file_named_like_a_built_in_is_its_own_programme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_in: str
) -> None:
    """Found from outside: a user's backward.toml was merged with the built-in
    backward's history, and `history --preset back-pain.toml` showed the built-in's
    walks while `next --preset back-pain.toml` read the file. A file is its own
    programme (named with its .toml), in next and history alike; only the built-in's
    name is the built-in."""
    monkeypatch.chdir(tmp_path)
    code, toml, _ = run("presets", "show", built_in)
    (tmp_path / f"{built_in}.toml").write_text(toml)
    j = str(tmp_path / "j.sqlite3")
    start = PLANS[built_in].start_minutes
    monday = date.today() - timedelta(days=date.today().weekday())
    for day in (7, 6, 5):  # the built-in: a good week last week, which earns a step
        when = f"{monday - timedelta(days=day)}T08:00"
        log(j, "--preset", built_in, "--minutes", f"{start:g}", "--pain-before", "2",
            "--pain-after", "2", "--date", when)  # fmt: skip
    code, out, _ = run("next", "--journal", j, "--preset", built_in)
    assert "earned one step" in out
    for spelling in (f"{built_in}.toml", f"./{built_in}.toml", str(tmp_path / f"{built_in}.toml")):
        assert preset_identity(spelling) == f"{built_in}.toml"
        code, out, _ = run("next", "--journal", j, "--preset", spelling)
        assert code == 0 and f"no {built_in}.toml walks recorded yet" in out  # not the built-in's
        code, _, err = run("history", "--journal", j, "--preset", spelling)
        assert code == 2 and f"the journal has no walks of {built_in}.toml;" in err
    log(j, "--preset", f"./{built_in}.toml", "--minutes", "10", "--pain-before", "2",
        "--pain-after", "2")  # fmt: skip
    code, out, _ = run("history", "--journal", j, "--preset", f"{built_in}.toml")
    assert code == 0 and f" {built_in}.toml " in out and f" {built_in} " not in out
    code, out, _ = run("next", "--journal", j, "--preset", built_in)
    assert "earned one step" in out  # the built-in keeps its own history


@pytest.mark.parametrize(
    "spelled", ["x" * 5000, "x" * 5000 + ".toml", "/tmp/" + "y" * 5000 + ".toml"]
)
@pytest.mark.parametrize(
    "command",
    [
        ["next"],
        ["history"],
        ["log", "--minutes", "3"],
        ["walk"],
        ["report", "REPORT"],
        ["render", "RENDER"],
        ["presets", "show"],
    ],
)
def test_a_very_long_preset_name_is_shortened_in_its_error(
    tmp_path: Path, command: list[str], spelled: str
) -> None:
    """Found from outside: a 5 000-character preset name or path was echoed in full."""
    j = str(tmp_path / "j.sqlite3")
    log(j, "--minutes", "3")
    args = [
        str(tmp_path / "r.html")
        if a == "REPORT"
        else str(tmp_path / "o.wav")
        if a == "RENDER"
        else a
        for a in command
    ]
    if command[0] == "presets":
        args.append(spelled)
    else:
        args += ["--preset", spelled]
    if command[0] not in ("render", "presets"):
        args += ["--journal", j]
    code, _, err = run(*args)
    assert code == 2 and err.startswith("pacer: error: ") and len(err.splitlines()) == 1
    assert len(err) < 400 and "…" in err, err


def test_one_preset_file_spelled_every_way_is_one_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, toml, _ = run("presets", "show", "back-pain")
    (tmp_path / "mine.toml").write_text(toml)
    (tmp_path / "link.toml").symlink_to(tmp_path / "mine.toml")
    (tmp_path / "sub").mkdir()
    folder = tmp_path / "pacer-config" / "presets"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(toml)  # a copy in the config folder, used by name
    monkeypatch.chdir(tmp_path)
    j = str(tmp_path / "j.sqlite3")
    # The finding: two rises logged as mine.toml; then asked about as ./mine.toml.
    for hour, spelling in ((8, "mine.toml"), (9, "./link.toml")):
        scores = ("--pain-before", "3", "--pain-after", "7")
        log(j, "--preset", spelling, "--minutes", "10", *scores, "--date", ago(1, hour))
    with Journal(j) as book:
        assert {e.preset for e in book.entries()} == {"mine"}
    spellings = [
        "mine.toml",
        "./mine.toml",
        str(tmp_path / "mine.toml"),
        "sub/../mine.toml",
        "link.toml",
        "mine",
        str(folder / "mine.toml"),
    ]
    for spelling in spellings:
        code, out, err = run("next", "--journal", j, "--preset", spelling)
        assert code == 0, err
        first, rule = out.splitlines()[:2]
        assert first == f"Next {spelling} walk: 5 minutes, 3 days a week.", out
        assert (
            rule.startswith("Rule 2 (after pain rose, never more)") and "see a professional" in rule
        )
        code, out, _ = run("history", "--journal", j, "--preset", spelling)
        rows = re.findall(r"^ +(\d+) +\d{4}-\d\d-\d\d \d\d:\d\d +mine ", out, re.M)
        assert code == 0 and rows == ["1", "2"], (spelling, out)


def test_walks_recorded_under_an_old_spelling_count_for_the_programme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Journals written before: the preset as typed, a relative or absolute path. The
    # file's name says its programme; where a relative one was typed from is not known.
    _, toml, _ = run("presets", "show", "back-pain")
    (tmp_path / "mine.toml").write_text(toml)
    monkeypatch.chdir(tmp_path)
    j = str(tmp_path / "j.sqlite3")
    with Journal(j) as book:
        book.add(Entry(ago(2), "./mine.toml", 10, 10, pain_before=3, pain_after=6))
        book.add(Entry(ago(1), "/somewhere/else/mine.toml", 10, 10, pain_before=3, pain_after=6))
    code, out, _ = run("next", "--journal", j, "--preset", "mine.toml")
    assert code == 0 and "Rule 2" in out and "see a professional" in out, out
    # With a walk recorded now (under "mine"), the report counts all three as one programme.
    log(j, "--preset", "mine.toml", "--minutes", "5", "--pain-before", "2", "--pain-after", "2")
    code, out, err = run(
        "report", str(tmp_path / "r.html"), "--journal", j, "--preset", "mine.toml"
    )
    assert code == 0, err
    assert ": 3 walks, " in out and ". Next mine walk: 5 minutes, 3 days a week." in out, out


# -- a setback on any programme holds every programme back ----------------------------------


def test_rises_on_backward_hold_back_pain_back_and_next_says_where(tmp_path: Path) -> None:
    # The finding: back-pain 3->3 three times, then two backward walks with rises.
    j = str(tmp_path / "j.sqlite3")
    today = date.today()
    monday = today - timedelta(days=today.weekday())
    with Journal(j) as book:
        for d in (14, 13, 12):  # the whole of the week before last
            day = monday - timedelta(days=d)
            book.add(Entry(f"{day}T08:00", "back-pain", 10, 10, pain_before=3, pain_after=3))
        first = monday - timedelta(days=2)
        book.add(Entry(f"{first}T08:00", "backward", 20, 20, pain_before=3, pain_after=8))
    code, out, _ = run("next", "--journal", j, "--preset", "back-pain")
    lines = out.splitlines()
    # 15 minutes earned, never walked: the setback keeps the 10 walked without a rise.
    assert code == 0 and lines[0] == "Next back-pain walk: 10 minutes, 3 days a week.", out
    words = f"pain rose after your walk on {first:%a} {first.day} {first:%b} in backward"
    assert lines[1].startswith("Rule 2 (after pain rose, never more): " + words), out
    assert "holds every programme back" in lines[1]
    with Journal(j) as book:
        book.add(
            Entry(f"{first + timedelta(days=1)}T08:00", "backward", 20, 20, ended_early=True,
                  pain_before=3, pain_after=8, dizzy=True)
        )  # fmt: skip
    for preset in ("back-pain", "backward"):
        code, out, _ = run("next", "--journal", j, "--preset", preset)
        rule = out.splitlines()[1]
        assert rule.startswith("Rule 2") and "ease off" in rule and "see a professional" in rule
    code, out, _ = run("next", "--journal", j, "--preset", "back-pain")
    # The warning eases off one step more, from the 10 minutes walked.
    assert out.splitlines()[0] == "Next back-pain walk: 5 minutes, 3 days a week."


setback_kinds = st.sampled_from([(3, 8), (0, 1), None])  # None: dizzy, ended early


def a_setback(day: date, preset: str, kind: tuple[int, int] | None, id: int) -> Entry:
    scores = {} if kind is None else {"pain_before": kind[0], "pain_after": kind[1]}
    return Entry(
        f"{day}T23:59:59", preset, 10, 10, ended_early=kind is None, dizzy=kind is None,
        id=id, **scores,  # type: ignore[arg-type]
    )  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(case=cases(), where=st.sampled_from(PRESETS), kind=setback_kinds, later=st.integers(0, 9))
def test_a_setback_on_any_programme_never_lets_any_programme_step_up(
    case: tuple[list[Entry], str],
    where: str,
    kind: tuple[int, int] | None,
    later: int,
) -> None:
    entries, _ = case
    today = TODAY + timedelta(days=later)
    setback = a_setback(today, where, kind, len(entries) + 1)
    for preset in PRESETS:
        before = next_walk(entries, preset, today)
        after = next_walk([*entries, setback], preset, today)
        # No more minutes, no more days, and rule 2 says why, naming where.
        assert at_most(level(after), level(before)), (preset, before, after)
        assert after.rule == 2
        assert (f" in {where}" in after.reason) == (where != preset)
        # Nor a faster pace.
        pace_before = next_pace(entries, preset, today).steps_per_minute
        pace_after = next_pace([*entries, setback], preset, today).steps_per_minute
        if pace_before is not None and pace_after is not None:
            assert pace_after <= pace_before
        # Until a scored walk shows no rise, on whatever programme.
        later_calm = walk(-later - 1, 5, 4, 4, preset=where, id=len(entries) + 2)
        calm = next_walk([*entries, setback, later_calm], preset, today + timedelta(days=1))
        assert not calm.see_professional


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("other", PRESETS)
@pytest.mark.parametrize("days_ago", [0, 3, 6])
def test_no_faster_pace_after_a_setback_on_any_programme_within_the_week(
    preset: str, other: str, days_ago: int
) -> None:
    # A steady pace for weeks, calm and scored, at the plan's top: it would earn 5 % more.
    steady = [replace(e, id=800 + i) for i, e in enumerate(at_the_top(preset, 60, TODAY))]
    assert next_pace(steady, preset, TODAY).steps_per_minute == 63
    rose = walk(days_ago, 10, 2, 5, preset=other, hour=20, id=900)
    held = next_pace([*steady, rose], preset, TODAY)
    # Elsewhere: this programme keeps its calm pace; here: one step below the pace
    # walked when it rose (logged without one: the pace walked last before it).
    assert held.steps_per_minute == (60 if other != preset else 57.1)
    assert "never faster after a setback" in held.reason


paces = st.sampled_from([45.0, 50, 57.1, 60, 63, 66, 70, 90, 130, 150])


@st.composite
def paced(draw: st.DrawFn, entries: list[Entry]) -> list[Entry]:
    """``entries`` with paces: each walk's own, sped up or slowed down within it now and
    then, or none (logged by hand without one)."""
    out = []
    for e in entries:
        start = draw(st.none() | paces | paces)
        end = start if start is None or draw(st.integers(0, 3)) else draw(paces)
        out.append(replace(e, spm_start=start, spm_end=end))
    return out


@settings(max_examples=300, deadline=None)
@given(
    case=cases(),
    data=st.data(),
    where=st.sampled_from(PRESETS),
    kind=setback_kinds,
    pace=st.none() | paces,
    faster_after=st.lists(paces, max_size=3),
    days_ago=st.integers(0, 6),
)
def test_after_a_setback_the_pace_is_never_above_the_last_pace_walked_without_one(
    case: tuple[list[Entry], str],
    data: st.DataObject,
    where: str,
    kind: tuple[int, int] | None,
    pace: float | None,
    faster_after: list[float],
    days_ago: int,
) -> None:
    """Rule 2 for the pace (found from outside: after pain rose at 63 steps/min, "keep
    63"): after a setback the pace is never above the last pace walked on the programme
    with both scores and no rise, never the pace of a setback on it (one step below it
    at least), never faster than the pace walked last, and never above the ceiling; walks
    without scores at a faster pace since change none of that."""
    entries, preset = case
    entries = data.draw(paced(entries))
    setback = replace(
        a_setback(TODAY - timedelta(days=days_ago), where, kind, len(entries) + 1),
        spm_start=pace,
        spm_end=pace,
    )
    unscored = [
        walk(days_ago, 10, preset=where, hour=23, spm_start=p, spm_end=p, id=len(entries) + 2 + n)
        for n, p in enumerate(faster_after)
    ]
    history = [*entries, setback, *unscored]
    advice = next_pace(history, preset, TODAY)
    walks = sorted(
        (e for e in history if e.preset == preset and e.spm_start is not None),
        key=lambda e: (e.started, e.id or 0),
    )
    if not walks:
        assert advice.steps_per_minute is None
        return
    suggested = advice.steps_per_minute
    assert suggested is not None
    assert suggested <= PLANS.get(preset, PLANS["backward"]).max_steps_per_minute
    assert suggested <= walks[-1].spm_start  # never faster than walked last
    calm = [pace_of(e) for e in walks if e.scored and not e.setback and pace_of(e) is not None]
    if calm:
        assert suggested <= calm[-1], advice.reason  # the last pace walked without a rise
    if where == preset and pace is not None:
        assert suggested < pace or suggested == 30, advice.reason  # never the pace that hurt
    assert "never faster after a setback" in advice.reason
    assert "(" not in advice.reason and ")" not in advice.reason  # shown in brackets


def test_after_pain_rose_at_a_pace_next_goes_back_to_the_pace_walked_without_a_rise(
    tmp_path: Path,
) -> None:
    """The finding: calm walks at 60 and 63 steps/min, then pain rose at 66: not "keep
    66" but back to 63; with no calm pace below it, one step down."""
    j = str(tmp_path / "j.sqlite3")
    for days, spm, after in ((12, 60, 3), (10, 63, 3), (2, 66, 6)):
        log(j, "--preset", "back-pain", "--minutes", "10", "--spm", str(spm),
            "--pain-before", "3", "--pain-after", str(after), "--date", ago(days))  # fmt: skip
    code, out, _ = run("next", "--journal", j, "--preset", "back-pain")
    (line,) = [x for x in out.splitlines() if x.startswith("Pace:")]
    assert code == 0 and line.startswith("Pace: 63 steps/min (pain rose after the walk on ")
    assert "back to 63 steps/min, which you walked without a rise on " in line
    assert "slower than the 66 steps/min of " in line
    assert line.count("(") == line.count(")") == 1  # no brackets inside brackets
    rose_first = [walk(2, 10, 3, 6, spm_start=66, spm_end=66)]
    advice = next_pace(rose_first, "back-pain", TODAY)
    assert advice.steps_per_minute == 62.9 and "one step down from 66 steps/min" in advice.reason


@settings(max_examples=100, deadline=None)
@given(case=cases(), later=st.integers(0, 9))
def test_the_level_of_each_week_is_what_next_said_that_monday(
    case: tuple[list[Entry], str], later: int
) -> None:
    # The report's weeks and `pacer next` tell one story, setbacks anywhere included.
    entries, preset = case
    today = TODAY + timedelta(days=later)
    for monday, planned in levels_by_week(entries, preset, today):
        earlier = [e for e in entries if e.date < monday]
        assert planned == level(next_walk(earlier, preset, monday)), monday


# -- walks dated after today count as walked today ----------------------------------------


@settings(max_examples=150, deadline=None)
@given(case=cases(), ahead=st.integers(1, 400), pick=st.integers(0, 100), later=st.integers(0, 9))
def test_a_walk_dated_after_today_counts_as_walked_today(
    case: tuple[list[Entry], str], ahead: int, pick: int, later: int
) -> None:
    entries, preset = case
    today = TODAY + timedelta(days=later)
    walked = entries[pick % len(entries)] if entries else walk(0, 10, 3, 8, preset=preset, id=1)
    rest = [e for e in entries if e is not walked]
    future = replace(walked, started=f"{today + timedelta(days=ahead)}T{walked.started[11:]}")
    as_today = replace(walked, started=f"{today}T23:59:59")
    a, b = next_walk([*rest, future], preset, today), next_walk([*rest, as_today], preset, today)
    assert (a.minutes, a.days_per_week, a.rule, a.see_professional) == (
        b.minutes,
        b.days_per_week,
        b.rule,
        b.see_professional,
    )
    assert next_pace([*rest, future], preset, today) == next_pace([*rest, as_today], preset, today)


def test_next_says_when_walks_are_dated_after_today_and_counts_them(tmp_path: Path) -> None:
    j = str(tmp_path / "j.sqlite3")
    ahead = date.today() + timedelta(days=2)
    with Journal(j) as book:
        book.add(Entry(f"{ahead}T08:00", "backward", 10, 10, pain_before=3, pain_after=8))
    code, out, _ = run("next", "--journal", j)
    lines = out.splitlines()
    assert code == 0 and lines[1].startswith("Rule 2"), out
    assert lines[2] == (
        f"1 walk is dated after today (the latest {ahead.day} {ahead:%b %Y}; a clock set "
        "ahead or a change of time zone?): counted as walked today."
    )


# -- next and walk --plan: a blank preset, a journal that is not there, "1 minute" -----------


@pytest.mark.parametrize("command", [["next"], ["walk", "--plan"]])
def test_a_blank_preset_is_refused_in_one_line(tmp_path: Path, command: list[str]) -> None:
    j = tmp_path / "j.sqlite3"
    code, out, err = run(*command, "--preset", "", "--journal", str(j))
    assert code == 2 and out == ""
    assert err == (
        "pacer: error: --preset: '' is not a preset; use one of backward, back-pain, or a "
        ".toml file\n"
    )


@pytest.mark.parametrize("where", ["new.sqlite3", None])
def test_next_never_creates_a_journal(tmp_path: Path, where: str | None) -> None:
    data = tmp_path / "pacer-data"  # the default journal's folder (conftest)
    j = None if where is None else tmp_path / where
    code, out, err = run("next", *(["--journal", str(j)] if j else []))
    assert code == 0, err
    shown = j if j is not None else data / "journal.sqlite3"
    assert out.splitlines()[1] == (
        "Rule 3 (a good week earns one step): no backward walks recorded yet: start the "
        "plan at 20 minutes, 3 days a week."
    )
    assert f"No walks recorded yet: there is no journal at {shown} " in out
    assert not os.path.lexists(shown) and not data.exists()
    if j is not None:
        assert sorted(p.name for p in tmp_path.iterdir()) == []


small_plans = st.builds(
    Plan,
    start_minutes=st.sampled_from([1, 2, 10, 20]),
    start_days=st.sampled_from([1, 2, 3]),
    step_minutes=st.sampled_from([0.5, 1, 2, 5]),
    max_minutes=st.just(60),
    max_days=st.sampled_from([3, 5]),
    minutes_before_more_days=st.sampled_from([20, 30]),
)
ONE_PLURAL = re.compile(r"(?<![\d.])1 (minutes|days)\b")


@settings(max_examples=200, deadline=None)
@given(case=cases(), later=st.integers(0, 20), plan=st.none() | small_plans)
def test_advice_never_says_1_minutes_or_1_days(
    case: tuple[list[Entry], str], later: int, plan: Plan | None
) -> None:
    """Found from outside: "1 days a week". Nothing pacer says of a plan or a walk says
    "1 minutes" or "1 days": not the advice, not the pace, not the report's words."""
    from pacer.report import clinic_report

    entries, preset = case
    today = TODAY + timedelta(days=later)
    made = clinic_report(entries, preset, today, plan)
    texts = [
        next_walk(entries, preset, today, plan).reason,
        next_pace(entries, preset, today, plan).reason,
        made.plan_words,
        made.pace_words,
        made.advice.reason,
        *made.also_words,
    ]
    for text in texts:
        assert not ONE_PLURAL.search(text), text


def test_a_one_day_plan_is_said_in_the_singular_by_next_walk_and_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    once = tmp_path / "once.toml"
    once.write_text(
        '[[phases]]\nname = "walk"\nminutes = 1\n[plan]\nstart_minutes = 1\nstart_days = 1\n'
        "step_minutes = 1\nmax_minutes = 10\nmax_days = 3\nminutes_before_more_days = 5\n"
        "max_steps_per_minute = 120\n"
    )
    j = str(tmp_path / "j.sqlite3")
    log(j, "--preset", str(once), "--minutes", "1", "--pain-before", "2", "--pain-after", "2")
    code, out, _ = run("next", "--journal", j, "--preset", str(once))
    assert code == 0 and out.startswith(f"Next {once} walk: 1 minute, 1 day a week.")
    page = tmp_path / "r.html"
    code, out, err = run("report", str(page), "--journal", j, "--preset", str(once))
    assert code == 0, err
    said = out + page.read_text()
    assert "1 day a week" in said and not ONE_PLURAL.search(said)


@pytest.fixture
def quick_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    from test_walk_cli import FastEngine

    from pacer.output import device

    monkeypatch.setattr(device, "open_engine", lambda *a, **k: FastEngine())


@pytest.mark.usefixtures("quick_engine")
def test_a_walk_on_a_preset_file_is_recorded_under_its_programme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "short.toml").write_text('[[phases]]\nname = "walk"\nminutes = 1\n')
    monkeypatch.chdir(tmp_path)
    j = str(tmp_path / "j.sqlite3")
    for spelling in ("./short.toml", str(tmp_path / "short.toml")):
        args = ["walk", "--preset", spelling, "--rate", "8000", "--journal", j, "--quiet"]
        result = CliRunner().invoke(main, [*args, "--pain-before", "2", "--pain-after", "5"])
        assert result.exit_code == 0, result.output
    with Journal(j) as book:
        assert [e.preset for e in book.entries()] == ["short", "short"]
    code, out, _ = run("next", "--journal", j, "--preset", "short.toml")
    assert code == 0 and "see a professional" in out.splitlines()[1]


def test_next_refuses_a_journal_in_a_folder_that_does_not_exist_and_creates_nothing(
    tmp_path: Path,
) -> None:
    code, out, err = run("next", "--journal", str(tmp_path / "no-folder" / "new.sqlite3"))
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert "the folder" in err and "does not exist" in err
    assert list(tmp_path.iterdir()) == []


def test_no_pace_is_ever_suggested_above_the_programmes_ceiling() -> None:
    """A walker who walked faster than the programme's ceiling is told the ceiling, after a
    setback too (found from outside: 150 steps/min suggested on a ceiling of 66)."""
    from datetime import date as _date

    from pacer import plan as _plan
    from pacer.journal import Entry as _Entry

    today = _date(2026, 11, 23)
    ceiling = _plan.plan_for("backward").max_steps_per_minute
    for after in (3, 8):
        walks = [
            _Entry(
                started=f"2026-11-{day:02d}T09:00:00",
                preset="backward",
                planned_minutes=20,
                walked_minutes=20,
                spm_start=150,
                spm_end=150,
                pain_before=3,
                pain_after=after if day == 22 else 3,
            )
            for day in range(9, 23)
        ]
        advice = _plan.next_pace(walks, "backward", today=today)
        assert advice.steps_per_minute is not None
        assert advice.steps_per_minute <= ceiling
