"""The session as events in time: beats and cues at sample indexes, merged in order,
and the same as a table or JSON for people and scripts."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .cadence import Beat, beats, layout
from .cues import Cue, cue_text, schedule, sounding_samples
from .session import Session

__all__ = [
    "Event",
    "Summary",
    "as_json",
    "as_rows",
    "captions",
    "clock",
    "length",
    "summary",
    "timeline",
]

Event = Beat | Cue
"""A timeline event: a :class:`~pacer.cadence.Beat` or a :class:`~pacer.cues.Cue`."""

TAIL_SECONDS = 0.5
"""Quiet kept after the end tune has rung out."""


def timeline(session: Session, start: int = 0, end: int | None = None) -> Iterator[Event]:
    """Every beat and cue with ``start <= sample < end``, in order of sample.

    At the same sample a beat comes before a cue. ``end=None`` runs to the end of the
    session. The events are plain frozen dataclasses, cheap to make for any window.
    """
    cues = (
        c for c in schedule(session).cues if c.sample >= start and (end is None or c.sample < end)
    )
    keyed_beats: Iterator[tuple[int, int, Event]] = (
        (b.sample, 0, b) for b in beats(session, start, end)
    )
    keyed_cues: Iterator[tuple[int, int, Event]] = ((c.sample, 1, c) for c in cues)
    for item in heapq.merge(keyed_beats, keyed_cues, key=lambda item: item[:2]):
        yield item[2]


def length(session: Session) -> int:
    """The whole session in samples: up to the end cue, its tune (and words), and a
    short tail."""
    plan = schedule(session)
    return (
        plan.end
        + sounding_samples(plan.end_cue, session)
        + round(TAIL_SECONDS * session.sample_rate)
    )


@dataclass(frozen=True)
class Summary:
    """Counts a walker or a script wants before or after a session."""

    frames: int
    sample_rate: int
    beats: int
    cues: int
    unplaced: int

    @property
    def seconds(self) -> float:
        """Length in seconds."""
        return self.frames / self.sample_rate


def summary(session: Session) -> Summary:
    """Length, beat count and cue count of a session."""
    plan = schedule(session)
    return Summary(
        frames=length(session),
        sample_rate=session.sample_rate,
        beats=sum(span.beat_count for span in layout(session)),
        cues=len(plan.cues),
        unplaced=len(plan.unplaced),
    )


def clock(seconds: float, decimals: int = 1) -> str:
    """``seconds`` as ``M:SS.s`` (or ``H:MM:SS.s`` from an hour)."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    width = 3 + decimals if decimals else 2
    text = f"{secs:0{width}.{decimals}f}"
    if hours:
        return f"{sign}{int(hours)}:{int(minutes):02d}:{text}"
    return f"{sign}{int(minutes)}:{text}"


def _describe(event: Event, session: Session) -> tuple[str, str]:
    if isinstance(event, Beat):
        accent = ", accent" if event.accent else ""
        return "beat", f"step {event.step + 1} ({event.foot} foot{accent})"
    from .voice import cue_words

    phase = session.phases[event.phase]
    text = cue_words(event, session)
    if event.kind == "phase":
        text = f"{phase.name}: {_tempo(phase)} for {clock(phase.seconds, 0)}"
        if session.voice != "none":
            text = f"{cue_words(event, session)}  ({text})"
    if event.pan < 0:
        text += "  [left ear]"
    elif event.pan > 0:
        text += "  [right ear]"
    if event.wanted >= 0 and event.wanted != event.sample:
        text += f"  (waited from {clock(event.wanted / session.sample_rate)})"
    return event.kind, text


def _tempo(phase: Any) -> str:
    if phase.steps_per_minute is None:
        return "no beat"
    if phase.ramp_to is not None and phase.ramp_to != phase.steps_per_minute:
        return f"{phase.steps_per_minute:g} -> {phase.ramp_to:g} steps/min"
    return f"{phase.steps_per_minute:g} steps/min"


def as_rows(session: Session, with_beats: bool = False) -> list[tuple[str, str, str]]:
    """The timeline as ``(time, kind, what)`` rows for a table, cues only unless
    ``with_beats``. The first phase's description follows the start cue."""
    rate = session.sample_rate
    rows: list[tuple[str, str, str]] = []
    events = timeline(session) if with_beats else iter(schedule(session).cues)
    first = layout(session)[0]
    for event in events:
        kind, text = _describe(event, session)
        rows.append((clock(event.sample / rate), kind, text))
        if isinstance(event, Cue) and event.kind == "start":
            rows.append(
                (
                    clock(first.start / rate),
                    "phase",
                    f"{first.phase.name}: {_tempo(first.phase)} for "
                    f"{clock(first.phase.seconds, 0)}",
                )
            )
    for cue in schedule(session).unplaced:
        rows.append(
            (
                "-",
                cue.kind,
                f"{cue_text(cue.kind, cue.value)}  "
                f"(did not fit before {session.phases[cue.phase].name} ended)",
            )
        )
    return rows


def as_json(session: Session, with_beats: bool = False) -> dict[str, Any]:
    """The session and its timeline as plain data for ``json.dumps``.

    Times are given both as ``sample`` (exact) and ``seconds``.
    """
    from .voice import cue_words

    rate = session.sample_rate
    info = summary(session)
    events: list[dict[str, Any]] = []
    source = timeline(session) if with_beats else iter(schedule(session).cues)
    for event in source:
        item: dict[str, Any] = {"sample": event.sample, "seconds": round(event.sample / rate, 6)}
        if isinstance(event, Beat):
            item.update(
                type="beat",
                step=event.step,
                foot=event.foot,
                accent=event.accent,
                phase=event.phase,
            )
        else:
            item.update(
                type="cue",
                kind=event.kind,
                text=cue_words(event, session),
                seconds_long=round(sounding_samples(event, session) / rate, 3),
                pan=event.pan,
                phase=event.phase,
            )
            if event.value is not None:
                item["value"] = event.value
        events.append(item)
    return {
        "title": session.title,
        "sample_rate": rate,
        "frames": info.frames,
        "seconds": round(info.seconds, 6),
        "beats": info.beats,
        "cues": info.cues,
        "sound": session.sound,
        "voice": session.voice,
        "phases": [
            {
                "name": s.phase.name,
                "start_sample": s.start,
                "frames": s.length,
                "steps_per_minute": s.phase.steps_per_minute,
                "end_steps_per_minute": s.phase.end_steps_per_minute,
                "beats": s.beat_count,
            }
            for s in layout(session)
        ],
        "unplaced": [
            {"kind": c.kind, "wanted_sample": c.wanted, "value": c.value}
            for c in schedule(session).unplaced
        ],
        "events": events,
    }


def _stamp(seconds: float, comma: bool) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{',' if comma else '.'}{millis:03d}"


def captions(session: Session, kind: str) -> str:
    """The cues' words at their times, as ``"lrc"`` or ``"srt"`` text, for a phone
    player to show while the rendered file plays."""
    from .voice import cue_words

    rate = session.sample_rate
    lines: list[str] = []
    if kind == "lrc":
        lines += [f"[ti:{session.describe()}]", "[ar:pacer]"]
    for n, cue in enumerate(schedule(session).cues, 1):
        words = cue_words(cue, session)
        start = cue.sample / rate
        if kind == "lrc":
            minutes, secs = divmod(start, 60)
            lines.append(f"[{int(minutes):02d}:{secs:05.2f}]{words}")
        else:
            end = (cue.sample + sounding_samples(cue, session)) / rate
            lines += [str(n), f"{_stamp(start, True)} --> {_stamp(end, True)}", words, ""]
    return "\n".join(lines) + "\n"
