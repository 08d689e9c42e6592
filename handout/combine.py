"""Several pages rendered into one, for a section's printable page: ids must stay unique and headings must nest.

Each page's markup is rewritten with an HTML parser (never a pattern over the text): every id, and every same-page
reference to one (href="#...", aria-describedby, aria-labelledby, data-popover, for), gets the page's prefix, and
each heading moves one level down, so the combined page keeps a single h1 and an unbroken outline.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

ID_LISTS = ("aria-describedby", "aria-labelledby", "aria-controls", "data-popover", "for", "headers")
HEADINGS = ("h1", "h2", "h3", "h4", "h5")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Rewriter(HTMLParser):
    def __init__(self, prefix: str):
        super().__init__(convert_charrefs=False)
        self.prefix = prefix
        self.out: list[str] = []

    def _tag(self, tag: str) -> str:
        return f"h{int(tag[1]) + 1}" if tag in HEADINGS else tag

    def _attributes(self, attrs: list[tuple[str, str | None]]) -> str:
        parts = []
        for name, value in attrs:
            if value is None:
                parts.append(f" {name}")
                continue
            if name == "id":
                value = self.prefix + value
            elif name in ID_LISTS:
                value = " ".join(self.prefix + part for part in value.split())
            elif name == "href" and value.startswith("#") and len(value) > 1:
                value = "#" + self.prefix + value[1:]
            parts.append(f' {name}="{escape(value, quote=True)}"')
        return "".join(parts)

    def handle_starttag(self, tag, attrs):
        self.out.append(f"<{self._tag(tag)}{self._attributes(attrs)}>")

    def handle_startendtag(self, tag, attrs):
        self.out.append(f"<{self._tag(tag)}{self._attributes(attrs)}{'' if tag in VOID else ' /'}>")

    def handle_endtag(self, tag):
        self.out.append(f"</{self._tag(tag)}>")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")


def nest(fragment: str, prefix: str) -> str:
    """``fragment`` with its ids prefixed and its headings one level lower, ready to sit inside another page."""
    rewriter = _Rewriter(prefix)
    rewriter.feed(fragment)
    rewriter.close()
    return "".join(rewriter.out)
