"""Cross-links: written as relative links to Markdown files, published as relative links to pretty URLs."""

from __future__ import annotations

import re

from conftest import article

FILE = "content/care/page.md"


def hrefs(html: str) -> list[str]:
    body = html.split('<div class="article-body">', 1)[1].split("</article>", 1)[0]
    return re.findall(r'<a href="([^"]+)"', body)


def test_links_to_markdown_files_become_relative_page_urls(site):
    site.write(
        FILE,
        article(
            "Page",
            body="""
        [first](../basics/first.md), [first, part](../basics/first.md#more), [home](../index.md),
        [self](page.md), [below](#details), [web](https://example.org/a.md), [mail](mailto:a@example.org)

        ## Details
    """,
        ),
    )
    site.write("content/basics/first.md", article("First page", body="## More\n\nText."))
    assert site.run().code == 0
    assert hrefs(site.page("care/page")) == [
        "../../basics/first/",
        "../../basics/first/#more",
        "../../",
        "./",
        "#details",
        "https://example.org/a.md",
        "mailto:a@example.org",
    ]


def test_home_page_links_are_relative_to_the_root(site):
    site.run()
    assert 'href="basics/first/"' in site.page("")


def test_broken_link_names_file_line_and_nearest_match(site):
    site.write(FILE, article("Page", body="Intro.\n\nSee [the first page](../basics/frist.md) for more."))
    assert site.problems() == [
        f'{FILE}:9: error [link-broken] link to "../basics/frist.md" points to a file that does not exist. Did you '
        'mean "../basics/first.md"? Links name the article\'s .md file, relative to this file.'
    ]


def test_broken_anchor_names_the_page_and_the_nearest_heading(site):
    site.write("content/basics/first.md", article("First page", body="## Bone pain\n\nText."))
    site.write(FILE, article("Page", body="See [pain](../basics/first.md#bone-pian)."))
    assert site.problems() == [
        f'{FILE}:7: error [link-anchor] link to "../basics/first.md#bone-pian": "basics/first.md" has no heading '
        'with the id "bone-pian". Did you mean "#bone-pain"? A heading\'s id is its text in lowercase, with hyphens '
        "for spaces; or set one with {#id}."
    ]


def test_broken_same_page_anchor(site):
    site.write(FILE, article("Page", body="See [below](#detials).\n\n## Details"))
    assert site.problems() == [
        f'{FILE}:7: error [link-anchor] link to "#detials": this page has no heading with the id "detials". Did '
        'you mean "#details"? A heading\'s id is its text in lowercase, with hyphens for spaces; or set one with '
        "{#id}."
    ]


def test_custom_heading_ids_are_valid_anchors(site):
    site.write("content/basics/first.md", article("First page", body="## Pain in the bones {#pain}\n\nText."))
    site.write(FILE, article("Page", body="See [pain](../basics/first.md#pain)."))
    assert site.problems() == []
    site.run()
    assert hrefs(site.page("care/page")) == ["../../basics/first/#pain"]


def test_each_occurrence_of_a_repeated_broken_link_gets_its_own_line(site):
    site.write(FILE, article("Page", body="[a](nope.md)\n\ntext\n\n[b](nope.md)"))
    assert [p.split(": error")[0] for p in site.problems()] == [f"{FILE}:7", f"{FILE}:11"]


def test_link_outside_the_content_folder(site):
    site.write(FILE, article("Page", body="[readme](../../README.md)"))
    assert site.problems() == [
        f'{FILE}:7: error [link-outside-content] link to "../../README.md" points outside the content folder. '
        "Link to an article's .md file inside content/."
    ]


def test_links_in_code_are_left_alone(site):
    site.write(FILE, article("Page", body="Write links like `[bone](../where/bone.md)`.\n\n    [x](nope.md)"))
    assert site.problems() == []


def test_backlinks_related_and_section_navigation(site):
    site.write("content/basics/second.md", article("Second page", order=2, body="Back to [first](first.md)."))
    site.write("content/basics/third.md", article("Third page", order=3, related=["care/support.md"]))
    site.write("content/care/support.md", article("Support", body="See [second](../basics/second.md)."))
    assert site.run().code == 0
    second = site.page("basics/second")
    assert '<a class="prev" href="../first/" rel="prev"><span class="label">Previous</span> First page</a>' in second
    assert '<a class="next" href="../third/" rel="next"><span class="label">Next</span> Third page</a>' in second
    backlinks = second.split('id="page-backlinks"')[1].split("</section>")[0]
    assert re.findall(r'href="([^"]+)"', backlinks) == ["../../care/support/"]
    first = site.page("basics/first")
    assert 'rel="prev"' not in first
    backlinks = first.split('id="page-backlinks"')[1].split("</section>")[0]
    assert re.findall(r'href="([^"]+)"', backlinks) == ["../../", "../second/"]  # home, then section order
    related = site.page("basics/third").split('id="page-related"')[1].split("</section>")[0]
    assert re.findall(r'href="([^"]+)"', related) == ["../../care/support/"]
    crumbs = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', second.split('aria-label="Breadcrumb"')[1][:400])
    assert crumbs == [("../../", "Home"), ("../", "The basics")]
    in_section = second.split('id="page-in-section"')[1].split("</ul>")[0]
    assert '<span aria-current="page">Second page</span>' in in_section
    assert re.findall(r'href="([^"]+)"', in_section) == ["../first/", "../third/"]


def test_articles_are_ordered_by_order_then_title(site):
    site.write("content/basics/b.md", article("Bravo"))
    site.write("content/basics/a.md", article("Alpha"))
    site.write("content/basics/z.md", article("Zulu", order=0))
    site.run()
    index = site.page("basics")
    listing = index.split("<main")[1].split('class="page-list"')[1].split("</ul>")[0]
    assert re.findall(r'<a href="([^"]+)">', listing) == ["z/", "first/", "a/", "b/"]
