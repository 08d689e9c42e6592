"""Stage 5: render the site model through Jinja2 templates into files, each handed on as soon as it is made (to the
writer's staging folder, or nowhere for a check), so that a big site is never all in memory at once."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import sys
import traceback
import urllib.parse
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import Markup
from pygments.formatters import HtmlFormatter

from . import cms, security, sourcefiles, urls
from .combine import Target, end_matter, nest
from .config import tel_href
from .cores import keep, map_on_cores, recall
from .model import GlossaryEntry, Page, SectionIndex, Site
from .parsecache import engine_digest
from .problems import Problem, shown_path
from .reader import PageKind
from .rules import report
from .search import search_files
from .structured_data import glossary_data, page_data
from .urls import CHANGES_URL, GLOSSARY_URL, PRINT_SLUG, SEARCH_URL, SOURCES_URL

TEMPLATES = {PageKind.HOME: "home.html", PageKind.ARTICLE: "article.html", PageKind.PAGE: "page.html"}


# Where each rendered file goes, as its path inside the output folder and its bytes. It is called where the file is
# rendered, in a forked worker too: what it keeps there is lost, so it must store the file, not remember it.
Place = Callable[[str, bytes], None]


@dataclass(frozen=True)
class Output:
    """A rendered file held in memory: only the few pages ``serve`` shows before the rest (render_pages)."""

    path: str  # inside the output folder
    data: bytes


def discard(path: str, data: bytes) -> None:
    """For a build that will write nothing: ``check``, or one whose errors are already known."""


class _ContainedLoader(jinja2.FileSystemLoader):
    """Opens a template only when it really is inside the templates folder. A linked file that leads elsewhere is
    reported when the folder is read (path-outside); here it is never opened, so the build cannot publish it."""

    def get_source(self, environment: jinja2.Environment, template: str):
        for folder in self.searchpath:
            path = Path(folder, *split_template_path(template))
            if path.is_file() and not sourcefiles.inside(path, Path(folder)):
                raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


def make_environment(templates_dir: Path, live_reload: bool = False, cache: Path | None = None) -> jinja2.Environment:
    """``cache``: a folder where QR codes drawn by earlier builds are kept (they cost more than the page), and the
    templates compiled (a tenth of a second a build)."""
    env = jinja2.Environment(
        # Jinja2 keys each compiled template by its source's checksum, so an edited template is compiled again. The
        # compiled code is trusted as Python trusts its own __pycache__: the cache is the user's, outside the project.
        bytecode_cache=_CompiledTemplates(cache) if cache else None,
        loader=_ContainedLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A build reads each template once. Checking the file's time at every {% include %} (some twenty a page)
        # is for serve, whose environment lives while the templates are edited.
        auto_reload=live_reload,
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
    env.globals["qr_code"] = functools.cache(functools.partial(qr_code, cache=cache))
    env.filters["nest"] = lambda html, prefix, shared=None: Markup(_nested(str(html), prefix, shared, cache))
    env.filters["long_date"] = _long_date
    env.filters["tel_href"] = tel_href
    return env


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled by earlier builds, in the cache folder; one that cannot be written there only costs the
    next build its compiling."""

    def __init__(self, cache: Path):
        # Jinja2 keys a compiled template by its name and source only, not by the environment's options: the folder
        # is the engine's, so that a change to make_environment compiles everything afresh.
        folder = cache / "templates" / engine_digest()[:16]
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@jinja2.pass_context
def _long_date(context: jinja2.runtime.Context, day: dt.date) -> str:
    return long_date(day, context["config"].language)


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: str) -> str:
    """A link from the page being rendered to ``target`` (site-root-relative)."""
    if context.get("absolute_base"):
        return context["absolute_base"] + target
    return urls.relative(context["page_url"], target)


def qr_code(text: str, cache: Path | None = None) -> Markup:
    """A QR code for printed pages, drawn as SVG at build time (no image files, no styles: CSP-safe). Drawing one
    takes longer than rendering its page, and the drawing depends only on the text and segno's version, so it is
    kept in ``cache`` (see handout/parsecache.py on why the cache is outside the project)."""
    import segno  # loaded only by sites with a base_url

    if cache is None:
        return _draw_qr(segno, text)
    key = hashlib.sha256(f"{segno.__version__}\n{text}".encode()).hexdigest()
    path = cache / "qr" / f"{key}.svg"
    kept = recall(path)
    if kept is not None:
        return Markup(kept)
    svg = _draw_qr(segno, text)
    keep(path, svg)
    return svg


def _nested(fragment: str, prefix: str, shared: Mapping[str, Target] | None, cache: Path | None) -> str:
    """``nest`` (handout/combine.py), whose HTML parsing is most of the cost of a section's printable page: kept in
    ``cache`` by a digest of everything it depends on, the engine's code included."""
    if cache is None:
        return nest(fragment, prefix, shared)
    inputs = json.dumps([engine_digest(), fragment, prefix, sorted((shared or {}).items())], default=repr)
    path = cache / "nest" / f"{hashlib.sha256(inputs.encode()).hexdigest()}.html"
    kept = recall(path)
    if kept is not None:
        return kept
    nested = nest(fragment, prefix, shared)
    keep(path, nested)
    return nested


def _draw_qr(segno: Any, text: str) -> Markup:
    svg = segno.make(text, error="m").svg_inline(scale=2, border=0, title=f"QR code for {text}", svgclass="qr")
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


MONTH_FIRST_REGIONS = frozenset({"US", "PH", "FM", "MH", "PW"})  # where "November 30, 2026" is the usual form


@functools.lru_cache(maxsize=4096)  # a site shows a few hundred dates, each on many pages
def long_date(day: dt.date, language: str = "en") -> str:
    """A date as readers of the site's language write it; print.js writes the printed-on date the same way."""
    region = language.partition("-")[2].upper()
    if region in MONTH_FIRST_REGIONS:
        return f"{day:%B} {day.day}, {day.year}"
    return f"{day.day} {day:%B} {day.year}"


@dataclass(frozen=True)
class _Job:
    """One file to render: built in the parent, rendered there or in a forked worker that inherits it."""

    path: str
    template: str
    context: Callable[[], dict[str, Any]]  # computed where the file is rendered, so workers share the work


def render_site(
    site: Site,
    env: jinja2.Environment,
    place: Place = discard,
    stop: Callable[[], bool] | None = None,
    cache: Path | None = None,
) -> tuple[list[str], list[Problem]]:
    """Render every output file and ``place`` it, on every core when there are many (handout/cores.py); return
    the paths of the files rendered. Problems in templates are collected, page by page, not raised; one template
    mistake fails every page that uses it, and is reported once, with the pages it failed. ``stop``: see
    map_on_cores. ``cache``: see search_files."""
    common = {"site": site, "config": site.config, "contact": site.config.contact}
    jobs = _jobs(site)
    failures = map_on_cores(functools.partial(_render_jobs, env, common, place), jobs, stop)
    paths = [job.path for job, failure in zip(jobs, failures, strict=True) if failure is None]
    problems: dict[Problem, list[str]] = {}
    for failure in failures:
        if failure is not None:
            problems.setdefault(failure[0], []).append(failure[1])
    admin = "/" + cms.ADMIN if site.config.cms else None  # _headers paths start at the host's root, as deployed
    headers = security.headers_file(admin, cms.connect_sources(site.config))
    made = [*search_files(site, cache), ("static/highlight.css", highlight_css().encode("utf-8"))]
    made.append(("_headers", headers.encode("utf-8")))
    for path, data in made:
        place(path, data)
        paths.append(path)
    return paths, [_with_subjects(problem, subjects) for problem, subjects in problems.items()]


def render_pages(site: Site, env: jinja2.Environment, paths: Collection[str]) -> list[Output] | None:
    """Only the pages of these content files (``serve`` shows a saved page before the rest of the site is
    rendered); None if any of them fails, so that render_site reports it with the rest."""
    common = {"site": site, "config": site.config, "contact": site.config.contact}
    jobs = [_page_job(site, page) for page in site.pages if page.source.path in paths]
    outputs: list[Output] = []
    failures = _render_jobs(env, common, lambda path, data: outputs.append(Output(path, data)), jobs)
    return None if any(failures) else outputs


_Failure = tuple[Problem, str] | None  # a template's problem, and the page it failed


def _render_jobs(env: jinja2.Environment, common: dict[str, Any], place: Place, jobs: Sequence[_Job]) -> list[_Failure]:
    return [_render_job(env, common, place, job) for job in jobs]


def _render_job(env: jinja2.Environment, common: dict[str, Any], place: Place, job: _Job) -> _Failure:
    context = job.context()
    text, problem = _render(env, job.template, {**common, **context})
    if problem is not None:
        return problem, _subject(context)
    place(job.path, text.encode("utf-8"))
    return None


def _jobs(site: Site) -> list[_Job]:
    """Every page of the site, as the files to render and how to make each one's context."""
    jobs = [_page_job(site, page) for page in site.pages]
    by_url = {page.url: page for page in site.pages}
    for section in site.sections:
        jobs.append(
            _Job(
                urls.output_file(section.url),
                "section.html",
                functools.partial(dict, section=section, page_url=section.url, canonical=section.url),
            )
        )
        if section.articles:
            pages = [by_url[a.url] for a in section.articles]
            jobs.append(
                _Job(
                    urls.output_file(section.url + PRINT_SLUG + "/"),
                    "section-print.html",
                    functools.partial(_print_context, section, pages),
                )
            )
    if site.glossary:
        jobs.append(_Job(urls.output_file(GLOSSARY_URL), "glossary.html", functools.partial(_glossary_context, site)))
    if site.sources:
        jobs.append(
            _Job(
                urls.output_file(SOURCES_URL),
                "sources.html",
                functools.partial(dict, page_url=SOURCES_URL, canonical=SOURCES_URL),
            )
        )
    base = site.config.base_url
    jobs += [
        _Job("404.html", "404.html", functools.partial(dict, page_url="", absolute_base=base)),
        _Job(
            "sitemap.xml",
            "sitemap.xml",
            lambda: {"page_url": "", "absolute_base": base, "entries": sitemap_entries(site)},
        ),
        _Job(
            "robots.txt",
            "robots.txt",
            functools.partial(dict, page_url="", absolute_base=base, admin_path=cms.robots_path(site.config)),
        ),
        _Job(
            urls.output_file(SEARCH_URL),
            "search.html",
            functools.partial(dict, page_url=SEARCH_URL, canonical=SEARCH_URL),
        ),
        _Job(
            urls.output_file(CHANGES_URL),
            "changes.html",
            functools.partial(dict, page_url=CHANGES_URL, canonical=CHANGES_URL),
        ),
        _Job(
            "feed.xml",
            "feed.xml",
            lambda: {"page_url": "", "absolute_base": base, "feed_id": _feed_id(site), "updated": _feed_updated(site)},
        ),
    ]
    return jobs


def _page_job(site: Site, page: Page) -> _Job:
    return _Job(urls.output_file(page.url), TEMPLATES[page.source.kind], functools.partial(_page_context, site, page))


def _page_context(site: Site, page: Page) -> dict[str, Any]:
    return {"page": page, "page_url": page.url, "canonical": page.url, "jsonld": page_data(site, page)}


def _print_context(section: SectionIndex, pages: list[Page]) -> dict[str, Any]:
    # One word list and one source list for the whole printout, after its last article.
    return {"section": section, "pages": pages, "end": end_matter(pages), "page_url": section.url + PRINT_SLUG + "/"}


def _glossary_context(site: Site) -> dict[str, Any]:
    return {
        "page_url": GLOSSARY_URL,
        "canonical": GLOSSARY_URL,
        "letters": glossary_letters(site.glossary),
        "anchors": {e.term.name: e.term.anchor for e in site.glossary},
        "sources": {e.source.id: e.source for e in site.sources},
        "jsonld": glossary_data(site),
    }


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
