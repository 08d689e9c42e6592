"""Several pages rendered into one, for a section's printable page: ids must stay unique and headings must nest.

Each page's markup is rewritten with an HTML parser (never a pattern over the text): every id, and every same-page
reference to one (href="#...", aria-describedby, aria-labelledby, data-popover, for), gets the page's prefix, and
each heading moves one level down, so the combined page keeps a single h1 and an unbroken outline.

The pages then share one word list and one source list at the end (``EndMatter``): a reference to a word or a source
goes to the shared list instead, and a citation mark shows its source's number in that list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Page
    from .registers import Source, Term

ID_LISTS = ("aria-describedby", "aria-labelledby", "aria-controls", "data-popover", "for", "headers")
HEADINGS = ("h1", "h2", "h3", "h4", "h5")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# The ids a page gives its own word list and source list (templates/partials/page-extras.html), which its terms
# (markdown_ext/terms.py) and citation marks (markdown_ext/citations.py) point to.
WORD_ID = "word-{anchor}"
SOURCE_ID = "source-{number}"
# The shared lists' ids. No page can be nested with this prefix: "print" is the one slug no article may have.
SHARED_PREFIX = "print-"


@dataclass(frozen=True)
class Target:
    """Where a reference goes when what it points to lives in the combined page's shared lists: the id there and,
    for a numbered entry (a source), the number that links to it show."""

    id: str
    label: str | None = None


class _Rewriter(HTMLParser):
    def __init__(self, prefix: str, shared: Mapping[str, Target]):
        super().__init__(convert_charrefs=False)
        self.prefix = prefix
        self.shared = shared
        self.out: list[str] = []
        self.depth = 0  # elements open (void ones never are)
        self.relabel: list[tuple[int, str]] = []  # links to numbered shared entries: their depth and new number

    def _tag(self, tag: str) -> str:
        return f"h{int(tag[1]) + 1}" if tag in HEADINGS else tag

    def _ref(self, value: str) -> str:
        return self.shared[value].id if value in self.shared else self.prefix + value

    def _attributes(self, attrs: list[tuple[str, str | None]]) -> str:
        parts = []
        for name, value in attrs:
            if value is None:
                parts.append(f" {name}")
                continue
            if name == "id":
                value = self.prefix + value
            elif name in ID_LISTS:
                value = " ".join(self._ref(part) for part in value.split())
            elif name == "href" and value.startswith("#") and len(value) > 1:
                value = "#" + self._ref(value[1:])
            parts.append(f' {name}="{escape(value, quote=True)}"')
        return "".join(parts)

    def handle_starttag(self, tag, attrs):
        self.out.append(f"<{self._tag(tag)}{self._attributes(attrs)}>")
        if tag in VOID:
            return
        self.depth += 1
        href = dict(attrs).get("href") or ""
        target = self.shared.get(href[1:]) if tag == "a" and href.startswith("#") else None
        if target is not None and target.label is not None:
            self.relabel.append((self.depth, target.label))

    def handle_startendtag(self, tag, attrs):
        self.out.append(f"<{self._tag(tag)}{self._attributes(attrs)}{'' if tag in VOID else ' /'}>")

    def handle_endtag(self, tag):
        self.out.append(f"</{self._tag(tag)}>")
        if tag in VOID:
            return
        if self.relabel and self.relabel[-1][0] == self.depth:
            self.relabel.pop()
        self.depth -= 1

    def handle_data(self, data):
        # A link to a source shows its number as its own text ("3", beside a hidden "Source "): the number it has in
        # the shared list replaces it. Text inside the link's children is left alone.
        if self.relabel and self.relabel[-1][0] == self.depth and data.strip().isdigit():
            number = data.strip()
            start = data.index(number)
            data = data[:start] + self.relabel[-1][1] + data[start + len(number) :]
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")


def nest(fragment: str, prefix: str, shared: Mapping[str, Target] | None = None) -> str:
    """``fragment`` with its ids prefixed and its headings one level lower, ready to sit inside another page.

    ``shared`` maps ids the fragment refers to but no longer holds (its word and source lists, printed once for all
    the pages) to where they are in the combined page; those references are not prefixed."""
    rewriter = _Rewriter(prefix, shared or {})
    rewriter.feed(fragment)
    rewriter.close()
    return "".join(rewriter.out)


@dataclass(frozen=True)
class CitedIn:
    title: str
    marker: str  # the id, in the combined page, of the page's first mark citing the source


@dataclass(frozen=True)
class SharedSource:
    number: int
    id: str
    source: Source
    cited_in: tuple[CitedIn, ...]


@dataclass(frozen=True)
class SharedTerm:
    id: str
    term: Term


@dataclass(frozen=True)
class EndMatter:
    """One word list and one source list for several pages printed as one document and, per page (by URL), the
    prefix of its ids and where its references to its own lists go instead: ``nest(html, prefix[url], shared[url])``.
    """

    terms: tuple[SharedTerm, ...]
    sources: tuple[SharedSource, ...]
    prefix: Mapping[str, str]
    shared: Mapping[str, Mapping[str, Target]]


def end_matter(pages: Iterable[Page]) -> EndMatter:
    """The shared lists of ``pages``, each nested with its slug as the prefix of its ids. Sources are numbered by
    first citation through the document (page by page, each in its own order) and listed once; words are listed once
    each, A to Z."""
    numbers: dict[str, int] = {}  # source id -> number in the shared list
    sources: dict[str, Source] = {}
    cited_in: dict[str, list[CitedIn]] = {}
    terms: dict[str, Term] = {}
    prefixes: dict[str, str] = {}
    shared: dict[str, dict[str, Target]] = {}
    for page in pages:
        prefix = prefixes[page.url] = page.source.slug + "-"
        targets: dict[str, Target] = {}
        for cited in page.citations:
            number = numbers.setdefault(cited.source.id, len(numbers) + 1)
            sources[cited.source.id] = cited.source
            if cited.markers:
                cited_in.setdefault(cited.source.id, []).append(CitedIn(page.meta.title, prefix + cited.markers[0]))
            targets[SOURCE_ID.format(number=cited.number)] = Target(_source_id(number), str(number))
        for term in page.terms:
            terms.setdefault(term.anchor, term)
            targets[WORD_ID.format(anchor=term.anchor)] = Target(_word_id(term.anchor))
        shared[page.url] = targets
    return EndMatter(
        terms=tuple(
            SharedTerm(_word_id(t.anchor), t) for t in sorted(terms.values(), key=lambda t: (t.name.lower(), t.anchor))
        ),
        sources=tuple(
            SharedSource(number, _source_id(number), sources[key], tuple(cited_in.get(key, ())))
            for key, number in numbers.items()
        ),
        prefix=prefixes,
        shared=shared,
    )


def _source_id(number: int) -> str:
    return SHARED_PREFIX + SOURCE_ID.format(number=number)


def _word_id(anchor: str) -> str:
    return SHARED_PREFIX + WORD_ID.format(anchor=anchor)
