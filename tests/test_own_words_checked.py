"""Your own words are read as one line: line breaks are spaces, and a control
character, or only spaces, is refused in one line (as written) when the file is read."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import pacer
from pacer import Reminder, SettingsError
from pacer.cli import main
from pacer.presets import backward
from pacer.session import fill_in


def walk() -> pacer.Session:
    return backward(minutes=12, sample_rate=16000).with_changes(voice="en")


@pytest.mark.parametrize("words", ["\u0007\u0007", "a\u0000b", "a\u001bb", "   "])
def test_own_words_with_control_characters_or_only_spaces_are_refused_in_one_line(
    words: str, tmp_path: Path
) -> None:
    with pytest.raises(SettingsError) as caught:
        walk().with_changes(phrases=(("halfway", words),))
    assert "\n" not in str(caught.value)
    with pytest.raises(SettingsError):
        Reminder(words, every=60)
    (tmp_path / "pacer-config").mkdir(exist_ok=True)
    path = tmp_path / "pacer-config" / "config.toml"
    path.write_text(f"[phrases]\nhalfway = {json.dumps(words, ensure_ascii=False)}\n", "utf-8")
    result = CliRunner().invoke(main, ["show", "--voice", "en"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("pacer: error: ") and str(path) in line and "halfway" in line
    assert repr(words)[1:-1] in line  # the value as written


def test_line_breaks_and_runs_of_spaces_in_own_words_are_one_space() -> None:
    session = walk().with_changes(phrases=(("halfway", "Halfway,\n  well\tdone."),))
    assert session.phrases == (("halfway", "Halfway, well done."),)
    assert Reminder("Relax\r\nyour shoulders.", every=240).text == "Relax your shoulders."


@given(words=st.text(max_size=30), kind=st.sampled_from(["halfway", "minutes_left", "count"]))
@settings(max_examples=300, deadline=None)
def test_any_words_are_either_refused_in_one_line_or_say_something_on_one_line(
    words: str, kind: str
) -> None:
    """Whatever a walker writes: refused in one line, or kept as words with something
    to say (a letter, digit or ideograph, the number counting where the cue has one),
    on one line with no control character."""
    try:
        session = walk().with_changes(phrases=((kind, words),))
    except SettingsError as error:
        assert "\n" not in str(error) and str(error).startswith(f"phrases: {kind}: ")
        return
    ((_, kept),) = session.phrases
    assert kept == " ".join(words.split())
    assert not any(unicodedata.category(c) == "Cc" for c in kept)
    assert any(c.isalnum() for c in fill_in(kept, None if kind == "halfway" else 1))
