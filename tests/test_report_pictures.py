"""The pictures pacer draws (`pacer history --plot`, `pacer report x.pdf|.png|.html`),
checked by what they hold: a lone far-away walk does not squash the dates, ticks say
the year when the dates cross one, an empty journal says so, a note no font can draw
is said (never a warning), the report's pace is `pacer next`'s, labels stay inside
their chart, and a file the plot cannot write is refused."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import warnings
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_plan import TODAY, at_the_top, histories, walk

from pacer import report
from pacer.cli import main
from pacer.journal import Entry, Journal
from pacer.plan import next_pace


def journal_of(tmp: Path, entries: list[Entry]) -> str:
    path = tmp / "walks.sqlite3"
    with Journal(path) as book:
        for e in entries:
            book.add(e)
    return str(path)


def sample() -> list[Entry]:
    """Four weeks of back-pain walks: a rise, a dizzy walk, an unscored walk, an early
    end, a logged walk with a note."""
    return [
        walk(26, 10, 3, 3, spm_start=100),
        walk(24, 10, 3, 3, spm_start=100, source="log", note="windy"),
        walk(22, 10, 3, 5, spm_start=100, note="hill on the route"),
        walk(16, 10, None, None, spm_start=100),
        walk(14, 6, None, None, spm_start=100, ended_early=True, dizzy=True),
        walk(12, 4, 3, None, spm_start=100, ended_early=True),
        walk(9, 10, 3, 3, spm_start=100),
        walk(7, 10, 3, 2, spm_start=100),
        walk(2, 10, 2, 2, spm_start=100),
    ]


def texts(fig: Any) -> str:
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


@pytest.fixture
def plt() -> Any:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot

    yield matplotlib.pyplot
    matplotlib.pyplot.close("all")


# -- history --plot: what it may write --------------------------------------------------


def test_history_plot_refuses_a_file_it_cannot_draw_into(tmp_path: Path) -> None:
    path = journal_of(tmp_path, sample())
    target = tmp_path / "walks.txt"
    result = CliRunner().invoke(main, ["history", "--journal", path, "--plot", str(target)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"'{target}' is not a picture file name" in result.stderr
    assert ".png, .pdf or .svg" in result.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == [Path(path)]


@pytest.mark.parametrize(
    ("name", "magic"), [("w.png", b"\x89PNG"), ("w.pdf", b"%PDF"), ("w.svg", b"<?xml")]
)
def test_history_plot_writes_the_format_its_name_says(
    tmp_path: Path, plt: Any, name: str, magic: bytes
) -> None:
    path = journal_of(tmp_path, sample())
    result = CliRunner().invoke(
        main, ["history", "--journal", path, "--plot", str(tmp_path / name)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_bytes().startswith(magic)


# -- dates: a lone far-away walk, and the year on the ticks ------------------------------


def test_a_lone_far_away_walk_is_named_under_the_chart_not_drawn(plt: Any) -> None:
    import matplotlib.dates as mdates

    typo = Entry("2016-11-10T08:00:00", "back-pain", 10, 10, pain_before=3, pain_after=3, id=99)
    entries = [typo, *sample()]
    shown, far = report.drawn_walks(entries)
    assert far == [typo] and len(shown) == len(entries) - 1
    fig = report.figure(entries, today=TODAY)
    _, bottom = fig.axes
    low, high = (mdates.num2date(x).date() for x in bottom.get_xlim())
    assert (high - low).days < 7 * 6  # the recent weeks, readable; not ten years
    assert low > date(2026, 1, 1)
    assert "Not drawn: 1 walk more than 6 months before all the others, on 10 Nov 2016 " in (
        texts(fig).replace("\n", " ")
    )
    # The report does the same, and still lists the walk.
    made = report.clinic_report(entries, "back-pain", TODAY)
    assert made.far == (typo,) and made.weeks[0].start > date(2026, 1, 1)
    html = report.clinic_html(made)
    assert "10 Nov 2016 (walk 99)" in html and "Thu 10 Nov 2016 08:00" in html
    page = report.clinic_figure(made)
    assert "on 10 Nov 2016 (walk 99)" in texts(page).replace("\n", " ")


def _tick_labels(fig: Any, ax: Any) -> list[str]:
    fig.canvas.draw()
    return [t.get_text() for t in ax.get_xticklabels() if t.get_text()]


def test_ticks_say_the_year_when_the_dates_cross_one(plt: Any) -> None:
    across = [
        Entry("2025-12-22T08:00:00", "back-pain", 10, 10, pain_before=2, pain_after=2),
        Entry("2026-01-07T08:00:00", "back-pain", 10, 10, pain_before=2, pain_after=2),
    ]
    fig = report.figure(across, today=date(2026, 1, 10))
    labels = _tick_labels(fig, fig.axes[1])
    assert labels and all(label.endswith((" 2025", " 2026")) for label in labels)
    assert any(label.endswith("2025") for label in labels)
    assert any(label.endswith("2026") for label in labels)
    within = [
        Entry("2026-03-02T08:00:00", "back-pain", 10, 10),
        Entry("2026-03-20T08:00:00", "back-pain", 10, 10),
    ]
    fig = report.figure(within, today=date(2026, 3, 22))
    labels = _tick_labels(fig, fig.axes[1])
    assert labels and not any("2026" in label for label in labels)
    html = report.clinic_html(report.clinic_report(across, "back-pain", date(2026, 1, 10)))
    assert "22 Dec 2025</text>" in html and "5 Jan 2026</text>" in html


# -- an empty journal --------------------------------------------------------------------


def test_an_empty_journal_says_no_walks_yet_instead_of_empty_axes(plt: Any) -> None:
    fig = report.figure([], today=TODAY)
    assert "no walks yet" in texts(fig)
    assert all(not ax.axison for ax in fig.axes)  # no 0-1.0 ticks to misread
    page = report.clinic_figure(report.clinic_report([], "back-pain", TODAY))
    _, bars, cadence, hurt, _ = page.axes
    for ax in (bars, cadence, hurt):
        assert not ax.axison
        assert any(t.get_text().startswith("no walks yet") for t in ax.texts)
    assert "0.0" not in texts(page) and "1.0" not in texts(page)


# -- the report: the same pace as pacer next, notes, marks, labels -----------------------


def test_the_report_says_the_pace_pacer_next_says(tmp_path: Path, plt: Any) -> None:
    entries = at_the_top("back-pain", 100, TODAY)  # a good week at the top: 5 % faster
    made = report.clinic_report(entries, "back-pain", TODAY)
    assert made.pace == next_pace(entries, "back-pain", TODAY)
    assert made.pace_words == f"Pace: 105 steps/min ({made.pace.reason})."  # type: ignore[union-attr]
    assert made.pace_words in texts(report.clinic_figure(made)).replace("\n", " ")
    # And from the command line: the report's Pace line is pacer next's, word for word.
    path = journal_of(tmp_path, [walk(d, 10, 2, 2, spm_start=100) for d in (3, 2)])
    said = CliRunner().invoke(main, ["next", "--preset", "back-pain", "--journal", path]).stdout
    pace_line = next(line for line in said.splitlines() if line.startswith("Pace:"))
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        main, ["report", str(out), "--preset", "back-pain", "--journal", path]
    )
    assert result.exit_code == 0, result.output
    from html import escape

    assert f"<p>{escape(pace_line)}</p>" in out.read_text(encoding="utf-8")


def test_the_note_column_holds_only_what_the_walker_wrote() -> None:
    logged = walk(3, 10, 2, 2, source="log", note="windy")
    dizzy = walk(2, 4, None, None, ended_early=True, dizzy=True, faded=True)
    row = dict(zip(report.WALK_COLUMNS, report.walk_row(logged), strict=True))
    assert row["note"] == "windy" and row["how it went"] == "logged by hand"
    row = dict(zip(report.WALK_COLUMNS, report.walk_row(dizzy), strict=True))
    assert row["note"] == "" and row["how it went"] == "ended early: dizzy; beat faded"
    html = report.clinic_html(report.clinic_report([logged, dizzy], "back-pain", TODAY))
    assert "logged (log)" not in html and "<td>windy</td>" in html


def test_marks_under_the_pain_scale_and_the_html_come_from_one_source(plt: Any) -> None:
    entries = sample()
    marks = report.pain_marks(entries)
    assert len(marks.dizzy) == 1 and len(marks.ended_early) == 1 and len(marks.unscored) == 1
    made = report.clinic_report(entries, "back-pain", TODAY)
    page = report.clinic_figure(made)
    hurt = page.axes[3]
    lines = {line.get_label(): line for line in hurt.get_lines()}
    for label, times, lane in (
        ("dizzy: ended early ✱", marks.dizzy, "dizzy"),
        ("ended early ▼", marks.ended_early, "early"),
        ("no pain score ×", marks.unscored, "unscored"),
    ):
        # Under 0, not floating above 10; each kind on its own row, so none hides another.
        assert list(lines[label].get_ydata()) == [report.LANES[lane]] * len(times)
    assert len(set(report.LANES.values())) == 3
    assert hurt.get_ylim()[0] < min(report.LANES.values()) < max(report.LANES.values()) < 0
    page.canvas.draw()
    ticks = {round(t.get_position()[1], 2): t.get_text() for t in hurt.get_yticklabels()}
    assert ticks[report.LANE] == "walk"
    html = report.clinic_html(made)
    for kind, times in (
        ("dizzy", marks.dizzy),
        ("early", marks.ended_early),
        ("unscored", marks.unscored),
        ("before", marks.before),
        ("after", marks.after),
        ("rise", marks.rises),
    ):
        assert html.count(f'class="{kind}"') == len(times), kind


def test_every_days_label_sits_above_its_bars_inside_the_chart(plt: Any) -> None:
    # The tallest week first, where the key is: its label must still be seen whole.
    entries = [walk(d, 30, 2, 2) for d in (27, 26, 25)] + [walk(d, 10, 2, 2) for d in (12, 10)]
    made = report.clinic_report(entries, "back-pain", TODAY)
    page = report.clinic_figure(made)
    page.canvas.draw()
    renderer = page.canvas.get_renderer()
    bars = page.axes[1]
    inside = bars.get_window_extent(renderer)
    key = bars.get_legend().get_window_extent(renderer)
    tops = {}
    for patch in bars.patches:
        box = patch.get_window_extent(renderer)
        centre = round(box.x0 + box.width / 2)
        tops[centre] = box.y1
    labels = [t for t in bars.texts if "/" in t.get_text()]
    assert len(labels) == len(made.weeks)
    for label in labels:
        box = label.get_window_extent(renderer)
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1
        assert inside.y0 <= box.y0 and box.y1 <= inside.y1
        assert not box.overlaps(key)
        near = [y for x, y in tops.items() if box.x0 - 40 <= x <= box.x1 + 40]
        assert box.y0 >= max(near) - 0.5  # above the bars, never cut by their top


# -- characters no font here can draw ---------------------------------------------------


def test_a_note_no_font_can_draw_is_said_and_never_warned_about(tmp_path: Path, plt: Any) -> None:
    from matplotlib.text import Text

    note = "公园里走得很好"
    entries = [*sample(), walk(1, 10, 2, 2, note=note)]
    made = report.clinic_report(entries, "back-pain", TODAY)
    families = report.fonts_for(note)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "Glyph missing" warning fails the test
        for name in ("r.png", "r.pdf"):
            report.write_clinic_report(made, tmp_path / name)
        page = report.clinic_figure(made)
    cells = {  # a cell's text as read, its lines joined
        cell.get_text().get_text().replace("\n", " "): cell.get_text()
        for cell in page.axes[4].tables[0].get_celld().values()
    }
    if families is None:  # no CJK font installed here (fc-list :lang=zh is empty)
        assert note not in cells
        assert "[Chinese]" in cells  # one word for the note, no row of boxes nor of �
        drawn = [t.get_text() for t in page.findobj(Text)]
        assert not any("\ufffd" in t for t in drawn)
        assert report.undrawn_words(["Chinese"]).replace(" ", "") in "".join(drawn).replace(
            "\n", ""
        ).replace(" ", "")
    else:
        assert families[-1] in cells[note].get_fontfamily()
    assert note in report.clinic_html(made)  # the browser draws it
    # From the command line: nothing on stderr at all.
    path = journal_of(tmp_path, entries)
    run = subprocess.run(
        [sys.executable, "-m", "pacer", "report", str(tmp_path / "c.png"), "--journal", path],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and run.stderr == ""


def test_a_character_the_default_font_lacks_is_drawn_in_a_font_that_has_it(plt: Any) -> None:
    from matplotlib import font_manager

    if not any(f.name == "DejaVu Math TeX Gyre" for f in font_manager.fontManager.ttflist):
        pytest.skip("needs the DejaVu Math TeX Gyre font (fonts-dejavu-extra)")
    text = "𝒜 walked"  # U+1D49C: not in DejaVu Sans, in DejaVu Math TeX Gyre
    assert report.fonts_for("walked") == ()
    families = report.fonts_for(text)
    assert families is not None and families[-1] == "DejaVu Math TeX Gyre"
    made = report.clinic_report([walk(1, 10, 2, 2, note=text)], "back-pain", TODAY)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = report.clinic_figure(made)
        page.canvas.draw()
    cell = next(
        c.get_text()
        for c in page.axes[4].tables[0].get_celld().values()
        if c.get_text().get_text() == text
    )
    assert "DejaVu Math TeX Gyre" in cell.get_fontfamily()


def _purple_pixels(path: Path) -> int:
    import matplotlib.image

    pixels = matplotlib.image.imread(str(path))
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((r > 0.35) & (r < 0.6) & (g < 0.3) & (b > 0.55)).sum())


def test_the_history_png_shows_a_dizzy_walk(tmp_path: Path, plt: Any) -> None:
    dizzy = journal_of(tmp_path, sample())
    out = tmp_path / "dizzy.png"
    CliRunner().invoke(main, ["history", "--journal", dizzy, "--plot", str(out)])
    calm_dir = tmp_path / "calm"
    calm_dir.mkdir()
    calm = journal_of(calm_dir, [e for e in sample() if not e.dizzy])
    quiet = tmp_path / "calm.png"
    CliRunner().invoke(main, ["history", "--journal", calm, "--plot", str(quiet)])
    # The purple star of the dizzy walk (and its key entry) are drawn; without a
    # dizzy walk there is no purple at all.
    assert _purple_pixels(out) > 60
    assert _purple_pixels(quiet) == 0


def test_one_function_gives_the_weeks_of_every_picture() -> None:
    entries = sample()
    made = report.clinic_report(entries, "back-pain", TODAY)
    assert made.weeks == report.planned_weeks(entries, "back-pain", TODAY)
    assert made.weeks[0].start == TODAY - timedelta(days=26 + (TODAY - timedelta(26)).weekday())
    assert made.weeks[-1].start == TODAY - timedelta(days=TODAY.weekday())


def test_the_history_picture_is_of_the_programme_walked_most_others_stacked(plt: Any) -> None:
    entries = [*sample(), walk(1, 20, preset="backward")]
    assert report.programmes(entries) == (("back-pain", 9), ("backward", 1))
    fig = report.figure(entries, today=TODAY)
    top = fig.axes[0]
    bars = {c.get_label(): [p.get_height() for p in c.patches] for c in top.containers}
    assert set(bars) == {
        "the plan's minutes (back-pain)",
        "minutes walked (back-pain)",
        "other programmes",
    }
    assert sum(bars["other programmes"]) == 20
    assert sum(bars["minutes walked (back-pain)"]) == sum(e.walked_minutes for e in sample())
    # A week with only another programme's walks, before the plan began, has no label.
    early = [walk(30, 20, preset="backward"), *sample()]
    weeks = report.planned_weeks(early, "back-pain", TODAY, others=True)
    assert weeks[0].walks == () and weeks[0].days_label(TODAY) == ""


# -- properties over random journals ----------------------------------------------------


@st.composite
def journals(draw: st.DrawFn) -> list[Entry]:
    """Random histories, some with walks years before the rest (a mistyped year)."""
    entries = draw(histories())
    for _ in range(draw(st.integers(0, 2))):
        years = draw(st.integers(1, 12))
        entries.append(
            Entry(
                f"{TODAY.year - years}-{draw(st.integers(1, 12)):02d}-10T08:00:00",
                draw(st.sampled_from(["back-pain", "backward"])),
                10,
                10,
                pain_before=draw(st.none() | st.integers(0, 10)),
            )
        )
    return entries


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=journals())
def test_every_walk_is_drawn_once_or_named_and_no_chart_spans_a_long_gap(
    entries: list[Entry],
) -> None:
    shown, far = report.drawn_walks(entries)
    assert sorted(map(id, shown + far)) == sorted(map(id, entries))
    # The charts start after the last long gap; nothing drawn is far from the rest.
    days = [e.date for e in shown]
    assert all((b - a).days <= report.FAR_DAYS for a, b in itertools.pairwise(days))
    if far:
        assert (shown[0].date - far[-1].date).days > report.FAR_DAYS
    # Each drawn walk is in exactly one week, of its programme or the others.
    weeks = report.planned_weeks(entries, "back-pain", TODAY, others=True)
    placed = [e for w in weeks for e in (*w.walks, *w.others)]
    assert sorted(map(id, placed)) == sorted(map(id, shown))
    for w in weeks:
        assert all(w.start <= e.date < w.start + timedelta(days=7) for e in (*w.walks, *w.others))
        assert all(e.preset == "back-pain" for e in w.walks)
    # Every drawn walk leaves a mark on the pain chart: a score, or a mark under the
    # scale (ended early, dizzy, or no score at all).
    marks = report.pain_marks(shown)
    marked = {x for x, _ in marks.before} | {x for x, _ in marks.after}
    marked |= set(marks.dizzy) | set(marks.ended_early) | set(marks.unscored)
    assert {datetime.fromisoformat(e.started) for e in shown} <= marked
    assert len(marks.rises) == sum(e.pain_rose for e in shown)


# -- from one week to ten years: bars and dates a person can read ---------------------------


def _journal_over(days: int, every: int) -> list[Entry]:
    """Walks every ``every`` days for ``days`` days up to TODAY, a pain rise now and then."""
    return [
        walk(d, 10 + d % 15, 3, 4 if d % 13 == 0 else 3, spm_start=100)
        for d in range(days, -1, -every)
    ]


def _boxes(fig: Any, texts_: list[Any]) -> list[Any]:
    renderer = fig.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in texts_ if t.get_text() and t.get_visible()]


def _apart(boxes: list[Any]) -> bool:
    return not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(days=st.integers(0, 3650), every=st.sampled_from([1, 2, 3, 7]))
@example(days=6, every=1)
@example(days=280, every=1)  # 40 weeks: where week labels ran together
@example(days=365, every=2)  # a year: two ticks was all it had
@example(days=3650, every=1)  # ten years, a walk a day
@example(days=1057, every=1)  # three years by quarter: the last label left the chart
def test_bars_and_dates_are_readable_from_one_week_to_ten_years(
    plt: Any, days: int, every: int
) -> None:
    entries = _journal_over(days, every)
    made = report.clinic_report(entries, "back-pain", TODAY)
    bars = made.bars
    # Each week in exactly one bar, in order; the bars hold every minute walked.
    assert [w for b in bars for w in b.weeks] == list(made.weeks)
    assert sum(b.minutes for b in bars) == pytest.approx(sum(e.walked_minutes for e in entries))
    assert len(bars) <= report.MOST_BARS or bars[0].kind == "quarter"
    assert (bars[0].kind == "week") == (len(made.weeks) <= report.MOST_BARS)
    ticks = report.date_ticks(bars[0].start, bars[-1].end, TODAY)
    assert len(ticks) >= (3 if days >= 60 else 2)
    assert all(bars[0].start <= d <= bars[-1].end for d, _ in ticks)
    for fig, chart, axes in (
        (page := report.clinic_figure(made), page.axes[1], page.axes[1:4]),
        (picture := report.figure(entries, today=TODAY), picture.axes[0], picture.axes),
    ):
        fig.canvas.draw()
        inside = chart.get_window_extent(fig.canvas.get_renderer())
        labels = _boxes(fig, [t for t in chart.texts if "/" in t.get_text()])
        assert len(labels) == len(bars)
        assert _apart(labels)  # the days above the bars never run together
        assert all(inside.x0 <= b.x0 and b.x1 <= inside.x1 and b.y1 <= inside.y1 for b in labels)
        labelled = 0
        for ax in axes:  # (the history picture labels its shared axis once, under it)
            shown = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
            if shown:
                labelled += 1
                assert [t.get_text() for t in shown] == [text for _, text in ticks]
                assert _apart(_boxes(fig, shown))
        assert labelled
        # Nothing written runs off the page: titles, keys and notes are whole.
        page_box = fig.bbox
        for box in _boxes(fig, fig.findobj(plt.Text)):
            assert page_box.x0 <= box.x0 and box.x1 <= page_box.x1 + 0.5, box
        plt.close(fig)
    html = report.clinic_html(made)
    assert all(f">{escape(text)}</text>" in html for _, text in ticks)


def test_marks_of_different_kinds_never_hide_one_another(plt: Any) -> None:
    # One day: a dizzy walk, one ended early, one without a score, and a pain rise.
    day = [
        walk(3, 4, None, None, ended_early=True, dizzy=True),
        walk(3, 4, None, None, ended_early=True, hour=9),
        walk(3, 10, hour=10),
        walk(3, 10, 3, 5, hour=11),
    ]
    made = report.clinic_report(day, "back-pain", TODAY)
    for fig, ax in ((page := report.clinic_figure(made), page.axes[3]),):
        fig.canvas.draw()
        drawn = {}
        for line in ax.get_lines():
            if line.get_marker() in ("None", None, ""):
                continue
            size = line.get_markersize() * fig.dpi / 72  # points to pixels
            for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
                import matplotlib.dates as mdates

                at = ax.transData.transform((mdates.date2num(x), y))
                drawn.setdefault(line.get_label(), []).append((at, size))
        kinds = list(drawn)
        assert {"pain after", "pain rose ▲", "ended early ▼", "dizzy: ended early ✱"} <= set(kinds)
        for i, a in enumerate(kinds):
            for b in kinds[i + 1 :]:
                if {a, b} == {"pain before", "pain after"}:
                    continue  # the open circle rings the square by design
                for (pa, sa), (pb, sb) in itertools.product(drawn[a], drawn[b]):
                    apart = ((pa - pb) ** 2).sum() ** 0.5
                    assert apart >= (sa + sb) / 2 * 0.9, (a, b)
    html = report.clinic_html(made)
    rows = {
        kind: re.findall(rf'class="{kind}" x="[\d.]+" y="([\d.]+)"', html) for kind in report.LANES
    }
    assert all(len(ys) == 1 for ys in rows.values()) and len({ys[0] for ys in rows.values()}) == 3
