"""The screenshot script keeps working (a person looks at what it makes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from project import REPO


def test_the_screenshot_script_makes_every_picture(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, str(REPO / "tests" / "screenshots.py"), str(tmp_path), "help"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    made = {Path(line).name for line in result.stdout.split()}
    assert {
        "help-small-phone-light.png",
        "help-desktop-dark.png",
        "help-printed-A4.pdf",
        "help-printed-Letter-1.png",
    } <= made
    assert all((tmp_path / name).stat().st_size > 5000 for name in made)
