"""Pain questions where they matter: config.toml's ``ask_pain`` ("always", "back-pain",
"never") decides whether ``pacer walk`` asks about pain on a terminal; when it asks,
the questions come after the precautions and after the walk's summary line."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner

import pacer
from pacer.cli import main
from pacer.config import ASK_PAIN, PresetError, asks_pain, load_config
from pacer.journal import Journal
from pacer.output import device as device_module
from pacer.presets import back_pain, backward


@pytest.fixture(autouse=True)
def own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PACER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PACER_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "config").mkdir()
    return tmp_path / "config"


def test_the_library_says_when_to_ask() -> None:
    assert ASK_PAIN == ("always", "back-pain", "never")
    mine = back_pain().with_changes(title="my evening walk")  # a copy, its title changed
    named = backward().with_changes(title="walk for back pain")  # the title alone
    for preset, session, expected in (
        ("backward", backward(), {"always": True, "back-pain": False, "never": False}),
        ("back-pain", back_pain(), {"always": True, "back-pain": True, "never": False}),
        ("mine.toml", mine, {"always": True, "back-pain": True, "never": False}),
        ("mine.toml", named, {"always": True, "back-pain": False, "never": False}),
        ("mine.toml", backward(), {"always": True, "back-pain": False, "never": False}),
    ):
        for mode in ASK_PAIN:
            assert asks_pain(mode, preset, session) is expected[mode], (preset, mode)
    with pytest.raises(pacer.SettingsError, match="ask_pain: 'sometimes' is not"):
        asks_pain("sometimes", "backward")


def test_a_bad_ask_pain_is_one_line_naming_the_file_and_what_is_allowed(
    own_config: Path,
) -> None:
    path = own_config / "config.toml"
    path.write_text('[defaults]\nask_pain = "back-pain"\n')
    assert load_config().defaults["ask_pain"] == "back-pain"
    path.write_text('[defaults]\nask_pain = "sometimes"\n')
    with pytest.raises(PresetError) as caught:
        load_config()
    assert str(caught.value) == (
        f"{path}: [defaults] ask_pain: 'sometimes' is not a choice; "
        "use one of always, back-pain, never."
    )
    result = CliRunner().invoke(main, ["show"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"pacer: error: {caught.value}"]


class FastEngine:
    """A device that pulls as fast as it can, from the caller's thread."""

    name = "fast"
    description = "a test device"
    latency = 0.01

    def start(self, pull) -> None:  # type: ignore[no-untyped-def]
        import threading

        import numpy as np

        self.stopped = threading.Event()

        def run() -> None:
            block = np.zeros((4096, 2), dtype=np.float32)
            while not self.stopped.is_set():
                pull(block)

        threading.Thread(target=run, daemon=True).start()

    def alive(self) -> bool:
        return True

    def error(self) -> BaseException | None:
        return None

    def close(self) -> None:
        self.stopped.set()


@pytest.fixture
def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """CliRunner's input and output look like a terminal (no keys are read)."""
    monkeypatch.setattr(device_module, "open_engine", lambda *a, **k: FastEngine())
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True)

    @contextlib.contextmanager
    def no_keys() -> Iterator[None]:
        yield None

    monkeypatch.setattr("pacer.keys.terminal_keys", no_keys)


@pytest.mark.usefixtures("on_a_terminal")
@pytest.mark.parametrize("mode", [None, *ASK_PAIN])
@pytest.mark.parametrize("preset", ["backward", "back-pain"])
def test_ask_pain_decides_whether_a_walk_asks(
    own_config: Path, tmp_path: Path, mode: str | None, preset: str
) -> None:
    if mode is not None:
        (own_config / "config.toml").write_text(f'[defaults]\nask_pain = "{mode}"\n')
    journal = tmp_path / "j.sqlite3"
    result = CliRunner().invoke(
        main,
        [
            "walk",
            "--preset",
            preset,
            "--minutes",
            "1",
            "--rate",
            "8000",
            "--voice",
            "none",
            "--journal",
            str(journal),
        ],
        input="3\n2\n",
    )
    assert result.exit_code == 0, result.output
    asked = {None: True, "always": True, "back-pain": preset == "back-pain", "never": False}[mode]
    out = result.stdout
    assert ("Pain now, 0-10" in out) is asked
    assert ("Pain after the walk, 0-10" in out) is asked
    with Journal(journal) as book:
        (entry,) = book.entries()
    assert (entry.pain_before, entry.pain_after) == ((3, 2) if asked else (None, None))
    if asked:  # after the precautions; after the walk's summary line
        assert out.index("Flat shoes (no heels)") < out.index("Pain now")
        assert out.index("Walk complete:") < out.index("Pain after the walk")
    else:
        assert "Walk complete:" in out and "Recorded in the journal as walk 1." in out


@pytest.mark.usefixtures("on_a_terminal")
def test_pain_given_on_the_command_line_is_recorded_whatever_ask_pain_says(
    own_config: Path, tmp_path: Path
) -> None:
    (own_config / "config.toml").write_text('[defaults]\nask_pain = "never"\n')
    journal = tmp_path / "j.sqlite3"
    result = CliRunner().invoke(
        main,
        [
            "walk",
            "--minutes",
            "1",
            "--rate",
            "8000",
            "--voice",
            "none",
            "--journal",
            str(journal),
            "--pain-before",
            "4",
            "--pain-after",
            "5",
        ],
    )
    assert result.exit_code == 0, result.output
    with Journal(journal) as book:
        (entry,) = book.entries()
    assert (entry.pain_before, entry.pain_after) == (4, 5)


def test_a_copy_of_back_pain_is_asked_whatever_its_title(tmp_path: Path) -> None:
    from pacer.config import load_preset

    shown = CliRunner().invoke(main, ["presets", "show", "back-pain"]).stdout
    copy = tmp_path / "evening.toml"
    copy.write_text(shown.replace('title = "walk for back pain"', 'title = "evening walk"'))
    session = load_preset(str(copy))
    assert session.title == "evening walk"
    assert asks_pain("back-pain", str(copy), session)
    plain = tmp_path / "plain.toml"
    plain.write_text(
        'title = "walk for back pain"\n[[phases]]\nname = "walk"\nminutes = 10\n'
        "steps_per_minute = 90\n"
    )
    assert not asks_pain("back-pain", str(plain), load_preset(str(plain)))
