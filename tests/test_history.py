"""`pacer history` read at a glance: weeks by date, one programme at a time, pain before
and after with rises marked, notes, missing scores as a dash; and the --plot picture,
checked by what it draws."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pacer import report
from pacer.cli import main
from pacer.journal import Entry, Journal


def entry(day: str, minutes: float, before: int | None, after: int | None, **kw: object) -> Entry:
    return Entry(
        started=f"{day}T08:00:00",
        preset=str(kw.pop("preset", "back-pain")),
        planned_minutes=minutes,
        walked_minutes=minutes,
        pain_before=before,
        pain_after=after,
        **kw,  # type: ignore[arg-type]
    )


WALKS = [
    entry("2026-11-02", 10, 3, 3),
    entry("2026-11-04", 10, 3, 2, note="windy"),
    entry("2026-11-06", 10, None, None),
    entry("2026-11-17", 15, 3, 6),  # a rise; the week of 9 Nov has no walks
    entry("2026-11-19", 15, 4, None, ended_early=True),
    entry("2026-11-18", 20, 2, 2, preset="backward", spm_start=60),
]


@pytest.fixture
def journal(tmp_path: Path) -> str:
    path = str(tmp_path / "j.sqlite3")
    with Journal(path) as book:
        for e in WALKS:
            book.add(e)
    return path


def history(*args: str) -> str:
    result = CliRunner().invoke(main, ["history", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_table_marks_rises_shows_notes_and_a_dash_for_a_missing_score(journal: str) -> None:
    lines = history("--journal", journal).splitlines()
    assert lines[0].split() == ["id", "when", "preset", "minutes", "spm", "pain", "note"]
    rows = {line.split()[0]: line for line in lines[1:7]}
    assert rows["2"].endswith("3→2      windy")
    assert rows["3"].split()[-1] == "–"  # neither score given
    assert "3→6 ▲" in rows["4"]
    assert rows["5"].endswith("4→–      ended early")
    assert "-" not in "".join(lines[1:7]).replace("2026-11-", "").replace("back-pain", "")


def test_weeks_are_named_by_their_monday_and_line_up_with_the_pain_of_their_walks(
    journal: str,
) -> None:
    out = history("--journal", journal)
    chart = out.split("\n\n")[1].splitlines()
    assert (
        chart[0].startswith("week of  days  minutes")
        and "pain before→after (▲ rose, ✱ dizzy)" in chart[0]
    )
    weeks = {line[:7].strip(): line for line in chart[1:]}
    assert list(weeks) == ["2 Nov", "9 Nov", "16 Nov"]  # a week without walks is a gap
    assert weeks["2 Nov"].split()[2:4] == ["3", "30"]
    assert weeks["2 Nov"].endswith("3→3  3→2  –")
    assert weeks["9 Nov"].split()[2:4] == ["0", "0"]
    assert weeks["16 Nov"].endswith("3→6 ▲  2→2  4→–")
    assert "2026-W" not in out


def test_preset_shows_one_programme(journal: str) -> None:
    out = history("--journal", journal, "--preset", "backward")
    table = out.split("\n\n")[0].splitlines()
    assert len(table) == 2 and "backward" in table[1] and "2→2" in table[1]
    records = history("--journal", journal, "--preset", "back-pain", "--csv").splitlines()
    assert len(records) == 1 + 5
    result = CliRunner().invoke(main, ["history", "--journal", journal, "--preset", "nonesuch"])
    assert result.exit_code == 2
    assert result.stderr == (
        "pacer: error: --preset: the journal has no walks of nonesuch; it has walks of: "
        "back-pain, backward\n"
    )


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.sampled_from([1, 5.5, 10, 30])),
        min_size=1,
        max_size=30,
    )
)
def test_weeks_cover_every_walk_once_on_a_continuous_date_axis(
    walks: list[tuple[int, float]],
) -> None:
    start = date(2025, 1, 1)
    entries = [entry((start + timedelta(days=d)).isoformat(), m, None, None) for d, m in walks]
    weeks = report.weeks(entries)
    assert all(w.start.weekday() == 0 for w in weeks)
    assert all(b.start - a.start == timedelta(days=7) for a, b in itertools.pairwise(weeks))
    assert sum(len(w.walks) for w in weeks) == len(entries)
    for w in weeks:
        assert all(w.start <= e.date < w.start + timedelta(days=7) for e in w.walks)
        assert w.label == f"week of {w.start.day} {w.start:%b}"
    assert sum(w.minutes for w in weeks) == pytest.approx(sum(m for _, m in walks), abs=0.1)


def test_plot_without_matplotlib_says_how_to_get_it(
    tmp_path: Path, journal: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: object, **kw: object) -> object:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    result = CliRunner().invoke(
        main, ["history", "--journal", journal, "--plot", str(tmp_path / "p.png")]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "pacer: error: --plot needs matplotlib: python -m pip install matplotlib "
        "(from a checkout: python -m pip install '.[plot]')\n"
    )
    assert not (tmp_path / "p.png").exists()


# -- the picture ---------------------------------------------------------------------------


def test_the_figure_puts_the_plan_weekly_bars_and_pain_on_one_padded_date_axis() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    entries = [e for e in WALKS if e.preset == "back-pain"]
    entries.append(entry("2026-11-20", 4, None, None, ended_early=True, dizzy=True))
    fig = report.figure(entries, today=date(2026, 11, 22))
    try:
        top, bottom = fig.axes
        bars: dict[str, list[tuple[date, float, float]]] = {}
        for container in top.containers:
            bars[container.get_label()] = [
                (mdates.num2date(p.get_x()).date(), p.get_width(), p.get_height())
                for p in container.patches
            ]
        mondays = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
        # The plan's minutes beside the minutes walked, both inside their week.
        for label in ("the plan's minutes", "minutes walked"):
            assert [d - timedelta(days=d.weekday()) for d, _, _ in bars[label]] == mondays
            assert all(w <= 3.5 for _, w, _ in bars[label])
        assert [h for _, _, h in bars["minutes walked"]] == [30, 0, 34]
        weeks = report.planned_weeks(entries, "back-pain", date(2026, 11, 22))
        assert [h for _, _, h in bars["the plan's minutes"]] == [w.planned_minutes for w in weeks]
        assert bars["the plan's minutes"][0][2] == 30  # 10 minutes, 3 days a week
        labels = [t.get_text() for t in top.texts]
        assert (
            labels
            == [w.days_label(date(2026, 11, 22)) for w in weeks]
            == [
                "3/3",
                "0/3",
                "2/3 so far",
            ]
        )
        assert top.get_xlim() == bottom.get_xlim()  # one date axis for both
        lines = {line.get_label(): line for line in bottom.get_lines()}

        def points(label: str) -> list[tuple[str, float]]:
            line = lines[label]
            xs = [mdates.num2date(x).date().isoformat() for x in mdates.date2num(line.get_xdata())]
            return list(zip(xs, line.get_ydata(), strict=True))

        assert points("pain before") == [
            ("2026-11-02", 3),
            ("2026-11-04", 3),
            ("2026-11-17", 3),
            ("2026-11-19", 4),
        ]
        assert points("pain after") == [("2026-11-02", 3), ("2026-11-04", 2), ("2026-11-17", 6)]
        # The rise mark sits just above the pain after (6), so its square stays seen.
        assert points("pain rose ▲") == [("2026-11-17", 6 + report.RISE_ABOVE)]
        assert lines["pain rose ▲"].get_color() == report.RISE_COLOUR
        # Walks without a score, or ended early, are drawn on their own row under the
        # 0-10 scale, each with its own mark and key entry.
        assert points("no pain score ×") == [("2026-11-06", report.LANES["unscored"])]
        assert points("ended early ▼") == [("2026-11-19", report.LANES["early"])]
        assert points("dizzy: ended early ✱") == [("2026-11-20", report.LANES["dizzy"])]
        assert bottom.get_ylim()[0] < min(report.LANES.values())
        legend = [t.get_text() for t in bottom.get_legend().get_texts()]
        assert "dizzy: ended early ✱" in legend and "no pain score ×" in legend
        # No walk sits on an edge: at least a day to spare on each side.
        low, high = bottom.get_xlim()
        walked = mdates.date2num([datetime.fromisoformat(e.started) for e in entries])
        assert all(low + 1 <= x <= high - 1 for x in walked)
    finally:
        plt.close(fig)


def _red_pixels(path: Path) -> int:
    import matplotlib.image

    pixels = matplotlib.image.imread(str(path))
    red = (pixels[..., 0] > 0.75) & (pixels[..., 1] < 0.3) & (pixels[..., 2] < 0.3)
    return int(red.sum())


def test_plot_writes_a_png_whose_red_marks_are_the_rises(tmp_path: Path, journal: str) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.image

    with_rise = tmp_path / "walks.png"
    out = history("--journal", journal, "--preset", "back-pain", "--plot", str(with_rise))
    assert out == f"Wrote {with_rise}.\n"
    assert with_rise.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.image.imread(str(with_rise)).shape[:2] == (600, 900)
    assert _red_pixels(with_rise) > 50  # the red triangle and line of the 17 Nov rise
    calm = tmp_path / "calm.png"
    history("--journal", journal, "--preset", "backward", "--plot", str(calm))
    assert _red_pixels(calm) == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


# -- exports: what a walker typed never runs in a terminal, a browser or a spreadsheet ------

_typed = st.text(
    st.sampled_from(
        ["\x1b", "\x07", "\r", "\n", "\x00", "\x7f", "\x9b", "=", "+", "-", "@", "a", " ", "公"]
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(notes=st.lists(_typed, min_size=1, max_size=4))
def test_exports_neutralise_control_characters_and_formulas(notes: list[str]) -> None:
    import csv
    import io
    import unicodedata
    from html import escape

    entries = [entry(f"2026-11-{10 + i:02d}", 3, 3, 3, note=note) for i, note in enumerate(notes)]
    rows = list(csv.reader(io.StringIO(report.as_csv(entries))))
    assert len(rows) == len(entries) + 1  # a row each: no line break splits one
    for row, e in zip(rows[1:], entries, strict=True):
        for cell in row:
            assert not any(unicodedata.category(c) == "Cc" for c in cell), row
            assert not cell.startswith(("=", "+", "-", "@")), row
        shown = report.visible(e.note)
        assert row[1 + report.COLUMNS.index("note")] in (shown, "'" + shown)
    html = report.clinic_html(report.clinic_report(entries, "back-pain", date(2026, 11, 22)))
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in html)
    assert all(f"<td>{escape(report.visible(e.note))}</td>" in html for e in entries)


def test_history_csv_begins_no_cell_with_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as book:
        book.add(entry("2026-11-10", 3, 3, 3, note='=HYPERLINK("x")\x1b[2J'))
    out = CliRunner().invoke(main, ["history", "--csv", "--journal", str(path)]).stdout
    assert "\x1b" not in out and "'=HYPERLINK" in out and "␛[2J" in out
