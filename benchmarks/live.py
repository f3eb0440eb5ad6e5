"""Live timing measured from outside: pacer walk beside a naive sleep-loop metronome,
each played into its own PulseAudio null sink at the same time and recorded with parec.

    python benchmarks/live.py [--seconds 60] [--long 600] [--no-keys]
    python benchmarks/live.py --long 0 --no-keys --load 4 --stream-mb 300 --runs 5
    python benchmarks/live.py --long 0 --no-keys --plain-sink
    python benchmarks/live.py --long 0 --no-keys --load 4 --stream-mb 300 --buffers 40,100,100x2

Needs Debian's pulseaudio and pulseaudio-utils (pulseaudio, pacat, parec, paplay).
A private server runs from a temporary directory with null sinks at 50 000 Hz and
norewinds=1 (at 44 100 Hz the null sink's clock is off by 300-1100 ppm); a silent
keep-alive stream into each sink lets a new stream start at once.

For each run the beats are found in the recording (onsets after quiet) and fitted to
a straight line: drift is the line's slope against the nominal period (ppm), jitter
the largest distance of a beat from the line (ms), p99 the 99th percentile of those
distances. Also: time from starting the command to the first sound, CPU used by the
pacer process, "device lost" messages pacer printed, and key-press latency (a space
press through a pseudo-terminal to the pause tune in the recording).

Load: ``--load N`` keeps N processes busy (a Python loop each); ``--stream-mb M`` adds
one that copies M MB of memory over and over (a cache and memory-bus hog). With
``--runs N`` every run is printed and the worst (largest p99) is repeated at the end.
``--plain-sink`` plays pacer into a sink as a desktop has it: default rewinds, no
keep-alive stream. ``--buffers`` plays the walk through ``pacer.play`` with each
device period (ms) in turn, to choose the buffer by measurement.
"""

from __future__ import annotations

import argparse
import os
import pty
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RATE = 50_000
SPM = 60


class Pulse:
    """A private PulseAudio server with one null sink per name (``plain``: default
    rewinds and no keep-alive stream, as a desktop's sink)."""

    def __init__(self, work: Path, sinks: list[str]) -> None:
        self.work = work
        self.env = dict(
            os.environ,
            HOME=str(work),
            PULSE_RUNTIME_PATH=str(work / "run"),
            PULSE_SERVER=f"unix:{work}/native",
        )
        args = [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "-L",
            f"module-native-protocol-unix socket={work}/native auth-anonymous=1",
        ]
        for sink in sinks:
            rewinds = "" if sink == "plain" else " norewinds=1"
            args += ["-L", f"module-null-sink sink_name={sink} rate={RATE}{rewinds}"]
        # ALSA programs (simpleaudio) reach the same server through the pulse plugin
        # (Debian's libasound2-plugins).
        (work / ".asoundrc").write_text(
            "pcm.!default { type pulse }\nctl.!default { type pulse }\n"
        )
        self.server = subprocess.Popen(
            args, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while subprocess.run(["pactl", "info"], env=self.env, capture_output=True).returncode != 0:
            if time.monotonic() > deadline:
                raise SystemExit("pulseaudio did not start")
            threading.Event().wait(0.1)
        # Silence from /dev/zero (from /dev/null pacat would end at once).
        self._zero = open("/dev/zero", "rb")  # noqa: SIM115
        self.keepalive = [
            subprocess.Popen(
                ["pacat", "--latency-msec=5", f"--device={sink}"],
                stdin=self._zero,
                env=self.env,
            )
            for sink in sinks
            if sink != "plain"
        ]

    def record(self, sink: str, path: Path) -> tuple[subprocess.Popen[bytes], float]:
        argv = [
            "parec",
            f"--device={sink}.monitor",
            f"--rate={RATE}",
            "--channels=1",
            "--format=s16le",
            "--latency-msec=10",
        ]
        with open(path, "wb") as out:  # parec keeps its own copy of the descriptor
            started = time.monotonic()
            proc = subprocess.Popen(argv, stdout=out, env=self.env)
        return proc, started

    def env_for(self, sink: str) -> dict[str, str]:
        return dict(self.env, PULSE_SINK=sink)

    def close(self) -> None:
        for proc in self.keepalive:
            proc.terminate()
        self._zero.close()
        self.server.terminate()
        self.server.wait()


def onsets(path: Path, threshold: int = 300, quiet: float = 0.15) -> np.ndarray:
    """Times (s from the start of the recording) where sound starts after quiet."""
    data = np.abs(np.fromfile(path, dtype="<i2").astype(np.int32))
    loud = np.flatnonzero(data > threshold)
    if len(loud) == 0:
        return np.array([])
    gaps = np.diff(loud) > quiet * RATE
    starts = np.concatenate([[loud[0]], loud[1:][gaps]])
    return starts / RATE


def fit(beats: np.ndarray, period: float) -> tuple[float, float, float]:
    """Drift (ppm), jitter (largest deviation from the fitted line, ms) and the 99th
    percentile of the deviations (ms). Beats are numbered by their time, so a lost
    beat shows as a gap, not as a shift of every later beat."""
    k = np.round((beats - beats[0]) / period)
    slope, intercept = np.polyfit(k, beats, 1)
    residual = np.abs(beats - (intercept + slope * k)) * 1000
    drift = (slope - period) / period * 1e6
    return drift, float(residual.max()), float(np.quantile(residual, 0.99))


def cpu_of(proc: subprocess.Popen[bytes], started: float) -> tuple[float, float]:
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    return (usage.ru_utime + usage.ru_stime) / wall * 100, wall


HEADER = (
    f"{'what':34} {'beats':>5} {'drift ppm':>10} {'jitter ms':>9} {'p99 ms':>7} "
    f"{'1st sound':>9} {'CPU':>7} {'lost':>4}"
)


def row(label: str, beats: np.ndarray, first: float | None, cpu: float | None, lost: str) -> str:
    if len(beats) < 3:
        return f"{label:34} {len(beats):5d}  (too few beats to fit)"
    drift, jitter, p99 = fit(beats, 60 / SPM)
    first_text = f"{first:7.2f} s" if first is not None else ""
    cpu_text = f"{cpu:5.2f} %" if cpu is not None else ""
    return (
        f"{label:34} {len(beats):5d} {drift:+10.1f} {jitter:9.3f} {p99:7.3f} "
        f"{first_text:>9} {cpu_text:>7} {lost:>4}"
    )


def side_by_side(
    pulse: Pulse, work: Path, seconds: int, sink: str = "pacer", note: str = ""
) -> tuple[list[str], float]:
    """pacer walk into ``sink`` and the naive loop into "naive", at the same time.
    Returns the two rows and pacer's p99 (ms; infinite when too few beats)."""
    minutes = max(1, round(seconds / 60))
    click = work / "click.wav"
    pacer_rec, naive_rec = work / f"pacer-{seconds}.raw", work / f"naive-{seconds}.raw"
    recorders = [pulse.record(sink, pacer_rec), pulse.record("naive", naive_rec)]
    threading.Event().wait(0.5)
    errors = work / "pacer-stderr.txt"
    started = time.monotonic()
    with open(errors, "wb") as stderr:
        walker = subprocess.Popen(
            walk_command("--minutes", str(minutes)),
            env=pulse.env_for(sink),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    naive_started = time.monotonic()
    naive = subprocess.Popen(
        [sys.executable, str(HERE / "naive_metronome.py"), str(click), str(SPM), str(minutes * 60)],
        env=pulse.env_for("naive"),
    )
    cpu, _ = cpu_of(walker, started)
    naive.wait()
    threading.Event().wait(0.5)
    for proc, _ in recorders:
        proc.terminate()
        proc.wait()
    lost = errors.read_text().count("audio device was lost")
    found = onsets(pacer_rec)
    # The start tune, then the beats; the end tune comes after the last beat.
    beats = found[1:-1]
    first_sound = recorders[0][1] + found[0] - started if len(found) else None
    rows = [row(f"pacer walk, {minutes} min{note}", beats, first_sound, cpu, str(lost))]
    naive_beats = onsets(naive_rec)
    nfirst = recorders[1][1] + naive_beats[0] - naive_started if len(naive_beats) else None
    rows.append(row(f"naive sleep loop, {minutes} min{note}", naive_beats, nfirst, None, ""))
    p99 = fit(beats, 60 / SPM)[2] if len(beats) >= 3 else float("inf")
    return rows, p99


def buffer_row(pulse: Pulse, work: Path, seconds: int, buffer_msec: int, periods: int) -> str:
    """The same walk through pacer.play with a device period of ``buffer_msec`` and
    ``periods`` periods in the device's buffer."""
    rec = work / f"buffer-{buffer_msec}.raw"
    recorder, rec_started = pulse.record("pacer", rec)
    threading.Event().wait(0.5)
    script = (
        "import threading, pacer\n"
        "from pacer.output import device\n"
        "from pacer.output.device import play\n"
        f"device.PERIODS = {periods}\n"
        f"s = pacer.presets.backward(minutes={max(1, round(seconds / 60))}, "
        f"look_back_every=None, sample_rate={RATE}, sound='click')"
        ".with_changes(voice='none')\n"
        f"with play(s, keep_alive=False, buffer_msec={buffer_msec}) as p:\n"
        "    while not p.finished:\n"
        "        threading.Event().wait(0.25); p.check()\n"
        "    print(round(p.engine.latency * 1000))\n"
    )
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", script], env=pulse.env_for("pacer"), stdout=subprocess.PIPE
    )
    cpu, _ = cpu_of(proc, started)  # type: ignore[arg-type]
    latency = proc.stdout.read().decode().strip() if proc.stdout else "?"
    threading.Event().wait(0.5)
    recorder.terminate()
    recorder.wait()
    found = onsets(rec)
    first = rec_started + found[0] - started if len(found) else None
    label = f"period {buffer_msec} ms x {periods} (latency {latency} ms)"
    return row(label, found[1:-1], first, cpu, "")


# simpleaudio plays only the common rates; PulseAudio resamples 48 kHz into the sink.
ENGINE_RATE = {"miniaudio": RATE, "simpleaudio": 48_000}


def walk_command(*options: str, engine: str = "miniaudio") -> list[str]:
    """``pacer walk`` at the benchmark's pace, with only beats between the start and
    end tunes (no look-backs), on ``engine``, and the options given."""
    return [
        sys.executable,
        "-m",
        "pacer",
        "walk",
        "--engine",
        engine,
        "--rate",
        str(ENGINE_RATE[engine]),
        "--spm",
        str(SPM),
        "--no-look-back",
        "--sound",
        "click",
        "--no-keep-alive",
        "--no-journal",
        "--voice",
        "none",
        *options,
    ]


def engine_row(pulse: Pulse, work: Path, engine: str, seconds: int) -> str:
    """One engine alone on the "pacer" sink: its drift, jitter, first sound and CPU."""
    minutes = max(1, round(seconds / 60))
    rec = work / f"{engine}-{seconds}.raw"
    recorder, rec_started = pulse.record("pacer", rec)
    threading.Event().wait(0.5)
    started = time.monotonic()
    walker = subprocess.Popen(
        walk_command("--minutes", str(minutes), "-q", engine=engine),
        env=pulse.env_for("pacer"),
        stdin=subprocess.DEVNULL,
    )
    cpu, _ = cpu_of(walker, started)
    threading.Event().wait(0.5)
    recorder.terminate()
    recorder.wait()
    found = onsets(rec)
    beats = found[1:-1]
    if len(beats) < 3:
        return f"pacer --engine {engine}: no beats were heard (see its error above)"
    drift, jitter, _ = fit(beats, 60 / SPM)
    first = rec_started + found[0] - started
    label = f"pacer --engine {engine}, {minutes} min"
    return f"{label:26} {len(beats):6d} {drift:+10.1f} {jitter:9.3f} {first:9.2f} s {cpu:6.2f} %"


def key_latency(
    pulse: Pulse, work: Path, presses: int = 6, engine: str = "miniaudio"
) -> list[float]:
    """Space presses through a pty; latency to the pause/resume tune in the recording."""
    rec = work / "keys.raw"
    recorder, rec_started = pulse.record("pacer", rec)
    threading.Event().wait(0.5)
    primary, secondary = pty.openpty()
    walker = subprocess.Popen(
        walk_command("--minutes", "1", engine=engine),
        env=pulse.env_for("pacer"),
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
    )
    os.close(secondary)
    drained = threading.Thread(target=lambda: _drain(primary), daemon=True)
    drained.start()
    start = time.monotonic()
    pressed = []
    tick = threading.Event()
    for i in range(presses):
        # Press 0.35 s after a beat (beats fall on whole seconds after start + 3 s),
        # so the next sound after the press is the tune, not a beat.
        target = start + 5 + 2.5 * i
        while time.monotonic() < target:
            tick.wait(0.005)
        os.write(primary, b" ")
        pressed.append(time.monotonic())
    os.write(primary, b"q")
    walker.wait(timeout=30)
    threading.Event().wait(0.5)
    recorder.terminate()
    recorder.wait()
    found = onsets(rec, quiet=0.05) + rec_started
    latencies = []
    for at in pressed:
        after = found[found > at]
        if len(after):
            latencies.append((after[0] - at) * 1000)
    return latencies


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 4096):
            pass
    except OSError:
        pass


def write_click(path: Path) -> None:
    t = np.arange(int(0.025 * RATE)) / RATE
    click = (np.cos(2 * np.pi * 2600 * t) * np.exp(-t / 0.005) * 0.4 * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(click.tobytes())


def load(busy: int, stream_mb: int) -> list[subprocess.Popen[bytes]]:
    """``busy`` processes computing and one streaming ``stream_mb`` MB through memory."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
    if stream_mb:
        code = (
            "import numpy as np\n"
            f"a = np.ones({stream_mb} * 2**20 // 16); b = np.empty_like(a)\n"
            "while True: np.copyto(b, a); np.copyto(a, b)\n"
        )
        procs.append(subprocess.Popen([sys.executable, "-c", code]))
    return procs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--long", type=int, default=600, help="0 to skip the long run")
    parser.add_argument("--no-keys", action="store_true")
    parser.add_argument(
        "--load",
        type=int,
        default=0,
        help="keep this many cores busy (a Python busy loop each) meanwhile",
    )
    parser.add_argument(
        "--stream-mb",
        type=int,
        default=0,
        help="also run one process copying this many MB of memory over and over",
    )
    parser.add_argument("--runs", type=int, default=1, help="repeat the short run")
    parser.add_argument(
        "--plain-sink",
        action="store_true",
        help="play pacer into a sink with default rewinds and no keep-alive stream",
    )
    parser.add_argument(
        "--buffers",
        default="",
        help="device periods to compare, in ms, each with x and the number of periods "
        "in the buffer if not 3 (e.g. 40,100,100x2)",
    )
    parser.add_argument(
        "--simpleaudio",
        action="store_true",
        help="also measure --engine simpleaudio (Python < 3.12, installed)",
    )
    args = parser.parse_args()
    for tool in ("pulseaudio", "pactl", "pacat", "parec", "paplay"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found: apt-get install pulseaudio pulseaudio-utils")
    work = Path(tempfile.mkdtemp(prefix="pacer-live-"))
    write_click(work / "click.wav")
    pulse = Pulse(work, ["pacer", "naive", "plain"])
    busy = load(args.load, args.stream_mb)
    try:
        print(
            f"live timing, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
            f"load: {args.load} busy + {args.stream_mb} MB streamed, load average "
            f"{os.getloadavg()[0]:.1f} at the start; {SPM} steps/min, null sinks at {RATE} Hz"
        )
        print(HEADER)
        worst: tuple[float, list[str]] = (-1.0, [])
        for run in range(args.runs):
            note = f" #{run + 1}" if args.runs > 1 else ""
            rows, p99 = side_by_side(pulse, work, args.seconds, note=note)
            for line in rows:
                print(line, flush=True)
            worst = max(worst, (p99, rows), key=lambda w: w[0])
        if args.runs > 1:
            print(f"worst of {args.runs} runs (largest pacer p99):")
            for line in worst[1]:
                print(line, flush=True)
        if args.long:
            for line in side_by_side(pulse, work, args.long)[0]:
                print(line, flush=True)
        if args.plain_sink:
            rows, _ = side_by_side(pulse, work, args.seconds, sink="plain", note=", plain sink")
            for line in rows:
                print(line, flush=True)
        for choice in [b for b in args.buffers.split(",") if b]:
            msec, _, periods = choice.partition("x")
            line = buffer_row(pulse, work, args.seconds, int(msec), int(periods or 3))
            print(line, flush=True)
        engines = ["miniaudio"]
        if args.simpleaudio:
            print(engine_row(pulse, work, "simpleaudio", args.seconds), flush=True)
            engines.append("simpleaudio")
        for engine in [] if args.no_keys else engines:
            latencies = key_latency(pulse, work, engine=engine)
            print(
                f"{engine}: key press (space) to pause/resume tune heard: "
                f"median {np.median(latencies):.0f} ms, max {max(latencies):.0f} ms "
                f"over {len(latencies)} presses",
                flush=True,
            )
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        for proc in busy:
            proc.kill()
        pulse.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
