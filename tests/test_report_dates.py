"""Which walks the pictures draw, and where: nothing a walker logged is hidden unsaid
(only a walk or two far before all the rest, a mistyped year, is left out, and the
words saying so are wholly on the page); a walk dated after today is drawn, counted
and listed as walked today, as ``pacer next`` counts it; and ten years are drawn by
month or quarter, the pain chart and the HTML table too."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_plan import TODAY, histories, walk

from pacer import report
from pacer.journal import Entry
from pacer.plan import levels_by_week


@pytest.fixture(scope="module")
def plt() -> Any:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot

    yield matplotlib.pyplot
    matplotlib.pyplot.close("all")


def block(days_ago: int, count: int, preset: str = "back-pain") -> list[Entry]:
    """``count`` scored walks a day apart, the last ``days_ago`` days before TODAY."""
    return [walk(days_ago + i, 10, 3, 3, preset=preset) for i in range(count)]


@st.composite
def with_earlier_blocks(draw: st.DrawFn) -> list[Entry]:
    """Random histories with, before them, blocks of walks long ago: single walks (a
    mistyped year) and real earlier times of walking."""
    entries = draw(histories())
    ago = 40
    for _ in range(draw(st.integers(0, 3))):
        ago += draw(st.integers(report.FAR_DAYS - 20, 3 * 365))
        size = draw(st.sampled_from([1, 2, 3, 12]))
        entries += block(ago, size)
        ago += size
    return entries


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=with_earlier_blocks())
@example(entries=block(400, 20) + block(1, 10))
def test_only_a_walk_or_two_far_before_all_the_rest_is_left_out_and_it_is_named(
    entries: list[Entry],
) -> None:
    shown, far = report.drawn_walks(entries)
    assert sorted(map(id, shown + far)) == sorted(map(id, entries))
    assert len(far) <= report.STRAY_MOST
    if far:
        assert (shown[0].date - far[-1].date).days > report.FAR_DAYS
        words = report.far_words(far)
        for e in far:
            assert f"{e.date.day} {e.date:%b %Y}" in words


def test_an_earlier_block_of_walks_is_drawn_not_called_mistyped() -> None:
    entries = block(400, 20) + block(1, 10)
    made = report.clinic_report(entries, "back-pain", TODAY)
    assert made.far == () and len(made.drawn) == 30
    first = min(e.date for e in entries)
    assert made.bars[0].start <= first < made.bars[0].end


def _inside(fig: Any, text: Any) -> bool:
    box = text.get_window_extent(fig.canvas.get_renderer())
    page = fig.bbox
    return page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1


def test_the_words_under_a_chart_are_wholly_on_the_page(plt: Any) -> None:
    # Two walks with long ids a year before ten recent ones, and two dated ahead.
    far = [
        Entry(f"{TODAY.year - 1}-0{m}-10T08:00:00", "back-pain", 10, 10, id=90_000 + m)
        for m in (2, 3)
    ]
    recent = [walk(d, 10, 3, 3, id=d + 1) for d in range(1, 11)]
    ahead = [walk(-3, 10, 3, 3, id=99), walk(-5, 10, 3, 3, id=98)]
    entries = far + recent + ahead
    made = report.clinic_report(entries, "back-pain", TODAY)
    for fig in (report.clinic_figure(made), report.figure(entries, today=TODAY)):
        fig.set_dpi(110)  # as the report is saved: wider text than at 100
        fig.canvas.draw()
        notes = [t for t in fig.findobj(plt.Text) if "Not drawn" in t.get_text()]
        assert len(notes) == 1 and _inside(fig, notes[0])
        said = " ".join(notes[0].get_text().split())
        assert said == " ".join(report.far_words(far).split()) or report.far_words(far) in said
        ahead_said = [t for t in fig.findobj(plt.Text) if "after today" in t.get_text()]
        assert ahead_said and all(_inside(fig, t) for t in ahead_said)
        plt.close(fig)


@st.composite
def with_walks_ahead(draw: st.DrawFn) -> list[Entry]:
    entries = draw(histories())
    for _ in range(draw(st.integers(1, 4))):
        entries.append(walk(-draw(st.integers(1, 60)), 10, 3, draw(st.integers(0, 6))))
    return entries


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=with_walks_ahead())
def test_a_walk_dated_after_today_is_drawn_and_counted_as_walked_today(
    entries: list[Entry],
) -> None:
    made = report.clinic_report(entries, "back-pain", TODAY)
    ahead = [e for e in entries if e.date > TODAY]
    assert len(made.ahead) == len(ahead) and len(made.walks) == len(entries)
    assert all(e.date <= TODAY for e in made.walks)
    # The header is never dated after the report was made.
    days = re.findall(r"\d+ \w{3} \d{4}", made.period)
    assert days and max(date.fromisoformat(_iso(d)) for d in days) <= made.made
    # The last bar is today's week, and it holds the walks dated ahead, as the plan
    # counts them (the plan's weeks end with today's too).
    monday = TODAY - timedelta(days=TODAY.weekday())
    assert made.weeks[-1].start == monday
    this_week = [e for e in made.weeks[-1].walks]
    assert sum(1 for e in ahead if e.preset == "back-pain") <= len(this_week)
    assert max(levels_by_week(entries, "back-pain", TODAY))[0] <= monday
    assert str(len(ahead)) in report.ahead_words(made.ahead) or len(ahead) == 1
    html = report.clinic_html(made)
    assert "after today" in html
    # The table lists each walk dated ahead at its own date, said to count as today,
    # never at an invented "23:59" of today (found from outside).
    for e in ahead:
        own = report.walk_row(e, TODAY)[0]
        assert own.endswith(" (dated ahead: counted as today)")
        assert f"<td>{own}</td>" in html, own
    assert "23:59" not in html


def _iso(day: str) -> str:
    from datetime import datetime

    return datetime.strptime(day, "%d %b %Y").date().isoformat()


def ten_years() -> list[Entry]:
    """A walk a day for ten years to TODAY: two programmes, some unscored, some rises,
    some ended early, a few because the walker felt dizzy."""

    def day(n: int) -> Entry:
        before = None if n % 9 == 0 else 2 + n % 4
        rise = 1 if n % 17 == 0 else 0
        return walk(
            3650 - n,
            10 + n % 20,
            before,
            None if before is None else before + rise,
            preset="back-pain" if n % 3 else "backward",
            spm_start=60,
            ended_early=n % 41 == 0 or n % 205 == 0,
            dizzy=n % 205 == 0,
        )

    return [day(n) for n in range(3650)]


def test_ten_years_of_pain_are_drawn_a_mark_a_bar_with_every_rise_counted(plt: Any) -> None:
    entries = ten_years()
    made = report.clinic_report(entries, "back-pain", TODAY)
    bars = made.bars
    assert bars[0].kind == "quarter"
    marks = report.period_marks(bars, made.drawn)
    assert len(marks.before) <= len(bars) and len(marks.after) <= len(bars)
    assert sum(n for _, _, n in marks.rise_counts) == sum(e.pain_rose for e in made.drawn)
    # Each bar's range holds every score of its walks, and its median lies in it.
    for bar in bars:
        walks = [e for e in made.drawn if bar.start <= e.date < bar.end]
        scores = [e.pain_before for e in walks if e.pain_before is not None]
        if scores:
            (low, high) = next(
                (lo, hi)
                for x, lo, hi, after in marks.ranges
                if not after and bar.start <= x.date() < bar.end
            )
            assert (low, high) == (min(scores), max(scores))
    # The picture holds that many marks, not one a walk.
    fig = report.clinic_figure(made)
    lines = [ln for ln in fig.axes[3].get_lines() if ln.get_label().startswith("pain before")]
    assert len(lines) == 1 and len(lines[0].get_xdata()) == len(marks.before) <= len(bars)
    plt.close(fig)
    # The HTML's table has a row a bar: 41 quarters, not 520 weeks.
    page = report.clinic_html(made)
    table = page.split("<th>minutes planned</th>", 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == len(bars)
    assert page.count('class="before"') == len(marks.before)


def test_half_a_year_is_still_drawn_a_mark_a_walk(plt: Any) -> None:
    entries = [walk(d, 10, 3, 3 + d % 2) for d in range(1, 120, 2)]
    made = report.clinic_report(entries, "back-pain", TODAY)
    assert made.bars[0].kind == "week"
    marks = report.period_marks(made.bars, made.drawn)
    assert len(marks.before) == len(entries) and marks.per == ""
