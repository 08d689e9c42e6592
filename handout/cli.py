"""The command line: build, serve, check and new. Exit status 0 success, 1 content problems, 2 usage or config."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import gc
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import report_format, sourcefiles
from .config import SiteConfig, load_config
from .problems import Problem, ProblemsError, Severity, count, shown_path

# The stages (Markdown, Jinja2, the QR code maker) load only when a command needs them: "--help" and a config
# problem answer at once.
if TYPE_CHECKING:
    from collections.abc import Callable

    from . import clinical, pipeline
    from .render import Output

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # what a shell reports for a command stopped by Ctrl+C
COMMANDS = ("build", "serve", "check", "new", "review", "report", "contributing")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(_with_default_command(sys.argv[1:] if argv is None else argv))
    # Signal handlers belong to the main thread; a test or tool may call main() from another.
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        return _run(args)
    except KeyboardInterrupt:
        print(
            "Stopped: interrupted. Nothing half-written was left behind: the output folder holds the previous site, "
            "or the new one if it was complete.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def run_as_program() -> NoReturn:
    """``main`` as the process's whole program (build.py), tuned for one long run."""
    # Python looks for garbage cycles every 700 new objects, and walks every object alive when it looks in the
    # oldest generation: a build makes millions that live until it ends, and the looking cost a tenth of its time.
    # What exists now (the modules) is left out for good; the rest is looked at less often.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):
            stream.flush()
    # The system frees the build's memory at once; Python would free its objects one by one (a twentieth of a
    # second at 1,000 pages). Nothing is left to clean up: main has closed its worker processes and files.
    os._exit(code)


def _interrupt(signum: int, frame: object) -> None:
    """A stopped CI job or a closed terminal sends SIGTERM, which would end Python at once: unwind as Ctrl+C does
    instead, so that the writer removes its unfinished folder."""
    raise KeyboardInterrupt


def _run(args: argparse.Namespace) -> int:
    try:
        config = load_config(Path(args.config), Path(args.out) if getattr(args, "out", None) else None)
    except ProblemsError as exc:
        _report(exc.problems)
        print(f"Stopped: {args.config} has problems; fix them and run again.", file=sys.stderr)
        return EXIT_USAGE
    commands = {
        "build": _build,
        "serve": _serve,
        "check": _check,
        "new": _new,
        "review": _review,
        "report": _report_health,
        "contributing": _contributing,
    }
    return commands[args.command](config, args)


def _with_default_command(argv: list[str]) -> list[str]:
    """``build.py`` alone, or with only options, means ``build.py build``."""
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        return ["build", *argv]
    return argv


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the patient-education site.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        default="config.yaml",
        metavar="FILE",
        help="the site's config file; paths in it are relative to it (default: config.yaml)",
    )
    strict = argparse.ArgumentParser(add_help=False)
    strict.add_argument("--strict", action="store_true", help="treat warnings as errors")
    strict.add_argument(
        "--no-cache",
        dest="use_cache",
        action="store_false",
        help="parse every page again instead of reusing earlier builds' work (the cache is in $HANDOUT_CACHE, "
        "else ~/.cache/handout)",
    )
    out = argparse.ArgumentParser(add_help=False)
    out.add_argument("--out", metavar="DIR", help="output folder (default: output_dir in the config)")

    commands.add_parser("build", parents=[common, strict, out], help="build the site (the default)")
    serve = commands.add_parser(
        "serve", parents=[common, strict, out], help="build, serve locally and rebuild when files change"
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)"
    )
    serve.add_argument(
        "--cms",
        action="store_true",
        help="also serve the CMS at /admin/, editing this working copy (needs Node.js and `npm ci`)",
    )
    serve.add_argument(
        "--cms-port", type=int, default=8081, metavar="PORT", help="port of the CMS's local server (default: 8081)"
    )
    check = commands.add_parser(
        "check", parents=[common, strict], help="check everything a build checks; write nothing"
    )
    check.add_argument(
        "--format",
        choices=report_format.FORMATS,
        default="text",
        help="text (default: one line per problem, grouped by file), github (annotations on a pull request) or json",
    )
    new = commands.add_parser("new", parents=[common], help="create a new article with valid front matter")
    new.add_argument("title", help='the article\'s title, in quotes: "Bone pain"')
    new.add_argument("--section", required=True, metavar="SLUG", help="the section it belongs to")
    review = commands.add_parser(
        "review",
        parents=[common],
        help="record that a clinician reviewed a page as it stands, or show what changed since (--changes)",
    )
    review.add_argument("page", help="the page's file: content/<section>/<slug>.md")
    review.add_argument("--reviewer", metavar="NAME", help='the clinician: "Name, credentials"')
    review.add_argument("--changes", action="store_true", help="show what changed since the page's review")
    health = commands.add_parser(
        "report", parents=[common], help="a content-health report: Markdown on the screen, or --markdown/--html files"
    )
    health.add_argument("--markdown", metavar="FILE", help="write the Markdown report to FILE instead of the screen")
    health.add_argument("--html", metavar="FILE", help="also write the report as a web page, for editors")
    commands.add_parser(
        "contributing",
        parents=[common],
        help="write CONTRIBUTING.md from the editors' guide (content/editors-guide.md)",
    )
    return parser


def _build(config: SiteConfig, args: argparse.Namespace) -> int:
    return _built(config, args)[0]


def _built(
    config: SiteConfig,
    args: argparse.Namespace,
    live_reload: bool = False,
    preview: pipeline.Preview | None = None,
) -> tuple[int, tuple[Problem, ...]]:
    """Build and say how it went: the exit status, and the problems found. ``preview``: see pipeline.run."""
    from . import pipeline
    from .write import unsafe_output

    reason = unsafe_output(config, Path(args.config))
    if reason:
        print(f"Stopped: {reason}", file=sys.stderr)
        return EXIT_USAGE, ()
    progress = _Progress()
    try:
        result = pipeline.run(
            config,
            write=True,
            strict=args.strict,
            today=dt.date.today(),
            live_reload=live_reload,
            use_cache=args.use_cache,
            progress=progress,
            preview=preview,
        )
    except OSError as exc:  # a full disk or a read-only folder: the atomic writer has already cleaned up
        progress.done()
        where = f" ({shown_path(exc.filename)})" if exc.filename else ""
        print(
            f"Stopped: could not write the site to {shown_path(config.output_dir)}: {exc.strerror or exc}{where}. "
            "Check that the folder can be written and the disk is not full, or choose another folder with --out. "
            "The previous site is as it was.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS, ()
    finally:
        progress.done()
    _report(result.problems)
    print(build_summary(result, config, args.strict), flush=True)
    return (EXIT_OK if result.written else EXIT_PROBLEMS), result.problems


class _Progress:
    """On a terminal, a build still running after a second says which stage it is in, on one line that the summary
    then replaces. Piped output (CI, editors' tools) gets the summary alone."""

    def __init__(self, after: float = 1.0) -> None:
        self.stage = "building"
        self.late = False
        self.timer = threading.Timer(after, self._show) if sys.stderr.isatty() else None
        if self.timer:
            self.timer.daemon = True
            self.timer.start()

    def __call__(self, stage: str) -> None:
        self.stage = stage
        if self.late:
            self._show()

    def _show(self) -> None:
        self.late = True
        print(f"\r\033[K{self.stage.capitalize()}\u2026", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        """Clear the line (once) before anything else is printed."""
        if self.timer:
            self.timer.cancel()
        if self.late:
            self.late = False
            print("\r\033[K", end="", file=sys.stderr, flush=True)


# Rules about the review itself, which recording a review settles.
REVIEW_SETTLES = frozenset({"review-unrecorded", "review-overdue", "review-in-future", "review-due-before-reviewed"})


def _review(config: SiteConfig, args: argparse.Namespace) -> int:
    from . import clinical, pipeline

    path = Path(args.page)
    if path.suffix != ".md" or not sourcefiles.inside(path, config.content_dir) or not path.is_file():
        print(f"Stopped: {args.page} is not a page in {shown_path(config.content_dir)}/.", file=sys.stderr)
        return EXIT_USAGE
    if not args.changes and not (args.reviewer or "").strip():
        print('Stopped: say who reviewed the page: --reviewer "Name, credentials".', file=sys.stderr)
        return EXIT_USAGE
    today = dt.date.today()
    result = pipeline.run(config, write=False, today=today)
    relative = path.resolve().relative_to(config.content_dir.resolve()).as_posix()
    page = next((p for p in result.site.pages if p.source.path == relative), None) if result.site else None
    errors = [
        p
        for p in result.problems
        if p.severity is Severity.ERROR and p.file == shown_path(path) and p.rule not in REVIEW_SETTLES
    ]
    if page is None or (errors and not args.changes):
        _report(errors)
        print(f"Stopped: {args.page} has errors. Fix them before its review is recorded.", file=sys.stderr)
        return EXIT_PROBLEMS
    now = page.material
    if args.changes:
        return _show_changes(config, relative, page.source.file, now)
    reviewer = " ".join(args.reviewer.split())
    record = clinical.write_record(config.content_dir, relative, reviewer, today, now)
    clinical.mark_reviewed(path, reviewer, today)
    print(
        f"Recorded: {page.source.file} was clinically reviewed by {reviewer} on {today.isoformat()}, as it stands "
        f"now (record: {shown_path(record)}). Commit both files."
    )
    return EXIT_OK


def _show_changes(config: SiteConfig, relative: str, file: str, now: clinical.Material) -> int:
    from . import clinical

    records, _problems = clinical.read_records(config.content_dir)
    record = records.get(relative)
    if record is None:
        print(f"{file} has no clinical review on record.")
    elif record.fingerprint == now.fingerprint:
        print(f"{file} is as {record.reviewer} reviewed it on {record.date.isoformat()}: nothing changed.")
    else:
        print(f"{file}: what changed since {record.reviewer} reviewed it on {record.date.isoformat()}\n")
        print(clinical.differences(record.material, now, file))
    return EXIT_OK


def _check(config: SiteConfig, args: argparse.Namespace) -> int:
    from . import pipeline

    result = pipeline.run(config, write=False, strict=args.strict, today=dt.date.today(), use_cache=args.use_cache)
    failed = pipeline.failed(result.problems, args.strict)
    summary = (
        f"Checked {result.pages} pages in {result.seconds:.2f} s: {_tally(result.problems)}"
        f"{_strict_note(result.problems, args.strict)}."
    )
    if args.format == "json":
        print(report_format.as_json(result.problems, summary, failed))
    elif args.format == "github":
        print(report_format.as_github(result.problems), end="")
        print(summary)
    else:
        _report(result.problems)
        print(summary)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _serve(config: SiteConfig, args: argparse.Namespace) -> int:
    from .serve import port_problem, serve  # livereload (and tornado) load only when serving
    from .write import unsafe_output

    reason = unsafe_output(config, Path(args.config)) or port_problem(args.host, args.port)
    if reason:
        print(f"Stopped: {reason}", file=sys.stderr)
        return EXIT_USAGE
    if not args.cms:
        return serve(config, Path(args.config), host=args.host, port=args.port, rebuild=_Previews(args, config).rebuild)
    return _serve_with_cms(config, args)


def _serve_with_cms(config: SiteConfig, args: argparse.Namespace) -> int:
    from . import localcms
    from .serve import port_problem, serve

    reason = _local_cms_problem(args)
    if reason is None:
        try:
            commands = localcms.find_commands(config.root)
        except localcms.LocalCmsError as exc:
            reason = str(exc)
    reason = reason or port_problem(localcms.HOST, args.cms_port)
    if reason:
        print(f"Stopped: {reason}", file=sys.stderr)
        return EXIT_USAGE
    config = _with_local_cms(config, args)
    notes = (
        f'The CMS is at http://{args.host}:{args.port}/admin/ ("Login" needs no account here). A save writes the file '
        "into this working copy and the preview rebuilds it; commit it as usual. On the published site each save is "
        "a pull request instead.",
    )
    try:
        with localcms.running(commands, config.root, args.cms_port):
            return serve(
                config,
                Path(args.config),
                host=args.host,
                port=args.port,
                rebuild=_Previews(args, config).rebuild,
                notes=notes,
            )
    except localcms.LocalCmsError as exc:
        print(f"Stopped: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _local_cms_problem(args: argparse.Namespace) -> str | None:
    from . import localcms

    if not localcms.is_loopback(args.host):
        return (
            f"serve --cms serves this computer only (the CMS writes into the working copy, and Decap uses its local "
            f"server only on localhost): leave out --host {args.host}."
        )
    return None


def _with_local_cms(config: SiteConfig, args: argparse.Namespace) -> SiteConfig:
    """``serve --cms``: the site as configured, with a CMS that edits this working copy through decap-server."""
    if not getattr(args, "cms", False):
        return config
    from .cms import local_settings

    return dataclasses.replace(config, cms=local_settings(config, args.cms_port))


class _Previews:
    """serve's builds: the config is read again when its file has changed, and the work kept between builds is
    dropped when the config did."""

    def __init__(self, args: argparse.Namespace, first: SiteConfig):
        from . import pipeline

        self.args, self.config, self.kept = args, first, pipeline.Kept()
        self.config_stamp = sourcefiles.stamp(Path(args.config))

    def rebuild(
        self, shown: Callable[[], None], stop: Callable[[], bool], changed: frozenset[Path] | None = None
    ) -> tuple[int, tuple[Problem, ...], Path]:
        """``shown`` is called once the saved pages are in the output folder, before the rest of the site is built;
        ``stop`` says when another save has come in, and this build should give way to the next; ``changed``: the
        files changed since the last build, when known."""
        from . import pipeline
        from .serve import clear_problems
        from .write import replace_files

        config = self._config()
        if isinstance(config, tuple):
            return EXIT_USAGE, config, self.config.output_dir
        if config != self.config:
            self.config, self.kept = config, pipeline.Kept()

        def show(outputs: list[Output]) -> None:
            # Pages are shown early only while nothing has failed: a broken save's problems no longer hold, and the
            # page, reloaded, must not show them over itself. A build that fails after all writes them again.
            clear_problems(config.output_dir)
            if replace_files(outputs, config.output_dir):
                shown()

        preview = pipeline.Preview(self.kept, show, stop, changed)
        code, problems = _built(config, self.args, live_reload=True, preview=preview)
        return code, problems, config.output_dir

    def _config(self) -> SiteConfig | tuple[Problem, ...]:
        """The config as its file is now (read again only if the file changed), or its problems."""
        now = sourcefiles.stamp(Path(self.args.config))
        if now is not None and now == self.config_stamp:
            return self.config
        try:
            config = load_config(Path(self.args.config), Path(self.args.out) if self.args.out else None)
        except ProblemsError as exc:
            _report(exc.problems)
            return exc.problems
        self.config_stamp = now
        return _with_local_cms(config, self.args)


def _new(config: SiteConfig, args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, new_article

    try:
        path = new_article(config, args.title, args.section, dt.date.today())
    except ScaffoldError as exc:
        print(f"Stopped: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Created {path}. Write its summary, key points and text, then run: python build.py check")
    return EXIT_OK


def _report_health(config: SiteConfig, args: argparse.Namespace) -> int:
    from . import health, pipeline

    result = pipeline.run(config, write=False, today=dt.date.today())
    report = health.as_markdown(result.site, result.problems)
    if args.markdown:
        Path(args.markdown).write_text(report, encoding="utf-8")
    else:
        print(report, end="")
    if args.html:
        Path(args.html).write_text(health.as_html(report, f"Content health: {config.title}"), encoding="utf-8")
    written = [name for name in (args.markdown, args.html) if name]
    if written:
        print(f"Wrote {' and '.join(written)}: {_tally(result.problems)}.")
    return EXIT_OK


def _contributing(config: SiteConfig, args: argparse.Namespace) -> int:
    from .contributing import contributing

    guide = config.content_dir / "editors-guide.md"
    target = Path(args.config).resolve().parent / "CONTRIBUTING.md"
    target.write_text(contributing(guide, dict(config.rule_levels)), encoding="utf-8")
    print(f"Wrote {target} from {guide}.")
    return EXIT_OK


def build_summary(result: pipeline.BuildResult, config: SiteConfig, strict: bool) -> str:
    if result.written:
        return (
            f"Built {result.pages} pages into {config.output_dir} in {result.seconds:.2f} s: {_tally(result.problems)}."
        )
    return (
        f"Build failed in {result.seconds:.2f} s: {_tally(result.problems)}{_strict_note(result.problems, strict)}."
        f" Nothing was written; {config.output_dir} is as it was."
    )


def _tally(problems: tuple[Problem, ...]) -> str:
    errors, warnings = count(problems, Severity.ERROR), count(problems, Severity.WARNING)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _strict_note(problems: tuple[Problem, ...], strict: bool) -> str:
    if strict and count(problems, Severity.WARNING) and not count(problems, Severity.ERROR):
        return " (--strict treats warnings as errors)"
    return ""


def _report(problems: tuple[Problem, ...]) -> None:
    """Problems for a person: one line each, and on a terminal a blank line between files and colour."""
    print(report_format.as_text(problems, colour=sys.stderr.isatty()), end="", file=sys.stderr)
