"""Runs the stages in order: read everything, then build the model, then render, and write only if all is well."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from .clinical import read_records
from .cms import ADMIN, admin_files
from .config import SiteConfig
from .cores import prune
from .lints import content_problems
from .model import Site, build_site
from .parsecache import ParseCache, cache_folder, parse_pages
from .problems import Problem, has_errors
from .reader import read_content
from .registers import load_registers
from .render import Output, make_environment, render_site
from .rules import apply_levels
from .sourcefiles import links_outside, list_static
from .write import write_site


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    outputs: tuple[Output, ...]
    written: bool
    seconds: float
    site: Site | None = None  # the model, for reports

    @property
    def pages(self) -> int:
        return sum(1 for o in self.outputs if o.path.endswith(".html") and not o.path.startswith(ADMIN))


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
) -> BuildResult:
    """Build the site; write it to ``config.output_dir`` only when ``write`` is set and nothing failed.
    ``live_reload`` builds for ``serve``, whose reload script the published site's security policy would block.
    ``use_cache`` reuses pages parsed by earlier builds (handout/parsecache.py). ``progress`` hears each stage as
    it starts."""
    started = time.perf_counter()
    progress("reading")
    content = read_content(config)
    registers, found = load_registers(config, today)
    problems = list(content.problems) + found
    records, found = read_records(config.content_dir)
    problems += found
    static, found = list_static(config.static_dir, config.file)
    problems += found + links_outside(config.templates_dir)
    progress(f"parsing {len(content.pages):,} pages")
    cache = cache_folder() if use_cache else None
    parsed, found = parse_pages(config, content.pages, registers, ParseCache(cache) if cache else None)
    problems += found
    site, found = build_site(config, parsed, registers, today, unreadable=content.unreadable, records=records)
    problems += found + content_problems(config, parsed, today)
    progress("rendering")
    env = make_environment(config.templates_dir, live_reload=live_reload, cache=cache)
    outputs, found = render_site(site, env)
    problems += found
    admin, found = admin_files(config)
    problems += found
    outputs += [Output(file.path, file.data) for file in admin]
    ordered = tuple(sorted(set(apply_levels(problems, config.rule_levels))))
    written = write and not failed(ordered, strict)
    if written:
        progress("writing")
        write_site(outputs, static, config.output_dir)
    if cache is not None:
        prune(cache)
    return BuildResult(ordered, tuple(outputs), written, time.perf_counter() - started, site)
