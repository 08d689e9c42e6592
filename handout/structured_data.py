"""schema.org JSON-LD: what search engines and assistants read instead of the page. Built from the site model.

- articles and pages: MedicalWebPage (reviewedBy only when a clinician really reviewed it, citations from the
  page's own sources, "about" the condition named in the config) and their BreadcrumbList;
- the page marked ``faq: true``: FAQPage, one Question per ``##`` heading that asks one;
- the glossary: DefinedTermSet.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from . import urls
from .model import Page, Site
from .registers import Source


def dump(data: Any) -> str:
    # Inside <script>, "<!--" and "</script" change how the browser reads the rest of the page: JSON may write
    # <, > and & as escapes, so none of them appears as itself.
    # Not indented: json writes indented output in Python, and plain output in C, several times faster.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _link(site: Site, here: str, url: str) -> str:
    """Absolute when the site's address is known; otherwise relative to the page the data sits in, since JSON-LD
    resolves relative addresses against that page."""
    return site.config.base_url + url if site.config.base_url else urls.relative(here, url)


def page_data(site: Site, page: Page) -> str:
    graph: list[dict] = [_web_page(site, page)]
    if page.breadcrumbs:
        graph.append(_breadcrumbs(site, page))
    if page.meta.faq:
        graph.append(_faq(site, page))
    return dump({"@context": "https://schema.org", "@graph": graph})


def _web_page(site: Site, page: Page) -> dict:
    meta = page.meta
    data: dict[str, Any] = {
        "@type": "MedicalWebPage",
        "@id": _link(site, page.url, page.url + "#page"),
        "url": _link(site, page.url, page.url),
        "name": meta.title,
        "description": meta.summary,
        "inLanguage": site.config.language,
        "isPartOf": {"@type": "WebSite", "name": site.config.title, "url": _link(site, page.url, "")},
    }
    # A clinician is named only for the very version they approved; a page changed since claims no review date.
    if page.review.current and page.review.date:
        data["lastReviewed"] = page.review.date.isoformat()
        data["reviewedBy"] = {"@type": "Person", "name": page.review.reviewer}
    elif page.review.state == "none":
        data["lastReviewed"] = meta.reviewed.isoformat()
    if site.config.condition:
        data["about"] = {"@type": "MedicalCondition", "name": site.config.condition}
    if page.citations:
        data["citation"] = [_creative_work(c.source) for c in page.citations]
    return data


def _creative_work(source: Source) -> dict:
    work: dict[str, Any] = {
        "@type": "ScholarlyArticle" if source.kind == "article" else "CreativeWork",
        "name": source.title,
    }
    if source.url:
        work["url"] = source.url
    if source.authors:
        work["author"] = source.authors
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.date or source.year:
        work["datePublished"] = source.date.isoformat() if source.date else str(source.year)
    return work


def _breadcrumbs(site: Site, page: Page) -> dict:
    items = []
    for position, crumb in enumerate(page.breadcrumbs, start=1):
        item = {"@type": "ListItem", "position": position, "name": crumb.title}
        item["item"] = _link(site, page.url, crumb.url if crumb.url is not None else page.url)
        items.append(item)
    return {"@type": "BreadcrumbList", "itemListElement": items}


class _Questions(HTMLParser):
    """Level-2 headings that end in "?" and the text up to the next level-2 heading."""

    def __init__(self):
        super().__init__()
        self.pairs: list[tuple[str, list[str]]] = []
        self.in_heading = False
        self.heading: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.in_heading, self.heading = True, []
        self.skip += tag in ("sup", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("sup", "script")
        if tag == "h2":
            self.in_heading = False
            self.pairs.append(("".join(self.heading).strip(), []))

    def handle_data(self, data):
        if self.skip:
            return
        if self.in_heading:
            self.heading.append(data)
        elif self.pairs:
            self.pairs[-1][1].append(data)


def questions(html: str) -> list[tuple[str, str]]:
    parser = _Questions()
    parser.feed(html)
    return [(q, re.sub(r"\s+", " ", "".join(a)).strip()) for q, a in parser.pairs if q.endswith("?")]


def _faq(site: Site, page: Page) -> dict:
    return {
        "@type": "FAQPage",
        "@id": _link(site, page.url, page.url + "#faq"),
        "mainEntity": [
            {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}}
            for q, a in questions(page.html)
        ],
    }


def glossary_data(site: Site) -> str:
    base = _link(site, urls.GLOSSARY_URL, urls.GLOSSARY_URL)
    return dump(
        {
            "@context": "https://schema.org",
            "@type": "DefinedTermSet",
            "@id": base + "#terms",
            "name": f"Glossary: {site.config.title}",
            "inLanguage": site.config.language,
            "hasDefinedTerm": [
                {
                    "@type": "DefinedTerm",
                    "@id": base + "#" + e.term.anchor,
                    "name": e.term.name,
                    "description": e.term.definition,
                    **({"alternateName": list(e.term.aliases)} if e.term.aliases else {}),
                    "inDefinedTermSet": base + "#terms",
                }
                for e in site.glossary
            ],
        }
    )
