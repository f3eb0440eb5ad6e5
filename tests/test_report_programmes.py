"""Which programme a picture is about, and what its labels and table say: the
history picture and the report follow one rule (``--preset``, else the programme
walked most) and say which in their titles, naming the others; a week's days label
never says a bare 0; the report's walk table keeps every cell's text inside its own
cell and on the page; a walk logged without a time shows no 00:00; paces in reasons
are shown to a tenth, as everywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_plan import TODAY, walk
from test_report_pictures import journal_of, texts

from pacer import report
from pacer.cli import main
from pacer.journal import Entry
from pacer.plan import next_pace
from pacer.session import pace_text

PROGRAMMES = ("back-pain", "backward", "my-walk")


@pytest.fixture
def plt() -> Any:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot

    yield matplotlib.pyplot
    matplotlib.pyplot.close("all")


@contextmanager
def drawing() -> Iterator[None]:
    """matplotlib, its figures closed afterwards (a fixture is not reset between
    Hypothesis examples)."""
    pyplot = pytest.importorskip("matplotlib.pyplot")
    try:
        yield
    finally:
        pyplot.close("all")


def coordinators_journal() -> list[Entry]:
    """14 back-pain walks from 3 to 16 Nov (pain rose on 12 Nov), a backward walk on
    20 Nov that ended dizzy, a backward walk logged on 21 Nov with no scores."""
    walks = [
        Entry(
            f"2026-11-{day:02d}T00:00:00",
            "back-pain",
            10,
            10,
            pain_before=3,
            pain_after=5 if day == 12 else 2,
            source="log",
        )
        for day in range(3, 17)
    ]
    walks.append(
        Entry(
            "2026-11-20T09:30:00",
            "backward",
            4,
            4,
            ended_early=True,
            dizzy=True,
            source="log",
            note="公园里走得很好 " * 3,
        )
    )
    walks.append(Entry("2026-11-21T00:00:00", "backward", 10, 10, source="log"))
    return walks


@st.composite
def several_programmes(draw: st.DrawFn) -> list[Entry]:
    """Journals of one to three programmes over ten weeks, with ties."""
    out = []
    for _ in range(draw(st.integers(1, 24))):
        day = TODAY - timedelta(days=draw(st.integers(0, 70)))
        out.append(
            Entry(
                f"{day.isoformat()}T{draw(st.integers(0, 23)):02d}:00:00",
                draw(st.sampled_from(PROGRAMMES)),
                10,
                draw(st.sampled_from([2, 10, 15])),
                pain_before=draw(st.none() | st.integers(0, 10)),
                pain_after=draw(st.none() | st.integers(0, 10)),
                ended_early=(dizzy := draw(st.booleans())),
                dizzy=dizzy,
            )
        )
    return out


# -- one rule: which programme a picture is about -----------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=several_programmes(), told=st.none() | st.sampled_from(PROGRAMMES))
def test_the_history_picture_and_the_report_are_about_the_same_programme_and_say_so(
    entries: list[Entry], told: str | None
) -> None:
    with drawing():
        _same_programme(entries, told)


def _same_programme(entries: list[Entry], told: str | None) -> None:
    chosen = report.programmes(entries, told)
    main_, _ = chosen[0]
    counts = {name: sum(e.preset == name for e in entries) for name in PROGRAMMES}
    walked = {name for name, count in counts.items() if count}
    if told is None:
        # The programme walked most; of those walked as often, the latest walked.
        most = max(counts.values())
        tied = [e for e in entries if counts[e.preset] == most]
        latest = max(tied, key=lambda e: e.started).started
        assert counts[main_] == most
        assert any(e.preset == main_ and e.started == latest for e in tied)
    else:
        assert main_ == told
    # Every programme walked is named once, with its walks.
    assert {name for name, _ in chosen} == walked | {main_}
    assert dict(chosen) == {name: counts[name] for name in walked | {main_}}
    # The report plans, adherence and suggests for it, and says so in its title.
    made = report.clinic_report(entries, told, TODAY)
    assert made.preset == main_ and made.programmes == chosen
    others = [name for name, _ in chosen[1:]]
    assert made.title == f"Walking record: {main_}" + (
        f" (also: {', '.join(others)})" if others else ""
    )
    assert all(w.walks == tuple(e for e in w.walks if e.preset == main_) for w in made.weeks)
    assert [line.split(",")[0] for line in made.also_words] == [
        f"Also walked: {name}" for name in others
    ]
    page = texts(report.clinic_figure(made))
    assert made.title in page
    html = report.clinic_html(made)
    assert f"<h1>{made.title}</h1>" in html
    for words in made.also_words:
        assert words in page.replace("\n", " ") and words in html
    # The history picture draws the same programme's plan, and names the others.
    picture = report.figure(entries, preset=told, today=TODAY)
    top = picture.axes[0]
    assert f"Minutes a week against the {main_} plan" in top.get_title(loc="left")
    assert report.programme_words(chosen) in top.get_title(loc="left")
    if others:
        labels = {c.get_label() for c in top.containers}
        assert {f"minutes walked ({main_})", "other programmes"} <= labels


def test_the_coordinators_journal_is_reported_as_back_pain_with_backward_named(
    tmp_path: Path, plt: Any
) -> None:
    path = journal_of(tmp_path, coordinators_journal())
    runner = CliRunner()
    out = tmp_path / "r.html"
    said = runner.invoke(main, ["report", str(out), "--journal", path])
    assert said.exit_code == 0, said.output
    assert "(back-pain 14, backward 2). Next back-pain walk:" in said.stdout
    html = out.read_text(encoding="utf-8")
    assert "<h1>Walking record: back-pain (also: backward)</h1>" in html
    assert "Also walked: backward, 2 walks. Next backward walk:" in html
    assert "rule 2, after pain rose, never more" in html  # the dizzy walk, for backward
    # --preset chooses; the title says which.
    said = runner.invoke(main, ["report", str(out), "--preset", "backward", "--journal", path])
    assert said.exit_code == 0, said.output
    assert "<h1>Walking record: backward (also: back-pain)</h1>" in out.read_text("utf-8")
    # history --plot draws the back-pain plan (the same rule), from the command line.
    picture = tmp_path / "h.svg"
    drawn = runner.invoke(main, ["history", "--journal", path, "--plot", str(picture)])
    assert drawn.exit_code == 0, drawn.output
    svg = picture.read_text(encoding="utf-8")
    assert "Minutes a week against the back-pain plan (walks: back-pain 14, backward 2)" in svg


# -- the days above each week ---------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(entries=several_programmes(), programme=st.sampled_from(PROGRAMMES))
def test_a_days_label_is_days_of_the_plan_or_nothing_never_a_bare_zero(
    entries: list[Entry], programme: str
) -> None:
    for week in report.planned_weeks(entries, programme, TODAY):
        label = week.days_label(TODAY)
        if week.planned is None and not week.walks:
            assert label == ""  # no plan yet and no walk of it: nothing to say
        elif week.planned is None:
            assert label.split()[0] == str(week.days) != "0"
        else:
            assert label.split()[0] == f"{week.days_at_plan}/{week.planned.days}"


def test_the_report_for_a_programme_begun_late_has_no_zero_labels(plt: Any) -> None:
    made = report.clinic_report(coordinators_journal(), "backward", TODAY)
    bars = report.clinic_figure(made).axes[1]
    labels = [t.get_text() for t in bars.texts]
    assert labels == ["", "", "0/3 so far"]


def test_the_history_picture_says_what_the_numbers_above_the_bars_mean(plt: Any) -> None:
    picture = report.figure(coordinators_journal(), today=date(2026, 11, 23))
    assert report.DAYS_KEY in picture.axes[0].get_title(loc="left")
    assert report.DAYS_KEY == "above each week: days walked at the plan's minutes / days planned"
    assert "6/3" in [t.get_text() for t in picture.axes[0].texts]


# -- the walk table -------------------------------------------------------------------------

notes = st.sampled_from(
    [
        "",
        "windy",
        "felt dizzy after turning to look back over the left shoulder on the hill",
        "公园里走得很好" * 4,
        "a" * 90,
        "knee sore; stopped at the bench by the pond and sat for a while, then walked home",
    ]
)


@st.composite
def tables(draw: st.DrawFn) -> list[Entry]:
    out = []
    for _ in range(draw(st.integers(1, 20))):
        day = TODAY - timedelta(days=draw(st.integers(0, 40)))
        logged = draw(st.booleans())
        out.append(
            Entry(
                f"{day.isoformat()}T{0 if logged else draw(st.integers(0, 23)):02d}:00:00",
                draw(st.sampled_from([*PROGRAMMES, "/home/me/presets/long-evening-walk.toml"])),
                draw(st.sampled_from([10, 120])),
                draw(st.sampled_from([0.5, 10, 115.5])),
                spm_start=draw(st.none() | st.sampled_from([96.25, 130.57])),
                spm_end=draw(st.none() | st.sampled_from([100, 141.33])),
                ended_early=(dizzy := draw(st.booleans())) or draw(st.booleans()),
                dizzy=dizzy,
                faded=draw(st.booleans()),
                pain_before=draw(st.none() | st.integers(0, 10)),
                pain_after=draw(st.none() | st.integers(0, 10)),
                source="log" if logged else draw(st.sampled_from(["walk", "watch-import"])),
                note=draw(notes),
            )
        )
    return out


def _table_boxes(page: Any) -> list[tuple[Any, Any]]:
    page.canvas.draw()
    renderer = page.canvas.get_renderer()
    return [
        (cell.get_window_extent(renderer), cell.get_text().get_window_extent(renderer))
        for cell in page.axes[4].tables[0].get_celld().values()
    ]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=tables())
@example(  # a walk logged without a time and one walked at midnight, the same day
    entries=[
        Entry(f"{TODAY.isoformat()}T00:00:00", "backward", 10, 10, source="log"),
        Entry(f"{TODAY.isoformat()}T00:00:00", "backward", 10, 10),
    ]
)
def test_every_cell_of_the_walk_table_stays_in_its_cell_and_on_the_page(
    entries: list[Entry],
) -> None:
    with drawing():
        _cells_fit(entries)


def _cells_fit(entries: list[Entry]) -> None:
    page = report.clinic_figure(report.clinic_report(entries, None, TODAY))
    boxes = _table_boxes(page)
    whole = page.bbox
    for cell, text in boxes:
        if not text.width:
            continue  # an empty cell
        assert cell.x0 <= text.x0 and text.x1 <= cell.x1, page.axes[4].tables[0]
        assert cell.y0 <= text.y0 and text.y1 <= cell.y1
        assert whole.x0 <= cell.x0 and cell.x1 <= whole.x1 and whole.y0 <= cell.y0
    texts_ = [t for _, t in boxes if t.width]
    for i, a in enumerate(texts_):
        assert not any(a.overlaps(b) for b in texts_[i + 1 :])
    # The most recent walk heads the table (of walks begun at the same moment, any one).
    cells = page.axes[4].tables[0].get_celld()
    latest = max(e.started for e in entries)
    heads = {report.walk_row(e)[0] for e in entries if e.started == latest}
    assert cells[(1, 0)].get_text().get_text().replace("\n", " ") in heads


def test_a_dizzy_walks_how_it_went_does_not_run_into_its_note(plt: Any) -> None:
    made = report.clinic_report(coordinators_journal(), None, date(2026, 11, 23))
    page = report.clinic_figure(made)
    boxes = _table_boxes(page)
    cells = page.axes[4].tables[0].get_celld()
    row = next(r for (r, c), cell in cells.items() if "dizzy" in cell.get_text().get_text())
    went = cells[(row, 5)].get_text().get_text().replace("\n", " ")
    assert went == "ended early: dizzy; logged by hand"
    texts_ = [t for _, t in boxes if t.width]
    for i, a in enumerate(texts_):
        for b in texts_[i + 1 :]:
            assert not a.overlaps(b)


def test_a_walk_logged_without_a_time_shows_its_day_only() -> None:
    logged = Entry("2026-11-21T00:00:00", "backward", 10, 10, source="log")
    timed = Entry("2026-11-20T09:30:00", "backward", 10, 10, source="log")
    walked = Entry("2026-11-20T00:00:00", "backward", 10, 10)  # walked with pacer at midnight
    assert report.walk_row(logged)[0] == "Sat 21 Nov 2026"
    assert report.walk_row(timed)[0] == "Fri 20 Nov 2026 09:30"
    assert report.walk_row(walked)[0] == "Fri 20 Nov 2026 00:00"


# -- paces in reasons, to a tenth --------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(
    pace=st.floats(40, 140, allow_nan=False).map(lambda v: round(v, 2)),
    days=st.lists(st.integers(0, 20), min_size=1, max_size=6),
    rose=st.booleans(),
)
def test_every_pace_in_pacer_nexts_reasons_is_shown_to_a_tenth(
    pace: float, days: list[int], rose: bool
) -> None:
    entries = [walk(d, 10, 2, 4 if rose else 2, spm_start=pace) for d in days]
    advice = next_pace(entries, "back-pain", TODAY)
    for number in re.findall(r"\d+\.\d+", advice.reason):
        assert len(number.partition(".")[2]) == 1, advice.reason
    assert f"{pace_text(pace)} steps/min" in advice.reason


def test_pacer_next_says_a_cadence_percentage_to_a_tenth(tmp_path: Path) -> None:
    shift = (date.today() - TODAY).days  # `pacer next` goes by today's date
    path = journal_of(tmp_path, [walk(d - shift, 10, 2, 2, spm_start=110.57) for d in (3, 2)])
    said = CliRunner().invoke(main, ["next", "--preset", "back-pain", "--journal", path]).stdout
    pace_line = next(line for line in said.splitlines() if line.startswith("Pace:"))
    assert pace_line.startswith("Pace: 110.6 steps/min (keep 110.6 steps/min")
    assert "110.57" not in said
