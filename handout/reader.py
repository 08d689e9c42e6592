"""Stage 2: read every content file, work out what it is from its path, and validate its front matter.

Nothing here looks at Markdown bodies beyond finding where they start: that is the markup stage's job.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import schema, sourcefiles, urls
from .config import SiteConfig
from .problems import Problem, did_you_mean, shown_path
from .registers import REGISTER_FILES
from .rules import report
from .schema import Field
from .yamldoc import Path_, parse_yaml

SUMMARY_PLACEHOLDER = "Write one or two plain sentences, at most 160 characters, about what this page covers."
KEY_POINT_PLACEHOLDER = "Three to five short sentences with the most important points of this page."
BODY_PLACEHOLDER = "Start with a short paragraph that says what this page is about and who it is for."

AWAITING_REVIEW = "awaiting-clinical-review"
REVIEWED = "clinically-reviewed"
READERS = "readers"
EDITORS = "editors"


@dataclass(frozen=True)
class Change:
    """One line of a page's public change log, as PDQ's "Changes to this summary"."""

    date: dt.date
    change: str


# One change: its date and what changed, in a sentence.
CHANGE_FIELDS = (
    Field("date", schema.date, required=True, help="The day the change was published."),
    Field("change", schema.text(200), required=True, help="What changed, in one plain sentence."),
)


def _change_log(value: object) -> tuple[Change, ...]:
    example = 'such as "- {date: 2026-11-30, change: Added the new drug X.}"'
    if not isinstance(value, list):
        raise schema.InvalidValueError(f"must be a list of changes, each {example}.")
    names = {f.name for f in CHANGE_FIELDS}
    changes = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) != names:
            raise schema.InvalidValueError(f"item {i} must have a date and a change and nothing else, {example}.")
        try:
            changes.append(Change(**{f.name: f.kind(item[f.name]) for f in CHANGE_FIELDS}))
        except schema.InvalidValueError as exc:
            raise schema.InvalidValueError(f"item {i}: {exc}") from None
    return tuple(sorted(changes, key=lambda c: c.date, reverse=True))


change_log = schema.records(_change_log, *CHANGE_FIELDS)


FRONT_MATTER_FIELDS = (
    Field(
        "title",
        schema.text(100),
        required=True,
        example="title: When breast cancer spreads to the bones",
        help="The page's name, as readers would say it.",
    ),
    Field(
        "summary",
        schema.text(160, why=" (it is shown in listings and search results)"),
        required=True,
        example="summary: One or two plain sentences, at most 160 characters, about this page.",
        help="One or two plain sentences about what the page covers; shown in listings and search results.",
    ),
    Field("key_points", schema.text_list, default=(), help="3 to 5 short sentences, shown at the top of the page."),
    Field("order", schema.integer(), help="A whole number that sorts the article within its section (then by title)."),
    Field(
        "reviewed",
        schema.date,
        required=True,
        example="reviewed: 2026-11-21",
        help="The day the content was last checked against its sources.",
    ),
    Field("review_due", schema.date, help="Leave empty for the usual interval after the reviewed date."),
    Field(
        "review_status",
        schema.choice(AWAITING_REVIEW, REVIEWED),
        default=AWAITING_REVIEW,
        help="Only the review command, run for a clinician, makes a page clinically reviewed.",
    ),
    Field("reviewer", schema.text(160), help="Name and credentials of the clinician; only with clinically-reviewed."),
    Field(
        "related",
        schema.text_list,
        default=(),
        help="Other articles, as paths inside content/, such as treatments/goals-and-planning.md.",
    ),
    Field("questions", schema.text_list, default=(), help="Questions to ask your care team, shown at the end."),
    Field("link_terms", schema.boolean, default=True, help="Off: no glossary links on this page."),
    Field("skip_terms", schema.text_list, default=(), help="Glossary terms not to link on this page."),
    # A form to print and fill in by hand (the handover sheet): printed on one page, without the reading aids.
    Field("sheet", schema.boolean, default=False, help="On for a form to print and fill in by hand."),
    # The frequently-asked-questions page: each "##" heading ending in "?" is a question, described as such for
    # search engines (schema.org FAQPage).
    Field("faq", schema.boolean, default=False, help='On for the questions page: each "##" heading ending in "?".'),
    # Significant changes, newest first on the page: shown at its end, on paper, on the Recent changes page and in
    # the site's Atom feed, so a clinic knows when to reprint.
    Field(
        "changes",
        change_log,
        default=(),
        help="The public change log: significant changes, so a clinic knows when to reprint.",
    ),
    # Who the page is written for. Pages for editors (the editors' guide) stay out of patients' search results,
    # footers and listings; they are still published and linked from About.
    Field(
        "audience",
        schema.choice(READERS, EDITORS),
        default=READERS,
        help="editors: kept out of patients' search results, footers and listings.",
    ),
)


class PageKind(enum.Enum):
    HOME = "home"
    PAGE = "page"  # a standalone page at the top of the content folder, such as about.md
    ARTICLE = "article"


@dataclass(frozen=True)
class FrontMatter:
    title: str
    summary: str
    key_points: tuple[str, ...]
    order: int | None
    reviewed: dt.date
    review_due: dt.date
    review_status: str
    reviewer: str | None
    related: tuple[str, ...]
    questions: tuple[str, ...]
    link_terms: bool
    skip_terms: tuple[str, ...]
    sheet: bool
    faq: bool
    changes: tuple[Change, ...]
    audience: str = READERS

    @property
    def awaiting_review(self) -> bool:
        return self.review_status != REVIEWED


@dataclass(frozen=True)
class SourcePage:
    path: str  # inside the content folder, with forward slashes: "treatments/chemotherapy.md"
    file: str  # as shown in messages
    kind: PageKind
    section: str | None
    slug: str
    url: str
    meta: FrontMatter
    meta_lines: Mapping[Path_, int]
    body: str
    body_line: int  # the line of the file on which ``body`` starts

    def line_of(self, *path: str | int) -> int:
        key: Path_ = tuple(path)
        while key:
            if key in self.meta_lines:
                return self.meta_lines[key]
            key = key[:-1]
        return 1


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


@dataclass(frozen=True)
class ReadFile:
    """One Markdown file as read, kept by ``serve`` so that the next build reads only the files saved since."""

    stamp: tuple[int, int, int, int] | None  # sourcefiles.stamp
    page: SourcePage | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Content:
    pages: tuple[SourcePage, ...]
    unreadable: frozenset[str]  # files that exist but could not be loaded; their problems say why
    problems: tuple[Problem, ...]
    files: Mapping[str, ReadFile] = field(default_factory=dict)  # each Markdown file read, by its path
    fresh: frozenset[str] = frozenset()  # the paths of files read anew, not taken from ``known``


def read_content(config: SiteConfig, known: Mapping[str, ReadFile] | None = None) -> Content:
    """Read every Markdown file under the content folder, in a stable order. A file in ``known`` (an earlier
    reading's ``files``) with the same stamp is not read again."""
    known = known or {}
    root = config.content_dir
    if not root.is_dir():
        return Content(
            (),
            frozenset(),
            (
                report(
                    "content-missing",
                    shown_path(root),
                    0,
                    f"the content folder does not exist. Create it, or set content_dir in {config.file}.",
                ),
            ),
        )
    pages: list[SourcePage] = []
    unreadable: set[str] = set()
    problems: list[Problem] = []
    files: dict[str, ReadFile] = {}
    for path, problem in sourcefiles.walk(root, skip=(".", "_")):
        rel = path.relative_to(root).as_posix()
        if problem:
            problems.append(problem)
            unreadable.add(rel)
        elif path.suffix == ".md":
            files[rel] = read = read_file(config, path, known.get(rel), walked=True)
            problems += read.problems
            if read.page is not None:
                pages.append(read.page)
            else:
                unreadable.add(rel)
        elif rel not in REGISTER_FILES:
            problems.append(_unknown_file(rel, shown_path(path)))
    if not (root / "index.md").is_file():
        problems.append(
            report(
                "content-no-home",
                shown_path(root / "index.md"),
                0,
                "the home page is missing. Create it with a title, summary and reviewed date.",
            )
        )
    fresh = frozenset(rel for rel, read in files.items() if known.get(rel) is not read)
    return Content(tuple(pages), frozenset(unreadable), tuple(problems), files, fresh)


def read_file(config: SiteConfig, path: Path, known: ReadFile | None, walked: bool = False) -> ReadFile:
    """One Markdown file of the content folder, or ``known`` (an earlier reading of it) if the file's stamp is the
    same. ``walked``: see sourcefiles.read_text."""
    # The stamp is taken before reading: a save that lands during the read changes it, so the next build reads again.
    stamp = sourcefiles.stamp(path)
    if known is not None and stamp is not None and known.stamp == stamp:
        return known
    page, problems = read_page(config, path, walked)
    return ReadFile(stamp, page, tuple(problems))


def _unknown_file(rel: str, file: str) -> Problem:
    """Most often a register under a near-miss name ("statistics.yaml"), whose entries would silently be missing."""
    guess = did_you_mean(rel, REGISTER_FILES)
    return report(
        "content-unknown-file",
        file,
        0,
        f"the build does not read this file: content/ holds Markdown pages (.md) and the registers "
        f"{', '.join(REGISTER_FILES)}.{guess} Rename it, or move it out of the content folder.",
    )


def read_page(config: SiteConfig, path: Path, walked: bool = False) -> tuple[SourcePage | None, list[Problem]]:
    file = shown_path(path)
    rel = path.relative_to(config.content_dir).as_posix()
    placement, problems = _placement(config, rel, file)
    text, found = sourcefiles.read_text(path, config.content_dir, walked=walked)
    problems += found
    if text is None:
        return None, problems
    front, body, body_line, found = split_front_matter(text, file)
    problems += found
    if front is None:
        return None, problems
    meta, lines, found = _front_matter(config, front, file, fallback_title=path.stem)
    problems += found
    if meta is None or placement is None:
        return None, problems
    kind, section, slug = placement
    return SourcePage(rel, file, kind, section, slug, urls.page_url(rel), meta, lines, body, body_line), problems


def _placement(
    config: SiteConfig, rel: str, file: str
) -> tuple[tuple[PageKind, str | None, str] | None, list[Problem]]:
    parts = rel[: -len(".md")].split("/")
    if parts == ["index"]:
        return (PageKind.HOME, None, "index"), []
    if len(parts) > 2:
        return None, [
            report(
                "content-path",
                file,
                0,
                "articles live one folder deep, as content/<section>/<slug>.md. Move this file.",
            )
        ]
    if parts[-1] == "index":
        return None, [
            report(
                "content-path",
                file,
                0,
                f"section pages are generated; put the section's intro in {config.file} and delete this file.",
            )
        ]
    problems = []
    slug = parts[-1]
    if not _SLUG.match(slug):
        problems.append(
            report(
                "content-slug",
                file,
                0,
                f'the file name "{slug}.md" must use only lowercase letters, digits and hyphens. '
                f'Rename it to "{suggest_slug(slug)}.md".',
            )
        )
    if len(parts) == 1:
        return (None if problems else (PageKind.PAGE, None, slug)), problems
    section = parts[0]
    if config.section(section) is None:
        known = [s.slug for s in config.sections]
        problems.append(
            report(
                "content-section",
                file,
                0,
                f'the folder "{section}" is not a section in {config.file}.'
                f"{did_you_mean(section, known)} Add it to sections there, or move the file into "
                f"one of: {', '.join(known)}.",
            )
        )
    return (None if problems else (PageKind.ARTICLE, section, slug)), problems


def suggest_slug(name: str) -> str:
    """A file name that is a good address: "Douleur osseuse é" becomes "douleur-osseuse-e"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "page"
    return slug + "-page" if slug == "index" else slug  # index.md is the home or a section page, not an article


def split_front_matter(text: str, file: str) -> tuple[str | None, str, int, list[Problem]]:
    """Split '---' front matter from the body. Returns (front, body, first body line, problems)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return (
            None,
            "",
            0,
            [
                report(
                    "front-matter-missing",
                    file,
                    1,
                    "the file must start with front matter: a line '---', then 'title:', "
                    "'summary:' and 'reviewed:' lines, then another '---'.",
                )
            ],
        )
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2, []
    return (
        None,
        "",
        0,
        [
            report(
                "front-matter-unclosed",
                file,
                1,
                "the front matter that starts on line 1 never ends. Add a line '---' after it.",
            )
        ],
    )


def _front_matter(config: SiteConfig, front: str, file: str, fallback_title: str):
    """Validated front matter. When only some values are wrong, stand-ins take their place so the body is still
    checked in the same run; the errors already reported keep the build from being written."""
    doc, problems = parse_yaml(front, file, first_line=2)
    if doc is None:
        return None, {}, problems
    values, found = schema.check(doc, (), FRONT_MATTER_FIELDS, file, "the front matter")
    problems += found
    problems += _review_rules(values, doc, file) + _placeholders(values, doc, file)
    values["title"] = values["title"] or fallback_title
    values["summary"] = values["summary"] or ""
    if values["reviewed"] is None:
        values["reviewed"], values["review_due"] = dt.date.min, dt.date.max
    values["review_due"] = values["review_due"] or add_months(values["reviewed"], config.review_interval_months)
    return FrontMatter(**values), doc.lines, problems


def _placeholders(values: dict, doc, file: str) -> list[Problem]:
    """Text left from ``new``'s template: valid, so the page builds while being written, but not publishable."""
    problems = []
    if values["summary"] == SUMMARY_PLACEHOLDER:
        problems.append(
            report(
                "placeholder-text",
                file,
                doc.line(("summary",)),
                "the summary is still the placeholder from 'new'. Write the real summary.",
            )
        )
    for i, point in enumerate(values["key_points"] or ()):
        if point == KEY_POINT_PLACEHOLDER:
            problems.append(
                report(
                    "placeholder-text",
                    file,
                    doc.line(("key_points", i)),
                    "this key point is still the placeholder from 'new'. Write the real one.",
                )
            )
    return problems


def _review_rules(values: dict, doc, file: str) -> list[Problem]:
    problems = []
    if values["review_status"] == REVIEWED and not values["reviewer"]:
        problems.append(
            report(
                "review-no-reviewer",
                file,
                doc.line(("review_status",)),
                'review_status is "clinically-reviewed" but no reviewer is named. Add '
                '"reviewer: Name, credentials" of the clinician who reviewed this page, or remove '
                "review_status.",
            )
        )
    if values["reviewer"] and values["review_status"] != REVIEWED:
        problems.append(
            report(
                "review-reviewer-unused",
                file,
                doc.line(("reviewer",)),
                'a reviewer is named but review_status is not "clinically-reviewed". Set '
                "review_status: clinically-reviewed if the review really happened, or remove reviewer.",
            )
        )
    reviewed, due = values["reviewed"], values["review_due"]
    if reviewed and due and due <= reviewed:
        problems.append(
            report(
                "review-due-before-reviewed",
                file,
                doc.line(("review_due",)),
                f"review_due ({due}) must come after reviewed ({reviewed}).",
            )
        )
    return problems


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months``, or the last day Python knows when that is past the year 9999."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
