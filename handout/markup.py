"""Stage 3: Markdown to HTML, recording what the site model needs: headings, anchors and outgoing links."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import markdown

from .config import SiteConfig
from .markdown_ext.callouts import CalloutExtension
from .markdown_ext.citations import CitationExtension
from .markdown_ext.context import PageContext
from .markdown_ext.crosslinks import CrossLinkExtension
from .markdown_ext.findings import Findings
from .markdown_ext.limits import LimitsExtension
from .markdown_ext.rulelist import RuleListExtension
from .markdown_ext.safehtml import SafeHtmlExtension
from .markdown_ext.stats import StatExtension, figures
from .markdown_ext.tables import TableExtension
from .markdown_ext.terms import TermExtension
from .markdown_ext.typography import TypographyExtension
from .problems import Problem, did_you_mean
from .reader import SourcePage
from .registers import Registers
from .rules import report


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Link:
    written: str
    target: str | None
    anchor: str | None
    line: int
    site_address: bool = False  # written as the site's address, not the .md file


@dataclass(frozen=True)
class Citation:
    number: int
    source: str  # source id
    markers: tuple[str, ...]  # ids of the markers citing it, for the source list's links back


@dataclass(frozen=True)
class ParsedPage:
    source: SourcePage
    # Its HTML, compressed (``html`` gives the text): every page is in memory from the parse to the end of the build,
    # and on a big site its HTML, a fifth of its size this way, would be most of that.
    packed_html: bytes
    headings: tuple[Heading, ...]
    ids: frozenset[str]
    links: tuple[Link, ...]
    citations: tuple[Citation, ...] = ()
    terms: tuple[str, ...] = ()  # glossary terms linked, in order of first use
    stats: tuple[str, ...] = ()  # statistics used, in order of first use
    callouts: tuple[str, ...] = ()  # the kind of each callout, in order ("emergency", "tip")
    # The Flesch-Kincaid grade of its prose (handout/lints.py), None when too short to grade fairly.
    grade: float | None = None

    @property
    def html(self) -> str:
        return unpack_html(self.packed_html)


def pack_html(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8"), 1)  # the fastest level: a higher one saves a tenth more, at a cost


def unpack_html(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8")


HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BUILTIN_EXTENSIONS = [
    "tables",
    "toc",
    "attr_list",
    "def_list",
    "footnotes",
    "admonition",
    "fenced_code",
    "codehilite",
    "sane_lists",
]
EXTENSION_CONFIGS = {
    "codehilite": {"guess_lang": False, "css_class": "highlight"},
    "footnotes": {"BACKLINK_TITLE": "Back to where source %d is cited"},
}


class MarkdownParser:
    """One Markdown converter reused for every page: building one costs more than converting a short page."""

    def __init__(self, config: SiteConfig, page_urls: Mapping[str, str], registers: Registers):
        self.registers = registers
        self._context = PageContext()
        self._findings = Findings()
        self._links = CrossLinkExtension(page_urls, self._context, config.base_url, self._findings)
        self._callouts = CalloutExtension(config.contact, self._findings)
        self._citations = CitationExtension(registers.sources, self._findings, registers.files["sources.yaml"])
        self._stats = StatExtension(registers.stats, self._findings, registers.files["stats.yaml"])
        self._terms = TermExtension(registers.terms, self._context)
        self._md = markdown.Markdown(
            extensions=[
                *BUILTIN_EXTENSIONS,
                TypographyExtension(),  # smarty, faster
                self._findings,
                LimitsExtension(self._findings),
                self._callouts,
                self._citations,
                self._stats,
                self._terms,
                self._links,
                TableExtension(),
                RuleListExtension(config.rule_levels),
                SafeHtmlExtension(self._findings),
            ],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )

    def parse(self, page: SourcePage) -> tuple[ParsedPage, list[Problem]]:
        self._md.reset()
        if not page.body.strip():
            # Python-Markdown returns at once for a blank text, before any extension runs: what the extensions hold
            # would be the previous page's.
            return _empty(page), self._front_matter_problems(page)
        meta = page.meta
        self._context.path, self._context.url = page.path, page.url
        self._context.link_terms, self._context.skip_terms = meta.link_terms, frozenset(meta.skip_terms)
        try:
            html = self._md.convert(page.body)
        except RecursionError:  # nesting the limits extension did not foresee: never a crash
            message = (
                "this page nests lists, quotes or boxes too deeply for the Markdown parser to read. Use fewer levels."
            )
            problem = report("markdown-too-complex", page.file, page.body_line, message)
            return _empty(page), [problem, *self._front_matter_problems(page)]
        cited = self._citations.numberer.cited
        parsed = ParsedPage(
            page,
            pack_html(html),
            headings=tuple(_flatten(self._md.toc_tokens)),
            ids=frozenset(self._links.processor.ids),
            links=tuple(
                Link(link.written, link.target, link.anchor, page.body_line + link.line, link.site_address)
                for link in self._links.processor.links
            ),
            citations=tuple(Citation(n, key, tuple(markers)) for n, (key, markers) in enumerate(cited.items(), 1)),
            terms=tuple(self._terms.linker.used),
            stats=tuple(self._stats.processor.used),
            callouts=tuple(self._callouts.processor.kinds),
        )
        found = [report(f.rule, page.file, page.body_line + f.line, f.message) for f in self._findings.found]
        return parsed, found + self._heading_problems(page) + self._front_matter_problems(page)

    def _heading_problems(self, page: SourcePage) -> list[Problem]:
        root = self._findings.root
        headings = [] if root is None else [el for el in root.iter() if el.tag in HEADING_TAGS]
        problems = []
        previous = 1
        for element in headings:
            level, text = int(element.tag[1]), "".join(element.itertext()).strip()
            line = page.body_line + self._findings.line_of(element)
            if level == 1:
                message = (
                    f'"# {text}" is a level-1 heading, but the page title is the only one. '
                    "Use ## for the sections of the page."
                )
                problems.append(report("heading-level-1", page.file, line, message))
            elif level > previous + 1:
                message = (
                    f'"{text}" jumps from level {previous} to level {level}, which confuses screen-reader '
                    f"navigation. Use {'#' * (previous + 1)}."
                )
                problems.append(report("heading-skipped-level", page.file, line, message))
            previous = level
        return problems

    def _front_matter_problems(self, page: SourcePage) -> list[Problem]:
        problems = []
        names = [t.name for t in self.registers.terms]
        for i, name in enumerate(page.meta.skip_terms):
            if name not in names:
                problems.append(
                    report(
                        "skip-terms-unknown",
                        page.file,
                        page.line_of("skip_terms", i),
                        f'"skip_terms" lists "{name}", which is not a glossary term.{did_you_mean(name, names)} '
                        "Fix the name, or remove it from skip_terms.",
                    )
                )
        fields = [
            ("summary", page.meta.summary),
            *((("key_points", i), text) for i, text in enumerate(page.meta.key_points)),
        ]
        for where, text in fields:
            path = where if isinstance(where, tuple) else (where,)
            problems += [
                report(
                    "stat-unregistered",
                    page.file,
                    page.line_of(*path),
                    f'"{figure}" looks like a statistic, but front matter cannot cite it. Move it into the '
                    "text, written as a statistic from the register.",
                )
                for figure in figures(text)
            ]
        return problems


def _empty(page: SourcePage) -> ParsedPage:
    """A page with no body to show: blank, or one the Markdown parser could not read."""
    return ParsedPage(page, pack_html(""), (), frozenset(), ())


def _flatten(tokens: Iterable[dict]) -> Iterable[Heading]:
    for token in tokens:
        yield Heading(token["level"], token["id"], token["name"])
        yield from _flatten(token["children"])
