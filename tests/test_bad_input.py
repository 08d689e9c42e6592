"""The catalogue of bad input: every mistake an editor can make, and everything a hostile pull request could try,
gets its exact message (file, line where there is one, what is wrong, how to fix it), the right exit status, no
traceback, and leaves the previously built site exactly as it was.

Each case starts from a small site that built cleanly, breaks one thing, and builds again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from conftest import CONFIG, REVIEWED, SiteFolder, article, rendered_pages, tree_digest

PAGE = "content/basics/page.md"


@dataclass(frozen=True)
class Case:
    id: str
    setup: Callable[[SiteFolder], object]
    problems: tuple[str, ...]  # every line of stderr, exactly; "{tmp}" stands for the test's temporary folder
    code: int = 1


def front(text: str) -> Callable[[SiteFolder], object]:
    """A page whose front matter is ``text``, followed by a one-line body."""
    return lambda site: site.write(PAGE, f"---\n{text}---\n\nText.\n")


def page(body: str, **fields: object) -> Callable[[SiteFolder], object]:
    return lambda site: site.write(PAGE, article("Page", body, **fields))


def raw(relative: str, data: bytes) -> Callable[[SiteFolder], object]:
    def write(site: SiteFolder) -> None:
        path = site.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    return write


def config(extra: str) -> Callable[[SiteFolder], object]:
    return lambda site: site.write("config.yaml", CONFIG + extra)


def link(relative: str, target: str) -> Callable[[SiteFolder], object]:
    def make(site: SiteFolder) -> None:
        path = site.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)

    return make


def template(old: str, new: str) -> Callable[[SiteFolder], object]:
    def edit(site: SiteFolder) -> None:
        path = site.root / "templates" / "base.html"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


GOOD = f"title: Page\nsummary: About the page.\nreviewed: {REVIEWED}\n"

CASES = [
    # Front matter.
    Case(
        "yaml-unclosed-quote",
        front(f'title: "Bone pain\nsummary: About it.\nreviewed: {REVIEWED}\n'),
        (
            (
                "content/basics/page.md:2: error [yaml-syntax] a quote opened on line 2 is never closed. Add the "
                "closing quote at the end of that value, or remove the opening one."
            ),
        ),
    ),
    Case(
        "yaml-tab",
        front(f"title: Page\nsummary: About it.\nkey_points:\n\t- One.\nreviewed: {REVIEWED}\n"),
        (
            (
                "content/basics/page.md:5: error [yaml-syntax] this line has a tab. YAML indents with spaces "
                "only: replace the tab with spaces."
            ),
        ),
    ),
    Case(
        "yaml-bad-indentation",
        front(f"title: Page\n  summary: About it.\nreviewed: {REVIEWED}\n"),
        (
            (
                'content/basics/page.md:3: error [yaml-syntax] this line has a "key:" where none can go: it is '
                'indented more than the line above, or its value contains ": ". Start each setting at the '
                'beginning of its line, and put quotes around a value that contains ": ".'
            ),
        ),
    ),
    Case(
        "front-matter-list",
        front("- title: Page\n- summary: About it.\n"),
        (
            (
                "content/basics/page.md:2: error [schema-type] the front matter must be a set of 'key: value' "
                "lines, not a list."
            ),
        ),
    ),
    Case(
        "front-matter-scalar",
        front("Bone pain and what to do\n"),
        (
            (
                "content/basics/page.md:2: error [schema-type] the front matter must be a set of 'key: value' "
                'lines, not "Bone pain and what to do".'
            ),
        ),
    ),
    Case(
        "front-matter-unclosed",
        lambda site: site.write(PAGE, f"---\n{GOOD}\nText.\n"),
        (
            (
                "content/basics/page.md:1: error [front-matter-unclosed] the front matter that starts on line 1 "
                "never ends. Add a line '---' after it."
            ),
        ),
    ),
    Case(
        "front-matter-absent",
        lambda site: site.write(PAGE, "# Page\n\nText.\n"),
        (
            (
                "content/basics/page.md:1: error [front-matter-missing] the file must start with front matter: a "
                "line '---', then 'title:', 'summary:' and 'reviewed:' lines, then another '---'."
            ),
        ),
    ),
    Case(
        "required-missing",
        front(f"summary: About it.\nreviewed: {REVIEWED}\n"),
        (
            (
                'content/basics/page.md:2: error [schema-missing-key] "title" is required in the front matter. '
                "Add a line such as: title: When breast cancer spreads to the bones"
            ),
        ),
    ),
    Case(
        "required-empty",
        front(f'title: ""\nsummary:\nreviewed: {REVIEWED}\n'),
        (
            (
                'content/basics/page.md:2: error [schema-missing-key] "summary" is required in the front matter. '
                "Add a line such as: summary: One or two plain sentences, at most 160 characters, about this "
                "page."
            ),
            'content/basics/page.md:2: error [schema-value] "title" must not be empty.',
        ),
    ),
    Case(
        "date-not-a-date",
        front("title: Page\nsummary: About it.\nreviewed: last week\n"),
        (
            (
                'content/basics/page.md:4: error [schema-value] "reviewed" must be a date written as YYYY-MM-DD '
                '(for example 2026-11-21), not "last week".'
            ),
        ),
    ),
    Case(
        "date-impossible",
        front("title: Page\nsummary: About it.\nreviewed: 2026-02-30\n"),
        (
            (
                'content/basics/page.md:4: error [schema-value] "reviewed" is not a real date: "2026-02-30". '
                "Write it as YYYY-MM-DD, for example 2026-11-21."
            ),
        ),
    ),
    Case(
        "order-not-a-number",
        front(f"{GOOD}order: first\n"),
        ('content/basics/page.md:5: error [schema-value] "order" must be a whole number, not "first".',),
    ),
    Case(
        "unknown-key",
        front(f"{GOOD}sumary: About it.\n"),
        (
            (
                'content/basics/page.md:5: error [schema-unknown-key] unknown key "sumary" in the front matter. '
                'Did you mean "summary"? Allowed keys: title, summary, key_points, order, reviewed, review_due, '
                "review_status, reviewer, related, questions, link_terms, skip_terms, sheet, faq, changes, audience."
            ),
        ),
    ),
    Case(
        "yaml-alias",
        front(f"{GOOD}key_points: &points [One.]\nquestions: *points\n"),
        (
            (
                "content/basics/page.md:6: error [yaml-syntax] a YAML alias (*name) repeats a value written "
                "elsewhere. Write the value out here."
            ),
        ),
    ),
    Case(
        "yaml-tag",
        front("title: Page\nsummary: About it.\nreviewed: !!timestamp soon\n"),
        (
            (
                "content/basics/page.md:4: error [yaml-syntax] a YAML tag (such as !!int) is not used in these "
                "files. Remove it: write the value."
            ),
        ),
    ),
    Case(
        "markdown-thousands-of-brackets",
        page("[" * 5000),
        (
            (
                'content/basics/page.md:7: error [markdown-too-complex] this paragraph has 5000 "[" characters, '
                "more than the 200 the Markdown parser can read in good time. Split it, or remove the ones that "
                "are not links or HTML."
            ),
        ),
    ),
    Case(
        "markdown-nested-too-deeply",
        page("- " * 500 + "Text."),
        (
            (
                "content/basics/page.md:7: error [markdown-too-complex] this line is nested 500 levels deep "
                "(lists, quotes or indentation), more than the 12 the page can show. Use fewer levels."
            ),
        ),
    ),
    # Files.
    Case(
        "not-utf8",
        raw(PAGE, f"---\n{GOOD}---\n\nCaf\xe9.\n".encode("latin-1")),
        (
            (
                "content/basics/page.md:7: error [content-encoding] is not UTF-8 text: byte 70 (0xe9, on line 7) "
                "is not valid UTF-8. Save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)."
            ),
        ),
    ),
    Case(
        "empty-file",
        lambda site: site.write(PAGE, ""),
        (
            (
                "content/basics/page.md:1: error [front-matter-missing] the file must start with front matter: a "
                "line '---', then 'title:', 'summary:' and 'reviewed:' lines, then another '---'."
            ),
        ),
    ),
    Case(
        "ten-megabytes",
        lambda site: site.write(PAGE, article("Page", "Words in a line.\n\n" * 600_000)),
        (
            (
                "content/basics/page.md: error [content-too-large] is 10.3 MB; a page can be at most 256 KB, far "
                "longer than anyone reads. Split it into several articles, or check that nothing was pasted into "
                "it by mistake."
            ),
        ),
    ),
    Case(
        "name-with-spaces",
        lambda site: site.write("content/basics/Bone pain.md", article("Bone pain")),
        (
            (
                'content/basics/Bone pain.md: error [content-slug] the file name "Bone pain.md" must use only '
                'lowercase letters, digits and hyphens. Rename it to "bone-pain.md".'
            ),
        ),
    ),
    Case(
        "name-with-capitals",
        lambda site: site.write("content/basics/BonePain.md", article("Bone pain")),
        (
            (
                'content/basics/BonePain.md: error [content-slug] the file name "BonePain.md" must use only '
                'lowercase letters, digits and hyphens. Rename it to "bonepain.md".'
            ),
        ),
    ),
    Case(
        "name-non-ascii",
        lambda site: site.write("content/basics/douleur-osseuse-é.md", article("Bone")),
        (
            (
                'content/basics/douleur-osseuse-é.md: error [content-slug] the file name "douleur-osseuse-é.md" '
                'must use only lowercase letters, digits and hyphens. Rename it to "douleur-osseuse-e.md".'
            ),
        ),
    ),
    Case(
        "folder-not-a-section",
        lambda site: site.write("content/treatment/page.md", article("Page")),
        (
            (
                'content/treatment/page.md: error [content-section] the folder "treatment" is not a section in '
                "config.yaml. Add it to sections there, or move the file into one of: basics, care."
            ),
        ),
    ),
    Case(
        "duplicate-address-of-a-section",
        lambda site: site.write("content/basics.md", article("Basics")),
        (
            (
                'content/basics.md: error [content-reserved] the address "basics/" is where the site puts the '
                'page of the section "The basics". Rename this file.'
            ),
        ),
    ),
    Case(
        "duplicate-address-of-the-search-page",
        lambda site: site.write("content/search.md", article("Find")),
        (
            (
                'content/search.md: error [content-reserved] the address "search/" is where the site puts the '
                "search page. Rename this file."
            ),
        ),
    ),
    Case(
        "register-under-a-wrong-name",
        lambda site: site.write("content/statistics.yaml", "x:\n  value: 1\n"),
        (
            (
                "content/statistics.yaml: error [content-unknown-file] the build does not read this file: "
                "content/ holds Markdown pages (.md) and the registers glossary.yaml, sources.yaml, stats.yaml. "
                'Did you mean "stats.yaml"? Rename it, or move it out of the content folder.'
            ),
        ),
    ),
    # Links and registers.
    Case(
        "broken-link",
        page("See [the page](frist.md)."),
        (
            (
                'content/basics/page.md:7: error [link-broken] link to "frist.md" points to a file that does not '
                'exist. Did you mean "first.md"? Links name the article\'s .md file, relative to this file.'
            ),
        ),
    ),
    Case(
        "broken-anchor",
        page("See [the page](first.md#nowhere)."),
        (
            (
                'content/basics/page.md:7: error [link-anchor] link to "first.md#nowhere": "basics/first.md" has '
                'no heading with the id "nowhere". A heading\'s id is its text in lowercase, with hyphens for '
                "spaces; or set one with {#id}."
            ),
        ),
    ),
    Case(
        "unknown-citation",
        page("A fact [@nowhere]."),
        (
            (
                'content/basics/page.md:7: error [citation-unknown] "[@nowhere]" cites a source that is not in '
                "content/sources.yaml. Add the source there, or fix the id."
            ),
        ),
    ),
    Case(
        "unknown-statistic",
        page("About [3 in 4](stat:nowhere) people."),
        (
            (
                'content/basics/page.md:7: error [stat-unknown] "stat:nowhere" is not a statistic in '
                "content/stats.yaml. Add it there, or fix the id."
            ),
        ),
    ),
    Case(
        "unknown-glossary-term",
        page("Text.", skip_terms=["Nowhere"]),
        (
            (
                'content/basics/page.md:6: error [skip-terms-unknown] "skip_terms" lists "Nowhere", which is not '
                "a glossary term. Fix the name, or remove it from skip_terms."
            ),
        ),
    ),
    Case(
        "glossary-malformed",
        lambda site: site.write("content/glossary.yaml", "Bone scan: [unclosed\n"),
        (
            (
                "content/glossary.yaml:1: error [yaml-syntax] YAML syntax error: while parsing a flow sequence "
                "started on line 1, did not find expected ',' or ']'. Check the indentation, and put quotes "
                "around text that contains a colon followed by a space."
            ),
        ),
    ),
    Case(
        "glossary-a-list",
        lambda site: site.write("content/glossary.yaml", "- Bone scan\n- Biopsy\n"),
        (
            (
                "content/glossary.yaml:1: error [schema-type] glossary.yaml must be a set of entries, each "
                'starting with its id and a colon at the start of a line (such as "Bone scan:"), not a list.'
            ),
        ),
    ),
    Case(
        "sources-not-utf8",
        raw("content/sources.yaml", b"acs:\n  title: Caf\xe9\n"),
        (
            (
                "content/sources.yaml:2: error [content-encoding] is not UTF-8 text: byte 17 (0xe9, on line 2) is"
                " not valid UTF-8. Save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)."
            ),
        ),
    ),
    Case(
        "statistics-a-list",
        lambda site: site.write("content/stats.yaml", "- 3 in 4\n"),
        (
            (
                "content/stats.yaml:1: error [schema-type] stats.yaml must be a set of entries, each starting "
                'with its id and a colon at the start of a line (such as "seer-survival:"), not a list.'
            ),
        ),
    ),
    Case(
        "statistics-entry-a-list",
        lambda site: site.write("content/stats.yaml", "seer:\n  - 3 in 4\n"),
        (
            (
                "content/stats.yaml:1: error [schema-type] the statistic \"seer\" must be a set of 'key: value' "
                "lines, not a list."
            ),
        ),
    ),
    # Templates, static files, output.
    Case(
        "template-syntax",
        template("{% block", "{% blok"),
        (
            (
                "templates/base.html:10: error [template-syntax] template syntax error: Encountered unknown tag "
                "'blok'. Fix this line of the template."
            ),
        ),
    ),
    Case(
        "template-undefined-variable",
        template("<title>", "{{ page_tilte }}<title>"),
        (
            (
                "templates/base.html:10: error [template-error] UndefinedError: 'page_tilte' is undefined, while "
                "rendering content/index.md and 9 other pages. Fix the template, or the data it uses."
            ),
        ),
    ),
    Case(
        "static-missing",
        lambda site: shutil.rmtree(site.root / "static"),
        (
            (
                "static: error [static-missing] the static folder (the site's styles and scripts) does not exist,"
                " so pages would have no styles. Restore static/ from the project, or set static_dir in "
                "config.yaml."
            ),
        ),
    ),
    Case(
        "output-cannot-be-written",
        config("output_dir: config.yaml/site\n"),
        (
            (
                "Stopped: could not write the site to config.yaml/site: File exists (config.yaml). Check that the"
                " folder can be written and the disk is not full, or choose another folder with --out. The "
                "previous site is as it was."
            ),
        ),
    ),
    Case(
        "output-is-the-content-folder",
        config("output_dir: content\n"),
        (
            (
                "Stopped: the output folder content is the folder of the site's content, which building would "
                "replace. Choose another with --out."
            ),
        ),
        2,
    ),
    Case(
        "output-is-root",
        lambda site: site.write("config.yaml", CONFIG + "output_dir: /\n"),
        (
            (
                'config.yaml:20: error [path-outside] "output_dir" is /, outside the project folder '
                '{tmp}/project. Paths in config.yaml must name a folder inside the project, such as "_site"; to '
                "build somewhere else, pass --out DIR instead."
            ),
            "Stopped: config.yaml has problems; fix them and run again.",
        ),
        2,
    ),
    # The config.
    Case(
        "config-a-list",
        lambda site: site.write("config.yaml", "- title: Test guide\n"),
        (
            "config.yaml:1: error [schema-type] config.yaml must be a set of 'key: value' lines, not a list.",
            "Stopped: config.yaml has problems; fix them and run again.",
        ),
        2,
    ),
    Case(
        "config-not-utf8",
        raw("config.yaml", CONFIG.encode("utf-8") + b"tagline: Caf\xe9\n"),
        (
            (
                "config.yaml:20: error [content-encoding] is not UTF-8 text: byte 531 (0xe9, on line 20) is not "
                "valid UTF-8. Save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)."
            ),
            "Stopped: config.yaml has problems; fix them and run again.",
        ),
        2,
    ),
    Case(
        "config-yaml-syntax",
        config("tagline: 'unclosed\n"),
        (
            (
                "config.yaml:20: error [yaml-syntax] a quote opened on line 20 is never closed. Add the closing "
                "quote at the end of that value, or remove the opening one."
            ),
            "Stopped: config.yaml has problems; fix them and run again.",
        ),
        2,
    ),
    Case(
        "config-unknown-key",
        config("titel: Guide\n"),
        (
            (
                'config.yaml:20: error [schema-unknown-key] unknown key "titel" in config.yaml. Did you mean '
                '"title"? Allowed keys: title, tagline, language, base_url, review_interval_months, '
                "reading_grade, condition, contact, help_page, sections, rules, cms, content_dir, templates_dir, "
                "static_dir, "
                "output_dir."
            ),
            "Stopped: config.yaml has problems; fix them and run again.",
        ),
        2,
    ),
    # Hostile input.
    Case(
        "script",
        page("Text.\n\n<script>alert(1)</script>"),
        (
            (
                "content/basics/page.md:9: error [html-unsafe] this HTML has <script>, which articles may not "
                "contain (it could run code or load another site). Remove it, or write it in Markdown; HTML in "
                "articles may use only: a, abbr, b, blockquote, br, caption, code, dd, del, details, dfn, div, "
                "dl, dt, em, h2, h3, h4, hr, i, ins, kbd, li, mark, ol, p, pre, q, s, small, span, strong, sub, "
                "summary, sup, table, tbody, td, tfoot, th, thead, tr, u, ul."
            ),
        ),
    ),
    Case(
        "event-handler",
        page('A picture: <img src="x.png" alt="x" onerror="alert(1)">'),
        (
            (
                "content/basics/page.md:7: error [html-unsafe] this HTML has <img> and an onerror attribute (code"
                " run by the browser), which articles may not contain (it could run code or load another site). "
                "Remove it, or write it in Markdown; HTML in articles may use only: a, abbr, b, blockquote, br, "
                "caption, code, dd, del, details, dfn, div, dl, dt, em, h2, h3, h4, hr, i, ins, kbd, li, mark, "
                "ol, p, pre, q, s, small, span, strong, sub, summary, sup, table, tbody, td, tfoot, th, thead, "
                "tr, u, ul."
            ),
        ),
    ),
    Case(
        "onload",
        page('<p onload="steal()">Text.</p>'),
        (
            (
                "content/basics/page.md:7: error [html-unsafe] this HTML has an onload attribute (code run by the"
                " browser), which articles may not contain (it could run code or load another site). Remove it, "
                "or write it in Markdown; HTML in articles may use only: a, abbr, b, blockquote, br, caption, "
                "code, dd, del, details, dfn, div, dl, dt, em, h2, h3, h4, hr, i, ins, kbd, li, mark, ol, p, pre,"
                " q, s, small, span, strong, sub, summary, sup, table, tbody, td, tfoot, th, thead, tr, u, ul."
            ),
        ),
    ),
    Case(
        "javascript-link",
        page("[Click](javascript:alert(1))"),
        (
            (
                'content/basics/page.md:7: error [html-unsafe] the address "javascript:alert(1)" uses '
                '"javascript:", which could run code or load something unsafe. Link to a web page (https://...), '
                "an email (mailto:), a phone number (tel:) or an article's .md file."
            ),
        ),
    ),
    Case(
        "javascript-link-disguised",
        page("[Click](JaVaScRiPt&#58;alert(1))"),
        (
            (
                'content/basics/page.md:7: error [html-unsafe] the address "JaVaScRiPt&#58;alert(1)" uses '
                '"javascript:", which could run code or load something unsafe. Link to a web page (https://...), '
                "an email (mailto:), a phone number (tel:) or an article's .md file."
            ),
        ),
    ),
    Case(
        "iframe",
        page('<iframe src="https://example.com/"></iframe>'),
        (
            (
                "content/basics/page.md:7: error [html-unsafe] this HTML has <iframe>, which articles may not "
                "contain (it could run code or load another site). Remove it, or write it in Markdown; HTML in "
                "articles may use only: a, abbr, b, blockquote, br, caption, code, dd, del, details, dfn, div, "
                "dl, dt, em, h2, h3, h4, hr, i, ins, kbd, li, mark, ol, p, pre, q, s, small, span, strong, sub, "
                "summary, sup, table, tbody, td, tfoot, th, thead, tr, u, ul."
            ),
        ),
    ),
    Case(
        "form",
        page('<form action="https://example.com/"><input name="q"></form>'),
        (
            (
                "content/basics/page.md:7: error [html-unsafe] this HTML has <form> and <input>, which articles "
                "may not contain (it could run code or load another site). Remove it, or write it in Markdown; "
                "HTML in articles may use only: a, abbr, b, blockquote, br, caption, code, dd, del, details, dfn,"
                " div, dl, dt, em, h2, h3, h4, hr, i, ins, kbd, li, mark, ol, p, pre, q, s, small, span, strong, "
                "sub, summary, sup, table, tbody, td, tfoot, th, thead, tr, u, ul."
            ),
        ),
    ),
    Case(
        "style-attribute",
        page('<p style="display:none">Text.</p>'),
        (
            (
                "content/basics/page.md:7: error [html-unsafe] this HTML has a style attribute, which articles "
                "may not contain (it could run code or load another site). Remove it, or write it in Markdown; "
                "HTML in articles may use only: a, abbr, b, blockquote, br, caption, code, dd, del, details, dfn,"
                " div, dl, dt, em, h2, h3, h4, hr, i, ins, kbd, li, mark, ol, p, pre, q, s, small, span, strong, "
                "sub, summary, sup, table, tbody, td, tfoot, th, thead, tr, u, ul."
            ),
        ),
    ),
    Case(
        "attr-list-handler",
        page("## Heading {#heading onclick=alert(1)}"),
        (
            (
                'content/basics/page.md:7: error [html-unsafe] {: ...} sets "onclick", which articles may not set'
                " (only id, class and lang). Remove it."
            ),
        ),
    ),
    Case(
        "link-outside-content",
        page("[Settings](../../config.yaml)"),
        (
            (
                'content/basics/page.md:7: error [link-outside-content] link to "../../config.yaml" points '
                "outside the content folder. Link to an article's .md file inside content/."
            ),
        ),
    ),
    Case(
        "link-to-a-system-file",
        page("[Secrets](/etc/passwd)"),
        (
            (
                'content/basics/page.md:7: error [link-site-address] link to "/etc/passwd" is written as a web '
                "address of this site, which breaks when the site is hosted in a sub-folder and in GitHub's "
                "preview. No page has that address either. Link to an article's .md file, relative to this file."
            ),
        ),
    ),
    Case(
        "content-symlink-outside",
        link(PAGE, "/etc/passwd"),
        (
            (
                "content/basics/page.md: error [path-outside] this is a link to /etc/passwd, outside content/. "
                "The build reads nothing from outside the folder a file belongs in: copy the file itself here, or"
                " remove the link."
            ),
        ),
    ),
    Case(
        "content-folder-symlink",
        link("content/basics/more", "/etc"),
        (
            (
                "content/basics/more: error [path-outside] this is a link to /etc, outside content/. The build "
                "reads nothing from outside the folder a file belongs in: copy the file itself here, or remove "
                "the link."
            ),
        ),
    ),
    Case(
        "static-symlink-outside",
        link("static/passwords.txt", "/etc/passwd"),
        (
            (
                "static/passwords.txt: error [path-outside] this is a link to /etc/passwd, outside static/. The "
                "build reads nothing from outside the folder a file belongs in: copy the file itself here, or "
                "remove the link."
            ),
        ),
    ),
    Case(
        "template-symlink-outside",
        link("templates/partials/evil.html", "/etc/passwd"),
        (
            (
                "templates/partials/evil.html: error [path-outside] this is a link to /etc/passwd, outside "
                "templates/. The build reads nothing from outside the folder a file belongs in: copy the file "
                "itself here, or remove the link."
            ),
        ),
    ),
    Case(
        "config-content-dir-outside",
        config("content_dir: /etc\n"),
        (
            (
                'config.yaml:20: error [path-outside] "content_dir" is /etc, outside the project folder '
                '{tmp}/project. Paths in config.yaml must name a folder inside the project, such as "content".'
            ),
            "Stopped: config.yaml has problems; fix them and run again.",
        ),
        2,
    ),
    Case(
        "config-output-dir-outside",
        config("output_dir: ../elsewhere\n"),
        (
            (
                'config.yaml:20: error [path-outside] "output_dir" is {tmp}/elsewhere, outside the project folder'
                ' {tmp}/project. Paths in config.yaml must name a folder inside the project, such as "_site"; to '
                "build somewhere else, pass --out DIR instead."
            ),
            "Stopped: config.yaml has problems; fix them and run again.",
        ),
        2,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(site: SiteFolder, case: Case):
    assert site.run("build").code == 0
    before = tree_digest(site.site)
    case.setup(site)
    result = site.run("build")
    assert "Traceback" not in result.err
    assert result.code == case.code
    assert result.err.splitlines() == [line.replace("{tmp}", str(site.root.parent)) for line in case.problems]
    assert tree_digest(site.site) == before
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".")) == []


def test_out_set_to_the_root_folder_is_refused(site: SiteFolder):
    assert site.run("build", "--out", "/").err == (
        "Stopped: the output folder / holds the whole project, which building would replace. Choose another with "
        "--out.\n"
    )


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
        lambda text: text.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf-8", "bom", "crlf", "bom-and-crlf", "old-mac-cr"],
)
def test_byte_order_marks_and_line_endings_simply_work(site: SiteFolder, encode):
    text = article("Page", "## Part one\n\nFirst paragraph.\n\n## Part two\n\nSee [the first page](first.md).")
    raw(PAGE, encode(text))(site)
    assert site.run("build").code == 0
    html = site.page("basics/page")
    assert ">Page</h1>" in html and 'id="part-two"' in html and 'href="../first/"' in html
    assert "\ufeff" not in html and "\r" not in html
    # Problems in such a file are reported on the lines an editor sees.
    raw(PAGE, encode(text.replace("first.md", "frist.md")))(site)
    assert [line.split(" error")[0] for line in site.problems()] == [f"{PAGE}:13:"]


def test_safe_html_is_kept_and_links_in_it_open_nothing_back(site: SiteFolder):
    site.write(
        PAGE,
        article(
            "Page",
            'Take it with H<sub>2</sub>O, <abbr title="as needed">PRN</abbr>.<br>\n\n'
            '<a href="https://example.org/">A leaflet</a>',
        ),
    )
    assert site.run("build").code == 0
    html = site.page("basics/page")
    assert 'H<sub>2</sub>O, <abbr title="as needed">PRN</abbr>.<br>' in html
    assert '<a href="https://example.org/" rel="noopener noreferrer">A leaflet</a>' in html


def test_unsafe_html_is_removed_even_where_check_still_renders_it(site: SiteFolder):
    """check and the live preview render a page with errors: what is unsafe is gone from it all the same."""
    from handout.config import load_config
    from handout.pipeline import run
    from handout.render import make_environment

    site.write(
        PAGE,
        article(
            "Page",
            'Before.\n\n<script>alert(1)</script>\n\n<b onmouseover="alert(2)">Bold</b> '
            '<img src=x onerror="alert(3)"> [x](javascript:alert(4))\n\n## Part {: onclick="alert(5)" }',
        ),
    )
    config = load_config(site.root / "config.yaml")
    result = run(config, write=False)
    assert [p.rule for p in result.problems] == ["html-unsafe"] * 5
    assert result.site is not None
    body = rendered_pages(result.site, make_environment(config.templates_dir))["basics/page/index.html"]
    assert "alert" not in body and "onmouseover" not in body and "onerror" not in body
    assert "<b>Bold</b>" in body
