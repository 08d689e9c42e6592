"""Where the project is, and how tests run its command line as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The command line as a user runs it: a separate Python process running build.py."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
