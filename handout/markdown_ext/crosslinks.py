"""Cross-links: editors link to Markdown files as GitHub previews them; the site links to page URLs.

The processor resolves every relative link to a ``.md`` file (and every same-page ``#anchor``) against the
content folder, rewrites the ones it can, and records all of them so the site model can check that targets and
anchors exist. It also records every ``id`` on the page: those are the anchors other pages may link to.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .. import urls
from .context import PageContext
from .findings import Findings
from .safehtml import scheme

# Links the site makes itself (to terms, statistics, sources) point at parts of the page template, not at
# anything the editor wrote, so they are not the editor's to check.
GENERATED = {"term", "stat", "cite-link"}


@dataclass(frozen=True)
class WrittenLink:
    written: str  # the href exactly as the editor wrote it
    target: str | None  # content path it points to ("treatments/chemotherapy.md"); None when outside content
    anchor: str | None
    # Written as the site's own address ("/treatments/chemotherapy/", or base_url and a path) instead of the file:
    # such links break under a sub-folder, in GitHub's preview and in checks, so they are reported.
    site_address: bool = False
    line: int = 0  # 0-based, in the Markdown text, from the parse


class CrossLinkProcessor(Treeprocessor):
    def __init__(
        self, md: Markdown, page_urls: Mapping[str, str], context: PageContext, base_url: str | None, findings: Findings
    ):
        super().__init__(md)
        self.findings = findings
        self.page_urls = page_urls
        self.paths_by_url = {url: path for path, url in page_urls.items()}
        self.base_url = base_url
        self.context = context
        self.links: list[WrittenLink] = []
        self.ids: set[str] = set()

    def run(self, root: ElementTree.Element) -> None:
        self.links, self.ids = [], set()
        for element in root.iter():
            if element.get("id"):
                self.ids.add(element.get("id"))
            if element.tag == "a" and element.get("href") and element.get("class") not in GENERATED:
                self._visit(element)

    def _visit(self, a: ElementTree.Element) -> None:
        href = a.get("href", "")
        parts = urlsplit(href)
        site_path = self._site_path(href)
        if site_path is not None:
            url = site_path.removesuffix("index.html")
            url = url if not url or url.endswith("/") else url + "/"
            anchor = unquote(parts.fragment) or None
            line = self.findings.line_of(a)
            self.links.append(WrittenLink(href, self.paths_by_url.get(url, ""), anchor, site_address=True, line=line))
            return
        if parts.netloc:
            # Another site learns nothing of where its reader came from, and cannot reach back into this page.
            a.set("rel", "noopener noreferrer")
            return
        if parts.scheme or scheme(href) or href.startswith("/"):  # a disguised "javascript:" is safehtml's to report
            return
        anchor = unquote(parts.fragment) or None
        line = self.findings.line_of(a)
        if not parts.path:
            if anchor:
                self.links.append(WrittenLink(href, self.context.path, anchor, line=line))
            return
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.context.path), unquote(parts.path)))
        if target == ".." or target.startswith("../"):
            self.links.append(WrittenLink(href, None, anchor, line=line))
            return
        if not parts.path.endswith(".md"):
            message = (
                f'link to "{href}" is not an article: the site publishes only the .md pages of the content folder, '
                "so this link would be broken. Link to an article's .md file, or to a full https:// address."
            )
            self.findings.report("link-not-page", a, message)
            return
        self.links.append(WrittenLink(href, target, anchor, line=line))
        if target in self.page_urls:
            destination = self.page_urls[target] + (f"#{anchor}" if anchor else "")
            a.set("href", urls.relative(self.context.url, destination))

    def _site_path(self, href: str) -> str | None:
        """The site path a link written as the site's own address points to ("where-it-spreads/bone/"), or None."""
        if href.startswith("/") and not href.startswith("//"):
            return urlsplit(href).path.lstrip("/")
        if self.base_url and href.startswith(self.base_url):
            return urlsplit(href[len(self.base_url) :]).path.lstrip("/")
        return None


class CrossLinkExtension(Extension):
    def __init__(self, page_urls: Mapping[str, str], context: PageContext, base_url: str | None, findings: Findings):
        super().__init__()
        self.page_urls = page_urls
        self.base_url = base_url
        self.findings = findings
        self.context = context
        self.processor: CrossLinkProcessor | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.processor = CrossLinkProcessor(md, self.page_urls, self.context, self.base_url, self.findings)
        # Last of all tree processors: heading ids (toc, 5) and footnotes (50) must already be in the tree.
        md.treeprocessors.register(self.processor, "crosslinks", 1)
