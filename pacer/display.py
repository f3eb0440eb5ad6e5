"""A prepared walk for people and scripts: rows for a table, JSON, captions, and
times as a clock shows them. Nothing here prints; the command line does."""

from __future__ import annotations

from typing import Any

from .cadence import Beat, layout
from .cues import Cue, cue_text
from .errors import SettingsError
from .session import LIMITS, Phase, expect, pace_text, show
from .timeline import Event
from .voice import Prepared

__all__ = ["CAPTIONS", "CAPTIONS_MARK", "as_json", "as_rows", "captions", "clock"]

CAPTIONS = ("lrc", "srt")
"""Caption formats: LRC (lyrics, shown by most phone players) and SRT (subtitles)."""

CAPTIONS_MARK = "pacer"
"""How pacer signs the captions it writes: ``[ar:pacer]`` in an LRC file, and in an
SRT file (which has no tags) a first block of no length at 0:00 whose words begin
``pacer:``. Captions are written only over a file so signed."""


def clock(seconds: float, decimals: int = 1) -> str:
    """``seconds`` as ``M:SS.s`` (or ``H:MM:SS.s`` from an hour). Rounded as a whole,
    so 59.96 s is ``1:00.0``, never ``0:60.0``."""
    LIMITS["clock_seconds"].check(seconds, "seconds")
    decimals = LIMITS["decimals"].check(decimals, "decimals")
    sign = "-" if seconds < 0 else ""
    scale = 10**decimals
    units = round(abs(seconds) * scale)  # tenths (or whole seconds, ...) in all
    hours, rest = divmod(units, 3600 * scale)
    minutes, rest = divmod(rest, 60 * scale)
    whole, part = divmod(rest, scale)
    text = f"{whole:02d}" + (f".{part:0{decimals}d}" if decimals else "")
    if sign and units == 0:
        sign = ""  # nothing left to be negative
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{text}"
    return f"{sign}{minutes}:{text}"


def _tempo(phase: Phase) -> str:
    if phase.steps_per_minute is None:
        return "no beat"
    if phase.ramp_to is not None and phase.ramp_to != phase.steps_per_minute:
        return f"{pace_text(phase.steps_per_minute)} -> {pace_text(phase.ramp_to)} steps/min"
    return f"{pace_text(phase.steps_per_minute)} steps/min"


def _phase_line(phase: Phase) -> str:
    ways = []
    if phase.fade_beat:
        ways.append("the beat fades")
    if phase.look_back == "stop" and phase.look_back_every is not None:
        ways.append("stop to look back")
    extra = f" ({', '.join(ways)})" if ways else ""
    return f"{phase.name}: {_tempo(phase)} for {clock(phase.seconds, 0)}{extra}"


def _describe(event: Event, prepared: Prepared) -> tuple[str, str]:
    if isinstance(event, Beat):
        accent = ", accent" if event.accent else ""
        return "beat", f"step {event.step + 1} ({event.foot} foot{accent})"
    session = prepared.session
    text = prepared.words(event)
    if event.kind == "phase":
        described = _phase_line(session.phases[event.phase])
        text = f"{text}  ({described})" if session.voice != "none" else described
    unheard = prepared.unheard(event)
    if unheard is not None:
        text += f"  (your words {show(unheard)} are not spoken here)"
    if event.pan < 0:
        text += "  [left ear]"
    elif event.pan > 0:
        text += "  [right ear]"
    if event.wanted >= 0 and event.wanted != event.sample:
        text += f"  (waited from {clock(event.wanted / session.sample_rate)})"
    return event.kind, text


def as_rows(prepared: Prepared, with_beats: bool = False) -> list[tuple[str, str, str]]:
    """The timeline as ``(time, kind, what)`` rows for a table, cues only unless
    ``with_beats``. The first phase's description follows the start cue."""
    expect(prepared, Prepared, "prepared", "a prepared session (pacer.prepare)")
    session = prepared.session
    plan = prepared.schedule
    rate = session.sample_rate
    rows: list[tuple[str, str, str]] = []
    events = plan.events() if with_beats else iter(plan.cues)
    first = layout(session)[0]
    for event in events:
        kind, text = _describe(event, prepared)
        rows.append((clock(event.sample / rate), kind, text))
        if isinstance(event, Cue) and event.kind == "start":
            rows.append((clock(first.start / rate), "phase", _phase_line(first.phase)))
    for cue in plan.unplaced:
        rows.append(
            (
                "-",
                cue.kind,
                f"{cue_text(cue.kind, cue.value)}  "
                f"(did not fit before {session.phases[cue.phase].name} ended)",
            )
        )
    return rows


def as_json(prepared: Prepared, with_beats: bool = False) -> dict[str, Any]:
    """The walk and its timeline as plain data for ``json.dumps``.

    Times are given both as ``sample`` (exact) and ``seconds``.
    """
    expect(prepared, Prepared, "prepared", "a prepared session (pacer.prepare)")
    session = prepared.session
    plan = prepared.schedule
    rate = session.sample_rate
    info = plan.summary()
    events: list[dict[str, Any]] = []
    for event in plan.events() if with_beats else iter(plan.cues):
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
                text=prepared.words(event),
                seconds_long=round(plan.sounding(event) / rate, 3),
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
            {"kind": c.kind, "wanted_sample": c.wanted, "value": c.value} for c in plan.unplaced
        ],
        "events": events,
    }


def _stamp(seconds: float, comma: bool) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{',' if comma else '.'}{millis:03d}"


def captions(prepared: Prepared, kind: str) -> str:
    """The cues' words at their times, as ``"lrc"`` or ``"srt"`` text (see
    :data:`CAPTIONS`), for a phone player to show while the rendered file plays."""
    expect(prepared, Prepared, "prepared", "a prepared session (pacer.prepare)")
    if kind not in ("lrc", "srt"):
        raise SettingsError(f"kind: {show(kind)} is not a kind of captions; use lrc or srt", "kind")
    session = prepared.session
    plan = prepared.schedule
    rate = session.sample_rate
    lines: list[str] = []
    first = 1
    if kind == "lrc":
        lines += [f"[ti:{session.describe()}]", f"[ar:{CAPTIONS_MARK}]"]
    else:  # SRT has no tags: a block of no length signs the file as pacer's
        lines += [
            "1",
            "00:00:00,000 --> 00:00:00,000",
            f"{CAPTIONS_MARK}: {session.describe()}",
            "",
        ]
        first = 2
    for n, cue in enumerate(plan.cues, first):
        words = prepared.words(cue)
        start = cue.sample / rate
        if kind == "lrc":
            minutes, hundredths = divmod(round(start * 100), 6000)  # never :60.00
            lines.append(f"[{minutes:02d}:{hundredths // 100:02d}.{hundredths % 100:02d}]{words}")
        else:
            end = (cue.sample + plan.sounding(cue)) / rate
            lines += [str(n), f"{_stamp(start, True)} --> {_stamp(end, True)}", words, ""]
    return "\n".join(lines) + "\n"
