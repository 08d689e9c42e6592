"""A frightened reader on a phone: a small header, urgent help one tap away, the call buttons and the most urgent
signs in the first screen, targets a finger can hit, and the end matter out of the way until asked for."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from project import site_pages

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 568}
DESKTOP = {"width": 1280, "height": 900}
HELP = "symptoms/when-to-get-help-now/"


@pytest.fixture
def no_script(browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    yield context.new_page()
    context.close()


def test_the_phone_header_is_small_and_its_menu_opens_without_javascript(no_script, site_url):
    page = no_script
    page.goto(site_url + "treatments/chemotherapy/")
    assert page.locator(".site-header").bounding_box()["height"] <= 120
    sections = page.get_by_role("navigation", name="Sections")
    expect(sections).to_be_hidden()
    expect(page.get_by_role("link", name="Get help now", exact=True)).to_be_in_viewport()
    page.get_by_text("Menu", exact=True).click()
    expect(sections).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search this guide")).to_be_visible()
    for link in sections.get_by_role("link").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 100, link.inner_text()
    sections.get_by_role("link", name="Where it spreads").click()
    expect(page.locator("h1")).to_have_text("Where it spreads")


def test_on_a_desktop_the_sections_sit_on_one_row_that_never_moves(browser, built_site, site_url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    rows = {}
    for path in ("", "understanding/", "treatments/chemotherapy/", "questions/faq/", "glossary/", "search/"):
        page.goto(site_url + path)
        expect(page.get_by_role("navigation", name="Sections")).to_be_visible()
        boxes = page.locator(".site-nav a").evaluate_all(
            "links => links.map(a => { const r = a.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })"
        )
        assert len({y for _, y, _, _ in boxes}) == 1, path
        rows[path] = boxes
    context.close()
    assert len({str(boxes) for boxes in rows.values()}) == 1, rows


@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["390", "320"])
def test_the_help_page_opens_with_a_call_button_and_the_most_urgent_signs(browser, site_url, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(site_url + HELP)
    call = page.get_by_role("link", name="Call 911")
    expect(call).to_have_attribute("href", "tel:911")
    box = call.bounding_box()
    assert box["y"] + box["height"] <= viewport["height"]
    assert box["height"] >= 48 and box["width"] >= viewport["width"] * 0.8
    emergency = page.locator(".callout-emergency").first
    expect(emergency).to_contain_text("Signs of a life-threatening emergency")
    if viewport is PHONE:
        # The box starts, with its title, in the first screen.
        title = emergency.locator(".callout-title").bounding_box()
        assert title["y"] + title["height"] <= viewport["height"]
    context.close()


# One pass over every page at the narrowest phone width, measuring everything at once: the pages are many and
# each load costs time.
MEASURE = """() => {
  const help = [...document.querySelectorAll('.site-header a.help-now')].map(a => a.getBoundingClientRect());
  document.querySelectorAll('details:not(.site-menu)').forEach(d => d.open = true);
  const targets = [...document.querySelectorAll('a[href], button, summary, input, select, textarea')]
    .filter(e => e.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true}))
    .map(e => ({html: e.outerHTML.slice(0, 80), r: e.getBoundingClientRect()}))
    .filter(t => t.r.width > 0);
  // WCAG 2.2 2.5.8: a target under 24 x 24 passes only if a 24 px circle on its centre touches no other target and
  // no other small target's circle.
  const centre = r => [r.x + r.width / 2, r.y + r.height / 2];
  const isSmall = t => t.r.width < 24 || t.r.height < 24;
  const touches = ([x, y], r) =>
    Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom)) < 12;
  const small = targets.filter(isSmall).filter(t => targets.some(o => o !== t && (isSmall(o)
    ? Math.hypot(centre(t.r)[0] - centre(o.r)[0], centre(t.r)[1] - centre(o.r)[1]) < 24
    : touches(centre(t.r), o.r)))).map(t => [t.html, t.r.width, t.r.height]);
  return {width: document.documentElement.scrollWidth, help, small};
}"""


def test_every_page_fits_a_small_phone_with_help_in_reach_and_targets_a_finger_can_hit(browser, built_site, site_url):
    context = browser.new_context(viewport=SMALL_PHONE)
    page = context.new_page()
    problems = []
    for path in site_pages(built_site):
        page.goto(site_url + path)
        found = page.evaluate(MEASURE)
        if found["width"] > SMALL_PHONE["width"]:
            problems.append(f"{path}: scrolls sideways ({found['width']}px wide)")
        help_links = found["help"]
        if len(help_links) != 1 or help_links[0]["bottom"] > SMALL_PHONE["height"] or help_links[0]["height"] < 44:
            problems.append(f"{path}: no 44px tall 'Get help now' in the first screen ({help_links})")
        problems += [f"{path}: {html} is {w:.0f} x {h:.0f}" for html, w, h in found["small"]]
    context.close()
    assert problems == []


def test_end_matter_is_folded_on_screen_and_a_citation_opens_its_source(page, site_url):
    page.set_viewport_size(PHONE)
    page.goto(site_url + "where-it-spreads/bone/")
    folds = page.locator(".end-matter details")
    assert folds.count() >= 3
    assert folds.evaluate_all("ds => ds.filter(d => d.open).length") == 0
    expect(page.locator(".sources ol")).to_be_hidden()
    page.locator("sup.cite a").first.click()
    expect(page.locator(".sources ol")).to_be_visible()
    expect(page.locator("#source-1")).to_be_in_viewport()


def test_a_folded_section_opens_with_a_tap(page, site_url):
    page.set_viewport_size(PHONE)
    page.goto(site_url + "where-it-spreads/bone/")
    words = page.locator(".words")
    expect(words.locator("dl")).to_be_hidden()
    words.get_by_text("Words to know").click()
    expect(words.locator("dl")).to_be_visible()


def test_long_articles_list_their_sections_first(page, site_url):
    page.goto(site_url + "treatments/chemotherapy/")
    contents = page.get_by_role("navigation", name="On this page")
    links = contents.get_by_role("link")
    assert links.count() >= 4
    target = links.nth(2).get_attribute("href")
    links.nth(2).click()
    expect(page.locator(target)).to_be_in_viewport()


def test_deep_in_the_glossary_the_way_back_to_the_letters_stays_on_screen(page, site_url):
    page.set_viewport_size(PHONE)
    page.goto(site_url + "glossary/")
    last = page.locator(".glossary dt").last
    last.scroll_into_view_if_needed()
    back = page.get_by_role("link", name="Back to A to Z letters").filter(visible=True)
    visible = [
        link
        for link in back.all()
        if link.evaluate("a => { const r = a.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    ]
    assert len(visible) == 1
    visible[0].click()
    expect(page.get_by_role("navigation", name="Glossary letters")).to_be_in_viewport()


def test_the_home_page_starts_with_where_readers_are(page, site_url):
    page.goto(site_url)
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "Start where you are"
    cards = page.locator("#start-here + ul > li > strong").all_inner_texts()
    assert cards == [
        "Just told your cancer has spread?",
        "Family, friends and caregivers",
        "Clinic staff printing handouts",
    ]
    start = page.locator("#start-here").bounding_box()["y"]
    assert all(page.locator(".home-section").nth(i).bounding_box()["y"] > start for i in range(2))
