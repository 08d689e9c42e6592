"""Where the project is, and how tests run its command line as a user would."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float = 30.0):
    """``condition()``'s first true value, asked every 0.2 s; an OSError (a server not up yet, a file not there yet)
    counts as not yet."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def run_cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The command line as a user runs it: a separate Python process running build.py."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def real_site_config(folder: Path, base_url: str | None = None) -> Path:
    """The project's own site copied into ``folder`` (a config may only name folders inside its project), with its
    config, optionally given a web address."""
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, folder / name, dirs_exist_ok=True)
    text = (REPO / "config.yaml").read_text(encoding="utf-8")
    if base_url:
        text += f"\nbase_url: {base_url}"
    path = folder / "config.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def golden_project(folder: Path) -> Path:
    """The golden example site as a project in ``folder``: its content and config, with the project's templates and
    static files beside them. Returns its config file."""
    shutil.copytree(REPO / "tests" / "golden" / "site", folder, dirs_exist_ok=True)
    for name in ("templates", "static"):
        shutil.copytree(REPO / name, folder / name, dirs_exist_ok=True)
    return folder / "config.yaml"


def build_real_site(folder: Path, base_url: str | None = None) -> Path:
    """The project's own site, built with --strict into ``folder``/_site."""
    config = real_site_config(folder, base_url)
    out = folder / "_site"
    result = run_cli("build", "--strict", "--config", str(config), "--out", str(out), cwd=folder)
    assert result.returncode == 0, result.stderr
    return out


def site_pages(built: Path) -> list[str]:
    """Every HTML page of a built site, as a path to append to the site's address."""
    return sorted(p.relative_to(built).as_posix() for p in built.rglob("*.html"))


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's servers, which a closed network refuses (see shared/toolchain.md).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    """Serve ``folder`` on a free port of this computer, in a background thread."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
