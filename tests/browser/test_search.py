"""Search runs in the browser, from the index built with the site: common patient words find the right page first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

FIRST = {
    "bone pain": "When breast cancer spreads to the bones",
    "back pain": "When breast cancer spreads to the bones",
    "tamoxifen": "Hormone therapy",
    "tired": "Energy, food and exercise",
    "breathless": "Cancer in the lungs and pleura",
    "seizure": "Cancer in the brain",
    "palliative care": "Pain and supportive care",
}


@pytest.mark.parametrize(("query", "title"), FIRST.items())
def test_common_words_find_the_right_page_first(page: Page, site_url: str, query: str, title: str):
    page.goto(site_url + "search/?q=" + query.replace(" ", "+"))
    results = page.locator(".search-results li a")
    expect(results.first).to_have_text(title)
    expect(page.locator(".search-status")).to_contain_text("match")


def test_typing_searches_and_updates_the_address(page: Page, site_url: str):
    page.goto(site_url + "search/")
    page.get_by_label("Words to search for").fill("chemo")
    expect(page.locator(".search-results li a").first).to_have_text("Chemotherapy")
    assert "q=chemo" in page.url
    page.locator(".search-results li a").first.click()
    expect(page.locator("h1")).to_have_text("Chemotherapy")


def test_the_header_form_on_every_page_searches(page: Page, site_url: str):
    page.goto(site_url + "treatments/")
    page.get_by_role("searchbox", name="Search this guide").fill("liver")
    page.get_by_role("searchbox", name="Search this guide").press("Enter")
    expect(page.locator(".search-results li a").first).to_have_text("Cancer in the liver")


def test_nothing_found_says_what_to_try(page: Page, site_url: str):
    page.goto(site_url + "search/?q=xylophone")
    expect(page.locator(".search-status")).to_have_text(
        "No pages match \u201cxylophone\u201d. Try another word, or look in the glossary."
    )


def test_without_javascript_the_page_points_to_the_glossary_and_sections(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "search/?q=bone")
    fallback = page.locator(".search-fallback")
    expect(fallback).to_be_visible()
    expect(fallback.get_by_role("link", name="The A to Z glossary")).to_be_visible()
    expect(fallback.get_by_role("link", name="Where it spreads")).to_be_visible()
    context.close()
