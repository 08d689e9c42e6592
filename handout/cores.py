"""Work shared among the machine's cores, and files kept for later builds.

``map_on_cores`` runs a function over a list in forked worker processes, one share each, and returns the results in
the list's order. The workers inherit the function and the list instead of receiving them pickled: the site's
config, registers and Jinja environment hold things pickle cannot carry (read-only mappings, closures), and copying
them to each worker would cost more than the work. Where the system cannot fork, or the list is short, the work is
done here.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# Below this many items, starting workers costs more than it saves.
PARALLEL_FROM = 40

# What the forked workers run, handed over by inheritance. Set only around one pool's life.
_inherited: tuple[Callable[[Sequence[Any]], list[Any]], Sequence[Any]] | None = None


def map_on_cores(work: Callable[[Sequence[Any]], list[Any]], items: Sequence[Any]) -> list[Any]:
    """``work(items)``, with the items shared among the cores: ``work`` takes a share and returns one result for
    each of its items, in order."""
    global _inherited
    workers = min(os.cpu_count() or 1, len(items) // (PARALLEL_FROM // 2) or 1)
    if workers < 2 or len(items) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return work(items)
    _inherited = (work, items)
    try:
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            shares = list(pool.map(_share, range(workers), [workers] * workers))
    finally:
        _inherited = None
    # Share i holds items i, i + workers, ...: put the results back in the items' order.
    results: list[Any] = [None] * len(items)
    for i, share in enumerate(shares):
        results[i::workers] = share
    return results


def _share(index: int, workers: int) -> list[Any]:
    assert _inherited is not None, "a worker process forked by map_on_cores"
    work, items = _inherited
    return work(items[index::workers])


def keep(path: Path, text: str) -> None:
    """Write a cache file so that readers see all of it or none; a failure only costs the next build time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass
