"""The journal as people and programs read it: weekly totals by date, pain before and
after each walk with rises marked, a small bar chart for the terminal, CSV and JSON,
and an optional picture (matplotlib)."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

from .journal import COLUMNS, Cadence, Entry
from .plan import Advice, Level
from .presets import Plan

__all__ = [
    "REPORT_FORMATS",
    "ClinicReport",
    "PlannedWeek",
    "clinic_figure",
    "clinic_html",
    "clinic_report",
    "walk_row",
    "write_clinic_report",
    "MISSING",
    "RISE",
    "Week",
    "as_csv",
    "as_records",
    "bar",
    "figure",
    "pain",
    "pain_trend",
    "plot",
    "weeks",
]

MISSING = "–"
"""How a pain score that was not given is shown."""

RISE = "▲"
"""The mark of a walk after which pain was higher than before it."""


@dataclass(frozen=True)
class Week:
    """One week, Monday to Sunday: its walks, the days walked and minutes walked."""

    start: date
    walks: tuple[Entry, ...]

    @property
    def label(self) -> str:
        """``week of 17 Nov``."""
        return f"week of {self.start.day} {self.start:%b}"

    @property
    def days(self) -> int:
        """Days with at least one walk."""
        return len({e.day for e in self.walks})

    @property
    def minutes(self) -> float:
        """Minutes walked, to a tenth."""
        return round(sum(e.walked_minutes for e in self.walks), 1)

    @property
    def rises(self) -> int:
        """Walks after which pain was higher than before."""
        return sum(e.pain_rose for e in self.walks)


def weeks(entries: list[Entry]) -> list[Week]:
    """Every week from the first walk's to the last's, oldest first; weeks without a
    walk are there too, so the weeks are a date axis."""
    if not entries:
        return []
    by_week: dict[date, list[Entry]] = {}
    for e in entries:
        day = e.date
        by_week.setdefault(day - timedelta(days=day.weekday()), []).append(e)
    first, last = min(by_week), max(by_week)
    out = []
    start = first
    while start <= last:
        walks = sorted(by_week.get(start, []), key=lambda e: (e.started, e.id or 0))
        out.append(Week(start, tuple(walks)))
        start += timedelta(days=7)
    return out


def pain(entry: Entry) -> str:
    """Pain before and after, ``3→2``; a score not given is :data:`MISSING` (an en
    dash); a rise is marked ``3→5 ▲``."""
    if entry.pain_before is None and entry.pain_after is None:
        return MISSING
    before = MISSING if entry.pain_before is None else str(entry.pain_before)
    after = MISSING if entry.pain_after is None else str(entry.pain_after)
    return f"{before}→{after}" + (f" {RISE}" if entry.pain_rose else "")


def bar(value: float, most: float, width: int = 30) -> str:
    """A bar of block characters, ``width`` long for ``most``."""
    if most <= 0:
        return ""
    eighths = round(value / most * width * 8)
    return "█" * (eighths // 8) + ("▏▎▍▌▋▊▉"[eighths % 8 - 1] if eighths % 8 else "")


def pain_trend(entries: list[Entry], last: int = 5) -> str:
    """How pain changed over the last walks that recorded both scores, in words."""
    rated = [e for e in entries if e.scored]
    if not rated:
        return "Pain: not recorded yet (pacer walk asks; pacer log --pain-before/--pain-after)."
    recent = rated[-last:]
    changes = [e.pain_after - e.pain_before for e in recent]  # type: ignore[operator]
    rises = sum(1 for c in changes if c > 0)
    mean = sum(changes) / len(changes)
    word = "rose" if mean > 0 else "fell" if mean < 0 else "did not change"
    amount = f" by {abs(mean):.1f} on average" if mean else ""
    walks = "walk" if len(recent) == 1 else f"{len(recent)} walks"
    return (
        f"Pain over the last {walks} with both scores: {word}{amount}; "
        f"it rose after {rises} of them."
    )


def as_records(entries: list[Entry]) -> list[dict[str, Any]]:
    """Every entry as a plain dict with ``id`` and :data:`~pacer.journal.COLUMNS`."""
    # Plain values only, so no deep copy (asdict) is needed: quick on a long journal.
    return [{"id": e.id, **{k: getattr(e, k) for k in COLUMNS}} for e in entries]


def as_csv(entries: list[Entry]) -> str:
    """Every entry as CSV with a header row: ``id`` then the journal's columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *COLUMNS])
    for record in as_records(entries):
        writer.writerow(["" if record[k] is None else record[k] for k in ["id", *COLUMNS]])
    return out.getvalue()


BEFORE_COLOUR = "#3a6fb0"
AFTER_COLOUR = "#e08a1e"
RISE_COLOUR = "#d62020"
BAR_COLOUR = "#4a7"


def figure(entries: list[Entry], title: str = "pacer: your walks") -> Any:
    """The picture :func:`plot` saves, as a matplotlib Figure (close it when done).

    Top: minutes walked per week, each bar spanning its week (Monday to Sunday) on a
    date axis. Bottom, on the same axis: pain before (circle) and after (square) each
    walk at its date, joined by a line; a walk after which pain rose has a red line
    and a red triangle. A score that was not given is not drawn.

    Raises ImportError when matplotlib is not installed.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates
    import matplotlib.pyplot

    # Typed loosely: pacer type-checks with and without matplotlib installed.
    mdates: Any = matplotlib.dates
    plt: Any = matplotlib.pyplot

    per_week = weeks(entries)
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(9, 6),
        sharex=True,
        constrained_layout=True,
        gridspec_kw={"height_ratios": (1, 1.2)},
    )
    starts = [datetime.combine(w.start, datetime.min.time()) for w in per_week]
    top.bar(
        starts,
        [w.minutes for w in per_week],
        width=7,
        align="edge",
        color=BAR_COLOUR,
        edgecolor="white",
        label="minutes walked",
    )
    top.set_ylabel("minutes per week")
    top.grid(axis="y", alpha=0.3)
    top.set_axisbelow(True)
    top.set_title(title)
    when = [datetime.fromisoformat(e.started) for e in entries]
    for e, x in zip(entries, when, strict=True):
        if e.scored:
            colour = RISE_COLOUR if e.pain_rose else "#888888"
            bottom.plot([x, x], [e.pain_before, e.pain_after], "-", color=colour, lw=1.5)
    before = [
        (x, e.pain_before) for e, x in zip(entries, when, strict=True) if e.pain_before is not None
    ]
    after = [
        (x, e.pain_after) for e, x in zip(entries, when, strict=True) if e.pain_after is not None
    ]
    rises = [(x, e.pain_after) for e, x in zip(entries, when, strict=True) if e.pain_rose]
    for points, marker, colour, label, size in (
        (before, "o", BEFORE_COLOUR, "pain before", 9),
        (after, "s", AFTER_COLOUR, "pain after", 5),
        (rises, "^", RISE_COLOUR, "pain rose", 11),
    ):
        if points:
            xs, ys = zip(*points, strict=True)
            bottom.plot(
                xs,
                ys,
                marker,
                color=colour,
                label=label,
                markersize=size,
                ls="none",
                # the circle is open, so a score that did not change shows both marks
                markerfacecolor="none" if marker == "o" else colour,
                markeredgewidth=1.5,
            )
    bottom.set_ylim(-0.5, 10.5)
    bottom.set_yticks(range(0, 11, 2))
    bottom.set_ylabel("pain (0-10)")
    bottom.grid(axis="y", alpha=0.3)
    if before or after:
        bottom.legend(loc="upper left", fontsize="small")
    else:
        bottom.text(0.5, 0.5, "no pain scores recorded", ha="center", transform=bottom.transAxes)
    if starts:
        end = starts[-1] + timedelta(days=7)
        # At least four weeks wide, so one week is a bar and not the whole picture.
        bottom.set_xlim(min(starts[0], end - timedelta(days=28)), end)
    # Ticks on Mondays: each bar's left edge, where its week starts.
    every = max(1, -(-len(per_week) // 12))
    bottom.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO, interval=every))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    fig.autofmt_xdate()
    return fig


def plot(entries: list[Entry], path: str, title: str = "pacer: your walks") -> None:
    """Save :func:`figure` as a PNG at ``path``, whole or not at all.

    Raises ImportError when matplotlib is not installed.
    """
    fig = figure(entries, title)
    import matplotlib.pyplot

    plt: Any = matplotlib.pyplot

    target = Path(path)
    temp = target.with_name(f".{target.name}.part")
    try:
        fig.savefig(temp, format="png", dpi=100)
        os.replace(temp, target)  # a whole picture or none
    finally:
        plt.close(fig)
        temp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------
# A report for the physiotherapist: one page (PDF or PNG), or an HTML page


REPORT_FORMATS = ("pdf", "png", "html")
"""What ``pacer report`` writes, by the file's extension."""

DIZZY = "✱"
"""The mark of a walk ended early because the walker felt dizzy."""
DIZZY_COLOUR = "#7b2fa8"
PLAN_COLOUR = "#9aa5b1"
CADENCE_COLOUR = "#2a7f62"
TABLE_ROWS = 16
"""Walks listed by name on the one-page report (the most recent); every walk is in
its charts, and the HTML report lists them all."""


@dataclass(frozen=True)
class PlannedWeek:
    """One week against the plan: the level in force on its Monday (``None`` before
    the plan's first walk), and the plan's preset's walks in it."""

    start: date
    planned: Level | None
    walks: tuple[Entry, ...]

    @property
    def label(self) -> str:
        """``17 Nov``."""
        return _short_day(self.start)

    @property
    def minutes(self) -> float:
        """Minutes walked, to a tenth."""
        return round(sum(e.walked_minutes for e in self.walks), 1)

    @property
    def days(self) -> int:
        """Days with a walk."""
        return len({e.day for e in self.walks})

    @property
    def days_at_plan(self) -> int:
        """Days with a walk at least as long as the plan's minutes (what earns a step)."""
        if self.planned is None:
            return self.days
        return len({e.day for e in self.walks if e.walked_minutes >= self.planned.minutes - 0.01})

    @property
    def planned_minutes(self) -> float:
        """The plan's minutes for the week: minutes a walk times days a week."""
        return 0.0 if self.planned is None else self.planned.minutes * self.planned.days


@dataclass(frozen=True)
class ClinicReport:
    """What the physiotherapist's report shows (:func:`clinic_report` makes it).

    Attributes
    ----------
    preset:
        The programme the plan, adherence and suggestion are for.
    plan:
        Its plan (how it builds up over the weeks).
    walks:
        Every walk of the journal given, oldest first (all programmes).
    weeks:
        Each week from the first walk's to today's, against the plan.
    advice:
        What ``pacer next`` suggests now, and why.
    made:
        The day the report was made.
    own_cadence:
        The walker's own cadence as last measured (``pacer tap``), or ``None``.
    """

    preset: str
    plan: Plan
    walks: tuple[Entry, ...]
    weeks: tuple[PlannedWeek, ...]
    advice: Advice
    made: date
    own_cadence: Cadence | None = None

    @property
    def plan_words(self) -> str:
        """The plan in one sentence."""
        p = self.plan
        return (
            f"start at {p.start_minutes:g} minutes, {p.start_days} days a week; after each "
            f"good week {p.step_minutes:g} minutes more, up to {p.minutes_before_more_days:g}; "
            f"then one more day, up to {p.max_days}; then up to {p.max_minutes:g} minutes"
        )

    @property
    def period(self) -> str:
        """``4 walks, 3 Nov 2026 to 22 Nov 2026`` (or ``no walks recorded``)."""
        if not self.walks:
            return "no walks recorded"
        first, last = self.walks[0].date, self.walks[-1].date
        count = f"{len(self.walks)} walk{'s' if len(self.walks) != 1 else ''}"
        return f"{count}, {_day(first)} to {_day(last)}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _short_day(day: date) -> str:
    return f"{day.day} {day:%b}"


def clinic_report(
    entries: list[Entry],
    preset: str | None = None,
    today: date | None = None,
    plan: Plan | None = None,
    own_cadence: Cadence | None = None,
) -> ClinicReport:
    """The report for ``entries`` (a whole journal): the plan of ``preset`` (by default
    the programme of the most recent walk; ``plan`` overrides the built-in one),
    adherence per week, and the current suggestion, as of ``today``; ``own_cadence``
    is the walker's measured cadence, shown beside the cadence used."""
    from .plan import levels_by_week, next_walk, plan_for

    today = today or date.today()
    walks = tuple(sorted(entries, key=lambda e: (e.started, e.id or 0)))
    if preset is None:
        preset = walks[-1].preset if walks else "backward"
    plan = plan if plan is not None else plan_for(preset)
    levels = dict(levels_by_week(list(walks), preset, today, plan))
    weeks_out: list[PlannedWeek] = []
    if walks:
        first = walks[0].date - timedelta(days=walks[0].date.weekday())
        last = max(walks[-1].date, today)
        start = first
        while start <= last:
            mine = tuple(
                e
                for e in walks
                if e.preset == preset and start <= e.date < start + timedelta(days=7)
            )
            weeks_out.append(PlannedWeek(start, levels.get(start), mine))
            start += timedelta(days=7)
    advice = next_walk(list(walks), preset, today, plan)
    return ClinicReport(preset, plan, walks, tuple(weeks_out), advice, today, own_cadence)


def _flags(entry: Entry) -> list[str]:
    out = []
    if entry.dizzy:
        out.append("dizzy: ended early")
    elif entry.ended_early:
        out.append("ended early")
    if entry.faded:
        out.append("beat faded")
    if entry.source != "walk":
        out.append(f"logged ({entry.source})")
    return out


def _pace(entry: Entry) -> str:
    a, b = entry.spm_start, entry.spm_end
    if a is None and b is None:
        return MISSING
    if a is None or b is None or round(a, 1) == round(b, 1):
        return f"{(a if a is not None else b):g}"
    return f"{a:g}→{b:g}"


def walk_row(entry: Entry) -> tuple[str, str, str, str, str, str]:
    """A walk as the report lists it: date, programme, minutes walked (of planned),
    steps/min, pain, and what else is known (flags and the walker's note)."""
    minutes = f"{entry.walked_minutes:.0f} of {entry.planned_minutes:.0f}"
    notes = "; ".join([*_flags(entry), *([entry.note] if entry.note else [])])
    when = datetime.fromisoformat(entry.started)
    return (
        f"{when:%a} {when.day} {when:%b} {when:%H:%M}",
        entry.preset,
        minutes,
        _pace(entry),
        pain(entry) + (f" {DIZZY}" if entry.dizzy else ""),
        notes,
    )


WALK_COLUMNS = ("date", "programme", "minutes", "steps/min", "pain", "notes")


def clinic_figure(report: ClinicReport) -> Any:
    """The report as one A4 page, a matplotlib Figure (close it when done): the plan,
    the suggestion and why; minutes per week against the plan with days walked; the
    cadence of each walk; pain before and after each walk on the same dates, rises and
    dizziness marked; the most recent walks with their notes.

    Raises ImportError when matplotlib is not installed.
    """
    import matplotlib

    matplotlib.use("Agg")
    import textwrap

    import matplotlib.dates
    import matplotlib.pyplot
    import matplotlib.ticker

    mdates: Any = matplotlib.dates
    plt: Any = matplotlib.pyplot

    fig = plt.figure(figsize=(8.27, 11.69))
    grid = fig.add_gridspec(
        5,
        1,
        height_ratios=(1.55, 2.0, 1.3, 2.1, 3.3),
        hspace=0.55,
        left=0.09,
        right=0.96,
        top=0.975,
        bottom=0.02,
    )
    head = fig.add_subplot(grid[0])
    head.axis("off")
    advice = report.advice
    lines = [
        (f"Walking record: {report.preset}", 15, "bold"),
        (f"{report.period}. Made by pacer on {_day(report.made)}.", 9, "normal"),
        (f"Plan: {report.plan_words}.", 9, "normal"),
        (
            f"Suggested next: {advice.minutes:g} minutes, {advice.days_per_week} days a week"
            + (" (and see a professional if the pain persists)" if advice.see_professional else ""),
            10.5,
            "bold",
        ),
        (f"Why (rule {advice.rule}): {advice.reason}.", 9, "normal"),
    ]
    y = 1.0
    for text, size, weight in lines:
        wrapped = textwrap.fill(text, width=int(118 * 9 / size))
        head.text(0, y, wrapped, fontsize=size, weight=weight, va="top", transform=head.transAxes)
        y -= 0.17 * (wrapped.count("\n") + 1) * size / 9 + 0.04

    # Adherence: minutes per week against the plan, days walked of the plan's days, on
    # the same dates as the charts below (each week a bar from Monday to Sunday).
    bars = fig.add_subplot(grid[1])
    weeks_ = report.weeks
    if weeks_:
        monday = [datetime.combine(w.start, datetime.min.time()) for w in weeks_]
        bars.bar(
            monday,
            [w.planned_minutes for w in weeks_],
            width=6.6,
            align="edge",
            color="none",
            edgecolor=PLAN_COLOUR,
            hatch="//",
            linewidth=1,
            label="planned minutes",
        )
        bars.bar(
            [m + timedelta(days=1.5) for m in monday],
            [w.minutes for w in weeks_],
            width=3.6,
            align="edge",
            color=BAR_COLOUR,
            label="minutes walked",
        )
        top = max(max(w.planned_minutes, w.minutes) for w in weeks_) or 1
        for m, w in zip(monday, weeks_, strict=True):
            days = f"{w.days_at_plan}/{w.planned.days}" if w.planned else f"{w.days}"
            if w.start == report.made - timedelta(days=report.made.weekday()):
                days += " so far"
            bars.text(
                m + timedelta(days=3.3),
                max(w.planned_minutes, w.minutes) + top * 0.03,
                days,
                ha="center",
                fontsize=7,
            )
        bars.set_ylim(0, top * 1.25)
        bars.legend(loc="upper left", fontsize=7, ncols=2)
    else:
        bars.text(0.5, 0.5, "no walks recorded", ha="center", transform=bars.transAxes)
    bars.set_title(
        f"Adherence per week ({report.preset}): minutes walked against the plan; "
        "days at the plan's minutes / days planned",
        fontsize=9,
        loc="left",
    )
    bars.set_ylabel("minutes a week", fontsize=8)
    bars.tick_params(labelsize=7)
    bars.grid(axis="y", alpha=0.3)

    walks = report.walks
    when = [datetime.fromisoformat(e.started) for e in walks]
    cadence = fig.add_subplot(grid[2])
    paced = [(x, e) for x, e in zip(when, walks, strict=True) if e.spm_start or e.spm_end]
    for at, e in paced:
        values = [v for v in (e.spm_start, e.spm_end) if v is not None]
        cadence.plot([at] * len(values), values, "-", color=CADENCE_COLOUR, lw=1)
    if paced:
        cadence.plot(
            [x for x, _ in paced],
            [e.spm_start or e.spm_end for _, e in paced],
            "o",
            color=CADENCE_COLOUR,
            markersize=4,
            label="at the start",
        )
        ends = [(x, e.spm_end) for x, e in paced if e.spm_end is not None]
        cadence.plot(
            [x for x, _ in ends],
            [v for _, v in ends],
            "_",
            color="black",
            markersize=7,
            label="at the end",
        )
        cadence.legend(loc="upper left", fontsize=7, ncols=2)
        low = min(min(v for v in (e.spm_start, e.spm_end) if v) for _, e in paced)
        high = max(max(v for v in (e.spm_start, e.spm_end) if v) for _, e in paced)
        cadence.set_ylim(low - 8, high + 12)
    else:
        cadence.text(0.5, 0.5, "no cadence recorded", ha="center", transform=cadence.transAxes)
    own = report.own_cadence
    if own is not None:
        cadence.axhline(own.steps_per_minute, color="#555555", ls="--", lw=0.8)
        cadence.text(
            0.995,
            own.steps_per_minute,
            f"your own cadence {own.steps_per_minute:.0f} ({own.how}, {own.measured[:10]})",
            transform=cadence.get_yaxis_transform(),
            ha="right",
            va="bottom",
            fontsize=7,
            color="#555555",
        )
        if paced:
            low, high = cadence.get_ylim()
            cadence.set_ylim(
                min(low, own.steps_per_minute - 8), max(high, own.steps_per_minute + 12)
            )
    cadence.set_title("Cadence used (steps/min)", fontsize=9, loc="left")
    cadence.tick_params(labelsize=7)
    cadence.grid(axis="y", alpha=0.3)

    hurt = fig.add_subplot(grid[3], sharex=cadence if paced else None)
    for e, at in zip(walks, when, strict=True):
        if e.scored:
            colour = RISE_COLOUR if e.pain_rose else "#888888"
            hurt.plot([at, at], [e.pain_before, e.pain_after], "-", color=colour, lw=1.5)
    marks = (
        (
            [
                (x, e.pain_before)
                for e, x in zip(walks, when, strict=True)
                if e.pain_before is not None
            ],
            "o",
            BEFORE_COLOUR,
            "pain before",
            7,
        ),
        (
            [
                (x, e.pain_after)
                for e, x in zip(walks, when, strict=True)
                if e.pain_after is not None
            ],
            "s",
            AFTER_COLOUR,
            "pain after",
            4,
        ),
        (
            [(x, e.pain_after) for e, x in zip(walks, when, strict=True) if e.pain_rose],
            "^",
            RISE_COLOUR,
            f"pain rose {RISE}",
            9,
        ),
        (
            [(x, 10.9) for e, x in zip(walks, when, strict=True) if e.dizzy],
            "*",
            DIZZY_COLOUR,
            f"dizzy: ended early {DIZZY}",
            11,
        ),
    )
    for points, marker, colour, label, size in marks:
        if points:
            px, py = zip(*points, strict=True)
            hurt.plot(
                px,
                py,
                marker,
                color=colour,
                label=label,
                markersize=size,
                ls="none",
                markerfacecolor="none" if marker == "o" else colour,
                markeredgewidth=1.3,
            )
    hurt.set_ylim(-0.5, 13.8)  # room at the top for the key, above the dizzy marks
    hurt.set_yticks(range(0, 11, 2))
    hurt.set_title("Pain before and after each walk (0-10)", fontsize=9, loc="left")
    hurt.tick_params(labelsize=7)
    hurt.grid(axis="y", alpha=0.3)
    if any(points for points, *_ in marks):
        hurt.legend(loc="upper left", fontsize=7, ncols=4)
    else:
        hurt.text(0.5, 0.5, "no pain scores recorded", ha="center", transform=hurt.transAxes)
    if when:
        # Every chart on the same dates: from the first walk's Monday to the end of
        # this week.
        first = report.weeks[0].start if report.weeks else min(when).date()
        left = datetime.combine(first, datetime.min.time())
        right = datetime.combine(
            max(max(when).date(), report.made) + timedelta(days=7 - report.made.weekday()),
            datetime.min.time(),
        )
        for axes in (bars, cadence, hurt):
            axes.set_xlim(left, right)
        for axes in (bars, cadence, hurt):
            every = max(1, -(-len(report.weeks) // 10))
            axes.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO, interval=every))
            axes.xaxis.set_major_formatter(
                matplotlib.ticker.FuncFormatter(
                    lambda value, _: _short_day(mdates.num2date(value).date())
                )
            )

    table = fig.add_subplot(grid[4])
    table.axis("off")
    shown = walks[-TABLE_ROWS:]
    rows = [list(walk_row(e)) for e in reversed(shown)]
    for row in rows:
        row[5] = textwrap.shorten(row[5], 60, placeholder="…")
    title = "Walks, most recent first"
    if len(walks) > len(shown):
        title += f" ({len(shown)} of {len(walks)}; all of them are in the charts)"
    table.set_title(title, fontsize=9, loc="left")
    if rows:
        height = min(0.95, 0.055 * (len(rows) + 1))
        cells = table.table(
            cellText=rows,
            colLabels=list(WALK_COLUMNS),
            bbox=(0, 0.98 - height, 1, height),
            cellLoc="left",
            colLoc="left",
            colWidths=(0.17, 0.12, 0.1, 0.1, 0.1, 0.41),
        )
        cells.auto_set_font_size(False)
        cells.set_fontsize(7)
        for (r, _), cell in cells.get_celld().items():
            cell.set_linewidth(0.3)
            cell.PAD = 0.008 / cell.get_width()  # the same small margin in every column
            if r == 0:
                cell.set_text_props(weight="bold")
    table.text(
        0,
        -0.02,
        "pacer gives pacing and reminders, not medical advice.",
        fontsize=7,
        color="#555555",
        transform=table.transAxes,
        va="top",
    )
    return fig


def write_clinic_report(report: ClinicReport, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` to ``path``, whole or not at all: ``.pdf`` and ``.png`` (one
    page, drawn by matplotlib) or ``.html`` (needs no matplotlib). Returns the path.

    Raises ImportError for a PDF or PNG when matplotlib is not installed, and
    :class:`~pacer.errors.SettingsError` for another extension.
    """
    from .errors import SettingsError

    target = Path(path)
    kind = target.suffix.lower().lstrip(".")
    if kind not in REPORT_FORMATS:
        raise SettingsError(
            f"report: {target.name!r} is not a report file; use a name ending in "
            f"{', '.join('.' + k for k in REPORT_FORMATS)}",
            "report",
        )
    temp = target.with_name(f".{target.name}.part")
    try:
        if kind == "html":
            temp.write_text(clinic_html(report), encoding="utf-8")
        else:
            import matplotlib.pyplot

            plt: Any = matplotlib.pyplot
            fig = clinic_figure(report)
            try:
                fig.savefig(temp, format=kind, dpi=110)
            finally:
                plt.close(fig)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target


# -- HTML, with charts drawn as inline SVG (no matplotlib needed) -------------------------

_W, _PAD_L, _PAD_R = 720, 44, 12


def _svg(height: int, body: list[str], label: str) -> str:
    return (
        f'<svg viewBox="0 0 {_W} {height}" width="{_W}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="sans-serif" font-size="11">' + "".join(body) + "</svg>"
    )


def _y_axis(top: int, bottom: int, lo: float, hi: float, ticks: list[float]) -> list[str]:
    out = []
    for t in ticks:
        y = bottom - (t - lo) / (hi - lo) * (bottom - top)
        out.append(
            f'<line x1="{_PAD_L}" x2="{_W - _PAD_R}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{_PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end">{t:g}</text>'
        )
    return out


def _nice_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values from ``lo`` to ``hi``: steps of 1, 2 or 5 times a power of
    ten, at most ``most`` of them."""
    import math

    span = max(hi - lo, 1e-9)
    step = 10 ** math.floor(math.log10(span / most))
    for factor in (1, 2, 5, 10):
        if span / (step * factor) <= most:
            step *= factor
            break
    first = math.ceil(lo / step) * step
    return [round(first + i * step, 6) for i in range(int((hi - first) / step) + 1)]


def _adherence_svg(report: ClinicReport) -> str:
    weeks_ = report.weeks
    top, bottom, height = 18, 170, 200
    if not weeks_:
        return _svg(40, ['<text x="10" y="25">no walks recorded</text>'], "adherence")
    most = max(max(w.planned_minutes, w.minutes) for w in weeks_) or 1
    hi = most * 1.2
    body = _y_axis(top, bottom, 0, hi, _nice_ticks(0, hi))
    slot = (_W - _PAD_L - _PAD_R) / len(weeks_)
    every = max(1, -(-len(weeks_) // 14))
    for i, w in enumerate(weeks_):
        x = _PAD_L + i * slot
        for value, frac, style in (
            (w.planned_minutes, 0.8, f'fill="none" stroke="{PLAN_COLOUR}" stroke-dasharray="3 2"'),
            (w.minutes, 0.5, f'fill="{BAR_COLOUR}"'),
        ):
            h = value / hi * (bottom - top)
            body.append(
                f'<rect x="{x + slot * (1 - frac) / 2:.1f}" y="{bottom - h:.1f}" '
                f'width="{slot * frac:.1f}" height="{h:.1f}" {style}>'
                f"<title>{escape(w.label)}: {value:g} minutes</title></rect>"
            )
        days = f"{w.days_at_plan}/{w.planned.days}" if w.planned else f"{w.days}"
        y = bottom - max(w.planned_minutes, w.minutes) / hi * (bottom - top) - 4
        body.append(f'<text x="{x + slot / 2:.1f}" y="{y:.1f}" text-anchor="middle">{days}</text>')
        if i % every == 0:
            body.append(
                f'<text x="{x + slot / 2:.1f}" y="{bottom + 16}" text-anchor="middle">'
                f"{escape(w.label)}</text>"
            )
    return _svg(height, body, "minutes walked per week against the plan")


def _time_axis(report: ClinicReport) -> tuple[datetime, datetime]:
    """From the first walk's Monday to the end of the week of the last walk or today."""
    first = min(e.date for e in report.walks)
    last = max(max(e.date for e in report.walks), report.made)
    left = first - timedelta(days=first.weekday())
    right = last + timedelta(days=7 - last.weekday())
    return datetime.combine(left, datetime.min.time()), datetime.combine(right, datetime.min.time())


def _x(at: datetime, span: tuple[datetime, datetime]) -> float:
    left, right = span
    return _PAD_L + (at - left) / (right - left) * (_W - _PAD_L - _PAD_R)


def _date_ticks(span: tuple[datetime, datetime], bottom: int) -> list[str]:
    left, right = span
    weeks_ = (right - left).days // 7
    step = 7 * max(1, -(-weeks_ // 10))
    out = []
    day = left.date()  # a Monday
    while datetime.combine(day, datetime.min.time()) < right:
        x = _x(datetime.combine(day, datetime.min.time()), span)
        out.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{day.day} {day:%b}</text>'
        )
        day += timedelta(days=step)
    return out


def _cadence_svg(report: ClinicReport) -> str:
    paced = [e for e in report.walks if e.spm_start is not None or e.spm_end is not None]
    if not paced:
        return _svg(40, ['<text x="10" y="25">no cadence recorded</text>'], "cadence")
    top, bottom, height = 12, 120, 150
    values = [v for e in paced for v in (e.spm_start, e.spm_end) if v is not None]
    lo, hi = min(values) - 8, max(values) + 8
    body = _y_axis(top, bottom, lo, hi, _nice_ticks(lo, hi, 5))
    span = _time_axis(report)

    def y(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    for e in paced:
        x = _x(datetime.fromisoformat(e.started), span)
        start = e.spm_start if e.spm_start is not None else e.spm_end
        assert start is not None
        if e.spm_end is not None and e.spm_end != start:
            body.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y(start):.1f}" y2="{y(e.spm_end):.1f}" '
                f'stroke="{CADENCE_COLOUR}"/>'
            )
        body.append(
            f'<circle cx="{x:.1f}" cy="{y(start):.1f}" r="3.5" fill="{CADENCE_COLOUR}">'
            f"<title>{escape(e.day)}: {_pace(e)} steps/min</title></circle>"
        )
    return _svg(height, body + _date_ticks(span, bottom), "cadence of each walk")


def _pain_svg(report: ClinicReport) -> str:
    top, bottom, height = 14, 190, 220
    body = _y_axis(top, bottom, 0, 11, [0, 2, 4, 6, 8, 10])
    span = _time_axis(report)

    def y(v: float) -> float:
        return bottom - v / 11 * (bottom - top)

    for e in report.walks:
        x = _x(datetime.fromisoformat(e.started), span)
        tip = escape(f"{e.day}: pain {pain(e)}" + (", dizzy: ended early" if e.dizzy else ""))
        if e.scored:
            assert e.pain_before is not None and e.pain_after is not None
            colour = RISE_COLOUR if e.pain_rose else "#888"
            body.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y(e.pain_before):.1f}" '
                f'y2="{y(e.pain_after):.1f}" stroke="{colour}" stroke-width="1.5"/>'
            )
        if e.pain_before is not None:
            body.append(
                f'<circle class="before" cx="{x:.1f}" cy="{y(e.pain_before):.1f}" r="4.5" '
                f'fill="none" stroke="{BEFORE_COLOUR}" stroke-width="1.5"><title>{tip}</title>'
                "</circle>"
            )
        if e.pain_after is not None:
            body.append(
                f'<rect class="after" x="{x - 3:.1f}" y="{y(e.pain_after) - 3:.1f}" width="6" '
                f'height="6" fill="{AFTER_COLOUR}"><title>{tip}</title></rect>'
            )
        if e.pain_rose:
            assert e.pain_after is not None
            body.append(
                f'<text class="rise" x="{x:.1f}" y="{y(e.pain_after) - 7:.1f}" '
                f'text-anchor="middle" fill="{RISE_COLOUR}">{RISE}</text>'
            )
        if e.dizzy:
            body.append(
                f'<text class="dizzy" x="{x:.1f}" y="{y(10.7):.1f}" text-anchor="middle" '
                f'font-size="15" fill="{DIZZY_COLOUR}">{DIZZY}<title>{tip}</title></text>'
            )
    return _svg(height, body + _date_ticks(span, bottom), "pain before and after each walk")


_CSS = """
body { font-family: sans-serif; max-width: 760px; margin: 1.5em auto; color: #222; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; } h2 { font-size: 1.05em; margin: 1.2em 0 0.3em; }
p { margin: 0.3em 0; } .advice { font-weight: bold; font-size: 1.1em; }
table { border-collapse: collapse; font-size: 0.85em; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
.key span { margin-right: 1.2em; } .small { color: #555; font-size: 0.85em; }
@media print { body { margin: 0; } }
"""


def clinic_html(report: ClinicReport) -> str:
    """The report as one self-contained HTML page (charts as inline SVG; no
    matplotlib needed), listing every walk."""
    advice = report.advice
    professional = (
        " (and see a professional if the pain persists)" if advice.see_professional else ""
    )
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in walk_row(e)) + "</tr>"
        for e in reversed(report.walks)
    )
    weeks_rows = "".join(
        f"<tr><td>{escape(w.label)}</td><td>{w.minutes:g}</td>"
        f"<td>{w.planned_minutes:g}</td><td>{w.days_at_plan}</td>"
        f"<td>{w.planned.days if w.planned else MISSING}</td>"
        f"<td>{escape(_level(w.planned))}</td></tr>"
        for w in report.weeks
    )
    head = "".join(f"<th>{escape(c)}</th>" for c in WALK_COLUMNS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Walking record: {escape(report.preset)}</title><style>{_CSS}</style></head>
<body>
<h1>Walking record: {escape(report.preset)}</h1>
<p class="small">{escape(report.period)}. Made by pacer on {escape(_day(report.made))}.</p>
<p>Plan: {escape(report.plan_words)}.</p>
<p class="advice">Suggested next: {advice.minutes:g} minutes, {advice.days_per_week} days a
week{escape(professional)}</p>
<p>Why (rule {advice.rule}): {escape(advice.reason)}.</p>
<h2>Adherence per week ({escape(report.preset)})</h2>
<p class="small key"><span>green: minutes walked</span><span>dashed: the plan's minutes
</span><span>above: days at the plan's minutes / days planned</span></p>
{_adherence_svg(report)}
<table><tr><th>week of</th><th>minutes walked</th><th>minutes planned</th>
<th>days at the plan</th><th>days planned</th><th>plan</th></tr>{weeks_rows}</table>
<h2>Cadence used (steps/min)</h2>
{_own_cadence(report)}
{_cadence_svg(report) if report.walks else "<p>no walks recorded</p>"}
<h2>Pain before and after each walk (0-10)</h2>
<p class="small key"><span>○ before</span><span>■ after</span>
<span style="color:{RISE_COLOUR}">{RISE} pain rose</span>
<span style="color:{DIZZY_COLOUR}">{DIZZY} dizzy: ended early</span></p>
{_pain_svg(report) if report.walks else "<p>no walks recorded</p>"}
<h2>Walks, most recent first ({len(report.walks)})</h2>
<table><tr>{head}</tr>{rows}</table>
<p class="small">pacer gives pacing and reminders, not medical advice.</p>
</body></html>
"""


def _own_cadence(report: ClinicReport) -> str:
    own = report.own_cadence
    if own is None:
        return ""
    return (
        f"<p>Your own cadence, as last measured ({escape(own.how)}, "
        f"{escape(own.measured[:10])}): {own.steps_per_minute:.0f} steps/min.</p>"
    )


def _level(level: Level | None) -> str:
    if level is None:
        return MISSING
    return f"{level.minutes:g} min, {level.days} days a week"
