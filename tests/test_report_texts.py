"""What a walker wrote, as the pictures and the HTML report show it: a control character
(escape, bell, carriage return, line break) shows as its picture everywhere, a ``$``
is a dollar, a character no font here has is counted and never takes the rest of the
text with it, a table cell is cut only between words, and the pace line says what is
true."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_plan import TODAY, walk

from pacer import report
from pacer.journal import Entry

CONTROLS = "".join(map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0)]))
"""Every character that can drive a terminal or break a line."""


@pytest.fixture(scope="module")
def plt() -> Any:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot

    yield matplotlib.pyplot
    matplotlib.pyplot.close("all")


def _drawn_texts(fig: Any) -> list[str]:
    """Every text a figure draws: titles, labels, keys, table cells."""
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]


walker_text = st.text(
    alphabet=st.sampled_from([*CONTROLS[:32], "\x7f", "\x9b", "$", "^", "\\", "a", " ", "7", "公"]),
    min_size=1,
    max_size=12,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(note=walker_text, name=walker_text)
@example(note="bad\x1b[31mred\x07\r\nline $x^$", name="evil\x1b[2J\nname$x^$")
def test_no_control_character_reaches_a_picture_or_the_html_and_a_dollar_is_a_dollar(
    plt: Any, note: str, name: str
) -> None:
    entries = [
        walk(3, 10, 3, 3, spm_start=100, note=note),
        walk(2, 10, 3, 3, preset=name.strip() or "x", note=note),
    ]
    made = report.clinic_report(entries, "back-pain", TODAY)
    for fig in (
        report.clinic_figure(made),
        report.figure(entries, f"pacer: {name}", today=TODAY),
        report.figure(entries, "pacer", preset=name.strip() or "x", today=TODAY),
    ):
        fig.canvas.draw()  # a "$x^$" drawn as a formula would raise here
        for text in _drawn_texts(fig):
            assert not set(text.replace("\n", "")) & set(CONTROLS), repr(text)
        plt.close(fig)
    page = report.clinic_html(made)
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and not set(title.group(1)) & set(CONTROLS)
    body = page.split("<body>", 1)[1]
    assert not set(body.replace("\n", "")) & set(CONTROLS)


def test_words_no_font_has_are_one_mark_naming_their_writing_and_the_page_says_where_to_read_them(
    plt: Any,
) -> None:
    # U+10FFFD (private use, plane 16): no font has it. Chinese: none here without a CJK font.
    odd = "walked 20 min \U0010fffd\U0010fffd by the river, pain 3"
    chinese = "下雨，路滑，走了十分钟 (rain)"
    assert report.fonts_for(odd) is None
    assert report.drawable(odd)[0] == "walked 20 min [symbols] by the river, pain 3"
    made = report.clinic_report(
        [walk(2, 10, 2, 2, note=odd), walk(1, 10, 2, 2, note=chinese)], "back-pain", TODAY
    )
    fig = report.clinic_figure(made)
    cells = [
        c.get_text().get_text().replace("\n", " ")
        for c in fig.axes[4].tables[0].get_celld().values()
    ]
    assert "walked 20 min [symbols] by the river, pain 3" in cells
    drawn = " ".join(_drawn_texts(fig)).replace("\n", " ")
    assert "\ufffd" not in drawn and "\U0010fffd" not in drawn  # nothing drawn as a box
    scripts = ["symbols"]
    if report.fonts_for(chinese) is None:  # no CJK font installed (fc-list :lang=zh is empty)
        assert report.drawable(chinese)[0] == "[Chinese] (rain)"
        assert "[Chinese] (rain)" in cells
        scripts.append("Chinese")
    else:  # drawn as written, in the font that has it
        assert chinese in cells
    assert " ".join(report.undrawn_words(scripts).split()) in " ".join(drawn.split())
    assert odd in report.clinic_html(made) and chinese in report.clinic_html(made)
    # The history picture draws no notes; a programme named in Chinese it marks, and says so.
    named = report.figure([walk(1, 10, 2, 2, preset="散步")], today=TODAY, preset="散步")
    texts = " ".join(" ".join(_drawn_texts(named)).split())
    assert "\ufffd" not in texts
    if report.fonts_for("散步") is None:
        assert "[Chinese]" in texts
        assert " ".join(report.undrawn_words(["Chinese"]).split()) in texts
    else:
        assert "散步" in texts
    plt.close("all")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("今天走得很好，腰不疼了", "[Chinese]"),
        ("pain 3 – 好 ok 好好", "pain 3 – [Chinese] ok [Chinese]"),
        ("こんにちは 公園", "[Japanese]"),
        ("걷기 좋았다", "[Korean]"),
        ("a \U0010fffd b", "a [symbols] b"),
    ],
)
def test_a_run_of_words_no_font_has_is_one_mark(text: str, shown: str) -> None:
    pytest.importorskip("matplotlib")
    if report.fonts_for(text) is not None:
        pytest.skip("a font here draws it")
    assert report.drawable(text)[0] == shown


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = draw(
        st.lists(st.text(alphabet="abcdefghij-", min_size=1, max_size=30), min_size=1, max_size=12)
    )
    return " ".join(words)


@settings(max_examples=300, deadline=None)
@given(text=sentences(), width=st.integers(3, 25), most=st.integers(1, 3))
@example(
    text="Supercalifragilisticexpialidocious-extraordinarily-longword went fine along",
    width=20,
    most=2,
)
def test_a_table_cell_is_cut_only_between_words(text: str, width: int, most: int) -> None:
    """Each line of a wrapped cell fits, holds whole words of the text in order, and
    only a word too long for any line, or the last word of a cell with more to say,
    is shortened, ending in "…"."""
    lines = report._wrapped(text, width, len, most).split("\n")
    assert len(lines) <= most
    words = text.split()
    at = 0
    for line in lines:
        assert len(line) <= width
        for token in line.split():
            if token.endswith("…") and (at >= len(words) or token != words[at]):
                assert words[at].startswith(token[:-1])
            else:
                assert token == words[at]
            at += 1
    if at < len(words):  # more to say: the cell ends saying so
        assert lines[-1].endswith("…")


def test_the_page_wraps_its_walk_table_between_words(plt: Any) -> None:
    note = "Supercalifragilisticexpialidocious-extraordinarily-longword went fine along the river"
    made = report.clinic_report([walk(1, 10, 2, 2, note=note)], "back-pain", TODAY)
    fig = report.clinic_figure(made)
    cell = next(
        c.get_text().get_text()
        for c in fig.axes[4].tables[0].get_celld().values()
        if c.get_text().get_text().startswith("Super")
    )
    for token in cell.split():
        assert token in note.split() or (token.endswith("…") and note.count(token[:-1]))


@given(spm=st.booleans(), count=st.integers(0, 4))
def test_the_pace_line_says_walks_without_a_pace_are_walks(spm: bool, count: int) -> None:
    entries: list[Entry] = [
        walk(d + 1, 10, 3, 3, spm_start=100 if spm else None) for d in range(count)
    ]
    words = report.clinic_report(entries, "back-pain", TODAY).pace_words
    if count and not spm:
        assert words == (
            "Pace: 100 steps/min, the back-pain preset's own (none recorded on your "
            f"{count} back-pain walk{'s' if count != 1 else ''})."
        )
    if count:
        assert "recorded yet" not in words
    else:  # the pace to walk, not only that none was walked
        assert (
            words
            == "Pace: 100 steps/min, the back-pain preset's own (no back-pain walk recorded yet)."
        )
    empty = report.clinic_report([], "backward", TODAY)
    assert empty.pace_words == (
        "Pace: 60 steps/min, the backward preset's own (no backward walk recorded yet)."
    )
    assert empty.period == "No walks recorded yet"
