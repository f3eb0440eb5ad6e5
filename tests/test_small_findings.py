"""Small things an outside tester found in the plan and journal words (issues 10/14)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from pacer.cli import main
from pacer.journal import Entry, Journal
from pacer.presets import PLANS
from pacer.report import clinic_report


def test_a_note_keeps_a_control_character_as_its_picture(tmp_path: Path) -> None:
    """Found: a note with ESC was dropped silently to a space, though the README says
    control characters are shown as pictures (␛)."""
    j = str(tmp_path / "j.sqlite3")
    args = ["log", "--journal", j, "--minutes", "10", "--note", "a\x1bb\tc\x07"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "'a␛b c␇'" in result.stdout
    with Journal(j) as book:
        assert book.entries()[-1].note == "a␛b c␇"


def test_the_plan_in_words_never_says_a_step_it_has_not() -> None:
    """Found: the backward plan said "then one more day, up to 5; then up to 30 minutes"
    when its minutes were already at 30."""
    walk = Entry("2026-12-01T08:00:00", "backward", 20, 20, pain_before=2, pain_after=2)
    words = clinic_report([walk], "backward", date(2026, 12, 4)).plan_words
    assert PLANS["backward"].minutes_before_more_days == PLANS["backward"].max_minutes == 30
    assert words.endswith("up to 30; then one more day, up to 5"), words
    bp = clinic_report([walk], "back-pain", date(2026, 12, 4), plan=PLANS["back-pain"])
    assert bp.plan_words.endswith("then one more day, up to 5; then up to 60 minutes")


def test_history_shows_a_walk_of_a_few_seconds_as_less_than_a_tenth(tmp_path: Path) -> None:
    """Found: a 0.02-minute walk showed as "0/1"."""
    j = str(tmp_path / "j.sqlite3")
    with Journal(j) as book:
        book.add(Entry("2026-12-01T08:00:00", "backward", 1, 0.02))
    result = CliRunner().invoke(main, ["history", "--journal", j])
    assert result.exit_code == 0, result.output
    assert "<0.1/1" in result.stdout and " 0/1 " not in result.stdout


def test_look_back_every_0_means_none_on_the_command_line_as_in_config(tmp_path: Path) -> None:
    """Found: --look-back-every 0 was refused while look_back_every = 0 in [defaults]
    means no look-back cues: one meaning for both."""
    typed = CliRunner().invoke(main, ["show", "--look-back-every", "0"])
    config = tmp_path / "pacer-config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[defaults]\nlook_back_every = 0\n")
    filed = CliRunner().invoke(main, ["show"])
    assert typed.exit_code == filed.exit_code == 0, typed.output
    assert "look_left" not in typed.stdout and typed.stdout == filed.stdout
