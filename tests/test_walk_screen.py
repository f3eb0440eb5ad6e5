"""The status line stays one line of the terminal, whatever it says (Chinese words take
two columns each) and however narrow the terminal is: drawn again over itself with a
carriage return, it never wraps and leaves pieces of itself behind."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from pacer.cli import _columns, _status_line
from pacer.live import Place, Status

WORDS = st.lists(
    st.sampled_from([*"abc xyz.|…→", *"从左肩向后看请穿平底的鞋", "e\u0301", "ｗ"]), max_size=80
).map("".join)


@given(
    width=st.integers(1, 200),
    cue=WORDS,
    phase=WORDS,
    device=WORDS,
    spm=st.none() | st.floats(30, 180),
    stretch=st.sampled_from([None, "position", "hold", "release"]),
)
def test_the_status_line_is_narrower_than_the_terminal(
    width: int, cue: str, phase: str, device: str, spm: float | None, stretch: str | None
) -> None:
    place = Place(phase, "stretch", 12.0, stretch, "left", "walk", 100.0)
    status = Status(61.0, 540.0, spm, 61, False, False, False)
    status = replace(status, next_cue=cue or None, next_cue_in=3.0, place=place)
    line = _status_line(status, spm, device, width)
    assert _columns(line) < width
    whole = _status_line(status, spm, device, 10_000)
    if _columns(whole) < width:
        assert line == whole  # what fits is shown whole
    elif width > 1:
        assert line.endswith("…") and whole.startswith(line[:-1])
