"""What the next walk should be, from the journal and the preset's plan.

The rules, from the walking guidance:

* **back-pain**: start around 10 minutes, 3 days a week; build up towards 30-60
  minutes, 5 days a week: 5 more minutes after a week in which the planned days were
  walked, up to 30; then one more day a week, up to 5; then 5 more minutes, up to 60.
* **backward**: 20 minutes; 2 more minutes after a week of regular walks, up to 30.
* **Pain must not increase.** After a walk whose pain after was higher than before,
  neither time nor frequency goes up. After two such walks in a row: ease off (5
  minutes less, one day fewer) and see a professional if it persists.

Pure functions over journal entries; nothing here reads a file or a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .journal import Entry

__all__ = ["Advice", "PLANS", "Plan", "next_walk"]


@dataclass(frozen=True)
class Plan:
    """A preset's progression: where it starts, how it grows, where it stops."""

    start_minutes: float
    start_days: int
    step_minutes: float
    max_minutes: float
    max_days: int
    minutes_before_more_days: float


PLANS = {
    "back-pain": Plan(10, 3, 5, 60, 5, 30),
    "backward": Plan(20, 3, 2, 30, 5, 30),
}


@dataclass(frozen=True)
class Advice:
    """The next walk: its length and how many days a week, and why."""

    preset: str
    minutes: float
    days_per_week: int
    reason: str
    see_professional: bool = False


def _days_walked(entries: list[Entry], today: date) -> int:
    week_ago = (today - timedelta(days=7)).isoformat()
    return len({e.day for e in entries if week_ago < e.day <= today.isoformat()})


def _longer(preset: str, minutes: float, days: int, step: float, limit: float) -> Advice:
    """One step longer, up to ``limit`` minutes, after a good week."""
    more = min(limit, minutes + step)
    return Advice(
        preset, more, days, f"a full week walked without more pain: build up to {more:g} minutes"
    )


def next_walk(entries: list[Entry], preset: str, today: date) -> Advice:
    """Advice for the next ``preset`` walk after ``entries`` (any order)."""
    plan = PLANS.get(preset, PLANS["backward"])
    walks = sorted((e for e in entries if e.preset == preset), key=lambda e: (e.started, e.id or 0))
    if not walks:
        return Advice(
            preset,
            plan.start_minutes,
            plan.start_days,
            f"no {preset} walks recorded yet: start with {plan.start_minutes:g} minutes, "
            f"{plan.start_days} days a week",
        )
    last = walks[-1]
    minutes = max(last.planned_minutes, last.walked_minutes) or plan.start_minutes
    days = max(plan.start_days, min(plan.max_days, _days_walked(walks, today)))
    rated = [w for w in walks if w.pain_before is not None and w.pain_after is not None]
    rises = 0
    for walk in reversed(rated):
        if not walk.pain_rose:
            break
        rises += 1
    if rated and rated[-1] is last and last.pain_rose:
        if rises >= 2:
            eased = max(5.0, minutes - plan.step_minutes)
            return Advice(
                preset,
                eased,
                max(1, days - 1),
                f"pain rose after your last {rises} walks: ease off to {eased:g} minutes, "
                f"{max(1, days - 1)} days a week, rest, and see a professional if the pain "
                "persists",
                see_professional=True,
            )
        return Advice(
            preset,
            minutes,
            days,
            f"pain rose after your last walk ({last.pain_before} to {last.pain_after}): "
            f"no increase; keep to {minutes:g} minutes, and check your form",
        )
    week_ago = (today - timedelta(days=7)).isoformat()
    this_week = [w for w in walks if w.day > week_ago]
    kept_up = len({w.day for w in this_week}) >= days and not any(w.ended_early for w in this_week)
    if not kept_up:
        return Advice(
            preset,
            minutes,
            days,
            f"keep to {minutes:g} minutes, {days} days a week, until a full week is walked",
        )
    if minutes < plan.minutes_before_more_days:
        return _longer(preset, minutes, days, plan.step_minutes, plan.minutes_before_more_days)
    if days < plan.max_days:
        return Advice(
            preset,
            minutes,
            days + 1,
            f"a full week walked without more pain: add a day, {days + 1} days a week",
        )
    if minutes < plan.max_minutes:
        return _longer(preset, minutes, days, plan.step_minutes, plan.max_minutes)
    return Advice(preset, minutes, days, "you are at the top of the plan: keep it up, no more")
