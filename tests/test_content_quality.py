"""The guide's own quality bar, measured on the built site: plain, original, sourced, linked and complete."""

from __future__ import annotations

import re
import statistics
from html.parser import HTMLParser
from pathlib import Path

import pytest
import textstat
import yaml
from project import REPO, run_cli

from handout.markdown_ext.callouts import KINDS, URGENT

SEEDS = REPO.parent / "shared" / "seeds"
SECTIONS = ("understanding", "where-it-spreads", "symptoms", "treatments", "living-with-stage-4", "questions")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("quality") / "_site"
    result = run_cli("build", "--strict", "--out", str(out), cwd=REPO)
    assert result.returncode == 0, result.stderr
    return out


def articles(built: Path) -> list[Path]:
    return sorted(p for section in SECTIONS for p in (built / section).glob("*/index.html") if p.parent.name != "print")


class Prose(HTMLParser):
    """The article body as a reader reads it: headings and list items end sentences; citation marks are dropped."""

    SKIP = frozenset({"sup", "pre", "code", "table"})
    BREAK = frozenset({"p", "li", "h2", "h3", "h4", "dt", "dd", "div", "td", "th"})

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside the article body
        self.skipping = 0
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "div" and attributes.get("class") == "article-body":
            self.depth = 1
        elif self.depth:
            self.depth += tag == "div"
            self.skipping += tag in self.SKIP
            if tag == "a" and attributes.get("href"):
                self.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "div":
            self.depth -= 1
        self.skipping -= tag in self.SKIP
        if tag in self.BREAK and self.parts and not self.parts[-1].rstrip().endswith((".", "?", "!", ":")):
            self.parts.append(". ")
        elif tag in self.BREAK:
            self.parts.append(" ")

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()


def prose(page: Path) -> Prose:
    parser = Prose()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_the_plan_is_complete(built):
    assert len(articles(built)) >= 30
    for page in (
        "about",
        "glossary",
        "sources",
        "questions/faq",
        "questions/questions-to-ask",
        "living-with-stage-4/handover-sheet",
    ):
        assert (built / page / "index.html").is_file(), page


def test_reading_level(built):
    """Flesch-Kincaid grade: median of the articles at most 8, none above 9."""
    grades = {
        p.parent.relative_to(built).as_posix(): textstat.flesch_kincaid_grade(prose(p).text) for p in articles(built)
    }
    assert statistics.median(grades.values()) <= 8, grades
    assert max(grades.values()) <= 9, {page: grade for page, grade in grades.items() if grade > 9}


def test_every_article_links_to_at_least_two_others(built):
    for page in articles(built):
        targets = set()
        for href in prose(page).links:
            if re.match(r"[a-z]+:|#", href) or "glossary/" in href or "sources/" in href:
                continue
            target = (page.parent / href.split("#")[0]).resolve()
            if target != page.parent.resolve() and target.parent.name in SECTIONS:
                targets.add(target)
        assert len(targets) >= 2, f"{page.parent.relative_to(built)} links to {len(targets)} other articles"


def test_every_article_has_its_parts(built):
    for page in articles(built):
        html = page.read_text(encoding="utf-8")
        name = page.parent.relative_to(built).as_posix()
        points = (
            html.split('id="page-key-points"')[1].split("</section>")[0].count("<li>")
            if "page-key-points" in html
            else 0
        )
        assert 3 <= points <= 5, f"{name}: {points} key points"
        assert 'id="page-questions"' in html, f"{name}: no questions to ask"
        assert 'class="cite-link"' in html, f"{name}: cites no source"
        assert "<strong>Awaiting clinical review.</strong>" in html, name
        assert "Clinically reviewed" not in html, name


RED_FLAG_BOXES = tuple(f'class="callout callout-{name}"' for name, kind in KINDS.items() if kind.rank >= URGENT)


@pytest.mark.parametrize("section", ["where-it-spreads", "symptoms", "treatments"])
def test_pages_about_symptoms_and_treatments_say_when_to_get_help_now(built, section):
    """Each has a box of level urgent or higher with its own warning signs, and who to call."""
    pages = [p for p in (built / section).glob("*/index.html") if p.parent.name != "print"]
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert any(box in html for box in RED_FLAG_BOXES), page.parent.name


def test_registers_are_big_enough_and_complete():
    content = REPO / "content"
    glossary = yaml.safe_load((content / "glossary.yaml").read_text(encoding="utf-8"))
    sources = yaml.safe_load((content / "sources.yaml").read_text(encoding="utf-8"))
    assert len(glossary) >= 80
    assert len(sources) >= 20
    assert all(source.get("url") for source in sources.values())


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents live in ../shared/seeds beside the project")
def test_no_ten_word_run_is_shared_with_the_seeds():
    """The same measure as shared/tools/originality.py, on sentences: the exact web addresses of cited sources
    are left out, since a URL must match the source it names and cannot be reworded."""
    grams = set()
    for seed in SEEDS.iterdir():
        w = words(seed.read_text(encoding="utf-8", errors="replace"))
        grams.update(tuple(w[i : i + 10]) for i in range(len(w) - 9))
    shared = []
    for path in sorted((REPO / "content").rglob("*")):
        if path.suffix not in (".md", ".yaml"):
            continue
        text = re.sub(r"https?://\S+", " ", path.read_text(encoding="utf-8"))
        w = words(text)
        shared += [
            f"{path.name}: {' '.join(w[i : i + 10])}" for i in range(len(w) - 9) if tuple(w[i : i + 10]) in grams
        ]
    assert shared == []


def titles() -> dict[Path, str]:
    found = {}
    for path in (REPO / "content").rglob("*.md"):
        front = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        found[path.resolve()] = yaml.safe_load(front.removeprefix("---"))["title"]
    return found


def test_a_link_to_a_whole_page_names_it_by_its_title():
    """Readers meet one name for each page ("Feelings and support", never also "emotions and support"). A link to a
    part of a page (with #anchor) may say what that part is about."""
    names = titles()
    mismatched = []
    for path in sorted(names):
        body = path.read_text(encoding="utf-8").split("\n---", 1)[1]
        for text, target in re.findall(r"(?<!!)\[([^\]]+)\]\(([^)#:]+\.md)\)", body):
            title = names.get((path.parent / target).resolve())
            if title and text.lower() != title.lower():
                mismatched.append(f"{path.relative_to(REPO)}: [{text}] links to {title!r}")
    assert mismatched == []


# Words and spellings a US reader would stumble on, and their US forms. Source titles and publishers in
# sources.yaml are quoted as published and are not checked.
UK_WORDS = {
    r"tumours?": "tumor",
    r"[a-z]*aemi[a-z]*": "US spelling without the a (anemia, hypercalcemia, leukemia)",
    r"oedema|lymphoedema": "edema, lymphedema",
    r"diarrhoea": "diarrhea",
    r"oesophag[a-z]*": "esophagus",
    r"oestrogen": "estrogen",
    r"haem[a-z]*": "US spelling (hemoglobin, hematologist)",
    r"colours?|behaviours?|favour[a-z]*|labour": "color, behavior, favor, labor",
    r"centres?|fibre|litres?": "center, fiber, liter",
    r"(?:organi|recogni|speciali|minimi|apologi)s(?:e|ed|es|ing|ations?)": "US spelling with z",
    r"programmes?|paediatric[a-z]*|gynaecolog[a-z]*|anaesthe[a-z]*|foet[a-z]*": "US spelling",
    r"physiotherap[a-z]*": "physical therapist, physical therapy",
    r"poo|drip": "stool or poop; IV or infusion",
    r"carers?": "caregiver",
    r"at the weekend|A&E|GP|paracetamol|mum|whilst|being sick|counselling|travelling": "US words",
    r"feel(?:s|ing)? sick(?! to)|in hospital|a fit|fortnight": "nausea; in the hospital; a seizure; two weeks",
}
UK_PATTERN = re.compile(r"\b(" + "|".join(f"(?:{p})" for p in UK_WORDS) + r")\b", re.IGNORECASE)


def test_a_us_edition_uses_us_words():
    language = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))["language"]
    if not language.endswith("-US"):
        pytest.skip("not a US edition")
    found = []
    files = [p for p in (REPO / "content").rglob("*") if p.suffix == ".md" or p.name in ("glossary.yaml", "stats.yaml")]
    for path in sorted(files):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # Link targets, citation keys and source ids are names, not words a reader sees.
            text = re.sub(r"\]\([^)]*\)|https?://\S+|\[@[^\]]*\]|^\s*source: .*", "", line)
            found += [f"{path.relative_to(REPO)}:{number}: {m.group(0)}" for m in UK_PATTERN.finditer(text)]
    assert found == []
