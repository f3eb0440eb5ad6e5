"""The report's page as a physiotherapist reads it: over a year or ten the cadence is
a mark a month or quarter (not thousands of dots), each chart's key stands clear of
its marks, the days above the bars stay inside the chart when the latest bar is the
tallest, and a few walks with long notes show the notes whole."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from test_plan import TODAY, walk

from pacer import report
from pacer.journal import Cadence, Entry


@pytest.fixture(scope="module")
def plt() -> Any:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot

    yield matplotlib.pyplot
    matplotlib.pyplot.close("all")


OWN = Cadence(f"{(TODAY - timedelta(days=30)).isoformat()}T08:00:00", 96, 20)


def _years(days: int, every: int) -> list[Entry]:
    """A walk every ``every`` days, paces from 90 to 115, pain rising now and then."""
    return [
        walk(d, 10 + d % 4 * 5, 3, 5 if d % 9 == 0 else 3, spm_start=90 + d * 7 % 26)
        for d in range(days, -1, -every)
    ]


def _markers(ax: Any) -> int:
    return sum(
        len(line.get_xdata()) for line in ax.get_lines() if line.get_marker() not in ("None", "")
    )


@pytest.mark.parametrize(("days", "every"), [(3649, 1), (400, 2)])
def test_past_half_a_year_the_cadence_is_a_mark_a_bar_and_every_key_is_clear_of_the_marks(
    plt: Any, days: int, every: int
) -> None:
    made = report.clinic_report(_years(days, every), "back-pain", TODAY, own_cadence=OWN)
    assert made.bars[0].kind in ("month", "quarter")
    page = report.clinic_figure(made)
    page.canvas.draw()
    renderer = page.canvas.get_renderer()
    cadence, hurt = page.axes[2], page.axes[3]
    marks = report.cadence_marks(made.bars, made.drawn)
    assert _markers(cadence) == len(marks) <= len(made.bars)  # not one dot a walk
    for _at, median, low, high in marks:  # each mark's median within its range
        assert low <= median <= high
    assert f"a mark a {made.bars[0].kind}" in cadence.get_title(loc="left")
    key = cadence.get_legend()
    labels = [t.get_text() for t in key.get_texts()]
    when = TODAY - timedelta(days=30)
    assert labels == [f"your own cadence: 96 (pacer tap, {when.day} {when:%b %Y})"]
    # The cadence key sits above the chart, clear of every mark and of the title.
    inside = cadence.get_window_extent(renderer)
    box = key.get_window_extent(renderer)
    assert box.y0 >= inside.y1 - 1
    assert not box.overlaps(cadence.title.get_window_extent(renderer))
    assert not box.overlaps(cadence._left_title.get_window_extent(renderer))
    # The pain key never covers a ▲ nor its count.
    pain_key = hurt.get_legend().get_window_extent(renderer)
    counts = [t for t in hurt.texts if t.get_text().isdigit()]
    assert counts
    for text in counts:
        assert not pain_key.overlaps(text.get_window_extent(renderer)), text.get_text()
    rises = next(line for line in hurt.get_lines() if line.get_label().startswith("pain rose"))
    top = max(hurt.transData.transform((0, y))[1] for y in rises.get_ydata())
    assert top + rises.get_markersize() * page.dpi / 72 / 2 <= pain_key.y0 + 1
    plt.close(page)


def test_the_days_above_the_tallest_and_latest_bar_stay_inside_the_chart(plt: Any) -> None:
    # A year of walks growing longer, made on Fri 4 Dec: the last month's bar, "3/14 so
    # far", is the tallest, and its upright label crossed the chart's top at print dpi.
    made_on = date(2026, 12, 4)
    draw = random.Random(4)
    entries = []
    for d in range(365, -1, -1):
        if d % 7 in (0, 2, 4):
            before = draw.randint(1, 5)
            after = max(0, before + draw.choice([-1, 0, 0, 0, 1]))
            minutes = 10 + (365 - d) // 60
            day = made_on - timedelta(days=d)
            entries.append(
                Entry(
                    f"{day}T08:00:00", "back-pain", minutes, minutes, 96, 96, False, before, after
                )
            )
    made = report.clinic_report(entries, "back-pain", made_on)
    for fig, chart in (
        (page := report.clinic_figure(made), page.axes[1]),
        (picture := report.figure(entries, today=made_on), picture.axes[0]),
    ):
        fig.set_dpi(110)  # as write_clinic_report saves it
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        inside = chart.get_window_extent(renderer)
        labels = [t for t in chart.texts if "/" in t.get_text()]
        assert any("so far" in t.get_text() for t in labels)
        for label in labels:  # clear of the frame, not touching it
            assert label.get_window_extent(renderer).y1 <= inside.y1 - 2, label.get_text()
        plt.close(fig)


def test_a_few_walks_with_long_notes_show_the_notes_whole(plt: Any) -> None:
    note = (
        "Walked along the canal towards the old mill and back again; the path was icy "
        "in places so I slowed down near the bridge, felt a twinge in the lower back "
        "(left side) after about seven minutes which eased when I straightened up"
    )
    made = report.clinic_report(
        [walk(d, 10, 3, 3, note=note) for d in (6, 4, 2)], "back-pain", TODAY
    )
    page = report.clinic_figure(made)
    cells = [
        c.get_text().get_text()
        for (r, col), c in page.axes[4].tables[0].get_celld().items()
        if r > 0 and col == 6
    ]
    assert len(cells) == 3
    assert all(" ".join(cell.split()) == note for cell in cells)
    plt.close(page)


def test_long_notes_never_push_a_walk_off_the_page(plt: Any) -> None:
    note = "a long note that goes on and on " * 12
    walks = [walk(d, 10, 3, 3, note=note) for d in range(16, 0, -1)]
    made = report.clinic_report(walks, "back-pain", TODAY)
    page = report.clinic_figure(made)
    plain = report.clinic_figure(
        report.clinic_report(
            [walk(d, 10, 3, 3, note="x") for d in range(16, 0, -1)], "back-pain", TODAY
        )
    )
    rows = max(r for r, _ in page.axes[4].tables[0].get_celld())
    plain_rows = max(r for r, _ in plain.axes[4].tables[0].get_celld())
    two_lines = report._table_cells_of(page, page.axes[4], made.walks, report.CELL_LINES)
    assert rows == len(two_lines[0]) - 1 and rows <= plain_rows
    plt.close("all")


def test_the_cadence_of_another_programme_is_pale_and_named_not_the_programmes_own(
    plt: Any,
) -> None:
    entries = [walk(d, 20, 2, 2, preset="backward", spm_start=60) for d in (9, 6, 3)] + [
        walk(d, 10, 2, 2, spm_start=100) for d in (8, 4)
    ]
    made = report.clinic_report(entries, "backward", TODAY, own_cadence=OWN)
    page = report.clinic_figure(made)
    cadence = page.axes[2]
    dots = {
        line.get_label(): sorted(line.get_ydata())
        for line in cadence.get_lines()
        if line.get_marker() == "o"
    }
    assert dots == {"at the start": [60, 60, 60], "back-pain walks": [100, 100]}
    import matplotlib.colors

    pale = next(line for line in cadence.get_lines() if line.get_label() == "back-pain walks")
    assert matplotlib.colors.to_hex(pale.get_color()) == report.OTHER_COLOUR
    labels = [t.get_text() for t in cadence.get_legend().get_texts()]
    assert labels[:2] == ["at the start", "at the end"] and labels[-1].startswith("your own")
    plt.close(page)


def test_the_html_of_an_empty_journal_says_no_walks_not_an_empty_table() -> None:
    page = report.clinic_html(report.clinic_report([], "backward", TODAY))
    assert "<table><tr><th>date</th>" not in page and "(0)" not in page
    assert "no walks yet: pacer walk records each walk; pacer log adds one." in page
    full = report.clinic_html(
        report.clinic_report([walk(1, 20, 2, 2, preset="backward")], None, TODAY)
    )
    assert "<h2>Walks, most recent first (1)</h2>" in full and "<th>date</th>" in full
