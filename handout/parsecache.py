"""Stage 3, at scale: every page's Markdown parsed once per change, and on every core, with the checks that need
nothing but the page itself (its prose: reading grade, long sentences, vague link text).

A parsed page depends only on its own file and on things every page shares: the engine's code, the settings that
reach the Markdown extensions (the contact numbers callouts print, the site's address, the rule levels), the
registers and the list of pages links may point to. The cache key is a digest of all of them, so an entry can never
be stale: change any input and the key changes. A page's own key also covers its path, front matter and body.

The cache lives outside the project (``$HANDOUT_CACHE``, else ``$XDG_CACHE_HOME/handout``, else
``~/.cache/handout``): a pull request can add files to the project, and a planted entry would put its HTML in the
site unchecked. Entries are JSON, never pickle, for the same reason. Deleting the folder is always safe.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .cores import PARALLEL_FROM, keep, map_on_cores, recall
from .lints import page_problems
from .markup import Citation, Heading, Link, MarkdownParser, ParsedPage
from .problems import Problem, Severity
from .reader import SourcePage
from .reading_grade import syllables_table
from .registers import Registers

FORMAT = 2  # bump when the shape of an entry changes


def cache_folder() -> Path:
    if os.environ.get("HANDOUT_CACHE"):
        return Path(os.environ["HANDOUT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "handout"


@functools.cache
def engine_digest() -> str:
    """The engine's own code and the versions of the libraries that shape its HTML."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.relative_to(Path(__file__).parent).as_posix().encode())
        digest.update(path.read_bytes())
    for library in ("markdown", "pygments", "nh3"):
        digest.update(f"{library} {metadata.version(library)}".encode())
    return digest.hexdigest()


def shared_digest(config: SiteConfig, page_urls: Mapping[str, str], registers: Registers) -> str:
    """Everything besides the page itself that a parsed page depends on. Register entries' line numbers are left
    out: they move whenever another entry is added, and the parse never shows them."""

    def without_line(entry: object) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(entry).items() if k != "line"}

    shared = {
        "engine": engine_digest(),
        "settings": [config.base_url, dataclasses.asdict(config.contact), sorted(config.rule_levels.items())],
        "pages": sorted(page_urls.items()),
        "terms": [without_line(t) for t in registers.terms],
        "sources": sorted(registers.sources),
        "stats": [without_line(s) for _, s in sorted(registers.stats.items())],
        "files": sorted(registers.files.items()),
    }
    return hashlib.sha256(json.dumps(shared, default=str, sort_keys=True).encode()).hexdigest()


def page_key(shared: str, source: SourcePage) -> str:
    # repr covers every field of the page: path, address, front matter with its line numbers, and body.
    return hashlib.sha256(f"{shared}\n{source!r}".encode()).hexdigest()


def to_entry(page: ParsedPage, problems: Sequence[Problem]) -> dict[str, Any]:
    return {
        "packed_html": base64.b64encode(page.packed_html).decode("ascii"),  # as the model keeps it
        "headings": [[h.level, h.id, h.text] for h in page.headings],
        "ids": sorted(page.ids),
        "links": [[k.written, k.target, k.anchor, k.line, k.site_address] for k in page.links],
        "citations": [[c.number, c.source, list(c.markers)] for c in page.citations],
        "terms": list(page.terms),
        "stats": list(page.stats),
        "callouts": list(page.callouts),
        "grade": page.grade,
        "problems": [[p.file, p.line, p.severity.value, p.rule, p.message] for p in problems],
    }


def from_entry(source: SourcePage, entry: Mapping[str, Any]) -> tuple[ParsedPage, list[Problem]]:
    page = ParsedPage(
        source,
        base64.b64decode(entry["packed_html"]),
        headings=tuple(Heading(*h) for h in entry["headings"]),
        ids=frozenset(entry["ids"]),
        links=tuple(Link(*k) for k in entry["links"]),
        citations=tuple(Citation(n, s, tuple(m)) for n, s, m in entry["citations"]),
        terms=tuple(entry["terms"]),
        stats=tuple(entry["stats"]),
        callouts=tuple(entry["callouts"]),
        grade=entry["grade"],
    )
    problems = [Problem(f, line, Severity(sev), rule, msg) for f, line, sev, rule, msg in entry["problems"]]
    return page, problems


class ParseCache:
    def __init__(self, folder: Path):
        self.folder = folder / "parse"

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        text = recall(self._path(key))
        try:
            return json.loads(text) if text is not None else None
        except ValueError:  # cut short by a crash: parse again
            return None

    def put(self, key: str, entry: Mapping[str, Any]) -> None:
        keep(self._path(key), json.dumps(entry, ensure_ascii=False))


@dataclass(frozen=True)
class Remembered:
    """A page parsed by an earlier build of the same ``serve``, reused while its source is the very object the
    reader kept (the file's stamp is unchanged) and nothing shared has changed."""

    shared: str
    source: SourcePage
    page: ParsedPage
    problems: tuple[Problem, ...]


@dataclass
class ParseMemory:
    """What ``serve`` keeps of its parses between builds: every page's, and the parser that parsed the last saves
    (a new one costs 10 ms), each for as long as what the pages share is unchanged."""

    pages: dict[str, Remembered] = field(default_factory=dict)
    parser: tuple[str, MarkdownParser] | None = None

    def parser_for(self, shared: str, make: Callable[[], MarkdownParser]) -> MarkdownParser:
        if self.parser is None or self.parser[0] != shared:
            self.parser = (shared, make())
        return self.parser[1]

    def reparse(
        self, config: SiteConfig, registers: Registers, sources: Sequence[SourcePage], cache: ParseCache | None
    ) -> list[Remembered] | None:
        """Saved pages parsed again as the last build parsed all pages, with what they all shared then (None
        before a build): right while the config, the registers and the list of pages are the same, which is for
        the caller to know. They are remembered only once handed to ``take``."""
        if not self.pages:
            return None
        shared = next(iter(self.pages.values())).shared

        def parser() -> MarkdownParser:  # the list of pages is gathered only when a parser is made
            return MarkdownParser(config, {path: kept.source.url for path, kept in self.pages.items()}, registers)

        entries = _parse_with(self.parser_for(shared, parser), sources)
        if cache:
            for source, entry in zip(sources, entries, strict=True):
                cache.put(page_key(shared, source), entry)
        return [_remembered(shared, source, entry) for source, entry in zip(sources, entries, strict=True)]

    def take(self, pages: Sequence[Remembered]) -> None:
        """Pages from ``reparse``, remembered for the rest of the build and the builds after it."""
        self.pages = {**self.pages, **{kept.source.path: kept for kept in pages}}


def parse_pages(
    config: SiteConfig,
    pages: Sequence[SourcePage],
    registers: Registers,
    cache: ParseCache | None,
    memory: ParseMemory | None = None,
) -> tuple[list[ParsedPage], list[Problem]]:
    """Every page parsed, in the order given, with the problems found: from ``memory`` (serve's earlier builds),
    else from the cache where the inputs are the same, else by the Markdown parser, on every core when there are
    many. ``memory`` is left holding this build's pages."""
    page_urls = {s.path: s.url for s in pages}
    shared = shared_digest(config, page_urls, registers)
    known = memory.pages if memory else {}
    results: list[Remembered | None] = [
        kept if (kept := known.get(s.path)) and kept.shared == shared and kept.source is s else None for s in pages
    ]
    missing = [i for i, result in enumerate(results) if result is None]
    keys = {i: page_key(shared, pages[i]) for i in missing}
    # Each entry becomes its page as soon as it is read: a big site's entries all at once would take more memory
    # than its pages do.
    for i in missing:
        entry = cache.get(keys[i]) if cache else None
        if entry is not None:
            results[i] = _remembered(shared, pages[i], entry)
    unparsed = [i for i in missing if results[i] is None]
    sources = [pages[i] for i in unparsed]
    if memory is not None and 0 < len(sources) < PARALLEL_FROM:  # a save: parsed here, by the parser kept
        fresh = _parse_with(memory.parser_for(shared, lambda: MarkdownParser(config, page_urls, registers)), sources)
    else:
        fresh = _parse(config, page_urls, registers, sources)
    for i, entry in zip(unparsed, fresh, strict=True):
        if cache:
            cache.put(keys[i], entry)
        results[i] = _remembered(shared, pages[i], entry)
    if memory is not None:
        memory.pages = {r.source.path: r for r in results}
    return [r.page for r in results], [p for r in results for p in r.problems]


def _remembered(shared: str, source: SourcePage, entry: Mapping[str, Any]) -> Remembered:
    page, problems = from_entry(source, entry)
    return Remembered(shared, source, page, tuple(problems))


def _parse(
    config: SiteConfig, page_urls: Mapping[str, str], registers: Registers, pages: Sequence[SourcePage]
) -> list[dict[str, Any]]:
    if not pages:
        return []  # everything came from the cache: no parser to build
    if len(pages) < PARALLEL_FROM:
        return _parse_here(config, page_urls, registers, pages)
    # The reading grade's syllable table (a fifth of a second to make) is made once, here, for every worker. A build
    # lets it go after: the render workers, which start from this process's memory, have no use for it. serve,
    # which grades its saves here, keeps it.
    made_here = syllables_table.cache_info().currsize == 0
    syllables_table()
    try:
        return map_on_cores(functools.partial(_parse_here, config, page_urls, registers), pages)
    finally:
        if made_here:
            syllables_table.cache_clear()


def _parse_here(
    config: SiteConfig, page_urls: Mapping[str, str], registers: Registers, pages: Sequence[SourcePage]
) -> list[dict[str, Any]]:
    return _parse_with(MarkdownParser(config, page_urls, registers), pages)


def _parse_with(parser: MarkdownParser, pages: Sequence[SourcePage]) -> list[dict[str, Any]]:
    entries = []
    for source in pages:
        page, problems = parser.parse(source)
        grade, found = page_problems(page)
        entries.append(to_entry(dataclasses.replace(page, grade=grade), problems + found))
    return entries
