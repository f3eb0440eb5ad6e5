"""A countdown a walker can follow: the counts come one a second at any pace, in a held
stretch as in a walk, each heard whole before the next; and every clip of the pack says
the words the phrase list gives it (a Mandarin count says how many seconds are left, as
a Mandarin speaker says it: 两秒, not 二)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import pacer
from pacer import Phase, Session
from pacer.presets import back_pain
from pacer.timeline import GAP_SECONDS
from pacer.voice import clip_ids, manifest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PHRASES = Path(__file__).resolve().parent.parent / "tools" / "phrases.toml"


def countdown_session(lang: str, spm: float | None, count: int, rate: int) -> Session:
    """A walk at ``spm`` ending in a countdown of ``count``, or (``spm`` None) the
    back-pain programme's first held stretch, counted down from ``count``."""
    if spm is None:
        stretch = back_pain(sample_rate=rate).phases[1]
        phase = Phase(
            stretch.name, 20, None, kind="stretch", countdown=count, announce=stretch.announce
        )
    else:
        phase = Phase("walk", 30, spm, look_back_every=None, halfway=False, countdown=count)
    return Session(phases=(phase,), sample_rate=rate, voice=lang)


@settings(max_examples=60, deadline=None)
@given(
    lang=st.sampled_from(["en", "zh"]),
    spm=st.none() | st.integers(30, 180),
    count=st.integers(1, 10),
    rate=st.sampled_from([8000, 16000, 22050, 44100]),
)
def test_a_countdown_comes_one_count_a_second_each_heard_whole(
    lang: str, spm: int | None, count: int, rate: int
) -> None:
    session = countdown_session(lang, spm, count, rate)
    prepared = pacer.prepare(session)
    cues = prepared.schedule.cues
    counts = [i for i, c in enumerate(cues) if c.kind == "count"]
    assert [cues[i].value for i in counts] == list(range(count, 0, -1))
    for n, i in enumerate(counts):
        cue = cues[i]
        assert clip_ids(cue, session) == (f"count_{cue.value}",)
        # Never waiting for the count before it: one a second, ending at the last second.
        assert cue.sample == cue.wanted
        assert cue.sample - cues[counts[0]].sample == n * rate
        sound = prepared.speech(cue)
        assert sound is not None
        # Heard whole, with the usual gap, before the next cue (the next count, release,
        # or the end) is due.
        after = cues[i + 1]
        assert cue.sample + len(sound) + round(GAP_SECONDS * rate) <= after.wanted
        assert after.sample == after.wanted


def test_every_clip_says_the_words_its_phrase_gives() -> None:
    phrases = tomllib.loads(PHRASES.read_text(encoding="utf-8"))
    clips = manifest()["clips"]
    assert set(clips) == set(phrases)
    for clip_id, langs in clips.items():
        for lang, info in langs.items():
            assert info["text"] == phrases[clip_id][lang], (clip_id, lang)
            assert info["file"] == f"{lang}/{clip_id}.ogg"
    # A Mandarin count says the seconds left: the number (两 for 2) and 秒.
    numbers = "一两三四五六七八九十"
    for n in range(1, 11):
        text = clips[f"count_{n}"]["zh"]["text"]
        assert re.fullmatch(f"{numbers[n - 1]}秒[。！]", text), (n, text)
