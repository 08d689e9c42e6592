"""The guide's own quality bar, measured on the built site: plain, original, sourced, linked and complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from project import REPO

SEEDS = REPO.parent / "shared" / "seeds"
SECTIONS = ("understanding", "where-it-spreads", "symptoms", "treatments", "living-with-stage-4", "questions")


@pytest.fixture
def built(real_site) -> Path:
    return real_site


def articles(built: Path) -> list[Path]:
    return sorted(p for section in SECTIONS for p in (built / section).glob("*/index.html") if p.parent.name != "print")


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


def test_the_sections_about_symptoms_and_treatments_need_red_flag_boxes():
    """check's red-flag-missing rule then makes every article there carry a box of level urgent or higher."""
    sections = {s["slug"]: s for s in yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))["sections"]}
    assert all(sections[slug].get("red_flags") for slug in ("where-it-spreads", "symptoms", "treatments"))


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
