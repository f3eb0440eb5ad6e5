"""The journal as people and programs read it: weekly totals, the pain trend, a small
bar chart for the terminal, CSV and JSON, and an optional picture (matplotlib)."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .journal import COLUMNS, Entry

__all__ = ["Week", "as_csv", "as_records", "bar", "pain_trend", "plot", "weeks"]


@dataclass(frozen=True)
class Week:
    """One ISO week: its label (``2026-W47``), days walked and minutes walked."""

    label: str
    days: int
    minutes: float


def weeks(entries: list[Entry]) -> list[Week]:
    """Days walked and minutes walked per ISO week, oldest first."""
    days: dict[str, set[str]] = {}
    minutes: dict[str, float] = {}
    for e in entries:
        year, week, _ = date.fromisoformat(e.day).isocalendar()
        label = f"{year}-W{week:02d}"
        days.setdefault(label, set()).add(e.day)
        minutes[label] = minutes.get(label, 0.0) + e.walked_minutes
    return [Week(k, len(days[k]), round(minutes[k], 1)) for k in sorted(days)]


def bar(value: float, most: float, width: int = 30) -> str:
    """A bar of block characters, ``width`` long for ``most``."""
    if most <= 0:
        return ""
    eighths = round(value / most * width * 8)
    return "█" * (eighths // 8) + ("▏▎▍▌▋▊▉"[eighths % 8 - 1] if eighths % 8 else "")


def pain_trend(entries: list[Entry], last: int = 5) -> str:
    """How pain changed over the last walks that recorded it, in words."""
    rated = [e for e in entries if e.pain_before is not None and e.pain_after is not None]
    if not rated:
        return "Pain: not recorded yet (pacer walk asks; pacer log --pain-before/--pain-after)."
    recent = rated[-last:]
    changes = [e.pain_after - e.pain_before for e in recent]  # type: ignore[operator]
    rises = sum(1 for c in changes if c > 0)
    mean = sum(changes) / len(changes)
    word = "rose" if mean > 0 else "fell" if mean < 0 else "did not change"
    return (
        f"Pain over the last {len(recent)} walks: {word} by {abs(mean):.1f} on average; "
        f"it rose after {rises} of them."
    )


def as_records(entries: list[Entry]) -> list[dict[str, Any]]:
    """Every entry as a plain dict with ``id`` and :data:`~pacer.journal.COLUMNS`."""
    return [{"id": e.id, **{k: v for k, v in asdict(e).items() if k != "id"}} for e in entries]


def as_csv(entries: list[Entry]) -> str:
    """Every entry as CSV with a header row: ``id`` then the journal's columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *COLUMNS])
    for record in as_records(entries):
        writer.writerow(["" if record[k] is None else record[k] for k in ["id", *COLUMNS]])
    return out.getvalue()


def plot(entries: list[Entry], path: str) -> None:
    """Minutes per week (bars) and pain before/after each walk (lines) as a PNG.

    Raises ImportError when matplotlib is not installed.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    per_week = weeks(entries)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), constrained_layout=True)
    top.bar([w.label for w in per_week], [w.minutes for w in per_week], color="#4a7")
    top.set_ylabel("minutes walked")
    top.set_title("pacer: minutes per week")
    rated = [e for e in entries if e.pain_before is not None or e.pain_after is not None]
    x = list(range(len(rated)))
    bottom.plot(x, [e.pain_before for e in rated], "o-", label="before")
    bottom.plot(x, [e.pain_after for e in rated], "s-", label="after")
    bottom.set_ylim(0, 10)
    bottom.set_ylabel("pain (0-10)")
    bottom.set_xticks(x, [e.day[5:] for e in rated], rotation=45)
    bottom.legend()
    target = Path(path)
    temp = target.with_name(f".{target.name}.part")
    try:
        fig.savefig(temp, format="png")
        os.replace(temp, target)  # a whole picture or none
    finally:
        plt.close(fig)
        temp.unlink(missing_ok=True)
