"""The naive way to make a click track: build the whole session as one array, then
write it. A peer for benchmarks/render.py, not part of pacer.

usage: python naive_numpy.py OUT.wav MINUTES
"""

from __future__ import annotations

import sys
import wave

import numpy as np

out, minutes = sys.argv[1], float(sys.argv[2])
rate, spm = 44100, 60
n = int(minutes * 60 * rate)
t = np.arange(int(0.08 * rate)) / rate
click = (np.cos(2 * np.pi * 820 * t) * np.exp(-t / 0.022) * 0.5).astype(np.float32)
audio = np.zeros((n, 2), dtype=np.float32)
for k in range(int(minutes * spm)):
    start = round(k * 60 / spm * rate)
    audio[start : start + len(click)] += click[: n - start, None]
pcm = (audio * 32767).astype("<i2")
with wave.open(out, "wb") as wav:
    wav.setnchannels(2)
    wav.setsampwidth(2)
    wav.setframerate(rate)
    wav.writeframes(pcm.tobytes())
