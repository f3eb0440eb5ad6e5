"""What a key press costs the audio thread: pull() with and without a tempo change or
a resume, beside the time the caller's thread spends preparing the re-plan.

    python benchmarks/replan.py

A pull at 40 ms periods must stay well under 40 ms; re-planning "the rest of the walk"
(its whole cue schedule) is done on the caller's thread so it never lands there.
"""

from __future__ import annotations

import statistics
import time
from functools import partial

from pacer.live import Walk
from pacer.presets import back_pain, backward

FRAMES = 1764  # 40 ms at 44.1 kHz


def timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000


def measure(walk: Walk) -> tuple[float, float, float, float, float]:
    """Median pull, worst pull with a tempo key, median caller time for it, and the
    pull and caller times for a resume."""
    for _ in range(50):
        walk.pull(FRAMES)
    plain, keyed, prepared = [], [], []
    for i in range(20):
        plain.append(timed(lambda: walk.pull(FRAMES)))
        step = 1 if i % 2 else -1
        prepared.append(timed(partial(walk.change_tempo, step)))
        keyed.append(timed(lambda: walk.pull(FRAMES)))
        for _ in range(30):
            walk.pull(FRAMES)
    walk.pause()
    for _ in range(10):
        walk.pull(FRAMES)
    resume_caller = timed(walk.resume)
    resume_pull = timed(lambda: walk.pull(FRAMES))
    return (
        statistics.median(plain),
        max(keyed),
        statistics.median(prepared),
        resume_pull,
        resume_caller,
    )


def main() -> None:
    walks = {
        "backward 30 min, spoken": backward(minutes=30).with_changes(voice="en"),
        "back-pain 60 min, spoken": back_pain(minutes=60).with_changes(voice="en"),
        "backward 4 h, 180 spm, look back every 2": backward(
            minutes=240, steps_per_minute=180, look_back_every=2
        ).with_changes(voice="en"),
    }
    print(
        f"{'walk':42} {'pull':>7} {'pull+tempo':>11} {'caller':>8} "
        f"{'pull+resume':>12} {'caller':>8}"
    )
    for name, session in walks.items():
        pull, keyed, prepared, resume_pull, resume_caller = measure(Walk(session))
        print(
            f"{name:42} {pull:5.2f}ms {keyed:9.2f}ms {prepared:6.1f}ms "
            f"{resume_pull:10.2f}ms {resume_caller:6.1f}ms"
        )
    print("pull: median ms; pull+tempo: worst of 20 key presses; caller: median ms")


if __name__ == "__main__":
    main()
