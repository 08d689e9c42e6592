"""Stage 3: Markdown to HTML, recording what the site model needs: headings, anchors and outgoing links."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import markdown

from .config import SiteConfig
from .markdown_ext.callouts import DEFAULT_TITLES, CalloutExtension
from .markdown_ext.citations import CitationExtension
from .markdown_ext.context import PageContext
from .markdown_ext.crosslinks import CrossLinkExtension
from .markdown_ext.rulelist import RuleListExtension
from .markdown_ext.stats import StatExtension, figures
from .markdown_ext.tables import TableExtension
from .markdown_ext.terms import TermExtension
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
    html: str
    headings: tuple[Heading, ...]
    ids: frozenset[str]
    links: tuple[Link, ...]
    citations: tuple[Citation, ...] = ()
    terms: tuple[str, ...] = ()  # glossary terms linked, in order of first use
    stats: tuple[str, ...] = ()  # statistics used, in order of first use
    callouts: tuple[str, ...] = ()  # the kind of each callout, in order ("emergency", "tip")


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
    "smarty",
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
        self._links = CrossLinkExtension(page_urls, self._context, config.base_url)
        self._callouts = CalloutExtension(config.contact)
        self._citations = CitationExtension(registers.sources)
        self._stats = StatExtension(registers.stats)
        self._terms = TermExtension(registers.terms, self._context)
        self._md = markdown.Markdown(
            extensions=[
                *BUILTIN_EXTENSIONS,
                self._callouts,
                self._citations,
                self._stats,
                self._terms,
                self._links,
                TableExtension(),
                RuleListExtension(config.rule_levels),
            ],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )

    def parse(self, page: SourcePage) -> tuple[ParsedPage, list[Problem]]:
        self._md.reset()
        meta = page.meta
        self._context.path, self._context.url = page.path, page.url
        self._context.link_terms, self._context.skip_terms = meta.link_terms, frozenset(meta.skip_terms)
        html = self._md.convert(page.body)
        lines = SourceLines(page.body, page.body_line)
        cited = self._citations.numberer.cited
        parsed = ParsedPage(
            page,
            html,
            headings=tuple(_flatten(self._md.toc_tokens)),
            ids=frozenset(self._links.processor.ids),
            links=tuple(_located(self._links.processor.links, lines)),
            citations=tuple(Citation(n, key, tuple(markers)) for n, (key, markers) in enumerate(cited.items(), 1)),
            terms=tuple(self._terms.linker.used),
            stats=tuple(self._stats.processor.used),
            callouts=tuple(self._callouts.processor.kinds),
        )
        problems = _heading_problems(page, parsed.headings, lines) + _callout_problems(page, lines, self._callouts)
        problems += self._register_problems(page, lines)
        return parsed, problems

    def _register_problems(self, page: SourcePage, lines: SourceLines) -> list[Problem]:
        files = self.registers.files
        problems = [
            report(
                "citation-unknown",
                page.file,
                line,
                f'"[@{key}]" cites a source that is not in {files["sources.yaml"]}.'
                f"{did_you_mean(key, self.registers.sources)} Add the source there, or fix the id.",
            )
            for key, line in _each_line(self._citations.numberer.unknown, lines, "@")
        ]
        problems += [
            report(
                "stat-unknown",
                page.file,
                line,
                f'"stat:{key}" is not a statistic in {files["stats.yaml"]}.{did_you_mean(key, self.registers.stats)}'
                " Add it there, or fix the id.",
            )
            for key, line in _each_line(self._stats.processor.unknown, lines, "stat:")
        ]
        for key, written in self._stats.processor.mismatched:
            value = self.registers.stats[key].value
            problems.append(
                report(
                    "stat-text-mismatch",
                    page.file,
                    lines.find(f"stat:{key}"),
                    f'the link text "{written}" differs from the register\'s value for "{key}" ({value}); the page '
                    f"shows {value}. Change the text to {value} so the Markdown preview says the same.",
                )
            )
        problems += [
            report(
                "stat-unregistered",
                page.file,
                line,
                f'"{figure}" looks like a statistic but does not come from {files["stats.yaml"]}. Add it there '
                f"and write it as [{figure}](stat:ID), so its source and period travel with it.",
            )
            for figure, line in _each_line(self._stats.processor.unregistered, lines)
        ]
        return problems + self._front_matter_problems(page)

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
                        f'"skip_terms" lists "{name}", which is not a glossary term.{did_you_mean(name, names)}',
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


class SourceLines:
    """Maps text found in a Markdown body back to its line in the file."""

    def __init__(self, body: str, first_line: int):
        self.body = body
        self.first_line = first_line
        self._newlines = [i for i, ch in enumerate(body) if ch == "\n"]

    def line_at(self, offset: int) -> int:
        return self.first_line + bisect.bisect_left(self._newlines, offset)

    def find(self, needle: str, occurrence: int = 0) -> int:
        """The line of the ``occurrence``-th appearance of ``needle``; the first body line if absent."""
        offset = -1
        for _ in range(occurrence + 1):
            offset = self.body.find(needle, offset + 1)
            if offset < 0:
                return self.first_line
        return self.line_at(offset)

    def heading_lines(self) -> list[tuple[int, int]]:
        """(level, line) of each ATX heading outside fenced code, in order."""
        found, fence = [], None
        for i, text in enumerate(self.body.split("\n")):
            stripped = text.lstrip()
            marker = stripped[:3]
            if marker in ("```", "~~~"):
                fence = None if fence == marker else (fence or marker)
                continue
            # Headings inside callouts are indented by whole steps of four spaces.
            match = None if fence else re.match(r"(?: {4})*(#{1,6})\s", text)
            if match:
                found.append((len(match.group(1)), self.first_line + i))
        return found


def _each_line(found: list[str], lines: SourceLines, prefix: str = "") -> Iterable[tuple[str, int]]:
    """Each finding with the line of its own occurrence, counting repeats of the same text in order."""
    seen: dict[str, int] = {}
    for item in found:
        nth = seen.get(item, 0)
        seen[item] = nth + 1
        yield item, lines.find(prefix + item, nth)


def _flatten(tokens: Iterable[dict]) -> Iterable[Heading]:
    for token in tokens:
        yield Heading(token["level"], token["id"], token["name"])
        yield from _flatten(token["children"])


def _located(written, lines: SourceLines) -> Iterable[Link]:
    places = _each_line([link.written for link in written], lines)
    for link, (_, line) in zip(written, places, strict=True):
        yield Link(link.written, link.target, link.anchor, line, link.site_address)


def _heading_problems(page: SourcePage, headings: tuple[Heading, ...], lines: SourceLines) -> list[Problem]:
    problems = []
    heading_lines = lines.heading_lines()
    previous = 1
    for i, heading in enumerate(headings):
        line = heading_lines[i][1] if i < len(heading_lines) else lines.first_line
        if heading.level == 1:
            problems.append(
                report(
                    "heading-level-1",
                    page.file,
                    line,
                    f'"# {heading.text}" is a level-1 heading, but the page title is the only one. '
                    "Use ## for the sections of the page.",
                )
            )
        elif heading.level > previous + 1:
            problems.append(
                report(
                    "heading-skipped-level",
                    page.file,
                    line,
                    f'"{heading.text}" jumps from level {previous} to level {heading.level}, '
                    f"which confuses screen-reader navigation. Use {'#' * (previous + 1)}.",
                )
            )
        previous = heading.level
    return problems


def _callout_problems(page: SourcePage, lines: SourceLines, callouts: CalloutExtension) -> list[Problem]:
    kinds = [unknown.kind for unknown in callouts.processor.unknown]
    empty = [
        report(
            "callout-empty",
            page.file,
            line,
            f'the "{kind}" box has no text, so it shows an empty box and its text below it. Indent each line of '
            "the box's text by four spaces.",
        )
        for kind, line in _each_line(callouts.processor.empty, lines, "!!! ")
    ]
    return empty + [
        report(
            "callout-type",
            page.file,
            line,
            f'unknown callout type "{kind}".{did_you_mean(kind, DEFAULT_TITLES)} '
            f"Use one of: {', '.join(DEFAULT_TITLES)}.",
        )
        for kind, line in _each_line(kinds, lines, "!!! ")
    ]
