"""The naive metronome pacer is measured against: play one click per beat, then
time.sleep() the period. A peer for benchmarks/live.py, not part of pacer.

usage: python naive_metronome.py CLICK.wav SPM SECONDS
"""

from __future__ import annotations

import subprocess
import sys
import time

click, spm, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
players = []
for _ in range(int(seconds * spm / 60)):
    players.append(subprocess.Popen(["paplay", click]))
    time.sleep(60 / spm)
for player in players:
    player.wait()
