"""The report for the physiotherapist: it holds the walks of the journal it was given
(plan, adherence per week against the plan, cadence, pain before and after by date
with rises and dizziness marked, notes, the current suggestion and why), as one PDF
or PNG page, or an HTML page that needs no matplotlib."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from test_plan import TODAY, histories, walk

from pacer.cli import main
from pacer.journal import Entry, Journal
from pacer.plan import levels_by_week, minutes_words, next_walk, plan_for
from pacer.report import (
    TABLE_ROWS,
    clinic_figure,
    clinic_html,
    clinic_report,
    walk_row,
    write_clinic_report,
)


def journal_of(tmp: Path, entries: list[Entry]) -> Journal:
    book = Journal(tmp / "walks.sqlite3")
    for e in entries:
        book.add(e)
    return book


def sample() -> list[Entry]:
    """Five weeks of back-pain walks: a pain rise, a dizzy walk, a faded beat, notes."""
    out = []
    plan = [
        (30, 10, 100, 4, 3, {}),
        (28, 10, 100, 4, 4, {"note": "windy"}),
        (26, 10, 100, 3, 3, {}),
        (23, 15, 102, 3, 3, {}),
        (21, 15, 102, 3, 5, {"note": "hill on the route"}),
        (16, 12, 100, 3, 3, {"faded": True}),
        (14, 6, 104, None, None, {"ended_early": True, "dizzy": True, "note": "light-headed"}),
        (9, 10, 100, 3, 3, {}),
        (7, 10, 100, 3, 2, {"faded": True}),
        (2, 10, 106, 2, 2, {}),
    ]
    for days_ago, minutes, spm, before, after, extra in plan:
        out.append(walk(days_ago, minutes, before, after, spm_start=spm, spm_end=spm + 2, **extra))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=histories())
def test_the_report_holds_every_walk_of_the_journal_it_was_given(
    tmp_path_factory: pytest.TempPathFactory, entries: list[Entry]
) -> None:
    book = journal_of(tmp_path_factory.mktemp("j"), entries)
    recorded = book.entries()
    report = clinic_report(recorded, "back-pain", TODAY)
    assert list(report.walks) == recorded
    # Each week holds exactly the programme's walks of that week, against the plan in
    # force on its Monday; the suggestion is pacer next's.
    mine = [e for e in recorded if e.preset == "back-pain"]
    assert sorted((e.id for w in report.weeks for e in w.walks), key=str) == sorted(
        (e.id for e in mine), key=str
    )
    for week in report.weeks:
        assert week.start.weekday() == 0
        assert all(week.start <= e.date < week.start + timedelta(days=7) for e in week.walks)
        assert week.minutes == round(sum(e.walked_minutes for e in week.walks), 1)
    levels = dict(levels_by_week(recorded, "back-pain", TODAY))
    assert all(w.planned == levels.get(w.start) for w in report.weeks)
    assert report.advice == next_walk(recorded, "back-pain", TODAY)
    html = clinic_html(report)
    assert html.count("<tr><td>") == len(recorded) + len(report.weeks)
    for e in recorded:
        assert "".join(f"<td>{cell}</td>" for cell in map(_escaped, walk_row(e))) in html


def _escaped(text: str) -> str:
    from html import escape

    return escape(text)


def test_the_html_shows_the_plan_weeks_pain_rises_dizziness_notes_and_the_suggestion() -> None:
    entries = sample()
    report = clinic_report(entries, "back-pain", TODAY)
    html = clinic_html(report)
    assert f"Suggested next back-pain walk: {minutes_words(report.advice.minutes)}" in html
    assert report.advice.reason.replace("'", "&#x27;") in html
    assert "after each good week 5 minutes more" in html  # the back-pain plan
    assert html.count('class="before"') == sum(e.pain_before is not None for e in entries)
    assert html.count('class="after"') == sum(e.pain_after is not None for e in entries)
    assert html.count('class="rise"') == sum(e.pain_rose for e in entries) == 1
    assert html.count('class="dizzy"') == sum(e.dizzy for e in entries) == 1
    for note in ("windy", "hill on the route", "light-headed", "beat faded"):
        assert note in html
    # Weeks from the first walk's to today's, with minutes walked and planned.
    first = entries[0].date - timedelta(days=entries[0].date.weekday())
    assert report.weeks[0].start == first
    assert report.weeks[-1].start == TODAY - timedelta(days=TODAY.weekday())
    assert "<svg" in html and "matplotlib" not in html


def test_the_html_report_needs_no_matplotlib(tmp_path: Path) -> None:
    book = journal_of(tmp_path, sample())
    book.close()
    out = tmp_path / "walks.html"
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from pacer.cli import main\n"
        f"sys.argv = ['pacer', 'report', {str(out)!r}, '--journal', "
        f"{str(tmp_path / 'walks.sqlite3')!r}]\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").count("<tr><td>") >= 10
    pdf = subprocess.run(
        [sys.executable, "-c", code.replace("walks.html", "walks.pdf")],
        capture_output=True,
        text=True,
    )
    assert pdf.returncode == 1
    assert pdf.stderr.count("\n") == 1 and "pip install matplotlib" in pdf.stderr
    assert not (tmp_path / "walks.pdf").exists()


def test_the_page_draws_every_walk_pain_rise_dizziness_and_the_suggestion() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    entries = sample() + [walk(d, 10, 2, 2, id=None) for d in range(40, 60, 2)]
    report = clinic_report(entries, "back-pain", TODAY)
    fig = clinic_figure(report)
    try:
        from matplotlib.text import Text

        texts = "\n".join(t.get_text() for t in fig.findobj(Text))
        assert f"Suggested next back-pain walk: {minutes_words(report.advice.minutes)}" in texts
        assert report.advice.reason[:60] in texts.replace("\n", " ")
        _, bars, cadence, hurt, table = fig.axes
        # Pain: one open circle per score before, one square per score after, a red
        # triangle per rise, a star per dizzy walk.
        plotted = {line.get_label(): len(line.get_xdata()) for line in hurt.get_lines()}
        assert plotted["pain before"] == sum(e.pain_before is not None for e in entries)
        assert plotted["pain after"] == sum(e.pain_after is not None for e in entries)
        assert plotted["pain rose ▲"] == 1
        assert plotted["dizzy: ended early ✱"] == 1
        paced = {line.get_label(): len(line.get_xdata()) for line in cadence.get_lines()}
        assert paced["at the start"] == sum(e.spm_start is not None for e in entries)
        # Minutes per week: one bar per week for the plan and one for what was walked.
        assert len(bars.patches) == 2 * len(report.weeks)
        # The table lists the most recent walks; the charts hold all of them.
        listed = [c.get_text().get_text() for c in table.tables[0].get_celld().values()]
        assert len(entries) > TABLE_ROWS
        # As many as fit (at most TABLE_ROWS: the words above it take their room), and
        # the page says how many.
        shown = int(re.findall(rf"(\d+) of {len(entries)}", texts)[0])
        assert TABLE_ROWS - 2 <= shown <= TABLE_ROWS
        for e in report.walks[-shown:]:
            assert walk_row(e)[0] in listed
        assert walk_row(report.walks[0])[0] not in listed
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", ["walks.pdf", "walks.png", "walks.html"])
def test_pacer_report_writes_one_page_of_the_journal(tmp_path: Path, name: str) -> None:
    if not name.endswith(".html"):
        pytest.importorskip("matplotlib")
    book = journal_of(tmp_path, sample())
    book.close()
    out = tmp_path / name
    result = CliRunner().invoke(
        main, ["report", str(out), "--journal", str(tmp_path / "walks.sqlite3")]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {out}: 10 walks")
    data = out.read_bytes()
    if name.endswith(".pdf"):
        assert data.startswith(b"%PDF")
        assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1  # one page
    elif name.endswith(".png"):
        assert data.startswith(b"\x89PNG")
        width = int.from_bytes(data[16:20], "big")
        height = int.from_bytes(data[20:24], "big")
        assert abs(height / width - 297 / 210) < 0.01  # A4, upright
    else:
        assert b"</html>" in data
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_pdf_reads_as_the_journal(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    entries = sample()
    out = tmp_path / "walks.pdf"
    write_clinic_report(clinic_report(entries, "back-pain", TODAY), out)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Walking record: back-pain" in text
    for e in entries:
        assert walk_row(e)[0] in text
    assert "light-headed" in text and "hill on the route" in text


def test_a_report_file_must_be_pdf_png_or_html(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path / "walks.txt")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and ".pdf, .png or .html" in result.stderr


def test_the_report_is_for_the_programme_walked_most_the_latest_on_a_tie(tmp_path: Path) -> None:
    entries = [walk(9, 20, 2, 2, preset="backward"), walk(2, 10, 3, 3)]
    report = clinic_report(entries, None, TODAY)
    assert report.preset == "back-pain" and report.plan == plan_for("back-pain")
    book = journal_of(tmp_path, entries)
    book.close()
    result = CliRunner().invoke(
        main,
        ["report", str(tmp_path / "r.html"), "--journal", str(tmp_path / "walks.sqlite3")],
    )
    assert result.exit_code == 0, result.output
    assert "(back-pain 1, backward 1). Next back-pain walk:" in result.stdout
    assert f"Made by pacer on {date.today().day} " in (tmp_path / "r.html").read_text()


def test_the_report_shows_the_walkers_own_cadence_beside_the_cadence_used(
    tmp_path: Path,
) -> None:
    from pacer.journal import Cadence

    book = journal_of(tmp_path, sample())
    book.record_cadence(Cadence("2026-11-01T09:00:00", 96.0, 40, "tap"))
    book.close()
    out = tmp_path / "walks.html"
    result = CliRunner().invoke(
        main, ["report", str(out), "--journal", str(tmp_path / "walks.sqlite3")]
    )
    assert result.exit_code == 0, result.output
    assert "Your own cadence, as last measured (tap, 2026-11-01): 96 steps/min." in (
        out.read_text(encoding="utf-8")
    )
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    report = clinic_report(sample(), "back-pain", TODAY, own_cadence=Cadence("2026-11-01", 96, 40))
    fig = clinic_figure(report)
    try:
        cadence = fig.axes[2]
        assert any(list(line.get_ydata()) == [96, 96] for line in cadence.get_lines())
        assert any("your own cadence: 96" in t.get_text() for t in cadence.findobj(Text))
    finally:
        plt.close(fig)
