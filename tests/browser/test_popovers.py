"""Glossary terms and statistics explain themselves on keyboard focus, tap and hover; Escape closes them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

ARTICLE = "where-it-spreads/bone/"


def tab_to(page: Page, selector: str, limit: int = 300) -> None:
    """Press Tab, as a keyboard user does, until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def definition_of(page: Page, term) -> str:
    target = term.get_attribute("data-popover")
    return page.locator(f"#{target}").text_content().strip()  # folded away on screen, but there


def test_keyboard_focus_opens_the_definition_and_escape_closes_it(page: Page, site_url: str):
    page.goto(site_url + ARTICLE)
    tab_to(page, "a.term")
    term = page.locator("a.term:focus")
    popover = page.locator(".popover")
    expect(popover).to_be_visible()
    expect(popover.locator("p")).to_have_text(definition_of(page, term))
    expect(popover.get_by_role("link", name="More in the glossary")).to_have_attribute(
        "href", term.get_attribute("href")
    )
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    assert page.evaluate("document.activeElement.classList.contains('term')")  # focus stays where it was


def test_moving_focus_on_closes_it(page: Page, site_url: str):
    page.goto(site_url + ARTICLE)
    tab_to(page, "a.term")
    expect(page.locator(".popover")).to_be_visible()
    tab_to(page, "a:not(.term):not(.stat):not(.cite-link)")
    expect(page.locator(".popover")).to_be_hidden()


@pytest.fixture
def phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    yield page
    context.close()


def test_a_tap_opens_the_definition_instead_of_leaving_the_page(phone: Page):
    term = phone.locator("a.term").first
    term.scroll_into_view_if_needed()
    url = phone.url
    term.tap()
    popover = phone.locator(".popover")
    expect(popover).to_be_visible()
    expect(popover.locator("p")).to_have_text(definition_of(phone, term))
    assert phone.url == url
    box = popover.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # fits on a small phone
    phone.keyboard.press("Escape")
    expect(popover).to_be_hidden()


def test_a_tap_elsewhere_closes_it_and_a_second_tap_follows_the_link(phone: Page, site_url: str):
    term = phone.locator("a.term").first
    term.scroll_into_view_if_needed()
    term.tap()
    expect(phone.locator(".popover")).to_be_visible()
    phone.locator("h1").tap()
    expect(phone.locator(".popover")).to_be_hidden()
    term.tap()
    term.tap()
    expect(phone).to_have_url(re.compile(re.escape(site_url) + r"glossary/#[a-z0-9-]+$"))


def test_hover_opens_it_and_the_box_itself_can_be_hovered(page: Page, site_url: str):
    page.goto(site_url + ARTICLE)
    term = page.locator("a.term").first
    term.hover()
    popover = page.locator(".popover")
    expect(popover).to_be_visible()
    popover.hover()
    page.wait_for_timeout(500)
    expect(popover).to_be_visible()  # content on hover stays while the pointer is over it (WCAG 1.4.13)
    page.locator("h1").hover()
    expect(popover).to_be_hidden()


def test_statistics_show_what_they_count(page: Page, site_url: str):
    page.goto(site_url + "understanding/what-stage-4-means/")
    tab_to(page, "a.stat")
    popover = page.locator(".popover")
    expect(popover).to_be_visible()
    expect(popover.locator("p")).to_contain_text("What it counts:")
    expect(popover.locator("p")).to_contain_text("When:")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()


def test_without_javascript_a_term_is_a_plain_link_to_the_glossary(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    term = page.locator("a.term").first
    anchor = term.get_attribute("href").split("#")[1]
    term.click()
    expect(page).to_have_url(re.compile(r"glossary/#" + anchor + "$"))
    expect(page.locator(f"dt#{anchor}")).to_be_visible()
    context.close()


def test_screen_readers_get_the_definition(page: Page, site_url: str):
    page.goto(site_url + ARTICLE)
    for element in (page.locator("a.term").first, page.locator("a.term").last):
        expect(element).to_have_accessible_description(definition_of(page, element))
    page.goto(site_url + "understanding/what-stage-4-means/")
    stat = page.locator("a.stat").first
    expect(stat).to_have_accessible_description(re.compile(r"^What it counts: .+ When: .+ Source: \d+\.$"))
