"""Clinical review that cannot go stale.

``python build.py review PAGE --reviewer NAME`` records what the reviewer approved: the page's text and front matter
(less the review fields and the public change log) and every register entry it shows (its glossary terms' entries,
its sources, its statistics), with a fingerprint of them all. The record is a YAML file beside the articles,
``content/_reviews/<section>/<slug>.yaml``, readable in a pull request's diff.

Each build compares the page as it stands with its record. Any difference, in the page or in a register entry it
uses, makes the page "changed since review" until a clinician reviews it again: it then never says "clinically
reviewed", and ``check`` names what changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import sourcefiles
from .problems import Problem, shown_path
from .reader import REVIEWED, FrontMatter, SourcePage
from .registers import Source, Stat, Term
from .rules import report
from .yamldoc import parse_yaml

RECORDS = "_reviews"  # inside the content folder; the reader skips folders starting with "_"
# Front matter a review does not cover: the review itself, and the public log of changes.
NOT_REVIEWED = frozenset({"reviewed", "review_due", "review_status", "reviewer", "changes"})
KINDS = {"terms": "glossary term", "sources": "source", "stats": "statistic"}


@dataclass(frozen=True)
class Material:
    """What a reviewer approves: the page's text, and each register entry it shows, by kind and id."""

    text: str
    entries: Mapping[str, Mapping[str, Mapping[str, Any]]]

    @property
    def fingerprint(self) -> str:
        data = json.dumps({"text": self.text, **self.entries}, sort_keys=True, ensure_ascii=False, default=str)
        return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Record:
    page: str
    reviewer: str
    date: dt.date
    material: Material
    fingerprint: str


@dataclass(frozen=True)
class ClinicalReview:
    """A page's review as readers are told it: "current" (reviewed as it stands), "changed" (reviewed, then changed)
    or "none"."""

    state: str
    reviewer: str | None = None
    date: dt.date | None = None
    changes: tuple[str, ...] = ()

    @property
    def current(self) -> bool:
        return self.state == "current"


NOT_REVIEWED_YET = ClinicalReview("none")


def material(source: SourcePage, terms: Iterable[Term], sources: Iterable[Source], stats: Iterable[Stat]) -> Material:
    return Material(
        _text(source),
        {
            "terms": {t.name: _entry(t) for t in terms},
            "sources": {s.id: _entry(s) for s in sources},
            "stats": {s.id: _entry(s) for s in stats},
        },
    )


def _text(source: SourcePage) -> str:
    front = {
        f.name: _plain(getattr(source.meta, f.name))
        for f in dataclasses.fields(FrontMatter)
        if f.name not in NOT_REVIEWED and getattr(source.meta, f.name) not in (None, (), False)
    }
    return yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000) + "---\n" + source.body.strip() + "\n"


def _entry(entry: Term | Source | Stat) -> dict[str, Any]:
    # Where an entry sits in its file is not what a reader sees: it moves whenever another entry is added. Nor are
    # a term's search words, which only lead readers to the page.
    hidden = ("line", "search_words")
    return {k: _plain(v) for k, v in dataclasses.asdict(entry).items() if k not in hidden and v not in (None, (), [])}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


# Reading and judging records.


def record_path(content_dir: Path, page_path: str) -> Path:
    return content_dir / RECORDS / (page_path.removesuffix(".md") + ".yaml")


def read_records(content_dir: Path) -> tuple[dict[str, Record], list[Problem]]:
    folder = content_dir / RECORDS
    records: dict[str, Record] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return records, problems
    for path, problem in sourcefiles.walk(folder):
        if problem:
            problems.append(problem)
            continue
        record, found = _read_record(path, folder)
        problems += found
        if record is not None:
            records[record.page] = record
    return records, problems


def _read_record(path: Path, folder: Path) -> tuple[Record | None, list[Problem]]:
    file = shown_path(path)
    text, problems = sourcefiles.read_text(path, folder, limit=None)
    if text is None:
        return None, problems
    doc, problems = parse_yaml(text, file)
    if doc is None:
        return None, problems
    data = doc.data
    try:
        page = path.relative_to(folder).with_suffix(".md").as_posix()
        entries = {kind: {str(k): dict(v) for k, v in (data.get(kind) or {}).items()} for kind in KINDS}
        date = data["date"] if isinstance(data["date"], dt.date) else dt.date.fromisoformat(str(data["date"]))
        record = Record(
            page, str(data["reviewer"]), date, Material(str(data["text"]), entries), str(data["fingerprint"])
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        message = (
            "this review record cannot be read (it should only ever be written by python build.py review). "
            "Restore it from the repository's history, or review the page again."
        )
        return None, [report("review-record", file, 1, message)]
    return record, []


def assess(source: SourcePage, now: Material, record: Record | None, file: str) -> tuple[ClinicalReview, list[Problem]]:
    """The page's review as it stands, and the problems that says. Front matter alone never makes a page
    "clinically reviewed": only a record whose fingerprint matches the page does."""
    if source.meta.review_status != REVIEWED:
        return NOT_REVIEWED_YET, []
    line = source.line_of("review_status")
    if record is None:
        message = (
            'review_status says "clinically-reviewed", but this page has no review record. A page becomes clinically '
            f'reviewed only through: python build.py review {file} --reviewer "Name, credentials"'
        )
        return NOT_REVIEWED_YET, [report("review-unrecorded", file, line, message)]
    if record.fingerprint == now.fingerprint:
        return ClinicalReview("current", record.reviewer, record.date), []
    changes = tuple(what_changed(record.material, now))
    message = (
        f"changed since its clinical review on {record.date.isoformat()} by {record.reviewer}: {'; '.join(changes)}. "
        f"It shows as awaiting re-review. To see the changes: python build.py review --changes {file}"
    )
    review = ClinicalReview("changed", record.reviewer, record.date, changes)
    return review, [report("changed-since-review", file, line, message)]


def what_changed(before: Material, now: Material) -> Iterable[str]:
    if before.text != now.text:
        yield "its text changed"
    for kind, name in KINDS.items():
        old, new = before.entries.get(kind, {}), now.entries.get(kind, {})
        for key in sorted(set(old) | set(new)):
            if key not in old:
                yield f"{name} {key} is new on the page"
            elif key not in new:
                yield f"{name} {key} is no longer on the page"
            elif old[key] != new[key]:
                yield _entry_change(name, key, old[key], new[key])


def _entry_change(name: str, key: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    fields = [f for f in sorted(set(old) | set(new)) if old.get(f) != new.get(f)]
    if fields == ["value"]:
        return f"{name} {key} changed from {old.get('value')} to {new.get('value')}"
    return f"{name} {key}: {', '.join(fields)} changed"


def differences(before: Material, now: Material, file: str) -> str:
    """For the reviewer: a diff of the page's text, and of each register entry that changed."""
    parts = []
    if before.text != now.text:
        diff = difflib.unified_diff(
            before.text.splitlines(keepends=True),
            now.text.splitlines(keepends=True),
            f"{file} (as reviewed)",
            f"{file} (now)",
        )
        parts.append("".join(diff))
    for kind, name in KINDS.items():
        old, new = before.entries.get(kind, {}), now.entries.get(kind, {})
        for key in sorted(set(old) | set(new)):
            if old.get(key) == new.get(key):
                continue
            lines = [f"{name} {key}:"]
            for field in sorted(set(old.get(key, {})) | set(new.get(key, {}))):
                was, is_ = old.get(key, {}).get(field), new.get(key, {}).get(field)
                if was != is_:
                    lines.append(f"  {field}: {_shown(was)} -> {_shown(is_)}")
            parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def _shown(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


# Writing a record.


class _Literal(yaml.SafeDumper):
    """Writes text of several lines as a block, so that a record's diff reads line by line."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Literal.add_representer(str, _represent_text)


def write_record(content_dir: Path, page_path: str, reviewer: str, day: dt.date, approved: Material) -> Path:
    path = record_path(content_dir, page_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "reviewer": reviewer,
        "date": day.isoformat(),
        "fingerprint": approved.fingerprint,
        "text": approved.text,
        **{kind: dict(approved.entries[kind]) for kind in KINDS},
    }
    header = (
        f"# The clinical review of {page_path}: what {reviewer} approved on {day.isoformat()}.\n"
        "# Written by python build.py review; do not edit by hand.\n"
    )
    path.write_text(header + yaml.dump(data, Dumper=_Literal, sort_keys=False, allow_unicode=True, width=1000))
    return path


def mark_reviewed(path: Path, reviewer: str, day: dt.date) -> None:
    """Set the page's review fields in its front matter, leaving every other line as the editor wrote it. A
    review_due that the review has passed is removed, so the site's review interval applies from today."""
    lines = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    wanted = {"review_status": REVIEWED, "reviewer": json.dumps(reviewer, ensure_ascii=False), "reviewed": day}
    for i in range(end - 1, 0, -1):
        key = lines[i].split(":", 1)[0].strip()
        if key == "review_due" and not lines[i].startswith(" "):
            due = lines[i].split(":", 1)[1].strip().strip("'\"")
            if due <= day.isoformat():
                del lines[i]
                end -= 1
        elif key in wanted and not lines[i].startswith(" "):
            lines[i] = f"{key}: {wanted.pop(key)}"
    lines[end:end] = [f"{key}: {value}" for key, value in wanted.items()]
    path.write_text("\n".join(lines), encoding="utf-8")
