"""``new``: create an article whose front matter is valid from the start, so editors begin from a passing file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .config import SiteConfig
from .problems import did_you_mean
from .reader import BODY_PLACEHOLDER, KEY_POINT_PLACEHOLDER, SUMMARY_PLACEHOLDER, read_content, suggest_slug


class ScaffoldError(Exception):
    """The request cannot be carried out as asked (unknown section, file already there)."""


def new_article(config: SiteConfig, title: str, section: str, today: dt.date) -> Path:
    if config.section(section) is None:
        known = [s.slug for s in config.sections]
        raise ScaffoldError(
            f'there is no section "{section}" in {config.file}.{did_you_mean(section, known)} '
            f"Sections: {', '.join(known)}."
        )
    slug = suggest_slug(title)
    path = config.content_dir / section / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists. Choose another title, or edit that file.")
    orders = [p.meta.order for p in read_content(config).pages if p.section == section and p.meta.order is not None]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_template(title, (max(orders) + 1) if orders else 1, today), encoding="utf-8")
    return path


def _template(title: str, order: int, today: dt.date) -> str:
    front = yaml.safe_dump(
        {"title": title, "summary": SUMMARY_PLACEHOLDER}, allow_unicode=True, width=1000, sort_keys=False
    )
    return f"""---
{front}key_points:
  - {KEY_POINT_PLACEHOLDER}
order: {order}
reviewed: {today.isoformat()}
related: []
questions: []
---

{BODY_PLACEHOLDER}

## A first heading

Write short sentences in plain words. Link to other pages by their .md file, relative to this one, for
example `[bone pain](../where-it-spreads/bone.md#pain)`.
"""
