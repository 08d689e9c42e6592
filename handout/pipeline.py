"""Runs the stages in order: read everything, then build the model, then render, and write only if all is well."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import jinja2

from .clinical import Record, read_records
from .cms import ADMIN, admin_files
from .config import SiteConfig
from .cores import SupersededError, prune
from .lints import content_problems, reading_grade
from .markup import ParsedPage
from .model import Site, build_site, with_bodies_changed
from .parsecache import ParseCache, ParseMemory, cache_folder, parse_pages
from .problems import Problem, has_errors
from .reader import Content, ReadFile, read_content
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
    """A site model with what it was built from, and the problems building it found."""

    site: Site
    registers: Registers
    records: Mapping[str, Record]
    problems: tuple[Problem, ...]


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
    kept: Kept | None = None,
    early: Callable[[list[Output]], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> BuildResult:
    """Build the site; write it to ``config.output_dir`` only when ``write`` is set and nothing failed.
    ``live_reload`` builds for ``serve``, whose reload script the published site's security policy would block.
    ``use_cache`` reuses pages parsed by earlier builds (handout/parsecache.py). ``progress`` hears each stage as
    it starts. ``kept`` carries serve's work from build to build, and ``early`` is handed the pages of the files
    saved since the last build as soon as they are rendered, if nothing has failed by then. ``stop`` is asked
    while the rest is rendered, and before anything is written: when it says so, the build gives up
    (SupersededError)."""
    started = time.perf_counter()
    progress("reading")
    content = read_content(config, kept.files if kept else None)
    registers, found = _registers(config, today, kept)
    problems = list(content.problems) + found
    records, found = read_records(config.content_dir)
    problems += found
    static, found = list_static(config.static_dir, config.file)
    problems += found + links_outside(config.templates_dir)
    progress(f"parsing {len(content.pages):,} pages")
    cache = cache_folder() if use_cache else None
    memory = kept.parsed if kept else None
    parsed, found = parse_pages(config, content.pages, registers, ParseCache(cache) if cache else None, memory)
    problems += found
    env = kept.env if kept and kept.env else make_environment(config.templates_dir, live_reload, cache)
    saved = early if early and write and 0 < len(content.fresh) <= EARLY_PAGES else None
    shown = saved is not None and _show_saved_first(
        config, kept, content, parsed, registers, records, problems, today, strict, env, saved
    )
    site, found = build_site(config, parsed, registers, today, unreadable=content.unreadable, records=records)
    problems += found + content_problems(config, parsed, today)
    progress("rendering")
    if kept:
        if kept.env is not env:
            _ready_for_saves(env)
        kept.files, kept.env, kept.model = content.files, env, _Model(site, registers, records, tuple(found))
    admin, found = admin_files(config)
    problems += found
    # Files go to the staging folder as they are rendered, unless errors already say nothing will be written.
    failing = failed(tuple(apply_levels(problems, config.rule_levels)), strict)
    if saved and not shown and not failing:
        _show_early(site, env, content.fresh, saved)
    staging = write and not failing
    with staged_site(config.output_dir, static) if staging else contextlib.nullcontext() as site_files:
        place = site_files.place if site_files else discard
        files, found = render_site(site, env, place, stop, cache)
        problems += found
        for file in admin:
            place(file.path, file.data)
            files.append(file.path)
        ordered = tuple(sorted(set(apply_levels(problems, config.rule_levels))))
        written = staging and not failed(ordered, strict)
        if written:
            if stop is not None and stop():
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
    reading_grade("A sentence to load the dictionary.")  # textstat's pronouncing dictionary: a second to load
    for name in env.list_templates(extensions=["html", "xml", "txt"]):
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


def _show_saved_first(
    config: SiteConfig,
    kept: Kept | None,
    content: Content,
    parsed: list[ParsedPage],
    registers: Registers,
    records: Mapping[str, Record],
    problems: list[Problem],
    today: dt.date | None,
    strict: bool,
    env: jinja2.Environment,
    early: Callable[[list[Output]], None],
) -> bool:
    """When only the bodies of the saved pages changed, they are rendered from the last build's model with those
    pages replaced (model.with_bodies_changed), before the model is built again: the saved page is back in the
    browser in a fraction of the time. The problems that decide whether it may be shown are this build's so far,
    the last model's for the other files, and the saved pages' own. Whether the pages were shown."""
    last = kept.model if kept else None
    if last is None or last.registers is not registers or last.records != records:
        return False
    fresh = [p for p in parsed if p.source.path in content.fresh]
    changed = with_bodies_changed(
        last.site, fresh, registers, records, {p.source.path: p for p in parsed}, content.unreadable
    )
    if changed is None:
        return False
    site, found = changed
    saved_files = {p.source.file for p in fresh}
    others = [problem for problem in last.problems if problem.file not in saved_files]
    so_far = problems + found + others + content_problems(config, parsed, today)
    if failed(tuple(apply_levels(so_far, config.rule_levels)), strict):
        return False
    return _show_early(site, env, content.fresh, early)


def _show_early(
    site: Site, env: jinja2.Environment, saved: frozenset[str], early: Callable[[list[Output]], None]
) -> bool:
    """The saved pages go first (unless the build is failing already: a page with a mistake is not shown, the
    problems are, by handout/serve.py). Whether they were shown."""
    first = render_pages(site, env, saved)
    if first:
        early(first)
    return bool(first)
