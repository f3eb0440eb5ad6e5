"""What reading a ten-year journal costs: `pacer history`, `pacer next` and the CSV
export end to end on 3 650 walks (one a day), and in-process the integrity check
(SQLite's quick_check, run before anything is read or written), reading every walk,
the plan's replay and the weekly summary. Prints a table. Goal: `pacer history`
under 0.3 s.

    python benchmarks/journal.py [--walks 3650] [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from pacer import report
from pacer.journal import Entry, Journal
from pacer.plan import next_walk


def make_journal(path: Path, walks: int) -> None:
    """One walk a day for ``walks`` days up to yesterday, most scored, a note now and then."""
    first = date.today() - timedelta(days=walks)
    with Journal(path) as book:
        for n in range(walks):
            day = first + timedelta(days=n)
            before = 2 + n % 4
            book.add(
                Entry(
                    started=f"{day.isoformat()}T07:30:00",
                    preset="back-pain" if n % 3 else "backward",
                    planned_minutes=10 + n % 20,
                    walked_minutes=10 + n % 20,
                    spm_start=60,
                    spm_end=62,
                    ended_early=n % 41 == 0,
                    pain_before=None if n % 9 == 0 else before,
                    pain_after=None if n % 9 == 0 else before + (1 if n % 17 == 0 else 0),
                    note="windy by the river" if n % 5 == 0 else "",
                )
            )


def timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def command(args: list[str], env: dict[str, str]) -> Callable[[], object]:
    def run() -> None:
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--walks", type=int, default=3650)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.sqlite3"
        started = time.perf_counter()
        make_journal(path, args.walks)
        made = time.perf_counter() - started
        env = {**os.environ, "PACER_CONFIG_DIR": folder, "PACER_DATA_DIR": folder}
        pacer = [sys.executable, "-m", "pacer"]
        journal = ["--journal", str(path)]
        commands = {
            "python -c pass (start-up alone)": [sys.executable, "-c", "pass"],
            "pacer history": [*pacer, "history", *journal],
            "pacer history --csv": [*pacer, "history", "--csv", *journal],
            "pacer next --preset back-pain": [*pacer, "next", "--preset", "back-pain", *journal],
        }
        rows = [(name, timed(command(line, env), args.runs)) for name, line in commands.items()]

        def quick_check() -> None:
            db = sqlite3.connect(path)
            db.execute("PRAGMA quick_check").fetchall()
            db.close()

        book = Journal(path)
        entries = book.entries()
        actions: dict[str, Callable[[], object]] = {
            "  in process: open (with quick_check)": lambda: Journal(path).close(),
            "  in process: quick_check alone": quick_check,
            "  in process: read every walk": book.entries,
            "  in process: the plan's replay": lambda: next_walk(
                entries, "back-pain", date.today()
            ),
            "  in process: weekly summary": lambda: report.weeks(entries),
        }
        rows += [(name, timed(action, args.runs)) for name, action in actions.items()]
        book.close()
        size = path.stat().st_size
    print(
        f"journal: {args.walks} walks, {size / 1e6:.2f} MB, made in {made:.1f} s; "
        f"{args.runs} runs each; Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
    )
    width = max(len(name) for name, _ in rows)
    print(f"{'what':<{width}}  {'median':>9}  {'fastest':>9}  {'slowest':>9}")
    for name, times in rows:
        cells = [f"{t * 1000:7.1f} ms" for t in (statistics.median(times), min(times), max(times))]
        print(f"{name:<{width}}  " + "  ".join(cells))
    history = statistics.median(next(t for n, t in rows if n == "pacer history"))
    verdict = "meets" if history < 0.3 else "misses"
    print(f"pacer history: {history * 1000:.0f} ms median, {verdict} the 300 ms goal")


if __name__ == "__main__":
    main()
