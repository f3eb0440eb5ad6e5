"""The README says what pacer does today: its Python runs, its console examples are
what pacer prints, its config files are accepted, and its option table and level
figures are the program's own."""

from __future__ import annotations

import math
import re
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


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("code", blocks("python"))
def test_the_python_examples_run(code: str) -> None:
    exec(compile(code, "README.md", "exec"), {})


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("args, printed", console_examples(), ids=lambda x: " ".join(x)[:40])
def test_the_console_examples_print_what_pacer_prints(args: list[str], printed: list[str]) -> None:
    result = CliRunner().invoke(main, args, prog_name="pacer")
    lines = result.output.rstrip("\n").split("\n")
    # "..." in the README stands for lines left out; every other line is printed as
    # written, in that order.
    at = 0
    for want in printed:
        if want.strip() == "...":
            continue
        assert want in lines[at:], f"{want!r} is not printed by pacer {' '.join(args)}"
        at = lines.index(want, at) + 1
    assert printed[-1].strip() == "..." or lines[-1] == printed[-1]


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
