"""Line numbers come from the parse: each problem is reported on the line where the editor wrote it."""

from __future__ import annotations

from conftest import article

SOURCES = """\
acs-treatment:
  title: Treatment
  publisher: American Cancer Society
  type: web
  url: https://example.org/t
  accessed: 2026-01-01
"""


def lines_of(site, body: str, **fields) -> list[str]:
    site.write("content/basics/first.md", article("First page", body=body, **fields))
    return [line.split(": ", 2)[0].split(":")[1] + " " + line.split("[")[1].split("]")[0] for line in site.problems()]


def test_an_unknown_citation_is_reported_on_its_own_line_not_where_a_longer_id_starts_with_it(site):
    site.write("content/sources.yaml", SOURCES)
    body = "First [@acs-treatment].\n\nSecond.\n\nThird [@acs]."
    # The body starts on line 7: "First" is on 7, "Third" on 11.
    assert lines_of(site, body) == ["11 citation-unknown"]


def test_an_underlined_heading_moves_no_later_headings_line(site):
    body = "Intro.\n\nUnderlined\n----------\n\nText.\n\n#### Skipped\n\nMore.\n\n# Level one\n"
    assert lines_of(site, body) == ["14 heading-skipped-level", "18 heading-level-1"]


def test_positions_inside_callouts_lists_and_tables(site):
    body = (
        "Intro.\n\n"  # 7
        "!!! urgent\n"  # 9
        "    - one\n"  # 10
        "    - 40% of people\n\n"  # 11
        "| a | b |\n"  # 13
        "|---|---|\n"
        "| 1 | [x](nowhere.md) |\n\n"  # 15
        "!!! nope\n"  # 17
        "    Text.\n"
    )
    assert lines_of(site, body) == ["11 stat-unregistered", "15 link-broken", "17 callout-type"]


def test_a_figure_on_the_third_line_of_a_paragraph(site):
    body = "One line,\nanother line,\nand 40% here.\n"
    assert lines_of(site, body) == ["9 stat-unregistered"]


def test_code_blocks_do_not_take_a_pages_lines(site):
    body = "```\nThird [@acs]\n```\n\nThird [@acs].\n"
    assert lines_of(site, body) == ["11 citation-unknown"]
