"""The maintainer's tools run on every Python pacer supports (3.10 has no tomllib)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "tools"

AS_ON_PYTHON_3_10 = """
import runpy, sys
import pacer.voice  # pacer's own choice of tomllib, or tomli before 3.11, is made
sys.modules["tomllib"] = None  # and the tool must not reach for the standard library's
sys.argv = [sys.argv[1], "--help"]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.mark.parametrize("tool", ["check_voice_pack.py", "make_voice_pack.py"])
def test_a_tool_starts_without_the_standard_librarys_tomllib(tool: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", AS_ON_PYTHON_3_10, str(TOOLS / tool)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TMPDIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage:")
