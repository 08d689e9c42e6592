"""Every problem the build can report, declared once: its id, default severity, what it means and how to fix it.

Code reports a problem by rule id only (``report("link-broken", file, line, message)``); its severity comes from here,
or from the ``rules`` block of config.yaml, which can make any rule that is not ``fixed`` an error, a warning, or off
(as MkDocs' ``validation`` settings do for links). The editors' guide lists this catalogue (``[RULES]``), so the list
editors read cannot drift from what the build does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from .problems import Problem, Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING
LEVELS = ("error", "warning", "off")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    means: str  # one line, in an editor's words
    fix: str
    # A fixed rule guards the build itself (it cannot read the file, or would write a broken site), so config.yaml
    # cannot lower it.
    fixed: bool = False


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules}


RULES: Mapping[str, Rule] = _rules(
    # The config file and YAML in general.
    Rule("config-missing", ERROR, "The config file cannot be read.", "Pass the right file with --config.", True),
    Rule(
        "yaml-syntax",
        ERROR,
        "A YAML file (config, front matter or register) cannot be read.",
        "Fix the line named: indentation with spaces, quotes around text with a colon.",
        True,
    ),
    Rule("yaml-duplicate-key", ERROR, "The same key appears twice in one YAML mapping.", "Keep one of them.", True),
    Rule("schema-missing-key", ERROR, "A required setting is missing.", "Add it, as the example shows.", True),
    Rule(
        "schema-unknown-key",
        ERROR,
        "A setting the schema does not know (often a typo).",
        "Use the key suggested, or remove it.",
        True,
    ),
    Rule(
        "schema-type",
        ERROR,
        "A setting has the wrong kind of value (a list where text belongs, say).",
        "Write the kind of value the message names.",
        True,
    ),
    Rule(
        "schema-value",
        ERROR,
        "A setting's value is not allowed (a bad date, too long, not a number).",
        "Change the value as the message says.",
        True,
    ),
    Rule("config-duplicate-section", ERROR, "config.yaml lists a section twice.", "Remove one of them.", True),
    Rule(
        "config-unknown-rule",
        ERROR,
        "The rules block of config.yaml names a rule that does not exist.",
        "Use a rule id from this list.",
        True,
    ),
    Rule(
        "config-fixed-rule",
        ERROR,
        "The rules block of config.yaml tries to lower a rule that guards the build.",
        "Remove that line: fix the problem instead.",
        True,
    ),
    # Files and where they live.
    Rule("content-missing", ERROR, "The content folder does not exist.", "Create it, or set content_dir.", True),
    Rule("content-no-home", ERROR, "There is no content/index.md, the home page.", "Create it.", True),
    Rule("content-encoding", ERROR, "A file is not UTF-8 text.", "Save it as UTF-8.", True),
    Rule("content-unreadable", ERROR, "A file cannot be opened (its permissions, say).", "Make it readable.", True),
    Rule(
        "content-too-large",
        ERROR,
        "A page's file is over 256 KB: far longer than anyone reads, and most likely a paste gone wrong.",
        "Split it into several articles.",
        True,
    ),
    Rule(
        "content-unknown-file",
        ERROR,
        "A file in content/ that the build does not read (often a register under the wrong name).",
        "Rename it (glossary.yaml, sources.yaml, stats.yaml), or move it out of content/.",
    ),
    Rule(
        "path-outside",
        ERROR,
        "A file, a linked folder or a path in config.yaml leads outside where it belongs.",
        "Copy the file itself into its folder, or use a path inside the project.",
        True,
    ),
    Rule(
        "static-missing",
        ERROR,
        "The static folder (the site's styles and scripts) does not exist.",
        "Restore static/ from the project, or set static_dir.",
        True,
    ),
    Rule(
        "content-path",
        ERROR,
        "A file is in a place no page can come from (too deep, say).",
        "Move it to content/<section>/<slug>.md.",
        True,
    ),
    Rule(
        "content-reserved",
        ERROR,
        "A file's address is one the site uses itself (glossary, search...).",
        "Rename the file.",
        True,
    ),
    Rule(
        "content-section",
        ERROR,
        "A folder in content/ is not a section in config.yaml.",
        "Add the section to config.yaml, or move the file.",
        True,
    ),
    Rule(
        "content-slug",
        ERROR,
        "A file name is not a good address (spaces, capitals, other letters).",
        "Rename it with lowercase letters, digits and hyphens.",
        True,
    ),
    Rule(
        "help-page-missing",
        ERROR,
        'The "help_page" in config.yaml names no page, so "Get help now" would lead nowhere.',
        "Name the page that says what to do in an emergency, as a path in the content folder.",
    ),
    Rule(
        "section-empty",
        WARNING,
        "A section in config.yaml has no articles, so its page would be empty.",
        "Add an article to it, or remove the section.",
    ),
    # Front matter.
    Rule(
        "front-matter-missing",
        ERROR,
        "A page does not start with front matter between --- lines.",
        "Start the file with ---, the settings, and --- again.",
        True,
    ),
    Rule("front-matter-unclosed", ERROR, "The front matter has no closing --- line.", "Add it.", True),
    Rule(
        "placeholder-text",
        WARNING,
        "Text that python build.py new wrote as a placeholder is still there.",
        "Write the real text.",
    ),
    Rule("related-missing", ERROR, "related names an article that does not exist.", "Fix the path."),
    Rule("related-self", ERROR, "related lists the page itself.", "Remove it."),
    Rule("review-due-before-reviewed", ERROR, "review_due is before reviewed.", "Fix one of the dates."),
    Rule(
        "review-no-reviewer",
        ERROR,
        "A page says clinically-reviewed but names no reviewer.",
        "Add reviewer, or remove review_status.",
    ),
    Rule(
        "review-reviewer-unused",
        ERROR,
        "A reviewer is named on a page that is not marked clinically-reviewed.",
        "Remove reviewer, or set review_status: clinically-reviewed.",
    ),
    Rule(
        "review-overdue",
        ERROR,
        "A page's review date has passed.",
        "Check the page against its sources, then update reviewed.",
    ),
    Rule(
        "changed-since-review",
        WARNING,
        "A clinically reviewed page, or a register entry it shows, changed after the review: the page shows as "
        "awaiting re-review.",
        "Ask the clinician to look at python build.py review --changes PAGE, then record the review again.",
    ),
    Rule(
        "review-unrecorded",
        ERROR,
        'A page says "clinically-reviewed" without a review record.',
        'Record the review with python build.py review PAGE --reviewer "Name, credentials".',
        True,
    ),
    Rule(
        "review-record",
        ERROR,
        "A review record in content/_reviews/ cannot be read.",
        "Restore it from the repository's history, or review the page again.",
        True,
    ),
    Rule("review-due-soon", WARNING, "A page is due for review within 60 days.", "Plan its check."),
    Rule("review-in-future", ERROR, "A page's reviewed date is in the future.", "Use the date it was checked."),
    # What an article needs.
    Rule(
        "key-points-count",
        WARNING,
        "An article has fewer than 3 or more than 5 key points.",
        "Write 3 to 5 short sentences under key_points.",
    ),
    Rule(
        "questions-missing", WARNING, "An article has no questions to ask the care team.", "Add some under questions."
    ),
    Rule("citation-missing", ERROR, "An article cites no source.", "Cite the source of each fact with [@id]."),
    Rule(
        "links-too-few",
        WARNING,
        "An article links to fewer than 2 other articles.",
        "Link to the articles a reader needs next.",
    ),
    Rule(
        "red-flag-missing",
        ERROR,
        "An article in a section marked red_flags has no box of level urgent or higher.",
        "Add a !!! emergency, urgent or crisis box with this page's own warning signs.",
    ),
    Rule(
        "reading-grade",
        WARNING,
        "An article's text reads above the site's reading_grade.",
        "Shorter sentences, common words, medical words explained.",
    ),
    Rule("sentence-long", WARNING, "A sentence is longer than 35 words.", "Split it."),
    Rule("paragraph-long", WARNING, "A paragraph is longer than 120 words.", "Split it, or make a list."),
    Rule("image-alt-missing", ERROR, "An image has no alt text.", "Write what it shows between the brackets."),
    Rule(
        "link-text-vague",
        WARNING,
        "A link's text does not say where it goes ('click here', 'read more').",
        "Use the title of the page it links to.",
    ),
    # Markdown.
    Rule(
        "heading-level-1",
        ERROR,
        "The text has a # heading; the title is the page's only level-1 heading.",
        "Use ## for the sections of the page.",
    ),
    Rule("heading-skipped-level", WARNING, "A heading skips a level (## then ####).", "Use the next level down."),
    Rule(
        "callout-empty",
        ERROR,
        "A callout (!!!) has no text: the lines under it are not indented.",
        "Indent the box's text by four spaces.",
    ),
    Rule("callout-type", ERROR, "A callout (!!!) has a type the site does not know.", "Use one of the types listed."),
    Rule(
        "link-broken",
        ERROR,
        "A link points to a file that does not exist.",
        "Link to an article's .md file, relative to this file.",
    ),
    Rule(
        "link-anchor",
        ERROR,
        "A link points to a heading (#part) that the page does not have.",
        "Use one of the page's headings.",
    ),
    Rule(
        "link-site-address",
        ERROR,
        "A link is written as the site's own web address (/section/page/) instead of the .md file.",
        "Link to the article's .md file, relative to this file.",
    ),
    Rule(
        "markdown-too-complex",
        ERROR,
        "A paragraph with hundreds of [ or < characters, or lists and boxes nested very deeply: the Markdown parser "
        "would take minutes, or fail.",
        "Split the paragraph, or use fewer levels.",
        True,
    ),
    Rule(
        "html-unsafe",
        ERROR,
        "HTML or an address that could run code or load another site: <script>, <iframe>, <form>, style or on... "
        "attributes, javascript: links.",
        "Remove it, or write it in Markdown; HTML in articles may use only the tags the message lists.",
        True,
    ),
    Rule(
        "link-not-page",
        ERROR,
        "A link to a file that is not an article: the site publishes only the .md pages of content/.",
        "Link to an article's .md file, or to a full https:// address.",
    ),
    Rule(
        "link-outside-content",
        ERROR,
        "A link points outside the content folder.",
        "Link to an article's .md file inside content/.",
    ),
    # Registers and what pages use of them.
    Rule(
        "register-id",
        ERROR,
        "An id in a register has characters that cannot be used.",
        "Use letters, digits and hyphens.",
    ),
    Rule(
        "glossary-duplicate",
        ERROR,
        "Two glossary terms, aliases or search words are the same word (terms may share a search word).",
        "Keep one.",
    ),
    Rule(
        "glossary-duplicate-anchor",
        ERROR,
        "Two glossary terms would get the same address on the glossary page.",
        "Give one of them an id.",
    ),
    Rule("glossary-see-also", ERROR, "see_also names a term that is not in the glossary.", "Fix the name."),
    Rule("glossary-unused", WARNING, "A glossary term is used on no page.", "Use it in an article, or remove it."),
    Rule("skip-terms-unknown", ERROR, "skip_terms names a term that is not in the glossary.", "Fix the name."),
    Rule(
        "source-unknown",
        ERROR,
        "A register entry names a source that is not in sources.yaml.",
        "Add the source, or fix the id.",
    ),
    Rule("source-no-url", ERROR, "A web source has no url.", "Add its address."),
    Rule("source-no-accessed", ERROR, "A source has no accessed date.", "Add the date you last opened it."),
    Rule("source-no-publisher", ERROR, "A source names neither publisher nor authors.", "Add one of them."),
    Rule(
        "source-stale",
        WARNING,
        "A source was last accessed over two years ago.",
        "Open it again, check what the pages cite, and update accessed.",
    ),
    Rule("source-unused", WARNING, "A source is cited by no page.", "Cite it, or remove it."),
    Rule(
        "citation-unknown",
        ERROR,
        "A [@id] citation names a source that is not in sources.yaml.",
        "Add the source, or fix the id.",
    ),
    Rule("stat-unknown", ERROR, "A stat: link names a statistic that is not in stats.yaml.", "Add it, or fix the id."),
    Rule(
        "stat-text-mismatch",
        WARNING,
        "A stat: link's text differs from the register's value.",
        "Write the register's value as the link text.",
    ),
    Rule(
        "stat-unregistered",
        WARNING,
        "A percentage or 'N in N' figure is written as plain text.",
        "Add it to stats.yaml and write it as [value](stat:id).",
    ),
    Rule("stat-unused", WARNING, "A statistic is used on no page.", "Use it, or remove it."),
    Rule(
        "internal-error",
        ERROR,
        "The generator itself failed while building: a bug, not a mistake in the content.",
        "Report it with the message shown; the last good site stays in place meanwhile.",
        True,
    ),
    # Templates.
    Rule(
        "cms-not-installed",
        ERROR,
        "config.yaml turns the CMS on (its cms block), but Decap CMS is not installed, so /admin/ cannot be built.",
        "Install Node.js, then run npm ci --ignore-scripts in the generator's folder; or remove the cms block.",
        True,
    ),
    Rule("template-missing", ERROR, "A template the site needs does not exist.", "Restore it.", True),
    Rule("template-syntax", ERROR, "A template has a syntax error.", "Fix the line named.", True),
    Rule(
        "template-error",
        ERROR,
        "A template failed while rendering a page (an undefined name, say).",
        "Fix the template, or the data it uses.",
        True,
    ),
)


def rule(rule_id: str) -> Rule:
    """The rule with this id. An unknown id is a bug in the generator, not an editor's mistake."""
    return RULES[rule_id]


def report(rule_id: str, file: str, line: int, message: str) -> Problem:
    """A problem of the given rule, at its default severity. Control characters quoted from a file (a key with a
    line break in it, say) are shown escaped: every problem is one line, for people and for annotations."""
    return Problem(_one_line(file), line, rule(rule_id).severity, rule_id, _one_line(message))


def _one_line(text: str) -> str:
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def apply_levels(problems: Iterable[Problem], levels: Mapping[str, str]) -> list[Problem]:
    """The problems as config.yaml's rules block wants them: a different severity, or dropped when "off"."""
    adjusted = []
    for problem in problems:
        level = levels.get(problem.rule)
        if level == "off":
            continue
        adjusted.append(replace(problem, severity=Severity(level)) if level else problem)
    return adjusted
