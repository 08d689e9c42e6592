"""Search runs in the browser, from the index built with the site: common patient words find the right page first,
every result can be reached, and a query loads only the parts of the index it needs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from project import REPO, serve

from handout import search

FIRST = {
    "bone pain": "When breast cancer spreads to the bones",
    "back pain": "When breast cancer spreads to the bones",
    "tamoxifen": "Hormone therapy",
    "tired": "Energy, food and exercise",
    "breathless": "Cancer in the lungs and pleura",
    "seizure": "Cancer in the brain",
    "palliative care": "Pain and supportive care",
}

# Words that are in no page: they find these pages only through the glossary's search_words (content/glossary.yaml).
THROUGH_SEARCH_WORDS = {
    "exhausted": "General symptoms",  # Fatigue
    "life expectancy": "Outlook and survival",  # Prognosis
    "dexamethasone": "Cancer in the brain",  # Steroid
    "morphine": "Pain medicines",  # Opioid
    "bloated": "Cancer in the liver",  # Ascites
    "pins and needles": "Living with side effects",  # Peripheral neuropathy
}

STATUS = ".search-status"
RESULTS = ".search-results li a"


def content_text() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8").lower() for p in (REPO / "content").rglob("*") if p.suffix in (".md", ".yaml")
    )


def searched(page: Page, site_url: str, query: str) -> None:
    page.goto(site_url + "search/?q=" + query.replace(" ", "+"))
    expect(page.locator(STATUS)).to_contain_text("match")


@pytest.mark.parametrize(("query", "title"), FIRST.items())
def test_common_words_find_the_right_page_first(page: Page, site_url: str, query: str, title: str):
    searched(page, site_url, query)
    expect(page.locator(RESULTS).first).to_have_text(title)


@pytest.mark.parametrize(("query", "title"), THROUGH_SEARCH_WORDS.items())
def test_plain_words_find_pages_through_the_glossarys_search_words(page: Page, site_url: str, query: str, title: str):
    text = content_text()
    assert query in text  # listed as a search word
    without_glossary = text.replace((REPO / "content/glossary.yaml").read_text(encoding="utf-8").lower(), "")
    assert not re.search(rf"\b{query}\b", without_glossary)  # and in no page
    searched(page, site_url, query)
    expect(page.locator(RESULTS).first).to_have_text(title)


def test_typing_searches_and_updates_the_address(page: Page, site_url: str):
    page.goto(site_url + "search/")
    page.get_by_label("Words to search for").fill("chemo")
    expect(page.locator(RESULTS).first).to_have_text("Chemotherapy")
    # Playwright hears of the address changing (history.replaceState) a moment after the page has changed it.
    expect(page).to_have_url(re.compile(r"[?&]q=chemo(&|$)"))
    page.locator(RESULTS).first.click()
    expect(page.locator("h1")).to_have_text("Chemotherapy")


def test_the_start_of_a_word_finds_the_whole_word(page: Page, site_url: str):
    """ "tamox" is in no page: the last word typed is also the start of longer words."""
    assert "tamox " not in content_text()
    page.goto(site_url + "search/")
    page.get_by_label("Words to search for").fill("tamox")
    expect(page.locator(RESULTS).first).to_have_text("Hormone therapy")


def test_the_header_form_on_every_page_searches(page: Page, site_url: str):
    page.goto(site_url + "treatments/")
    page.get_by_role("searchbox", name="Search this guide").fill("liver")
    page.get_by_role("searchbox", name="Search this guide").press("Enter")
    expect(page.locator(RESULTS).first).to_have_text("Cancer in the liver")


def test_nothing_found_says_what_to_try(page: Page, site_url: str):
    page.goto(site_url + "search/?q=xylophone")
    expect(page.locator(STATUS)).to_have_text(
        "No pages match \u201cxylophone\u201d. Try another word, or look in the glossary."
    )


def test_the_count_is_every_result_and_each_shows_its_summary(page: Page, site_url: str):
    searched(page, site_url, "cancer treatment")
    count = int(re.match(r"(\d+) pages match", page.locator(STATUS).inner_text()).group(1))
    assert count > 20
    expect(page.locator(RESULTS)).to_have_count(count)
    expect(page.locator(".search-more")).to_be_hidden()
    expect(page.locator(".search-results li p").first).not_to_be_empty()


def test_the_editors_guide_is_never_a_result(page: Page, site_url: str):
    for query in ("editors guide", "pull request", "front matter", "build check"):
        page.goto(site_url + "search/?q=" + query.replace(" ", "+"))
        expect(page.locator(STATUS)).not_to_be_empty()
        expect(page.locator(STATUS)).not_to_have_text(re.compile("Loading"))
        assert "Editors' guide" not in page.locator(RESULTS).all_inner_texts(), query


def test_a_query_loads_the_manifest_and_only_the_files_it_needs(page: Page, site_url: str, built_site: Path):
    manifest = json.loads((built_site / "search/index.json").read_text(encoding="utf-8"))
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url.removeprefix(site_url).split("?")[0]))
    searched(page, site_url, "tamoxifen")
    page.wait_for_load_state("networkidle")
    index_files = [url for url in loaded if url.startswith("search/") and url.endswith(".json")]
    shards = [url for url in index_files if url.startswith("search/terms/")]
    groups = [url for url in index_files if url.startswith("search/pages/")]
    assert index_files[0] == "search/index.json"
    assert 1 <= len(shards) <= 2 < len(manifest["shards"])
    count = int(re.match(r"(\d+) pages? match", page.locator(STATUS).inner_text()).group(1))
    assert len(groups) <= count < manifest["pages"]
    assert len(index_files) == len(set(index_files))  # nothing loaded twice


def test_if_the_index_cannot_load_the_page_says_so_and_shows_the_other_ways_in(page: Page, site_url: str):
    page.route("**/search/index.json*", lambda route: route.abort())
    page.goto(site_url + "search/?q=bone")
    expect(page.locator(STATUS)).to_have_text("Search could not start. Use the glossary and the section pages instead.")
    expect(page.locator(".search-fallback")).to_be_visible()


def test_without_javascript_the_page_points_to_the_glossary_and_sections(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "search/?q=bone")
    fallback = page.locator(".search-fallback")
    expect(fallback).to_be_visible()
    expect(fallback.get_by_role("link", name="The A to Z glossary")).to_be_visible()
    expect(fallback.get_by_role("link", name="Where it spreads")).to_be_visible()
    expect(page.locator(".search-more")).to_be_hidden()
    context.close()


def test_the_browser_splits_and_stems_words_as_the_build_does(page: Page, site_url: str):
    """Every word of the site's content, and the shared test vectors, stemmed by search.js in Chromium and by
    handout/search.py: a word the two stem differently could never be found."""
    words = sorted(set(re.findall(r"[a-z0-9]+", content_text())))
    assert len(words) > 1000
    vectors = json.loads((REPO / "tests/search-stems.json").read_text(encoding="utf-8"))
    page.goto(site_url + "search/")
    expect(page.locator(".search-fallback")).to_be_hidden()
    stems = page.evaluate("words => words.map(window.handoutSearch.stem)", words + sorted(vectors))
    assert dict(zip(words + sorted(vectors), stems, strict=True)) == {
        **{w: search.stem(w) for w in words},
        **vectors,
    }
    text = "Naïve HER2-positive; don\u2019t stop at the CAFÉ, 4 a x \u00bd"
    assert page.evaluate("text => window.handoutSearch.words(text)", text) == search.words(text)
    numbers = [0, 1, 31, 32, 1000, 2**40]
    assert page.evaluate("text => window.handoutSearch.decode(text)", search.encode(numbers)) == numbers


# A bigger site, generated as benchmarks/scale.py makes it: more results than one screen shows.


@pytest.fixture(scope="module")
def big_site_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big") / "site"
    command = [sys.executable, str(REPO / "benchmarks/scale.py"), "--articles", "150", "--keep", str(folder)]
    command += ["--no-base-url", "--python", sys.executable]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    server = serve(folder / "_site")
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_show_more_reaches_every_result_the_count_gives(page: Page, big_site_url: str):
    searched(page, big_site_url, "care")
    count = int(re.match(r"(\d+) pages match", page.locator(STATUS).inner_text()).group(1))
    assert count > 100
    links = page.locator(RESULTS)
    expect(links).to_have_count(50)
    more = page.get_by_role("button", name="Show more results")
    shown = 50
    while shown < count:
        more.focus()
        page.keyboard.press("Enter")  # a real button: the keyboard works it
        expect(links).to_have_count(min(shown + 50, count))
        expect(links.nth(shown)).to_be_focused()  # the reader carries on from the first new result
        shown = min(shown + 50, count)
    expect(more).to_be_hidden()
    urls = [links.nth(i).get_attribute("href") for i in range(count)]
    assert len(set(urls)) == count
    expect(page.locator(STATUS)).to_have_text(f"{count} pages match \u201ccare\u201d.")
