"""This project's own measurements beside the cold build: rebuilds after a template or CSS change, the no-op
rebuild, the live-edit latency of ``serve``, and the start-up of ``build.py --help``.

They are meant to keep working when the build gets a cache: a cold build then passes ``--no-cache`` when
``build --help`` lists it, and the cache folder (``.handout-cache/``) is removed before every cold run either way.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timing import Run, run_measured, spread

CACHE_DIR = ".handout-cache"
OUTPUT_DIR = "_site"
# Words for the live edits' sentences: digits near "in" would trip the statistics rule, and the sentence must be
# findable in the served page exactly as written.
EDIT_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet")

# What `serve` changes in a page on purpose, and a full build does not have (read from handout/cli.py, serve.py):
# cli._rebuild builds with live_reload=True, which widens the page's Content-Security-Policy and adds the
# build-problems script; livereload's server then injects its own reload script before </head> of every HTML response.
LIVERELOAD_SCRIPT = re.compile(rb"<script[^>]*>[^<]*livereload\.js[^<]*</script>")
CSP_META = re.compile(rb'(<meta http-equiv="Content-Security-Policy" content=")[^"]*(")')
PROBLEMS_SCRIPT = re.compile(rb'<script src="[^"]*build-problems\.js"[^>]*></script>\n?')


@dataclass(frozen=True)
class Project:
    """A generated site and the command line that builds it."""

    root: Path
    python: str
    repo: Path  # the checkout whose build.py runs
    logs: Path

    @property
    def output(self) -> Path:
        return self.root / OUTPUT_DIR

    def command(self, *args: str) -> list[str]:
        return [self.python, str(self.repo / "build.py"), *args]

    def build(self, name: str, *extra: str) -> Run:
        run = run_measured(self.command("build", "--config", "config.yaml", *extra), self.root, self.logs / name)
        if run.exit != 0:
            raise SystemExit(f"this project's build failed ({name}, exit {run.exit}): see {run.log}.out/.err")
        return run


def has_no_cache_flag(project: Project) -> bool:
    """Whether ``build`` takes ``--no-cache`` (the lead's planned flag for cold builds)."""
    out = subprocess.run(project.command("build", "--help"), capture_output=True, text=True, cwd=project.root)
    return "--no-cache" in out.stdout


def cold_build(project: Project, name: str, no_cache: bool) -> Run:
    """A build with nothing to reuse: no output folder and no cache."""
    shutil.rmtree(project.output, ignore_errors=True)
    shutil.rmtree(project.root / CACHE_DIR, ignore_errors=True)
    return project.build(name, *(["--no-cache"] if no_cache else []))


def after_edit(project: Project, file: Path, line: str, name: str, runs: int) -> list[Run]:
    """Append ``line`` (numbered, so each run is a real change) to ``file``, then build; ``runs`` times."""
    measured = []
    for n in range(runs):
        with file.open("a", encoding="utf-8") as f:
            f.write(line.format(n=n + 1))
        measured.append(project.build(f"{name}-{n + 1}"))
    return measured


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def no_op(project: Project, runs: int) -> list[dict[str, Any]]:
    """Build with nothing changed since the last build, and count the output files it rewrote (a new mtime), added
    or removed. Called right after a build, which is the first of each pair."""
    results = []
    for n in range(runs):
        before = mtimes(project.output)
        run = project.build(f"noop-{n + 1}")
        after = mtimes(project.output)
        rewritten = sum(1 for path, mtime in after.items() if path in before and before[path] != mtime)
        results.append(
            {
                **run.as_json(),
                "files": len(after),
                "rewritten": rewritten,
                "added": len(after.keys() - before.keys()),
                "removed": len(before.keys() - after.keys()),
            }
        )
    return results


# --- serve -------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float) -> bytes | None:
    """The page's bytes, or None while it is not there. A request made during a rebuild waits for it: livereload
    runs the build on the server's only thread."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: bytes, deadline: float, server: subprocess.Popen[bytes]) -> bytes:
    """Poll ``url`` until its page contains ``text``; 10 ms between requests."""
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"serve stopped (exit {server.returncode}): see its log, serve.out and serve.err")
        page = fetch(url, timeout=max(1.0, deadline - time.monotonic()))
        if page is not None and text in page:
            return page
        time.sleep(0.01)
    raise SystemExit(f"{url} did not show {text[:60]!r} in time: see serve's log, serve.out and serve.err")


def settled(out: Path, edits: int, deadline: float) -> None:
    """Wait until serve has finished the build after each of ``edits`` edits (one summary line each, besides the
    first build's), so that each edit is timed on a preview at rest: a save made while a build is finishing makes it
    give way, and waits for that."""
    while time.monotonic() < deadline:
        builds = out.read_text(encoding="utf-8", errors="replace").count("\nBuilt ")
        if builds >= edits:
            return
        time.sleep(0.05)
    raise SystemExit(f"serve did not finish its builds in time: see {out}")


def listen_for_reloads(port: int, page_url: str) -> queue.Queue[float]:
    """What a browser showing the preview hears: livereload's messages on its websocket. Each "reload" is put on the
    queue. The edits are timed as a browser sees them, the reload and then one request, rather than by asking for
    the page again and again, which would take the server's time from the build it is waiting for."""
    from tornado.websocket import websocket_connect  # livereload's own server library

    reloads: queue.Queue[float] = queue.Queue()
    connected = threading.Event()

    async def listen() -> None:
        connection = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
        hello = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
        await connection.write_message(json.dumps(hello))
        await connection.read_message()
        await connection.write_message(json.dumps({"command": "info", "url": page_url}))
        connected.set()
        while (message := await connection.read_message()) is not None:
            if json.loads(message).get("command") == "reload":
                reloads.put(time.monotonic())

    threading.Thread(target=asyncio.run, args=(listen(),), daemon=True).start()
    if not connected.wait(10):
        raise SystemExit("could not listen for serve's reload messages on its websocket")
    time.sleep(0.2)  # the server adds the listener after answering "info"
    return reloads


def after_reload(reloads: queue.Queue[float], url: str, text: bytes, deadline: float) -> bytes:
    """The page as fetched after the first reload message that brings ``text``."""
    while True:
        try:
            reloads.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise SystemExit(f"{url} did not show {text[:60]!r} in time: see serve's log") from None
        page = fetch(url, timeout=5.0)
        if page is not None and text in page:
            return page


def normalized(page: bytes) -> bytes:
    """The page without the differences serve makes on purpose (above), for a byte comparison with a full build."""
    page = LIVERELOAD_SCRIPT.sub(b"", page)
    page = PROBLEMS_SCRIPT.sub(b"", page)
    return CSP_META.sub(rb"\1(policy)\2", page)


def live_edits(project: Project, articles: list[str], edits: int, timeout: float) -> dict[str, Any]:
    """Start ``serve``, append a sentence to an article, and time from the write until the page, fetched when serve
    tells the browser to reload, shows it;
    ``edits`` times (at most one per word of EDIT_WORDS), on different articles. Then compare the last page served
    with a fresh full build's."""
    port = free_port()
    command = project.command("serve", "--config", "config.yaml", "--port", str(port))
    log = project.logs / "serve"
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        server = subprocess.Popen(command, cwd=project.root, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    try:
        base = f"http://127.0.0.1:{port}/"
        started = time.monotonic()
        wait_for(base, b"<html", started + timeout, server)  # the first build happens before the server listens
        first_s = time.monotonic() - started
        reloads = listen_for_reloads(port, base)
        latencies, page, path = [], b"", ""
        step = max(1, len(articles) // edits)
        for n in range(edits):
            path = articles[(n * step) % len(articles)]  # "section/slug.md"
            url = base + path.removesuffix(".md") + "/"
            sentence = f"This sentence was added by the benchmark, edit {EDIT_WORDS[n]}."
            settled(log.with_suffix(".out"), len(latencies), time.monotonic() + timeout)
            time.sleep(0.5)  # an editor saving on a preview at rest
            with (project.root / "content" / path).open("a", encoding="utf-8") as f:
                f.write(f"\n{sentence}\n")
            written = time.monotonic()
            page = after_reload(reloads, url, sentence.encode(), written + timeout)
            latencies.append((time.monotonic() - written) * 1000)
        settled(log.with_suffix(".out"), edits, time.monotonic() + timeout)
    finally:
        stop(server)
    return {
        "port": port,
        "first_build_s": round(first_s, 2),
        "latency_ms": [round(ms) for ms in latencies],
        "latency_ms_median": round(statistics.median(latencies)),
        "edited_page": path,
        **matches_full_build(project, path, page),
    }


def stop(server: subprocess.Popen[bytes]) -> None:
    """Ctrl+C, as a person stops serve; kill it only if it does not stop."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def matches_full_build(project: Project, path: str, served: bytes) -> dict[str, Any]:
    """Build the edited site afresh into another folder with ``build --out`` and byte-compare the edited page. Both
    pages are kept in the logs folder (served.html, built.html) to look at."""
    fresh = project.root.parent / "fresh-build"
    shutil.rmtree(fresh, ignore_errors=True)
    run_measured(
        project.command("build", "--config", "config.yaml", "--out", str(fresh)), project.root, project.logs / "fresh"
    )
    built_file = fresh / path.removesuffix(".md") / "index.html"
    if not built_file.is_file():
        return {"served_equals_build": False, "difference": f"the fresh build has no {built_file}"}
    built = built_file.read_bytes()
    (project.logs / "served.html").write_bytes(served)
    (project.logs / "built.html").write_bytes(built)
    a, b = normalized(served), normalized(built)
    result = {"served_equals_build": a == b, "lines_differing_before_normalizing": differing(served, built)}
    if a != b:
        result["difference"] = f"{differing(a, b)} lines differ; see served.html and built.html in {project.logs}"
    return result


def differing(a: bytes, b: bytes) -> int:
    """How many lines of ``a`` and ``b`` differ, counted as a diff counts them (removed plus added)."""
    diff = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(), lineterm="", n=0)
    return sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def help_time(project: Project, times: int = 10) -> dict[str, Any]:
    runs = [run_measured(project.command("--help"), project.root, project.logs / "help") for _ in range(times)]
    return {"wall_ms": spread([r.wall_s * 1000 for r in runs], 1), "cpu_ms": spread([r.cpu_s * 1000 for r in runs], 1)}
