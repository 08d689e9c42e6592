"""``serve``: build, serve the output folder on this computer, and rebuild and reload the browser on changes.

A save that breaks the build never stops the server and never goes unseen: the last good site stays (builds are
atomic) and the problems are written beside it, to ``_problems.json``, which the preview's pages show over
themselves (static/js/build-problems.js). The next good build replaces the whole folder, and the file with it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import socket
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from livereload import Server

from .config import SiteConfig
from .problems import Problem
from .report_format import records
from .rules import report

PROBLEMS_FILE = "_problems.json"
Rebuild = Callable[[], tuple[int, Sequence[Problem], Path]]


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen there, said before anything is built or printed, or None."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (
                    f"port {port} is already in use (is another preview running?). Stop it, or choose another "
                    f"port: python build.py serve --port {port + 1}"
                )
            return f"cannot listen on {host}:{port} ({exc.strerror}). Choose another --host or --port."
    return None


def serve(
    config: SiteConfig, config_file: Path, *, host: str, port: int, rebuild: Rebuild, notes: Sequence[str] = ()
) -> int:
    """``notes``: lines to print after the address, such as where the CMS is."""

    def build_and_report() -> None:
        try:
            code, problems, output_dir = rebuild()
        except Exception as exc:  # a bug in the generator: the preview must say so, not go quiet
            traceback.print_exc()
            message = f"the generator failed while building ({type(exc).__name__}: {exc}). Please report this."
            code, problems = 1, (report("internal-error", str(config_file), 0, message),)
            output_dir = config.output_dir
        if code != 0 and output_dir.is_dir():
            write_problems(output_dir, problems)

    build_and_report()
    server = Server()
    for watched in (config.content_dir, config.templates_dir, config.static_dir, config_file):
        if watched.exists():
            # livereload runs the callback once for all the files a save changed, then reloads the browser.
            server.watch(str(watched), build_and_report, delay=0.3)
    config.output_dir.mkdir(parents=True, exist_ok=True)
    print(f"Serving {config.output_dir} at http://{host}:{port}/ (press Ctrl+C to stop)", flush=True)
    print("This build lets the live-reload script run; run `python build.py` before publishing the site.", flush=True)
    for note in notes:
        print(note, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve(host=host, port=port, root=str(config.output_dir), open_url_delay=None, restart_delay=0)
    return 0


def write_problems(output_dir: Path, problems: Sequence[Problem]) -> None:
    report = {"problems": records(problems)}
    (output_dir / PROBLEMS_FILE).write_text(json.dumps(report, indent=2), encoding="utf-8")
