"""How pages behave in the browser: small screens, text size, keyboard, and nothing fetched from elsewhere."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect
from project import site_pages


def test_body_text_is_at_least_16_pixels_and_lines_stay_readable(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + "where-it-spreads/bone/")
    paragraph = page.locator(".article-body p").first
    assert float(paragraph.evaluate("p => getComputedStyle(p).fontSize").removesuffix("px")) >= 16
    characters_per_line = paragraph.evaluate(
        "p => p.getBoundingClientRect().width / (parseFloat(getComputedStyle(p).fontSize) * 0.5)"
    )
    assert characters_per_line <= 90


def test_skip_link_appears_on_focus_and_moves_to_the_content(page, site_url):
    page.goto(site_url + "treatments/chemotherapy/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] >= 24
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_focus_is_visible(page, site_url):
    page.goto(site_url + "treatments/chemotherapy/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_navigation_links_are_big_enough_to_tap(page, site_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "treatments/chemotherapy/")
    for link in page.locator(".site-nav a").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 24, link.inner_text()


def test_pages_work_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "where-it-spreads/")
    page.locator(".body-map .map-bone text").click()
    expect(page.locator("h1")).to_have_text("When breast cancer spreads to the bones")
    expect(page.locator(".print-button")).to_be_hidden()  # it needs the script, so it waits for it
    context.close()


def test_no_request_leaves_the_site_and_the_security_policy_holds(browser, built_site, site_url):
    context = browser.new_context()
    page = context.new_page()
    requested, refused = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    for path in site_pages(built_site):
        page.goto(site_url + path)  # everything the HTML asks for is requested before "load"
        if path.startswith("search/"):
            page.wait_for_load_state("networkidle")  # the only script that fetches, after load: the search index
    cookies = context.cookies()
    context.close()
    assert cookies == []
    assert refused == []
    host = urlsplit(site_url).netloc
    assert requested and all(urlsplit(url).netloc == host for url in requested), {
        url for url in requested if urlsplit(url).netloc != host
    }


def test_body_map_regions_are_reached_by_keyboard_with_visible_focus(page, site_url):
    page.goto(site_url + "where-it-spreads/")
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "document.activeElement.closest('.body-map') && document.activeElement.getAttribute('aria-label')"
        )
        if label:
            shape = page.locator(".body-map a:focus .shape").first
            assert shape.evaluate("s => getComputedStyle(s).strokeWidth") == "5px"
            reached.append(label.split(":")[0])
        elif reached:
            break
    assert reached == [
        "Bones",
        "Brain",
        "Lungs",
        "Liver",
        "Other places, such as the stomach, bowel, ovaries or bladder",
    ]
