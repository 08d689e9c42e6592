"""``[RULES]`` on a line of its own becomes the table of every rule the build checks, from the catalogue.

The editors' guide uses it, so the list editors read is the list the build enforces, with this site's levels.
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.etree import ElementTree

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.util import AtomicString

from ..rules import RULES

MARKER = "[RULES]"
COLUMNS = ("Rule", "Normally", "What it means", "How to fix it")


class RuleListProcessor(BlockProcessor):
    def __init__(self, parser, levels: Mapping[str, str]):
        super().__init__(parser)
        self.levels = levels

    def test(self, parent: ElementTree.Element, block: str) -> bool:
        return block.strip() == MARKER

    def run(self, parent: ElementTree.Element, blocks: list[str]) -> None:
        blocks.pop(0)
        table = ElementTree.SubElement(parent, "table", {"class": "rule-list"})
        head = ElementTree.SubElement(ElementTree.SubElement(table, "thead"), "tr")
        for name in COLUMNS:
            ElementTree.SubElement(head, "th", {"scope": "col"}).text = name
        body = ElementTree.SubElement(table, "tbody")
        for rule in RULES.values():
            row = ElementTree.SubElement(body, "tr", {"id": f"rule-{rule.id}"})
            # Atomic: the rules' own words ("[@id]", "stat:") are examples, not citations or glossary terms.
            ElementTree.SubElement(ElementTree.SubElement(row, "th", {"scope": "row"}), "code").text = AtomicString(
                rule.id
            )
            for text in (level_text(rule.id, self.levels), rule.means, rule.fix):
                ElementTree.SubElement(row, "td").text = AtomicString(text)


def level_text(rule_id: str, levels: Mapping[str, str]) -> str:
    """How serious a rule is normally, and on this site when config.yaml says otherwise."""
    default = RULES[rule_id].severity.value
    chosen = levels.get(rule_id)
    if chosen and chosen != default:
        return f"{default} ({chosen} on this site)"
    return default + (" (always)" if RULES[rule_id].fixed else "")


class RuleListExtension(Extension):
    def __init__(self, levels: Mapping[str, str]):
        super().__init__()
        self.levels = levels

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # Before the paragraph processor (priority 10), which would otherwise take the marker as text.
        md.parser.blockprocessors.register(RuleListProcessor(md.parser, self.levels), "rule_list", 15)
