"""Curly quotes, dashes and ellipses: Python-Markdown's smarty extension, with the same patterns made cheaper to look
for. Its output is the same, character for character (tests/test_typography.py holds the two together).

smarty passes every paragraph through eighteen patterns in turn, each a regular expression searched over the whole
text: a third of the time spent converting a page. Here:

- a pattern that needs a character the text lacks (a double quote, two dashes, three dots) is not searched at all;
- the patterns that begin by looking behind (a closing quote is one after a letter) begin with the quote instead,
  looking behind from after it, so the search jumps from quote to quote instead of trying every position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown import Markdown
from markdown.extensions import smarty

# What each pattern cannot match without: smarty's own patterns, by their text, so a pattern a later release changes
# is simply searched as it is.
_NEEDS = {
    smarty.singleQuoteStartRe: "'",
    smarty.doubleQuoteStartRe: '"',
    smarty.doubleQuoteSetsRe: "\"'",
    smarty.singleQuoteSetsRe: "'\"",
    smarty.doubleQuoteSetsRe2: "'\"",
    smarty.singleQuoteSetsRe2: "\"'",
    smarty.decadeAbbrRe: "'",
    smarty.openingSingleQuotesRegex: "'",
    smarty.closingSingleQuotesRegex: "'",
    smarty.closingSingleQuotesRegex2: "'",
    smarty.remainingSingleQuotesRegex: "'",
    smarty.openingDoubleQuotesRegex: '"',
    smarty.closingDoubleQuotesRegex: '"',
    smarty.closingDoubleQuotesRegex2: '"',
    smarty.remainingDoubleQuotesRegex: '"',
    r"(?<!-)---(?!-)": "---",
    r"(?<!-)--(?!-)": "--",
    r"(?<!\.)\.{3}(?!\.)": "...",
}
# (?<=C)' matches where ' follows a character of C; so does '(?<=C'), which looks behind from after the quote and
# covers the same text, but lets the search skip to each quote. The same for (?<!\w)'.
_QUOTE_FIRST = {
    smarty.closingSingleQuotesRegex: rf"'(?<={smarty.closeClass}')(?!\s|s\b|\d)",
    smarty.closingDoubleQuotesRegex2: rf'"(?<={smarty.closeClass}")',
    smarty.decadeAbbrRe: r"'(?<!\w')(?=\d{2}s)",
}


class _Needing:
    """A compiled pattern searched only in texts that hold ``needle``: Python-Markdown asks patterns for finditer."""

    def __init__(self, regex: re.Pattern[str], needle: str):
        self.regex, self.needle, self.pattern = regex, needle, regex.pattern

    def finditer(self, data: str, pos: int = 0) -> Iterator[re.Match[str]]:
        return self.regex.finditer(data, pos) if self.needle in data else iter(())


class TypographyExtension(smarty.SmartyExtension):
    """smarty, with its defaults: quotes, dashes and ellipses."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        super().extendMarkdown(md)
        for pattern in self.inlinePatterns:
            source = pattern.compiled_re.pattern
            regex = re.compile(_QUOTE_FIRST[source], re.DOTALL | re.UNICODE) if source in _QUOTE_FIRST else None
            needle = _NEEDS.get(source)
            if needle:
                pattern.compiled_re = _Needing(regex or pattern.compiled_re, needle)  # type: ignore[assignment]
