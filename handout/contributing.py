"""CONTRIBUTING.md is the editors' guide (content/editors-guide.md) as GitHub shows it, written from that page so
that the two cannot drift: the same words, the rule table filled in from the catalogue, links made relative to the
repository instead of to the content folder."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import yaml

from .markdown_ext.rulelist import MARKER, level_text
from .rules import RULES

NOTE = (
    "<!-- Written by `python build.py contributing` from content/editors-guide.md, which is also the site's "
    "editors' page. Edit that file, not this one. -->"
)


def contributing(guide: Path, levels: dict[str, str] | None = None) -> str:
    text = guide.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    title = yaml.safe_load(front)["title"]
    body = _links_from_repository_root(body, guide.parent.name)
    return f"{NOTE}\n\n# {title}\n{body.replace(MARKER, _rule_table(levels or {}))}"


def _links_from_repository_root(body: str, folder: str) -> str:
    """Links written from the content folder, written again from the repository's root; examples in code stay."""
    lines, fence = [], None
    for line in body.split("\n"):
        marker = line.lstrip()[:3]
        if marker in ("```", "~~~"):
            fence = None if fence == marker else (fence or marker)
        elif fence is None:
            line = re.sub(
                r"\]\((?!https?:|#|/)([^)]+\.md)(#[^)]*)?\)",
                lambda m: f"]({posixpath.normpath(posixpath.join(folder, m.group(1)))}{m.group(2) or ''})",
                line,
            )
        lines.append(line)
    return "\n".join(lines)


def _rule_table(levels: dict[str, str]) -> str:
    rows = ["| Rule | Normally | What it means | How to fix it |", "|---|---|---|---|"]
    rows += [
        f"| `{rule.id}` | {level_text(rule.id, levels)} | {rule.means} | {rule.fix} |".replace("||", "| |")
        for rule in RULES.values()
    ]
    return "\n".join(rows)
