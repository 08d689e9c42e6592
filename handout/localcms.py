"""``serve --cms``: decap-server, run beside the preview so that the CMS at /admin/ edits this working copy.

decap-server (npm) is Decap CMS's local backend. It runs here in its "fs" mode: a save writes the file straight into
the working copy, where the preview rebuilds it like any other save, and the editor commits it as usual (its "git"
mode would check out branches and commit everything in the working copy, which is not ours to do). It listens on
127.0.0.1 only: whoever reaches it can write the project's files.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .cms import GENERATOR_ROOT

DEFAULT_PORT = 8081
HOST = "127.0.0.1"
STARTUP_SECONDS = 15.0


class LocalCmsError(Exception):
    """Why the local CMS cannot run, in words that say what to install or change."""


@dataclass(frozen=True)
class Commands:
    node: str
    server: Path


def find_commands(root: Path) -> Commands:
    """node and decap-server, or a LocalCmsError naming what to install."""
    node = shutil.which("node")
    if node is None:
        raise LocalCmsError(
            "serve --cms needs Node.js, which is not installed (no `node` command). Install Node.js 20 or newer "
            f"(https://nodejs.org, or your system's package, such as `apt-get install nodejs npm`), then run "
            f"`npm ci --ignore-scripts` in {GENERATOR_ROOT}."
        )
    for folder in (root.resolve(), *root.resolve().parents, GENERATOR_ROOT):
        server = folder / "node_modules" / ".bin" / "decap-server"
        if server.is_file():
            return Commands(node, server)
    raise LocalCmsError(
        f"serve --cms needs decap-server, which is not installed. Run `npm ci --ignore-scripts` in {GENERATOR_ROOT} "
        "(it installs what package.json lists, decap-server among them)."
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def running(commands: Commands, root: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """decap-server on ``port``, serving ``root``, until the block ends (Ctrl+C included)."""
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": HOST,
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(root.resolve()),
        "LOG_LEVEL": "warn",  # its errors still show; its every request would drown the preview's messages
    }
    process = subprocess.Popen([commands.node, str(commands.server)], cwd=root, env=env)
    try:
        _wait_until_listening(process, port)
        yield process
    finally:
        stop(process)


def _wait_until_listening(process: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LocalCmsError(f"decap-server stopped as it started (exit status {process.returncode}); see above.")
        with socket.socket() as probe:
            probe.settimeout(0.2)
            if probe.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.1)
    raise LocalCmsError(f"decap-server did not start listening on {HOST}:{port} within {STARTUP_SECONDS:.0f} s.")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl+C reaches decap-server too (it is in the terminal's process group); SIGTERM to ``serve`` does not."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
