"""Text that would make Python-Markdown take minutes, or overflow the stack, stopped before it is parsed.

Python-Markdown looks for the end of each "[" and "<" from where it starts, so a paragraph of thousands of them takes
time that grows with the square of its length (Python-Markdown issue #798); and each level of nesting (a list in a
list, a box in a box) is one level of recursion, so a few hundred levels crash it. No page a patient reads comes near
either limit: the paragraph or line is reported, and made plain text so the rest of the page is still checked.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from .findings import Finding, Findings

MAX_OPENERS = 200  # "[" or "<" in one paragraph; the guide's busiest has 10
MAX_DEPTH = 12  # levels of lists, quotes or indentation on one line
_NESTING = re.compile(r"^(?:\s*(?:[-*+]|\d+[.)]|>)(?=\s))+")
_MARKER = re.compile(r"[-*+]|\d+[.)]|>")
INDENT = 4


class _Limits(Preprocessor):
    def __init__(self, md: Markdown, findings: Findings):
        super().__init__(md)
        self.findings = findings

    def run(self, lines: list[str]) -> list[str]:
        lines = [self._flatten(i, line) for i, line in enumerate(lines)]
        start = 0
        for i in range(len(lines) + 1):
            if i == len(lines) or not lines[i].strip():
                self._paragraph(lines, start, i)
                start = i + 1
        return lines

    def _flatten(self, i: int, line: str) -> str:
        nesting = _NESTING.match(line)
        markers = len(_MARKER.findall(nesting.group(0))) if nesting else 0
        indent = (len(line) - len(line.lstrip(" "))) // INDENT
        if max(markers, indent) <= MAX_DEPTH:
            return line
        message = (
            f"this line is nested {max(markers, indent)} levels deep (lists, quotes or indentation), more than the "
            f"{MAX_DEPTH} the page can show. Use fewer levels."
        )
        self.findings.found.append(Finding("markdown-too-complex", i, message))
        return line[nesting.end() :].lstrip() if nesting else line.lstrip()

    def _paragraph(self, lines: list[str], start: int, end: int) -> None:
        for opener, plain in (("[", "\\["), ("<", "&lt;")):
            count = sum(lines[i].count(opener) for i in range(start, end))
            if count <= MAX_OPENERS:
                continue
            message = (
                f'this paragraph has {count} "{opener}" characters, more than the {MAX_OPENERS} the Markdown '
                "parser can read in good time. Split it, or remove the ones that are not links or HTML."
            )
            self.findings.found.append(Finding("markdown-too-complex", start, message))
            for i in range(start, end):
                lines[i] = lines[i].replace(opener, plain)


class LimitsExtension(Extension):
    def __init__(self, findings: Findings):
        super().__init__()
        self.findings = findings

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # Right after the source lines are kept (29), before fenced code (25) and raw HTML (20) read them.
        md.preprocessors.register(_Limits(md, self.findings), "limits", 28)
