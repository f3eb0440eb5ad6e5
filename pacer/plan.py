"""What the next walk should be, from the journal and the preset's plan.

The four rules (the README says them in a walker's words):

1. Only a walk with both pain scores is evidence about pain. A walk without them
   counts for days and minutes walked, never as "without more pain".
2. A walk whose pain after is higher than its pain before is a pain rise; a walk
   ended early because the walker felt dizzy counts as one too. After a pain rise:
   never more minutes and never more days; the next suggestion is the last level
   walked (with scores) without a rise, or one step down from where the rise happened
   if there is none (a level below the one where it rose: never the minutes that
   raised it). After two rises in a row, or two at most seven days apart: ease off one
   step more and see a professional, until a scored walk shows no rise.
3. A week (Monday to Sunday) earns a step up only if it met the plan's days (days
   with a walk at least as long as the plan's minutes), every scored walk in it
   showed no rise, at least one walk in it was scored, and none ended early. One step
   per such week, from the next week on: minutes or days, never both at once.
4. Scores are whole numbers 0-10 (:class:`~pacer.journal.Entry` refuses others); a
   rise is judged within one walk (before against after), never across walks.

The pain guard looks at the walker, not one preset: a pain rise or dizziness on any
programme is a setback for every programme (its week earns no step in any of them,
and while the walker's latest walk that tells about pain was a setback, every
programme says so under rule 2); two setbacks in a row, or two at most seven days
apart, on any programmes, mean: ease off and see a professional, whatever preset is
asked, until a scored walk on any programme shows no rise. Levels (the minutes and
days to go back to) stay per programme.

A level is minutes and days a week. The plan is replayed from the first walk: the
level starts at the plan's start, a good week moves it one step up, and a pain rise
moves it down. A walk's level is the minutes it walked (whole minutes, rounded down)
and the days a week the plan said at the time. Walks dated after ``today`` (a clock
set ahead, a change of time zone: times are kept without a zone) count as walked at
the end of ``today``; no walk is ever left out. A walk belongs to the programme
:func:`pacer.config.preset_identity` names, so one preset file spelled two ways is one
history. Pure functions over journal entries; nothing here reads a clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .journal import Entry, Journal, every_walk, expect_entries
from .presets import PLANS, Plan

if TYPE_CHECKING:
    from .session import Session

__all__ = [
    "PACE_STEP",
    "Advice",
    "PaceAdvice",
    "PlannedWalk",
    "planned_session",
    "planned_walk",
    "Level",
    "PLANS",
    "Plan",
    "RULES",
    "level_of",
    "walked_the_plan",
    "levels_by_week",
    "days_a_week",
    "days_words",
    "minutes_words",
    "next_pace",
    "next_walk",
    "pace_down",
    "pace_of",
    "plan_for",
    "step_down",
    "step_up",
    "walks_ahead",
    "week_start",
]

RULES = {
    1: "only a walk with both pain scores tells about pain",
    2: "after pain rose, never more",
    3: "a good week earns one step",
    4: "a rise is judged within one walk",
}
"""The rules' short names, by number, as ``pacer next`` quotes them."""

RISES_NEAR_DAYS = 7
"""Two rises at most this many days apart mean: ease off and see a professional."""


@dataclass(frozen=True, order=True)
class Level:
    """Minutes a walk and days a week."""

    minutes: float
    days: int


@dataclass(frozen=True)
class Advice:
    """The next walk: its length and how many days a week, the rule that decided it
    (1-4, see :data:`RULES`), and why in words."""

    preset: str
    minutes: float
    days_per_week: int
    reason: str
    rule: int = 3
    see_professional: bool = False
    plan: Plan = field(default=PLANS["backward"], repr=False)


def plan_for(preset: str) -> Plan:
    """A built-in preset's plan; the backward plan for any other name."""
    return PLANS.get(preset, PLANS["backward"])


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    _check_day(day, "day")
    return day - timedelta(days=day.weekday())


def step_up(plan: Plan, level: Level) -> Level:
    """One step up: days lost to easing off come back first; then minutes up to
    ``minutes_before_more_days``; then one more day, up to ``max_days``; then minutes
    up to ``max_minutes``. Never minutes and days at once."""
    if level.days < plan.start_days:
        return Level(level.minutes, level.days + 1)
    if level.minutes < plan.minutes_before_more_days:
        return Level(
            min(plan.minutes_before_more_days, level.minutes + plan.step_minutes), level.days
        )
    if level.days < plan.max_days:
        return Level(level.minutes, level.days + 1)
    if level.minutes < plan.max_minutes:
        return Level(min(plan.max_minutes, level.minutes + plan.step_minutes), level.days)
    return level


def step_down(plan: Plan, level: Level) -> Level:
    """One step down, the reverse of :func:`step_up`; at the plan's floor (its
    :attr:`~pacer.presets.Plan.least_minutes`, its start's days a week) it stays."""
    if level.minutes > plan.minutes_before_more_days:
        lower = max(plan.minutes_before_more_days, level.minutes - plan.step_minutes)
        return Level(lower, level.days)
    if level.days > plan.start_days:
        return Level(level.minutes, level.days - 1)
    if level.minutes > plan.least_minutes:
        return Level(max(plan.least_minutes, level.minutes - plan.step_minutes), level.days)
    return level


def floor_of(plan: Plan) -> Level:
    """The lowest level easing off suggests (:func:`step_down` stops there)."""
    return Level(plan.least_minutes, plan.start_days)


def _below(a: Level, b: Level) -> bool:
    """``a`` is less than ``b``: fewer minutes or days, and more of neither."""
    return a != b and a.minutes <= b.minutes and a.days <= b.days


def _at_most(a: Level, b: Level) -> Level:
    return Level(min(a.minutes, b.minutes), min(a.days, b.days))


def walked_the_plan(entry: Entry, planned: Level) -> bool:
    """Whether a walk lasted at least the plan's minutes at the time (``planned``)."""
    return entry.walked_minutes >= planned.minutes - 0.01


def level_of(entry: Entry, planned: Level) -> Level:
    """The level a walk counts at, ``planned`` being the plan's at the time: a walk of
    the plan's minutes or more at its whole minutes and the plan's days; a shorter one
    (cut short, or short by choice) where the plan was, never at the few minutes it
    lasted: rule 2 steps down from the plan's level, not from a truncated walk."""
    if not walked_the_plan(entry, planned):
        return planned
    minutes = float(math.floor(entry.walked_minutes + 1e-9))
    return Level(max(planned.minutes, minutes), planned.days)


def _short(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _week(day: date) -> str:
    return f"the week of {day.day} {day:%b}"


def days_words(count: int) -> str:
    """``1 day``, ``3 days``."""
    return f"{count} day{'s' if count != 1 else ''}"


_days = days_words


def days_a_week(count: int) -> str:
    """``1 day a week``, ``3 days a week``."""
    return f"{days_words(count)} a week"


def minutes_words(minutes: float) -> str:
    """``1 minute``, ``1.5 minutes``, ``10 minutes``."""
    from .session import LIMITS

    minutes = LIMITS["elapsed"].check(minutes, "minutes")
    return f"{minutes:g} minute{'' if minutes == 1 else 's'}"


def _setback_words(entry: Entry, elsewhere: bool = False) -> str:
    """What happened on a walk that set the plan back: pain rose, or dizziness; on
    another programme (``elsewhere``), which one."""
    where = f" in {entry.preset}" if elsewhere else ""
    if entry.pain_rose:
        rose = (
            f"pain rose after your walk on {_short(entry.date)}{where} ({entry.pain_before} "
            f"before, {entry.pain_after} after)"
        )
        return rose + (", and you felt dizzy" if entry.dizzy else "")
    return f"you felt dizzy on your walk on {_short(entry.date)}{where} and it ended early"


def _level_words(level: Level) -> str:
    return f"{minutes_words(level.minutes)}, {_days(level.days)} a week"


@dataclass
class _Verdict:
    """What a finished week earned, and why not when it earned nothing."""

    start: date
    earned: bool
    before: Level
    after: Level
    days: int
    scored: int
    problems: list[str]
    only_unscored: bool


@dataclass
class _Replay:
    """The plan of one programme replayed over the walker's walks (every programme's:
    setbacks anywhere hold this one back), up to a day."""

    plan: Plan
    level: Level
    preset: str = ""
    tolerated: list[tuple[Entry, Level]] = field(default_factory=list)
    rises: list[Entry] = field(default_factory=list)  # setbacks on any programme
    last_telling: Entry | None = None  # the latest walk, any programme, scored or dizzy
    professional: bool = False
    professional_why: str = ""
    lowered_by_rise: bool = False  # the level's last change was a rise, not a step
    rise_how: str = ""  # how rule 2 chose the level after the last rise
    verdicts: dict[date, _Verdict] = field(default_factory=dict)
    setback_weeks: dict[date, Entry] = field(default_factory=dict)  # first setback each week
    week: date | None = None  # the week of the latest walk fed, any programme
    this_week: list[tuple[Entry, Level]] = field(default_factory=list)  # its own walks
    held_at: Entry | None = None  # the setback here since which the level is eased
    floored: bool = False  # a setback asked for less than the plan's floor

    def _down(self, level: Level) -> Level:
        lower = step_down(self.plan, level)
        if lower == level:
            self.floored = True
        return lower

    def feed(self, entry: Entry) -> None:
        """The next walk of the walker, any programme, in the order walked."""
        start = week_start(entry.date)
        if self.week is not None and start != self.week:
            if self.this_week:
                self.close_week(self.week, self.this_week)
            self.this_week = []
        self.week = start
        if entry.preset == self.preset:
            self.this_week.append((entry, self.level))
        self.walk(entry)

    def close_by(self, day: date) -> None:
        """Close the latest week when it has ended by ``day``."""
        if self.week is not None and self.this_week and self.week + timedelta(days=7) <= day:
            self.close_week(self.week, self.this_week)
            self.this_week = []

    def _warn(self, entry: Entry) -> bool:
        """Rule 2 across programmes: whether setback ``entry`` comes right after another
        (among the walker's walks that tell about pain) or at most
        :data:`RISES_NEAR_DAYS` days after one; sets the warning and says why."""
        near = bool(self.rises) and (entry.date - self.rises[-1].date).days <= RISES_NEAR_DAYS
        in_a_row = self.last_telling is not None and self.last_telling.setback
        was = self.professional
        self.professional = near or in_a_row
        if in_a_row:
            self.professional_why = "two walks in a row"
        elif near:
            self.professional_why = f"two walks at most {RISES_NEAR_DAYS} days apart"
        self.rises.append(entry)
        self.last_telling = entry
        self.setback_weeks.setdefault(week_start(entry.date), entry)
        return was

    def walk(self, entry: Entry) -> None:
        if not entry.scored and not entry.dizzy:  # rule 1: counts for days, not pain
            return
        if not entry.setback:  # dizziness counts as a pain rise does
            if entry.preset == self.preset and walked_the_plan(entry, self.level):
                # A level walked without a rise; a walk shorter than the plan is none.
                self.tolerated.append((entry, level_of(entry, self.level)))
            self.professional = False
            self.floored = False
            self.last_telling = entry
            return
        if entry.preset != self.preset:
            # A setback on another programme: no step up here either (its week earns
            # none), no level this programme has not walked (a step earned but not yet
            # walked is not kept), and easing off, when it brings the warning, eases
            # this one too.
            newly = not self._warn(entry) and self.professional
            walked = self.tolerated[-1][1] if self.tolerated else self._start()
            level = _at_most(self.level, walked)
            if newly:
                level = self._down(level)
            if level != self.level:
                self.level = level
                self.lowered_by_rise = True
            return
        here = level_of(entry, self.level)
        self._warn(entry)
        self.held_at = entry
        # Rule 2: back to the last level walked without a rise that is below the one
        # that rose, else one step down from where it rose; never above the level
        # before it; one more step down when setbacks come close together.
        back = next(
            (t for t in reversed(self.tolerated) if _below(t[1], here)),
            None,
        )
        base = back[1] if back is not None else self._down(here)
        if back is not None:
            self.rise_how = (
                f"back to the last level you walked without a rise, on {_short(back[0].date)}"
            )
        else:
            self.rise_how = f"one step down from {minutes_words(here.minutes)}, that walk's level"
        if not walked_the_plan(entry, self.level):
            lasted = minutes_words(round(entry.walked_minutes, 1))
            self.rise_how = (
                f"that walk lasted {lasted} of the plan's {minutes_words(here.minutes)} and "
                f"counts as a walk of {minutes_words(here.minutes)}; {self.rise_how}"
            )
        if not (base.minutes <= self.level.minutes and base.days <= self.level.days):
            self.rise_how = "no higher than the plan was before it"
        self.level = _at_most(base, self.level)
        if self.professional:
            self.level = self._down(self.level)
        self.lowered_by_rise = True

    def _start(self) -> Level:
        return Level(self.plan.start_minutes, self.plan.start_days)

    def close_week(self, start: date, walks: list[tuple[Entry, Level]]) -> None:
        """Rule 3: one step up for a week that earned it."""
        before = walks[0][1]
        days = {e.day for e, _ in walks if e.walked_minutes >= before.minutes - 0.01}
        scored = [e for e, _ in walks if e.scored]
        rose = [e for e, _ in walks if e.setback] or [
            e for e in [self.setback_weeks.get(start)] if e is not None
        ]
        early = [e for e, _ in walks if e.ended_early]
        problems = []
        if len(days) < before.days:
            problems.append(
                f"{_days(len(days))} at {minutes_words(before.minutes)} or more, of {before.days}"
            )
        if not scored:
            problems.append("no walk had both pain scores, rule 1")
        if rose:
            what = "you felt dizzy" if rose[0].dizzy and not rose[0].pain_rose else "pain rose"
            where = f" in {rose[0].preset}" if rose[0].preset != self.preset else ""
            problems.append(f"{what} on {_short(rose[0].date)}{where}")
        if early:
            ids = ", ".join(str(e.id) for e in early if e.id is not None)
            problems.append(f"a walk ended early{f' (walk {ids})' if ids else ''}")
        earned = not problems
        if earned:
            self.level = step_up(self.plan, self.level)
            self.lowered_by_rise = False
            self.held_at = None
        only_unscored = len(problems) == 1 and not scored
        self.verdicts[start] = _Verdict(
            start, earned, before, self.level, len(days), len(scored), problems, only_unscored
        )


def _in_order(entries: list[Entry] | tuple[Entry, ...], today: date) -> list[Entry]:
    """The walker's walks in the order walked, each under its programme's identity
    (:func:`pacer.config.preset_identity`); one dated after ``today`` counts as walked
    at the end of ``today`` (kept in its place among the others), never left out."""
    from .config import preset_identity

    names: dict[str, str] = {}
    late = f"{today.isoformat()}T23:59:59"
    out = []
    for entry in sorted(entries, key=lambda e: (e.started, e.id or 0)):
        name = names.setdefault(entry.preset, preset_identity(entry.preset))
        changes: dict[str, str] = {}
        if name != entry.preset:
            changes["preset"] = name
        if entry.date > today:
            changes["started"] = late
        out.append(replace(entry, **changes) if changes else entry)  # type: ignore[arg-type]
    return out


def _replay(walks: list[Entry], preset: str, plan: Plan, today: date) -> _Replay:
    """Replay ``preset``'s plan over ``walks`` (the walker's, every programme, in
    order, as :func:`_in_order` gives them), up to ``today``."""
    state = _Replay(plan, Level(plan.start_minutes, plan.start_days), preset)
    for entry in walks:
        state.feed(entry)
    state.close_by(today)
    return state


def _check_advice_arguments(entries: object, preset: object, today: object, plan: object) -> None:
    from .session import expect

    expect_entries(entries)
    expect(preset, str, "preset", "a preset name")
    _check_day(today, "today")
    if plan is not None:
        expect(plan, Plan, "plan", "a Plan")


def _check_day(day: object, name: str) -> None:
    if isinstance(day, datetime) or not isinstance(day, date):
        from .errors import SettingsError
        from .session import show

        raise SettingsError(f"{name}: {show(day)} is not a date", name)


def walks_ahead(entries: list[Entry], today: date) -> list[Entry]:
    """The walks dated after ``today``: the plan counts them as walked today."""
    _check_advice_arguments(entries, "", today, None)
    return [e for e in entries if e.date > today]


def next_walk(entries: list[Entry], preset: str, today: date, plan: Plan | None = None) -> Advice:
    """Advice for the next ``preset`` walk after ``entries`` (the walker's, any order,
    any presets: a setback on any programme holds this one back too; walks dated
    after ``today`` count as walked today), on ``plan`` (default: the preset's
    built-in plan, else the backward plan). The same decision as :func:`next_pace`'s
    (:func:`_decide`)."""
    return _decide(entries, preset, today, plan)[0]


@dataclass
class _Decision:
    """What :func:`_advise` decided for the minutes and days, for the pace to follow."""

    advice: Advice
    state: _Replay
    everything: list[Entry]
    name: str
    plan: Plan
    verdict: _Verdict | None  # the last finished week's
    stepped: bool  # the minutes or days go up: the week's one step is taken


def _decide(
    entries: list[Entry], preset: str, today: date, plan: Plan | None
) -> tuple[Advice, PaceAdvice]:
    """The one decision for the next ``preset`` walk: minutes, days and pace. After a
    setback (rule 2) none of them goes up; a good week's one step (rule 3) is the
    minutes or days while the plan has a step left, and the pace only once it has
    none; the pace follows the rule that decided the minutes."""
    _check_advice_arguments(entries, preset, today, plan)
    decision = _advise(entries, preset, today, plan if plan is not None else plan_for(preset))
    return decision.advice, _pace_for(decision, today)


def _advise(entries: list[Entry], preset: str, today: date, plan: Plan) -> _Decision:
    from .config import preset_identity

    name = preset_identity(preset)
    everything = _in_order(entries, today)
    walks = [e for e in everything if e.preset == name]
    state = _replay(everything, name, plan, today)
    level = state.level
    verdict = state.verdicts.get(week_start(today) - timedelta(days=7))
    stepped = False

    def decided(advice: Advice) -> _Decision:
        return _Decision(advice, state, everything, name, plan, verdict, stepped)

    def advice(reason: str, rule: int, professional: bool = False) -> Advice:
        return Advice(preset, level.minutes, level.days, reason, rule, professional, plan)

    last = state.last_telling
    if last is not None and last.setback:
        elsewhere = last.preset != name
        rise = _setback_words(last, elsewhere)
        if state.floored:
            return decided(
                advice(
                    f"{rise}"
                    f"{f', after {state.professional_why}' if state.professional else ''}"
                    f"{' (on any programme)' if elsewhere else ''}: ease off to "
                    f"{_level_words(level)}, the plan's floor, no less; rest and see a "
                    "professional; pacer says so until a walk with both scores shows no rise",
                    2,
                    True,
                )
            )
        if state.professional:
            return decided(
                advice(
                    f"{rise}, after {state.professional_why}"
                    f"{' (on any programme)' if elsewhere else ''}: ease off to "
                    f"{_level_words(level)}, rest, and see a professional if the pain "
                    "persists; pacer says so until a walk with both scores shows no rise",
                    2,
                    True,
                )
            )
        if elsewhere:
            return decided(
                advice(
                    f"{rise}; a setback on any programme holds every programme back: no more "
                    f"minutes and no more days: keep to {_level_words(level)}",
                    2,
                )
            )
        return decided(
            advice(
                f"{rise}: no more minutes and no more days; {state.rise_how}: "
                f"{_level_words(level)}",
                2,
            )
        )
    if not walks:
        return decided(
            advice(f"no {name} walks recorded yet: start the plan at {_level_words(level)}", 3)
        )
    this_week = week_start(today)
    last_week = this_week - timedelta(days=7)
    so_far = len(
        {
            e.day
            for e in walks
            if week_start(e.date) == this_week and e.walked_minutes >= level.minutes - 0.01
        }
    )
    progress = (
        f"; this week so far: {_days(so_far)} at {minutes_words(level.minutes)}, of {level.days}"
    )
    recent = state.rises[-1] if state.rises and state.rises[-1].date >= last_week else None
    if recent is not None:  # this week or last: the week earns nothing, rule 2 says why
        return decided(
            advice(
                f"{_setback_words(recent, recent.preset != name)}; walks since showed no rise, "
                f"but a week with a setback earns no step: keep to {_level_words(level)}{progress}",
                2,
            )
        )
    if verdict is not None and verdict.earned and level == verdict.after:
        stepped = verdict.after != verdict.before
        if not stepped:
            return decided(
                advice(
                    f"{_week(last_week)} met the plan, and you are at its top "
                    f"({_level_words(level)}): keep it up; pacer will not suggest more minutes "
                    "or days",
                    3,
                )
            )
        grew = (
            f"up to {minutes_words(level.minutes)}, {_days(level.days)} a week"
            if level.minutes > verdict.before.minutes
            else f"one more day: {_days(level.days)} a week at {minutes_words(level.minutes)}"
        )
        return decided(
            advice(
                f"{_week(last_week)} earned one step ({_days(verdict.days)} at "
                f"{minutes_words(verdict.before.minutes)}, of {verdict.before.days}; pain never "
                f"rose in its {verdict.scored} scored walk{'s' if verdict.scored != 1 else ''}, "
                f"none ended early): {grew}",
                3,
            )
        )
    if verdict is not None:
        rule = 1 if verdict.only_unscored else 3
        return decided(
            advice(
                f"{_week(last_week)} earned no step ({'; '.join(verdict.problems)}): keep to "
                f"{_level_words(level)}{progress}",
                rule,
            )
        )
    if walks[0].date >= this_week:
        return decided(
            advice(
                f"no finished week to go by yet: keep to {_level_words(level)}{progress}; a full "
                "week at it, scored, with no rise, earns the next step",
                3,
            )
        )
    return decided(
        advice(
            f"no {name} walks in {_week(last_week)}: keep to {_level_words(level)}{progress}",
            3,
        )
    )


def levels_by_week(
    entries: list[Entry], preset: str, today: date, plan: Plan | None = None
) -> list[tuple[date, Level]]:
    """The plan's level in force at the start of each week (its Monday), from the week
    of the first ``preset`` walk to ``today``'s week: what ``pacer next`` would have
    said that Monday (setbacks on every programme count). Empty when there is no
    such walk."""
    from .config import preset_identity

    plan = plan if plan is not None else plan_for(preset)
    name = preset_identity(preset)
    everything = _in_order(entries, today)
    walks = [e for e in everything if e.preset == name]
    if not walks:
        return []
    out: list[tuple[date, Level]] = []
    state = _Replay(plan, Level(plan.start_minutes, plan.start_days), name)
    start = week_start(walks[0].date)
    done = 0
    while start <= week_start(today):  # one replay, read at each Monday
        while done < len(everything) and everything[done].date < start:
            state.feed(everything[done])
            done += 1
        state.close_by(start)
        out.append((start, state.level))
        start += timedelta(days=7)
    return out


PACE_STEP = 0.05
"""A week at a pace without a setback earns this much more (5 % more steps a minute);
a setback takes one such step back."""


@dataclass(frozen=True)
class PaceAdvice:
    """The next walk's pace (steps/min; ``None`` with no walk to go by) and why (in
    words without brackets: ``pacer next`` shows them in brackets)."""

    steps_per_minute: float | None
    reason: str
    rule: int = 3
    """The rule that decided it: the one that decided the minutes and days
    (:attr:`Advice.rule`)."""


def pace_of(entry: Entry) -> float | None:
    """The pace a walk counts at for the pain guard: the slower of its first and last
    pace (a walk sped up or slowed down was walked at both), ``None`` without one."""
    paces = [p for p in (entry.spm_start, entry.spm_end) if p is not None]
    return float(min(paces)) if paces else None


def pace_down(pace: float) -> float:
    """One pace step down (5 % fewer steps a minute than :data:`PACE_STEP` up gives),
    never below the slowest pace pacer plays."""
    from .session import LIMITS

    return max(LIMITS["steps_per_minute"].low, round(pace / (1 + PACE_STEP), 1))


def _guarded_pace(
    walks: list[Entry], setbacks: list[Entry], pace: float, ceiling: float, professional: bool
) -> tuple[float, str]:
    """Rule 2 for the pace, after ``setbacks`` (the latest last): never faster than
    ``pace`` (the pace walked last), than the last pace walked on this programme
    (``walks``, in order) with both scores and no setback, nor than the ceiling; after
    a setback on this programme, back to the last pace walked without one below the
    pace where it happened, else one step down from that pace; one step more with the
    warning to see a professional. Returns the pace and how it was chosen."""
    from .session import pace_text

    def said(value: float) -> str:
        return f"{pace_text(value)} steps/min"

    choices = [(pace, f"keep {said(pace)}")]
    place = {id(w): i for i, w in enumerate(walks)}
    tolerated = [(i, w, pace_of(w)) for i, w in enumerate(walks) if w.scored and not w.setback]
    for setback in setbacks:
        index = place.get(id(setback))
        if index is None:
            continue  # on another programme: this one's own paces hold it
        where = pace_of(setback)
        if where is None:  # logged without a pace: the pace walked last before it
            earlier = (pace_of(w) for w in reversed(walks[:index]))
            where = next((p for p in earlier if p is not None), None)
        if where is None:
            continue
        back = next(
            (
                (w, p)
                for i, w, p in reversed(tolerated)
                if i < index and p is not None and p < where
            ),
            None,
        )
        if back is not None:
            choices.append(
                (
                    back[1],
                    f"back to {said(back[1])}, which you walked without a rise on "
                    f"{_short(back[0].date)}, slower than the {said(where)} of "
                    f"{_short(setback.date)}",
                )
            )
        else:
            down = pace_down(where)
            choices.append(
                (
                    down,
                    f"one step down from {said(where)}, the pace of {_short(setback.date)}, "
                    f"to {said(down)}",
                )
            )
    known = [(w, p) for _, w, p in tolerated if p is not None]
    if known:
        last, at = known[-1]
        choices.append(
            (
                at,
                f"no faster than {said(at)}, the last pace you walked here without a rise, "
                f"on {_short(last.date)}",
            )
        )
    choices.append(
        (ceiling, f"{said(ceiling)}, this programme's ceiling, not the {said(pace)} walked last")
    )
    chosen, how = min(choices, key=lambda c: c[0])  # the first of the lowest
    if professional:
        lower = pace_down(chosen)
        how = f"{how}, and one step more after setbacks close together: {said(lower)}"
        chosen = lower
    return chosen, how


def next_pace(
    entries: list[Entry], preset: str, today: date, plan: Plan | None = None
) -> PaceAdvice:
    """The pace of the next ``preset`` walk, decided with its minutes and days
    (:func:`next_walk`; one decision, :func:`_decide`). After a setback (pain rose, or
    dizzy) on any programme in this or last week (Monday to Sunday), or while the
    walker's latest walk that tells about pain is one: rule 2 as for minutes
    (:func:`_guarded_pace`), never faster than the pace walked last nor than the last
    pace walked here with both scores and no rise, never the pace that hurt. Otherwise
    5 % more steps a minute than the pace walked last only as the one step of a good
    week (rule 3) that the plan's minutes and days cannot take (they are at its top),
    once a whole week has been walked at that pace; never above the plan's
    ``max_steps_per_minute``; otherwise the same pace, and why. Walks dated after
    ``today`` count as walked today."""
    return _decide(entries, preset, today, plan)[1]


def _pace_for(decision: _Decision, today: date) -> PaceAdvice:
    """The pace follows the minutes: while the level is still the one a setback here
    set (no week has earned a step since), the pace is never faster than the one
    advised right after that setback (an eased pace stays eased as the minutes do)."""

    now = _pace_now(decision, today)
    held = decision.state.held_at
    if now.steps_per_minute is None or held is None:
        return now
    everything = decision.everything
    upto = next(i for i, e in enumerate(everything) if e is held) + 1
    if upto == len(everything) and held.date == today:
        return now  # decided right after it: this is that pace
    then = _advise(everything[:upto], decision.advice.preset, held.date, decision.plan)
    eased = _pace_now(then, held.date).steps_per_minute
    if eased is None or now.steps_per_minute <= eased:
        return now
    return PaceAdvice(
        eased,
        f"eased after the setback of {_short(held.date)}, kept so while the minutes "
        "are; never faster after a setback",
        now.rule,
    )


def _pace_now(decision: _Decision, today: date) -> PaceAdvice:
    from .session import pace_text

    advice, state, everything, name, plan = (
        decision.advice,
        decision.state,
        decision.everything,
        decision.name,
        decision.plan,
    )
    rule = advice.rule
    own = [e for e in everything if e.preset == name]
    walks = [e for e in own if e.spm_start is not None]
    if not walks:
        return PaceAdvice(None, f"no {name} walk recorded yet: walk at the preset's pace", rule)
    pace = float(walks[-1].spm_start or 0)
    ceiling = plan.max_steps_per_minute
    last_week = week_start(today) - timedelta(days=7)  # as the minutes go by
    setbacks = [w for w in everything if w.setback and w.date >= last_week]
    telling = [w for w in everything if w.scored or w.dizzy]
    if telling and telling[-1].setback and telling[-1] not in setbacks:
        setbacks.append(telling[-1])  # rule 2 holds until a scored walk shows no rise
    if setbacks or rule == 2:
        last = setbacks[-1] if setbacks else state.rises[-1]
        what = "you felt dizzy" if last.dizzy and not last.pain_rose else "pain rose"
        where = f" in {last.preset}" if last.preset != name else ""
        professional = bool(telling) and telling[-1].setback and state.professional
        guarded, how = _guarded_pace(own, setbacks or [last], pace, ceiling, professional)
        return PaceAdvice(
            guarded,
            f"{what} after the walk on {_short(last.date)}{where}: {how}; never faster "
            "after a setback, on any programme",
            2,
        )
    said = f"{pace_text(pace)} steps/min"
    if pace > ceiling:
        return PaceAdvice(
            ceiling,
            f"{said} is above this programme's ceiling: walk at {pace_text(ceiling)} steps/min",
            rule,
        )
    verdict = decision.verdict
    if decision.stepped:
        what = "minutes" if advice.minutes > (verdict.before.minutes if verdict else 0) else "days"
        return PaceAdvice(
            pace, f"the week's one step is the {what}, not the pace as well: keep {said}", rule
        )
    if verdict is None or not verdict.earned:
        return PaceAdvice(
            pace,
            f"keep {said}: a faster pace is the one step of a good week at the plan's top",
            rule,
        )
    since = walks[-1].date
    for walk in reversed(walks):
        if walk.spm_start != pace:
            break
        since = walk.date
    if (today - since).days < 7:
        return PaceAdvice(pace, f"{said} since {_short(since)}: a whole week at it first", rule)
    if pace >= ceiling:
        return PaceAdvice(pace, f"{said} is this programme's ceiling, {pace_text(ceiling)}", rule)
    more = min(ceiling, round(pace * (1 + PACE_STEP), 1))
    return PaceAdvice(
        more,
        f"a good week at the plan's top, at {said} without more pain: its one step is the "
        f"pace, {pace_text(more)}, 5 % more",
        rule,
    )


@dataclass(frozen=True)
class PlannedWalk:
    """What the next walk of a preset should be, as ``pacer next`` and ``pacer walk
    --plan`` say it: the minutes and days (:class:`Advice`), the pace
    (:class:`PaceAdvice`), and a ``note`` when the preset has no ``[plan]`` of its own
    (then the backward plan is used)."""

    preset: str
    advice: Advice
    pace: PaceAdvice
    note: str | None = None

    @property
    def options(self) -> dict[str, float]:
        """The options that walk it (for :func:`pacer.session_from`): its minutes, and
        its pace when one is advised."""
        chosen: dict[str, float] = {"minutes": self.advice.minutes}
        if self.pace.steps_per_minute is not None:
            chosen["steps_per_minute"] = self.pace.steps_per_minute
        return chosen


def planned_walk(entries: list[Entry] | Journal, preset: str, today: date) -> PlannedWalk:
    """The next ``preset`` walk after ``entries`` (the walker's walks on every
    programme; a :class:`pacer.Journal`: its walks and those kept for it that it could
    not take yet, :func:`pacer.journal.every_walk`, as ``pacer next`` counts them) on
    the preset's own plan (:func:`pacer.config.load_plan`), else the backward plan,
    with a note saying so. An unknown preset is a SettingsError."""
    if isinstance(entries, Journal):
        entries = every_walk(entries)[0]
    _check_advice_arguments(entries, preset, today, None)
    from .config import load_plan

    own = load_plan(preset)
    chosen = own or PLANS["backward"]
    note = None
    if own is None:
        note = (
            f"{preset} has no [plan] table of its own, so this is the backward plan "
            "(pacer presets show back-pain prints one to copy)."
        )
    advice, pace = _decide(list(entries), preset, today, chosen)
    return PlannedWalk(preset, advice, pace, note)


def planned_session(
    entries: list[Entry] | Journal, preset: str, today: date, **options: Any
) -> tuple[Session, PlannedWalk]:
    """The session ``pacer walk --plan`` walks: ``preset`` at the minutes and pace
    :func:`planned_walk` advises, with your ``config.toml`` and ``options`` (any of
    :func:`pacer.session_from`'s but ``minutes`` and ``steps_per_minute``, which the
    plan sets); and the advice, to say why.

    >>> with pacer.Journal() as book:                       # doctest: +SKIP
    ...     session, why = pacer.plan.planned_session(book, "backward", date.today())
    """
    from .config import session_from
    from .errors import SettingsError

    for key in ("minutes", "steps_per_minute"):
        if key in options:
            raise SettingsError(
                f"{key}: the plan sets it; leave it out, or use pacer.session_from", key
            )
    planned = planned_walk(entries, preset, today)
    chosen: dict[str, Any] = {**options, **planned.options}
    return session_from(preset, **chosen), planned
