"""``serve``: build, serve the output folder on this computer, and rebuild and reload the browser on changes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from livereload import Server

from .config import SiteConfig


def serve(config: SiteConfig, config_file: Path, *, host: str, port: int, rebuild: Callable[[], int]) -> int:
    rebuild()
    server = Server()
    # A failed rebuild leaves the previous site in place (builds are atomic), so the browser keeps a working page
    # while the problems printed in the terminal are fixed.
    for watched in (config.content_dir, config.templates_dir, config.static_dir, config_file):
        if watched.exists():
            server.watch(str(watched), rebuild, delay=0.3)
    config.output_dir.mkdir(parents=True, exist_ok=True)
    print(f"Serving {config.output_dir} at http://{host}:{port}/ (press Ctrl+C to stop)", flush=True)
    print("This build lets the live-reload script run; run `python build.py` before publishing the site.", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve(host=host, port=port, root=str(config.output_dir), open_url_delay=None, restart_delay=0)
    return 0
