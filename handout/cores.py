"""Work shared among the machine's cores, and files kept for later builds (the cache: written whole or not at all,
marked when used, and pruned of what has not been used for a month).

``map_on_cores`` runs a function over a list in forked worker processes, a few pieces each, and returns the results
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


# Each worker takes its items in this many pieces, so that giving up (``stop``) waits for one piece, not a share.
PIECES_PER_WORKER = 4


def map_on_cores(
    work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any], stop: Callable[[], bool] | None = None
) -> list[Any]:
    """``work(items)``, with the items shared among the cores: ``work`` takes a piece and returns one result for
    each of its items, in order. ``stop`` is asked between pieces; when it says so, SupersededError is raised."""
    global _inherited
    workers = min(os.cpu_count() or 1, len(items) // (PARALLEL_FROM // 2) or 1)
    if workers < 2 or len(items) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return _here(work, items, stop)
    size = -(-len(items) // (workers * PIECES_PER_WORKER))
    starts = range(0, len(items), size)
    _inherited = (work, items)
    results: list[Any] = []
    try:
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            pieces = [pool.submit(_piece, start, size) for start in starts]
            for piece in pieces:  # in order: the results come back in the items' order
                results += piece.result()
                if stop is not None and stop():
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise SupersededError
    finally:
        _inherited = None
    return results


def _here(work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any], stop: Callable[[], bool] | None) -> list:
    if stop is not None and stop():
        raise SupersededError
    return work(items)


def _piece(start: int, size: int) -> list[Any]:
    assert _inherited is not None, "a worker process forked by map_on_cores"
    work, items = _inherited
    return work(items[start : start + size])


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
