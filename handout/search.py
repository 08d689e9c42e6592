"""The search index: built at build time from the site model, so searching needs no server and no request to
another host. lunr (the Python port) writes an index that lunr.js 2.3.9 loads in the reader's browser.

Why lunr rather than Pagefind: the index is made from the model, so the fields patients search by (titles,
summaries, key points, headings) can be weighted, and the browser side is plain JavaScript, so a strict
Content-Security-Policy needs no 'wasm-unsafe-eval'. The whole index is one download; for a guide of hundreds of
pages that is small (tens of kilobytes compressed), and beyond a few thousand pages Pagefind's chunked index
would be the better trade.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import lunr

from .model import Page, Site
from .reader import PageKind

FIELDS = [
    {"field_name": "title", "boost": 10},
    {"field_name": "summary", "boost": 4},
    {"field_name": "points", "boost": 3},
    {"field_name": "headings", "boost": 3},
    {"field_name": "terms", "boost": 2},
    {"field_name": "body", "boost": 1},
    # Neighbouring words as one token ("bone_pain"): lunr has no phrase search, and patients type phrases. The
    # script in static/js/search.js adds the same pairs from the query, so "bone pain" finds the bone page first.
    {"field_name": "phrases", "boost": 4},
]
# Pages that are not articles still turn up, but below the articles that explain the topic.
LOWER_WEIGHT = 0.5


@dataclass(frozen=True)
class SearchDocument:
    url: str
    title: str
    summary: str
    points: str
    headings: str
    terms: str
    body: str
    phrases: str
    weight: float


def documents(site: Site) -> list[SearchDocument]:
    return [_document(page) for page in site.pages if page.url]  # the home page only lists the others


def _document(page: Page) -> SearchDocument:
    terms = " ".join(" ".join(term.forms) for term in page.terms)
    points = " ".join(page.meta.key_points)
    headings = " ".join(h.text for h in page.headings)
    body = _text(page.html)
    is_article = page.source.kind is PageKind.ARTICLE and not page.meta.sheet
    return SearchDocument(
        url=page.url,
        title=page.meta.title,
        summary=page.meta.summary,
        points=points,
        headings=headings,
        terms=terms,
        body=body,
        # Pairs from the parts that say what the page is about; pairs from the whole body would make the index
        # several times larger for little gain.
        phrases=word_pairs(" ".join((page.meta.title, page.meta.summary, points, headings))),
        weight=1.0 if is_article else LOWER_WEIGHT,
    )


STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "may",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)


def word_pairs(text: str) -> str:
    """Neighbouring words as "first_second"; small words are skipped first, as the search script does."""
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP_WORDS]
    return " ".join(f"{a}_{b}" for a, b in itertools.pairwise(words))


class _Text(HTMLParser):
    """The words a reader sees in a page body; citation marks are not words."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag == "sup"

    def handle_endtag(self, tag):
        self.skip -= tag == "sup"

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def search_index(site: Site) -> str:
    """The index and what a result shows, as one JSON document."""
    docs = documents(site)
    fields = [f["field_name"] for f in FIELDS]
    # lunr cannot index nothing (a preview whose only page is broken): then there is no index, and the search page
    # says search could not start and points to the glossary and sections.
    index = (
        lunr.lunr(
            ref="url",
            fields=FIELDS,
            documents=[({f: getattr(d, f) for f in ["url", *fields]}, {"boost": d.weight}) for d in docs],
        ).serialize()
        if docs
        else None
    )
    shown = {d.url: {"title": d.title, "summary": d.summary} for d in docs}
    return json.dumps({"index": index, "pages": shown}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
