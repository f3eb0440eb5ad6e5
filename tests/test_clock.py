"""The clock a walker reads (walked, left, the summary, pacer show) never shows 60
seconds or 60 minutes: it rounds the whole time, carrying into the minutes."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from pacer.display import clock

# Any time, and above all the last second of a minute, where rounding carries.
times = st.floats(0, 100 * 3600) | st.builds(
    lambda minutes, secs: minutes * 60 + secs,
    st.integers(0, 6000),
    st.floats(59.0, 60.0, exclude_max=True),
)


@given(seconds=times, decimals=st.integers(0, 2))
def test_the_clock_never_shows_sixty_and_reads_back_as_the_time(
    seconds: float, decimals: int
) -> None:
    text = clock(seconds, decimals)
    assert re.fullmatch(r"(\d+:)?\d+:\d\d(\.\d+)?", text), text
    *bigger, secs = text.split(":")
    assert float(secs) < 60, text
    assert all(int(part) < 60 for part in bigger[1:]), text  # minutes, below an hour
    if len(bigger) == 2:
        assert int(bigger[1]) < 60, text
    units = [int(part) for part in bigger]
    total = float(secs) + sum(u * 60 ** (len(units) - i) for i, u in enumerate(units))
    assert abs(total - seconds) <= 0.5 * 10**-decimals + 1e-6, text


def test_the_clock_carries_a_rounded_minute() -> None:
    assert clock(59.6, 0) == "1:00"
    assert clock(119.96) == "2:00.0"
    assert clock(959.7, 0) == "16:00"
    assert clock(3599.6, 0) == "1:00:00"
