"""handout/markdown_ext/typography.py must write exactly what Python-Markdown's smarty writes."""

from __future__ import annotations

import markdown
import pytest
from project import REPO

from handout.markdown_ext.typography import TypographyExtension
from handout.markup import BUILTIN_EXTENSIONS, EXTENSION_CONFIGS

TEXTS = [
    "\"Hello,\" she said. 'Yes,' he said.",
    "It's the '90s, and rock 'n' roll isn't dead; the 1990s' music...",
    "Quotes at the start: 'single' and \"double\", then \"'nested'\" and '\"nested\"'.",
    "'Tis the season. \"'Quoted' inside\" then 'close\"' and \"close'\".",
    'After emphasis: *word*\'s end and **bold**" quote; `code\'s "quote"` stays.',
    "Dashes -- en, --- em, ---- four, a-b, and -- at line end --",
    "Dots... four.... two.. and ... alone. Ellipsis at end...",
    "A [link's \"title\"](https://example.org 'its \"title\"') and ![alt 'text'](img.png).",
    "(\"parenthesized\") ['bracketed'] {'braced'} -'dash' \u2013'en' \u2014\"em\" &nbsp;'entity'",
    "Numbers: 5' 10\" tall, the '20s, 'em, '\"' and \"'\".",
    '> "A quote" in a quote\'s block.\n\n- \'item\' one\n- "item" two',
    "Line with trailing quote'\nnext line \"\n\n'",
    # Each condition of the patterns handout rewrites, on both sides: a letter before the quote or not, and after
    # it a space, an "s" that ends the word, a digit, or two digits and an "s".
    "rock'90s and '90s; x'5, x' 5, x's, x'sy, ('5), -'90s, \"'90s; 'a'1 and it's.",
    'a"1, b" 2, ("3"), x"y, -"z, ["w"], end"',
]


def convert(text: str, extensions: list) -> str:
    return markdown.Markdown(extensions=extensions, extension_configs=EXTENSION_CONFIGS).convert(text)


def others() -> list:
    """The other extensions the site uses, which smarty's output depends on (code spans, links)."""
    return list(BUILTIN_EXTENSIONS)


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_quotes_dashes_and_ellipses_are_smartys(text):
    assert convert(text, [*others(), TypographyExtension()]) == convert(text, [*others(), "smarty"])


def test_every_page_of_the_site_is_as_smarty_writes_it():
    pages = sorted((REPO / "content").rglob("*.md"))
    assert pages
    ours = markdown.Markdown(extensions=[*others(), TypographyExtension()], extension_configs=EXTENSION_CONFIGS)
    smartys = markdown.Markdown(extensions=[*others(), "smarty"], extension_configs=EXTENSION_CONFIGS)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert ours.reset().convert(text) == smartys.reset().convert(text), page
