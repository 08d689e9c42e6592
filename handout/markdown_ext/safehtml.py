"""Only safe HTML reaches a page, whoever wrote the pull request.

Three ways an article could carry code into a reader's browser, each closed here on the parsed document:
- raw HTML (a ``<script>`` block, an ``<img onerror>`` inline): every piece Python-Markdown stashes from the
  editor's text is checked against a short list of tags and attributes, reported, and replaced with what nh3 (the
  ammonia sanitizer, which parses HTML as browsers do) keeps of it;
- attributes set with ``{: ...}`` (attr_list): only ``id``, ``class`` and ``lang``;
- link and image addresses: only web, mail and phone addresses, or addresses within the site.

Each is an error (the page is not published), and what is unsafe is removed even so, because ``check`` and the live
preview still render the page. The Content-Security-Policy of every page (no inline scripts) is the second wall.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import nh3
from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import HtmlInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .findings import PLACEHOLDER, Findings

_TAG_NAMES = """a abbr b blockquote br caption code dd del details dfn div dl dt em h2 h3 h4 hr i ins kbd li mark ol p
pre q s small span strong sub summary sup table tbody td tfoot th thead tr u ul"""
TAGS = frozenset(_TAG_NAMES.split())
# "rel" is not here: nh3 sets rel="noopener noreferrer" on every link itself.
ATTRIBUTES = {
    "*": {"id", "lang", "title"},
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
SCHEMES = frozenset({"http", "https", "mailto", "tel"})
ATTR_LIST_ALLOWED = frozenset({"id", "class", "lang"})
# Attributes that hold an address a browser would follow or load.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "background", "cite", "xlink:href")
# "stat:" links are the statistics extension's to resolve; one left over is already reported as stat-unknown.
OWN_SCHEMES = frozenset({"stat"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
ALLOWED_LIST = ", ".join(sorted(TAGS))


def scheme(url: str) -> str | None:
    """The scheme a browser would see, after entities and the spaces and control characters it ignores."""
    m = _SCHEME.match(_INVISIBLE.sub("", html.unescape(url)).lower())
    return m.group(1) if m else None


def unsafe_url(url: str) -> bool:
    found = scheme(url)
    return found is not None and found not in SCHEMES | OWN_SCHEMES


class _Audit(HTMLParser):
    """What a piece of raw HTML has that the safe list does not allow, in an editor's words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self._add(f"<{tag}>")
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if tag not in TAGS and not name.startswith("on"):
                continue  # the tag goes, and its attributes with it
            if name.startswith("on"):
                self._add(f"an {name} attribute (code run by the browser)")
            elif name == "style":
                self._add("a style attribute")
            elif name not in allowed:
                self._add(f'a "{name}" attribute on <{tag}>')
            elif name in URL_ATTRIBUTES and value and unsafe_url(value):
                self._add(f'a "{scheme(value)}:" address')

    handle_startendtag = handle_starttag

    def _add(self, what: str) -> None:
        if what not in self.found:
            self.found.append(what)


def audit(raw: str) -> list[str]:
    checker = _Audit()
    checker.feed(raw)
    checker.close()
    return checker.found


_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*>\Z")
_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>\Z")
VOID = frozenset({"br", "hr"})


def clean(raw: str) -> str:
    """``raw`` as nh3 keeps it. Inline HTML comes one tag at a time ("<b>", text, "</b>"): a lone start tag is
    cleaned with its end tag added, which is then taken off again, so the cleaner does not close it where it stands."""
    start, end = _START_TAG.match(raw.strip()), _END_TAG.match(raw.strip())
    if end:
        return raw if end.group(1).lower() in TAGS else ""
    if start and start.group(1).lower() not in VOID:
        closing = f"</{start.group(1).lower()}>"
        return _nh3(raw + closing).removesuffix(closing)
    return _nh3(raw)


def _nh3(raw: str) -> str:
    return nh3.clean(
        raw,
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class _MarkRawBlocks(Preprocessor):
    """Runs just before Python-Markdown stashes raw HTML blocks, and just after: the stash entries in between are
    the editor's raw HTML (fenced code, stashed earlier, is the site's own highlighted HTML)."""

    def __init__(self, md: Markdown, extension: SafeHtmlExtension, end: bool):
        super().__init__(md)
        self.extension, self.end = extension, end

    def run(self, lines: list[str]) -> list[str]:
        count = len(self.md.htmlStash.rawHtmlBlocks)
        if self.end:
            self.extension.raw.update(range(self.extension.start, count))
        else:
            self.extension.start = count
        return lines


class _MarkRawInline(HtmlInlineProcessor):
    """Python-Markdown's inline HTML pattern, noting which stash entry each piece of inline HTML went to."""

    def __init__(self, pattern: str, md: Markdown, extension: SafeHtmlExtension):
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 (Python-Markdown's name)
        result = super().handleMatch(m, data)
        self.extension.raw.add(len(self.md.htmlStash.rawHtmlBlocks) - 1)
        return result


class _Step(Treeprocessor):
    """A tree processor that keeps its findings on the extension, which Markdown.reset() clears."""

    def __init__(self, md: Markdown, extension: SafeHtmlExtension):
        super().__init__(md)
        self.extension = extension


class _Snapshot(_Step):
    """Each element's attribute names just before attr_list applies ``{: ...}``."""

    def run(self, root: ElementTree.Element) -> None:
        self.extension.before = {element: set(element.keys()) for element in root.iter()}


class _AttrListAudit(_Step):
    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter():
            added = set(element.keys()) - self.extension.before.get(element, set())
            refused = sorted(added - ATTR_LIST_ALLOWED)
            for name in refused:
                del element.attrib[name]
            if refused:
                names = _listed([f'"{name}"' for name in refused])
                message = f"{{: ...}} sets {names}, which articles may not set (only id, class and lang). Remove it."
                self.extension.findings.report("html-unsafe", element, message)


class _FinalAudit(_Step):
    """Last of all tree processors: every address in the page, and the editor's raw HTML."""

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter():
            for name in URL_ATTRIBUTES:
                value = element.get(name)
                if value and unsafe_url(value):
                    del element.attrib[name]
                    message = (
                        f'the address "{value}" uses "{scheme(value)}:", which could run code or load something '
                        "unsafe. Link to a web page (https://...), an email (mailto:), a phone number (tel:) or an "
                        "article's .md file."
                    )
                    self.extension.findings.report("html-unsafe", element, message)
        self._raw_html(root)

    def _raw_html(self, root: ElementTree.Element) -> None:
        stash = self.md.htmlStash
        places = _placeholders(root)
        for index in sorted(self.extension.raw):
            raw = stash.rawHtmlBlocks[index]
            if not isinstance(raw, str):
                continue
            stash.rawHtmlBlocks[index] = clean(raw)  # even when nothing is wrong: nh3 also adds rel to links
            found = audit(raw)
            if not found:
                continue
            message = (
                f"this HTML has {_listed(found)}, which articles may not contain (it could run code or load another "
                f"site). Remove it, or write it in Markdown; HTML in articles may use only: {ALLOWED_LIST}."
            )
            element, text = places.get(index, (root, None))
            self.extension.findings.report("html-unsafe", element, message, text=text)


def _placeholders(root: ElementTree.Element) -> dict[int, tuple[ElementTree.Element, tuple[bool, int]]]:
    """Where each stash placeholder sits in the tree: the element, and (in its tail?, offset)."""
    places = {}
    for element in root.iter():
        for in_tail, text in ((False, element.text), (True, element.tail)):
            for m in PLACEHOLDER.finditer(text or ""):
                places.setdefault(int(m.group(1)), (element, (in_tail, m.start())))
    return places


class SafeHtmlExtension(Extension):
    def __init__(self, findings: Findings):
        super().__init__()
        self.findings = findings
        self.reset()

    def reset(self) -> None:
        self.start = 0
        self.raw: set[int] = set()
        self.before: dict[ElementTree.Element, set[str]] = {}

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # Around html_block (20), after fenced code (25) has stashed its highlighted HTML.
        md.preprocessors.register(_MarkRawBlocks(md, self, end=False), "safe_html_start", 21)
        md.preprocessors.register(_MarkRawBlocks(md, self, end=True), "safe_html_end", 19)
        inline = md.inlinePatterns["html"]
        md.inlinePatterns.register(_MarkRawInline(inline.pattern, md, self), "html", 90)
        # Around attr_list (8).
        md.treeprocessors.register(_Snapshot(md, self), "safe_html_snapshot", 9)
        md.treeprocessors.register(_AttrListAudit(md, self), "safe_html_attr_list", 7)
        # After cross-links (1), before unescape (0).
        md.treeprocessors.register(_FinalAudit(md, self), "safe_html", 0.5)
