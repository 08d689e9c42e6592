"""Runs the stages in order: read everything, then build the model, then render, and write only if all is well."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from .clinical import Record, read_records
from .cms import ADMIN, admin_files
from .config import SiteConfig
from .cores import SupersededError, prune
from .lints import content_problems
from .model import Site, build_site, with_bodies_changed
from .parsecache import ParseCache, ParseMemory, cache_folder, parse_pages
from .problems import Problem, has_errors
from .reader import PageKind, ReadFile, read_content, read_file
from .reading_grade import syllables_table
from .registers import REGISTER_FILES, Registers, load_registers
from .render import Output, discard, make_environment, render_pages, render_site
from .rules import apply_levels
from .sourcefiles import links_outside, list_static, stamp
from .write import staged_site

# A save touches a page or two; more fresh pages than this is a new checkout or a search-and-replace, where showing
# some pages early gains nothing.
EARLY_PAGES = 5


@dataclass
class Kept:
    """What ``serve`` keeps from one build to the next, each part reused only while its inputs are unchanged: the
    files read (by their stamps), the registers (by their files' stamps and the date), the pages parsed (by their
    sources and everything they share) and the compiled templates (Jinja2 checks each template file's time before
    using one). It holds for one config: a changed config starts a new one (cli._Previews)."""

    files: Mapping[str, ReadFile] = field(default_factory=dict)
    registers: tuple[object, Registers, list[Problem]] | None = None  # with the stamps of their files, and today
    parsed: ParseMemory = field(default_factory=ParseMemory)
    env: jinja2.Environment | None = None
    model: _Model | None = None  # the last build's


@dataclass(frozen=True)
class _Model:
    """A site model with what it was built from, and the problems its build found."""

    site: Site
    registers: Registers
    records: Mapping[str, Record]
    unreadable: frozenset[str]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Preview:
    """What one of ``serve``'s builds is handed besides the config: the work ``kept`` from the builds before; where
    the saved pages go as soon as they are rendered (``show``), if nothing has failed by then; what says that
    another save has come in (``stop``: the build then gives up, with SupersededError); and the files that the
    system's file events say have changed since the last build (``changed``), None when that is not known."""

    kept: Kept
    show: Callable[[list[Output]], None]
    stop: Callable[[], bool]
    changed: frozenset[Path] | None = None


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    files: tuple[str, ...]  # every file rendered, as its path inside the output folder (static files aside)
    written: bool
    seconds: float
    site: Site | None = None  # the model, for reports

    @property
    def pages(self) -> int:
        return sum(1 for path in self.files if path.endswith(".html") and not path.startswith(ADMIN))


def failed(problems: tuple[Problem, ...], strict: bool) -> bool:
    return has_errors(problems) or (strict and bool(problems))


def run(
    config: SiteConfig,
    *,
    write: bool,
    strict: bool = False,
    today: dt.date | None = None,
    live_reload: bool = False,
    use_cache: bool = True,
    progress: Callable[[str], None] = lambda stage: None,
    preview: Preview | None = None,
) -> BuildResult:
    """Build the site; write it to ``config.output_dir`` only when ``write`` is set and nothing failed.
    ``live_reload`` builds for ``serve``, whose reload script the published site's security policy would block.
    ``use_cache`` reuses pages parsed by earlier builds (handout/parsecache.py). ``progress`` hears each stage as
    it starts. ``preview``: serve's build (see Preview); its saved pages are shown before the rest is rendered."""
    started = time.perf_counter()
    cache = cache_folder() if use_cache else None
    kept = preview.kept if preview else None
    shown = _show_saves_first(config, preview, today, strict, cache) if preview and write else {}
    progress("reading")
    content = read_content(config, {**kept.files, **shown} if kept else None)
    registers, found = _registers(config, today, kept)
    problems = list(content.problems) + found
    records, found = read_records(config.content_dir)
    problems += found
    static, found = list_static(config.static_dir, config.file)
    problems += found + links_outside(config.templates_dir)
    progress(f"parsing {len(content.pages):,} pages")
    memory = kept.parsed if kept else None
    parsed, found = parse_pages(config, content.pages, registers, ParseCache(cache) if cache else None, memory)
    problems += found
    env = kept.env if kept and kept.env else make_environment(config.templates_dir, live_reload, cache)
    site, found = build_site(config, parsed, registers, today, unreadable=content.unreadable, records=records)
    problems += found + content_problems(config, parsed, today)
    progress("rendering")
    if kept:
        if kept.env is not env:
            _ready_for_saves(env)
        kept.files, kept.env = content.files, env
        kept.model = _Model(site, registers, records, content.unreadable, tuple(problems))
    admin, found = admin_files(config)
    problems += found
    # Files go to the staging folder as they are rendered, unless errors already say nothing will be written.
    failing = failed(tuple(apply_levels(problems, config.rule_levels)), strict)
    if preview and write and not shown and not failing and 0 < len(content.fresh) <= EARLY_PAGES:
        _show_early(site, env, content.fresh, preview.show)
    staging = write and not failing
    with staged_site(config.output_dir, static) if staging else contextlib.nullcontext() as site_files:
        place = site_files.place if site_files else discard
        files, found = render_site(site, env, place, preview.stop if preview else None, cache)
        problems += found
        for file in admin:
            place(file.path, file.data)
            files.append(file.path)
        ordered = tuple(sorted(set(apply_levels(problems, config.rule_levels))))
        if kept and kept.model:
            kept.model = replace(kept.model, problems=tuple(problems))
        written = staging and not failed(ordered, strict)
        if written:
            if preview and preview.stop():
                raise SupersededError
            progress("writing")
            site_files.publish()
    if cache is not None:
        prune(cache)
    return BuildResult(ordered, tuple(files), written, time.perf_counter() - started, site)


def _registers(config: SiteConfig, today: dt.date | None, kept: Kept | None) -> tuple[Registers, list[Problem]]:
    if kept is None:
        return load_registers(config, today)
    key = (today, [stamp(config.content_dir / name) for name in REGISTER_FILES])
    if kept.registers is None or kept.registers[0] != key:
        kept.registers = (key, *load_registers(config, today))
    return kept.registers[1], kept.registers[2]


def _ready_for_saves(env: jinja2.Environment) -> None:
    """serve parses and renders a saved page here, while everything else is done in worker processes: what that
    needs on first use is loaded now, once, not when the first save comes. A template that does not compile is
    reported by render_site."""
    syllables_table()  # the reading grade's: a fifth of a second to make
    for name in env.list_templates(extensions=["html", "xml", "txt"]):
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


def _show_saves_first(
    config: SiteConfig, preview: Preview, today: dt.date | None, strict: bool, cache: Path | None
) -> dict[str, ReadFile]:
    """When the file events say that only pages were saved, and only their bodies changed, the saved pages are
    rendered from the last build's model with them replaced (model.with_bodies_changed), before anything else is
    read: back in the browser in a fraction of a build's time. Whether they may be shown is decided by the last
    build's problems with the other files and the saved pages' own. The files read, if they were shown.

    Only after a build that passed: the checks of the whole model (a "related" page that does not exist) are not
    run again here, and a mistake they found last time would go unseen."""
    kept, last = preview.kept, preview.kept.model
    saved = _saved_pages(config, preview.changed)
    if last is None or kept.env is None or not saved:
        return {}
    if failed(tuple(apply_levels(last.problems, config.rule_levels)), strict):
        return {}
    registers, _ = _registers(config, today, kept)
    records, _ = read_records(config.content_dir)
    if registers is not last.registers or records != last.records:
        return {}
    reads = {rel: read_file(config, config.content_dir / rel, kept.files.get(rel)) for rel in saved}
    sources = [read.page for read in reads.values() if read.page is not None]
    if len(sources) < len(reads):
        return {}
    parsed = kept.parsed.reparse(config, registers, sources, ParseCache(cache) if cache else None)
    if parsed is None:
        return {}
    pages = [remembered.page for remembered in parsed]
    by_path = {path: remembered.page for path, remembered in kept.parsed.pages.items()}
    by_path.update((page.source.path, page) for page in pages)
    changed = with_bodies_changed(last.site, pages, registers, records, by_path, last.unreadable)
    if changed is None:
        return {}
    site, problems = changed
    files = {source.file for source in sources}
    problems += [problem for problem in last.problems if problem.file not in files]
    problems += [problem for read in reads.values() for problem in read.problems]
    problems += [problem for remembered in parsed for problem in remembered.problems]
    articles = {page.source.path for page in last.site.pages if page.source.kind is PageKind.ARTICLE}
    problems += content_problems(config, pages, today, articles)
    if failed(tuple(apply_levels(problems, config.rule_levels)), strict):
        return {}
    if not _show_early(site, kept.env, frozenset(reads), preview.show):
        return {}
    kept.parsed.take(parsed)
    return reads


def _saved_pages(config: SiteConfig, changed: frozenset[Path] | None) -> list[str]:
    """The pages, as paths in the content folder, that the file events name, if they name pages only (a few, in
    folders the build reads, and not links); otherwise none."""
    if not changed or len(changed) > EARLY_PAGES:
        return []
    root = config.content_dir.absolute()
    pages = []
    for path in changed:
        where = path.absolute()
        if not where.is_relative_to(root) or path.is_symlink():
            return []
        rel = where.relative_to(root).as_posix()
        if not rel.endswith(".md") or any(part.startswith((".", "_")) for part in rel.split("/")):
            return []
        pages.append(rel)
    return sorted(pages)


def _show_early(
    site: Site, env: jinja2.Environment, saved: frozenset[str], show: Callable[[list[Output]], None]
) -> bool:
    """The saved pages go first, unless one fails to render (render_site then reports it). Whether they were
    shown."""
    first = render_pages(site, env, saved)
    if first:
        show(first)
    return bool(first)
