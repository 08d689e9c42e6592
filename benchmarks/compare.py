#!/usr/bin/env python3
"""Side by side: this project, MkDocs and Pelican building the same N articles, cold, several times in one run.

    .venv/bin/python benchmarks/compare.py --setup-peers          # once: MkDocs and Pelican into benchmarks/.peers-venv
    .venv/bin/python benchmarks/compare.py [--articles 1000] [--runs 3] [--json FILE] [--record]

One synthetic site is generated with scale.py's generator (articles of about 900 words with glossary terms,
citations, statistics, callouts and cross-links) and converted into a MkDocs and a Pelican project (peers.py). Each
round builds the three in turn from nothing; every build is one whole process, measured from outside. This
project is then measured alone: rebuilds after a template and a CSS change, a no-op rebuild, the live-edit latency
of ``serve`` and ``build.py --help`` (project.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import peers
import project
import scale
from timing import Run, run_measured, spread

BENCHMARKS = Path(__file__).resolve().parent
RESULTS = BENCHMARKS / "RESULTS.md"
EXTRA_PARAGRAPHS = 2  # scale.py's articles are about 500 words; two more paragraphs a heading make about 900
TOOLS = ("handout", "mkdocs", "pelican")
LABELS = {"handout": "this project", "mkdocs": "MkDocs", "pelican": "Pelican"}
WARNING_LINE = re.compile(r"\bWARNING\b")
ERROR_LINE = re.compile(r"\b(ERROR|CRITICAL)\b")


@dataclass
class Tool:
    name: str
    root: Path
    output: str  # the output folder, inside root
    command: list[str]
    caches: tuple[str, ...] = ()  # folders inside root that a cold build must not find
    runs: list[Run] = field(default_factory=list)

    def clean(self) -> None:
        for folder in (self.output, *self.caches):
            shutil.rmtree(self.root / folder, ignore_errors=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles in the site (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="cold builds of each tool, and rebuilds (default 3)")
    parser.add_argument("--edits", type=int, default=3, help="live edits under serve (default 3, at most 10)")
    parser.add_argument("--tools", default=",".join(TOOLS), help="which tools, comma-separated (default: all three)")
    parser.add_argument("--cold-only", action="store_true", help="skip this project's rebuild and serve measurements")
    parser.add_argument("--json", metavar="FILE", help="write every figure to FILE as JSON")
    parser.add_argument("--record", action="store_true", help=f"append the results to {RESULTS.name}")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR (new or empty) and leave the sites and logs there")
    parser.add_argument("--setup-peers", action="store_true", help=f"(re)create {peers.PEERS_VENV.name} first")
    parser.add_argument("--seed", type=int, default=scale.SEED, help="the generator's seed (default: fixed)")
    parser.add_argument(
        "--no-base-url",
        action="store_true",
        help="leave base_url unset, so no page draws a QR code (the peers draw none)",
    )
    parser.add_argument("--repo", default=str(scale.REPO), help="the checkout whose build.py, templates, static to use")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs this project's build")
    args = parser.parse_args(argv)
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if unknown := set(args.tools) - set(TOOLS):
        parser.error(f"--tools: unknown {', '.join(sorted(unknown))}; choose from {', '.join(TOOLS)}")
    if args.articles < len(scale.SECTIONS):
        parser.error(f"--articles must be at least {len(scale.SECTIONS)}, one per section")
    if args.runs < 1 or not 1 <= args.edits <= len(project.EDIT_WORDS):
        parser.error(f"--runs must be at least 1, --edits 1 to {len(project.EDIT_WORDS)}")
    return args


def say(message: str) -> None:
    """Progress, on standard error: a run at 1,000 articles takes a quarter of an hour."""
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- the sites ----------------------------------------------------------------------------------------------------


def generate_sites(work: Path, args: argparse.Namespace) -> peers.Corpus:
    root = work / "handout"
    root.mkdir(parents=True)
    scale.generate(root, args.articles, args.seed, not args.no_base_url, Path(args.repo), EXTRA_PARAGRAPHS)
    corpus = peers.read_corpus(root)
    peers.write_mkdocs(corpus, work / "mkdocs")
    peers.write_pelican(corpus, work / "pelican")
    return corpus


def make_tools(work: Path, site: project.Project, names: list[str], no_cache: bool) -> list[Tool]:
    venv = peers.PEERS_VENV / "bin"
    build = site.command("build", "--config", "config.yaml", *["--no-cache"] * no_cache)
    every = {
        "handout": Tool("handout", site.root, project.OUTPUT_DIR, build, (project.CACHE_DIR,)),
        "mkdocs": Tool("mkdocs", work / "mkdocs", "site", [str(venv / "mkdocs"), "build"]),
        # Pelican's own content cache is off in pelicanconf.py; "cache" is where it would be.
        "pelican": Tool(
            "pelican",
            work / "pelican",
            "output",
            [str(venv / "pelican"), "content", "-s", "pelicanconf.py", "-o", "output"],
            ("cache", "__pycache__"),
        ),
    }
    return [every[name] for name in names]


# --- cold builds --------------------------------------------------------------------------------------------------


def cold_rounds(tools: list[Tool], runs: int, slugs: set[str], logs: Path) -> None:
    """Round after round, each tool in turn, so that a change in the machine's load falls on all of them."""
    for n in range(1, runs + 1):
        for tool in tools:
            tool.clean()
            say(f"round {n}/{runs}: {LABELS[tool.name]}")
            run = run_measured(tool.command, tool.root, logs / f"{tool.name}-cold-{n}")
            if run.exit != 0:
                raise SystemExit(f"{LABELS[tool.name]} failed (exit {run.exit}): see {run.log}.out and .err")
            require_articles(tool, slugs, run)
            say(f"  {run.wall_s:.2f} s wall, {run.cpu_s:.2f} s CPU, {run.peak_mb:.0f} MB")
            tool.runs.append(run)


def html_files(tool: Tool) -> list[Path]:
    return list((tool.root / tool.output).rglob("*.html"))


def require_articles(tool: Tool, slugs: set[str], run: Run) -> None:
    """Every tool writes each article to .../<slug>/index.html: a tool that skipped some would look fast."""
    built = {p.parent.name for p in html_files(tool) if p.name == "index.html"}
    missing = sorted(slugs - built)
    if missing:
        raise SystemExit(
            f"{LABELS[tool.name]} built {len(slugs) - len(missing)} of {len(slugs)} articles; missing, for example: "
            f"{', '.join(missing[:5])}. See {run.log}.out and .err."
        )


def problems(tool: Tool) -> dict[str, int | None]:
    """Warnings and errors of the tool's last build: this project's from its summary line, the peers' log lines."""
    run = tool.runs[-1]
    text = run.stdout + run.stderr
    if tool.name == "handout":
        summary = scale.SUMMARY.search(run.stdout)
        return {"errors": int(summary.group(3)), "warnings": int(summary.group(4))} if summary else {}
    lines = text.splitlines()
    return {
        "errors": sum(1 for line in lines if ERROR_LINE.search(line)),
        "warnings": sum(1 for line in lines if WARNING_LINE.search(line)),
    }


def tool_summary(tool: Tool, articles: int) -> dict[str, Any]:
    wall = [r.wall_s for r in tool.runs]
    cpu = [r.cpu_s for r in tool.runs]
    return {
        "html_files": len(html_files(tool)),
        **problems(tool),
        "wall_s": spread(wall, 2),
        "cpu_s": spread(cpu, 2),
        "peak_mb": spread([r.peak_mb for r in tool.runs], 1),
        "ms_per_article": round(statistics.median(wall) / articles * 1000, 1),
        "cpu_ms_per_article": round(statistics.median(cpu) / articles * 1000, 1),
        "runs": [r.as_json() for r in tool.runs],
    }


def ratios(tools: list[Tool]) -> dict[str, dict[str, float]]:
    """This project's time over each peer's, round by round, then the median: pairing keeps a ratio fair when the
    machine's load drifts during the run. Below 1, this project is faster (the issue's target: 0.5 against
    Pelican, 0.25 against MkDocs)."""
    by_name = {t.name: t for t in tools}
    if "handout" not in by_name:
        return {}
    ours = by_name["handout"].runs
    result = {}
    for name in ("pelican", "mkdocs"):
        if name in by_name:
            theirs = by_name[name].runs
            result[name] = {
                "wall": paired(ours, theirs, lambda r: r.wall_s),
                "cpu": paired(ours, theirs, lambda r: r.cpu_s),
            }
    return result


def paired(ours: list[Run], theirs: list[Run], figure: Callable[[Run], float]) -> float:
    return round(statistics.median(figure(a) / figure(b) for a, b in zip(ours, theirs, strict=True)), 2)


# --- this project only --------------------------------------------------------------------------------------------


def project_only(site: project.Project, corpus: peers.Corpus, args: argparse.Namespace) -> dict[str, Any]:
    """Rebuilds from a warm state (the cache, once there is one): template change, CSS change, no-op; then serve."""
    say("this project: a warm-up build (fills the cache, once there is one)")
    warm = site.build("warm")
    say(f"this project: {args.runs} rebuilds after a template change")
    template = project.after_edit(
        site, site.root / "templates" / "base.html", "\n<!-- benchmark: template edit {n} -->\n", "template", args.runs
    )
    say(f"this project: {args.runs} rebuilds after a CSS change")
    css = project.after_edit(
        site, site.root / "static" / "css" / "site.css", "\n/* benchmark: CSS edit {n} */\n", "css", args.runs
    )
    say(f"this project: {args.runs} no-op rebuilds")
    noop = project.no_op(site, args.runs)
    say(f"this project: {args.edits} live edits under serve")
    articles = [page.path for page in corpus.articles]
    live = project.live_edits(site, articles, args.edits, timeout=max(120.0, args.articles * 0.3))
    return {
        "warm_build": warm.as_json(),
        "template_change": rebuilds([r.as_json() for r in template]),
        "css_change": rebuilds([r.as_json() for r in css]),
        "no_op": {
            **rebuilds(noop),
            "rewritten": [r["rewritten"] for r in noop],
            "files": noop[-1]["files"],
            "runs": noop,
        },
        "live_edit": live,
    }


def rebuilds(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "wall_s": spread([r["wall_s"] for r in runs], 2),
        "cpu_s": spread([r["cpu_s"] for r in runs], 2),
        "runs": runs,
    }


# --- the report ---------------------------------------------------------------------------------------------------


def machine(python: str) -> dict[str, Any]:
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    build_python = run_text([python, "-c", "import platform; print(platform.python_version())"])
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "python": build_python,
        "kernel": platform.release(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }


def run_text(command: list[str]) -> str:
    return subprocess.run(command, capture_output=True, text=True).stdout.strip()


def report(results: dict[str, Any]) -> str:
    """The results for people: the table of cold builds, the ratios, then this project's own figures."""
    m, n = results["machine"], results["articles"]
    lines = [
        f"{n} articles (~900 words), {results['runs']} cold builds of each tool in turn; {results['date']}, "
        f"nproc {m['nproc']}, {m['memory_gib']} GiB, Linux {m['kernel']}, Python {m['python']}, engine "
        f"{results['engine']}, load average {m['load_before'][0]} before and {m['load_after'][0]} after",
        "",
        f"{'tool':<13} {'html':>6} {'wall s: median (min-max)':>26} {'ms/article':>10} {'CPU s':>8} {'peak MB':>8}"
        f" {'warnings':>8}",
    ]
    for name, t in results["tools"].items():
        wall = t["wall_s"]
        lines.append(
            f"{LABELS[name]:<13} {t['html_files']:>6} {wall['median']:>12.2f} ({wall['min']:.2f}-{wall['max']:.2f})"
            f"{'':>3} {t['ms_per_article']:>10.1f} {t['cpu_s']['median']:>8.2f} {t['peak_mb']['median']:>8.0f}"
            f" {t.get('warnings', '?'):>8}"
        )
    for name, r in results["ratios"].items():
        lines.append(
            f"this project / {LABELS[name]}: wall {r['wall']}x, CPU {r['cpu']}x (median of per-round ratios; "
            f"below 1 is faster)"
        )
    if extra := results.get("project_only"):
        lines += ["", *project_lines(extra, results)]
    if help_ := results.get("help"):
        lines.append(
            f"build.py --help: {help_['wall_ms']['median']:.0f} ms wall (min {help_['wall_ms']['min']:.0f}, max "
            f"{help_['wall_ms']['max']:.0f}), {help_['cpu_ms']['median']:.0f} ms CPU, median of 10"
        )
    return "\n".join(lines)


def project_lines(extra: dict[str, Any], results: dict[str, Any]) -> list[str]:
    cold = results["tools"]["handout"]
    cold_wall, cold_cpu = cold["wall_s"]["median"], cold["cpu_s"]["median"]
    noop, live = extra["no_op"], extra["live_edit"]

    def rebuild(label: str, figure: dict[str, Any]) -> str:
        wall, cpu = figure["wall_s"], figure["cpu_s"]
        return (
            f"{label}: {wall['median']:.2f} s wall ({wall['min']:.2f}-{wall['max']:.2f}), {cpu['median']:.2f} s CPU; "
            f"{wall['median'] / cold_wall:.2f} of the cold build's wall time, {cpu['median'] / cold_cpu:.2f} of its CPU"
        )

    served = (
        f"yes (apart from the {live['lines_differing_before_normalizing']} diff lines serve changes on purpose)"
        if live["served_equals_build"]
        else f"NO ({live['difference']})"
    )
    return [
        f"This project only (from a warm state; cold build {cold_wall:.2f} s wall, {cold_cpu:.2f} s CPU):",
        rebuild("  template change (base.html)", extra["template_change"]),
        rebuild("  CSS change (site.css)", extra["css_change"]),
        rebuild("  no-op rebuild", noop)
        + f"; files rewritten: {', '.join(map(str, noop['rewritten']))} of {noop['files']}",
        f"  live edit under serve: {live['latency_ms_median']} ms median from the write to the page showing it "
        f"({', '.join(map(str, live['latency_ms']))}); served page equals a full build's: {served}",
    ]


def record(results: dict[str, Any]) -> None:
    """Append a section to RESULTS.md: the machine, the date, the engine, N, the medians and the ratios."""
    header = "" if RESULTS.exists() else RESULTS_HEADER
    with RESULTS.open("a", encoding="utf-8") as f:
        f.write(header + "\n" + markdown_section(results))


def markdown_section(results: dict[str, Any]) -> str:
    m = results["machine"]
    when = results["date"].replace("T", " ")
    lines = [
        f"## {when}: {results['articles']:,} articles, {results['runs']} runs, engine `{results['engine']}`"
        + ("" if results.get("base_url", True) else ", no base_url (no QR codes)"),
        "",
        f"Machine: nproc {m['nproc']}, {m['memory_gib']} GiB, Linux {m['kernel']}, Python {m['python']}"
        + (f"; {versions(results['peer_versions'])}" if "peer_versions" in results else "")
        + f". Load average (1 min) {m['load_before'][0]} before the run, {m['load_after'][0]} after.",
        "",
        "| tool | HTML files | wall, median (min-max) | ms/article | CPU, median | peak RSS | warnings |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, t in results["tools"].items():
        wall = t["wall_s"]
        lines.append(
            f"| {LABELS[name]} | {t['html_files']:,} | {wall['median']:.2f} s ({wall['min']:.2f}-{wall['max']:.2f}) "
            f"| {t['ms_per_article']:.1f} | {t['cpu_s']['median']:.2f} s | {t['peak_mb']['median']:.0f} MB "
            f"| {t.get('warnings', '?')} |"
        )
    if results["ratios"]:
        said = "; ".join(
            f"{LABELS[name]}: wall {r['wall']:.2f}, CPU {r['cpu']:.2f}" for name, r in results["ratios"].items()
        )
        lines += ["", f"This project's time over the peer's (median of per-round ratios; below 1 is faster): {said}."]
    if extra := results.get("project_only"):
        lines += ["", *project_table(extra, results)]
    return "\n".join(lines) + "\n"


def versions(peer: dict[str, str]) -> str:
    return f"MkDocs {peer['mkdocs']}, Pelican {peer['pelican']}, Markdown {peer['markdown']}"


def project_table(extra: dict[str, Any], results: dict[str, Any]) -> list[str]:
    cold = results["tools"]["handout"]
    lines = [
        "| this project only | wall, median (min-max) | CPU, median | of the cold build (wall, CPU) | |",
        "|---|---|---|---|---|",
    ]
    for label, key in (("template change", "template_change"), ("CSS change", "css_change"), ("no-op", "no_op")):
        wall, cpu = extra[key]["wall_s"], extra[key]["cpu_s"]
        note = ""
        if key == "no_op":
            note = f"files rewritten: {', '.join(f'{n:,}' for n in extra[key]['rewritten'])} of {extra[key]['files']:,}"
        lines.append(
            f"| {label} rebuild | {wall['median']:.2f} s ({wall['min']:.2f}-{wall['max']:.2f}) | {cpu['median']:.2f} s "
            f"| {wall['median'] / cold['wall_s']['median']:.2f}, {cpu['median'] / cold['cpu_s']['median']:.2f} "
            f"| {note} |"
        )
    live = extra["live_edit"]
    same = "yes" if live["served_equals_build"] else "**no**"
    lines.append(
        f"| live edit under serve, write to page | {live['latency_ms_median']:,} ms "
        f"({min(live['latency_ms']):,}-{max(live['latency_ms']):,}) | | | served page equals a full build's: {same} |"
    )
    if help_ := results.get("help"):
        wall = help_["wall_ms"]
        lines.append(
            f"| `build.py --help` (10 runs) | {wall['median']:.0f} ms ({wall['min']:.0f}-{wall['max']:.0f}) "
            f"| {help_['cpu_ms']['median']:.0f} ms | | |"
        )
    return lines


RESULTS_HEADER = """\
# Results of `compare.py`

Each section is one run of `benchmarks/compare.py --record` (see README.md for what each figure means). Quote
medians; a wide min-max range, or a high load average, means the machine was busy with other work.
"""


# --- main ---------------------------------------------------------------------------------------------------------


def workspace(keep: str | None) -> tuple[Path, tempfile.TemporaryDirectory[str] | None]:
    if keep:
        work = Path(keep).resolve()
        if work.exists() and any(work.iterdir()):
            raise SystemExit(f"--keep {work}: the folder is not empty")
        work.mkdir(parents=True, exist_ok=True)
        return work, None
    holder = tempfile.TemporaryDirectory(prefix="handout-compare-")
    return Path(holder.name), holder


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wants_peers = any(t != "handout" for t in args.tools)
    if args.setup_peers:
        peers.setup_peers()
    if wants_peers and not peers.peers_ready():
        print(
            f"MkDocs and Pelican are not set up: run once `{sys.executable} {Path(__file__)} --setup-peers`, which "
            f"creates {peers.PEERS_VENV} and installs {peers.REQUIREMENTS.name} into it from PyPI (about a minute).",
            file=sys.stderr,
        )
        return 2

    work, holder = workspace(args.keep)
    # This project's cache of parsed pages and drawings, kept in the work folder: a run never reads what an earlier
    # run or the user's own builds left behind (cold builds pass --no-cache besides).
    os.environ["HANDOUT_CACHE"] = str(work / "handout-cache")
    try:
        results = measure(work, args)
    finally:
        if holder is not None:
            holder.cleanup()

    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.record:
        record(results)
        print(f"\nAppended to {RESULTS}", file=sys.stderr)
    return 0


def measure(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    logs = work / "logs"
    results: dict[str, Any] = {
        "date": dt.datetime.now().isoformat(timespec="minutes"),
        "articles": args.articles,
        "runs": args.runs,
        "seed": args.seed,
        "engine": scale.git_state(Path(args.repo)),  # before the builds: someone may commit during a long run
        "machine": machine(args.python),
    }
    say(f"generating {args.articles} articles in {work}")
    corpus = generate_sites(work, args)
    # pip compiled the peers' code when it installed them; this project runs from its checkout, where Python writes
    # the compiled files on the first run, unless PYTHONDONTWRITEBYTECODE (set on some machines, CI's among them)
    # makes every run compile it again. Compile it once, as an installed copy would be.
    subprocess.run([args.python, "-m", "compileall", "-q", str(Path(args.repo) / "handout")], check=True)
    site = project.Project(work / "handout", args.python, Path(args.repo), logs)
    no_cache = project.has_no_cache_flag(site)
    results["cold_build_flags"] = ["--no-cache"] if no_cache else []
    results["base_url"] = not args.no_base_url  # with it, every page draws a QR code
    if "handout" in args.tools:
        say("this project: build.py --help, 10 times")
        results["help"] = project.help_time(site)
    if any(t != "handout" for t in args.tools):
        results["peer_versions"] = peers.peer_versions()

    tools = make_tools(work, site, args.tools, no_cache)
    cold_rounds(tools, args.runs, {Path(page.path).stem for page in corpus.articles}, logs)
    results["tools"] = {t.name: tool_summary(t, args.articles) for t in tools}
    results["ratios"] = ratios(tools)
    if "handout" in args.tools and not args.cold_only:
        results["project_only"] = project_only(site, corpus, args)
    results["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return results


if __name__ == "__main__":
    sys.exit(main())
