"""The journal as people and programs read it: weekly totals by date, pain before and
after each walk with rises marked, a small bar chart for the terminal, CSV and JSON,
and an optional picture (matplotlib)."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .journal import COLUMNS, Entry

__all__ = [
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
