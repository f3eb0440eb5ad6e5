"""One source per fact: the command line's help says the library's defaults and
numbers, taken from its tables, so that changing a table changes the help.

Each check changes the tables in a fresh Python before the command line is imported,
and reads the help it then gives."""

from __future__ import annotations

import subprocess
import sys

CHANGED = """
import dataclasses, sys
import pacer.session as s
s.DEFAULTS = dataclasses.replace(
    s.DEFAULTS, minutes=25, steps_per_minute=64, preset="back-pain", look_back="stop"
)
s.FADE_ON_BEATS, s.FADE_OFF_BEATS, s.LOOK_BACK_REST_SECONDS = 12, (2, 5, 7), 7.5
import pacer.presets as p
p.RECOMMENDED_MINUTES = (15, 35)
from click.testing import CliRunner
from pacer.cli import main
for args in ([], ["render"], ["log"]):
    print(CliRunner().invoke(main, [*args, "--help"], terminal_width=1000).output)
"""


def _help() -> str:
    done = subprocess.run(
        [sys.executable, "-c", CHANGED], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def test_the_help_says_the_defaults_and_numbers_of_the_librarys_tables() -> None:
    shown = _help()
    for fact in (
        "backward walking: 25 minutes at 64 steps a minute",  # pacer --help
        "(64 is the slow pace advised",  # --spm
        "[default: 64",
        "15-35 is advised for backward walking",  # --minutes
        "[default: 25",
        "rests the beat about 7.5 s",  # --look-back
        "[default: stop]",
        "after 12 beats it drops out for 2, then 5 and 7 beats",  # --fade-beat
        "preset file (see pacer presets). [default: back-pain]",  # --preset
        "Which walk it was (a preset pacer knows). [default: back-pain]",  # log --preset
    ):
        assert fact in shown, fact
