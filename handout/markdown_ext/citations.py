"""Citations in the Pandoc form editors know: ``[@seer-breast]``, or ``[@a; @b]`` for several.

An inline pattern turns each citation into a placeholder; a tree processor then numbers the sources by first
appearance, walking the finished tree in document order, and records where each source was cited so the page's
source list can link back to every place.
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from ..problems import did_you_mean
from ..registers import Source
from .findings import Findings

CITATION = r"\[@([A-Za-z0-9_][\w:.-]*(?:\s*;\s*@[A-Za-z0-9_][\w:.-]*)*)\]"
PLACEHOLDER = "data-cite"  # attribute of the placeholder span; a stat adds one for its own source too


class CitationPattern(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's name)
        keys = [part.strip().lstrip("@") for part in m.group(1).split(";")]
        return ElementTree.Element("span", {PLACEHOLDER: ";".join(keys)}), m.start(0), m.end(0)


class CitationNumberer(Treeprocessor):
    def __init__(self, md: Markdown, sources: Mapping[str, Source], findings: Findings, sources_file: str):
        super().__init__(md)
        self.sources = sources
        self.findings = findings
        self.sources_file = sources_file
        self.cited: dict[str, list[str]] = {}  # source id -> ids of the markers citing it, in order of numbering

    def run(self, root: ElementTree.Element) -> None:
        self.cited = {}
        parents = {child: parent for parent in root.iter() for child in parent}
        for span in [el for el in root.iter("span") if PLACEHOLDER in el.attrib]:
            keys = span.attrib.pop(PLACEHOLDER).split(";")
            self._report_unknown(span, keys)  # before closing up, which can remove a line break before the marker
            _close_up(span, parents[span])
            self._render(span, keys)

    def _report_unknown(self, marker: ElementTree.Element, keys: list[str]) -> None:
        for key in keys:
            if key not in self.sources:
                message = (
                    f'"[@{key}]" cites a source that is not in {self.sources_file}.{did_you_mean(key, self.sources)} '
                    "Add the source there, or fix the id."
                )
                self.findings.report("citation-unknown", marker, message)

    def _render(self, marker: ElementTree.Element, keys: list[str]) -> None:
        marker.tag = "sup"
        marker.set("class", "cite")
        _hidden_text(marker, "[")
        known = [key for key in keys if key in self.sources]
        for i, key in enumerate(known):
            anchors = self.cited.setdefault(key, [])
            number = list(self.cited).index(key) + 1
            anchors.append(f"cite-{number}-{len(anchors) + 1}")
            link = ElementTree.SubElement(
                marker, "a", {"class": "cite-link", "href": f"#source-{number}", "id": anchors[-1]}
            )
            label = ElementTree.SubElement(link, "span", {"class": "visually-hidden"})
            label.text = "Source "
            label.tail = str(number)
            if i < len(known) - 1:
                link.tail = ", "
        if not known:
            marker.append(_bracket("?"))
        marker.append(_bracket("]"))


def _close_up(marker: ElementTree.Element, parent: ElementTree.Element) -> None:
    """Editors write "a claim [@key]." as Pandoc does; the marker belongs against the word: "a claim[1]."."""
    position = list(parent).index(marker)
    if position == 0:
        parent.text = parent.text.rstrip() if parent.text else parent.text
    else:
        before = parent[position - 1]
        before.tail = before.tail.rstrip() if before.tail else before.tail


def _hidden_text(marker: ElementTree.Element, text: str) -> None:
    marker.text = None
    marker.append(_bracket(text))


def _bracket(text: str) -> ElementTree.Element:
    # Brackets help sighted readers; screen readers already announce "Source 3".
    span = ElementTree.Element("span", {"aria-hidden": "true"})
    span.text = text
    return span


class CitationExtension(Extension):
    def __init__(self, sources: Mapping[str, Source], findings: Findings, sources_file: str):
        super().__init__()
        self.sources = sources
        self.findings = findings
        self.sources_file = sources_file
        self.numberer: CitationNumberer | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # Before the reference-link pattern (170), which would otherwise read "[@key]" as a link label.
        md.inlinePatterns.register(CitationPattern(CITATION, md), "citation", 175)
        self.numberer = CitationNumberer(md, self.sources, self.findings, self.sources_file)
        # After inline patterns (20) and the statistics processor (19), which adds citations of its own.
        md.treeprocessors.register(self.numberer, "citations", 18)
