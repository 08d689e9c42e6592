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

from ..problems import did_you_mean
from ..registers import Stat
from .citations import PLACEHOLDER
from .findings import Findings

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
    def __init__(self, md: Markdown, stats: Mapping[str, Stat], findings: Findings, stats_file: str):
        super().__init__(md)
        self.stats = stats
        self.findings = findings
        self.stats_file = stats_file
        self.used: list[str] = []

    def run(self, root: ElementTree.Element) -> None:
        self.used = []
        # Plain figures first, while every text is where the editor wrote it.
        for owner, in_tail, text in _prose(root):
            for m in FIGURE.finditer(text):
                self._unregistered(owner, in_tail, m)
        parents = {child: parent for parent in root.iter() for child in parent}
        for link in [a for a in root.iter("a") if a.get("href", "").startswith(SCHEME)]:
            self._insert(link, parents[link])

    def _unregistered(self, owner: ElementTree.Element, in_tail: bool, m: re.Match[str]) -> None:
        figure = m.group(0)
        message = (
            f'"{figure}" looks like a statistic but does not come from {self.stats_file}. Add it there '
            f"and write it as [{figure}](stat:ID), so its source and period travel with it."
        )
        self.findings.report("stat-unregistered", owner, message, text=(in_tail, m.start()))

    def _insert(self, link: ElementTree.Element, parent: ElementTree.Element) -> None:
        key = link.get("href", "")[len(SCHEME) :]
        stat = self.stats.get(key)
        if stat is None:
            message = (
                f'"stat:{key}" is not a statistic in {self.stats_file}.{did_you_mean(key, self.stats)}'
                " Add it there, or fix the id."
            )
            self.findings.report("stat-unknown", link, message)
            return
        written = "".join(link.itertext()).strip()
        if written and written != stat.value:
            message = (
                f'the link text "{written}" differs from the register\'s value for "{key}" ({stat.value}); the page '
                f"shows {stat.value}. Change the text to {stat.value} so the Markdown preview says the same."
            )
            self.findings.report("stat-text-mismatch", link, message)
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


def _prose(element: ElementTree.Element) -> Iterator[tuple[ElementTree.Element, bool, str]]:
    """Text a reader sees as prose, with where it is (the element, and whether in its tail): not code, and not the
    statistics written as links to the register."""
    href = element.get("href") or ""
    if element.tag not in NOT_PROSE and element.get("class") != "stat" and not href.startswith(SCHEME):
        if element.text:
            yield element, False, element.text
        for child in element:
            yield from _prose(child)
    # A child's tail belongs to its parent's text, whatever the child is.
    if element.tail:
        yield element, True, element.tail


class StatExtension(Extension):
    def __init__(self, stats: Mapping[str, Stat], findings: Findings, stats_file: str):
        super().__init__()
        self.stats = stats
        self.findings = findings
        self.stats_file = stats_file
        self.processor: StatProcessor | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.processor = StatProcessor(md, self.stats, self.findings, self.stats_file)
        md.treeprocessors.register(self.processor, "stats", 19)
