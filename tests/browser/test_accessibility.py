"""axe-core finds nothing on any page, in the light and the dark theme, at phone and desktop widths."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from project import site_pages

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def pages_to_check(built: Path, scheme: str, device: str) -> list[str]:
    """Every page. A section's print page is its articles one after another, so it is checked in one theme at one
    width, where its own parts (several articles' ids and headings on one page) are; its articles are checked in
    every theme and width on their own. It is the slowest page to audit, and the suite has a time budget."""
    pages = site_pages(built)
    if (scheme, device) == ("light", "phone"):
        return pages
    return [path for path in pages if not path.endswith("/print/index.html")]


# The dark theme changes colours only (the same markup, the same layout), so in it axe runs the rules about colour;
# the light theme, at both widths, gets every rule.
# Only violations come back: the passes would be most of what crosses from the browser, and most of the time.
EVERY_RULE = {"resultTypes": ["violations"]}
COLOUR_RULES = {**EVERY_RULE, "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}
# A section's print page is its articles, each audited on its own with every rule; on the page itself, axe checks
# what putting them together can break (ids, references between them, headings, landmarks). Its colours are its
# articles' colours, and contrast is most of the cost of auditing such a long page.
COMBINED_RULES = {
    **EVERY_RULE,
    "runOnly": {
        "type": "rule",
        "values": [
            "duplicate-id",
            "duplicate-id-aria",
            "duplicate-id-active",
            "aria-valid-attr-value",
            "heading-order",
            "landmark-unique",
            "landmark-one-main",
            "page-has-heading-one",
            "region",
            "list",
            "listitem",
            "link-name",
        ],
    },
}


# Colours do not change with the width, so the dark theme is audited at one. Each audit is split in parts that the
# test workers share out: one audit of every page is the longest test of the suite.
AUDITS = [("light", "phone"), ("light", "desktop"), ("dark", "phone")]
PARTS = 3


@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize(("scheme", "device"), AUDITS)
def test_axe_finds_no_violations_on_any_page(browser, built_site, site_url, scheme, device, part):
    context = browser.new_context(viewport=VIEWPORTS[device], color_scheme=scheme)
    # axe-core is loaded into every page as it opens, once, rather than sent again (570 kB) for each audit.
    context.add_init_script(script=Axe().axe_script)
    page = context.new_page()
    violations = []
    for path in pages_to_check(built_site, scheme, device)[part::PARTS]:
        page.goto(site_url + path)
        rules = COLOUR_RULES if scheme == "dark" else EVERY_RULE
        if path.endswith("/print/index.html"):
            rules = COMBINED_RULES
        for violation in page.evaluate("options => axe.run(document, options)", rules)["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            violations.append(f"{path}: {violation['id']} ({violation['impact']}) {violation['help']} at {targets}")
    context.close()
    assert violations == []


def test_axe_finds_nothing_with_a_definition_open(page, site_url):
    page.goto(site_url + "where-it-spreads/bone/")
    page.locator("a.term").first.focus()
    page.locator(".popover").wait_for(state="visible")
    assert Axe().run(page).response["violations"] == []
