"""What a build writes: pretty relative URLs, site files, no external requests; atomic and deterministic."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, article, run_cli, tree_digest
from project import wait_for

from handout.write import staged_site


def test_pretty_urls_and_site_files(site):
    site.run()
    files = set(tree_digest(site.site))
    assert files == {
        "index.html",
        "404.html",
        "_headers",
        "feed.xml",
        "changes/index.html",
        "sitemap.xml",
        "robots.txt",
        "basics/index.html",
        "basics/first/index.html",
        "care/index.html",
        "care/support/index.html",
        "basics/print/index.html",
        "care/print/index.html",
        "static/css/site.css",
        "static/css/print.css",
        "static/highlight.css",
        "static/favicon.svg",
        "static/js/build-problems.js",
        "static/js/popover.js",
        "static/js/print.js",
        "static/js/search.js",
        "search/index.html",
        "search/index.json",
        "search/terms/0.json",
        "search/pages/0.json",
    }


def test_static_files_are_copied_byte_for_byte(site):
    site.root.joinpath("static/img").mkdir()
    site.root.joinpath("static/img/logo.bin").write_bytes(bytes(range(256)))
    site.run()
    assert site.site.joinpath("static/img/logo.bin").read_bytes() == bytes(range(256))


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "srcset", "poster", "data") and value is not None:
                self.found.append((tag, name, value))


def links_in(path: Path) -> list[tuple[str, str, str]]:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def test_every_internal_url_is_relative_and_resolves(site):
    site.write("content/basics/first.md", article("First page", body="[support](../care/support.md)\n\n## X"))
    site.write("content/care/support.md", article("Support", body="[first](../basics/first.md#x)"))
    assert site.run().code == 0
    checked = 0
    for page in site.site.rglob("*.html"):
        if page.name == "404.html":
            continue
        for tag, _, url in links_in(page):
            if re.match(r"[a-z]+:", url):
                assert tag == "a" and url.startswith(("https://", "tel:", "mailto:")), (page, url)
                continue
            assert not url.startswith("/"), (page, url)
            path, _, fragment = url.partition("#")
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), (page, url)
            if fragment:
                assert f'id="{fragment}"' in target.read_text(), (page, url)
            checked += 1
    assert checked > 40


def test_no_page_makes_an_external_request(site):
    site.write("config.yaml", site.root.joinpath("config.yaml").read_text() + "base_url: https://example.org/g/\n")
    assert site.run().code == 0
    pages = list(site.site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        for tag, _name, url in links_in(page):
            if tag == "a" or url.startswith("https://example.org/g/"):  # links, or this site's own address
                continue
            assert not re.match(r"(https?:)?//", url), (page, tag, url)
        text = page.read_text()
        assert "<iframe" not in text and "@import" not in text and " style=" not in text
        own_script = r'<script src="(https://example\.org/g/|(\.\./)*)static/js/(vendor/)?[a-z-]+(\.min)?\.js" defer>'
        data_block = r'<script type="application/ld\+json">'
        for script in re.findall(r"<script[^>]*>", text):  # only the site's own files, or data that never runs
            assert re.fullmatch(f"{own_script}|{data_block}", script), script


def test_sitemap_and_robots_without_base_url(site):
    site.run()
    sitemap = site.site.joinpath("sitemap.xml").read_text()
    assert re.findall(r"<loc>([^<]*)</loc>", sitemap) == ["./", "basics/", "basics/first/", "care/", "care/support/"]
    assert site.site.joinpath("robots.txt").read_text() == "User-agent: *\nAllow: /\n"


def test_sitemap_robots_and_canonical_with_base_url(site):
    site.write("config.yaml", site.root.joinpath("config.yaml").read_text() + "base_url: https://example.org/guide\n")
    site.run()
    sitemap = site.site.joinpath("sitemap.xml").read_text()
    assert re.findall(r"<loc>([^<]*)</loc>", sitemap) == [
        "https://example.org/guide/",
        "https://example.org/guide/basics/",
        "https://example.org/guide/basics/first/",
        "https://example.org/guide/care/",
        "https://example.org/guide/care/support/",
    ]
    assert "<lastmod>" in sitemap
    assert site.site.joinpath("robots.txt").read_text() == (
        "User-agent: *\nAllow: /\nSitemap: https://example.org/guide/sitemap.xml\n"
    )
    assert '<link rel="canonical" href="https://example.org/guide/basics/first/">' in site.page("basics/first")


def test_404_page_works_at_any_depth_when_base_url_is_set(site):
    site.write("config.yaml", site.root.joinpath("config.yaml").read_text() + "base_url: https://example.org/guide/\n")
    site.run()
    page = site.site.joinpath("404.html").read_text()
    assert 'href="https://example.org/guide/static/css/site.css"' in page
    assert 'href="https://example.org/guide/basics/"' in page
    assert "canonical" not in page


def test_failed_build_leaves_the_previous_site_exactly_as_it_was(site):
    site.run()
    before = tree_digest(site.site)
    site.write("content/basics/first.md", article("First page, changed", body="[x](nope.md)"))
    site.write("content/care/new.md", article("New page"))
    assert site.run().code == 1
    assert tree_digest(site.site) == before
    assert sorted(p.name for p in site.root.iterdir()) == ["_site", "config.yaml", "content", "static", "templates"]


def test_a_build_interrupted_while_writing_leaves_the_previous_site(site, monkeypatch):
    site.run()
    before = tree_digest(site.site)
    site.write("content/care/new.md", article("New page"))
    calls = {"n": 0}
    real = Path.write_bytes

    def failing_write(self, data):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    run = site.run()
    monkeypatch.undo()
    assert run.code == 1
    assert run.err == (
        "Stopped: could not write the site to _site: No space left on device. Check that the folder can be written "
        "and the disk is not full, or choose another folder with --out. The previous site is as it was.\n"
    )
    assert tree_digest(site.site) == before
    assert sorted(p.name for p in site.root.iterdir()) == ["_site", "config.yaml", "content", "static", "templates"]


def test_a_successful_build_replaces_stale_files(site):
    site.write("content/care/old.md", article("Old page"))
    site.run()
    assert site.site.joinpath("care/old/index.html").is_file()
    site.root.joinpath("content/care/old.md").unlink()
    site.run()
    assert not site.site.joinpath("care/old").exists()


def test_builds_are_deterministic(site, tmp_path):
    site.write(
        "content/basics/first.md",
        article(
            "First page",
            body="""
        Text with a footnote.[^a] And a [link](../care/support.md).

        | A | B |
        |---|---|
        | 1 | 2 |

        !!! urgent
            Now.

        ```yaml
        title: Example
        ```

        [^a]: A source.
    """,
        ),
    )
    site.run("build", "--out", str(tmp_path / "one"))
    site.run("build", "--out", str(tmp_path / "two"))
    one, two = tree_digest(tmp_path / "one"), tree_digest(tmp_path / "two")
    assert one == two
    assert len(one) == 25


def test_built_site_is_readable_by_a_web_server(site):
    site.run()
    assert site.site.stat().st_mode & 0o755 == 0o755


def test_the_previous_site_is_deleted_and_so_are_those_a_stopped_deletion_left(site):
    site.run()
    left = site.root / "._site.old-stopped"
    (left / "care").mkdir(parents=True)
    (left / "care" / "index.html").write_text("a site a deletion left\n")
    site.write("content/care/new.md", article("New page"))
    site.run()
    wait_for(
        lambda: (
            sorted(p.name for p in site.root.iterdir()) == ["_site", "config.yaml", "content", "static", "templates"]
        ),
        timeout=10,
    )
    assert site.site.joinpath("care/new/index.html").is_file()


def test_swap_when_no_previous_site(tmp_path):
    with staged_site(tmp_path / "out", []) as staging:
        staging.place("index.html", b"hi")
        staging.publish()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert tmp_path.joinpath("out/index.html").read_bytes() == b"hi"


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_build_stopped_by_a_signal_at_any_moment_leaves_a_whole_site(site, tmp_path, signal_number):
    """Ctrl+C, or a CI job being cancelled, at moments spread over a build: each time the output folder is exactly
    the previous site or exactly the new one, and no temporary folder is left beside it."""
    for i in range(20):
        site.write(f"content/care/page-{i}.md", article(f"Page {i}", "Some plain text. " * 20))
    started = time.monotonic()
    assert run_cli("build", cwd=site.root).returncode == 0
    duration = time.monotonic() - started  # this machine's pace: the moments are spread over one whole build
    previous = tree_digest(site.site)
    for step, fraction in enumerate((0.2, 0.5, 0.8, 0.95, 1.1)):
        site.write("content/basics/first.md", article(f"First page, version {step}", order=1))
        build = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "build"],
            cwd=site.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(duration * fraction)
        build.send_signal(signal_number)
        _out, err = build.communicate(timeout=60)
        assert b"Traceback" not in err or build.returncode != 130
        # The previous site is deleted by a process of its own, which may still be at it (write._delete_later).
        wait_for(lambda: not [p.name for p in site.root.iterdir() if p.name.startswith(".")], timeout=10)
        now = tree_digest(site.site)
        if now != previous:  # the build had finished: what is there must be the whole new site
            reference = tmp_path / f"reference-{step}"
            assert run_cli("build", "--out", str(reference), cwd=site.root).returncode == 0
            assert now == tree_digest(reference)
            previous = now
