"""How fast pacer renders, and in how much memory, beside its peers, in one run.

    python benchmarks/render.py [--repeat 3] [--quick]

Prints one table. Each tool runs as its own process and is timed from outside
(wall time) with its peak resident memory from the kernel (wait4 rusage). Every
row is the median of --repeat runs, taken in turn so that load on this shared
machine falls on all of them alike; compare the ratios, not the seconds. "x dd" is
the time over dd's; "sox/it" how many times faster than sox making a click track.
pacer leaves silence in a WAV as holes (the file reads the same); "on disk" shows
it, and the row "silence written as zeros" writes every byte, as dd does.

pacer's modules are compiled to bytecode first, as ``pip install`` leaves them (and
as any run does where Python may write its cache). Where PYTHONDONTWRITEBYTECODE is
set and nothing was compiled, every start compiles pacer from source again: the rows
marked "no bytecode" run a copy of the package that way, for comparison.

Peers: sox (SoX, from Debian) making the same 60 steps/min click track, a naive
numpy script that builds the whole array first (benchmarks/naive_numpy.py), and dd
writing the same number of bytes (the disk's own limit).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
# sox's recipe for one beat: an 80 ms 820 Hz tone with a fade, padded to one second.
CLICK = ["synth", "0.08", "sine", "820", "fade", "q", "0.0015", "0.08", "0.07", "pad", "0", "0.92"]


INPROC = """
import sys, time
import pacer
render = pacer.render  # loads numpy and the mixer before the clock starts
session = pacer.presets.backward(minutes=30).with_changes(voice="en")  # the default walk
start = time.perf_counter()
pacer.render(session, sys.argv[1])
print(time.perf_counter() - start)
"""

# The same, but every byte of silence written out as zeros (as dd writes them), where
# pacer.render leaves silence as holes in the file.
INPROC_ZEROS = """
import sys, time
import pacer
from pacer.output.file import _write_wav
session = pacer.presets.backward(minutes=30).with_changes(voice="en")
prepared = pacer.prepare(session)
for cue in prepared.schedule.cues:
    prepared.speech(cue)  # decoded before the clock starts, as render does it inside
start = time.perf_counter()
with open(sys.argv[1], "wb") as out:
    _write_wav(prepared, out, None, holes=False)
print(time.perf_counter() - start)
"""


def measure(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run of ``argv``. A command that prints a
    number on stdout is timed by that number instead (its own in-process timing)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    with contextlib.suppress(ValueError):
        wall = float(out.decode().strip())
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{err}")
    return wall, usage.ru_maxrss / 1024


def size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB" if path.exists() and path.is_file() else "-"


def disk(path: Path) -> str:
    """Space the file takes on the disk (less than its size where silence is a hole)."""
    if not (path.exists() and path.is_file()):
        return "-"
    return f"{path.stat().st_blocks * 512 / 1e6:.1f} MB"


def compiled_and_uncompiled(work: Path) -> dict[str, str]:
    """Compile pacer to bytecode where it is installed, and make a copy of it that is
    never compiled; returns the environment that runs the copy."""
    spec = importlib.util.find_spec("pacer")
    if spec is None or spec.origin is None:
        raise SystemExit("pacer is not installed here")
    package = Path(spec.origin).parent
    subprocess.run([PY, "-m", "compileall", "-q", str(package)], check=True)
    src = work / "src"
    shutil.copytree(package, src / "pacer", ignore=shutil.ignore_patterns("__pycache__"))
    if (package.parent / "sounds").is_dir():  # a checkout: the voice pack lies beside
        (src / "sounds").symlink_to(package.parent / "sounds")
    return {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only the WAV, memory and start-up rows: skip the slow ones (every codec, "
        "sox's synth pipeline, the naive numpy script), which also load the machine",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pacer-bench-"))
    load_before = os.getloadavg()[0]
    uncompiled = compiled_and_uncompiled(work)
    pacer = [PY, "-m", "pacer"]
    sox = shutil.which("sox")
    wav_bytes = 30 * 60 * 44100 * 4  # what a 30-minute stereo 16-bit WAV holds

    # name -> (argv, output file or None, group, environment or None for this one's)
    rows: dict[str, tuple[list[str], Path | None, str, dict[str, str] | None]] = {}

    def add(
        name: str, argv: list[str], out: Path | None, group: str, env: dict[str, str] | None = None
    ) -> None:
        rows[name] = (argv, out, group, env)

    w = work
    add(
        "pacer render walk.wav (30 min, spoken)",
        [*pacer, "render", str(w / "p.wav"), "--minutes", "30", "-q", "--voice", "en"],
        w / "p.wav",
        "wav",
    )
    add(
        "  the same, no bytecode",
        [*pacer, "render", str(w / "pb.wav"), "--minutes", "30", "-q", "--voice", "en"],
        w / "pb.wav",
        "wav",
        uncompiled,
    )
    add(
        "pacer render walk.wav --voice none",
        [*pacer, "render", str(w / "pn.wav"), "--minutes", "30", "-q", "--voice", "none"],
        w / "pn.wav",
        "wav",
    )
    add(
        "pacer.render() in-process, spoken",
        [PY, "-c", INPROC, str(w / "i.wav")],
        w / "i.wav",
        "wav",
    )
    add(
        "  the same, silence written as zeros",
        [PY, "-c", INPROC_ZEROS, str(w / "iz.wav")],
        w / "iz.wav",
        "wav",
    )
    if sox:
        subprocess.run(
            [
                sox,
                "-n",
                "-r",
                "44100",
                "-c",
                "2",
                "-b",
                "16",
                str(w / "click.wav"),
                *CLICK,
            ],
            check=True,
        )
        add(
            "sox: click file + repeat",
            [sox, "-D", str(w / "click.wav"), str(w / "s.wav"), "repeat", "1799"],
            w / "s.wav",
            "wav",
        )
    if sox and not args.quick:
        add(
            "sox: one synth pipeline",
            [
                sox,
                "-n",
                "-r",
                "44100",
                "-c",
                "2",
                "-b",
                "16",
                str(w / "s2.wav"),
                *CLICK,
                "repeat",
                "1799",
            ],
            w / "s2.wav",
            "wav",
        )
    if not args.quick:
        add(
            "naive numpy (whole array)",
            [PY, str(HERE / "naive_numpy.py"), str(w / "n.wav"), "30"],
            w / "n.wav",
            "wav",
        )
    add(
        "dd: same bytes, no audio",
        [
            "dd",
            "if=/dev/zero",
            f"of={w / 'dd.raw'}",
            "bs=1M",
            f"count={wav_bytes}",
            "iflag=count_bytes",
            "status=none",
        ],
        w / "dd.raw",
        "wav",
    )

    if not args.quick:
        add(
            "pacer render walk.ogg, tunes (22.05 kHz)",
            [*pacer, "render", str(w / "p.ogg"), "--minutes", "30", "-q", "--voice", "none"],
            w / "p.ogg",
            "phone",
        )
        add(
            "pacer render walk.ogg, spoken (22.05 kHz)",
            [*pacer, "render", str(w / "pv.ogg"), "--minutes", "30", "-q", "--voice", "en"],
            w / "pv.ogg",
            "phone",
        )
    if sox and not args.quick:
        add(
            "sox -> Ogg Vorbis (44.1 kHz, its default)",
            [sox, "-D", str(w / "click.wav"), str(w / "s.ogg"), "repeat", "1799"],
            w / "s.ogg",
            "phone",
        )
        add(
            "sox -> Ogg Vorbis (22.05 kHz)",
            [sox, "-D", str(w / "click.wav"), "-r", "22050", str(w / "s22.ogg"), "repeat", "1799"],
            w / "s22.ogg",
            "phone",
        )
    if not args.quick:
        add(
            "pacer render walk.flac (30 min)",
            [*pacer, "render", str(w / "p.flac"), "--minutes", "30", "-q"],
            w / "p.flac",
            "formats",
        )
        add(
            "pacer render walk.mp3 (30 min, 22.05 kHz)",
            [*pacer, "render", str(w / "p.mp3"), "--minutes", "30", "-q"],
            w / "p.mp3",
            "formats",
        )
        add(
            "pacer render walk.opus (30 min, 24 kHz)",
            [*pacer, "render", str(w / "p.opus"), "--minutes", "30", "-q"],
            w / "p.opus",
            "formats",
        )
    add(
        "pacer: 30 min WAV to /dev/null",
        [
            *pacer,
            "render",
            "/dev/null",
            "--format",
            "wav",
            "--minutes",
            "30",
            "-q",
            "--voice",
            "en",
        ],
        None,
        "memory",
    )
    add(
        "pacer: 4 hours WAV to /dev/null",
        [
            *pacer,
            "render",
            "/dev/null",
            "--format",
            "wav",
            "--minutes",
            "240",
            "-q",
            "--voice",
            "en",
        ],
        None,
        "memory",
    )
    add("pacer --help", [*pacer, "--help"], None, "startup")
    add("pacer --help, no bytecode", [*pacer, "--help"], None, "startup", uncompiled)
    add("python -c pass", [PY, "-c", "pass"], None, "startup")
    add("python -c 'import numpy'", [PY, "-c", "import numpy"], None, "startup")

    results: dict[str, list[tuple[float, float]]] = {name: [] for name in rows}
    for _ in range(args.repeat):
        for name, (argv, out, _group, env) in rows.items():
            if out is not None and out.exists():
                out.unlink()
            results[name].append(measure(argv, work, env))

    def median(name: str) -> float:
        return statistics.median(t for t, _ in results.get(name, [(float("nan"), 0)]))

    dd = median("dd: same bytes, no audio")
    sox_time = median("sox: click file + repeat")
    print(
        f"pacer render benchmark: median of {args.repeat} runs, {time.strftime('%Y-%m-%d')}, "
        f"{os.cpu_count()} cores, load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after"
    )
    print(
        f"{'what':44} {'wall s':>8} {'x dd':>6} {'sox/it':>6} {'peak RSS':>9} "
        f"{'file':>9} {'on disk':>8}"
    )
    group = ""
    for name, (_argv, out, g, _env) in rows.items():
        if g != group:
            group = g
            print(f"-- {g}")
        wall = median(name)
        rss = max(r for _, r in results[name])
        ratio = f"{wall / dd:6.2f}" if g == "wav" else ""
        faster = f"{sox_time / wall:6.2f}" if g == "wav" else ""
        print(
            f"{name:44} {wall:8.3f} {ratio:>6} {faster:>6} {rss:7.1f}MB "
            f"{size(out) if out else '-':>9} {disk(out) if out else '-':>8}"
        )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
