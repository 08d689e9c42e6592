"""One catalogue of rules: every problem the build reports is declared there once, and config.yaml sets levels."""

from __future__ import annotations

import json
import re

from conftest import CONFIG, REPO, REVIEWED, article

from handout.rules import RULES


def test_every_rule_reported_is_declared_and_every_declared_rule_is_reported():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "handout").rglob("*.py") if p.name != "rules.py")
    reported = set(re.findall(r'report\(\s*"([a-z0-9-]+)"', code))
    assert reported - set(RULES) == set()
    unused = {rule_id for rule_id in RULES if f'"{rule_id}"' not in code}
    assert unused == set()


def test_every_rule_says_what_it_means_and_how_to_fix_it():
    for rule in RULES.values():
        assert rule.means.endswith(".") and rule.fix.endswith("."), rule.id


def test_a_site_can_raise_a_warning_to_an_error(site):
    site.write("content/basics/first.md", article("First page", body="About 40% of people."))
    assert site.problems()[0].startswith("content/basics/first.md:7: warning [stat-unregistered]")
    site.write("config.yaml", CONFIG.replace("rules:\n", "rules:\n  stat-unregistered: error\n"))
    assert site.problems()[0].startswith("content/basics/first.md:7: error [stat-unregistered]")
    assert site.run("check").code == 1


def test_a_site_can_turn_a_rule_off(site):
    site.write("content/basics/first.md", article("First page", body="About 40% of people."))
    site.write("config.yaml", CONFIG.replace("rules:\n", "rules:\n  stat-unregistered: off\n"))
    assert site.problems() == []
    assert site.run("check", "--strict").code == 0


def test_an_unknown_rule_or_level_in_the_config_is_an_error(site):
    site.write(
        "config.yaml", CONFIG.replace("rules:\n", "rules:\n  link-brokn: warning\n  review-overdue: sometimes\n")
    )
    result = site.run("check")
    assert result.code == 2
    assert result.err.splitlines()[:2] == [
        'config.yaml:16: error [config-unknown-rule] "link-brokn" is not a rule. Did you mean "link-broken"? '
        "The editors' guide lists every rule.",
        'config.yaml:17: error [schema-value] the level of "review-overdue" must be error, warning or off, not '
        '"sometimes".',
    ]


def test_rules_that_guard_the_build_cannot_be_lowered(site):
    site.write("config.yaml", CONFIG.replace("rules:\n", "rules:\n  yaml-syntax: off\n"))
    assert site.run("check").err.splitlines()[0] == (
        'config.yaml:16: error [config-fixed-rule] "yaml-syntax" cannot be made "off": without a fix the site cannot '
        "be built safely. Remove this line and fix the problem instead."
    )


def test_the_rule_list_is_generated_from_the_catalogue_with_the_sites_levels(site):
    site.write("config.yaml", CONFIG.replace("rules:\n", "rules:\n  review-overdue: warning\n"))
    site.write("content/basics/first.md", article("First page", body="Intro.\n\n[RULES]\n\nAfter."))
    site.run()
    page = site.page("basics/first")
    assert re.findall(r'<tr id="rule-([a-z0-9-]+)">', page) == list(RULES)
    assert '<th scope="row"><code>review-overdue</code></th>\n<td>error (warning on this site)</td>' in page
    assert '<th scope="row"><code>yaml-syntax</code></th>\n<td>error (always)</td>' in page
    assert "<td>A [@id] citation names a source that is not in sources.yaml.</td>" in page  # not a citation


def test_the_editors_guide_lists_every_rule():
    assert "\n[RULES]\n" in (REPO / "content" / "editors-guide.md").read_text(encoding="utf-8")


def two_problems(site) -> None:
    site.write("content/basics/first.md", article("First page", body="See [gone](gone.md), about 40% of people."))
    site.write("content/care/support.md", article("Support", body="Read [first, part two](../basics/first.md#nope)."))


def test_check_as_github_annotations(site):
    two_problems(site)
    result = site.run("check", "--format", "github")
    assert result.code == 1
    assert result.out.splitlines() == [
        '::error file=content/basics/first.md,line=7,title=link-broken::link to "gone.md" points to a file that does '
        "not exist. Links name the article's .md file, relative to this file.",
        '::warning file=content/basics/first.md,line=7,title=stat-unregistered::"40%25" looks like a statistic but '
        "does not come from content/stats.yaml. Add it there and write it as [40%25](stat:ID), so its source and "
        "period travel with it.",
        '::error file=content/care/support.md,line=7,title=link-anchor::link to "../basics/first.md#nope": '
        '"basics/first.md" has no heading with the id "nope". A heading\'s id is its text in lowercase, with hyphens '
        "for spaces; or set one with {#id}.",
        result.out.splitlines()[-1],
    ]
    assert re.fullmatch(r"Checked \d+ pages in [0-9.]+ s: 2 errors, 1 warning\.", result.out.splitlines()[-1])


def test_check_as_json(site):
    two_problems(site)
    result = site.run("check", "--format", "json", "--strict")
    report = json.loads(result.out)
    assert result.code == 1 and report["failed"] is True
    assert report["summary"].endswith(": 2 errors, 1 warning.")
    assert [(p["file"], p["line"], p["severity"], p["rule"]) for p in report["problems"]] == [
        ("content/basics/first.md", 7, "error", "link-broken"),
        ("content/basics/first.md", 7, "warning", "stat-unregistered"),
        ("content/care/support.md", 7, "error", "link-anchor"),
    ]
    assert report["problems"][0]["fix"] == RULES["link-broken"].fix


def test_text_on_a_terminal_sets_files_apart_and_colours_severities():
    from handout.problems import Problem, Severity
    from handout.report_format import as_text

    problems = [
        Problem("a.md", 3, Severity.ERROR, "link-broken", "broken."),
        Problem("a.md", 9, Severity.WARNING, "stat-unregistered", "plain."),
        Problem("b.md", 1, Severity.ERROR, "link-anchor", "no heading."),
    ]
    assert as_text(problems) == (
        "a.md:3: error [link-broken] broken.\na.md:9: warning [stat-unregistered] plain.\n"
        "b.md:1: error [link-anchor] no heading.\n"
    )
    assert as_text(problems, colour=True) == (
        "\033[1ma.md\033[0m\na.md:3: \033[1;31merror\033[0m [link-broken] broken.\n"
        "a.md:9: \033[1;33mwarning\033[0m [stat-unregistered] plain.\n\n"
        "\033[1mb.md\033[0m\nb.md:1: \033[1;31merror\033[0m [link-anchor] no heading.\n"
    )


def test_report_gives_each_articles_health_in_markdown_and_html(site):
    site.write("content/basics/first.md", article("First page", body="About 40% of people.", order=1))
    result = site.run("report")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "# Content health: Test guide"
    assert lines[2].startswith("2 articles, ") and lines[2].endswith("; 0 errors and 1 warning.")
    assert (
        lines[4] == "| Article | Grade | Words | Sources | Terms | Numbers | Checked | Review due | Status | Problems |"
    )
    first = next(line for line in lines if "(`content/basics/first.md`)" in line)
    cells = [cell.strip() for cell in first.strip("|").split("|")]
    assert cells[0] == "First page (`content/basics/first.md`)"
    assert cells[2:6] == ["4", "0", "0", "0"]  # words, sources, terms, numbers
    assert cells[6] == REVIEWED and cells[8] == "awaiting-clinical-review" and cells[9] == "stat-unregistered (1)"
    assert lines[-1] == "- `stat-unregistered`: 1"
    result = site.run("report", "--markdown", "health.md", "--html", "health.html")
    assert result.out == "Wrote health.md and health.html: 0 errors, 1 warning.\n"
    page = (site.root / "health.html").read_text(encoding="utf-8")
    assert "<h1>Content health: Test guide</h1>" in page and "<td>stat-unregistered (1)</td>" in page
    assert '<meta name="robots" content="noindex">' in page
    assert not (site.root / "_site").exists()  # nothing published


def test_the_report_shows_titles_as_text_never_as_markup(site):
    site.write("content/basics/first.md", article("First <script>alert(1)</script> & more", order=1))
    assert site.run("report", "--html", "health.html").code == 0
    page = (site.root / "health.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "First &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


def test_a_callout_whose_text_is_not_indented(site):
    site.write("content/basics/first.md", article("First page", body='Intro.\n\n!!! urgent "Signs"\nA fever.'))
    assert site.problems() == [
        'content/basics/first.md:9: error [callout-empty] the "urgent" box has no text, so it shows an empty box and '
        "its text below it. Indent each line of the box's text by four spaces."
    ]


def test_links_written_as_the_sites_own_address(site):
    site.write("config.yaml", CONFIG + "base_url: https://example.org/g/\n")
    body = "See [Support](/care/support/#help), [Support](https://example.org/g/care/support/) and [x](/nowhere/)."
    site.write("content/basics/first.md", article("First page", body=body))
    why = (
        "is written as a web address of this site, which breaks when the site is hosted in a sub-folder and in "
        "GitHub's preview."
    )
    assert site.problems() == [
        f'content/basics/first.md:7: error [link-site-address] link to "/care/support/#help" {why} Link to its file '
        'instead: "../care/support.md#help".',
        f'content/basics/first.md:7: error [link-site-address] link to "/nowhere/" {why} No page has that address '
        "either. Link to an article's .md file, relative to this file.",
        f'content/basics/first.md:7: error [link-site-address] link to "https://example.org/g/care/support/" {why} '
        'Link to its file instead: "../care/support.md".',
    ]


def test_a_tab_in_yaml_is_named(site):
    site.write("content/basics/first.md", "---\ntitle: First\n\tsummary: A page.\nreviewed: 2026-01-01\n---\n\nText.\n")
    assert site.problems()[1] == (
        "content/basics/first.md:3: error [yaml-syntax] this line has a tab. YAML indents with spaces only: replace "
        "the tab with spaces."
    )
