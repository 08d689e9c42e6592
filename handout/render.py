"""Stage 5: render the site model through Jinja2 templates into files, in memory. Nothing is written here."""

from __future__ import annotations

import datetime as dt
import functools
import sys
import traceback
import urllib.parse
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
import segno
from jinja2.loaders import split_template_path
from markupsafe import Markup
from pygments.formatters import HtmlFormatter

from . import security, sourcefiles, urls
from .combine import end_matter, nest
from .config import tel_href
from .model import GlossaryEntry, Page, SectionIndex, Site
from .problems import Problem, shown_path
from .reader import PageKind
from .rules import report
from .search import search_files
from .structured_data import glossary_data, page_data
from .urls import CHANGES_URL, GLOSSARY_URL, PRINT_SLUG, SEARCH_URL, SOURCES_URL

TEMPLATES = {PageKind.HOME: "home.html", PageKind.ARTICLE: "article.html", PageKind.PAGE: "page.html"}


@dataclass(frozen=True)
class Output:
    path: str  # inside the output folder
    data: bytes


class _ContainedLoader(jinja2.FileSystemLoader):
    """Opens a template only when it really is inside the templates folder. A linked file that leads elsewhere is
    reported when the folder is read (path-outside); here it is never opened, so the build cannot publish it."""

    def get_source(self, environment: jinja2.Environment, template: str):
        for folder in self.searchpath:
            path = Path(folder, *split_template_path(template))
            if path.is_file() and not sourcefiles.inside(path, Path(folder)):
                raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


def make_environment(templates_dir: Path, live_reload: bool = False) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_ContainedLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["url"] = _url
    env.globals["live_reload"] = live_reload
    env.globals["content_security_policy"] = Markup(security.content_security_policy(live_reload=live_reload))
    env.globals["referrer_policy"] = security.REFERRER_POLICY
    env.globals["glossary_url"] = GLOSSARY_URL
    env.globals["sources_url"] = SOURCES_URL
    env.globals["search_url"] = SEARCH_URL
    env.globals["changes_url"] = CHANGES_URL
    # Per build: each article's code is drawn for its own page and again for its section's printable page.
    env.globals["qr_code"] = functools.cache(qr_code)
    env.filters["nest"] = lambda html, prefix, shared=None: Markup(nest(str(html), prefix, shared))
    env.filters["long_date"] = _long_date
    env.filters["tel_href"] = tel_href
    return env


@jinja2.pass_context
def _long_date(context: jinja2.runtime.Context, day: dt.date) -> str:
    return long_date(day, context["config"].language)


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: str) -> str:
    """A link from the page being rendered to ``target`` (site-root-relative)."""
    if context.get("absolute_base"):
        return context["absolute_base"] + target
    return urls.relative(context["page_url"], target)


def qr_code(text: str) -> Markup:
    """A QR code for printed pages, drawn as SVG at build time (no image files, no styles: CSP-safe)."""
    svg = segno.make(text, error="m").svg_inline(scale=2, border=0, title=f"QR code for {text}", svgclass="qr")
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


MONTH_FIRST_REGIONS = frozenset({"US", "PH", "FM", "MH", "PW"})  # where "November 30, 2026" is the usual form


def long_date(day: dt.date, language: str = "en") -> str:
    """A date as readers of the site's language write it; print.js writes the printed-on date the same way."""
    region = language.partition("-")[2].upper()
    if region in MONTH_FIRST_REGIONS:
        return f"{day:%B} {day.day}, {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def render_site(site: Site, env: jinja2.Environment) -> tuple[list[Output], list[Problem]]:
    """Render every output file. Problems in templates are collected, page by page, not raised."""
    outputs: list[Output] = []
    # One template mistake fails every page that uses it: it is reported once, with the pages it failed.
    problems: dict[Problem, list[str]] = {}
    common = {"site": site, "config": site.config, "contact": site.config.contact}

    def emit(path: str, template: str, **context: Any) -> None:
        text, problem = _render(env, template, {**common, **context})
        if problem is not None:
            problems.setdefault(problem, []).append(_subject(context))
        else:
            outputs.append(Output(path, text.encode("utf-8")))

    for page in site.pages:
        emit(
            urls.output_file(page.url),
            TEMPLATES[page.source.kind],
            page=page,
            page_url=page.url,
            canonical=page.url,
            jsonld=page_data(site, page),
        )
    by_url = {page.url: page for page in site.pages}
    for section in site.sections:
        emit(
            urls.output_file(section.url), "section.html", section=section, page_url=section.url, canonical=section.url
        )
        if section.articles:
            pages = [by_url[a.url] for a in section.articles]
            emit(
                urls.output_file(section.url + PRINT_SLUG + "/"),
                "section-print.html",
                section=section,
                pages=pages,
                # One word list and one source list for the whole printout, after its last article.
                end=end_matter(pages),
                page_url=section.url + PRINT_SLUG + "/",
            )
    if site.glossary:
        emit(
            urls.output_file(GLOSSARY_URL),
            "glossary.html",
            page_url=GLOSSARY_URL,
            canonical=GLOSSARY_URL,
            letters=glossary_letters(site.glossary),
            anchors={e.term.name: e.term.anchor for e in site.glossary},
            sources={e.source.id: e.source for e in site.sources},
            jsonld=glossary_data(site),
        )
    if site.sources:
        emit(urls.output_file(SOURCES_URL), "sources.html", page_url=SOURCES_URL, canonical=SOURCES_URL)
    emit("404.html", "404.html", page_url="", absolute_base=site.config.base_url)
    emit("sitemap.xml", "sitemap.xml", page_url="", absolute_base=site.config.base_url, entries=sitemap_entries(site))
    emit("robots.txt", "robots.txt", page_url="", absolute_base=site.config.base_url)
    emit(urls.output_file(SEARCH_URL), "search.html", page_url=SEARCH_URL, canonical=SEARCH_URL)
    emit(urls.output_file(CHANGES_URL), "changes.html", page_url=CHANGES_URL, canonical=CHANGES_URL)
    emit(
        "feed.xml",
        "feed.xml",
        page_url="",
        absolute_base=site.config.base_url,
        feed_id=_feed_id(site),
        updated=_feed_updated(site),
    )
    outputs += [Output(path, data) for path, data in search_files(site)]
    outputs.append(Output("static/highlight.css", highlight_css().encode("utf-8")))
    outputs.append(Output("_headers", security.headers_file().encode("utf-8")))
    return outputs, [_with_subjects(problem, subjects) for problem, subjects in problems.items()]


def _feed_id(site: Site) -> str:
    if site.config.base_url:
        return site.config.base_url + "feed.xml"
    return "urn:handout:feed:" + urllib.parse.quote(site.config.title)  # an IRI has no spaces


def _feed_updated(site: Site) -> dt.date:
    """The newest change; with none, the newest check of any page. Never the build's own date: builds of the same
    content are identical."""
    if site.changes:
        return site.changes[0].date
    return max((p.meta.reviewed for p in site.pages), default=dt.date(2000, 1, 1))


def _with_subjects(problem: Problem, subjects: list[str]) -> Problem:
    if problem.rule != "template-error":
        return problem
    more = len(subjects) - 1
    others = f" and {more} other page{'s' if more > 1 else ''}" if more else ""
    fix = "Fix the template, or the data it uses."
    return replace(problem, message=f"{problem.message}, while rendering {subjects[0]}{others}. {fix}")


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: dt.date | None


def sitemap_entries(site: Site) -> list[SitemapEntry]:
    entries = [SitemapEntry(p.url, p.meta.reviewed) for p in site.pages]
    entries += [SitemapEntry(s.url, None) for s in site.sections]
    entries += [
        SitemapEntry(url, None)
        for url, present in ((GLOSSARY_URL, site.glossary), (SOURCES_URL, site.sources))
        if present
    ]
    return sorted(entries, key=lambda e: e.url)


def glossary_letters(entries: tuple[GlossaryEntry, ...]) -> list[tuple[str, list[GlossaryEntry]]]:
    """Every letter A to Z with its entries (empty ones too, for the jump list), and "#" first for the rest."""
    groups: dict[str, list[GlossaryEntry]] = {letter: [] for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    others: list[GlossaryEntry] = []
    for entry in entries:
        first = entry.term.name[:1].upper()
        groups.get(first, others).append(entry)
    return ([("#", others)] if others else []) + list(groups.items())


def highlight_css() -> str:
    """Pygments colours for code blocks, light and dark, generated so they always match the installed Pygments."""
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


def _render(env: jinja2.Environment, template: str, context: dict) -> tuple[str, Problem | None]:
    try:
        return env.get_template(template).render(context), None
    except jinja2.TemplateSyntaxError as exc:
        return "", report(
            "template-syntax",
            shown_path(exc.filename or template),
            exc.lineno,
            f"template syntax error: {(exc.message or '').rstrip('.')}. Fix this line of the template.",
        )
    except jinja2.TemplateNotFound as exc:
        return "", report(
            "template-missing",
            shown_path(Path(env.loader.searchpath[0]) / str(exc.name)),
            0,
            "this template is missing. Restore it from the project's templates/ folder.",
        )
    except Exception as exc:  # any template failure must become a message, never a traceback
        file, line = _template_frame(exc, env)
        return "", report("template-error", file, line, f"{type(exc).__name__}: {str(exc).rstrip('.')}")


def _subject(context: dict) -> str:
    page: Page | None = context.get("page")
    section: SectionIndex | None = context.get("section")
    if page is not None:
        return page.source.file
    if section is not None:
        return f'the "{section.section.slug}" section page'
    return "a site-wide page"


def _template_frame(exc: Exception, env: jinja2.Environment) -> tuple[str, int]:
    """The innermost template line in the traceback: Jinja maps its frames back to template files."""
    roots = [str(Path(p).resolve()) for p in env.loader.searchpath]
    found: tuple[str, int] = ("templates", 0)
    for frame in traceback.extract_tb(exc.__traceback__ or sys.exc_info()[2]):
        if any(str(Path(frame.filename).resolve()).startswith(root) for root in roots):
            found = (shown_path(frame.filename), frame.lineno or 0)
    return found
