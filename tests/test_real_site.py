"""The project's own site, as a reader meets it: it builds cleanly, and every link from the home page works."""

from __future__ import annotations

import json
import posixpath
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, run_cli, tree_digest

from handout.security import REFERRER_POLICY, content_security_policy


@pytest.fixture
def built(real_site) -> Path:
    return real_site


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append(attributes[name])


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def crawl(root: Path) -> dict[str, int]:
    """Follow every internal link from the home page, as a reader clicking through; each page with its depth."""
    depth = {"index.html": 0}
    queue = deque(["index.html"])
    parsed: dict[str, Page] = {}  # each page is parsed once: the glossary alone is the target of thousands of links

    def ids(target: str) -> set[str]:
        if target not in parsed:
            parsed[target] = parse(root / target)
        return parsed[target].ids

    while queue:
        current = queue.popleft()
        page = parsed.get(current) or parse(root / current)
        for link in page.links:
            if re.match(r"[a-z]+:", link):
                continue
            path, _, fragment = link.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(current), path)) if path else current
            if (root / target).is_dir():
                target = posixpath.normpath(posixpath.join(target, "index.html"))
            assert (root / target).is_file(), f"{current}: broken link {link}"
            if fragment:
                assert fragment in ids(target), f"{current}: missing anchor {link}"
            if target.endswith(".html") and target not in depth:
                depth[target] = depth[current] + 1
                queue.append(target)
    return depth


def test_the_site_passes_a_strict_check():
    before = tree_digest(REPO / "_site") if (REPO / "_site").exists() else None
    result = run_cli("check", "--strict", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert (tree_digest(REPO / "_site") if (REPO / "_site").exists() else None) == before  # check writes nothing


def test_every_page_is_reachable_and_every_link_works(built):
    depth = crawl(built)
    pages = {p.relative_to(built).as_posix() for p in built.rglob("*.html")} - {"404.html"}
    assert set(depth) == pages
    articles = [p for p in pages if p.count("/") == 2]
    assert len(articles) >= 6
    assert all(depth[p] <= 2 for p in articles), {p: depth[p] for p in articles if depth[p] > 2}


def test_no_inline_script_or_style_so_a_strict_policy_can_forbid_them(built):
    for path in built.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "<style" not in html and " style=" not in html, path
        for script in re.findall(r"<script[^>]*>", html):
            assert " src=" in script or 'type="application/ld+json"' in script, (path, script)
        assert "Content-Security-Policy" in html and "unsafe-inline" not in html, path


def test_every_page_carries_the_security_policy_and_the_host_gets_it_as_headers(built):
    policy = content_security_policy()
    for path in built.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in html, path
        assert f'<meta name="referrer" content="{REFERRER_POLICY}">' in html, path
        for link in re.findall(r'<a [^>]*href="(?:https?:)?//[^>]*>', html):
            assert 'rel="noopener noreferrer"' in link, (path, link)
    headers = (built / "_headers").read_text(encoding="utf-8").splitlines()
    assert headers[0] == "/*"
    assert f"  Content-Security-Policy: {policy}; frame-ancestors 'none'" in headers
    for name in ("Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"):
        assert any(line.startswith(f"  {name}: ") for line in headers), name
    assert "default-src 'none'" in policy and "unsafe" not in policy


def test_every_article_says_it_awaits_clinical_review(built):
    for path in built.glob("*/*/index.html"):
        assert "<strong>Awaiting clinical review.</strong>" in path.read_text(encoding="utf-8"), path


def test_every_page_links_to_about_and_says_it_does_not_replace_the_care_team(built):
    for path in built.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert re.search(r'<a href="((\.\./)*about/|\./)">About this guide</a>', html), path
        assert "It does not replace your own care team" in html, path


def structured_data(page: Path) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    data = [json.loads(block) for block in found]
    return [node for item in data for node in item.get("@graph", [item])]


def test_structured_data_describes_pages_honestly(built):
    pages = [p for p in built.glob("*/*/index.html") if p.parent.name != "print"]
    for page in pages:
        nodes = {node["@type"]: node for node in structured_data(page)}
        web_page = nodes["MedicalWebPage"]
        shown = re.search(r'Last checked: <time datetime="([0-9-]+)">', page.read_text(encoding="utf-8")).group(1)
        assert web_page["lastReviewed"] == shown  # the date the page itself shows
        assert "reviewedBy" not in web_page  # no page has been clinically reviewed yet
        assert web_page["about"] == {"@type": "MedicalCondition", "name": "Metastatic breast cancer"}
        assert [item["position"] for item in nodes["BreadcrumbList"]["itemListElement"]] == [1, 2, 3]
    faq = {node["@type"]: node for node in structured_data(built / "questions" / "faq" / "index.html")}["FAQPage"]
    questions = [q["name"] for q in faq["mainEntity"]]
    assert len(questions) >= 10 and all(q.endswith("?") for q in questions)
    assert questions[0] == "Can stage 4 breast cancer be cured?"
    assert faq["mainEntity"][0]["acceptedAnswer"]["text"].startswith("Stage 4 breast cancer is generally not curable")
