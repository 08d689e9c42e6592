"""What every page is built with for a reader on a phone: the way to urgent help, the call buttons, an "On this page"
list for long articles, and end matter folded away (the browser tests check how these look and behave)."""

from __future__ import annotations

import re

from conftest import CONFIG, article

HELP = article(
    "When to get help now",
    """
    ## Call 911 now

    !!! emergency "Signs of an emergency"
        - trouble breathing
    """,
    order=2,
)


def with_help_page(site, contact: str = "") -> None:
    config = CONFIG.replace('  emergency_number: "911"\n', '  emergency_number: "911"\n' + contact)
    site.write("config.yaml", config + "help_page: basics/help.md\n")
    site.write("content/basics/help.md", HELP)


def test_every_page_links_to_the_help_page_from_its_header(site):
    with_help_page(site)
    assert site.run("build").code == 0
    pages = sorted(site.site.rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        header = path.read_text(encoding="utf-8").split("</header>")[0]
        link = re.search(r'<a class="help-now" href="([^"]*)"', header)
        assert link, path
        assert (path.parent / link.group(1) / "index.html").resolve() == site.site / "basics/help/index.html"


def test_without_a_help_page_the_header_has_no_help_link(site):
    assert site.run("build").code == 0
    assert 'class="help-now"' not in site.page("basics/first")


def test_the_help_page_opens_with_buttons_to_call(site):
    with_help_page(site)
    assert site.run("build").code == 0
    page = site.page("basics/help")
    header = page.split('<header class="article-header">')[1].split("</header>")[0]
    assert re.findall(r'<a class="call call-[a-z-]+" href="([^"]+)">', header) == ["tel:911"]
    assert page.index('class="call-buttons"') < page.index("callout-emergency") < page.index('class="review"')


def test_the_care_teams_numbers_from_the_config_become_call_buttons_too(site):
    with_help_page(
        site,
        '  name: City Cancer Center\n  phone: "(555) 010-2000"\n  hours: weekdays 9 to 5\n'
        '  urgent_phone: "(555) 010-2999"\n',
    )
    assert site.run("build").code == 0
    buttons = site.page("basics/help").split('<ul class="call-buttons">')[1].split("</ul>")[0]
    calls = re.findall(r'href="(tel:[^"]+)">Call ([^<]+)<span class="call-when">([^<]+)</span>', buttons)
    assert calls == [
        ("tel:911", "911", "Life-threatening emergency"),
        ("tel:5550102999", "(555) 010-2999", "City Cancer Center&#39;s 24-hour line, for urgent signs"),
        ("tel:5550102000", "(555) 010-2000", "City Cancer Center, weekdays 9 to 5, for signs that need a call today"),
    ]
    assert 'class="call-buttons"' not in site.page("basics/first")


def test_a_help_page_that_does_not_exist_is_an_error_naming_the_config_line(site):
    site.write("config.yaml", CONFIG + "help_page: urgent/call-now.md\n")
    assert site.problems()[:1] == [
        'config.yaml:20: error [help-page-missing] "help_page" is "urgent/call-now.md", but there is no such page. '
        "Name the page readers need in an emergency, as a path in the content folder, such as "
        '"symptoms/when-to-get-help-now.md".',
    ]


def test_a_help_page_with_a_typo_gets_a_suggestion(site):
    site.write("config.yaml", CONFIG + "help_page: basics/frist.md\n")
    assert site.problems()[0].startswith(
        'config.yaml:20: error [help-page-missing] "help_page" is "basics/frist.md", but there is no such page. '
        'Did you mean "basics/first.md"?'
    )


def sections(count: int) -> str:
    return "\n\n".join(f"## Part {n}\n\nText of part {n}." for n in range(1, count + 1))


def test_an_article_with_four_sections_lists_them_on_this_page(site):
    site.write("content/basics/first.md", article("First page", sections(4), order=1))
    assert site.run("build").code == 0
    nav = site.page("basics/first").split('<nav class="on-this-page"')[1].split("</nav>")[0]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav) == [(f"part-{n}", f"Part {n}") for n in range(1, 5)]


def test_an_article_with_three_sections_has_no_list(site):
    site.write("content/basics/first.md", article("First page", sections(3), order=1))
    assert site.run("build").code == 0
    assert "on-this-page" not in site.page("basics/first")


def test_end_matter_is_folded_and_nothing_else_is(site):
    site.write("content/glossary.yaml", "Tumor:\n  definition: A lump of cells that grow out of control.\n")
    site.write("content/basics/first.md", article("First page", "A tumor grows.", order=1))
    site.write("content/care/support.md", article("Support", "See [the first page](../basics/first.md).", order=1))
    assert site.run("build").code == 0
    page = site.page("basics/first")
    folded = re.findall(r'<section class="([a-z]+) end-matter"[^>]*>\s*<details>\s*<summary><h2 id="([^"]+)">', page)
    assert folded == [("words", "page-words"), ("backlinks", "page-backlinks")]
    assert page.count("<details") == len(folded) + 1  # and the header's menu
    assert "<details open" not in page
