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
import ctypes
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import numpy as np
import soundfile

HERE = Path(__file__).resolve().parent
RATE = 22050
TARGET_LUFS = -18.0
PEAK = 10 ** (-1 / 20)
KEEP_SILENCE = 0.040
FADE = 0.005


def festival(text: str) -> tuple[np.ndarray, int]:
    """English speech from Festival's slt voice."""
    if shutil.which("text2wave") is None:
        raise SystemExit("text2wave not found: apt-get install festival festvox-us-slt-hts")
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "text.txt", Path(tmp) / "out.wav"
        source.write_text(text)
        subprocess.run(["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", str(out),
                        str(source)], check=True, capture_output=True)
        data, rate = soundfile.read(out, dtype="float64")
    return data, rate


class ESpeak:
    """eSpeak NG through ctypes, from the espeakng-loader wheel."""

    SYNCHRONOUS = 0x02  # AUDIO_OUTPUT_SYNCHRONOUS
    CHARS_UTF8 = 1
    POS_CHARACTER = 1

    def __init__(self, voice: str) -> None:
        import espeakng_loader

        self.lib = ctypes.cdll.LoadLibrary(espeakng_loader.get_library_path())
        data = Path(espeakng_loader.get_data_path())
        self.rate = self.lib.espeak_Initialize(self.SYNCHRONOUS, 0, str(data.parent).encode(), 0)
        if self.rate <= 0:
            raise SystemExit(f"espeak_Initialize failed ({self.rate}) with data in {data}")
        self.samples: list[np.ndarray] = []
        callback_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short),
                                         ctypes.c_int, ctypes.c_void_p)

        def collect(wav: ctypes._Pointer, count: int, events: int) -> int:  # type: ignore[type-arg]
            if count > 0:
                self.samples.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
            return 0

        self._callback = callback_type(collect)
        self.lib.espeak_SetSynthCallback(self._callback)
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise SystemExit(f"eSpeak NG has no voice {voice!r}")
        version = ctypes.c_char_p()
        self.lib.espeak_Info.restype = ctypes.c_char_p
        self.version = self.lib.espeak_Info(ctypes.byref(version)).decode()

    def say(self, text: str) -> tuple[np.ndarray, int]:
        self.samples = []
        raw = text.encode("utf-8")
        self.lib.espeak_Synth(raw, len(raw) + 1, 0, self.POS_CHARACTER, 0, self.CHARS_UTF8,
                              None, None)
        self.lib.espeak_Synchronize()
        data = np.concatenate(self.samples).astype(np.float64) / 32768
        return data, self.rate


def finish(data: np.ndarray, rate: int) -> np.ndarray:
    """Trim, fade, resample to 22.05 kHz mono, and set the loudness."""
    import pyloudnorm
    import soxr

    if data.ndim == 2:
        data = data.mean(axis=1)
    loud = np.flatnonzero(np.abs(data) > 0.01 * np.abs(data).max())
    keep = round(KEEP_SILENCE * rate)
    data = data[max(0, loud[0] - keep): loud[-1] + keep]
    data = soxr.resample(data, rate, RATE)
    fade = round(FADE * RATE)
    ramp = 0.5 - 0.5 * np.cos(np.pi * (np.arange(fade) + 0.5) / fade)
    data[:fade] *= ramp
    data[-fade:] *= ramp[::-1]
    meter = pyloudnorm.Meter(RATE, block_size=min(0.4, len(data) / RATE * 0.9))
    gain = 10 ** ((TARGET_LUFS - meter.integrated_loudness(data)) / 20)
    gain = min(gain, PEAK / np.abs(data).max())  # gain alone; never above -1 dBFS
    return (data * gain).astype(np.float32)


def write_clip(path: Path, audio: np.ndarray) -> np.ndarray:
    """Write Ogg Vorbis at compression 0.6 (about quality 3: clear speech, small files).
    Lossy coding can push the decoded peak past -1 dBFS, so decode, check, and write
    again a little lower until it is not. Returns the audio as decoded."""
    for _ in range(5):
        soundfile.write(path, audio, RATE, format="OGG", subtype="VORBIS",
                        compression_level=0.6)
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
    espeak = ESpeak("cmn")
    voices = {
        "en": ("Festival 2.5 with the CMU ARCTIC slt HTS voice", festival),
        "zh": (f"eSpeak NG {espeak.version} (espeakng-loader), voice cmn", espeak.say),
    }
    for clip_id, texts in phrases.items():
        if args.only and clip_id not in args.only:
            continue
        for lang, text in texts.items():
            _, speak = voices[lang]
            audio = finish(*speak(text))
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

    manifest_path.write_text("# Made by tools/make_voice_pack.py; do not edit by hand.\n"
                             + tomli_w.dumps(manifest))


if __name__ == "__main__":
    main()
