"""Statistics from the register, written ``[32.6%](stat:seer-distant-5yr)``: in a Markdown preview that reads as
the number; on the site the register's value is shown, with its source cited and what it measures, in whom and
when a tap away. Any other percentage or "N in N" figure in the prose is reported, so every number has one home.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..registers import Stat
from .citations import PLACEHOLDER

SCHEME = "stat:"
_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|thousand"
FIGURE = re.compile(
    rf"\b\d+(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b)"
    rf"|\b(?:\d+|{_NUMBER_WORDS})\s+(?:in|out of)\s+(?:\d[\d,]*|{_NUMBER_WORDS})\b",
    re.IGNORECASE,
)
NOT_PROSE = {"code", "pre", "script", "style"}


def figures(text: str) -> list[str]:
    """Percentages and "N in N" figures in ``text``."""
    return [m.group(0) for m in FIGURE.finditer(text)]


class StatProcessor(Treeprocessor):
    def __init__(self, md: Markdown, stats: Mapping[str, Stat]):
        super().__init__(md)
        self.stats = stats
        self.used: list[str] = []
        self.unknown: list[str] = []
        self.mismatched: list[tuple[str, str]] = []  # (stat id, the text the editor wrote)
        self.unregistered: list[str] = []

    def run(self, root: ElementTree.Element) -> None:
        self.used, self.unknown, self.mismatched = [], [], []
        parents = {child: parent for parent in root.iter() for child in parent}
        for link in [a for a in root.iter("a") if a.get("href", "").startswith(SCHEME)]:
            self._insert(link, parents[link])
        self.unregistered = [figure for text in _prose(root) for figure in figures(text)]

    def _insert(self, link: ElementTree.Element, parent: ElementTree.Element) -> None:
        key = link.get("href", "")[len(SCHEME) :]
        stat = self.stats.get(key)
        if stat is None:
            self.unknown.append(key)
            return
        written = "".join(link.itertext()).strip()
        if written and written != stat.value:
            self.mismatched.append((key, written))
        for child in list(link):
            link.remove(child)
        link.text = stat.value
        link.attrib = {
            "class": "stat",
            "href": f"#number-{key}",
            "aria-describedby": f"number-{key}-about",
            "data-popover": f"number-{key}-about",
        }
        cite = ElementTree.Element("span", {PLACEHOLDER: stat.source})
        cite.tail, link.tail = link.tail, None
        parent.insert(list(parent).index(link) + 1, cite)
        if key not in self.used:
            self.used.append(key)


def _prose(element: ElementTree.Element) -> Iterator[str]:
    """Text a reader sees as prose: not code, and not the statistics already taken from the register."""
    if element.tag not in NOT_PROSE and element.get("class") != "stat":
        if element.text:
            yield element.text
        for child in element:
            yield from _prose(child)
    # A child's tail belongs to its parent's text, whatever the child is.
    if element.tail:
        yield element.tail


class StatExtension(Extension):
    def __init__(self, stats: Mapping[str, Stat]):
        super().__init__()
        self.stats = stats
        self.processor: StatProcessor | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.processor = StatProcessor(md, self.stats)
        md.treeprocessors.register(self.processor, "stats", 19)
