"""Test helper (pytest puts tests/ on the path): what the plans a live walk played say
it walked, read offline from its :class:`pacer.live.Played` records."""

from __future__ import annotations

import pacer
from pacer import Session
from pacer.live import Played


def main_walk_heard(walk: Session, played: tuple[Played, ...]) -> tuple[int, list[float]]:
    """What the plans a walk played say of its main walk (the first "walk" phase; all
    of it when there is none): the samples each plan is heard in it (from where the
    plan starts to where it was cut, or to its end), and the pace at each step heard
    there, in order."""
    main, count = walk.main_index, len(walk.phases)
    samples, paces = 0, []
    for item in played:
        if item.session is None:
            continue
        spans = pacer.cadence.layout(item.session)
        # a plan is the rest of the walk: its phases are the walk's last ones
        wanted = [s.index for s in spans if main is None or s.index == main - (count - len(spans))]
        until = spans[-1].end if item.cut is None else min(item.cut, spans[-1].end)
        for span in (spans[i] for i in wanted):
            samples += max(0, min(span.end, until) - span.start)
        for beat in pacer.beats(item.session, 0, until):
            if beat.phase in wanted:
                span = spans[beat.phase]
                a, b = span.phase.steps_per_minute, span.phase.end_steps_per_minute
                assert a is not None and b is not None
                pace = (
                    a
                    if a == b
                    else round(a + (b - a) * (beat.sample - span.start) / span.length, 1)
                )
                paces.append(pace)
    return samples, paces
