"""The status line stays one line of the terminal, whatever it says (Chinese words take
two columns each) and however narrow the terminal is: drawn again over itself with a
carriage return, it never wraps and leaves pieces of itself behind."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from pacer.cli import _NUMBER, _columns, _status_line
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
    elif width > 1 and (spm or not phase or f"{phase}, left leg: " in line):
        # The line's start, as far as fits (a stretch too, when its part fits there).
        assert line.endswith("…") and whole.startswith(line[:-1])
    # A number is never cut: every number shown is one of the whole line's, whole,
    # with its unit ("12 s left", not "12 s le…" nor "1…").
    assert set(_NUMBER.findall(line.removesuffix("…"))) <= set(_NUMBER.findall(whole))


@given(
    width=st.sampled_from([20, 40, 60]) | st.integers(20, 200),
    phase=WORDS,
    paused=st.booleans(),
    held=st.integers(1, 99),
    stretch=st.sampled_from(["position", "hold"]),
)
def test_in_a_stretch_the_seconds_left_survive_a_narrow_terminal(
    width: int, phase: str, paused: bool, held: int, stretch: str
) -> None:
    """At 20, 40, 60 columns (any from 20): during a stretch the seconds left in the
    hold (or till it begins) are shown, whole, however long the stretch's name."""
    place = Place(phase or "calf stretch", "stretch", float(held), stretch, "left", "walk", 100.0)
    status = replace(Status(61.0, 540.0, None, 61, paused, False, False), place=place)
    line = _status_line(status, None, "no sound: NULL backend", width)
    assert _columns(line) < width
    wanted = f"{held} s left" if stretch == "hold" else f"in {held} s"
    assert wanted in line, line


@given(
    planned=st.floats(1, 4 * 3600).map(lambda s: round(s, 3)),
    share=st.floats(0, 1),
    paused=st.booleans(),
)
def test_time_walked_and_left_always_add_up_to_the_whole_walk(
    planned: float, share: float, paused: bool
) -> None:
    """At any moment of a walk the status line's walked and left add up to one total
    (before, each was rounded alone, and the sum flickered by a second)."""
    from pacer.display import clock

    elapsed = planned * share
    status = Status(elapsed, max(0.0, planned - elapsed), 60.0, 0, paused, False, False)
    line = _status_line(status, 60.0, "test", 10_000).removeprefix("PAUSED ")
    walked, left = line.split(" walked | ")[0], line.split(" walked | ")[1].split(" left")[0]

    def seconds(text: str) -> int:
        total = 0
        for part in text.split(":"):
            total = total * 60 + int(part)
        return total

    assert seconds(walked) + seconds(left) == seconds(clock(planned, 0))
    assert seconds(walked) <= elapsed + 1e-6  # a second is shown once it is walked


@given(cue=WORDS.filter(lambda w: "|" not in w and w.strip() != ""), seconds=st.integers(1, 99))
def test_the_next_cue_stands_apart_from_its_time(cue: str, seconds: int) -> None:
    """The words of the next cue are a part of their own, after its time: never
    "shoulder. in 16 s"."""
    status = replace(
        Status(61.0, 540.0, 60.0, 61, False, False, False), next_cue=cue, next_cue_in=seconds
    )
    parts = _status_line(status, 60.0, "test", 10_000).split(" | ")
    assert f"next in {seconds} s: {cue}" in parts


@given(due=st.floats(0, 99))
def test_the_next_cue_is_never_in_0_s(due: float) -> None:
    """Counted down as a timer is, from the whole seconds left up to 1: "next in 0 s:
    Release." was shown while the cue was still to come."""
    status = replace(
        Status(61.0, 540.0, 60.0, 61, False, False, False), next_cue="Release.", next_cue_in=due
    )
    (part,) = [p for p in _status_line(status, 60.0, "test", 10_000).split(" | ") if "next" in p]
    shown = int(part.removeprefix("next in ").removesuffix(" s: Release."))
    assert shown >= 1
    assert shown - 1 < due <= shown + 1e-9 or (due <= 1 and shown == 1)  # a timer's count
