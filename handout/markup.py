"""Stage 3: Markdown to HTML, recording what the site model needs: headings, anchors and outgoing links."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import markdown

from .config import SiteConfig
from .markdown_ext.callouts import DEFAULT_TITLES, CalloutExtension
from .markdown_ext.crosslinks import CrossLinkExtension
from .problems import Problem, did_you_mean, error, warning
from .reader import SourcePage


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


@dataclass(frozen=True)
class ParsedPage:
    source: SourcePage
    html: str
    headings: tuple[Heading, ...]
    ids: frozenset[str]
    links: tuple[Link, ...]


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

    def __init__(self, config: SiteConfig, page_urls: Mapping[str, str]):
        self._links = CrossLinkExtension(page_urls)
        self._callouts = CalloutExtension(config.contact)
        self._md = markdown.Markdown(
            extensions=[*BUILTIN_EXTENSIONS, self._callouts, self._links],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )

    def parse(self, page: SourcePage) -> tuple[ParsedPage, list[Problem]]:
        self._md.reset()
        self._links.context.path, self._links.context.url = page.path, page.url
        html = self._md.convert(page.body)
        lines = SourceLines(page.body, page.body_line)
        headings = tuple(_flatten(self._md.toc_tokens))
        links = tuple(_located(self._links.processor.links, lines))
        problems = _heading_problems(page, headings, lines) + _callout_problems(page, lines, self._callouts)
        return ParsedPage(page, html, headings, frozenset(self._links.processor.ids), links), problems


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


def _flatten(tokens: Iterable[dict]) -> Iterable[Heading]:
    for token in tokens:
        yield Heading(token["level"], token["id"], token["name"])
        yield from _flatten(token["children"])


def _located(written, lines: SourceLines) -> Iterable[Link]:
    seen: dict[str, int] = {}
    for link in written:
        nth = seen.get(link.written, 0)
        seen[link.written] = nth + 1
        yield Link(link.written, link.target, link.anchor, lines.find(link.written, nth))


def _heading_problems(page: SourcePage, headings: tuple[Heading, ...], lines: SourceLines) -> list[Problem]:
    problems = []
    heading_lines = lines.heading_lines()
    previous = 1
    for i, heading in enumerate(headings):
        line = heading_lines[i][1] if i < len(heading_lines) else lines.first_line
        if heading.level == 1:
            problems.append(
                error(
                    "heading-level-1",
                    page.file,
                    line,
                    f'"# {heading.text}" is a level-1 heading, but the page title is the only one. '
                    "Use ## for the sections of the page.",
                )
            )
        elif heading.level > previous + 1:
            problems.append(
                warning(
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
    problems, seen = [], {}
    for unknown in callouts.processor.unknown:
        nth = seen.get(unknown.kind, 0)
        seen[unknown.kind] = nth + 1
        problems.append(
            error(
                "callout-type",
                page.file,
                lines.find(f"!!! {unknown.kind}", nth),
                f'unknown callout type "{unknown.kind}".{did_you_mean(unknown.kind, DEFAULT_TITLES)} '
                f"Use one of: {', '.join(DEFAULT_TITLES)}.",
            )
        )
    return problems
