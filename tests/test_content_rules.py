"""The rules for complete articles, each on a page that breaks it and one that keeps it, with exact messages."""

from __future__ import annotations

import re

import pytest
from conftest import CONFIG, REVIEWED, article

FILE = "content/care/page.md"
# The test config without its block that turns the article rules off, and with a section that needs red flags.
WHOLE_ARTICLES = CONFIG.split("# Most tests")[0].replace(
    "    intro: Treatments and support.\n", "    intro: Treatments and support.\n    red_flags: true\n"
)
SOURCES = """\
a-source:
  title: A source
  publisher: A publisher
  type: web
  url: https://example.org/a
  accessed: {reviewed}
"""
GOOD_BODY = """\
Some help is here [@a-source]. See [Support](support.md) and [First page](../basics/first.md).

!!! urgent "Signs that need help now"
    - a fever
"""


def complete(title: str = "A page", body: str = GOOD_BODY, **fields) -> str:
    front = {
        "key_points": ["One.", "Two.", "Three."],
        "questions": ["What now?"],
        **fields,
    }
    return article(title, body=body, **front)


@pytest.fixture
def whole(site):
    site.write("config.yaml", WHOLE_ARTICLES)
    site.write("content/sources.yaml", SOURCES.format(reviewed=REVIEWED))
    # The pages every fixture site has become complete articles too, so that only the page under test is reported.
    site.write(
        "content/basics/first.md",
        complete(
            "First page",
            body=GOOD_BODY.replace("../basics/first.md", "../care/support.md").replace(
                "support.md)", "../care/page.md)", 1
            ),
            order=1,
        ),
    )
    site.write("content/care/support.md", complete("Support", body=GOOD_BODY.replace("support.md", "page.md"), order=1))
    site.write(FILE, complete())
    return site


def problems(site, page: str) -> list[str]:
    site.write(FILE, page)
    return [p for p in site.problems("--strict") if not p.startswith("Checked")]


def test_a_complete_article_passes_a_strict_check(whole):
    assert problems(whole, complete()) == []


def test_key_points(whole):
    assert problems(whole, complete(key_points=["Only one."])) == [
        f"{FILE}:5: warning [key-points-count] the page has 1 key point; readers and printed handouts need 3 to 5 "
        'short sentences under "key_points", the most important first.'
    ]


def test_questions(whole):
    assert problems(whole, complete(questions=None)) == [
        f"{FILE}:1: warning [questions-missing] the page has no questions to ask the care team. Add 3 or more under "
        '"questions".'
    ]


def test_a_citation(whole):
    assert problems(whole, complete(body=GOOD_BODY.replace(" [@a-source]", "")))[0] == (
        f"{FILE}:12: error [citation-missing] the page cites no source. Cite where each fact comes from with [@id], "
        "from sources.yaml."
    )


def test_links_to_two_other_articles(whole):
    body = GOOD_BODY.replace(" and [First page](../basics/first.md)", "")
    assert problems(whole, complete(body=body)) == [
        f"{FILE}:12: warning [links-too-few] the page links to 1 other article; link to at least 2, so a reader "
        "always has somewhere to go next."
    ]


@pytest.mark.parametrize("kind", ["emergency", "urgent", "crisis"])
def test_a_red_flag_box_of_level_urgent_or_higher(whole, kind):
    assert problems(whole, complete(body=GOOD_BODY.replace("!!! urgent", f"!!! {kind}"))) == []


def test_a_same_day_box_is_not_enough_where_red_flags_are_needed(whole):
    assert problems(whole, complete(body=GOOD_BODY.replace("!!! urgent", "!!! same-day"))) == [
        f'{FILE}:12: error [red-flag-missing] articles in "Care" need a box of the warning signs that need help '
        "now: !!! emergency, !!! urgent, !!! crisis, with this page's own signs."
    ]


def test_reading_grade(whole):
    hard = (
        "Pharmacological interventions necessitate individualized consideration of comorbidities, concomitant "
        "medications, and anticipated physiological tolerability characteristics. "
    ) * 12
    found = problems(whole, complete(body=GOOD_BODY + "\n" + hard))
    assert len(found) == 2  # the grade, and a paragraph too long
    assert re.fullmatch(
        rf"{FILE}:12: warning \[reading-grade\] the text reads at grade \d+\.\d, above the site's target of 8\. "
        r"Use shorter sentences and common words, and explain medical words\.",
        found[0],
    )
    assert found[1].startswith(f"{FILE}:18: warning [paragraph-long]")


def test_long_sentences_and_paragraphs(whole):
    sentence = " ".join(["word"] * 40) + "."
    assert problems(whole, complete(body=GOOD_BODY + "\nShort one. " + sentence + "\n")) == [
        f"{FILE}:18: warning [sentence-long] a sentence of 40 words. Split it: sentences under 35 are easier."
    ]
    paragraph = " ".join(["We can talk about it."] * 28)
    assert problems(whole, complete(body=GOOD_BODY + "\n" + paragraph + "\n")) == [
        f"{FILE}:18: warning [paragraph-long] this paragraph has 140 words. Split it: at most 120 is easier to read."
    ]


def test_images_need_alt_text(whole):
    assert problems(whole, complete(body=GOOD_BODY + "\n![](map.png)\n")) == [
        f'{FILE}:18: error [image-alt-missing] the image "map.png" has no alt text. Write what it shows: '
        "![what it shows](map.png)."
    ]


def test_vague_link_text(whole):
    assert problems(whole, complete(body=GOOD_BODY + "\nFor more, click [here](support.md).\n")) == [
        f'{FILE}:18: warning [link-text-vague] the link text "here" does not say where it goes, which screen '
        "readers and printouts need. Use the title of the page it links to."
    ]


def test_the_placeholders_that_new_writes_are_flagged_until_replaced(whole):
    whole.run("new", "Bone pain: what helps", "--section", "care")
    found = whole.problems("--strict")
    rules = [re.search(r"\[([a-z-]+)\]", line).group(1) for line in found if "bone-pain-what-helps.md" in line]
    assert rules.count("placeholder-text") == 3  # summary, key point, first paragraph
    assert {"key-points-count", "questions-missing", "citation-missing", "links-too-few", "red-flag-missing"} <= set(
        rules
    )
