"""Tables: each is wrapped in a box that scrolls sideways when the table is wider than a small screen, so the
page itself never does. A box that scrolls must be reachable by keyboard and named for screen readers, so it is a
focusable group labelled by its first column heading (a group, not a region: not a landmark to be told apart)."""

from __future__ import annotations

from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class TableWrapper(Treeprocessor):
    def run(self, root: ElementTree.Element) -> None:
        for parent in list(root.iter()):
            for position, child in enumerate(list(parent)):
                if child.tag == "table":
                    parent[position] = _wrapped(child)


def _wrapped(table: ElementTree.Element) -> ElementTree.Element:
    heading = next(table.iter("th"), None)
    label = "".join(heading.itertext()).strip() if heading is not None else ""
    box = ElementTree.Element(
        "div",
        {
            "class": "table-scroll",
            "role": "group",
            "tabindex": "0",
            "aria-label": f"Table: {label}" if label else "Table",
        },
    )
    box.append(table)
    return box


class TableExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.treeprocessors.register(TableWrapper(md), "table-scroll", 3)
