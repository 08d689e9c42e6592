"""Stage 1: load config.yaml and validate it against its schema, once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from . import schema, sourcefiles
from .problems import Problem, ProblemsError, did_you_mean, shown_path
from .rules import LEVELS, RULES, report
from .schema import Field
from .yamldoc import parse_yaml


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str
    red_flags: bool = False  # its articles must each have a box of warning signs (urgent or higher)
    line: int = field(default=0, compare=False)  # where config.yaml lists it, for messages


@dataclass(frozen=True)
class Contact:
    """The organisation that publishes the site. Unset fields mean "say 'your care team' instead"."""

    name: str | None
    phone: str | None  # daytime number, for same-day calls
    hours: str | None
    urgent_phone: str | None  # the 24-hour line for urgent problems
    emergency_number: str | None
    crisis_number: str | None  # a crisis line for thoughts of suicide (988 in the US)
    crisis_name: str | None


@dataclass(frozen=True)
class CmsSettings:
    """config.yaml's cms block: the repository the CMS at /admin/ edits, each save a pull request."""

    backend: str
    repo: str
    branch: str
    auth_url: str | None  # the OAuth service that logs editors in to the backend (Decap's base_url)
    line: int = field(default=0, compare=False)
    # Set by ``serve --cms``: the port of decap-server, which serves this working copy to the CMS instead.
    local_port: int | None = None


def tel_href(number: str) -> str:
    """A tap-to-call link for a phone number as people write it ("0800 000 0000")."""
    return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")


@dataclass(frozen=True)
class SiteConfig:
    file: str
    title: str
    tagline: str | None
    language: str
    base_url: str | None
    sections: tuple[Section, ...]
    review_interval_months: int
    reading_grade: float  # the Flesch-Kincaid grade an article's text should not exceed
    contact: Contact
    condition: str | None
    content_dir: Path
    templates_dir: Path
    static_dir: Path
    output_dir: Path
    # config.yaml's rules block: rule id to "error", "warning" or "off"; rules it does not name keep their default.
    rule_levels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # The page every header's "Get help now" links to, as a path in the content folder; it opens with call buttons.
    help_page: str | None = None
    help_page_line: int = field(default=0, compare=False)
    cms: CmsSettings | None = None  # None: no /admin/ (unless ``serve --cms`` asks for one)
    root: Path = field(default=Path("."), compare=False)  # the folder of config.yaml: the repository the CMS edits

    def section(self, slug: str) -> Section | None:
        return next((s for s in self.sections if s.slug == slug), None)


SECTION_FIELDS = (
    Field("slug", schema.slug, required=True, example="slug: treatments"),
    Field("title", schema.text(80), required=True, example="title: Treatments"),
    Field("intro", schema.text(200), required=True, example="intro: One plain sentence about this section."),
    Field("red_flags", schema.boolean, default=False),
)

CONTACT_FIELDS = (
    Field("name", schema.text(120)),
    Field("phone", schema.text(40)),
    Field("hours", schema.text(120)),
    Field("urgent_phone", schema.text(40)),
    Field("emergency_number", schema.text(20)),
    Field("crisis_number", schema.text(20)),
    Field("crisis_name", schema.text(120)),
)

CMS_BACKENDS = ("github", "gitlab")
_REPO_PATTERN = r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+"


def _repo(value: object) -> str:
    name = schema.text(200)(value)
    if not re.fullmatch(_REPO_PATTERN, name):
        raise schema.InvalidValueError(
            f'must name the repository as owner/name, such as "my-clinic/guide", not "{name}".'
        )
    return name


_REPO = schema.Kind("text", _repo, max_length=200, pattern=f"^{_REPO_PATTERN}$")

CMS_FIELDS = (
    Field("backend", schema.choice(*CMS_BACKENDS), required=True, example="backend: github"),
    Field("repo", _REPO, required=True, example="repo: your-organization/your-guide"),
    Field("branch", schema.text(200), default="main"),
    # GitHub logs editors in through an OAuth service of the site's own (Decap's "base_url"); see the README.
    Field("auth_url", schema.http_url),
)

# The folders a site is made from and built into, relative to the config file.
CONFIG_DEFAULTS = {
    "content_dir": "content",
    "templates_dir": "templates",
    "static_dir": "static",
    "output_dir": "_site",
}

CONFIG_FIELDS = (
    Field("title", schema.text(120), required=True, example='title: "Stage 4 breast cancer: a plain guide"'),
    Field("tagline", schema.text(200)),
    Field("language", schema.language, default="en"),
    Field("base_url", schema.http_url),
    Field("review_interval_months", schema.integer(minimum=1, maximum=60), default=12),
    Field("reading_grade", schema.integer(minimum=1, maximum=20), default=8),
    # What the site is about, for search engines (schema.org MedicalCondition): "Metastatic breast cancer".
    Field("condition", schema.text(120)),
    Field("contact", schema.nested),
    Field("help_page", schema.text(200)),
    Field("sections", schema.nested, required=True, example="sections: (a list of slug, title and intro)"),
    # How serious each rule is for this site: "rules: {review-overdue: error, glossary-unused: off}".
    Field("rules", schema.nested),
    # The CMS at /admin/: absent, the site has none.
    Field("cms", schema.nested),
    *(Field(key, schema.folder, default=default) for key, default in CONFIG_DEFAULTS.items()),
)


def load_config(path: Path, output_dir: Path | None = None) -> SiteConfig:
    """Read and validate the config at ``path``. Raises ProblemsError listing every problem in it."""
    file = shown_path(path)
    if not path.is_file():
        message = (
            "this config file does not exist. Run the command from the project folder (where config.yaml is), or "
            "pass the right file with --config FILE."
        )
        raise ProblemsError([report("config-missing", file, 0, message)])
    text, problems = sourcefiles.read_text(path, path.parent, limit=None)
    if text is None:
        raise ProblemsError(problems)
    doc, problems = parse_yaml(text, file)
    if doc is None:
        raise ProblemsError(problems)
    values, found = schema.check(doc, (), CONFIG_FIELDS, file, "config.yaml")
    problems += found
    contact, found = (
        schema.check(doc, ("contact",), CONTACT_FIELDS, file, "contact")
        if values["contact"]
        else ({f.name: None for f in CONTACT_FIELDS}, [])
    )
    problems += found
    sections, found = _sections(doc, values["sections"], file)
    problems += found
    levels, found = _rule_levels(doc, values["rules"], file)
    problems += found
    cms, found = _cms(doc, values["cms"], file)
    problems += found
    root = path.parent
    problems += _paths_outside(doc, values, root, file)
    if problems:
        raise ProblemsError(problems)
    return SiteConfig(
        file=file,
        title=values["title"],
        tagline=values["tagline"],
        language=values["language"],
        base_url=values["base_url"],
        sections=sections,
        review_interval_months=values["review_interval_months"],
        reading_grade=values["reading_grade"],
        contact=Contact(**contact),
        condition=values["condition"],
        content_dir=root / values["content_dir"],
        templates_dir=root / values["templates_dir"],
        static_dir=root / values["static_dir"],
        output_dir=output_dir if output_dir is not None else root / values["output_dir"],
        rule_levels=MappingProxyType(levels),
        help_page=values["help_page"],
        help_page_line=doc.line(("help_page",)),
        cms=cms,
        root=root,
    )


def _cms(doc, raw, file: str) -> tuple[CmsSettings | None, list[Problem]]:
    if raw is None:
        return None, []
    values, problems = schema.check(doc, ("cms",), CMS_FIELDS, file, "cms")
    if problems:
        return None, problems
    return CmsSettings(**values, line=doc.line(("cms",))), []


def _paths_outside(doc, values: dict, root: Path, file: str) -> list[Problem]:
    """A config from a pull request must not make the build read, or replace, folders elsewhere on the machine."""
    problems = []
    for key in CONFIG_DEFAULTS:
        folder = root / values[key] if values[key] else None
        if folder is not None and not sourcefiles.inside(folder, root):
            hint = "; to build somewhere else, pass --out DIR instead" if key == "output_dir" else ""
            message = (
                f'"{key}" is {folder.resolve()}, outside the project folder {root.resolve()}. Paths in {file} '
                f'must name a folder inside the project, such as "{CONFIG_DEFAULTS[key]}"{hint}.'
            )
            problems.append(report("path-outside", file, doc.line((key,)), message))
    return problems


def _rule_levels(doc, raw, file: str) -> tuple[dict[str, str], list[Problem]]:
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        message = '"rules" must be a mapping of rule ids to error, warning or off, such as "review-overdue: error".'
        return {}, [report("schema-type", file, doc.line(("rules",)), message)]
    levels: dict[str, str] = {}
    problems: list[Problem] = []
    for rule_id, written in raw.items():
        line = doc.line(("rules", rule_id))
        level = "off" if written is False else written  # YAML reads a bare off (or no) as false
        if rule_id not in RULES:
            message = (
                f'"{rule_id}" is not a rule.{did_you_mean(str(rule_id), RULES)} The editors\' guide lists every rule.'
            )
            problems.append(report("config-unknown-rule", file, line, message))
        elif level not in LEVELS:
            message = f'the level of "{rule_id}" must be error, warning or off, not "{level}".'
            problems.append(report("schema-value", file, line, message))
        elif RULES[rule_id].fixed and level != "error":
            message = (
                f'"{rule_id}" cannot be made "{level}": without a fix the site cannot be built safely. '
                "Remove this line and fix the problem instead."
            )
            problems.append(report("config-fixed-rule", file, line, message))
        else:
            levels[rule_id] = level
    return levels, problems


def _sections(doc, raw, file: str) -> tuple[tuple[Section, ...], list[Problem]]:
    if raw is None:
        return (), []
    if not isinstance(raw, list) or not raw:
        return (), [
            report(
                "schema-value",
                file,
                doc.line(("sections",)),
                '"sections" must be a list of sections, each starting with "- slug:".',
            )
        ]
    sections: list[Section] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for i in range(len(raw)):
        values, found = schema.check(doc, ("sections", i), SECTION_FIELDS, file, f"section {i + 1}")
        problems += found
        if values["slug"] in seen:
            message = f'section "{values["slug"]}" is listed twice. Remove one of them.'
            problems.append(report("config-duplicate-section", file, doc.line(("sections", i, "slug")), message))
        elif not found:
            sections.append(Section(**values, line=doc.line(("sections", i))))
        seen.add(values["slug"])
    return tuple(sections), problems
