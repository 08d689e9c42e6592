"""The page being converted, shared by the site's Markdown extensions.

One Markdown converter serves every page (building one costs more than converting a page), so the markup stage
sets this before each conversion and reads each extension's findings after it. It is owned by that converter:
nothing here is global.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageContext:
    path: str = ""  # inside the content folder: "treatments/chemotherapy.md"
    url: str = ""  # site-root-relative: "treatments/chemotherapy/"
    link_terms: bool = True
    skip_terms: frozenset[str] = field(default_factory=frozenset)
