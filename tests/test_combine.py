"""A section's printable page: its articles nested in one page (ids prefixed, headings one level down), with one word
list and one source list for all of them, and citation marks renumbered to that list (handout/combine.py)."""

from __future__ import annotations

import re
from types import SimpleNamespace

from conftest import REVIEWED, article

from handout.combine import Target, end_matter, nest

MARK = (
    '<sup class="cite"><span aria-hidden="true">[</span><a class="cite-link" href="#source-{n}" id="cite-{n}-1">'
    '<span class="visually-hidden">Source </span>{n}</a><span aria-hidden="true">]</span></sup>'
)


def test_nesting_prefixes_ids_and_references_and_moves_headings_down():
    fragment = (
        '<h1 id="page-title">Bones</h1><section aria-labelledby="page-words page-title">'
        '<h2 id="why">Why</h2><a href="#why">up</a> <a href="../glossary/#bone">bone</a><br><img src="x.png" alt="">'
        "</section>"
    )
    assert nest(fragment, "bone-") == (
        '<h2 id="bone-page-title">Bones</h2><section aria-labelledby="bone-page-words bone-page-title">'
        '<h3 id="bone-why">Why</h3><a href="#bone-why">up</a> <a href="../glossary/#bone">bone</a><br>'
        '<img src="x.png" alt=""></section>'
    )


def test_a_citation_mark_points_to_the_shared_list_and_shows_its_number_there():
    shared = {"source-2": Target("print-source-5", "5")}
    assert nest("<p>Claim" + MARK.format(n=2) + ".</p>", "bone-", shared) == (
        '<p>Claim<sup class="cite"><span aria-hidden="true">[</span><a class="cite-link" href="#print-source-5" '
        'id="bone-cite-2-1"><span class="visually-hidden">Source </span>5</a><span aria-hidden="true">]</span>'
        "</sup>.</p>"
    )


def test_several_marks_in_one_citation_are_each_renumbered():
    shared = {"source-1": Target("print-source-7", "7"), "source-3": Target("print-source-2", "2")}
    fragment = (
        '<sup class="cite"><a class="cite-link" href="#source-3" id="cite-3-2">3</a>, '
        '<a class="cite-link" href="#source-1" id="cite-1-4">1</a></sup>'
    )
    assert nest(fragment, "liver-", shared) == (
        '<sup class="cite"><a class="cite-link" href="#print-source-2" id="liver-cite-3-2">2</a>, '
        '<a class="cite-link" href="#print-source-7" id="liver-cite-1-4">7</a></sup>'
    )


def test_a_statistic_names_its_source_by_its_number_in_the_shared_list():
    shared = {"source-1": Target("print-source-3", "3")}
    fragment = '<dd id="number-x-about">When: 2020. Source: <a href="#source-1">1</a>.</dd>'
    assert nest(fragment, "outlook-", shared) == (
        '<dd id="outlook-number-x-about">When: 2020. Source: <a href="#print-source-3">3</a>.</dd>'
    )


def test_terms_point_to_the_shared_word_list():
    shared = {"word-bone": Target("print-word-bone")}
    fragment = (
        '<a aria-describedby="word-bone" class="term" data-popover="word-bone" href="../../glossary/#bone">bone</a> '
        '<a class="stat" aria-describedby="number-x-about" href="#number-x">2 in 10</a>'
    )
    assert nest(fragment, "bone-", shared) == (
        '<a aria-describedby="print-word-bone" class="term" data-popover="print-word-bone" '
        'href="../../glossary/#bone">bone</a> '
        '<a class="stat" aria-describedby="bone-number-x-about" href="#bone-number-x">2 in 10</a>'
    )


def test_only_a_links_own_number_is_renumbered():
    shared = {"source-2": Target("print-source-9", "9")}
    fragment = '<p>2 of them <a href="#source-2"><span>2</span> 2 </a> and 2 <a href="#other">2</a></p>'
    assert nest(fragment, "a-", shared) == (
        '<p>2 of them <a href="#print-source-9"><span>2</span> 9 </a> and 2 <a href="#a-other">2</a></p>'
    )


def test_entities_comments_and_attributes_survive():
    fragment = '<p title="a &amp; b">Tom &amp; Jerry &#8212; <!-- note --><input disabled></p>'
    assert nest(fragment, "x-") == '<p title="a &amp; b">Tom &amp; Jerry &#8212; <!-- note --><input disabled></p>'


def _source(key: str) -> SimpleNamespace:
    return SimpleNamespace(id=key)


def _page(slug: str, title: str, citations: list[tuple[int, str, tuple[str, ...]]], terms: list[str]):
    return SimpleNamespace(
        url=f"care/{slug}/",
        source=SimpleNamespace(slug=slug),
        meta=SimpleNamespace(title=title),
        citations=[SimpleNamespace(number=n, source=_source(key), markers=m) for n, key, m in citations],
        terms=[SimpleNamespace(anchor=name.lower(), name=name) for name in terms],
    )


def test_the_shared_lists_number_sources_by_first_citation_once_each_and_list_words_a_to_z():
    first = _page("bone", "Bones", [(1, "acs", ("cite-1-1", "cite-1-2")), (2, "nci", ("cite-2-1",))], ["Tumor"])
    second = _page("liver", "Liver", [(1, "nci", ("cite-1-1",)), (2, "mayo", ("cite-2-1",))], ["Bone", "tumor"])
    end = end_matter([first, second])
    assert [(s.number, s.id, s.source.id) for s in end.sources] == [
        (1, "print-source-1", "acs"),
        (2, "print-source-2", "nci"),
        (3, "print-source-3", "mayo"),
    ]
    assert [[(c.title, c.marker) for c in s.cited_in] for s in end.sources] == [
        [("Bones", "bone-cite-1-1")],
        [("Bones", "bone-cite-2-1"), ("Liver", "liver-cite-1-1")],
        [("Liver", "liver-cite-2-1")],
    ]
    assert [(t.id, t.term.name) for t in end.terms] == [("print-word-bone", "Bone"), ("print-word-tumor", "Tumor")]
    assert end.prefix == {"care/bone/": "bone-", "care/liver/": "liver-"}
    assert end.shared["care/liver/"] == {
        "source-1": Target("print-source-2", "2"),
        "source-2": Target("print-source-3", "3"),
        "word-bone": Target("print-word-bone"),
        "word-tumor": Target("print-word-tumor"),
    }


SOURCES = f"""\
acs:
  title: Treatment of stage IV breast cancer
  publisher: American Cancer Society
  url: https://www.cancer.org/stage-iv.html
  accessed: {REVIEWED}
nci:
  title: Metastatic cancer
  publisher: National Cancer Institute
  url: https://www.cancer.gov/metastatic
  accessed: {REVIEWED}
mayo:
  title: Bone metastasis
  publisher: Mayo Clinic
  url: https://www.mayoclinic.org/bone-metastasis
  accessed: {REVIEWED}
"""


def test_a_sections_printable_page_has_one_source_list_its_marks_point_to(site):
    site.write("content/sources.yaml", SOURCES)
    site.write("content/basics/first.md", article("First page", body="One [@acs]. Two [@nci].", order=1))
    site.write("content/basics/second.md", article("Second page", body="Three [@nci; @mayo]. Four [@nci].", order=2))
    run = site.run()
    assert run.code == 0, run.err
    page = site.page("basics/print")
    assert page.count('id="print-sources"') == 1 and 'id="page-sources"' not in page
    assert 'id="first-page-sources"' not in page and 'id="second-page-sources"' not in page
    listed = re.findall(r'<li id="(print-source-\d)"><cite><a class="source-url" href="([^"]+)"', page)
    assert listed == [
        ("print-source-1", "https://www.cancer.org/stage-iv.html"),
        ("print-source-2", "https://www.cancer.gov/metastatic"),
        ("print-source-3", "https://www.mayoclinic.org/bone-metastasis"),
    ]
    marks = re.findall(
        r'href="#(print-source-\d)" id="([a-z-]+-\d-\d)"><span class="visually-hidden">Source </span>(\d)', page
    )
    assert marks == [
        ("print-source-1", "first-cite-1-1", "1"),
        ("print-source-2", "first-cite-2-1", "2"),
        ("print-source-2", "second-cite-1-1", "2"),
        ("print-source-3", "second-cite-2-1", "3"),
        ("print-source-2", "second-cite-1-2", "2"),
    ]
    assert '<a href="#first-cite-2-1">First page</a>; <a href="#second-cite-1-1">Second page</a>' in page
