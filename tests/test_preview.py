"""serve's builds: work kept from one build to the next, the saved page shown first, and a build that gives way to a
newer save. Whatever serve shows once its builds settle must be exactly the site a full build makes."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import pytest
from conftest import CHANGES, article, tree_digest, write_linked_pages
from project import wait_for

from handout import cli, pipeline, serve
from handout.config import load_config
from handout.cores import SupersededError


class Preview:
    """What `serve` runs on each save (cli._Previews), called here directly, with what it was handed recorded."""

    def __init__(self, site):
        self.site = site
        args = cli._parser().parse_args(["serve", "--config", str(site.root / "config.yaml")])
        self.previews = cli._Previews(args, load_config(site.root / "config.yaml"))
        self.shown: list[dict[str, str]] = []  # the output folder as it was at each call of "shown"
        self.steps: list[str] = []  # "shown", and what tests add
        self.sources = self._sources()

    def build(self, stop=lambda: False, changed: frozenset[Path] | None = None) -> int:
        """``changed``: the files serve's file events would name; by default, those that changed since the last
        build, as the events do name them."""

        def shown() -> None:
            self.shown.append(tree_digest(self.site.site))
            self.steps.append("shown")

        now = self._sources()
        if changed is None:
            changed = frozenset(
                self.site.root / p for p in now.keys() | self.sources.keys() if now.get(p) != self.sources.get(p)
            )
        self.sources = now
        code, _problems, _out = self.previews.rebuild(shown, stop, changed)
        return code

    def _sources(self) -> dict[str, str]:
        """What serve watches: the content, templates and static folders and the config file (not the output
        folder, nor the previous sites being deleted beside it)."""
        root = self.site.root
        files = {"config.yaml": hashlib.sha256((root / "config.yaml").read_bytes()).hexdigest()}
        for folder in ("content", "templates", "static"):
            files.update({f"{folder}/{path}": digest for path, digest in tree_digest(root / folder).items()})
        return files


def full_build(site, name: str = "full") -> dict[str, str]:
    """A build from nothing (no cache, nothing kept) of the site as it is now, as serve builds it."""
    config = load_config(site.root / "config.yaml", site.root / name)
    result = pipeline.run(config, write=True, live_reload=True, use_cache=False)
    assert result.written, result.problems
    return tree_digest(site.root / name)


@pytest.fixture
def preview(site):
    write_linked_pages(site)
    site.write("content/care/extra.md", article("Extra", "Nothing links here.", order=2))
    preview = Preview(site)
    assert preview.build() == 0
    return preview


# Besides the changes a cached build is tested with, those only serve sees one by one: files added and deleted, and
# static files.
CHANGES = {
    **CHANGES,
    "a new page": lambda s: s.write("content/basics/second.md", article("Second page", "More text.", order=2)),
    "a deleted page": lambda s: (s.root / "content/care/extra.md").unlink(),
    "a static file": lambda s: s.write("static/css/extra.css", "main { color: black; }\n"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_after_a_change_the_kept_build_makes_what_a_full_build_makes(preview, change):
    CHANGES[change](preview.site)
    assert preview.build() == 0
    assert tree_digest(preview.site.site) == full_build(preview.site)


# Saves of one page: its body only (shown from the last model with the page replaced), and its front matter (shown
# once the whole model is built again).
SAVES = {
    "new words": "## Who helps\n\nA nurse named Quill.",
    "a glossary term and a citation": "## Who helps\n\nA tumor, named Quill [@nci].",
    "a heading less": "A nurse named Quill.",
}


@pytest.mark.parametrize("title", ["Support", "Support and care"], ids=["body only", "title too"])
@pytest.mark.parametrize("save", SAVES, ids=list(SAVES))
def test_a_saved_page_is_in_place_before_the_rest_of_the_site_is_built(preview, save, title, monkeypatch):
    site = preview.site
    before = tree_digest(site.site)
    from_last_model = []
    original = pipeline.with_bodies_changed
    monkeypatch.setattr(
        pipeline, "with_bodies_changed", lambda *a: from_last_model.append(found := original(*a)) or found
    )
    site.write("content/care/support.md", article(title, SAVES[save], order=1))
    assert preview.build() == 0
    after = tree_digest(site.site)
    [shown] = preview.shown
    changed_when_shown = {path for path in shown if shown[path] != before.get(path)}
    assert changed_when_shown == {"care/support/index.html"}
    assert shown["care/support/index.html"] == after["care/support/index.html"]
    assert {path for path in after if after[path] != before.get(path)} > changed_when_shown  # the search index, too
    assert after == full_build(site)
    assert [found is not None for found in from_last_model] == [title == "Support"]


def test_nothing_is_shown_early_from_a_build_that_is_failing(preview):
    preview.site.write("content/care/support.md", article("Support", "A link to [nowhere](missing.md).", order=1))
    assert preview.build() == 1
    assert preview.shown == []


def test_nothing_is_shown_early_after_a_failing_build_while_it_still_fails(preview):
    """A mistake only the whole model shows ("related" names a page that does not exist) stays a mistake when the
    body is saved: the page is not shown from the last model."""
    site = preview.site
    site.write("content/care/support.md", article("Support", "A nurse.", order=1, related=["care/missing.md"]))
    assert preview.build() == 1
    site.write(
        "content/care/support.md", article("Support", "A nurse named Quill.", order=1, related=["care/missing.md"])
    )
    assert preview.build() == 1
    assert preview.shown == []


def test_when_a_broken_save_is_mended_its_problems_are_gone_before_the_page_is_shown(preview):
    site = preview.site
    site.write("content/care/support.md", "---\ntitle: broken\n")
    assert preview.build() == 1
    serve.write_problems(site.site, ())  # what serve writes beside the last good site after a failing build
    assert (site.site / serve.PROBLEMS_FILE).is_file()
    site.write("content/care/support.md", article("Support", "Mended.", order=1))
    assert preview.build() == 0
    [shown] = preview.shown
    assert serve.PROBLEMS_FILE not in shown


def test_nothing_is_shown_early_when_many_files_changed(preview):
    for n in range(pipeline.EARLY_PAGES + 1):
        preview.site.write(f"content/care/more-{n}.md", article(f"More {n}", order=n + 2))
    assert preview.build() == 0
    assert preview.shown == []


def test_a_build_overtaken_by_a_newer_save_gives_way_and_the_next_one_completes_the_site(preview):
    site = preview.site
    before = tree_digest(site.site)
    site.write("content/care/support.md", article("Support", "## Who helps\n\nA nurse named Quill.", order=1))
    with pytest.raises(SupersededError):
        preview.build(stop=lambda: True)
    now = tree_digest(site.site)
    assert {path for path in now if now[path] != before.get(path)} == {"care/support/index.html"}
    site.write("content/basics/first.md", article("First page", "Other words. [Support](../care/support.md).", order=1))
    assert preview.build() == 0
    assert tree_digest(site.site) == full_build(site)


def test_each_save_is_read_once(preview, monkeypatch):
    from handout import reader

    read: list[str] = []
    original = reader.read_page
    monkeypatch.setattr(
        reader, "read_page", lambda config, path, *rest: read.append(Path(path).name) or original(config, path, *rest)
    )
    assert preview.build() == 0
    assert read == []
    preview.site.write("content/basics/first.md", article("First page", "Changed.", order=1))
    assert preview.build() == 0
    assert read == ["first.md"]


def test_a_saved_page_is_shown_before_the_other_files_are_read(preview, monkeypatch):
    original = pipeline.read_content
    monkeypatch.setattr(pipeline, "read_content", lambda *a: preview.steps.append("read") or original(*a))
    preview.site.write("content/care/support.md", article("Support", "## Who helps\n\nA nurse named Quill.", order=1))
    assert preview.build() == 0
    assert preview.steps == ["shown", "read"]


def test_when_the_file_events_miss_a_change_the_build_still_ends_on_a_full_builds_site(preview):
    site = preview.site
    site.write("content/care/support.md", article("Support", "## Who helps\n\nA nurse named Quill.", order=1))
    site.write("content/basics/first.md", article("First page", "Other words. [Support](../care/support.md).", order=1))
    assert preview.build(changed=frozenset({site.root / "content/care/support.md"})) == 0
    assert len(preview.shown) == 1
    assert tree_digest(site.site) == full_build(site)


@pytest.mark.parametrize(
    "named",
    ["templates/base.html", "content/glossary.yaml", "content/care", "content/_reviews/a.yaml", "config.yaml"],
)
def test_a_save_of_more_than_pages_is_not_shown_from_the_last_model(preview, named, monkeypatch):
    from_last_model = []
    monkeypatch.setattr(pipeline, "with_bodies_changed", lambda *a: from_last_model.append(a))
    site = preview.site
    site.write("content/care/support.md", article("Support", "## Who helps\n\nA nurse named Quill.", order=1))
    changed = frozenset({site.root / "content/care/support.md", site.root / named})
    assert preview.build(changed=changed) == 0
    assert from_last_model == []
    assert tree_digest(site.site) == full_build(site)


def test_serve_hands_the_files_of_a_build_that_did_not_finish_to_the_next():
    builds = serve._Builds()
    handed: list[frozenset[Path]] = []

    def build(changed: frozenset[Path]) -> bool:
        handed.append(changed)
        return len(handed) > 1  # the first gives way to a newer save

    builds.saved([Path("a.md")])
    builds.start(build)
    wait_for(lambda: handed)
    builds.saved([Path("b.md")])
    wait_for(lambda: len(handed) > 1)
    builds.saved([Path("c.md")])
    wait_for(lambda: len(handed) > 2)
    assert handed == [{Path("a.md")}, {Path("a.md"), Path("b.md")}, {Path("c.md")}]


def test_serve_hears_which_files_were_saved(tmp_path):
    (tmp_path / "content").mkdir()
    config = tmp_path / "config.yaml"
    config.write_text("title: x\n")
    heard: list[Path] = []
    stop = threading.Event()
    serve._watch([tmp_path / "content"], config, heard.extend, stop)
    try:
        time.sleep(0.3)  # the watchers start on threads of their own
        (tmp_path / "content" / "page.md").write_text("text\n")
        wait_for(lambda: tmp_path / "content" / "page.md" in heard)
        config.write_text("title: y\n")
        wait_for(lambda: config in heard)
    finally:
        stop.set()
    assert set(heard) == {tmp_path / "content" / "page.md", config}
