"""Make pacer's voice pack (sounds/) from tools/phrases.toml. Maintainers only.

    python tools/make_voice_pack.py [--only ID ...] [--out sounds]

English: Festival's text2wave with the CMU ARCTIC "slt" HTS voice
  (apt-get install festival festvox-us-slt-hts).
Mandarin: eSpeak NG 1.52 from the PyPI wheel espeakng-loader (voice "cmn"), through
  ctypes. (Debian's espeak-ng 1.51 reads the tone digits aloud; do not use it.)
Then, for every clip: trim silence (keep 40 ms), 5 ms fades, resample to 22.05 kHz
mono (soxr), normalise to -18 LUFS integrated (pyloudnorm) with peaks at most -1 dBFS
by gain alone, and store as Ogg Vorbis. sounds/manifest.toml maps each clip id and
language to its file, text and length; pacer reads clips only through it.

    pip install espeakng-loader pyloudnorm soxr soundfile numpy tomli-w
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np
import soundfile
import tomllib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pacer.tts import ESpeak, finish
from pacer.tts import festival as festival_say

HERE = Path(__file__).resolve().parent
RATE = 22050
TARGET_LUFS = -18.0
PEAK = 10 ** (-1 / 20)


def festival(text: str) -> tuple[np.ndarray, int]:
    """English speech from Festival's slt voice."""
    if shutil.which("text2wave") is None:
        raise SystemExit("text2wave not found: apt-get install festival festvox-us-slt-hts")
    return festival_say(text)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE.parent / "sounds")
    parser.add_argument("--only", nargs="*", help="clip ids to remake (default: all)")
    args = parser.parse_args()
    phrases = tomllib.loads((HERE / "phrases.toml").read_text())
    manifest_path = args.out / "manifest.toml"
    manifest = tomllib.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    clips = manifest.setdefault("clips", {})
    espeak = ESpeak()
    voices = {
        "en": ("Festival 2.5 with the CMU ARCTIC slt HTS voice", festival),
        "zh": (
            f"eSpeak NG {espeak.version} (espeakng-loader), voice cmn",
            lambda text: espeak.say(text, "cmn"),
        ),
    }
    for clip_id, texts in phrases.items():
        if args.only and clip_id not in args.only:
            continue
        for lang, text in texts.items():
            _, speak = voices[lang]
            audio = finish(*speak(text), loudness=loudness)
            folder = args.out / lang
            folder.mkdir(parents=True, exist_ok=True)
            audio = write_clip(folder / f"{clip_id}.ogg", audio)
            clips.setdefault(clip_id, {})[lang] = {
                "file": f"{lang}/{clip_id}.ogg",
                "text": text,
                "seconds": round(len(audio) / RATE, 3),
                "frames": len(audio),
            }
            print(f"{lang} {clip_id:20} {len(audio) / RATE:5.2f} s  {text}", file=sys.stderr)
    manifest["format"] = 1
    manifest["sample_rate"] = RATE
    manifest["loudness_lufs"] = TARGET_LUFS
    manifest["voices"] = {lang: name for lang, (name, _) in voices.items()}
    import tomli_w

    manifest_path.write_text(
        "# Made by tools/make_voice_pack.py; do not edit by hand.\n" + tomli_w.dumps(manifest)
    )


if __name__ == "__main__":
    main()
