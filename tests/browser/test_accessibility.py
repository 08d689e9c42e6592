"""axe-core finds nothing on any page, in the light and the dark theme, at phone and desktop widths."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from project import site_pages

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_axe_finds_no_violations_on_any_page(browser, built_site, site_url, scheme, device):
    context = browser.new_context(viewport=VIEWPORTS[device], color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    violations = []
    for path in site_pages(built_site):
        page.goto(site_url + path)
        for violation in axe.run(page).response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            violations.append(f"{path}: {violation['id']} ({violation['impact']}) {violation['help']} at {targets}")
    context.close()
    assert violations == []


def test_axe_finds_nothing_with_a_definition_open(page, site_url):
    page.goto(site_url + "where-it-spreads/bone/")
    page.locator("a.term").first.focus()
    page.locator(".popover").wait_for(state="visible")
    assert Axe().run(page).response["violations"] == []
