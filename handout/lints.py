"""Content rules: what makes an article complete, safe and readable, checked on the parsed pages and the site model.

These were once tests, so an editor learnt them from a pytest failure; now ``check`` reports each with its rule id,
and config.yaml can change how serious each one is (handout/rules.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from html.parser import HTMLParser

from .config import SiteConfig
from .markdown_ext.callouts import KINDS, URGENT
from .markup import ParsedPage
from .problems import Problem
from .reader import BODY_PLACEHOLDER, PageKind
from .reading_grade import flesch_kincaid_grade
from .rules import report

KEY_POINTS = (3, 5)
MIN_ARTICLE_LINKS = 2
DUE_SOON_DAYS = 60
LONG_SENTENCE_WORDS = 35
MIN_GRADED_WORDS = 100  # below this a reading grade is not a fair measure
LONG_PARAGRAPH_WORDS = 120
VAGUE_LINK_TEXT = frozenset({"here", "click here", "read more", "more", "this", "this page", "link", "this link"})
RED_FLAG_KINDS = tuple(name for name, kind in KINDS.items() if kind.rank >= URGENT)


class Prose(HTMLParser):
    """A page's text as a reader reads it (not code, tables or citation marks), its paragraphs, images and links."""

    SKIP = frozenset({"sup", "pre", "code", "table", "script", "style"})
    BLOCKS = frozenset({"p", "li", "h2", "h3", "h4", "dt", "dd", "td", "th"})

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self.images_without_alt: list[str] = []
        self.link_texts: list[tuple[str, str]] = []  # (text, href) of the links the editor wrote
        self._skipping = 0
        self._current: list[str] = []
        self._link: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self._skipping += tag in self.SKIP
        if tag == "img" and not (attributes.get("alt") or "").strip():
            self.images_without_alt.append(attributes.get("src") or "")
        if tag == "a" and not {"term", "stat", "cite-link", "footnote-ref"} & set(
            (attributes.get("class") or "").split()
        ):
            self._link, self._href = [], attributes.get("href") or ""
        if tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        self._skipping -= tag in self.SKIP
        if tag == "a" and self._link is not None:
            self.link_texts.append((" ".join("".join(self._link).split()), self._href))
            self._link = None
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.append(data)
        if not self._skipping:
            self._current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.paragraphs.append(text)
        self._current = []

    def close(self) -> None:
        super().close()
        self._flush()  # the text after the last block

    @property
    def text(self) -> str:
        return " ".join(p if p.endswith((".", "?", "!", ":")) else p + "." for p in self.paragraphs)


def read_prose(html: str) -> Prose:
    prose = Prose()
    prose.feed(html)
    prose.close()
    return prose


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade of prose, as the reading-grade rule and the health report give it."""
    return flesch_kincaid_grade(text) if text else 0.0


def page_problems(page: ParsedPage) -> tuple[float | None, list[Problem]]:
    """What can be said of one page's prose alone: its reading grade, and problems with its text. It depends on
    nothing else, so it is worked out where the page is parsed, and cached with it (handout/parsecache.py)."""
    prose = read_prose(page.html)
    text = prose.text
    grade = reading_grade(text) if len(text.split()) >= MIN_GRADED_WORDS else None
    return grade, _readable(page, prose) + _body_placeholder(page)


def content_problems(
    config: SiteConfig, pages: Iterable[ParsedPage], today: dt.date | None, articles: Collection[str] | None = None
) -> list[Problem]:
    """The rules that need the site's settings or other pages; ``page_problems`` has the rest. ``articles``: the
    paths of the site's articles, when ``pages`` are not all of them."""
    pages = list(pages)
    if articles is None:
        articles = {p.source.path for p in pages if p.source.kind is PageKind.ARTICLE}
    problems: list[Problem] = []
    for page in pages:
        if page.source.kind is PageKind.ARTICLE:
            problems += _complete(config, page, articles)
            problems += _reading_grade(config, page)
        if today is not None:
            problems += _review_dates(page, today)
    return problems


def _complete(config: SiteConfig, page: ParsedPage, articles: Collection[str]) -> list[Problem]:
    meta, file = page.source.meta, page.source.file
    problems = []
    low, high = KEY_POINTS
    if not low <= len(meta.key_points) <= high:
        message = (
            f"the page has {len(meta.key_points)} key point{'s' * (len(meta.key_points) != 1)}; readers and "
            f"printed handouts need {low} to {high} "
            'short sentences under "key_points", the most important first.'
        )
        problems.append(report("key-points-count", file, page.source.line_of("key_points"), message))
    if not meta.questions:
        message = 'the page has no questions to ask the care team. Add 3 or more under "questions".'
        problems.append(report("questions-missing", file, 1, message))
    if not page.citations:
        message = "the page cites no source. Cite where each fact comes from with [@id], from sources.yaml."
        problems.append(report("citation-missing", file, page.source.body_line, message))
    others = {link.target for link in page.links if link.target in articles and link.target != page.source.path}
    if len(others) < MIN_ARTICLE_LINKS:
        message = (
            f"the page links to {len(others)} other article{'s' * (len(others) != 1)}; link to at least "
            f"{MIN_ARTICLE_LINKS}, so a reader always has somewhere to go next."
        )
        problems.append(report("links-too-few", file, page.source.body_line, message))
    section = config.section(page.source.section or "")
    if section and section.red_flags and not set(RED_FLAG_KINDS) & set(page.callouts):
        message = (
            f'articles in "{section.title}" need a box of the warning signs that need help now: '
            f"{', '.join('!!! ' + kind for kind in RED_FLAG_KINDS)}, with this page's own signs."
        )
        problems.append(report("red-flag-missing", file, page.source.body_line, message))
    return problems


def _reading_grade(config: SiteConfig, page: ParsedPage) -> list[Problem]:
    grade = page.grade
    if grade is None or grade <= config.reading_grade:
        return []
    message = (
        f"the text reads at grade {grade:.1f}, above the site's target of {config.reading_grade}. Use shorter "
        "sentences and common words, and explain medical words."
    )
    return [report("reading-grade", page.source.file, page.source.body_line, message)]


def _readable(page: ParsedPage, prose: Prose) -> list[Problem]:
    file = page.source.file
    problems = []
    for src in prose.images_without_alt:
        message = f'the image "{src}" has no alt text. Write what it shows: ![what it shows]({src}).'
        problems.append(report("image-alt-missing", file, _line_of(page, src), message))
    for text, _href in prose.link_texts:
        if text.lower().strip(" .") in VAGUE_LINK_TEXT:
            message = (
                f'the link text "{text}" does not say where it goes, which screen readers and printouts need. '
                "Use the title of the page it links to."
            )
            problems.append(report("link-text-vague", file, _line_of(page, f"[{text}]"), message))
    for paragraph in prose.paragraphs:
        words = len(paragraph.split())
        if words > LONG_PARAGRAPH_WORDS:
            message = f"this paragraph has {words} words. Split it: at most {LONG_PARAGRAPH_WORDS} is easier to read."
            problems.append(report("paragraph-long", file, _line_of(page, _opening(paragraph)), message))
        for sentence in re.split(r"(?<=[.!?])[\"\u201d\u2019)]?\s+", paragraph):
            count = len(sentence.split())
            if count > LONG_SENTENCE_WORDS and words <= LONG_PARAGRAPH_WORDS:
                message = f"a sentence of {count} words. Split it: sentences under {LONG_SENTENCE_WORDS} are easier."
                problems.append(report("sentence-long", file, _line_of(page, _opening(sentence)), message))
    return problems


def _body_placeholder(page: ParsedPage) -> list[Problem]:
    if BODY_PLACEHOLDER not in page.source.body:
        return []
    message = "this paragraph is still the placeholder from 'new'. Write what the page is about and who it is for."
    return [report("placeholder-text", page.source.file, _line_of(page, BODY_PLACEHOLDER), message)]


def _review_dates(page: ParsedPage, today: dt.date) -> list[Problem]:
    meta, file = page.source.meta, page.source.file
    if meta.reviewed > today:
        message = f'"reviewed" ({meta.reviewed.isoformat()}) is in the future. Use the date the page was checked.'
        return [report("review-in-future", file, page.source.line_of("reviewed"), message)]
    if meta.review_due < today:
        message = (
            f"this page was due for review on {meta.review_due.isoformat()}. Check it against its sources, then "
            'update "reviewed" (and "review_due" if set).'
        )
        return [report("review-overdue", file, page.source.line_of("reviewed"), message)]
    if meta.review_due <= today + dt.timedelta(days=DUE_SOON_DAYS):
        message = f"this page is due for review on {meta.review_due.isoformat()}. Plan its check against its sources."
        return [report("review-due-soon", file, page.source.line_of("reviewed"), message)]
    return []


def _opening(text: str) -> str:
    return " ".join(text.split()[:4])


def _line_of(page: ParsedPage, needle: str) -> int:
    """Where text shown on the page stands in its source. Found in the text, so it is approximate for text that
    Markdown rewrote (smart quotes, say): the first body line then."""
    body = page.source.body
    offset = body.find(needle)
    if offset < 0:
        return page.source.body_line
    return page.source.body_line + body.count("\n", 0, offset)
