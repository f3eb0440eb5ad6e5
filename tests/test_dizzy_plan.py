"""Dizziness in the plan: a walk ended early because the walker felt dizzy counts
as a pain rise does; `pacer next` says so."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_plan import TODAY, cases, walk

from pacer.errors import SettingsError
from pacer.journal import Entry
from pacer.plan import next_walk


@settings(max_examples=200, deadline=None)
@given(case=cases(), pick=st.integers(0, 1000), later=st.integers(0, 20))
def test_next_treats_a_dizzy_walk_exactly_like_a_pain_rise(
    case: tuple[list[Entry], str], pick: int, later: int
) -> None:
    entries, preset = case
    mine = [i for i, e in enumerate(entries) if e.preset == preset]
    assume(mine)
    index = mine[pick % len(mine)]
    today = TODAY + timedelta(days=later)
    rose = list(entries)
    rose[index] = replace(entries[index], pain_before=3, pain_after=5, ended_early=True)
    dizzy = list(entries)
    dizzy[index] = replace(
        entries[index], pain_before=None, pain_after=None, ended_early=True, dizzy=True
    )
    after_rise = next_walk(rose, preset, today)
    after_dizzy = next_walk(dizzy, preset, today)
    assert (after_dizzy.minutes, after_dizzy.days_per_week, after_dizzy.see_professional) == (
        after_rise.minutes,
        after_rise.days_per_week,
        after_rise.see_professional,
    )
    # The reason's wording is checked by the example test below: in a random history another
    # walk on the same day may be the one a reason names.


def test_next_says_why_after_a_dizzy_walk_and_suggests_no_more() -> None:
    walks = [walk(d, 10, 3, 3, id=n + 1) for n, d in enumerate((20, 18, 16, 13, 11, 9))]
    before = next_walk(walks, "back-pain", TODAY - timedelta(days=2))
    dizzy = walk(2, 4, ended_early=True, dizzy=True, id=7)
    advice = next_walk([*walks, dizzy], "back-pain", TODAY)
    assert advice.rule == 2
    assert "you felt dizzy on your walk on" in advice.reason
    assert advice.minutes <= before.minutes and advice.days_per_week <= before.days_per_week


def test_a_dizzy_walk_must_have_ended_early() -> None:
    with pytest.raises(SettingsError, match="dizzy"):
        walk(1, 10, dizzy=True)
