"""The one channel through which the site's Markdown extensions report problems, each at the line it comes from.

Python-Markdown's idiom for results (as ``toc`` keeps ``toc_tokens``): they live on an extension and
``Markdown.reset()`` clears them. Lines come from the parse, not from searching the text afterwards: while the tree
is still the block parser's (before inline patterns run), each block element is matched, in document order, to the
source line it starts on; a finding inside a block (a citation, a link, a number) adds the line breaks that come
before it within that block. So "[@acs]" on line 9 is reported on line 9 even when "[@acs-treatment]" is on line 7,
and an underlined (setext) heading moves no later heading's line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER

# What starts a block's line before its text: indentation, list markers, heading marks, quotes, table pipes and
# definition markers. A block's text begins right after them.
BLOCK_SYNTAX = re.compile(r"^\s*(?:(?:[-*+]|\d+[.)])\s+|#{1,6}\s+|>\s?|\|\s*|:\s+|\[\^[^\]]*\]:\s*)*")
# How far past the last placed block a block's first line is looked for by its start; beyond that, only a line that
# is exactly the block's first line counts. Looking through the whole rest of the page for every block that cannot
# be placed (generated text) would make long pages take quadratic time.
NEAR = 200
STASHED = "\x02"  # starts Python-Markdown's placeholder for stashed code and HTML
_PLACEHOLDERS = re.compile("\x02[^\x03]*\x03")
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


class _Backtick(BacktickInlineProcessor):
    """Python-Markdown's code spans, noting the line breaks a span's trimming drops ("`code\n`"), so that
    what follows it on the page keeps its line."""

    def __init__(self, pattern: str, findings: Findings):
        super().__init__(pattern)
        self.findings = findings

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 (Python-Markdown's name)
        element, begin, end = super().handleMatch(m, data)
        if isinstance(element, ElementTree.Element) and end is not None:
            lost = data[begin:end].count("\n") - (element.text or "").count("\n")
            if lost:
                self.findings.dropped_breaks[element] = lost
        return element, begin, end


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
        self._starts: list[str | None] = []  # each source line without its block syntax; None inside fenced code
        self.dropped_breaks: dict[ElementTree.Element, int] = {}
        self._exact: dict[str, list[int]] = {}  # the lines on which each such text stands

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        self.md = md  # its stash holds the raw HTML blocks the tree only has placeholders for
        # After normalize_whitespace (30), which expands tabs as the tree will have them; before fenced code (25).
        md.preprocessors.register(_KeepSource(md, self), "keep_source", 29)
        # After the block parser and the footnote processor (50), before callouts (25) and inline patterns (20).
        md.treeprocessors.register(_PlaceBlocks(md, self), "place_blocks", 35)
        md.inlinePatterns.register(_Backtick(BACKTICK_RE, self), "backtick", 190)

    def reset(self) -> None:
        self.found, self.source, self.root, self._block_lines, self._parents = [], [], None, {}, {}
        self._starts, self._exact, self.dropped_breaks = [], {}, {}

    def report(self, rule: str, element: ElementTree.Element, message: str, text: tuple[bool, int] | None = None):
        """A problem at ``element``; with ``text`` = (in its tail?, offset), at that place in its text or tail."""
        self.found.append(Finding(rule, self.line_of(element, text), message))

    # Where things are.

    def place_blocks(self, root: ElementTree.Element) -> None:
        self.root = root
        fenced = _fenced_lines(self.source)
        self._starts = [None if i in fenced else BLOCK_SYNTAX.sub("", line, 1) for i, line in enumerate(self.source)]
        self._exact = {}
        for i, start in enumerate(self._starts):
            if start is not None:
                self._exact.setdefault(start.strip(), []).append(i)
        cursor = 0
        for element in root.iter():
            line = self._find(element, cursor)
            if line is None:
                continue
            self._block_lines[element] = cursor = line
            if len(element) == 0 and element.tag not in ("td", "th"):
                # A block with nothing inside it ends where its text does: the next one starts after it.
                cursor = line + (element.text or "").count("\n") + 1

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
        before = "" if block is element else "".join(_walk_until(block, element, [False], self.dropped_breaks))
        if text is not None:
            in_tail, offset = text
            inside = "".join(_walk_until(element, None, [False], self.dropped_breaks)) if in_tail else ""
            inside += "\n" if in_tail and element.tag == "br" else ""
            before += inside + ((element.tail or "")[:offset] if in_tail else (element.text or "")[:offset])
        return self._block_lines[block] + before.count("\n")

    def _find(self, element: ElementTree.Element, cursor: int) -> int | None:
        starts = self._starts
        near = range(cursor, min(cursor + NEAR, len(starts)))
        if "admonition" in (element.get("class") or "").split():
            return next((i for i in near if starts[i] is not None and self.source[i].lstrip().startswith("!!!")), None)
        first = next((part.strip() for part in (element.text or "").split("\n") if part.strip()), "")
        # A raw HTML block is only a placeholder; a footnote's text has its back-link's placeholder after it.
        stashed = first.startswith(STASHED)
        first = self._stashed_first_line(first) if stashed else _PLACEHOLDERS.sub("", first).strip()
        if not first:
            return None
        if element.tag in ("td", "th") or element.get("class") == "admonition-title":
            return next((i for i in near if starts[i] is not None and first in self.source[i]), None)
        found = next((i for i in near if starts[i] is not None and starts[i].startswith(first)), None)
        if found is None:
            later = self._exact.get(first, [])
            at = bisect.bisect_left(later, cursor)
            found = later[at] if at < len(later) else None
        return found

    def _stashed_first_line(self, placeholder: str) -> str:
        """A raw HTML block is only a placeholder in the tree: its place is where its own first line is."""
        m = PLACEHOLDER.match(placeholder)
        blocks = self.md.htmlStash.rawHtmlBlocks if self.md else []
        if not m or int(m.group(1)) >= len(blocks) or not isinstance(blocks[int(m.group(1))], str):
            return ""
        return next((part.strip() for part in blocks[int(m.group(1))].split("\n") if part.strip()), "")


def _fenced_lines(lines: list[str]) -> set[int]:
    """Lines inside fenced code, fences included. A fence never closed fences nothing: Markdown shows it as text."""
    fenced: set[int] = set()
    start, fence = 0, None
    for i, line in enumerate(lines):
        marker = line.lstrip()[:3]
        if marker not in ("```", "~~~") or fence not in (None, marker):
            continue
        if fence:
            fenced.update(range(start, i + 1))
            fence = None
        else:
            start, fence = i, marker
    return fenced


def _walk_until(
    node: ElementTree.Element, target: ElementTree.Element | None, done: list[bool], dropped: dict
) -> Iterator[str]:
    """The text of ``node`` that comes before ``target`` (all of it for None), in document order, with the line
    breaks the inline patterns took out put back."""
    yield node.text or ""
    yield "\n" * dropped.get(node, 0)
    for child in node:
        if child is target:
            done[0] = True
            return
        if child.tag == "br":
            yield "\n"  # a hard line break ("  " at a line's end) took the line's own newline
        yield from _walk_until(child, target, done, dropped)
        if done[0]:
            return
        yield child.tail or ""
