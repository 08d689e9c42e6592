"""Work shared among the machine's cores, and files kept for later builds (the cache: written whole or not at all,
marked when used, and pruned of what has not been used for a month).

``map_on_cores`` runs a function over a list in forked worker processes, in pieces, and returns the results
in the list's order. The workers inherit the function and the list instead of receiving them pickled: the site's
config, registers and Jinja environment hold things pickle cannot carry (read-only mappings, closures), and copying
them to each worker would cost more than the work. Where the system cannot fork, or the list is short, the work is
done here.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Below this many items, starting workers costs more than it saves.
PARALLEL_FROM = 40

# What the forked workers run, handed over by inheritance. Set only around one pool's life.
_inherited: tuple[Callable[[Sequence[Any]], list[Any]], Sequence[Any]] | None = None


class SupersededError(Exception):
    """The work was given up because its result is no longer wanted (``serve``: another save came in)."""


# Work that may be given up (``stop``) is cut into this many pieces a worker, so that giving up comes within a
# piece; other work goes in one piece a worker, since each piece costs some set-up (a Markdown parser: 10 ms).
PIECES_PER_WORKER = 16


def map_on_cores(
    work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any], stop: Callable[[], bool] | None = None
) -> list[Any]:
    """``work(items)``, with the items shared among the cores: ``work`` takes a piece of the list and returns one
    result for each of its items, in order. ``stop`` is asked between pieces; when it says so, SupersededError is
    raised."""
    global _inherited
    workers = min(os.cpu_count() or 1, len(items) // (PARALLEL_FROM // 2) or 1)
    if workers < 2 or len(items) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return _here(work, items, stop)
    # Piece k holds items k, k + pieces, ...: every piece has its share of the costly items, wherever they are.
    pieces = workers * (PIECES_PER_WORKER if stop is not None else 1)
    _inherited = (work, items)
    pool = concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    stopped = False
    try:
        futures = [pool.submit(_piece, k, pieces) for k in range(pieces)]
        results: list[Any] = [None] * len(items)
        for k, future in enumerate(futures):
            results[k::pieces] = future.result()
            if stop is not None and stop():
                stopped = True
                raise SupersededError
        return results
    finally:
        # Given up, the pieces under way finish on their own (one piece each, a fraction of a second) while the
        # next build starts.
        pool.shutdown(wait=not stopped, cancel_futures=True)
        _inherited = None


def _here(work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any], stop: Callable[[], bool] | None) -> list:
    if stop is not None and stop():
        raise SupersededError
    return work(items)


def _piece(k: int, pieces: int) -> list[Any]:
    assert _inherited is not None, "a worker process forked by map_on_cores"
    work, items = _inherited
    return work(items[k::pieces])


def recall(path: Path) -> str | None:
    """A cache file's text, or None; reading it marks it as used, so pruning keeps it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)
    return text


# Cache files unused for this long are deleted, at most once a day: each edit leaves an entry behind, and an editor's
# disk should not fill with pages long since changed.
UNUSED_DAYS = 30
PRUNED_MARKER = ".last-pruned"


def prune(folder: Path, now: float | None = None) -> int:
    """Delete the files under ``folder`` not used for UNUSED_DAYS, unless that was done in the last day. Returns how
    many were deleted."""
    now = time.time() if now is None else now
    marker = folder / PRUNED_MARKER
    with contextlib.suppress(OSError):
        if now - marker.stat().st_mtime < 86_400:
            return 0
    removed = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file() and path != marker and now - path.stat().st_mtime > UNUSED_DAYS * 86_400:
                path.unlink()
                removed += 1
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        marker.touch()
        os.utime(marker, (now, now))
    return removed


def keep(path: Path, text: str) -> None:
    """Write a cache file so that readers see all of it or none; a failure only costs the next build time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass
