"""Glossary terms: the first time a page uses a term (or one of its aliases), it links to the glossary entry.

Matching works on the text of the finished element tree: whole words only, longest form first ("HER2-positive"
before "HER2"), case-insensitive except for abbreviations, and never inside headings, links, code, citations,
statistics or callout titles. Each link names the definition printed at the end of the page with
aria-describedby, so screen readers announce it; a small script shows the same text on hover, focus and tap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .. import urls
from ..registers import Term
from .context import PageContext

SKIP_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "sup", "script", "style", "abbr"}
SKIP_CLASSES = {"callout-title", "callout-contact", "stat", "cite"}


def exact_case(form: str, term: Term) -> bool:
    """Abbreviations (a capital after the first letter: HER2, ER, PD-L1) only match as written."""
    return term.match_case or any(ch.isupper() for ch in form[1:])


def term_pattern(terms: Iterable[Term]) -> tuple[re.Pattern[str] | None, dict[str, Term]]:
    """One pattern for every form of every term, longest first, and a lookup from a matched form to its term."""
    lookup: dict[str, Term] = {}
    alternatives = []
    for term in terms:
        for form in term.forms:
            exact = exact_case(form, term)
            lookup[form if exact else form.lower()] = term
            alternatives.append((form, re.escape(form) if exact else f"(?i:{re.escape(form)})"))
    if not alternatives:
        return None, lookup
    alternatives.sort(key=lambda pair: (-len(pair[0]), pair[0]))
    body = "|".join(regex for _, regex in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])"), lookup


class TermLinker(Treeprocessor):
    def __init__(self, md: Markdown, terms: tuple[Term, ...], context: PageContext):
        super().__init__(md)
        self.context = context
        self.pattern, self.lookup = term_pattern(terms)
        self.used: list[str] = []  # names of the terms linked on this page, in order of first use

    def run(self, root: ElementTree.Element) -> None:
        self.used = []
        if self.pattern is None or not self.context.link_terms:
            return
        self._walk(root)

    def _walk(self, element: ElementTree.Element) -> None:
        if element.tag in SKIP_TAGS or SKIP_CLASSES & set(element.get("class", "").split()):
            return
        links = self._split(element.text)
        if links is not None:
            element.text = links[0]
            for i, link in enumerate(links[1]):
                element.insert(i, link)
        for child in list(element):
            self._walk(child)
            links = self._split(child.tail)
            if links is not None:
                child.tail = links[0]
                position = list(element).index(child) + 1
                for i, link in enumerate(links[1]):
                    element.insert(position + i, link)

    def _split(self, text: str | None) -> tuple[str, list[ElementTree.Element]] | None:
        """The text before the first new term, and a link (whose tail is the text after it) per new term."""
        if not text:
            return None
        head, links, last = None, [], 0
        for match in self.pattern.finditer(text):
            term = self._term(match.group(0))
            if term is None or term.name in self.used or term.name in self.context.skip_terms:
                continue
            self.used.append(term.name)
            piece = text[last : match.start()]
            if links:
                links[-1].tail = piece
            else:
                head = piece
            links.append(self._link(term, match.group(0)))
            last = match.end()
        if not links:
            return None
        links[-1].tail = text[last:]
        return head, links

    def _term(self, form: str) -> Term | None:
        return self.lookup.get(form) or self.lookup.get(form.lower())

    def _link(self, term: Term, text: str) -> ElementTree.Element:
        href = urls.relative(self.context.url, f"{urls.GLOSSARY_URL}#{term.anchor}")
        describer = f"word-{term.anchor}"
        link = ElementTree.Element(
            "a", {"class": "term", "href": href, "aria-describedby": describer, "data-popover": describer}
        )
        link.text = text
        return link


class TermExtension(Extension):
    def __init__(self, terms: tuple[Term, ...], context: PageContext):
        super().__init__()
        self.terms = terms
        self.context = context
        self.linker: TermLinker | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.linker = TermLinker(md, self.terms, self.context)
        # After statistics (19) and citations (18), so their elements are there to be skipped.
        md.treeprocessors.register(self.linker, "terms", 17)
