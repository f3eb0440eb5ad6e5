"""The journal as people and programs read it: weekly totals by date, pain before and
after each walk with rises marked, a small bar chart for the terminal, CSV and JSON,
and an optional picture (matplotlib)."""

from __future__ import annotations

import contextvars
import csv
import functools
import io
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from html import escape
from pathlib import Path
from typing import Any

from .errors import SettingsError
from .journal import COLUMNS, Cadence, Entry, expect_entries
from .plan import Advice, Level, PaceAdvice, minutes_words
from .presets import Plan
from .session import expect_path, pace_text

__all__ = [
    "FAR_DAYS",
    "STRAY_MOST",
    "ahead_words",
    "counted_today",
    "PLOT_FORMATS",
    "REPORT_FORMATS",
    "ClinicReport",
    "PainMarks",
    "Period",
    "PlannedWeek",
    "date_ticks",
    "days_key",
    "drawable",
    "drawn_walks",
    "fonts_for",
    "how_it_went",
    "programme_words",
    "programmes",
    "pain_marks",
    "period_marks",
    "planned_weeks",
    "clinic_figure",
    "clinic_html",
    "clinic_report",
    "visible",
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
    "periods",
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
    entries = expect_entries(entries)
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
    entries = expect_entries(entries)
    # Plain values only, so no deep copy (asdict) is needed: quick on a long journal.
    return [{"id": e.id, **{k: getattr(e, k) for k in COLUMNS}} for e in entries]


def visible(text: str) -> str:
    """``text`` with each control character (escape, bell, carriage return, line
    break...) as its visible picture (``␛``, ``␇``, ``␍``, ``␊``), so an export
    written raw can neither drive a terminal nor break a page or a row."""
    out = []
    for c in text:
        n = ord(c)
        if n < 0x20:
            out.append(chr(0x2400 + n))
        elif n == 0x7F:
            out.append("␡")
        elif 0x80 <= n < 0xA0:
            out.append("\ufffd")
        else:
            out.append(c)
    return "".join(out)


FORMULA_STARTS = ("=", "+", "-", "@")
"""How a spreadsheet's formula begins: a CSV text cell beginning so is written after a
single quote (``'=1+1``), so opening the export runs nothing."""


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        shown = visible(value)
        return "'" + shown if shown.startswith(FORMULA_STARTS) else shown
    return value


def as_csv(entries: list[Entry]) -> str:
    """Every entry as CSV with a header row: ``id`` then the journal's columns; a
    text's control characters shown (:func:`visible`), and a text cell that a
    spreadsheet would run as a formula begun with a single quote."""
    entries = expect_entries(entries)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *COLUMNS])
    for record in as_records(entries):
        writer.writerow([_csv_cell(record[k]) for k in ["id", *COLUMNS]])
    return out.getvalue()


BEFORE_COLOUR = "#3a6fb0"
AFTER_COLOUR = "#e08a1e"
RISE_COLOUR = "#d62020"
BAR_COLOUR = "#4a7"
OTHER_COLOUR = "#b9dcc7"
PLAN_COLOUR = "#9aa5b1"
CADENCE_COLOUR = "#2a7f62"
DIZZY = "✱"
"""The mark of a walk ended early because the walker felt dizzy."""
DIZZY_COLOUR = "#7b2fa8"
EARLY = "▼"
"""The mark of a walk ended early (for another reason than dizziness)."""
EARLY_COLOUR = "#333333"
UNSCORED = "×"
"""The mark of a walk with no pain score at all."""
UNSCORED_COLOUR = "#888888"

PLOT_FORMATS = ("png", "pdf", "svg")
"""What ``pacer history --plot`` writes, by the file's extension."""
REPORT_FORMATS = ("pdf", "png", "html")
"""What ``pacer report`` writes, by the file's extension."""
FAR_DAYS = 182
"""A walk or two more than this many days before all later walks (a mistyped year)
are left out of the charts and named under them, so the charts' dates stay readable;
the tables and exports keep every walk. More walks than :data:`STRAY_MOST` before
such a gap are an earlier programme of walks, and are drawn."""
STRAY_MOST = 2
"""The most walks before a long gap (:data:`FAR_DAYS`) that the charts leave out as
mistyped dates: a block of more is a real earlier time of walking, never hidden."""
NO_WALKS = "no walks yet"


def days_key(kind: str = "week") -> str:
    """What the numbers above each bar mean, said in every picture that has them: a
    bar is a ``week``, ``month`` or ``quarter`` (:class:`Period`)."""
    return f"above each {kind}: days walked at the plan's minutes / days planned"


DAYS_KEY = days_key()
"""What the numbers above each week's bars mean."""
LANES = {"unscored": -1.0, "early": -2.2, "dizzy": -3.4}
"""Where, under the pain scale's 0, the charts mark the walks with no pain score, those
that ended early, and those ended because the walker felt dizzy: a row each, so no
mark ever hides another kind's."""
LANE = LANES["early"]
"""The middle of those rows, labelled "walk"."""
LANES_TOP = -0.45
"""The line between the pain scale and the rows of marked walks."""
RISE_ABOVE = 1.3
"""How far above the pain after a walk its rise mark (▲) is drawn, so the square of
the pain after stays in sight."""
TABLE_ROWS = 16
"""Walks listed by name on the one-page report (the most recent); every walk is in
its charts, and the HTML report lists them all."""


def drawn_walks(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """The walks the charts draw and those they leave out, both oldest first: only a
    walk or two (at most :data:`STRAY_MOST`) more than :data:`FAR_DAYS` before all
    the later walks are left out (a mistyped year); an earlier block of walks, however
    long ago, is drawn."""
    walks = sorted(entries, key=lambda e: (e.started, e.id or 0))
    cut = 0
    for i in range(1, min(len(walks), STRAY_MOST + 1)):
        if (walks[i].date - walks[i - 1].date).days > FAR_DAYS:
            cut = i
    return walks[cut:], walks[:cut]


def counted_today(entries: list[Entry], today: date) -> tuple[list[Entry], list[Entry]]:
    """``entries`` as every picture and table counts them, and those dated after
    ``today`` as recorded: a walk dated after ``today`` (a clock set ahead, a change
    of time zone) counts as walked at the end of ``today``, as ``pacer next`` counts
    it, so no chart draws a week still to come and no report is dated after it was
    made."""
    late = f"{today.isoformat()}T23:59:59"
    ahead = [e for e in entries if e.date > today]
    if not ahead:
        return list(entries), []
    return [replace(e, started=late) if e.date > today else e for e in entries], ahead


def ahead_words(ahead: list[Entry] | tuple[Entry, ...]) -> str:
    """What a picture or table says of the walks dated after today
    (:func:`counted_today`); empty without."""
    if not ahead:
        return ""
    latest = max(e.date for e in ahead)
    walks = "1 walk is" if len(ahead) == 1 else f"{len(ahead)} walks are"
    return (
        f"{walks} dated after today (the latest {_day(latest)}; a clock set ahead or a "
        "change of time zone?): counted as walked today, as pacer next counts them."
    )


def far_words(far: list[Entry] | tuple[Entry, ...]) -> str:
    """Under a chart: the walks left out of it, by date (and id), and why."""
    if not far:
        return ""
    days = " and ".join(_day(e.date) + (f" (walk {e.id})" if e.id is not None else "") for e in far)
    count = "1 walk" if len(far) == 1 else f"{len(far)} walks"
    return (
        f"Not drawn: {count} more than {FAR_DAYS // 30} months before all the others, on "
        f"{days} (a mistyped date? pacer log --id ID --date YYYY-MM-DD corrects it, "
        "pacer log --delete ID removes it)."
    )


@dataclass(frozen=True)
class PlannedWeek:
    """One week against the plan: the level in force on its Monday (``None`` before
    the plan's first walk), the plan's preset's walks in it, and (for the history
    picture) the walks of other programmes."""

    start: date
    planned: Level | None
    walks: tuple[Entry, ...]
    others: tuple[Entry, ...] = ()

    @property
    def label(self) -> str:
        """``17 Nov``."""
        return _short_day(self.start)

    @property
    def minutes(self) -> float:
        """Minutes walked, to a tenth."""
        return round(sum(e.walked_minutes for e in self.walks), 1)

    @property
    def other_minutes(self) -> float:
        """Minutes walked in other programmes, to a tenth."""
        return round(sum(e.walked_minutes for e in self.others), 1)

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

    def days_label(self, today: date | None = None) -> str:
        """``2/3``: days at the plan's minutes of days planned (``2`` with no plan yet);
        ``so far`` in ``today``'s week; empty for a week before the plan began without
        walks of this programme (a bare 0 would say nothing)."""
        if self.planned is None and not self.walks:
            return ""
        text = f"{self.days_at_plan}/{self.planned.days}" if self.planned else f"{self.days}"
        if today is not None and self.start == today - timedelta(days=today.weekday()):
            text += " so far"
        return text


def planned_weeks(
    entries: list[Entry],
    preset: str,
    today: date,
    plan: Plan | None = None,
    *,
    others: bool = False,
) -> tuple[PlannedWeek, ...]:
    """Every week the charts draw (:func:`drawn_walks`), Monday to Sunday, up to
    ``today``'s: ``preset``'s walks in it against the plan in force on its Monday
    (what ``pacer next`` would have said then); with ``others``, the walks of other
    programmes too. The one source of the weekly bars of every picture."""
    from .plan import levels_by_week, plan_for

    shown, _ = drawn_walks(entries)
    if not shown:
        return ()
    plan = plan if plan is not None else plan_for(preset)
    levels = dict(levels_by_week(list(entries), preset, today, plan))
    start = shown[0].date - timedelta(days=shown[0].date.weekday())
    last = max(shown[-1].date, today)
    by_week: dict[date, list[Entry]] = {}
    for e in shown:  # one pass: a ten-year journal has 520 weeks
        day = e.date
        by_week.setdefault(day - timedelta(days=day.weekday()), []).append(e)
    out: list[PlannedWeek] = []
    while start <= last:
        end = start + timedelta(days=7)
        week = by_week.get(start, [])
        out.append(
            PlannedWeek(
                start,
                levels.get(start),
                tuple(e for e in week if e.preset == preset),
                tuple(e for e in week if e.preset != preset) if others else (),
            )
        )
        start = end
    return tuple(out)


MOST_BARS = 27
"""The most bars the weekly chart draws: half a year of weeks; a longer time is drawn
by month, then by quarter (ten years: 41 quarters)."""


@dataclass(frozen=True)
class Period:
    """One bar of the minutes chart: a week, or the weeks that begin in one month or
    one quarter (so a bar always holds whole weeks and its plan), from its first
    Monday to the end of its last week."""

    kind: str
    """``week``, ``month`` or ``quarter``."""
    weeks: tuple[PlannedWeek, ...]

    @property
    def start(self) -> date:
        return self.weeks[0].start

    @property
    def end(self) -> date:
        """The day after its last week."""
        return self.weeks[-1].start + timedelta(days=7)

    @property
    def label(self) -> str:
        """``17 Nov`` (a week by its Monday), ``Nov 2026``, ``Oct-Dec 2026``."""
        day = self.start
        if self.kind == "week":
            return _short_day(day)
        if self.kind == "month":
            return f"{day:%b %Y}"
        first = (day.month - 1) // 3 * 3 + 1
        return f"{date(2000, first, 1):%b}-{date(2000, first + 2, 1):%b} {day.year}"

    @property
    def walks(self) -> tuple[Entry, ...]:
        return tuple(e for w in self.weeks for e in w.walks)

    @property
    def others(self) -> tuple[Entry, ...]:
        return tuple(e for w in self.weeks for e in w.others)

    @property
    def minutes(self) -> float:
        """Minutes walked, to a tenth."""
        return round(sum(w.minutes for w in self.weeks), 1)

    @property
    def other_minutes(self) -> float:
        """Minutes walked in other programmes, to a tenth."""
        return round(sum(w.other_minutes for w in self.weeks), 1)

    @property
    def planned_minutes(self) -> float:
        """The plan's minutes for its weeks."""
        return sum(w.planned_minutes for w in self.weeks)

    @property
    def days_at_plan(self) -> int:
        """Days with a walk at least as long as the plan's minutes of its week."""
        return sum(w.days_at_plan for w in self.weeks)

    @property
    def planned_days(self) -> int | None:
        """The days its weeks' plans asked for (``None`` before the plan began)."""
        planned = [w.planned.days for w in self.weeks if w.planned is not None]
        return sum(planned) if planned else None

    def days_label(self, today: date | None = None) -> str:
        """As :meth:`PlannedWeek.days_label`, for all its weeks: ``11/13``, ``so far``
        when ``today``'s week is in it."""
        if len(self.weeks) == 1:
            return self.weeks[0].days_label(today)
        planned = self.planned_days
        if planned is None and not self.walks:
            return ""
        text = f"{self.days_at_plan}/{planned}" if planned is not None else str(self.days_at_plan)
        if today is not None and self.start <= today < self.end:
            text += " so far"
        return text


def _period_of(kind: str, day: date) -> tuple[int, int]:
    if kind == "week":
        return (day.toordinal(), 0)
    if kind == "month":
        return (day.year, day.month)
    return (day.year, (day.month - 1) // 3)


def periods(weeks_: tuple[PlannedWeek, ...], most: int = MOST_BARS) -> tuple[Period, ...]:
    """The bars the minutes chart draws for ``weeks_``: one a week while at most
    ``most`` weeks, else one a month while at most ``most`` months, else one a
    quarter. Each week is in exactly one bar (the one its Monday falls in)."""
    for kind in ("week", "month", "quarter"):
        groups: dict[tuple[int, int], list[PlannedWeek]] = {}
        for w in weeks_:
            groups.setdefault(_period_of(kind, w.start), []).append(w)
        if len(groups) <= most or kind == "quarter":
            return tuple(Period(kind, tuple(ws)) for ws in groups.values())
    raise AssertionError("unreachable")


UPRIGHT_FROM = 14
"""With more bars than this, or bars of months or quarters (their numbers are longer), the
days above each bar are written upright, so they fit."""
TICK_ROOM = 100
"""About how many characters of tick labels a chart's date axis holds, gaps included."""


def date_ticks(left: date, right: date, today: date) -> tuple[tuple[date, str], ...]:
    """Where the date axis from ``left`` to ``right`` is labelled, and how: Mondays
    (``17 Nov``), the first of a month (``Nov 2026``) or of a year (``2026``), the
    finest that fits the axis (:data:`TICK_ROOM`) with at least two labels; the year
    on every label when the dates cross one, or are not ``today``'s year. The one
    source of the ticks of every picture."""
    with_year = left.year != (right - timedelta(days=1)).year or left.year != today.year

    def mondays(every: int) -> list[tuple[date, str]]:
        day = left + timedelta(days=-left.weekday() % 7)
        out = []
        while day <= right:
            out.append((day, _tick(day, with_year)))
            day += timedelta(days=7 * every)
        return out

    def months(every: int) -> list[tuple[date, str]]:
        out: list[tuple[date, str]] = []
        year, month = left.year, left.month
        while True:
            day = date(year, month, 1)
            if day > right:
                return out
            if day >= left and (month - 1) % every == 0:
                out.append((day, f"{day:%b %Y}" if with_year else f"{day:%b}"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def years(every: int) -> list[tuple[date, str]]:
        return [
            (date(y, 1, 1), str(y))
            for y in range(left.year, right.year + 1)
            if y % every == 0 and left <= date(y, 1, 1) <= right
        ]

    candidates: list[tuple[Callable[[int], list[tuple[date, str]]], int]] = [
        *((mondays, k) for k in (1, 2, 4)),
        *((months, k) for k in (1, 2, 3, 6)),
        *((years, k) for k in (1, 2, 5, 10)),
    ]
    finer: list[tuple[date, str]] = []
    for make, every in candidates:
        ticks = make(every)
        if sum(len(text) + 4 for _, text in ticks) <= TICK_ROOM:
            # Fewer than two labels say no span: then the finer ones before, if any.
            return tuple(ticks if len(ticks) >= 2 or not finer else finer)
        finer = ticks
    return tuple(finer)


@dataclass(frozen=True)
class PainMarks:
    """What a pain chart draws, as (time, score) points: one source for every picture.

    ``changes`` joins before and after of each walk with both scores (``True`` when
    pain rose); ``dizzy``, ``ended_early`` (for another reason) and ``unscored`` (no
    score at all) are walks marked under the scale, each kind on its row of :data:`LANES`."""

    before: tuple[tuple[datetime, float], ...]
    after: tuple[tuple[datetime, float], ...]
    rises: tuple[tuple[datetime, float], ...]
    changes: tuple[tuple[datetime, int, int, bool], ...]
    dizzy: tuple[datetime, ...]
    ended_early: tuple[datetime, ...]
    unscored: tuple[datetime, ...]
    per: str = ""
    """``""``: a mark for each walk; ``month`` or ``quarter``: each mark is of the
    walks of a bar of the minutes chart (:func:`period_marks`)."""
    ranges: tuple[tuple[datetime, int, int, bool], ...] = ()
    """For each bar, the lowest and highest pain before (``False``) and after
    (``True``) its walks, beside the median's mark."""
    rise_counts: tuple[tuple[datetime, float, int], ...] = ()
    """For each bar with rises, where its ▲ is and how many walks it stands for."""

    @property
    def heading(self) -> str:
        """What a mark stands for, said above the chart when it is of a bar's walks
        (empty for a mark a walk)."""
        if not self.per:
            return ""
        return f"a mark a {self.per}: median, line: range, number over {RISE}: rises"


PERIOD_MARKS_FROM = ("month", "quarter")
"""Bars of these kinds (:func:`periods`) have the pain chart marked per bar, not per
walk (ten years are 3 650 walks: a mark each would be a smear)."""


def period_marks(bars: tuple[Period, ...], walks: list[Entry] | tuple[Entry, ...]) -> PainMarks:
    """The pain chart of ``walks`` by the bars of the minutes chart: for each bar, the
    median pain before (left of its middle) and after (right), each with its range;
    a ▲ above the highest pain after, with how many of its walks pain rose after;
    and a mark on each row under the scale that some of its walks belong to (dizzy,
    ended early, no score). Per walk (:func:`pain_marks`) while the bars are weeks."""
    import statistics

    if not bars or bars[0].kind not in PERIOD_MARKS_FROM:
        return pain_marks(walks)
    ordered = sorted(walks, key=lambda e: e.started)
    before: list[tuple[datetime, float]] = []
    after: list[tuple[datetime, float]] = []
    rises: list[tuple[datetime, float]] = []
    counts: list[tuple[datetime, float, int]] = []
    ranges: list[tuple[datetime, int, int, bool]] = []
    lanes: dict[str, list[datetime]] = {"dizzy": [], "early": [], "unscored": []}
    at = 0
    for bar in bars:
        group = []
        while at < len(ordered) and ordered[at].date < bar.end:
            if ordered[at].date >= bar.start:
                group.append(ordered[at])
            at += 1
        middle = _midnight(bar.start) + (bar.end - bar.start) / 2
        side = (bar.end - bar.start) * 0.15
        for scores, x, out, is_after in (
            (
                [e.pain_before for e in group if e.pain_before is not None],
                middle - side,
                before,
                False,
            ),
            ([e.pain_after for e in group if e.pain_after is not None], middle + side, after, True),
        ):
            if scores:
                out.append((x, statistics.median(scores)))
                ranges.append((x, min(scores), max(scores), is_after))
        rose = [e for e in group if e.pain_rose and e.pain_after is not None]
        if rose:
            top = max(e.pain_after for e in rose if e.pain_after is not None)
            rises.append((middle + side, top))
            counts.append((middle + side, top + RISE_ABOVE, len(rose)))
        for kind, hit in (
            ("dizzy", any(e.dizzy for e in group)),
            ("early", any(e.ended_early and not e.dizzy for e in group)),
            ("unscored", any(_unscored(e) for e in group)),
        ):
            if hit:
                lanes[kind].append(middle)
    return PainMarks(
        tuple(before),
        tuple(after),
        tuple(rises),
        (),
        tuple(lanes["dizzy"]),
        tuple(lanes["early"]),
        tuple(lanes["unscored"]),
        bars[0].kind,
        tuple(ranges),
        tuple(counts),
    )


def _unscored(e: Entry) -> bool:
    return not e.ended_early and e.pain_before is None and e.pain_after is None


def pain_marks(walks: list[Entry] | tuple[Entry, ...]) -> PainMarks:
    """The :class:`PainMarks` of ``walks``."""
    when = [(datetime.fromisoformat(e.started), e) for e in walks]
    return PainMarks(
        before=tuple((x, e.pain_before) for x, e in when if e.pain_before is not None),
        after=tuple((x, e.pain_after) for x, e in when if e.pain_after is not None),
        rises=tuple((x, e.pain_after) for x, e in when if e.pain_rose and e.pain_after is not None),
        changes=tuple(
            (x, e.pain_before, e.pain_after, e.pain_rose)
            for x, e in when
            if e.pain_before is not None and e.pain_after is not None
        ),
        dizzy=tuple(x for x, e in when if e.dizzy),
        ended_early=tuple(x for x, e in when if e.ended_early and not e.dizzy),
        unscored=tuple(x for x, e in when if _unscored(e)),
    )


# -- drawing with matplotlib (the plot extra) -----------------------------------------------


def _pyplot() -> tuple[Any, Any, Any]:
    """matplotlib's pyplot, dates and ticker, drawing off screen. Typed loosely: pacer
    type-checks with and without matplotlib installed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates
    import matplotlib.pyplot
    import matplotlib.ticker

    return matplotlib.pyplot, matplotlib.dates, matplotlib.ticker


@contextmanager
def _quiet_glyphs() -> Iterator[None]:
    """No 'Glyph ... missing' warnings on the walker's screen: a text no font here
    can draw is replaced by words saying so (:func:`drawable`)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing", category=UserWarning)
        yield


@contextmanager
def _plain_text() -> Iterator[None]:
    """Every text of a figure made inside is drawn as written: a ``$`` in a note or a
    programme's name is a dollar, never the start of a formula (``$x^$`` would stop
    the drawing)."""
    import matplotlib

    with matplotlib.rc_context({"text.parse_math": False}):
        yield


@functools.cache
def _characters(path: str) -> frozenset[int]:
    from matplotlib import ft2font

    return frozenset(ft2font.FT2Font(path).get_charmap())


@functools.lru_cache(maxsize=256)
def _fonts_and_gaps(text: str) -> tuple[tuple[str, ...], frozenset[int]]:
    """The font families that draw ``text`` (``()``: the default font draws it all),
    and the characters no installed font has. One installed font that has every
    character the default lacks is chosen first (a CJK font for Chinese, if one is
    installed: ``fc-list :lang=zh``); else each font that has some of them."""
    from matplotlib import font_manager, rcParams

    default = font_manager.findfont(font_manager.FontProperties(family=rcParams["font.family"]))
    need = {ord(c) for c in text if not c.isspace()}
    missing = need - _characters(default)
    if not missing:
        return (), frozenset()
    hints = ("cjk", "han", "hei", "song", "ming", "wenquanyi", "droid", "noto")
    fonts: list[tuple[str, frozenset[int]]] = []
    for font in sorted(
        font_manager.fontManager.ttflist,
        key=lambda f: (not any(h in f.name.lower() for h in hints), f.name, f.fname),
    ):
        if "last resort" in font.name.lower():
            continue  # matplotlib's own font of boxes, one for every character
        try:
            has = _characters(font.fname)
        except (OSError, RuntimeError, ValueError):
            continue
        if missing <= has:
            return (*rcParams["font.family"], font.name), frozenset()
        fonts.append((font.name, has))
    left, chosen = set(missing), []
    for name, has in fonts:
        if left & has and name not in chosen:
            chosen.append(name)
            left -= has
    return ((*rcParams["font.family"], *chosen) if chosen else ()), frozenset(left)


def fonts_for(text: str) -> tuple[str, ...] | None:
    """The font families that draw ``text``: ``()`` when the default font has every
    character; the default and installed fonts that have the rest (a CJK font for
    Chinese, if one is installed: ``fc-list :lang=zh``); ``None`` when no installed
    font has some of its characters."""
    families, gaps = _fonts_and_gaps(text)
    return None if gaps else families


def script_of(text: str) -> str:
    """The writing of ``text`` in a word a reader knows: ``Chinese``, ``Japanese``
    (kana), ``Korean`` (hangul), another script's name (``Arabic``, ``Thai``), else
    ``symbols`` (an emoji, a private character)."""
    names = [unicodedata.name(c, "") for c in text if not c.isspace()]
    if any("HIRAGANA" in n or "KATAKANA" in n for n in names):
        return "Japanese"
    if any(n.startswith("HANGUL") for n in names):
        return "Korean"
    if any(n.startswith(("CJK", "IDEOGRAPHIC", "BOPOMOFO", "KANGXI")) for n in names):
        return "Chinese"
    for c, n in zip((c for c in text if not c.isspace()), names, strict=True):
        if unicodedata.category(c).startswith("L") and n:
            return n.split()[0].title()
    return "symbols"


def undrawn_mark(script: str) -> str:
    """What a picture draws in place of a run of text in ``script`` that no installed
    font can draw: ``[Chinese]``."""
    return f"[{script}]"


def undrawn_words(scripts: Iterable[str]) -> str:
    """The line under a picture that drew :func:`undrawn_mark` for ``scripts``: what
    the marks stand for, and where the words are shown as written."""
    marks = ", ".join(undrawn_mark(s) for s in sorted(set(scripts)))
    return (
        f"{marks}: words in characters no font on this computer draws; "
        "the HTML report (pacer report walks.html) shows them as written."
    )


_UNDRAWN_GLUE = re.compile(r"\x00(?:[\s\-.,;:!?'\"()\[\]]*\x00)*")
"""A run of characters no font has (each ``\\x00`` here), with the spaces and
punctuation between them: one mark stands for it all."""

_SEEN: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("undrawn", default=None)


@contextmanager
def _undrawn_seen() -> Iterator[set[str]]:
    """The scripts :func:`drawable` marked while inside, to say under the picture."""
    seen: set[str] = set()
    token = _SEEN.set(seen)
    try:
        yield seen
    finally:
        _SEEN.reset(token)


def drawable(text: str) -> tuple[str, dict[str, Any]]:
    """``text`` as a picture shows it, and the keyword arguments that draw it (its
    fonts): its control characters as their pictures (:func:`visible`, as every
    export shows them); each run of characters no installed font has (Chinese with no
    CJK font installed: ``fc-list :lang=zh``) as one mark naming its writing,
    ``[Chinese]`` (:func:`undrawn_mark`), never a box nor a row of "\ufffd"; digits,
    Latin letters and punctuation are always drawn. Every text of a walker's (a
    title, a programme's name, a note) reaches a picture through here; a picture
    that drew a mark says under it what it stands for (:func:`undrawn_words`)."""
    text = visible(text)
    families, gaps = _fonts_and_gaps(text)
    if gaps:
        marked = "".join("\x00" if ord(c) in gaps else c for c in text)
        out, at = [], 0
        for run in _UNDRAWN_GLUE.finditer(marked):
            script = script_of("".join(c for c in text[run.start() : run.end()] if ord(c) in gaps))
            out += [text[at : run.start()], undrawn_mark(script)]
            at = run.end()
            seen = _SEEN.get()
            if seen is not None:
                seen.add(script)
        text = "".join([*out, text[at:]])
        families, _ = _fonts_and_gaps(text)
    return text, ({"fontfamily": list(families)} if families else {})


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time())


def _tick(day: date, with_year: bool) -> str:
    return f"{day.day} {day:%b}" + (f" {day.year}" if with_year else "")


def _spare(left: date, right: date) -> timedelta:
    """The room every chart spares on each side of its dates, so no mark sits on an edge."""
    return timedelta(days=max(1.5, (right - left).days / 150))


def _date_axis(axes: list[Any], bars: tuple[Period, ...], today: date) -> None:
    """Every chart on the same dates: from the first bar's Monday to the last bar's
    end, with room to spare on each side so no mark sits on an edge; labelled where
    :func:`date_ticks` says."""
    _, mdates, ticker = _pyplot()
    left, right = bars[0].start, bars[-1].end
    pad = _spare(left, right)
    ticks = date_ticks(left, right, today)
    for ax in axes:
        ax.set_xlim(_midnight(left) - pad, _midnight(right) + pad)
        ax.xaxis.set_major_locator(
            ticker.FixedLocator(mdates.date2num([_midnight(d) for d, _ in ticks]))
        )
        ax.xaxis.set_major_formatter(ticker.FixedFormatter([text for _, text in ticks]))
        ax.xaxis.set_minor_locator(ticker.NullLocator())


def _draw_weeks(
    ax: Any, bars: tuple[Period, ...], today: date, size: float, programme: str
) -> None:
    """Minutes per week (or month, or quarter: :func:`periods`): the plan's minutes
    (hatched) beside the minutes walked (green; other programmes' stacked on top,
    pale, and then the key names the programme), and above each pair the days at
    the plan's minutes of the days planned (upright when the bars are many)."""
    starts = [_midnight(b.start) for b in bars]
    spans = [(b.end - b.start).days for b in bars]
    mine = f" ({drawable(programme)[0]})" if any(b.others for b in bars) else ""
    ax.bar(
        [m + timedelta(days=d * 0.04) for m, d in zip(starts, spans, strict=True)],
        [b.planned_minutes for b in bars],
        width=[d * 0.44 for d in spans],
        align="edge",
        color="none",
        edgecolor=PLAN_COLOUR,
        hatch="//",
        linewidth=1,
        label=f"the plan's minutes{mine}",
    )
    walked_at = [m + timedelta(days=d * 0.52) for m, d in zip(starts, spans, strict=True)]
    widths = [d * 0.44 for d in spans]
    ax.bar(
        walked_at,
        [b.minutes for b in bars],
        width=widths,
        align="edge",
        color=BAR_COLOUR,
        label=f"minutes walked{mine}",
    )
    if any(b.others for b in bars):
        ax.bar(
            walked_at,
            [b.other_minutes for b in bars],
            bottom=[b.minutes for b in bars],
            width=widths,
            align="edge",
            color=OTHER_COLOUR,
            label="other programmes",
        )
    top = max(max(b.planned_minutes, b.minutes + b.other_minutes) for b in bars) or 1.0
    upright = len(bars) > UPRIGHT_FROM or bars[0].kind != "week"
    last = _midnight(bars[-1].end) + _spare(bars[0].start, bars[-1].end) / 2
    labels = []
    for m, d, b in zip(starts, spans, bars, strict=True):
        # The last bar's words (the longest: "so far") end at the chart's edge, not past it.
        flush = not upright and b is bars[-1]
        labels.append(
            (
                max(b.planned_minutes, b.minutes + b.other_minutes),
                ax.annotate(
                    b.days_label(today),
                    (
                        last if flush else m + timedelta(days=d / 2),
                        max(b.planned_minutes, b.minutes + b.other_minutes),
                    ),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="right" if flush else "center",
                    va="bottom",
                    fontsize=size,
                    rotation=90 if upright else 0,
                ),
            )
        )
    # Room above the tallest bar for its label, and above that for the key.
    ax.set_ylim(0, top * (1.75 if upright else 1.5))
    if upright:  # an upright label as long as "61/10 so far" stays inside the chart too
        renderer = ax.figure.canvas.get_renderer()
        tall = ax.get_window_extent(renderer).height
        for height, label in labels:
            room = 0.9 * tall - label.get_window_extent(renderer).height - 2
            if room > 0.25 * tall and height / ax.get_ylim()[1] * tall > room:
                ax.set_ylim(0, height * tall / room)
    ax.legend(loc="upper left", fontsize=size, ncols=3, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)


def _draw_pain(ax: Any, marks: PainMarks, size: float, scale: float = 1.0) -> None:
    """Pain before (open circle) and after (square) each walk, joined (red when it
    rose, with a red triangle); under the 0-10 scale, on the chart's own row, the
    walks that ended early (dizzy: a purple star) or have no pain score (a grey
    cross)."""
    if marks.changes:  # one collection, not a line each: quick on a ten-year journal
        xs, befores, afters, rose = zip(*marks.changes, strict=True)
        ax.vlines(
            xs,
            befores,
            afters,
            colors=[RISE_COLOUR if r else "#888888" for r in rose],
            lw=1.5 * scale,
        )
    if marks.ranges:  # per month or quarter: each median's range, a pale bar
        xs, lows, highs, afters = zip(*marks.ranges, strict=True)
        ax.vlines(
            xs,
            lows,
            highs,
            colors=[AFTER_COLOUR if a else BEFORE_COLOUR for a in afters],
            lw=2.5 * scale,
            alpha=0.45,
        )
    for x, y, count in marks.rise_counts:
        ax.annotate(
            str(count),
            (x, y),
            xytext=(0, 4 * scale),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=size - 1,
            color=RISE_COLOUR,
        )
    series: tuple[tuple[list[tuple[datetime, float]], str, str, str, float], ...] = (
        (list(marks.before), "o", BEFORE_COLOUR, "pain before", 8),
        (list(marks.after), "s", AFTER_COLOUR, "pain after", 5),
        ([(x, y + RISE_ABOVE) for x, y in marks.rises], "^", RISE_COLOUR, f"pain rose {RISE}", 9),
        (
            [(x, LANES["dizzy"]) for x in marks.dizzy],
            "*",
            DIZZY_COLOUR,
            f"dizzy: ended early {DIZZY}",
            9.5,
        ),
        (
            [(x, LANES["early"]) for x in marks.ended_early],
            "v",
            EARLY_COLOUR,
            f"ended early {EARLY}",
            7,
        ),
        (
            [(x, LANES["unscored"]) for x in marks.unscored],
            "x",
            UNSCORED_COLOUR,
            f"no pain score {UNSCORED}",
            7,
        ),
    )
    for points, marker, colour, label, mark_size in series:
        if points:
            xs, ys = zip(*points, strict=True)
            ax.plot(
                xs,
                ys,
                marker,
                color=colour,
                label=label,
                markersize=mark_size * scale,
                ls="none",
                # the circle is open, so a score that did not change shows both marks
                markerfacecolor="none" if marker == "o" else colour,
                markeredgewidth=1.5 * scale,
            )
    ax.axhline(LANES_TOP, color="#bbbbbb", lw=0.6)  # the scale above, the marked walks below
    # Room at the top for the key, and over it for the numbers over the ▲.
    ax.set_ylim(min(LANES.values()) - 0.8, 16.6 if marks.rise_counts else 14.6)
    ax.set_yticks([LANE, *range(0, 11, 2)])
    ax.set_yticklabels(["walk", *(str(v) for v in range(0, 11, 2))])
    ax.grid(axis="y", alpha=0.3)
    if marks.heading:
        ax.set_title(
            f"Pain before and after (0-10), {marks.heading}", fontsize=size + 1.5, loc="left"
        )
    if any(points for points, *_ in series):
        ax.legend(loc="upper left", fontsize=size, ncols=6, frameon=False, handletextpad=0.3)


def programmes(
    entries: list[Entry], preset: str | None = None, fallback: str = "backward"
) -> tuple[tuple[str, int], ...]:
    """Which programmes a picture (``pacer history --plot``, ``pacer report``) is
    about, each with how many of the walks the charts draw are of it: first the one
    whose plan it draws and whose next walk it suggests, ``preset`` when given, else
    the programme of most of the walks drawn (of the latest walk when two have as
    many), else ``fallback`` (no walks); then every other programme walked, most
    walked first. The one rule of every picture."""
    shown, _ = drawn_walks(entries)
    counts: dict[str, int] = {}
    latest: dict[str, int] = {}
    for i, e in enumerate(shown):
        counts[e.preset] = counts.get(e.preset, 0) + 1
        latest[e.preset] = i
    order = sorted(counts, key=lambda name: (counts[name], latest[name]), reverse=True)
    main = preset if preset is not None else (order[0] if order else fallback)
    return ((main, counts.get(main, 0)), *((n, counts[n]) for n in order if n != main))


def programme_words(chosen: tuple[tuple[str, int], ...]) -> str:
    """``back-pain 14, backward 2``: the walks of each programme :func:`programmes`
    found, as the pictures say it."""
    return ", ".join(f"{name} {count}" for name, count in chosen)


def _nothing(ax: Any, words: str, size: float) -> None:
    """An empty chart: words in the middle, no axes to misread."""
    ax.axis("off")
    ax.text(0.5, 0.5, words, ha="center", va="center", fontsize=size, transform=ax.transAxes)


def figure(
    entries: list[Entry],
    title: str = "pacer: your walks",
    *,
    preset: str | None = None,
    today: date | None = None,
    plan: Plan | None = None,
) -> Any:
    """The picture :func:`plot` saves, as a matplotlib Figure (close it when done).

    Top: minutes per week, each week Monday to Sunday on a date axis: the plan's
    minutes of ``preset`` (by default the programme of most of the walks drawn, of
    the latest when two have as many; ``plan``
    overrides its built-in plan) beside the minutes walked, other programmes' minutes
    stacked on them, and the days at the plan's minutes of the days planned. Bottom,
    on the same dates: pain before (circle) and after (square) each walk, a rise red;
    under the scale, walks that ended early (dizzy: a star) or have no pain score (a
    cross). Walks far before the rest (:data:`FAR_DAYS`) are named, not drawn. With
    no walks, the picture says so. Words no installed font draws are marked
    (:func:`drawable`) and the picture says so.

    Raises ImportError when matplotlib is not installed.
    """
    entries = expect_entries(entries)
    with _plain_text(), _undrawn_seen() as seen:
        return _figure(entries, title, preset, today, plan, seen)


def _figure(
    entries: list[Entry],
    title: str,
    preset: str | None,
    today: date | None,
    plan: Plan | None,
    seen: set[str],
) -> Any:
    plt, _, _ = _pyplot()
    from .plan import plan_for

    today = today or date.today()
    entries, ahead = counted_today(entries, today)
    shown, far = drawn_walks(entries)
    name, name_style = drawable(title)
    if not shown:
        fig = plt.figure(figsize=(9, 6))
        fig.suptitle(name, **name_style)
        _nothing(
            fig.add_subplot(), f"{NO_WALKS}: pacer walk records each walk; pacer log adds one", 12
        )
        return fig
    chosen = programmes(entries, preset)
    preset = chosen[0][0]
    weeks_ = planned_weeks(
        entries, preset, today, plan if plan is not None else plan_for(preset), others=True
    )
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(9, 6),
        sharex=True,
        constrained_layout=True,
        gridspec_kw={"height_ratios": (1, 1.2)},
    )
    bars = periods(weeks_)
    _draw_weeks(top, bars, today, 8, preset)
    kind = bars[0].kind
    top.set_ylabel(f"minutes per {kind}")
    fig.suptitle(name, **name_style)
    heading, heading_style = drawable(
        f"Minutes a {kind} against the {preset} plan (walks: {programme_words(chosen)})"
    )
    top.set_title(f"{heading}\n{days_key(kind)}", fontsize=8, loc="left", **heading_style)
    _draw_pain(bottom, period_marks(bars, shown), 8)
    bottom.set_ylabel("pain (0-10)")
    if not any(e.pain_before is not None or e.pain_after is not None for e in shown):
        bottom.text(0.5, 0.5, "no pain scores recorded", ha="center", transform=bottom.transAxes)
    _date_axis([top, bottom], bars, today)
    below = " ".join(
        words
        for words in (ahead_words(ahead), far_words(far), undrawn_words(seen) if seen else "")
        if words
    )
    if below:  # wrapped to the page, so every word of it is seen
        fig.supxlabel(_lines_for(fig, below, 8, 0.96), fontsize=8, color="#555555")
    fig.autofmt_xdate()
    return fig


def plot(
    entries: list[Entry],
    path: str | os.PathLike[str],
    title: str = "pacer: your walks",
    *,
    preset: str | None = None,
    today: date | None = None,
    plan: Plan | None = None,
) -> None:
    """Save :func:`figure` at ``path``, whole or not at all, as PNG, PDF or SVG by
    its extension (:data:`PLOT_FORMATS`).

    Raises :class:`~pacer.errors.SettingsError` for another extension (nothing is
    written), ImportError when matplotlib is not installed.
    """
    entries = expect_entries(entries)
    target = expect_path(path, "plot")
    kind = _kind(target, PLOT_FORMATS, "plot", "a picture file")
    plt, _, _ = _pyplot()
    with _quiet_glyphs():
        fig = figure(entries, title, preset=preset, today=today, plan=plan)
        temp = target.with_name(f".{target.name}.part")
        try:
            fig.savefig(temp, format=kind, dpi=100)
            os.replace(temp, target)  # a whole picture or none
        finally:
            plt.close(fig)
            temp.unlink(missing_ok=True)


def _kind(target: Path, kinds: tuple[str, ...], setting: str, what: str) -> str:
    """The file's format by its extension, one of ``kinds``, else a SettingsError
    naming the file and what is allowed."""
    from .errors import SettingsError

    kind = target.suffix.lower().lstrip(".")
    if kind not in kinds:
        allowed = ", ".join("." + k for k in kinds[:-1]) + f" or .{kinds[-1]}"
        raise SettingsError(
            f"{setting}: {target.name!r} is not {what}; end its name in {allowed}", setting
        )
    return kind


# ---------------------------------------------------------------------------------------
# A report for the physiotherapist: one page (PDF or PNG), or an HTML page


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
        Each week the charts draw (:func:`planned_weeks`), to today's, against the plan.
    advice:
        What ``pacer next`` suggests now, and why.
    made:
        The day the report was made.
    own_cadence:
        The walker's own cadence as last measured (``pacer tap``), or ``None``.
    pace:
        The pace ``pacer next`` suggests, and why (``None``: not worked out).
    far:
        Walks far before the others, left out of the charts (:func:`drawn_walks`).
    programmes:
        The programmes walked (:func:`programmes`), :attr:`preset` first, each with
        its number of walks drawn.
    also:
        What ``pacer next`` suggests for each other programme walked, in the order of
        :attr:`programmes`.
    ahead:
        The walks dated after :attr:`made`, as recorded; :attr:`walks` has them as
        walked that day (:func:`counted_today`), as ``pacer next`` counts them.
    preset_pace:
        The steps/min of :attr:`preset`'s main walk as the preset has it (``None``:
        not known), said when no walk of it has a pace yet.
    """

    preset: str
    plan: Plan
    walks: tuple[Entry, ...]
    weeks: tuple[PlannedWeek, ...]
    advice: Advice
    made: date
    own_cadence: Cadence | None = None
    pace: PaceAdvice | None = None
    far: tuple[Entry, ...] = ()
    programmes: tuple[tuple[str, int], ...] = ()
    also: tuple[Advice, ...] = ()
    ahead: tuple[Entry, ...] = ()
    preset_pace: float | None = None

    @property
    def title(self) -> str:
        """``Walking record: back-pain``, and ``(also: backward)`` when other
        programmes were walked too."""
        others = ", ".join(name for name, _ in self.programmes[1:])
        return f"Walking record: {self.preset}" + (f" (also: {others})" if others else "")

    @property
    def also_words(self) -> list[str]:
        """One line for each other programme walked: its walks, its next walk and the
        rule that decided it, and how to get its own report."""
        from .plan import RULES

        return [
            f"Also walked: {name}, {count} walk{'s' if count != 1 else ''}. Next {name} walk: "
            f"{minutes_words(advice.minutes)}, {_days_a_week(advice.days_per_week)} (rule "
            f"{advice.rule}, {RULES[advice.rule]}"
            + ("; see a professional if the pain persists" if advice.see_professional else "")
            + f"). Its plan and why: pacer report --preset {name}."
            for (name, count), advice in zip(self.programmes[1:], self.also, strict=True)
        ]

    @property
    def plan_words(self) -> str:
        """The plan in one sentence."""
        p = self.plan
        words = (
            f"start at {minutes_words(p.start_minutes)}, {_days_a_week(p.start_days)}; after "
            f"each good week {minutes_words(p.step_minutes)} more, up to "
            f"{p.minutes_before_more_days:g}"
        )
        if p.max_days > p.start_days:
            words += f"; then one more day, up to {p.max_days}"
        if p.max_minutes > p.minutes_before_more_days:  # never "up to 30" when there
            words += f"; then up to {p.max_minutes:g} minutes"
        return words

    @property
    def pace_words(self) -> str:
        """``Pace: 63 steps/min (why).``, as ``pacer next`` says it; empty without."""
        if self.pace is None:
            return ""
        if self.pace.steps_per_minute is None:
            walked = sum(e.preset == self.preset for e in self.walks)
            own = (
                f"{pace_text(self.preset_pace)} steps/min, the {self.preset} preset's own"
                if self.preset_pace is not None
                else f"the {self.preset} preset's own"
            )
            if walked:  # walks, none with a pace: say that, not "no walk recorded yet"
                return (
                    f"Pace: {own} (none recorded on your {walked} {self.preset} "
                    f"walk{'s' if walked != 1 else ''})."
                )
            return f"Pace: {own} (no {self.preset} walk recorded yet)."
        return f"Pace: {pace_text(self.pace.steps_per_minute)} steps/min ({self.pace.reason})."

    @functools.cached_property
    def bars(self) -> tuple[Period, ...]:
        """The bars of the minutes chart: :attr:`weeks` by week, month or quarter
        (:func:`periods`)."""
        return periods(self.weeks)

    @property
    def drawn(self) -> tuple[Entry, ...]:
        """The walks the charts draw (all but :attr:`far`)."""
        return self.walks[len(self.far) :]

    @property
    def period(self) -> str:
        """``4 walks, 3 Nov 2026 to 22 Nov 2026`` (or ``No walks recorded yet``), and the
        walks of each programme drawn when there are several
        (``(back-pain 3, backward 1)``)."""
        if not self.walks:
            return "No walks recorded yet"
        first, last = self.walks[0].date, self.walks[-1].date
        count = f"{len(self.walks)} walk{'s' if len(self.walks) != 1 else ''}"
        each = f" ({programme_words(self.programmes)})" if len(self.programmes) > 1 else ""
        return f"{count}, {_day(first)} to {_day(last)}{each}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _short_day(day: date) -> str:
    return f"{day.day} {day:%b}"


def _check_report_arguments(
    entries: object,
    preset: object,
    today: object,
    plan: object,
    own_cadence: object,
    plans: object,
) -> None:
    """Each of :func:`clinic_report`'s arguments is what it takes, else a
    :class:`SettingsError` naming it."""
    from .session import expect

    expect_entries(entries)
    if preset is not None:
        expect(preset, str, "preset", "a preset name")
    if today is not None and (isinstance(today, datetime) or not isinstance(today, date)):
        expect(today, (), "today", "a date")
    if plan is not None:
        expect(plan, Plan, "plan", "a Plan")
    if own_cadence is not None:
        expect(own_cadence, Cadence, "own_cadence", "a Cadence (Journal.latest_cadence())")
    if plans is not None:
        expect(plans, dict, "plans", "a dict of preset name -> Plan")
        for name, each in plans.items():  # type: ignore[attr-defined]
            expect(name, str, "plans", "a dict of preset name -> Plan")
            expect(each, Plan, "plans", "a dict of preset name -> Plan")


def clinic_report(
    entries: list[Entry],
    preset: str | None = None,
    today: date | None = None,
    plan: Plan | None = None,
    own_cadence: Cadence | None = None,
    plans: dict[str, Plan] | None = None,
) -> ClinicReport:
    """The report for ``entries`` (a whole journal): the plan of ``preset`` (by default
    the programme walked most, as :func:`programmes` says for every picture; ``plan``
    overrides the built-in one), adherence per week, and the current suggestion of
    minutes, days and pace (the very functions ``pacer next`` uses), as of ``today``;
    for each other programme walked, its walks and next walk (by its plan in
    ``plans``, else the built-in one); ``own_cadence`` is the walker's measured
    cadence, shown beside the cadence used."""
    from .plan import next_pace, next_walk, plan_for

    _check_report_arguments(entries, preset, today, plan, own_cadence, plans)

    today = today or date.today()
    counted, ahead = counted_today(entries, today)
    walks = tuple(sorted(counted, key=lambda e: (e.started, e.id or 0)))
    chosen = programmes(list(walks), preset)
    preset = chosen[0][0]
    plan = plan if plan is not None else plan_for(preset)
    weeks_out = planned_weeks(list(walks), preset, today, plan)
    advice = next_walk(list(walks), preset, today, plan)
    pace = next_pace(list(walks), preset, today, plan)
    also = tuple(
        next_walk(list(walks), name, today, (plans or {}).get(name) or plan_for(name))
        for name, _ in chosen[1:]
    )
    _, far = drawn_walks(list(walks))
    try:
        from .config import load_preset

        main = load_preset(preset, cadence=own_cadence).main_phase
        spm = None if main is None else main.steps_per_minute
        preset_pace = None if spm is None else float(spm)
    except (SettingsError, OSError, TypeError, ValueError):
        preset_pace = None  # a file gone, or a pace of a cadence never measured
    return ClinicReport(
        preset,
        plan,
        walks,
        weeks_out,
        advice,
        today,
        own_cadence,
        pace,
        tuple(far),
        chosen,
        also,
        tuple(ahead),
        preset_pace,
    )


def how_it_went(entry: Entry) -> str:
    """What pacer knows of a walk besides its numbers: ended early (dizzy), the beat
    faded, logged by hand rather than walked with pacer. Not the walker's note."""
    out = []
    if entry.dizzy:
        out.append("ended early: dizzy")
    elif entry.ended_early:
        out.append("ended early")
    if entry.faded:
        out.append("beat faded")
    if entry.source == "log":
        out.append("logged by hand")
    elif entry.source != "walk":
        out.append(f"recorded by {entry.source}")
    return "; ".join(out)


def _pace(entry: Entry) -> str:
    a, b = entry.spm_start, entry.spm_end
    if a is None and b is None:
        return MISSING
    if a is None or b is None or pace_text(a) == pace_text(b):
        return pace_text(a if a is not None else b)  # type: ignore[arg-type]
    return f"{pace_text(a)}→{pace_text(b)}"


def as_recorded(report: ClinicReport) -> tuple[Entry, ...]:
    """``report.walks`` in their order, each dated as recorded: a walk dated after the
    report's day (counted as walked today, :func:`counted_today`) keeps its own date
    for the tables, never an invented time."""
    if not report.ahead:
        return report.walks
    late = f"{report.made.isoformat()}T23:59:59"
    left = list(report.ahead)
    out = []
    for walk in report.walks:
        own = next(
            (a for a in left if walk.started == late and replace(a, started=late) == walk), None
        )
        if own is not None:
            left.remove(own)
        out.append(own or walk)
    return tuple(out)


def walk_row(entry: Entry, today: date | None = None) -> tuple[str, str, str, str, str, str, str]:
    """A walk as the report lists it: date, programme, minutes walked (of planned),
    steps/min, pain, how it went (:func:`how_it_went`), and the walker's own note; one
    dated after ``today`` says it is counted as today."""
    minutes = f"{entry.walked_minutes:.0f} of {entry.planned_minutes:.0f}"
    when = datetime.fromisoformat(entry.started)
    clock = "" if entry.source == "log" and when.time() == time() else f" {when:%H:%M}"
    later = " (dated ahead: counted as today)" if today is not None and entry.date > today else ""
    return (
        f"{when:%a} {when.day} {when:%b} {when.year}{clock}{later}",
        entry.preset,
        minutes,
        _pace(entry),
        pain(entry) + (f" {DIZZY}" if entry.dizzy else ""),
        how_it_went(entry),
        entry.note,
    )


WALK_COLUMNS = ("date", "programme", "minutes", "steps/min", "pain", "how it went", "note")


CELL_SIZE = 6.5
"""The points of the report's walk table."""
CELL_PAD = 0.008
"""The margin each side of a cell's text, as a share of the table's width."""
COLUMN_WIDTHS = (0.18, 0.1, 0.08, 0.09, 0.08, 0.18, 0.29)
"""The share of the table's width of each of :data:`WALK_COLUMNS`."""
CELL_LINES = 2
"""At most this many lines in a cell; a longer text ends in "…" (the HTML has it whole)."""


def _shortened(word: str, width: float, measure: Any) -> str:
    """``word`` as much of it as fits in ``width`` with "…" after it ("…" alone at
    worst): a word is never broken over two lines."""
    while word and measure(word + "…") > width:
        word = word[:-1]
    return word + "…"


def _wrapped(text: str, width: float, measure: Any, most: int = CELL_LINES) -> str:
    """``text`` broken into lines that ``measure`` (a text's width) finds no wider
    than ``width``, only at spaces: a word too long for a line is shortened, ending
    in "…"; at most ``most`` lines, the last ending in "…" after its last whole word
    when there was more."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if measure(word) > width:
            word = _shortened(word, width, measure)
        trial = f"{line} {word}" if line else word
        if measure(trial) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    if len(lines) > most:
        words = lines[most - 1].split()
        while len(words) > 1 and measure(" ".join(words) + "…") > width:
            words.pop()
        last = " ".join(words) + "…"
        if measure(last) > width:
            last = _shortened(words[0].rstrip("…"), width, measure)
        lines = [*lines[: most - 1], last]
    return "\n".join(lines)


def _lines_for(fig: Any, text: str, size: float, share: float) -> str:
    """``text`` in ``size`` points wrapped between words to ``share`` of ``fig``'s
    width, every word of it kept (the words under a chart are never cut off)."""
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    props = FontProperties(size=size)
    width = share * fig.get_figwidth() * fig.dpi * 0.93  # room for a wider drawing at print dpi
    return _wrapped(
        text,
        width,
        lambda t: renderer.get_text_width_height_descent(t, props, ismath=False)[0],
        most=len(text.split()),
    )


NOTE_LINES = (12, 8, 6, 4, 3)
"""The lines a note may take when the page has room for them with every walk the
table lists at :data:`CELL_LINES` (a few walks with long notes: the notes whole)."""


def _table_cells(
    fig: Any, ax: Any, walks: tuple[Entry, ...], today: date | None = None
) -> tuple[list[list[str]], list[float], dict[tuple[int, int], dict[str, Any]]]:
    """The report's walk table, fitted to ``ax``: the header and the most recent walks
    (as many as fit, at most :data:`TABLE_ROWS`), each cell's text wrapped to its
    column as measured in its font, each row's height (a share of ``ax``) for its
    lines, and the fonts of the cells that need one. A note takes more lines
    (:data:`NOTE_LINES`) when that leaves every one of those walks on the page."""
    least = _table_cells_of(fig, ax, walks, CELL_LINES, today)
    if not any(row[6].endswith("…") for row in least[0][1:]):
        return least
    for most in NOTE_LINES:
        more = _table_cells_of(fig, ax, walks, most, today)
        if len(more[0]) == len(least[0]):
            return more
    return least


def _table_cells_of(
    fig: Any, ax: Any, walks: tuple[Entry, ...], note_lines: int, today: date | None = None
) -> tuple[list[list[str]], list[float], dict[tuple[int, int], dict[str, Any]]]:
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    box = ax.get_position()
    wide = box.width * fig.get_figwidth() * fig.dpi
    tall_points = box.height * fig.get_figheight() * 72
    line_points = CELL_SIZE * 1.22  # matplotlib spaces lines 1.2 times their size

    def measure_in(family: list[str] | None, weight: str) -> Any:
        props = FontProperties(family=family, size=CELL_SIZE, weight=weight)
        return lambda text: renderer.get_text_width_height_descent(text, props, ismath=False)[0]

    def fitted(row: list[str], header: bool) -> tuple[list[str], int]:
        out = []
        for c, text in enumerate(row):
            family = fonts.get((len(rows), c), {}).get("fontfamily")
            room = (COLUMN_WIDTHS[c] - 2 * CELL_PAD) * wide * 0.97
            most = note_lines if c == 6 and not header else CELL_LINES
            out.append(
                _wrapped(text, room, measure_in(family, "bold" if header else "normal"), most)
            )
        return out, max(cell.count("\n") + 1 for cell in out)

    fonts: dict[tuple[int, int], dict[str, Any]] = {}
    rows: list[list[str]] = []
    heights: list[float] = []
    room = 0.95 * tall_points
    for walk in [None, *reversed(walks[-TABLE_ROWS:])]:
        row = list(WALK_COLUMNS) if walk is None else list(walk_row(walk, today))
        if walk is not None:
            for c in (1, 5, 6):
                row[c], style = drawable(row[c])
                if style:
                    fonts[(len(rows), c)] = style
        cells, lines = fitted(row, walk is None)
        points = lines * line_points + 3
        if points > room:
            break
        room -= points
        rows.append(cells)
        heights.append(points / tall_points)
    return rows, heights, fonts


def clinic_figure(report: ClinicReport) -> Any:
    """The report as one A4 page, a matplotlib Figure (close it when done): the plan,
    the suggestion (minutes, days and pace) and why; minutes per week against the
    plan with days walked; the cadence of each walk; pain before and after each walk
    on the same dates, rises, dizziness, early ends and unscored walks marked; the
    most recent walks with their notes. With no walks, each chart says so. Words no
    installed font draws are marked (:func:`drawable`) and the page says so.

    Raises ImportError when matplotlib is not installed.
    """
    with _plain_text(), _undrawn_seen() as seen:
        return _clinic_figure(report, seen)


def _clinic_figure(report: ClinicReport, seen: set[str]) -> Any:
    import textwrap

    plt, _, _ = _pyplot()

    advice = report.advice
    lines = [
        (report.title, 15, "bold"),
        (f"{report.period}. Made by pacer on {_day(report.made)}.", 9, "normal"),
        (ahead_words(report.ahead), 9, "normal"),
        (f"Plan ({report.preset}): {report.plan_words}.", 9, "normal"),
        (
            f"Suggested next {report.preset} walk: {minutes_words(advice.minutes)}, "
            f"{_days_a_week(advice.days_per_week)}"
            + (" (and see a professional if the pain persists)" if advice.see_professional else ""),
            10.5,
            "bold",
        ),
        (f"Why (rule {advice.rule}): {advice.reason}.", 9, "normal"),
        (report.pace_words, 9, "normal"),
        *((words, 9, "normal") for words in report.also_words),
    ]
    # About 100 characters of 9-point text fit across the page; the head takes the
    # height its lines need, the charts and the table share the rest.
    wrapped = [
        (textwrap.fill(shown, width=int(100 * 9 / size), break_on_hyphens=False), size, w, style)
        for t, size, w in lines
        if t
        for shown, style in [drawable(t)]
    ]
    page = 11.69 * 72
    steps = [((t.count("\n") + 1) * size * 1.3 + 5) / page for t, size, _, _ in wrapped]
    top = 0.975
    fig = plt.figure(figsize=(8.27, 11.69))
    head = fig.add_axes((0.09, top - sum(steps), 0.87, sum(steps)))
    head.axis("off")
    y = top
    for (text, size, weight, style), step in zip(wrapped, steps, strict=True):
        head.text(0.09, y, text, fontsize=size, weight=weight, va="top", transform=fig.transFigure)
        head.texts[-1].update(style)
        y -= step
    grid = fig.add_gridspec(
        4,
        1,
        height_ratios=(2.0, 1.0, 2.0, 4.0),
        hspace=0.55,
        left=0.09,
        right=0.96,
        top=y - 0.045,  # room for the first chart's two-line title
        bottom=0.02,
    )

    walks = report.drawn
    bars = fig.add_subplot(grid[0])
    cadence = fig.add_subplot(grid[1], sharex=bars)
    hurt = fig.add_subplot(grid[2], sharex=bars)
    kind = report.bars[0].kind if report.bars else "week"
    for ax, title, key in (
        (bars, f"Minutes a {kind} against the {report.preset} plan", f"\n{days_key(kind)}"),
        (cadence, "Cadence used (steps/min)", ""),
        (hurt, "Pain before and after each walk (0-10)", ""),
    ):
        shown, style = drawable(title)
        ax.set_title(shown + key, fontsize=9, loc="left", **style)
        ax.tick_params(labelsize=7)
    if not walks:
        _nothing(bars, f"{NO_WALKS}: pacer walk records each walk; pacer log adds one", 9)
        for ax in (cadence, hurt):
            _nothing(ax, NO_WALKS, 9)
    else:
        _draw_weeks(bars, report.bars, report.made, 7, report.preset)
        bars.set_ylabel(f"minutes a {kind}", fontsize=8)
        _draw_cadence(cadence, walks, report.own_cadence, report.bars, report.preset)
        _draw_pain(hurt, period_marks(report.bars, walks), 7, scale=0.85)
        if not any(e.pain_before is not None or e.pain_after is not None for e in walks):
            hurt.text(0.5, 0.5, "no pain scores recorded", ha="center", transform=hurt.transAxes)
        _date_axis([bars, cadence, hurt], report.bars, report.made)
        for ax in (bars, cadence):
            ax.tick_params(labelbottom=True)
        if report.far:
            hurt.text(
                0,
                -0.16,
                _lines_for(fig, far_words(report.far), 7, hurt.get_position().width),
                fontsize=7,
                color="#555555",
                va="top",
                transform=hurt.transAxes,
            )

    table = fig.add_subplot(grid[3])
    table.axis("off")
    rows, heights, fonts = _table_cells(fig, table, as_recorded(report), report.made)
    title = "Walks, most recent first"
    if len(report.walks) > len(rows) - 1:
        title += f" ({len(rows) - 1} of {len(report.walks)}; the HTML report lists them all)"
    table.set_title(title, fontsize=9, loc="left")
    if len(rows) > 1:
        height = sum(heights)
        cells = table.table(
            cellText=rows[1:],
            colLabels=rows[0],
            bbox=(0, 0.98 - height, 1, height),
            cellLoc="left",
            colLoc="left",
            colWidths=COLUMN_WIDTHS,
        )
        cells.auto_set_font_size(False)
        cells.set_fontsize(CELL_SIZE)
        for (r, c), cell in cells.get_celld().items():
            cell.set_linewidth(0.3)
            cell.set_height(heights[r])
            cell.PAD = CELL_PAD / cell.get_width()  # the same small margin in every column
            if r == 0:
                cell.set_text_props(weight="bold")
            elif fonts.get((r, c)):
                cell.get_text().set_fontfamily(fonts[(r, c)]["fontfamily"])
    else:
        _nothing(table, NO_WALKS, 9)
        height = 0.0
    if seen:  # under the notes the marks stand in: what they are, where to read them
        table.text(
            0,
            0.98 - height - 0.012,
            _lines_for(fig, undrawn_words(seen), 7, table.get_position().width),
            fontsize=7,
            color="#555555",
            va="top",
            transform=table.transAxes,
        )
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


def cadence_marks(
    bars: tuple[Period, ...], walks: list[Entry] | tuple[Entry, ...]
) -> tuple[tuple[datetime, float, float, float], ...]:
    """The cadence chart by the bars of the minutes chart, past half a year (months or
    quarters, as the pain chart): for each bar with paced walks, its middle, the
    median pace at the start of its walks, and the slowest and fastest pace walked in
    it. Empty while the bars are weeks (each walk is drawn)."""
    import statistics

    if not bars or bars[0].kind not in PERIOD_MARKS_FROM:
        return ()
    out = []
    for bar in bars:
        group = [e for e in walks if bar.start <= e.date < bar.end and (e.spm_start or e.spm_end)]
        if group:
            paces = [v for e in group for v in (e.spm_start, e.spm_end) if v]
            starts = [float(e.spm_start or e.spm_end or 0) for e in group]
            middle = _midnight(bar.start) + (bar.end - bar.start) / 2
            out.append((middle, float(statistics.median(starts)), min(paces), max(paces)))
    return tuple(out)


def _draw_cadence(
    ax: Any,
    walks: tuple[Entry, ...],
    own: Cadence | None,
    bars: tuple[Period, ...] = (),
    programme: str | None = None,
) -> None:
    """The pace of each walk at its start (dot) and end (dash), or past half a year a
    mark a month or quarter (:func:`cadence_marks`: the median, a line for the range),
    and the walker's own cadence as last measured (a dashed line). Walks of other
    programmes than ``programme`` are pale dots (their pace is another walk's), named
    in the key. The key sits above the chart, clear of the marks."""
    others = tuple(e for e in walks if programme is not None and e.preset != programme)
    values: list[float] = []
    if others:
        pale = cadence_marks(bars, others) or tuple(
            (datetime.fromisoformat(e.started), float(e.spm_start or e.spm_end or 0), 0.0, 0.0)
            for e in others
            if e.spm_start or e.spm_end
        )
        if pale:
            xs, medians, lows, highs = zip(*pale, strict=True)
            if any(highs):
                ax.vlines(xs, lows, highs, colors=OTHER_COLOUR, lw=2.5)
                values += [*lows, *highs]
            names = sorted({e.preset for e in others})
            label = (
                drawable(" and ".join(names))[0] + " walks"
                if len(names) <= 2
                else "other programmes' walks"
            )
            ax.plot(xs, medians, "o", color=OTHER_COLOUR, markersize=4, label=label)
            values += list(medians)
        walks = tuple(e for e in walks if e.preset == programme)
    paced = [(datetime.fromisoformat(e.started), e) for e in walks if e.spm_start or e.spm_end]
    by_period = cadence_marks(bars, walks)
    if by_period:
        xs, medians, lows, highs = zip(*by_period, strict=True)
        ax.vlines(xs, lows, highs, colors=CADENCE_COLOUR, lw=2.5, alpha=0.45)
        ax.plot(xs, medians, "o", color=CADENCE_COLOUR, markersize=4)
        ax.set_title(
            f"Cadence used (steps/min)\na mark a {bars[0].kind}: the median at the start; "
            "its line: slowest to fastest",
            fontsize=9,
            loc="left",
        )
        values += [*lows, *highs]
    elif paced:
        changed = [(at, e.spm_start, e.spm_end) for at, e in paced if e.spm_start and e.spm_end]
        if changed:
            xs, firsts, lasts = zip(*changed, strict=True)
            ax.vlines(xs, firsts, lasts, colors=CADENCE_COLOUR, lw=1)
        ax.plot(
            [x for x, _ in paced],
            [e.spm_start or e.spm_end for _, e in paced],
            "o",
            color=CADENCE_COLOUR,
            markersize=4,
            label="at the start",
        )
        ends = [(x, e.spm_end) for x, e in paced if e.spm_end is not None]
        ax.plot(
            [x for x, _ in ends],
            [v for _, v in ends],
            "_",
            color="black",
            markersize=7,
            label="at the end",
        )
        values += [v for _, e in paced for v in (e.spm_start, e.spm_end) if v]
    elif not values:
        ax.text(0.5, 0.5, "no cadence recorded", ha="center", transform=ax.transAxes)
    if own is not None:
        when = datetime.fromisoformat(own.measured).date()
        how = "a calibration walk" if own.how == "calibration" else "pacer tap"
        ax.axhline(
            own.steps_per_minute,
            color="#555555",
            ls="--",
            lw=0.8,
            label=f"your own cadence: {pace_text(own.steps_per_minute)} ({how}, {_day(when)})",
        )
        values.append(float(own.steps_per_minute))
    if values:
        low, high = min(values), max(values)
        spare = max(6.0, (high - low) * 0.12)
        ax.set_ylim(low - spare, high + spare)
        ax.yaxis.get_major_locator().set_params(integer=True, nbins=4)  # whole steps/min
    if (paced and not by_period) or own is not None or values:
        handles, labels = ax.get_legend_handles_labels()
        if others and len(labels) > 1:  # the programme's marks first, then the others'
            at = len(labels) - 1 if own is not None else len(labels)
            handles = [*handles[1:at], handles[0], *handles[at:]]
            labels = [*labels[1:at], labels[0], *labels[at:]]
        ax.legend(
            handles,
            labels,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=7,
            ncols=len(labels) if len(labels) <= 3 else (len(labels) + 1) // 2,
            frameon=False,
            borderaxespad=0.2,
            handletextpad=0.4,
        )
    ax.grid(axis="y", alpha=0.3)


def write_clinic_report(report: ClinicReport, path: str | os.PathLike[str]) -> Path:
    """Write ``report`` to ``path``, whole or not at all: ``.pdf`` and ``.png`` (one
    page, drawn by matplotlib) or ``.html`` (needs no matplotlib). Returns the path.

    Raises ImportError for a PDF or PNG when matplotlib is not installed, and
    :class:`~pacer.errors.SettingsError` for another extension.
    """
    target = Path(path)
    kind = _kind(target, REPORT_FORMATS, "report", "a report file")
    temp = target.with_name(f".{target.name}.part")
    try:
        if kind == "html":
            temp.write_text(clinic_html(report), encoding="utf-8")
        else:
            plt, _, _ = _pyplot()
            with _quiet_glyphs():
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
    bars = report.bars
    top, bottom, height = 18, 170, 200
    if not bars:
        return _svg(40, [f'<text x="10" y="25">{NO_WALKS}</text>'], "adherence")
    upright = len(bars) > UPRIGHT_FROM or bars[0].kind != "week"
    most = max(max(b.planned_minutes, b.minutes) for b in bars) or 1
    hi = most * (1.45 if upright else 1.2)
    body = _y_axis(top, bottom, 0, hi, _nice_ticks(0, hi))
    span = _time_axis(report)
    for b in bars:
        x0, x1 = _x(_midnight(b.start), span), _x(_midnight(b.end), span)
        slot = x1 - x0
        for value, at, style in (
            (b.planned_minutes, 0.04, f'fill="none" stroke="{PLAN_COLOUR}" stroke-dasharray="3 2"'),
            (b.minutes, 0.52, f'fill="{BAR_COLOUR}"'),
        ):
            h = value / hi * (bottom - top)
            body.append(
                f'<rect x="{x0 + slot * at:.1f}" y="{bottom - h:.1f}" '
                f'width="{slot * 0.44:.1f}" height="{h:.1f}" {style}>'
                f"<title>{escape(b.label)}: {minutes_words(value)}</title></rect>"
            )
        days = b.days_label(report.made)
        x, y = x0 + slot / 2, bottom - max(b.planned_minutes, b.minutes) / hi * (bottom - top) - 4
        turn = (
            f' transform="rotate(-90 {x:.1f} {y:.1f})" dominant-baseline="middle"'
            if upright
            else ""
        )
        anchor = "start" if upright else "middle"
        body.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{turn}>{days}</text>')
    return _svg(
        height, body + _date_ticks(report, span, bottom), f"minutes walked per {bars[0].kind}"
    )


def _time_axis(report: ClinicReport) -> tuple[datetime, datetime]:
    """The dates the charts draw (:attr:`ClinicReport.bars`), with room to spare on
    each side so no mark sits on an edge (as the PDF's axis)."""
    left = _midnight(report.bars[0].start)
    right = _midnight(report.bars[-1].end)
    pad = _spare(report.bars[0].start, report.bars[-1].end)
    return left - pad, right + pad


def _x(at: datetime, span: tuple[datetime, datetime]) -> float:
    left, right = span
    return _PAD_L + (at - left) / (right - left) * (_W - _PAD_L - _PAD_R)


def _date_ticks(report: ClinicReport, span: tuple[datetime, datetime], bottom: int) -> list[str]:
    """The labels :func:`date_ticks` gives, as the PDF's axis has them."""
    bars = report.bars
    return [
        f'<text x="{_x(_midnight(day), span):.1f}" y="{bottom + 16}" text-anchor="middle">'
        f"{escape(text)}</text>"
        for day, text in date_ticks(bars[0].start, bars[-1].end, report.made)
    ]


def _cadence_svg(report: ClinicReport) -> str:
    paced = [e for e in report.drawn if e.spm_start is not None or e.spm_end is not None]
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
    return _svg(height, body + _date_ticks(report, span, bottom), "cadence of each walk")


def _pain_svg(report: ClinicReport) -> str:
    top, bottom, height = 14, 200, 230
    lo, hi = min(LANES.values()) - 0.8, 10.7 + RISE_ABOVE
    body = _y_axis(top, bottom, lo, hi, [0, 2, 4, 6, 8, 10])
    span = _time_axis(report)

    def y(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    body.append(
        f'<line x1="{_PAD_L}" x2="{_W - _PAD_R}" y1="{y(LANES_TOP):.1f}" y2="{y(LANES_TOP):.1f}" '
        f'stroke="#bbb"/><text x="{_PAD_L - 6}" y="{y(LANE) + 4:.1f}" text-anchor="end">'
        "walk</text>"
    )
    marks = period_marks(report.bars, report.drawn)
    for at, before, after, rose in marks.changes:
        x = _x(at, span)
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y(before):.1f}" y2="{y(after):.1f}" '
            f'stroke="{RISE_COLOUR if rose else "#888"}" stroke-width="1.5"/>'
        )
    for at, low, high, is_after in marks.ranges:
        x = _x(at, span)
        body.append(
            f'<line class="range" x1="{x:.1f}" x2="{x:.1f}" y1="{y(low):.1f}" y2="{y(high):.1f}" '
            f'stroke="{AFTER_COLOUR if is_after else BEFORE_COLOUR}" stroke-width="3" '
            'stroke-opacity="0.45"/>'
        )
    for at, above, count in marks.rise_counts:
        body.append(
            f'<text class="rises" x="{_x(at, span):.1f}" y="{y(above - RISE_ABOVE) - 19:.1f}" '
            'font-size="9" '
            f'text-anchor="middle" fill="{RISE_COLOUR}">{count}</text>'
        )
    for at, score in marks.before:
        body.append(
            f'<circle class="before" cx="{_x(at, span):.1f}" cy="{y(score):.1f}" r="4.5" '
            f'fill="none" stroke="{BEFORE_COLOUR}" stroke-width="1.5">'
            f"<title>{at:%d %b}: pain before {score}</title></circle>"
        )
    for at, score in marks.after:
        body.append(
            f'<rect class="after" x="{_x(at, span) - 3:.1f}" y="{y(score) - 3:.1f}" width="6" '
            f'height="6" fill="{AFTER_COLOUR}"><title>{at:%d %b}: pain after {score}</title></rect>'
        )
    for at, score in marks.rises:
        body.append(
            f'<text class="rise" x="{_x(at, span):.1f}" y="{y(score) - 7:.1f}" '
            f'text-anchor="middle" fill="{RISE_COLOUR}">{RISE}</text>'
        )
    for kind, times, mark, colour, words in (
        ("dizzy", marks.dizzy, DIZZY, DIZZY_COLOUR, "dizzy: ended early"),
        ("early", marks.ended_early, EARLY, EARLY_COLOUR, "ended early"),
        ("unscored", marks.unscored, UNSCORED, UNSCORED_COLOUR, "no pain score"),
    ):
        for at in times:
            body.append(
                f'<text class="{kind}" x="{_x(at, span):.1f}" y="{y(LANES[kind]) + 5:.1f}" '
                f'text-anchor="middle" font-size="14" fill="{colour}">{mark}'
                f"<title>{at:%d %b}: {words}</title></text>"
            )
    return _svg(height, body + _date_ticks(report, span, bottom), "pain before and after each walk")


def _html(text: str) -> str:
    """``text`` as the HTML report writes it: escaped, its control characters as their
    pictures (:func:`visible`, as every export and picture shows them)."""
    return escape(visible(text))


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
        "<tr>" + "".join(f"<td>{_html(cell)}</td>" for cell in walk_row(e, report.made)) + "</tr>"
        for e in reversed(as_recorded(report))
    )
    kind = report.bars[0].kind if report.bars else "week"
    weeks_rows = "".join(  # a row a bar of the chart: a week, a month or a quarter
        f"<tr><td>{_html(b.label)}</td><td>{b.minutes:g}</td>"
        f"<td>{b.planned_minutes:g}</td><td>{b.days_at_plan}</td>"
        f"<td>{MISSING if b.planned_days is None else b.planned_days}</td>"
        f"<td>{_html(_levels(b))}</td></tr>"
        for b in report.bars
    )
    per = (
        f"<span>each mark: the walks of a {kind}, median and range; the number over "
        f"{RISE}: walks after which pain rose</span>"
        if kind in PERIOD_MARKS_FROM
        else ""
    )
    head = "".join(f"<th>{_html(c)}</th>" for c in WALK_COLUMNS)
    listed = (
        f"<h2>Walks, most recent first ({len(report.walks)})</h2>\n"
        f"<table><tr>{head}</tr>{rows}</table>"
        if report.walks
        else f"<h2>Walks</h2>\n<p>{NO_WALKS}: pacer walk records each walk; pacer log adds one.</p>"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{_html(report.title)}</title><style>{_CSS}</style></head>
<body>
<h1>{_html(report.title)}</h1>
<p class="small">{_html(report.period)}. Made by pacer on {_html(_day(report.made))}.</p>
{f'<p class="small">{_html(ahead_words(report.ahead))}</p>' if report.ahead else ""}
<p>Plan ({_html(report.preset)}): {_html(report.plan_words)}.</p>
<p class="advice">Suggested next {_html(report.preset)} walk: {minutes_words(advice.minutes)},
{_days_a_week(advice.days_per_week)}{_html(professional)}</p>
<p>Why (rule {advice.rule}): {_html(advice.reason)}.</p>
<p>{_html(report.pace_words)}</p>
{"".join(f"<p>{_html(words)}</p>" for words in report.also_words)}
<h2>Adherence per {report.bars[0].kind if report.bars else "week"} ({_html(report.preset)})</h2>
<p class="small key"><span>green: minutes walked</span><span>dashed: the plan's minutes
</span><span>{_html(days_key(report.bars[0].kind if report.bars else "week"))}</span></p>
{_adherence_svg(report)}
<table><tr><th>{"week of" if kind == "week" else kind}</th><th>minutes walked</th>
<th>minutes planned</th><th>days at the plan</th><th>days planned</th><th>plan</th></tr>
{weeks_rows}</table>
<h2>Cadence used (steps/min)</h2>
{_own_cadence(report)}
{_cadence_svg(report) if report.drawn else f"<p>{NO_WALKS}</p>"}
<h2>Pain before and after each walk (0-10)</h2>
<p class="small key"><span>○ before</span><span>■ after</span>
<span style="color:{RISE_COLOUR}">{RISE} pain rose</span>
<span style="color:{DIZZY_COLOUR}">{DIZZY} dizzy: ended early</span>
<span>{EARLY} ended early</span><span>{UNSCORED} no pain score</span>{per}</p>
{_pain_svg(report) if report.drawn else f"<p>{NO_WALKS}</p>"}
{f'<p class="small">{_html(far_words(report.far))}</p>' if report.far else ""}
{listed}
<p class="small">pacer gives pacing and reminders, not medical advice.</p>
</body></html>
"""


def _own_cadence(report: ClinicReport) -> str:
    own = report.own_cadence
    if own is None:
        return ""
    return (
        f"<p>Your own cadence, as last measured ({_html(own.how)}, "
        f"{_html(own.measured[:10])}): {pace_text(own.steps_per_minute)} steps/min.</p>"
    )


def _levels(bar: Period) -> str:
    """The plan in force over a bar's weeks: ``10 min, 3 days a week``, or from its
    first to its last when it changed (``10 min, 3 days a week to 15 min, ...``)."""
    first, last = _level(bar.weeks[0].planned), _level(bar.weeks[-1].planned)
    return first if first == last else f"{first} to {last}"


def _level(level: Level | None) -> str:
    if level is None:
        return MISSING
    return f"{level.minutes:g} min, {_days_a_week(level.days)}"


def _days_a_week(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''} a week"
