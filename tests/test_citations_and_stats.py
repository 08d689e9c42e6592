"""Citations (numbered by first appearance, linked both ways), the sources register and page, and statistics."""

from __future__ import annotations

import datetime as dt
import re

from conftest import REVIEWED, STATS, article

SOURCES = f"""\
seer:
  title: "Cancer Stat Facts: Female Breast Cancer"
  publisher: National Cancer Institute
  year: 2025
  url: https://seer.cancer.gov/statfacts/html/breast.html
  accessed: {REVIEWED}
acs:
  title: Treatment of stage IV breast cancer
  publisher: American Cancer Society
  url: https://www.cancer.org/stage-iv.html
  accessed: {REVIEWED}
study:
  title: A study
  authors: Doe J, Roe R
  publication: A Journal 2017;1:1-2
  type: article
  year: 2017
  accessed: {REVIEWED}
"""

FILE = "content/basics/first.md"


def build(site, body: str, stats: str = STATS) -> str:
    site.write("content/sources.yaml", SOURCES)
    site.write("content/stats.yaml", stats)
    site.write(FILE, article("First page", body=body))
    run = site.run()
    assert run.code == 0, run.err
    return site.page("basics/first")


def test_citations_are_numbered_by_first_appearance_with_links_both_ways(site):
    page = build(site, "First claim [@acs]. Second [@study; @acs]. Third [@acs].\n\nAlso [@seer].")
    markers = re.findall(r'<a class="cite-link" href="#source-(\d)" id="(cite-\d-\d)">', page)
    assert markers == [("1", "cite-1-1"), ("2", "cite-2-1"), ("1", "cite-1-2"), ("1", "cite-1-3"), ("3", "cite-3-1")]
    sources = page.split('id="page-sources"')[1].split("</section>")[0]
    entries = re.findall(r'<li id="source-(\d)">(.*?)</li>', sources, re.S)
    assert [number for number, _ in entries] == ["1", "2", "3"]
    assert (
        '<cite><a class="source-url" href="https://www.cancer.org/stage-iv.html" rel="noopener noreferrer">'
        "Treatment of stage IV breast cancer</a></cite>"
    ) in entries[0][1]
    assert re.findall(r'href="#(cite-[\d-]+)"', entries[0][1]) == ["cite-1-1", "cite-1-2", "cite-1-3"]
    assert entries[1][1].startswith("Doe J, Roe R. <cite>A study</cite>. A Journal 2017;1:1-2. 2017.")
    # The title is the link: a raw address is noise on a phone.
    assert "https://seer.cancer.gov/statfacts/html/breast.html</a>" not in entries[2][1]


def test_a_citation_marker_reads_well_aloud_and_on_screen(site):
    page = build(site, "A claim [@acs; @seer].")
    assert (
        '<sup class="cite"><span aria-hidden="true">[</span><a class="cite-link" href="#source-1" id="cite-1-1">'
        '<span class="visually-hidden">Source </span>1</a>, <a class="cite-link" href="#source-2" '
        'id="cite-2-1"><span class="visually-hidden">Source </span>2</a><span aria-hidden="true">]</span></sup>'
    ) in page


def test_unknown_citation_key_suggests_the_nearest(site):
    site.write("content/sources.yaml", SOURCES)
    site.write(FILE, article("First page", body="Fine [@acs].\n\nA claim [@seer-breats; @acs]."))
    assert site.problems() == [
        f'{FILE}:9: error [citation-unknown] "[@seer-breats]" cites a source that is not in content/sources.yaml. '
        'Did you mean "seer"? Add the source there, or fix the id.',
        'content/sources.yaml:1: warning [source-unused] the source "seer" is not cited anywhere. Remove it, or '
        "cite it as [@seer].",
        'content/sources.yaml:12: warning [source-unused] the source "study" is not cited anywhere. Remove it, or '
        "cite it as [@study].",
    ]


def test_source_register_errors_and_warnings(site):
    old = (dt.date.today() - dt.timedelta(days=800)).isoformat()
    site.write(
        "content/sources.yaml",
        f"""\
web-no-url:
  title: A page
  publisher: Someone
  accessed: {REVIEWED}
no-date:
  title: Another page
  publisher: Someone
  url: https://example.org/
no-one:
  title: Nobody wrote this
  url: https://example.org/x
  accessed: {REVIEWED}
old:
  title: An old page
  publisher: Someone
  url: https://example.org/old
  accessed: {old}
unused:
  title: Never cited
  publisher: Someone
  url: https://example.org/unused
  accessed: {REVIEWED}
""",
    )
    site.write(FILE, article("First page", body="A [@web-no-url; @no-date; @no-one; @old]."))
    assert site.problems() == [
        'content/sources.yaml:1: error [source-no-url] source "web-no-url" is a web page without a URL. Add "url:" '
        "with the exact address that was read.",
        'content/sources.yaml:5: error [source-no-accessed] source "no-date" has no access date. Add "accessed: '
        'YYYY-MM-DD" with the date the team last checked it.',
        'content/sources.yaml:9: error [source-no-publisher] source "no-one" names neither a publisher nor authors. '
        'Add "publisher:" (for a web page) or "authors:" (for a study).',
        f'content/sources.yaml:13: warning [source-stale] source "old" was last accessed on {old}, over two years '
        'ago. Check that it still says what the site cites it for, then update "accessed".',
        'content/sources.yaml:18: warning [source-unused] the source "unused" is not cited anywhere. Remove it, or '
        "cite it as [@unused].",
    ]


def test_sources_page_lists_every_source_with_the_pages_that_cite_it(site):
    build(site, "A [@acs] and [@seer].")
    site.write("content/care/support.md", article("Support", body="B [@acs] and [@study]."))
    assert site.run().code == 0
    page = site.page("sources")
    entries = re.findall(r'<li id="source-([a-z]+)">(.*?)</li>', page, re.S)
    assert [key for key, _ in entries] == ["study", "seer", "acs"]  # by title
    assert (
        '<p class="cited-by">Cited on: <a href="../basics/first/">First page</a>, <a href="../care/support/">'
        "Support</a>.</p>" in entries[2][1]
    )
    assert '<li><a href="../../sources/">Sources</a></li>' in site.page("basics/first")


def test_statistic_renders_register_value_with_its_citation_and_details(site):
    page = build(site, "About [32.6%](stat:distant-5yr) of people lived five years [@acs].")
    body = page.split('<div class="article-body">')[1].split("\n  </div>")[0]
    assert body == (
        '\n<p>About <a aria-describedby="number-distant-5yr-about" class="stat" '
        'data-popover="number-distant-5yr-about" '
        'href="#number-distant-5yr">32.6%</a><sup class="cite"><span aria-hidden="true">[</span><a class="cite-link" '
        'href="#source-1" id="cite-1-1"><span class="visually-hidden">Source </span>1</a><span aria-hidden="true">]'
        '</span></sup> of people lived five years<sup class="cite"><span aria-hidden="true">[</span><a '
        'class="cite-link" href="#source-2" id="cite-2-1"><span class="visually-hidden">Source </span>2</a><span '
        'aria-hidden="true">]</span></sup>.</p>'
    )
    numbers = page.split('id="page-numbers"')[1].split("</section>")[0]
    assert (
        '<dt id="number-distant-5yr">32.6%</dt>\n      <dd id="number-distant-5yr-about">What it counts: 5-year '
        "relative survival. Who: US women diagnosed at the distant stage. When: diagnosed 2015-2021. Source: "
        '<a href="#source-1">1</a>.</dd>'
    ) in numbers
    assert "cannot tell you what will happen to you" in numbers


def test_changing_the_register_changes_every_page(site):
    build(site, "Survival was [32.6%](stat:distant-5yr).")
    site.write("content/care/support.md", article("Support", body="It was [32.6%](stat:distant-5yr)."))
    site.write("content/stats.yaml", STATS.replace('"32.6%"', '"33.0%"').replace("2015-2021", "2016-2022"))
    run = site.run()
    assert run.code == 0
    assert run.err.count("[stat-text-mismatch]") == 2
    for url in ("basics/first", "care/support"):
        page = site.page(url)
        assert ">33.0%</a>" in page and "32.6%" not in page and "diagnosed 2016-2022" in page


def test_stat_text_that_disagrees_with_the_register_is_a_warning(site):
    site.write("content/sources.yaml", SOURCES)
    site.write("content/stats.yaml", STATS)
    site.write(FILE, article("First page", body="Text [@acs] [@study].\n\nIt was [31.9%](stat:distant-5yr)."))
    assert site.problems() == [
        f'{FILE}:9: warning [stat-text-mismatch] the link text "31.9%" differs from the register\'s value for '
        '"distant-5yr" (32.6%); the page shows 32.6%. Change the text to 32.6% so the Markdown preview says the same.'
    ]


def test_unknown_statistic(site):
    site.write("content/sources.yaml", SOURCES)
    site.write("content/stats.yaml", STATS)
    site.write(FILE, article("First page", body="[32.6%](stat:distant-5yr) [@acs] [@study]\n\n[y](stat:distant5yr)"))
    assert site.problems() == [
        f'{FILE}:9: error [stat-unknown] "stat:distant5yr" is not a statistic in content/stats.yaml. Did you mean '
        '"distant-5yr"? Add it there, or fix the id.'
    ]


def test_numbers_not_from_the_register_are_reported(site):
    site.write(
        FILE,
        article(
            "First page",
            key_points=["About 1 in 3 people."],
            body="""
        Around 30% of people. About one in four, and 6 in 100.

        Not prose: `50%` and

            75% in code

        Not statistics: stage 4, 2 tablets, 10 years, 5 in the morning.
    """,
        ),
    )
    assert site.problems() == [
        f'{FILE}:6: warning [stat-unregistered] "1 in 3" looks like a statistic, but front matter cannot cite it. '
        "Move it into the text, written as a statistic from the register.",
        f'{FILE}:9: warning [stat-unregistered] "30%" looks like a statistic but does not come from '
        "content/stats.yaml. Add it there and write it as [30%](stat:ID), so its source and period travel with it.",
        f'{FILE}:9: warning [stat-unregistered] "6 in 100" looks like a statistic but does not come from '
        "content/stats.yaml. Add it there and write it as [6 in 100](stat:ID), so its source and period travel with "
        "it.",
        f'{FILE}:9: warning [stat-unregistered] "one in four" looks like a statistic but does not come from '
        "content/stats.yaml. Add it there and write it as [one in four](stat:ID), so its source and period travel "
        "with it.",
    ]


def test_stat_register_errors(site):
    site.write("content/sources.yaml", SOURCES)
    site.write("content/stats.yaml", 'x:\n  value: "1%"\n  measures: m\n  population: p\n  source: seeer\n')
    site.write(FILE, article("First page", body="[@acs] [@study] [@seer]"))
    assert site.problems() == [
        'content/stats.yaml:1: error [schema-missing-key] "period" is required in the statistic "x". Add a line such '
        "as: period: diagnosed 2015-2021"
    ]
    site.write(
        "content/stats.yaml", 'x:\n  value: "1%"\n  measures: m\n  population: p\n  period: q\n  source: seeer\n'
    )
    assert site.problems() == [
        'content/stats.yaml:6: error [source-unknown] "seeer" is not a source in sources.yaml. Did you mean "seer"? '
        "Add it there, or use an existing id."
    ]
