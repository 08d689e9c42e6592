"""Fixtures that write small real sites to a temporary folder and build them with the real command line."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from project import REPO, build_real_site, run_cli  # noqa: F401 (re-exported for the tests)

from handout.cli import main
from handout.model import Site
from handout.render import render_site

# Fixture pages were checked recently, whatever day the tests run, so no review-overdue warning appears by itself.
REVIEWED = (dt.date.today() - dt.timedelta(days=30)).isoformat()

CONFIG = """\
title: Test guide
tagline: A small site for tests.
language: en
contact:
  emergency_number: "911"
sections:
  - slug: basics
    title: The basics
    intro: Where to start.
  - slug: care
    title: Care
    intro: Treatments and support.
# Most tests build pages of a line or two, not whole articles: the rules for complete articles are tested on their
# own (tests/test_content_rules.py), with this block removed.
rules:
  key-points-count: off
  questions-missing: off
  citation-missing: off
  links-too-few: off
"""

HOME = f"""\
---
title: Test guide
summary: A small site used by the tests.
reviewed: {REVIEWED}
---

Start with [the first page](basics/first.md).
"""


# Registers several test modules build pages against.
GLOSSARY = """\
HER2:
  definition: A protein that helps some cancer cells grow.
  see_also: [HER2-positive]
HER2-positive:
  definition: Breast cancer with a lot of the HER2 protein.
Metastasis:
  definition: The spread of cancer to another part of the body.
  aliases: [metastases]
  source: nci
Tumor:
  definition: A lump of cells that grow out of control.
  aliases: [tumors, tumour]
ER:
  definition: A receptor for the hormone estrogen.
"""

# The sources the sample glossary and statistics cite, and one more to cite in text.
SOURCES = f"""\
nci:
  title: NCI Dictionary of Cancer Terms
  publisher: National Cancer Institute
  url: https://www.cancer.gov/publications/dictionaries/cancer-terms
  accessed: {REVIEWED}
seer:
  title: "Cancer Stat Facts: Female Breast Cancer"
  publisher: National Cancer Institute
  url: https://seer.cancer.gov/statfacts/html/breast.html
  accessed: {REVIEWED}
acs:
  title: Treatment of stage IV breast cancer
  publisher: American Cancer Society
  url: https://www.cancer.org/stage-iv.html
  accessed: {REVIEWED}
"""

STATS = """\
distant-5yr:
  value: "32.6%"
  measures: 5-year relative survival
  population: US women diagnosed at the distant stage
  period: diagnosed 2015-2021
  source: seer
"""


def write_small_site(root: Path) -> None:
    """A project folder: config, the real templates and static files, a home page and one article per section."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    for relative, text in (
        ("config.yaml", CONFIG),
        ("content/index.md", HOME),
        ("content/basics/first.md", article("First page", order=1)),
        ("content/care/support.md", article("Support", order=1)),
    ):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")


def write_linked_pages(site: SiteFolder) -> None:
    """Registers, and two articles that show their entries and link to each other."""
    site.write("content/glossary.yaml", GLOSSARY)
    site.write("content/stats.yaml", STATS)
    site.write("content/sources.yaml", SOURCES)
    site.write(
        "content/basics/first.md",
        article(
            "First page", "A tumor [@nci]. Most live [32.6%](stat:distant-5yr). [Support](../care/support.md).", order=1
        ),
    )
    site.write("content/care/support.md", article("Support", "## Who helps\n\nA lump of cells.", order=1))


# Changes to the pages of write_linked_pages, one input each: the page itself, a register entry it shows, a page it
# links to, a template, the config. Each alters what some page is made from, so a rebuild that reused anything stale
# would differ from a build from nothing.
CHANGES = {
    "the page itself": lambda s: s.write(
        "content/basics/first.md", article("First page", "New words about a tumor. See [support](../care/support.md).")
    ),
    "a glossary entry it uses": lambda s: s.write(
        "content/glossary.yaml", GLOSSARY.replace("A lump of cells", "A growing lump of cells")
    ),
    "a glossary alias it could link": lambda s: s.write(
        "content/glossary.yaml", GLOSSARY.replace("aliases: [tumors, tumour]", "aliases: [tumors, tumour, lump]")
    ),
    "a statistic it shows": lambda s: s.write("content/stats.yaml", STATS.replace('"32.6%"', '"33.1%"')),
    "the title and headings of the page it links to": lambda s: s.write(
        "content/care/support.md", article("Support and care", "## Who helps\n\nText.", order=1)
    ),
    "a template": lambda s: s.write(
        "templates/base.html", (s.root / "templates/base.html").read_text().replace("<main", "<main data-x", 1)
    ),
    "the config": lambda s: s.write(
        "config.yaml", CONFIG.replace('emergency_number: "911"', 'emergency_number: "112"')
    ),
}


def article(title: str, body: str = "Some text.", **fields: object) -> str:
    """An article's source: valid front matter (overridable, or dropped with None) and a body."""
    front = {"title": title, "summary": f"About {title.lower()}.", "reviewed": REVIEWED, **fields}
    lines = []
    for key, value in front.items():
        if value is None:
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {item}" for item in value]
        else:
            lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body).strip() + "\n"


@dataclass
class Run:
    code: int
    out: str
    err: str


class SiteFolder:
    """A project folder: config, the real templates and static files, and whatever content a test writes."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]):
        self.root = root
        self._capsys = capsys
        write_small_site(root)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def run(self, *args: str) -> Run:
        """The command line, in this process, from the project folder."""
        self._capsys.readouterr()
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            code = main(list(args))
        finally:
            os.chdir(cwd)
        captured = self._capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def problems(self, *args: str) -> list[str]:
        return [line for line in self.run("check", *args).err.splitlines() if line.strip()]

    @property
    def site(self) -> Path:
        return self.root / "_site"

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def parse_cache(tmp_path_factory) -> Path:
    """Builds in tests share one parse cache of their own (and pass it to the command lines they start), never the
    user's: entries are keyed by content, so sharing is correct, and it is what editors' builds do too."""
    folder = tmp_path_factory.mktemp("parse-cache")
    os.environ["HANDOUT_CACHE"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The project's own site, built once (per test process) with --strict and no configured address, for every
    test module that reads it."""
    return build_real_site(tmp_path_factory.mktemp("real-site"))


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> SiteFolder:
    return SiteFolder(tmp_path / "project", capsys)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def rendered_pages(model: Site, env: jinja2.Environment) -> dict[str, str]:
    """Every HTML file a site model renders to, by path. A run that writes nothing (a check, or a build with
    errors) keeps no file it renders, so a test that reads them renders the model again, into a folder."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)

        def place(path: str, data: bytes) -> None:  # in a forked render worker too: a file, not a dict
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

        render_site(model, env, place)
        return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*.html")}
