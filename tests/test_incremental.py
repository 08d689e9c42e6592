"""Rebuilds: what did not change is not written again, and what did is exactly what a full build makes."""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import pytest
from conftest import CHANGES, GLOSSARY, SOURCES, article, tree_digest, write_linked_pages

from handout import cli, cores, parsecache, search


def stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_a_rebuild_with_no_change_rewrites_no_file(site):
    assert site.run("build").code == 0
    before = stamps(site.site)
    assert site.run("build").code == 0
    assert stamps(site.site) == before


def test_a_changed_page_is_written_again_and_the_rest_keep_their_times(site):
    assert site.run("build").code == 0
    before = stamps(site.site)
    site.write("content/care/support.md", article("Support", "Other text.", order=1))
    assert site.run("build").code == 0
    after = stamps(site.site)
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert "care/support/index.html" in changed
    assert "basics/first/index.html" not in changed
    assert "static/css/site.css" not in changed
    assert set(after) == set(before)


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_cached_build_after_a_change_equals_a_build_without_the_cache(site, change):
    """After each change, a build that reuses the cache must make exactly the site a build without the cache makes:
    a stale page would differ."""
    write_linked_pages(site)
    assert site.run("build").code == 0  # fills the cache
    CHANGES[change](site)
    assert site.run("build").code == 0
    cached = tree_digest(site.site)
    assert site.run("build", "--no-cache", "--out", "fresh").code == 0
    assert cached == tree_digest(site.root / "fresh")


def test_the_cache_is_used(site, monkeypatch, tmp_path):
    monkeypatch.setenv("HANDOUT_CACHE", str(tmp_path / "cache"))  # empty: other tests' builds filled the shared one
    parsed = []
    original = parsecache._parse_here
    monkeypatch.setattr(parsecache, "_parse_here", lambda *a: parsed.append(len(a[3])) or original(*a))
    assert site.run("build").code == 0
    assert site.run("build").code == 0
    site.write("content/basics/first.md", article("First page", "Other words.", order=1))
    assert site.run("build").code == 0
    assert site.run("build", "--no-cache").code == 0
    pages = sum(1 for _ in (site.root / "content").rglob("*.md"))
    assert parsed == [pages, 1, pages]


def test_the_search_index_is_weighed_again_only_when_what_it_indexes_changes(site, monkeypatch, tmp_path):
    monkeypatch.setenv("HANDOUT_CACHE", str(tmp_path / "cache"))
    weighed = []
    original = search._files
    monkeypatch.setattr(search, "_files", lambda *args: weighed.append(1) or original(*args))
    assert site.run("build").code == 0
    site.write("templates/base.html", (site.root / "templates/base.html").read_text().replace("<main", "<main data-x"))
    assert site.run("build").code == 0  # a template does not change what is indexed
    site.write("content/basics/first.md", article("First page", "Other words.", order=1))
    assert site.run("build").code == 0
    assert len(weighed) == 2


def test_parsing_and_rendering_on_several_cores_make_the_same_site(site, monkeypatch):
    for n in range(12):
        site.write(f"content/care/page-{n}.md", article(f"Page {n}", f"Text {n} about a tumor.", order=n + 2))
    site.write("content/glossary.yaml", GLOSSARY)
    site.write("content/sources.yaml", SOURCES)
    assert site.run("build", "--no-cache").code == 0
    one_core = tree_digest(site.site)
    monkeypatch.setattr(cores, "PARALLEL_FROM", 4)  # parsing and rendering both share out their work
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 2)
    assert site.run("build", "--no-cache", "--out", "parallel").code == 0
    assert tree_digest(site.root / "parallel") == one_core


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("stream", [Terminal, io.StringIO], ids=["terminal", "pipe"])
def test_a_build_still_running_after_a_second_says_its_stage_on_a_terminal_only(monkeypatch, stream):
    err = stream()
    monkeypatch.setattr(sys, "stderr", err)
    progress = cli._Progress(after=0.05)
    progress("parsing 1,000 pages")
    time.sleep(0.3)  # the timer shows the stage reached so far
    progress("rendering")
    progress.done()
    progress.done()  # clears the line once
    shown = "\r\x1b[KParsing 1,000 pages\u2026\r\x1b[KRendering\u2026\r\x1b[K"
    assert err.getvalue() == (shown if stream is Terminal else "")


def test_a_quick_build_shows_nothing_but_its_summary(monkeypatch):
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    progress = cli._Progress()
    progress("reading")
    progress.done()
    assert err.getvalue() == ""


def test_the_cache_forgets_what_a_month_of_builds_did_not_use(tmp_path):
    day = 86_400
    now = 1_800_000_000.0
    old, used, fresh = tmp_path / "parse/ab/old.json", tmp_path / "parse/cd/used.json", tmp_path / "qr/new.svg"
    for path in (old, used, fresh):
        cores.keep(path, "{}")
        os.utime(path, (now - 40 * day, now - 40 * day))
    os.utime(fresh, (now - 2 * day, now - 2 * day))
    os.utime(used, (now, now))  # as recall() marks an entry a build read
    assert cores.prune(tmp_path, now=now) == 1
    assert not old.exists() and used.exists() and fresh.exists()
    os.utime(fresh, (now - 40 * day, now - 40 * day))
    assert cores.prune(tmp_path, now=now + day / 2) == 0  # pruned less than a day ago: not walked again
    assert cores.prune(tmp_path, now=now + day + 1) == 1
    assert not fresh.exists() and used.exists()


def test_reading_an_entry_marks_it_used(tmp_path):
    path = tmp_path / "entry.json"
    cores.keep(path, "[1]")
    os.utime(path, (0, 0))
    assert cores.recall(path) == "[1]"
    assert path.stat().st_mtime > 0
    assert cores.recall(tmp_path / "missing.json") is None


def _doubled(items):
    return [2 * n for n in items]


@pytest.mark.parametrize("stop", [None, lambda: False], ids=["one piece a worker", "pieces that may be given up"])
def test_work_shared_among_cores_comes_back_in_order(monkeypatch, stop):
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 2)
    items = list(range(cores.PARALLEL_FROM * 3))
    assert cores.map_on_cores(_doubled, items, stop) == [2 * n for n in items]


def test_work_shared_among_cores_is_given_up_when_asked(monkeypatch):
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 2)
    asked = []
    with pytest.raises(cores.SupersededError):
        cores.map_on_cores(_doubled, list(range(cores.PARALLEL_FROM * 3)), lambda: asked.append(1) or True)
    assert asked == [1]  # after the first piece, not the last
