"""The one channel through which the site's Markdown extensions report problems, each at the line it comes from.

Python-Markdown's idiom for results (as ``toc`` keeps ``toc_tokens``): they live on an extension and
``Markdown.reset()`` clears them. Lines come from the parse, not from searching the text afterwards: while the tree
is still the block parser's (before inline patterns run), each block element is matched, in document order, to the
source line it starts on; a finding inside a block (a citation, a link, a number) adds the line breaks that come
before it within that block. So "[@acs]" on line 9 is reported on line 9 even when "[@acs-treatment]" is on line 7,
and an underlined (setext) heading moves no later heading's line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER

# What starts a block's line before its text: indentation, list markers, heading marks, quotes, table pipes and
# definition markers. A block's text begins right after them.
BLOCK_SYNTAX = re.compile(r"^\s*(?:(?:[-*+]|\d+[.)])\s+|#{1,6}\s+|>\s?|\|\s*|:\s+)*")
STASHED = "\x02"  # starts Python-Markdown's placeholder for stashed code and HTML
PLACEHOLDER = re.compile(re.escape(HTML_PLACEHOLDER).replace("%s", r"(\d+)"))


@dataclass(frozen=True)
class Finding:
    rule: str
    line: int  # 0-based, in the Markdown text converted
    message: str


class _KeepSource(Preprocessor):
    """Runs first and changes nothing: the lines as written, before other preprocessors rewrite them."""

    def __init__(self, md: Markdown, findings: Findings):
        super().__init__(md)
        self.findings = findings

    def run(self, lines: list[str]) -> list[str]:
        self.findings.source = list(lines)
        return lines


class _PlaceBlocks(Treeprocessor):
    def __init__(self, md: Markdown, findings: Findings):
        super().__init__(md)
        self.findings = findings

    def run(self, root: ElementTree.Element) -> None:
        self.findings.place_blocks(root)


class Findings(Extension):
    def __init__(self) -> None:
        super().__init__()
        self.md: Markdown | None = None
        self.found: list[Finding] = []
        self.source: list[str] = []
        self.root: ElementTree.Element | None = None
        self._block_lines: dict[ElementTree.Element, int] = {}
        self._parents: dict[ElementTree.Element, ElementTree.Element] = {}

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.md = md  # its stash holds the raw HTML blocks the tree only has placeholders for
        md.preprocessors.register(_KeepSource(md, self), "keep_source", 100)
        # After the block parser and the footnote processor (50), before callouts (25) and inline patterns (20).
        md.treeprocessors.register(_PlaceBlocks(md, self), "place_blocks", 35)

    def reset(self) -> None:
        self.found, self.source, self.root, self._block_lines, self._parents = [], [], None, {}, {}

    def report(self, rule: str, element: ElementTree.Element, message: str, text: tuple[bool, int] | None = None):
        """A problem at ``element``; with ``text`` = (in its tail?, offset), at that place in its text or tail."""
        self.found.append(Finding(rule, self.line_of(element, text), message))

    # Where things are.

    def place_blocks(self, root: ElementTree.Element) -> None:
        self.root = root
        fenced = _fenced_lines(self.source)
        cursor = 0
        for element in root.iter():
            line = self._find(element, cursor, fenced)
            if line is not None:
                self._block_lines[element] = cursor = line

    def line_of(self, element: ElementTree.Element, text: tuple[bool, int] | None = None) -> int:
        """The 0-based source line of ``element`` (or of a place in its text), from its block and the line breaks
        before it in that block; the first line when it has no placed block (generated text)."""
        if self.root is None:
            return 0
        if element not in self._parents and element is not self.root:
            # Inline patterns and tree processors add elements after the blocks are placed: map them once more.
            self._parents = {child: parent for parent in self.root.iter() for child in parent}
        parents = self._parents
        block = element
        while block not in self._block_lines and block in parents:
            block = parents[block]
        if block not in self._block_lines:
            return 0
        before = "" if block is element else "".join(_text_before(block, element))
        if text is not None:
            in_tail, offset = text
            inside = "".join(element.itertext()) if in_tail else ""
            before += inside + ((element.tail or "")[:offset] if in_tail else (element.text or "")[:offset])
        return self._block_lines[block] + before.count("\n")

    def _find(self, element: ElementTree.Element, cursor: int, fenced: set[int]) -> int | None:
        lines = range(cursor, len(self.source))
        if "admonition" in (element.get("class") or "").split():
            return next((i for i in lines if i not in fenced and self.source[i].lstrip().startswith("!!!")), None)
        first = next((part.strip() for part in (element.text or "").split("\n") if part.strip()), "")
        if first.startswith(STASHED):
            first = self._stashed_first_line(first)
        if not first:
            return None
        if element.tag in ("td", "th") or element.get("class") == "admonition-title":
            return next((i for i in lines if i not in fenced and first in self.source[i]), None)
        return next(
            (i for i in lines if i not in fenced and BLOCK_SYNTAX.sub("", self.source[i], 1).startswith(first)), None
        )

    def _stashed_first_line(self, placeholder: str) -> str:
        """A raw HTML block is only a placeholder in the tree: its place is where its own first line is."""
        m = PLACEHOLDER.match(placeholder)
        blocks = self.md.htmlStash.rawHtmlBlocks if self.md else []
        if not m or int(m.group(1)) >= len(blocks) or not isinstance(blocks[int(m.group(1))], str):
            return ""
        return next((part.strip() for part in blocks[int(m.group(1))].split("\n") if part.strip()), "")


def _fenced_lines(lines: list[str]) -> set[int]:
    fenced, fence = set(), None
    for i, line in enumerate(lines):
        marker = line.lstrip()[:3]
        if marker in ("```", "~~~"):
            fence = None if fence == marker else (fence or marker)
            fenced.add(i)
        elif fence:
            fenced.add(i)
    return fenced


def _text_before(node: ElementTree.Element, target: ElementTree.Element) -> Iterator[str]:
    """The text of ``node`` that comes before ``target``, in document order (stops at the target)."""
    yield from _walk_until(node, target, [False])


def _walk_until(node: ElementTree.Element, target: ElementTree.Element, done: list[bool]) -> Iterator[str]:
    yield node.text or ""
    for child in node:
        if child is target:
            done[0] = True
            return
        yield from _walk_until(child, target, done)
        if done[0]:
            return
        yield child.tail or ""
