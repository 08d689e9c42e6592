"""Stage 4: the site model. Every page is known here, so this is where cross-page rules are checked (links,
anchors, related pages) and where navigation is worked out (sections, breadcrumbs, previous/next, backlinks).

What each page lists is bounded by its section and its own links, never the whole site, so the cost of building
stays linear in the number of pages.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from . import clinical
from .config import Section, SiteConfig
from .markup import Heading, Link, ParsedPage, unpack_html
from .problems import Problem, did_you_mean, nearest
from .reader import EDITORS, REVIEWED, FrontMatter, PageKind, SourcePage
from .registers import Registers, Source, Stat, Term
from .rules import report
from .urls import CHANGES_URL, GLOSSARY_URL, PRINT_SLUG, SEARCH_URL, SOURCES_URL

RESERVED_URLS = {
    CHANGES_URL: "the list of recent changes",
    GLOSSARY_URL: "the glossary",
    SOURCES_URL: "the list of sources",
    SEARCH_URL: "the search page",
    "static/": "the static files",
}


@dataclass(frozen=True)
class PageRef:
    title: str
    url: str
    summary: str


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str | None  # None for the page itself


# How many of its section's articles an article lists under "More in ...": all of them in a guide's usual sections,
# and a window around the page itself in a very large one, where the section page has the whole list.
SECTION_WINDOW = 15


@dataclass(frozen=True)
class SectionIndex:
    section: Section
    url: str
    articles: tuple[PageRef, ...]

    @cached_property
    def _positions(self) -> dict[str, int]:
        # Every article of a big section asks: looking each one up in turn would grow with the square of its size.
        return {article.url: i for i, article in enumerate(self.articles)}

    def around(self, url: str, size: int = SECTION_WINDOW) -> tuple[PageRef, ...]:
        """Up to ``size`` articles of the section, in order, with the one at ``url`` as near the middle as can be."""
        if len(self.articles) <= size:
            return self.articles
        at = self._positions.get(url, 0)
        start = min(max(at - size // 2, 0), len(self.articles) - size)
        return self.articles[start : start + size]


@dataclass(frozen=True)
class CitedSource:
    number: int
    source: Source
    markers: tuple[str, ...]  # ids of the places on the page that cite it


@dataclass(frozen=True)
class StatUse:
    stat: Stat
    citation: int  # the number its source has on this page


@dataclass(frozen=True)
class Page:
    source: SourcePage
    packed_html: bytes  # see ParsedPage: ``html`` gives the text
    headings: tuple[Heading, ...]
    section: SectionIndex | None
    breadcrumbs: tuple[Crumb, ...]
    previous: PageRef | None
    next: PageRef | None
    related: tuple[PageRef, ...]
    backlinks: tuple[PageRef, ...]
    citations: tuple[CitedSource, ...] = ()
    terms: tuple[Term, ...] = ()  # A to Z
    stats: tuple[StatUse, ...] = ()
    review: clinical.ClinicalReview = clinical.NOT_REVIEWED_YET

    @property
    def url(self) -> str:
        return self.source.url

    @property
    def html(self) -> str:
        return unpack_html(self.packed_html)

    @property
    def meta(self) -> FrontMatter:
        return self.source.meta

    @property
    def material(self) -> clinical.Material:
        """What a clinical review of this page approves: its text, and the register entries it shows."""
        return clinical.material(
            self.source, self.terms, (c.source for c in self.citations), (u.stat for u in self.stats)
        )


@dataclass(frozen=True)
class GlossaryEntry:
    term: Term
    used_in: tuple[PageRef, ...]


@dataclass(frozen=True)
class SourceEntry:
    source: Source
    cited_by: tuple[PageRef, ...]


@dataclass(frozen=True)
class SiteChange:
    date: dt.date
    change: str
    page: PageRef
    index: int  # its place in the page's log, oldest first: with the page, a stable identity for the feed

    def id(self, base_url: str | None) -> str:
        """An Atom id: absolute, and the same in every build."""
        if base_url:
            return f"{base_url}{self.page.url}#change-{self.date.isoformat()}-{self.index}"
        return f"urn:handout:change:{self.page.url.strip('/').replace('/', ':')}:{self.date.isoformat()}:{self.index}"


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    home: Page | None
    sections: tuple[SectionIndex, ...]
    pages: tuple[Page, ...]  # every content page: home first, then sections in order, then standalone pages
    glossary: tuple[GlossaryEntry, ...] = ()  # A to Z
    sources: tuple[SourceEntry, ...] = ()  # by title

    @cached_property
    def changes(self) -> tuple[SiteChange, ...]:
        """Every page's public changes, newest first: the Recent changes page and the feed."""
        found = [
            SiteChange(c.date, c.change, ref(p.source), i)
            for p in self.pages
            for i, c in enumerate(reversed(p.meta.changes))
        ]
        return tuple(sorted(found, key=lambda c: (-c.date.toordinal(), c.page.title.lower(), c.index)))

    @cached_property
    def help_page(self) -> Page | None:
        """Where every header's "Get help now" leads."""
        return next((p for p in self.pages if p.source.path == self.config.help_page), None)

    @cached_property
    def standalone(self) -> tuple[Page, ...]:
        """The pages outside the sections (About, the editors' guide), linked from every page's footer: found once,
        not once per page rendered."""
        return tuple(p for p in self.pages if p.source.kind is PageKind.PAGE and p.meta.audience != EDITORS)


def ref(source: SourcePage) -> PageRef:
    return PageRef(source.meta.title, source.url, source.meta.summary)


def build_site(
    config: SiteConfig,
    parsed: Iterable[ParsedPage],
    registers: Registers,
    today: dt.date | None = None,
    unreadable: frozenset[str] = frozenset(),
    records: Mapping[str, clinical.Record] | None = None,
) -> tuple[Site, list[Problem]]:
    """The cross-linked site. ``unreadable`` pages exist but failed to load: their own errors say why, so links
    to them are not reported again. ``today`` enables the review-overdue warning."""
    pages = sorted(parsed, key=lambda p: _sort_key(config, p.source))
    by_path = {p.source.path: p for p in pages}
    problems = _link_problems(pages, by_path, unreadable) + _related_problems(pages, by_path, unreadable)
    problems += _empty_sections(config, pages) + _reserved_urls(config, pages)
    problems += _help_page_problems(config, by_path, unreadable)
    problems += _unused_entries(pages, registers)
    # One reference to each page, shared by every list that names it: a big site's lists name pages 30 times over.
    refs = {p.source.path: ref(p.source) for p in pages}
    sections = _section_indexes(config, pages, refs)
    backlinks = _backlinks(pages, by_path, refs)
    positions = {a.url: i for index in sections.values() for i, a in enumerate(index.articles)}
    built = tuple(_page(p, sections, positions, refs, backlinks, registers) for p in pages)
    built, found = _clinical_reviews(built, records or {})
    problems += found
    home = next((p for p in built if p.source.kind is PageKind.HOME), None)
    return Site(
        config,
        home,
        tuple(sections.values()),
        built,
        _glossary(pages, registers, refs),
        _sources(pages, registers, refs),
    ), problems


def _clinical_reviews(
    pages: tuple[Page, ...], records: Mapping[str, clinical.Record]
) -> tuple[tuple[Page, ...], list[Problem]]:
    """Each page's review, judged against what its reviewer approved: its text and the register entries it shows."""
    reviewed, problems = [], []
    for page in pages:
        if page.meta.review_status != REVIEWED:
            reviewed.append(page)  # nothing to judge, and working out what a review approves is not cheap
            continue
        review, found = clinical.assess(page.source, page.material, records.get(page.source.path), page.source.file)
        reviewed.append(replace(page, review=review))
        problems += found
    return tuple(reviewed), problems


def _glossary(pages: list[ParsedPage], registers: Registers, refs: Mapping[str, PageRef]) -> tuple[GlossaryEntry, ...]:
    used_in: dict[str, list[PageRef]] = defaultdict(list)
    for p in pages:
        for name in p.terms:
            used_in[name].append(refs[p.source.path])
    return tuple(GlossaryEntry(term, tuple(used_in[term.name])) for term in registers.terms)


def _sources(pages: list[ParsedPage], registers: Registers, refs: Mapping[str, PageRef]) -> tuple[SourceEntry, ...]:
    cited_by: dict[str, list[PageRef]] = defaultdict(list)
    for p in pages:
        for citation in p.citations:
            cited_by[citation.source].append(refs[p.source.path])
    ordered = sorted(registers.sources.values(), key=lambda s: (s.title.lower(), s.id))
    return tuple(SourceEntry(source, tuple(cited_by[source.id])) for source in ordered)


def _unused_entries(pages: list[ParsedPage], registers: Registers) -> list[Problem]:
    terms = {name for p in pages for name in p.terms}
    stats = {key for p in pages for key in p.stats}
    sources = {c.source for p in pages for c in p.citations} | {t.source for t in registers.terms if t.source}
    files = registers.files
    unused = [
        (
            "glossary-unused",
            files["glossary.yaml"],
            [
                (
                    t.line,
                    f'the term "{t.name}" is not used on any page. Remove it, or use it (or an alias) in an article.',
                )
                for t in registers.terms
                if t.name not in terms
            ],
        ),
        (
            "stat-unused",
            files["stats.yaml"],
            [
                (
                    s.line,
                    f'the statistic "{s.id}" is not used on any page. Remove it, or insert it as '
                    f"[{s.value}](stat:{s.id}).",
                )
                for s in registers.stats.values()
                if s.id not in stats
            ],
        ),
        (
            "source-unused",
            files["sources.yaml"],
            [
                (s.line, f'the source "{s.id}" is not cited anywhere. Remove it, or cite it as [@{s.id}].')
                for s in registers.sources.values()
                if s.id not in sources
            ],
        ),
    ]
    return [report(rule, file, line, message) for rule, file, entries in unused for line, message in entries]


def _reserved_urls(config: SiteConfig, pages: list[ParsedPage]) -> list[Problem]:
    problems = []
    sections = {s.slug + "/": s.title for s in config.sections}
    for p in pages:
        if p.source.url in RESERVED_URLS:
            where = RESERVED_URLS[p.source.url]
        elif p.source.url in sections:
            where = f'the page of the section "{sections[p.source.url]}"'
        elif p.source.kind is PageKind.ARTICLE and p.source.slug == PRINT_SLUG:
            where = "the section's printable page"
        else:
            continue
        problems.append(
            report(
                "content-reserved",
                p.source.file,
                0,
                f'the address "{p.source.url}" is where the site puts {where}. Rename this file.',
            )
        )
    return problems


def _sort_key(config: SiteConfig, source: SourcePage) -> tuple:
    kind_rank = {PageKind.HOME: 0, PageKind.ARTICLE: 1, PageKind.PAGE: 2}[source.kind]
    section_rank = [s.slug for s in config.sections].index(source.section) if source.section else 0
    order = source.meta.order if source.meta.order is not None else float("inf")
    return (kind_rank, section_rank, order, source.meta.title.lower(), source.path)


def _section_indexes(
    config: SiteConfig, pages: list[ParsedPage], refs: Mapping[str, PageRef]
) -> dict[str, SectionIndex]:
    members: dict[str, list[PageRef]] = defaultdict(list)
    for p in pages:
        if p.source.kind is PageKind.ARTICLE:
            members[p.source.section].append(refs[p.source.path])
    return {s.slug: SectionIndex(s, s.slug + "/", tuple(members[s.slug])) for s in config.sections}


def _page(
    p: ParsedPage,
    sections: Mapping[str, SectionIndex],
    positions: Mapping[str, int],
    refs: Mapping[str, PageRef],
    backlinks: Mapping[str, list[PageRef]],
    registers: Registers,
) -> Page:
    source = p.source
    section = sections.get(source.section) if source.section else None
    previous = following = None
    crumbs = [Crumb("Home", "")]
    if section is not None:
        crumbs.append(Crumb(section.section.title, section.url))
        position = positions[source.url]
        previous = section.articles[position - 1] if position > 0 else None
        following = section.articles[position + 1] if position + 1 < len(section.articles) else None
    crumbs.append(Crumb(source.meta.title, None))
    related = tuple(refs[r] for r in source.meta.related if r in refs and r != source.path)
    return Page(
        source,
        p.packed_html,
        p.headings,
        section,
        tuple(crumbs) if source.kind is not PageKind.HOME else (),
        previous,
        following,
        related,
        tuple(backlinks.get(source.path, ())),
        **_own_parts(p, registers),
    )


def _own_parts(p: ParsedPage, registers: Registers) -> dict[str, Any]:
    """What a page shows of the registers, from its own text alone."""
    citations = tuple(CitedSource(c.number, registers.sources[c.source], c.markers) for c in p.citations)
    numbers = {c.source.id: c.number for c in citations}
    stats = tuple(StatUse(registers.stats[key], numbers[registers.stats[key].source]) for key in p.stats)
    terms = tuple(sorted((registers.terms_by_name[name] for name in p.terms), key=lambda t: t.name.lower()))
    return {"citations": citations, "terms": terms, "stats": stats}


def with_bodies_changed(
    site: Site,
    parsed: Sequence[ParsedPage],
    registers: Registers,
    records: Mapping[str, clinical.Record],
    by_path: Mapping[str, ParsedPage],
    unreadable: frozenset[str],
) -> tuple[Site, list[Problem]] | None:
    """``site`` with these pages' bodies replaced, and the problems the pages' links and reviews now have: what
    ``serve`` renders a saved page from before the whole model is built again. Everything another page shows of a
    page (its title, summary, address, place, related pages) comes from its front matter; so when that is unchanged,
    the saved page renders from this exactly as from a model built afresh. None when a page changed more than its
    body, or is new."""
    pages = {p.source.path: p for p in site.pages}
    changed = []
    for new in parsed:
        old = pages.get(new.source.path)
        if old is None or old.source.meta != new.source.meta or old.source.kind is not new.source.kind:
            return None
        own = _own_parts(new, registers)
        changed.append(replace(old, source=new.source, packed_html=new.packed_html, headings=new.headings, **own))
    reviewed, problems = _clinical_reviews(tuple(changed), records)
    pages.update((page.source.path, page) for page in reviewed)
    home = next((p for p in pages.values() if p.source.kind is PageKind.HOME), None)
    problems += _link_problems(list(parsed), by_path, unreadable)
    return replace(site, home=home, pages=tuple(pages[p.source.path] for p in site.pages)), problems


def _backlinks(
    pages: list[ParsedPage], by_path: Mapping[str, ParsedPage], refs: Mapping[str, PageRef]
) -> dict[str, list[PageRef]]:
    found: dict[str, list[PageRef]] = defaultdict(list)
    for p in pages:  # pages are in site order, so each backlink list is too
        targets = {link.target for link in p.links if link.target in by_path and link.target != p.source.path}
        for target in sorted(targets):
            found[target].append(refs[p.source.path])
    return found


def _link_problems(
    pages: list[ParsedPage], by_path: Mapping[str, ParsedPage], unreadable: frozenset[str]
) -> list[Problem]:
    problems = []
    for p in pages:
        for link in p.links:
            if link.target in unreadable:
                continue
            problem = _check_link(p.source, link, by_path)
            if problem:
                problems.append(problem)
    return problems


def _check_link(source: SourcePage, link: Link, by_path: Mapping[str, ParsedPage]) -> Problem | None:
    if link.site_address:
        return _site_address_problem(source, link, by_path)
    if link.target is None:
        return report(
            "link-outside-content",
            source.file,
            link.line,
            f'link to "{link.written}" points outside the content folder. Link to an article\'s .md '
            "file inside content/.",
        )
    target = by_path.get(link.target)
    if target is None:
        written_path = link.written.split("#", 1)[0]
        here = posixpath.dirname(source.path) or "."
        candidates = [posixpath.relpath(path, here) for path in by_path]
        return report(
            "link-broken",
            source.file,
            link.line,
            f'link to "{written_path}" points to a file that does not exist.'
            f"{did_you_mean(written_path, candidates)} Links name the article's .md file, relative to "
            "this file.",
        )
    if link.anchor and link.anchor not in target.ids:
        where = "this page" if target is by_path.get(source.path) else f'"{link.target}"'
        guess = nearest(link.anchor, target.ids)
        hint = f' Did you mean "#{guess}"?' if guess else ""
        return report(
            "link-anchor",
            source.file,
            link.line,
            f'link to "{link.written}": {where} has no heading with the id "{link.anchor}".{hint} '
            "A heading's id is its text in lowercase, with hyphens for spaces; or set one with {#id}.",
        )
    return None


def _site_address_problem(source: SourcePage, link: Link, by_path: Mapping[str, ParsedPage]) -> Problem:
    why = (
        f'link to "{link.written}" is written as a web address of this site, which breaks when the site is '
        "hosted in a sub-folder and in GitHub's preview."
    )
    if link.target in by_path:
        relative = posixpath.relpath(link.target, posixpath.dirname(source.path) or ".")
        fix = f' Link to its file instead: "{relative}{"#" + link.anchor if link.anchor else ""}".'
    else:
        fix = " No page has that address either. Link to an article's .md file, relative to this file."
    return report("link-site-address", source.file, link.line, why + fix)


def _related_problems(
    pages: list[ParsedPage], by_path: Mapping[str, ParsedPage], unreadable: frozenset[str]
) -> list[Problem]:
    problems = []
    for p in pages:
        for i, path in enumerate(p.source.meta.related):
            line = p.source.line_of("related", i)
            if path == p.source.path:
                problems.append(
                    report(
                        "related-self", p.source.file, line, f'"related" lists this page itself ("{path}"). Remove it.'
                    )
                )
            elif path not in by_path and path not in unreadable:
                problems.append(
                    report(
                        "related-missing",
                        p.source.file,
                        line,
                        f'"related" lists "{path}", which does not exist.'
                        f"{did_you_mean(path, by_path)} Related pages are paths inside the content "
                        "folder, such as treatments/chemotherapy.md.",
                    )
                )
    return problems


def _help_page_problems(
    config: SiteConfig, by_path: Mapping[str, ParsedPage], unreadable: frozenset[str]
) -> list[Problem]:
    if config.help_page is None or config.help_page in by_path or config.help_page in unreadable:
        return []
    message = (
        f'"help_page" is "{config.help_page}", but there is no such page.{did_you_mean(config.help_page, by_path)} '
        "Name the page readers need in an emergency, as a path in the content folder, such as "
        '"symptoms/when-to-get-help-now.md".'
    )
    return [report("help-page-missing", config.file, config.help_page_line, message)]


def _empty_sections(config: SiteConfig, pages: list[ParsedPage]) -> list[Problem]:
    used = {p.source.section for p in pages}
    return [
        report(
            "section-empty",
            config.file,
            s.line,
            f'section "{s.slug}" has no articles yet, so its page will be empty. Add an article to '
            f"content/{s.slug}/, or remove the section.",
        )
        for s in config.sections
        if s.slug not in used
    ]
