"""The same articles as a MkDocs project and a Pelican project, and the separate venv those two tools run from.

The generated site (benchmarks/scale.py) is read back from disk and converted the way an editor would move it to
another tool: the front matter becomes that tool's metadata, and this project's extensions become plain Markdown
each tool renders with its own extensions:

- ``[@id]`` and ``[@a; @b]`` citations: footnotes (``[^id]``), defined at the end with the source's title and link;
- ``[3 in 4](stat:id)`` statistics: the plain value;
- ``!!! kind "title"`` callouts: admonitions (MkDocs' ``admonition``; Pelican's ``markdown.extensions.admonition``),
  the project's urgency kinds mapped to the standard ones;
- ``../section/slug.md#anchor`` cross-links: as they are for MkDocs (which resolves relative .md links); Pelican's
  ``{filename}/section/slug.md#anchor``;
- key points, questions and related pages, which this project renders from the front matter: a list at the top, and
  two sections at the end, so each tool puts the same words on the page.

Glossary terms stay plain words: neither tool links terms.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

BENCHMARKS = Path(__file__).resolve().parent
PEERS_VENV = BENCHMARKS / ".peers-venv"
REQUIREMENTS = BENCHMARKS / "peers-requirements.txt"

CITATION = re.compile(r"\[(@[\w-]+(?:;\s*@[\w-]+)*)\]")
STATISTIC = re.compile(r"\[([^\]]+)\]\(stat:[\w-]+\)")
MD_LINK = re.compile(r"\]\(([\w./-]+\.md)(#[\w-]+)?\)")
CALLOUT = re.compile(r"^!!! ([\w-]+)", re.MULTILINE)
# The standard admonition types both tools' themes know; the urgency levels become the nearest of them.
ADMONITION = {"emergency": "danger", "urgent": "danger", "crisis": "danger", "same-day": "warning", "ask": "question"}


@dataclass(frozen=True)
class Page:
    """One page of the generated site, read back: ``path`` relative to content/ (``section/slug.md``)."""

    path: str
    meta: dict[str, Any]
    body: str

    @property
    def section(self) -> str:
        return self.path.rpartition("/")[0]

    @property
    def slug(self) -> str:
        return Path(self.path).stem


@dataclass(frozen=True)
class Corpus:
    site_title: str
    sections: dict[str, str]  # slug: title, in the config's order
    sources: dict[str, dict[str, Any]]
    home: Page
    articles: list[Page]

    @property
    def titles(self) -> dict[str, str]:
        return {page.path: page.meta["title"] for page in self.articles}


def read_page(content: Path, file: Path) -> Page:
    _, front, body = file.read_text(encoding="utf-8").split("---\n", 2)
    return Page(file.relative_to(content).as_posix(), yaml.safe_load(front), body.strip() + "\n")


def read_corpus(project: Path) -> Corpus:
    config = yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))
    content = project / "content"
    sources = yaml.safe_load((content / "sources.yaml").read_text(encoding="utf-8"))
    articles = [read_page(content, f) for f in sorted(content.glob("*/*.md"))]
    return Corpus(
        site_title=config["title"],
        sections={s["slug"]: s["title"] for s in config["sections"]},
        sources=sources,
        home=read_page(content, content / "index.md"),
        articles=articles,
    )


# --- the body, tool by tool -------------------------------------------------------------------------------------


def plain_markdown(page: Page, corpus: Corpus, link: Callable[[Page, str, str], str]) -> str:
    """The page's text with this project's extensions turned into Markdown both tools render.
    ``link(page, target, anchor)`` writes a cross-link's address the tool's way."""
    cited: dict[str, None] = {}

    def footnotes(match: re.Match[str]) -> str:
        keys = [key.strip().lstrip("@") for key in match.group(1).split(";")]
        cited.update(dict.fromkeys(keys))
        return "".join(f"[^{key}]" for key in keys)

    body = CITATION.sub(footnotes, page.body)
    body = STATISTIC.sub(r"\1", body)
    body = CALLOUT.sub(lambda m: f"!!! {ADMONITION.get(m.group(1), m.group(1))}", body)
    body = MD_LINK.sub(lambda m: f"]({link(page, m.group(1), m.group(2) or '')})", body)
    parts = [front_lists(page), body] if page.meta.get("key_points") else [body]
    parts += end_lists(page, corpus, link)
    parts += [footnote(key, corpus.sources[key]) for key in cited]
    return "\n\n".join(part.strip() for part in parts) + "\n"


def front_lists(page: Page) -> str:
    return "**Key points**\n\n" + "\n".join(f"- {point}" for point in page.meta["key_points"])


def end_lists(page: Page, corpus: Corpus, link: Callable[[Page, str, str], str]) -> list[str]:
    parts = []
    if page.meta.get("questions"):
        parts.append("## Questions to ask your care team\n\n" + "\n".join(f"- {q}" for q in page.meta["questions"]))
    if page.meta.get("related"):
        # related paths are relative to content/; as links they must be relative to the page, as editors write them
        items = [f"- [{corpus.titles[r]}]({link(page, relative_to(page, r), '')})" for r in page.meta["related"]]
        parts.append("## Related\n\n" + "\n".join(items))
    return parts


def footnote(key: str, source: dict[str, Any]) -> str:
    by = source.get("publisher") or source.get("authors")
    year = f", {source['year']}" if "year" in source else ""
    return f"[^{key}]: [{source['title']}]({source['url']}). {by}{year}."


def relative_to(page: Page, target: str) -> str:
    """``target`` (relative to content/) as a link from ``page``: bare within a section, ``../`` across."""
    section, _, name = target.rpartition("/")
    if section == page.section:
        return name
    return f"../{target}" if page.section else target


def resolved(page: Page, target: str) -> str:
    """A link written in ``page`` as the content path it names: ``slug.md`` -> ``section/slug.md``."""
    parts = [*page.section.split("/"), *target.split("/")] if page.section else target.split("/")
    out: list[str] = []
    for part in parts:
        if part == "..":
            out.pop()
        elif part and part != ".":
            out.append(part)
    return "/".join(out)


# --- MkDocs -------------------------------------------------------------------------------------------------------

MKDOCS_YML = """\
# Generated by benchmarks/compare.py: the built-in theme, directory URLs, and no nav (MkDocs builds it).
site_name: {title}
docs_dir: docs
site_dir: site
theme:
  name: mkdocs
use_directory_urls: true
markdown_extensions:
  - admonition
  - footnotes
  - toc
"""


def write_mkdocs(corpus: Corpus, root: Path) -> None:
    docs = root / "docs"
    for page in [corpus.home, *corpus.articles]:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        front = f"---\ntitle: {quoted(page.meta['title'])}\ndescription: {quoted(page.meta['summary'])}\n---\n\n"
        # MkDocs resolves relative .md links (and checks them) itself: they stay as the editor wrote them.
        target.write_text(front + plain_markdown(page, corpus, lambda _p, t, a: t + a), encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(title=quoted(corpus.site_title)), encoding="utf-8")


# --- Pelican ------------------------------------------------------------------------------------------------------

PELICANCONF = """\
# Generated by benchmarks/compare.py: a minimal built-in theme, relative URLs, no feeds, one category per section,
# and no cache, so every build is a cold one.
SITENAME = {title!r}
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "simple"
RELATIVE_URLS = True
DELETE_OUTPUT_DIRECTORY = True
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
USE_FOLDER_AS_CATEGORY = False
# Directory URLs, as the other two tools make: section/slug/index.html.
ARTICLE_URL = "{{category}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{category}}/{{slug}}/index.html"
CATEGORY_URL = "{{slug}}/"
CATEGORY_SAVE_AS = "{{slug}}/index.html"
PAGE_URL = "{{slug}}/"
PAGE_SAVE_AS = "{{slug}}/index.html"
MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.codehilite": {{"css_class": "highlight"}},
        "markdown.extensions.extra": {{}},
        "markdown.extensions.meta": {{}},
        "markdown.extensions.admonition": {{}},
        "markdown.extensions.toc": {{}},
    }},
    "output_format": "html5",
}}
"""


def pelican_link(page: Page, target: str, anchor: str) -> str:
    return "{filename}/" + resolved(page, target) + anchor


def write_pelican(corpus: Corpus, root: Path) -> None:
    content = root / "content"
    for page in corpus.articles:
        meta = {
            "Title": page.meta["title"],
            "Date": str(page.meta["reviewed"]),
            "Category": corpus.sections[page.section],
            "Slug": page.slug,
            "Summary": page.meta["summary"],
        }
        write_pelican_page(content / page.path, meta, plain_markdown(page, corpus, pelican_link))
    home = {"Title": corpus.home.meta["title"], "Slug": "home", "Summary": corpus.home.meta["summary"]}
    write_pelican_page(content / "pages" / "home.md", home, plain_markdown(corpus.home, corpus, pelican_link))
    (root / "pelicanconf.py").write_text(PELICANCONF.format(title=corpus.site_title), encoding="utf-8")


def write_pelican_page(target: Path, meta: dict[str, str], body: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    header = "".join(f"{key}: {value}\n" for key, value in meta.items())  # Markdown's meta extension
    target.write_text(header + "\n" + body, encoding="utf-8")


def quoted(text: str) -> str:
    """A YAML scalar for any text: a JSON string is valid YAML."""
    return json.dumps(text, ensure_ascii=False)


# --- the peers' venv ----------------------------------------------------------------------------------------------


def peers_ready() -> bool:
    return (PEERS_VENV / "bin" / "mkdocs").is_file() and (PEERS_VENV / "bin" / "pelican").is_file()


def setup_peers() -> None:
    """Create the venv (never the project's) and install the pinned peers into it from PyPI."""
    print(f"Setting up {PEERS_VENV} from {REQUIREMENTS.name} (about a minute)...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(PEERS_VENV)], check=True)
    pip = [str(PEERS_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)


def peer_versions() -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, platform; "
        "print(json.dumps({n: m.version(n) for n in ('mkdocs', 'pelican', 'markdown')} "
        "| {'python': platform.python_version()}))"
    )
    out = subprocess.run([str(PEERS_VENV / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)
