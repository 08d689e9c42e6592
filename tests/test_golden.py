"""Golden output: one example page, rendered with every feature, compared byte for byte.

After an intended change to templates or rendering, regenerate the expected files with

    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and review the diff of tests/golden/expected/ like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

from project import golden_project

from handout.config import load_config
from handout.pipeline import run

GOLDEN = Path(__file__).parent / "golden"
PAGES = {
    "basics/everything/index.html": "everything.html",
    "glossary/index.html": "glossary.html",
    "sources/index.html": "sources.html",
    "sitemap.xml": "sitemap.xml",
}


def test_golden_pages(tmp_path):
    config = load_config(golden_project(tmp_path / "site"), output_dir=tmp_path / "out")
    result = run(config, write=True)
    assert result.problems == ()
    for built, expected in PAGES.items():
        actual = (tmp_path / "out" / built).read_text(encoding="utf-8")
        golden = GOLDEN / "expected" / expected
        if os.environ.get("UPDATE_GOLDEN"):
            golden.write_text(actual, encoding="utf-8")
        assert actual == golden.read_text(encoding="utf-8"), f"{built} differs from {golden}"
