"""The README says what pacer does today: its Python runs, its console examples are
what pacer prints, its config files are accepted, and its option table and level
figures are the program's own."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner

import pacer
from pacer.cli import Bounded, main
from pacer.presets import back_pain, backward

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    """The README's fenced blocks in ``language``, as text."""
    return re.findall(rf"^```{language}\n(.*?)^```", README, re.M | re.S)


def console_examples() -> list[tuple[list[str], list[str]]]:
    """Each ``$ pacer ...`` line of a console block, with the lines it prints."""
    examples = []
    for block in blocks("console"):
        for command in re.split(r"^(?=\$ )", block, flags=re.M):
            if command.startswith("$ pacer "):
                first, *printed = command.rstrip("\n").split("\n")
                examples.append((first.split()[2:], printed))
    return examples


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A walker whose locale is English, in an empty folder."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_has_examples_to_check() -> None:
    assert len(blocks("python")) >= 1
    assert len(console_examples()) >= 2
    assert len(blocks("toml")) >= 2
    assert len(blocks("text")) == 1  # the rule 2 example, run below


def test_every_example_in_the_readme_is_checked() -> None:
    """Each fenced block is one the tests here run or compare (python, console, toml,
    text), or a set-up command (sh, or no language) that installs, never an example
    of what pacer prints."""
    fences = re.findall(r"^ *```(\S*)\n(.*?)^ *```", README, re.M | re.S)
    for language, body in fences:
        if language in ("python", "console", "toml", "text"):
            continue
        assert language in ("sh", ""), f"a ```{language} block is not checked"
        assert all(
            line.split()[0] in ("python", "pip", "sudo", "bash")
            for line in body.splitlines()
            if line.strip() and not line.strip().startswith("#") and not line.startswith(" " * 6)
        ), body
    assert all(
        command.startswith("$ pacer ")
        for block in blocks("console")
        for command in re.findall(r"^\$ .*", block, re.M)
    )


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("code", blocks("python"))
def test_the_python_examples_run(code: str) -> None:
    exec(compile(code, "README.md", "exec"), {})


DATES = re.compile(
    r"\b\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d)?)?\b"  # 2026-11-18, 2026-11-18 07:30
    r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}(?: \d{4})?\b"  # Wed 18 Nov
)
"""What a console example may print otherwise on another day: dates and clock times."""


def _masked(lines: list[str]) -> list[str]:
    return [DATES.sub("<date>", line) for line in lines]


def _segments(printed: list[str]) -> list[list[str]]:
    """The example's lines between its "..." lines (which stand for lines left out)."""
    segments: list[list[str]] = [[]]
    for line in printed:
        if line.strip() == "...":
            segments.append([])
        else:
            segments[-1].append(line)
    return segments


def differs(lines: list[str], printed: list[str]) -> str | None:
    """How ``lines`` (what pacer printed) differ from an example's ``printed`` lines,
    or ``None``: they must be the example's lines exactly, in order and together, from
    its first line to its last; only a "..." line leaves lines out, and only dates and
    clock times may differ."""
    lines = _masked(lines)
    segments = [_masked(segment) for segment in _segments(printed)]
    head, tail = segments[0], segments[-1]
    if len(segments) == 1:
        return None if lines == head else "it prints other lines"
    if lines[: len(head)] != head:
        return "it does not begin so"
    if len(lines) < len(head) + len(tail) or lines[len(lines) - len(tail) :] != tail:
        return "it does not end so"
    at, end = len(head), len(lines) - len(tail)
    for segment in segments[1:-1]:
        found = next(
            (
                i
                for i in range(at, end - len(segment) + 1)
                if lines[i : i + len(segment)] == segment
            ),
            None,
        )
        if found is None:
            return f"it does not print, together and in this place: {segment}"
        at = found + len(segment)
    return None


@pytest.mark.parametrize(
    "change",
    ["drop a line", "add a line", "change a word", "swap two lines", "drop the last line"],
)
def test_any_difference_from_a_console_example_is_found(change: str) -> None:
    printed = ["walk: 20 min", " 0:00.0  start", " 0:02.0  phase", "...", "20:02.0  end"]
    lines = ["walk: 20 min", " 0:00.0  start", " 0:02.0  phase", " 0:03.0  look", "20:02.0  end"]
    assert differs(lines, printed) is None
    assert (
        differs(["2026-11-18 07:30 walked", "Wed 18 Nov"], ["2025-01-02 10:00 walked", "Thu 2 Jan"])
        is None
    )
    wrong = {
        "drop a line": lines[:1] + lines[2:],
        "add a line": [*lines[:2], "extra", *lines[2:]],
        "change a word": [lines[0].replace("20", "25"), *lines[1:]],
        "swap two lines": [lines[0], lines[2], lines[1], *lines[3:]],
        "drop the last line": lines[:-1],
    }[change]
    assert differs(wrong, printed) is not None


def _as_walker(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """``pacer ARGS`` as a walker runs it: English locale, a home folder of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PACER_", "XDG_", "LC_"))}
    env.update(HOME=str(home), LANG="en_US.UTF-8", LANGUAGE="")
    return subprocess.run(
        [sys.executable, "-m", "pacer", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        cwd=home,
        env=env,
    )


@pytest.mark.parametrize("args, printed", console_examples(), ids=lambda x: " ".join(x)[:40])
def test_the_console_examples_print_what_pacer_prints(
    args: list[str], printed: list[str], tmp_path: Path
) -> None:
    """Each example's command prints the example's lines (its home folder shown as ~)
    and exits as it should."""
    done = _as_walker(args, tmp_path)
    assert done.returncode == (2 if printed[-1].startswith("pacer: error:") else 0), done.stdout
    lines = done.stdout.replace(str(tmp_path), "~").rstrip("\n").split("\n")
    problem = differs(lines, printed)
    assert problem is None, f"pacer {' '.join(args)}: {problem}\n{done.stdout}"


def test_the_pain_rule_example_is_what_pacer_next_prints(tmp_path: Path) -> None:
    """The README's rule 2 example, from the walks it describes: three calm walks at 10
    minutes (Monday, Wednesday, Friday), then a week at 15 in which pain rose (3
    before, 5 after) on Wednesday; the weeks are recent ones, the days as written."""
    (example,) = blocks("text")
    wednesday = date.today() - timedelta(days=(date.today().weekday() - 2) % 7 + 14)
    walks = [(-9, 10, 3), (-7, 10, 3), (-5, 10, 3), (-2, 15, 3), (0, 15, 5)]
    for days, minutes, after in walks:
        day = (wednesday + timedelta(days=days)).isoformat()
        logged = _as_walker(
            [
                "log",
                "--preset",
                "back-pain",
                "--minutes",
                str(minutes),
                "--date",
                day,
                "--pain-before",
                "3",
                "--pain-after",
                str(after),
            ],
            tmp_path,
        )
        assert logged.returncode == 0, logged.stdout
    done = _as_walker(["next", "--preset", "back-pain"], tmp_path)
    problem = differs(done.stdout.rstrip("\n").split("\n"), example.rstrip("\n").split("\n"))
    assert problem is None, f"{problem}\n{done.stdout}"


@pytest.mark.parametrize("text", blocks("toml"))
def test_the_config_examples_are_accepted(text: str, english: Path) -> None:
    config = english / "pacer-config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(text, encoding="utf-8")
    result = CliRunner(env={"PACER_CONFIG_DIR": str(config)}).invoke(main, ["show"])
    assert result.exit_code == 0, result.output


def table_rows() -> dict[str, list[str]]:
    """The shared options table: option -> its cells (default, allowed, meaning)."""
    rows = {}
    for line in README.splitlines():
        match = re.match(r"^\| `(--[a-z-]+)[^`]*` \|(.*)\|$", line)
        if match:
            rows[match[1]] = [cell.strip() for cell in match[2].split("|")]
    return rows


def test_the_options_table_has_the_commands_defaults_and_ranges() -> None:
    rows = table_rows()
    show = main.commands["show"]
    checked = 0
    for param in show.params:
        if not isinstance(param, click.Option) or not isinstance(param.type, Bounded):
            continue
        option = max(param.opts, key=len)
        assert option in rows, f"{option} is not in the README's table"
        default, allowed, _meaning = rows[option]
        limit = param.type.limit
        assert allowed == f"{limit.low:g}–{limit.high:g}", option
        if param.default is not None:
            assert default.split()[0] == f"{param.default:g}", option
        checked += 1
    assert checked >= 8


def peak_dbfs(session: pacer.Session) -> float:
    peak = max(float(np.abs(block).max()) for block in pacer.blocks(session, 1 << 16))
    return 20 * math.log10(peak)


def test_the_level_figures_are_measured_ones() -> None:
    found = re.findall(
        r"peak between −([\d.]+) and −([\d.]+) dBFS at (\d+), and between −([\d.]+) and "
        r"−([\d.]+) dBFS at (\d+)",
        README,
    )
    (low80, high80, eighty, low100, high100, hundred) = found[0]
    assert (eighty, hundred) == (f"{pacer.session.DEFAULTS.volume:g}", "100")
    assert "at 100 nothing goes above −1 dBFS" in README
    for make in (backward, back_pain):
        for voice in ("en", "zh", "none"):
            for volume, low, high in ((80, low80, high80), (100, low100, high100)):
                session = make().with_changes(voice=voice, volume=volume, sample_rate=22050)
                peak = peak_dbfs(session)
                assert -float(high) <= peak <= -float(low), (make.__name__, voice, volume, peak)
