"""Glossary: automatic links to terms, the rules they follow, the glossary page and its checks."""

from __future__ import annotations

import json
import re

from conftest import GLOSSARY, REVIEWED, article

SOURCES = f"""\
nci:
  title: NCI Dictionary of Cancer Terms
  publisher: National Cancer Institute
  url: https://www.cancer.gov/publications/dictionaries/cancer-terms
  accessed: {REVIEWED}
"""

FILE = "content/basics/first.md"


def with_glossary(site, body: str, glossary: str = GLOSSARY, **fields) -> str:
    site.write("content/glossary.yaml", glossary)
    site.write("content/sources.yaml", SOURCES)
    site.write(FILE, article("First page", body=body, **fields))
    run = site.run()
    assert run.code == 0, run.err
    html = site.page("basics/first")
    return html.split('<div class="article-body">', 1)[1].split("\n  </div>\n", 1)[0]


def term_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a [^>]*class="term" [^>]*href="([^"]+)">([^<]+)</a>', html)


def test_longest_match_first_and_first_occurrence_only(site):
    body = with_glossary(site, "HER2-positive cancer makes HER2. Later, HER2 and HER2-positive again. A tumor.")
    assert term_links(body) == [
        ("../../glossary/#her2-positive", "HER2-positive"),
        ("../../glossary/#her2", "HER2"),
        ("../../glossary/#tumor", "tumor"),
    ]


def test_aliases_case_and_whole_words(site):
    body = with_glossary(site, "Metastases happen. A Tumour grows. Other words: HER2s, er, overtumor, Tumor-like.")
    assert term_links(body) == [("../../glossary/#metastasis", "Metastases"), ("../../glossary/#tumor", "Tumour")]


def test_abbreviations_match_their_exact_case_only(site):
    assert term_links(with_glossary(site, "The er and Er forms are words; ER is the receptor.")) == [
        ("../../glossary/#er", "ER")
    ]


def test_never_inside_headings_links_code_or_callout_titles(site):
    body = with_glossary(
        site,
        """
        ## Tumor basics

        [A tumor link](../care/support.md) and `tumor` in code.

            tumor in a code block

        !!! note "Tumor facts"
            Inside the callout, a tumor.
    """,
    )
    assert term_links(body) == [("../../glossary/#tumor", "tumor")]
    assert '<p class="callout-title">Tumor facts</p>' in body
    assert body.count('class="term"') == 1 and "Inside the callout, a <a aria-describedby" in body


def test_never_inside_the_sites_own_who_to_call_line(site):
    glossary = GLOSSARY + "Care team:\n  definition: The people who look after you.\n"
    with_glossary(site, "!!! urgent\n    A tumor that hurts.\n\nYour care team can help.", glossary=glossary)
    page = site.page("basics/first")
    assert "<strong>Call your care team&rsquo;s 24-hour number now, day or night.</strong>" in page
    assert 'href="../../glossary/#care-team">care team</a> can help' in page


def test_a_page_can_switch_linking_off_entirely_or_for_some_terms(site):
    assert term_links(with_glossary(site, "A tumor and HER2.", link_terms="false")) == []
    assert term_links(with_glossary(site, "A tumor and HER2.", skip_terms=["Tumor"])) == [
        ("../../glossary/#her2", "HER2")
    ]


def test_linked_terms_are_described_for_screen_readers_and_listed_at_the_end(site):
    with_glossary(site, "A tumor and HER2.")
    page = site.page("basics/first")
    assert (
        '<a aria-describedby="word-tumor" class="term" data-popover="word-tumor" href="../../glossary/#tumor">tumor</a>'
    ) in page
    words = page.split('id="page-words"')[1].split("</section>")[0]
    assert re.findall(r'<dt><a href="([^"]+)">([^<]+)</a></dt>\s*<dd id="([^"]+)">([^<]+)</dd>', words) == [
        ("../../glossary/#her2", "HER2", "word-her2", "A protein that helps some cancer cells grow."),
        ("../../glossary/#tumor", "Tumor", "word-tumor", "A lump of cells that grow out of control."),
    ]


def test_glossary_page(site):
    with_glossary(site, "A tumor with metastases, HER2-positive.")
    page = site.page("glossary")
    assert re.findall(r'<li><a href="#letter-([a-z])">', page) == ["e", "h", "m", "t"]
    assert page.count('<span aria-hidden="true">') == 22  # the letters with no terms, not links
    assert re.findall(r'<dt id="([^"]+)">([^<]+)</dt>', page) == [
        ("er", "ER"),
        ("her2", "HER2"),
        ("her2-positive", "HER2-positive"),
        ("metastasis", "Metastasis"),
        ("tumor", "Tumor"),
    ]
    assert '<p class="see-also">See also: <a href="#her2-positive">HER2-positive</a>.</p>' in page
    assert '<p class="aliases">Also written as: tumors, tumour.</p>' in page
    assert '<p class="used-in">Used in: <a href="../basics/first/">First page</a>.</p>' in page
    assert (
        '<p class="term-source">Checked against: <a href="../sources/#source-nci">NCI Dictionary of Cancer '
        "Terms</a>.</p>"
    ) in page
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "DefinedTermSet"
    assert [t["name"] for t in data["hasDefinedTerm"]] == ["ER", "HER2", "HER2-positive", "Metastasis", "Tumor"]
    assert data["hasDefinedTerm"][4] == {
        "@type": "DefinedTerm",
        "@id": "./#tumor",
        "name": "Tumor",
        "description": "A lump of cells that grow out of control.",
        "alternateName": ["tumors", "tumour"],
        "inDefinedTermSet": "./#terms",
    }


def test_glossary_is_linked_from_every_page(site):
    with_glossary(site, "A tumor.")
    assert '<li><a href="../../glossary/">Glossary</a></li>' in site.page("care/support")


def test_glossary_errors(site):
    site.write("content/sources.yaml", SOURCES)
    site.write(
        "content/glossary.yaml",
        """\
Tumor:
  definition: A lump.
  aliases: [Growth, tumour]
Growth:
  definition: Getting bigger.
Lump:
  definition: A swelling.
  aliases: [TUMOUR]
  see_also: [Tumour, Nothing]
  source: ncii
""",
    )
    site.write(FILE, article("First page", body="A tumor, a lump, growth."))
    assert site.problems() == [
        'content/glossary.yaml:4: error [glossary-duplicate] the term "Growth" is already used by the term "Tumor". '
        "Each word may belong to one term only: remove one of them.",
        'content/glossary.yaml:8: error [glossary-duplicate] the alias "TUMOUR" is already used by the term '
        '"Tumor". Each word may belong to one term only: remove one of them.',
        'content/glossary.yaml:9: error [glossary-see-also] "Lump" lists "Nothing" under see_also, but there is no '
        "such term.",
        'content/glossary.yaml:9: error [glossary-see-also] "Lump" lists "Tumour" under see_also, but there is no '
        'such term. Did you mean "Tumor"?',
        'content/glossary.yaml:10: error [source-unknown] "ncii" is not a source in sources.yaml. Did you mean '
        '"nci"? Add it there, or use an existing id.',
        'content/sources.yaml:1: warning [source-unused] the source "nci" is not cited anywhere. Remove it, or cite '
        "it as [@nci].",
    ]


def test_unused_terms_are_warnings(site):
    site.write("content/glossary.yaml", "Tumor:\n  definition: A lump.\nBiopsy:\n  definition: A sample.\n")
    site.write(FILE, article("First page", body="A tumor."))
    assert site.problems() == [
        'content/glossary.yaml:3: warning [glossary-unused] the term "Biopsy" is not used on any page. Remove it, or '
        "use it (or an alias) in an article."
    ]


def test_skip_terms_must_name_real_terms(site):
    site.write("content/glossary.yaml", "Tumor:\n  definition: A lump.\n")
    site.write(FILE, article("First page", body="A tumor.", skip_terms=["Tumour"]))
    assert site.problems() == [
        f'{FILE}:6: error [skip-terms-unknown] "skip_terms" lists "Tumour", which is not a glossary term. Did you '
        'mean "Tumor"? Fix the name, or remove it from skip_terms.'
    ]
