"""``serve``: build, serve the output folder on this computer, and rebuild and reload the browser on changes.

A save that breaks the build never stops the server and never goes unseen: the last good site stays (builds are
atomic) and the problems are written beside it, to ``_problems.json``, which the preview's pages show over
themselves (static/js/build-problems.js). The next good build replaces the whole folder, and the file with it.

A save is seen through the system's file events (watchfiles) as soon as it lands, not at the next poll, and builds
run one at a time in a thread of their own, so the server answers throughout. The build keeps its work between
saves (handout/pipeline.py ``Kept``) and is told which files the events named. When they are pages whose bodies
changed, it renders them from the last build's model before reading anything else; otherwise it hands over the
saved pages as soon as they are rendered. Either way the page is put in place and the browser reloaded while the
rest of the site is still being built, and the build then reads every file as usual, so a change the events missed
is still built.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import socket
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop

from .config import SiteConfig
from .cores import SupersededError
from .problems import Problem
from .report_format import records
from .rules import report

PROBLEMS_FILE = "_problems.json"
# A build, handed a function to call once the saved pages are in the output folder, one that says when another
# save has come in (the build then gives up with SupersededError), and the files changed since the last build (None
# for the first): the exit status, the problems and where the site is.
Rebuild = Callable[
    [Callable[[], None], Callable[[], bool], frozenset[Path] | None], tuple[int, Sequence[Problem], Path]
]
# How long a burst of file events must have been quiet before the build starts: an editor's save is a write, or a
# write and a rename, a few milliseconds apart.
QUIET_MS = 10


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
    browsers = _Browsers()
    builds = _Builds()

    def build_and_report(changed: frozenset[Path] | None) -> bool:
        """Whether the build ran to its end; if not (given up for a newer save, or stopped by a bug in the
        generator), the files it was handed are handed to the next as well."""
        shown: list[bool] = []

        def saved_pages_shown() -> None:
            shown.append(True)
            browsers.reload()

        try:
            with _collecting_after():
                code, problems, output_dir = rebuild(saved_pages_shown, builds.pending, changed)
        except SupersededError:
            return False  # the next build, already due, finishes the site
        except Exception as exc:  # a bug in the generator: the preview must say so, not go quiet
            traceback.print_exc()
            message = f"the generator failed while building ({type(exc).__name__}: {exc}). Please report this."
            problems = (report("internal-error", str(config_file), 0, message),)
            if config.output_dir.is_dir():
                write_problems(config.output_dir, problems)
            browsers.reload()
            return False
        if code != 0 and output_dir.is_dir():
            write_problems(output_dir, problems)
        if code != 0 or not shown:
            browsers.reload()
        return True

    build_and_report(None)
    watched = [f for f in (config.content_dir, config.templates_dir, config.static_dir) if f.is_dir()]
    builds.start(build_and_report)
    server = Server(watcher=browsers)
    browsers.on_start = lambda: _watch(watched, config_file, builds.saved)
    config.output_dir.mkdir(parents=True, exist_ok=True)
    print(f"Serving {config.output_dir} at http://{host}:{port}/ (press Ctrl+C to stop)", flush=True)
    print("This build lets the live-reload script run; run `python build.py` before publishing the site.", flush=True)
    for note in notes:
        print(note, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve(host=host, port=port, root=str(config.output_dir), open_url_delay=None, restart_delay=0)
    builds.stop()
    return 0


@contextlib.contextmanager
def _collecting_after() -> Iterator[None]:
    """Python's garbage collector runs when enough objects have been made, and a full collection walks every object
    the preview keeps (a third of a second for 1,000 pages): during a build, that would delay the saved page. It
    waits until the build is over, when nobody is waiting."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


class _Builds:
    """One build at a time, in a thread of its own; saves made during a build lead to one more build after it.
    Each build is handed the files saved since the last build that ran to its end. Stopping waits for a build under
    way, which may be swapping the new site in."""

    def __init__(self) -> None:
        self._saved = threading.Event()
        self._changed: set[Path] = set()
        self._taking = threading.Lock()  # the changed files and the event move together
        self._running = threading.Lock()
        self._stopping = False

    def start(self, build: Callable[[frozenset[Path]], bool]) -> None:
        threading.Thread(target=self._loop, args=(build,), name="build", daemon=True).start()

    def saved(self, paths: Iterable[Path]) -> None:
        with self._taking:
            self._changed.update(paths)
            self._saved.set()

    def pending(self) -> bool:
        """Whether a save came in after the build under way began."""
        return self._saved.is_set()

    def stop(self) -> None:
        self._stopping = True
        with self._running:
            pass

    def _loop(self, build: Callable[[frozenset[Path]], bool]) -> None:
        while True:
            self._saved.wait()
            with self._taking:
                self._saved.clear()
                changed, self._changed = frozenset(self._changed), set()
            with self._running:
                if self._stopping:
                    return
                if not build(changed):
                    with self._taking:
                        self._changed.update(changed)


class _Browsers(Watcher):
    """livereload's side of the preview: the pages open in browsers, told to reload. livereload would poll the
    files itself every 0.8 s; this watcher tells it not to (``start`` returns True) and starts the event-driven
    watching (``_watch``) once the server's loop exists."""

    def __init__(self) -> None:
        super().__init__()
        self.loop: IOLoop | None = None
        self.on_start: Callable[[], None] = lambda: None

    def start(self, callback: Callable[[], None]) -> bool:
        self.loop = IOLoop.current()  # livereload calls this on the thread that then runs the loop
        self.on_start()
        return True

    def reload(self) -> None:
        """Safe from any thread: the message goes out on the server's own."""
        if self.loop is not None:
            self.loop.add_callback(LiveReloadHandler.reload_waiters)


def _watch(
    folders: Sequence[Path],
    config_file: Path,
    saved: Callable[[Iterable[Path]], None],
    stop: threading.Event | None = None,
) -> None:
    """Call ``saved`` with the files changed, after each save in the folders or of the config file, until ``stop``
    is set."""

    def events(paths: Sequence[Path], recursive: bool, wanted: Callable[[str], bool]) -> None:
        from watchfiles import DefaultFilter, watch  # loaded only when serving

        usual = DefaultFilter()  # editors' swap and backup files, version control folders

        def counts(change: object, path: str) -> bool:
            return usual(change, path) and wanted(path)

        changes_seen = watch(
            *paths, watch_filter=counts, recursive=recursive, step=QUIET_MS, stop_event=stop, raise_interrupt=False
        )
        for changes in changes_seen:
            saved(Path(path) for _, path in changes)

    config = config_file.resolve()
    if folders:
        threading.Thread(target=events, args=(folders, True, lambda path: True), daemon=True).start()
    # The config file's folder is watched, not the file: an editor that saves by renaming replaces the file watched.
    threading.Thread(
        target=events, args=([config.parent], False, lambda path: Path(path) == config), daemon=True
    ).start()


def clear_problems(output_dir: Path) -> None:
    """The last broken build's problems no longer hold (pages are about to be shown from a build with none)."""
    (output_dir / PROBLEMS_FILE).unlink(missing_ok=True)


def write_problems(output_dir: Path, problems: Sequence[Problem]) -> None:
    report = {"problems": records(problems)}
    # Whole or not at all: the preview's pages fetch it while later builds may be writing it again. Written beside
    # the site, not in it, so that the site never holds a half-written file.
    partial = output_dir.parent / f".{output_dir.name}{PROBLEMS_FILE}.new"
    partial.write_text(json.dumps(report, indent=2), encoding="utf-8")
    os.replace(partial, output_dir / PROBLEMS_FILE)
