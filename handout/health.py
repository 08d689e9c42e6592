"""``report``: the content's health for editors and pull requests, from one build of the site model.

Markdown first (a pull request's job summary shows it as it is); the HTML page is that Markdown, converted, for an
editor's browser. Neither is part of the published site.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import markdown

from .lints import read_prose, reading_grade
from .model import Page, Site
from .problems import Problem, Severity
from .reader import PageKind


@dataclass(frozen=True)
class ArticleHealth:
    path: str
    title: str
    grade: float
    words: int
    citations: int
    terms: int
    stats: int
    reviewed: str
    review_due: str
    status: str
    problems: Counter[str]


def article_health(page: Page, problems: Sequence[Problem]) -> ArticleHealth:
    text = read_prose(page.html).text
    meta = page.meta
    return ArticleHealth(
        path=page.source.file,
        title=meta.title,
        grade=round(reading_grade(text), 1),
        words=len(text.split()),
        citations=len(page.citations),
        terms=len(page.terms),
        stats=len(page.stats),
        reviewed=meta.reviewed.isoformat(),
        review_due=meta.review_due.isoformat(),
        status=meta.review_status,
        problems=Counter(p.rule for p in problems if p.file == page.source.file),
    )


def as_markdown(site: Site, problems: Sequence[Problem]) -> str:
    articles = [article_health(p, problems) for p in site.pages if p.source.kind is PageKind.ARTICLE]
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    lines = [
        f"# Content health: {_cell(site.config.title)}",
        "",
        f"{len(articles)} articles, {sum(a.words for a in articles):,} words, "
        f"{sum(a.citations for a in articles)} citations; {_count(errors, 'error')} and "
        f"{_count(warnings, 'warning')}.",
        "",
        "| Article | Grade | Words | Sources | Terms | Numbers | Checked | Review due | Status | Problems |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for a in articles:
        found = ", ".join(f"{rule} ({n})" for rule, n in sorted(a.problems.items())) or "none"
        lines.append(
            f"| {_cell(a.title)} (`{a.path}`) | {a.grade} | {a.words} | {a.citations} | {a.terms} | {a.stats} "
            f"| {a.reviewed} | {a.review_due} | {a.status} | {found} |"
        )
    lines += ["", *review_dashboard(site, problems)]
    by_rule = Counter(p.rule for p in problems)
    lines += ["", "## Problems by rule", ""]
    lines += [f"- `{rule}`: {n}" for rule, n in sorted(by_rule.items())] or ["None."]
    return "\n".join(lines) + "\n"


def review_dashboard(site: Site, problems: Sequence[Problem]) -> list[str]:
    """Where each page stands with its clinical review, for the editors who arrange the reviews."""
    overdue = {p.file for p in problems if p.rule == "review-overdue"}
    groups: dict[str, list[str]] = {"current": [], "changed": [], "none": []}
    for page in site.pages:
        link = f"{_cell(page.meta.title)} (`{page.source.file}`)"
        why = f": {'; '.join(page.review.changes)}" if page.review.state == "changed" else ""
        groups[page.review.state].append(f"- {link}{why}")
    late = [f"- {_cell(p.meta.title)} (`{p.source.file}`)" for p in site.pages if p.source.file in overdue]
    lines = ["## Clinical review", ""]
    for title, items in (
        ("Reviewed, and unchanged since", groups["current"]),
        ("Changed since their review (awaiting re-review)", groups["changed"]),
        ("Never clinically reviewed", groups["none"]),
        ("Review overdue", late),
    ):
        lines += [f"**{title}: {len(items)}**", ""]
        if items and title != "Never clinically reviewed":
            lines += [*items, ""]
    return lines


def as_html(report: str, title: str) -> str:
    body = markdown.markdown(report, extensions=["tables"])
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        "<style>body{font-family:system-ui,sans-serif;margin:1rem;line-height:1.5}"
        "table{border-collapse:collapse}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left}</style>"
        f"</head><body>\n{body}\n</body></html>\n"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _cell(text: str) -> str:
    """Text from content, safe in a Markdown table and in the HTML made from it: a title is data, never markup."""
    return html.escape(text).replace("|", "\\|")
