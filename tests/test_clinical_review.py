"""Clinical review that cannot go stale: a page is "clinically reviewed" only as its reviewer approved it, and any
change to it, or to a register entry it shows, says so until the next review. Always on copies: the shipped content
stays honestly awaiting review."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from conftest import CONFIG, REVIEWED, SiteFolder, article

TODAY = dt.date.today()
REVIEWER = "Dr Ada Byron, MD"
FIRST = "content/basics/first.md"
OTHER = "content/care/other.md"
SUPPORT = "content/care/support.md"
ATOM = "{http://www.w3.org/2005/Atom}"

SOURCES = f"""\
seer:
  title: "Cancer Stat Facts: Female Breast Cancer"
  publisher: National Cancer Institute
  url: https://seer.cancer.gov/statfacts/html/breast.html
  accessed: {REVIEWED}
"""
STATS = """\
surv:
  value: "32.6%"
  measures: 5-year relative survival
  population: US women diagnosed at the distant stage
  period: diagnosed 2015-2021
  source: seer
"""
GLOSSARY = """\
Metastasis:
  definition: The spread of cancer to another part of the body.
"""


@pytest.fixture
def site(site: SiteFolder) -> SiteFolder:
    """Three pages: two show the statistic, one does not; all cite the source and use the glossary term."""
    site.write("content/sources.yaml", SOURCES)
    site.write("content/stats.yaml", STATS)
    site.write("content/glossary.yaml", GLOSSARY)
    stat = "About [32.6%](stat:surv) of women live five years or more [@seer]."
    site.write(FIRST, article("First page", f"Cancer that spreads is called metastasis.\n\n{stat}", order=1))
    site.write(OTHER, article("Other page", f"A page that shows the number too.\n\n{stat}", order=2))
    site.write(SUPPORT, article("Support", "Metastasis can be treated [@seer].", order=1))
    return site


def review(site: SiteFolder, page: str = FIRST, reviewer: str = REVIEWER) -> None:
    run = site.run("review", page, "--reviewer", reviewer)
    assert run.code == 0, run.err
    assert run.out == (
        f"Recorded: {page} was clinically reviewed by {reviewer} on {TODAY.isoformat()}, as it stands now "
        f"(record: content/_reviews/{page.removeprefix('content/').removesuffix('.md')}.yaml). Commit both files.\n"
    )


def review_problems(site: SiteFolder) -> list[str]:
    return [line for line in site.problems() if "review" in line]


def web_page(html: str) -> dict:
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    return next(item for item in data["@graph"] if item["@type"] == "MedicalWebPage")


def edit(site: SiteFolder, path: str, old: str, new: str) -> None:
    file = site.root / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def test_a_reviewed_page_says_so_and_names_its_reviewer(site):
    review(site)
    front = (site.root / FIRST).read_text(encoding="utf-8").split("---")[1]
    for line in ("review_status: clinically-reviewed", f'reviewer: "{REVIEWER}"', f"reviewed: {TODAY.isoformat()}"):
        assert f"\n{line}\n" in front, line
    record = (site.root / "content/_reviews/basics/first.yaml").read_text(encoding="utf-8")
    assert f"reviewer: {REVIEWER}\n" in record and "fingerprint: sha256:" in record
    assert "  value: 32.6%" in record or "  value: '32.6%'" in record  # the statistic as approved, for later diffs
    assert review_problems(site) == []
    assert site.run("build").code == 0
    html = site.page("basics/first")
    assert f"<strong>Clinically reviewed</strong> by {REVIEWER} on <time" in html
    data = web_page(html)
    assert data["reviewedBy"] == {"@type": "Person", "name": REVIEWER}
    assert data["lastReviewed"] == TODAY.isoformat()
    assert "<strong>Awaiting clinical review.</strong>" in site.page("care/other")  # no other page claims it


def test_changing_one_word_makes_the_page_changed_since_review(site):
    review(site)
    edit(site, FIRST, "Cancer that spreads", "Cancer that moves")
    assert review_problems(site) == [
        f"{FIRST}:6: warning [changed-since-review] changed since its clinical review on {TODAY.isoformat()} by "
        f"{REVIEWER}: its text changed. It shows as awaiting re-review. To see the changes: python build.py review "
        f"--changes {FIRST}"
    ]
    assert site.run("build").code == 0
    html = site.page("basics/first")
    assert "<strong>Changed since its clinical review</strong> on <time" in html and "awaiting re-review" in html
    assert "Clinically reviewed</strong>" not in html
    assert "Changed since its clinical review on" in html.split('class="print-info"')[1]  # and on paper
    data = web_page(html)
    assert "reviewedBy" not in data and "lastReviewed" not in data


def test_changing_a_statistic_flags_every_page_that_shows_it_and_no_other(site):
    for page in (FIRST, OTHER, SUPPORT):
        review(site, page)
    edit(site, "content/stats.yaml", '"32.6%"', '"33.1%"')
    for page in (FIRST, OTHER):
        edit(site, page, "[32.6%]", "[33.1%]")
    problems = review_problems(site)
    assert [p.split(":")[0] for p in problems] == [FIRST, OTHER]
    assert all(": its text changed; statistic surv changed from 32.6% to 33.1%." in p for p in problems), problems


def test_changing_a_glossary_definition_flags_the_pages_that_show_it(site):
    for page in (FIRST, SUPPORT):
        review(site, page)
    edit(site, "content/glossary.yaml", "another part of the body", "other parts of the body")
    problems = review_problems(site)
    assert [p.split(":")[0] for p in problems] == [FIRST, SUPPORT]
    assert all("glossary term Metastasis: definition changed." in p for p in problems)


def test_reviewing_again_makes_the_page_current(site):
    review(site)
    edit(site, FIRST, "Cancer that spreads", "Cancer that moves")
    assert review_problems(site) != []
    review(site, reviewer="Dr Grace Hopper, RN")
    assert review_problems(site) == []
    assert site.run("build").code == 0
    assert "by Dr Grace Hopper, RN on" in site.page("basics/first")


def test_changes_shows_the_reviewer_the_changed_words_and_numbers(site):
    review(site)
    edit(site, FIRST, "Cancer that spreads", "Cancer that moves")
    edit(site, "content/stats.yaml", '"32.6%"', '"33.1%"')
    edit(site, FIRST, "[32.6%]", "[33.1%]")
    run = site.run("review", "--changes", FIRST)
    assert run.code == 0
    assert run.out.startswith(f"{FIRST}: what changed since {REVIEWER} reviewed it on {TODAY.isoformat()}\n")
    assert "\n-Cancer that spreads is called metastasis.\n+Cancer that moves is called metastasis.\n" in run.out
    assert '\nstatistic surv:\n  value: "32.6%" -> "33.1%"\n' in run.out
    review(site)
    assert site.run("review", "--changes", FIRST).out == (
        f"{FIRST} is as {REVIEWER} reviewed it on {TODAY.isoformat()}: nothing changed.\n"
    )


def test_a_page_with_errors_cannot_be_recorded_as_reviewed(site):
    edit(site, FIRST, "Cancer that spreads", "See [a page](nowhere.md). Cancer that spreads")
    run = site.run("review", FIRST, "--reviewer", REVIEWER)
    assert run.code == 1
    assert run.err.splitlines()[-1] == f"Stopped: {FIRST} has errors. Fix them before its review is recorded."
    assert "[link-broken]" in run.err
    assert not (site.root / "content/_reviews").exists()
    assert "clinically-reviewed" not in (site.root / FIRST).read_text(encoding="utf-8")


def test_the_command_says_how_to_use_it(site):
    assert site.run("review", FIRST).err == 'Stopped: say who reviewed the page: --reviewer "Name, credentials".\n'
    assert site.run("review", "README.md", "--reviewer", REVIEWER).err == (
        "Stopped: README.md is not a page in content/.\n"
    )


def test_front_matter_alone_cannot_claim_a_review(site):
    site.write(FIRST, article("First page", "Text.", review_status="clinically-reviewed", reviewer=REVIEWER))
    assert review_problems(site) == [
        f'{FIRST}:5: error [review-unrecorded] review_status says "clinically-reviewed", but this page has no '
        "review record. A page becomes clinically reviewed only through: python build.py review "
        f'{FIRST} --reviewer "Name, credentials"'
    ]


def test_the_report_shows_where_each_page_stands(site):
    for page in (FIRST, SUPPORT):
        review(site, page)
    edit(site, FIRST, "Cancer that spreads", "Cancer that moves")
    lines = site.run("report").out.splitlines()
    dashboard = lines[lines.index("## Clinical review") :]
    assert "**Reviewed, and unchanged since: 1**" in dashboard
    assert "- Support (`content/care/support.md`)" in dashboard
    assert "**Changed since their review (awaiting re-review): 1**" in dashboard
    assert f"- First page (`{FIRST}`): its text changed" in dashboard
    assert "**Never clinically reviewed: 2**" in dashboard  # the home page and the other page


def test_a_change_log_is_shown_on_the_page_on_paper_in_recent_changes_and_in_the_feed(site):
    site.write("config.yaml", CONFIG + "base_url: https://example.org/guide/\n")
    changes = "changes:\n  - date: 2026-11-02\n    change: New figures from the 2025 report.\n"
    text = article("First page", "Text.", order=1).replace("---\n\n", changes + "---\n\n", 1)
    site.write(FIRST, text)
    assert site.run("build").code == 0
    html = site.page("basics/first")
    assert '<h2 id="page-changes">Changes to this page</h2>' in html
    assert '<time datetime="2026-11-02">2 November 2026</time>: New figures from the 2025 report.' in html
    assert "New figures from the 2025 report." in site.page("changes")
    feed = ET.parse(site.site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}updated").text == "2026-11-02T00:00:00Z"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "First page: New figures from the 2025 report."
    assert entry.find(f"{ATOM}id").text == "https://example.org/guide/basics/first/#change-2026-11-02-0"
    assert entry.find(f"{ATOM}link").get("href") == "https://example.org/guide/basics/first/"
    assert entry.find(f"{ATOM}updated").text == "2026-11-02T00:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/guide/feed.xml"
    # Without the site's address, links are relative to the feed and ids are still absolute, as Atom requires.
    site.write("config.yaml", CONFIG)
    assert site.run("build").code == 0
    feed = ET.parse(site.site / "feed.xml").getroot()
    (entry,) = feed.findall(f"{ATOM}entry")
    assert feed.find(f"{ATOM}id").text == "urn:handout:feed:Test guide".replace(" ", "%20")
    assert entry.find(f"{ATOM}id").text == "urn:handout:change:basics:first:2026-11-02:0"
    assert entry.find(f"{ATOM}link").get("href") == "basics/first/"


def test_a_change_log_entry_must_have_a_date_and_a_change(site):
    text = article("First page", "Text.", order=1).replace("---\n\n", "changes:\n  - change: Updated.\n---\n\n", 1)
    site.write(FIRST, text)
    assert site.problems() == [
        f'{FIRST}:6: error [schema-value] "changes" item 1 must have a date and a change and nothing else, such as '
        '"- {date: 2026-11-30, change: Added the new drug X.}".'
    ]
