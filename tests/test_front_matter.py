"""Front-matter validation: every mistake is reported with file, line, what is wrong and how to fix it."""

from __future__ import annotations

import datetime as dt

from conftest import REVIEWED, article

FILE = "content/basics/page.md"


def check_page(site, text: str) -> list[str]:
    site.write(FILE, text)
    return site.problems()


def test_valid_page_has_no_problems(site):
    assert check_page(site, article("A page")) == []


def test_unknown_key_suggests_the_nearest_known_key(site):
    text = f"---\ntitle: A page\nsumary: Typo.\nsummary: Fine.\nreviewed: {REVIEWED}\n---\nBody.\n"
    assert check_page(site, text) == [
        f'{FILE}:3: error [schema-unknown-key] unknown key "sumary" in the front matter. Did you mean "summary"? '
        "Allowed keys: title, summary, key_points, order, reviewed, review_due, review_status, reviewer, related, "
        "questions, link_terms, skip_terms, sheet, faq, changes, audience."
    ]


def test_unknown_key_with_nothing_close_lists_the_allowed_keys(site):
    problems = check_page(site, article("A page", colour="blue"))
    assert problems == [
        f'{FILE}:5: error [schema-unknown-key] unknown key "colour" in the front matter. Allowed keys: title, '
        "summary, key_points, order, reviewed, review_due, review_status, reviewer, related, questions, link_terms, "
        "skip_terms, sheet, faq, changes, audience."
    ]


def test_missing_required_keys_give_an_example_line(site):
    problems = check_page(site, "---\ntitle: A page\n---\nBody.\n")
    assert problems == [
        f'{FILE}:2: error [schema-missing-key] "reviewed" is required in the front matter. Add a line such as: '
        "reviewed: 2026-11-21",
        f'{FILE}:2: error [schema-missing-key] "summary" is required in the front matter. Add a line such as: '
        "summary: One or two plain sentences, at most 160 characters, about this page.",
    ]


def test_summary_over_160_characters(site):
    problems = check_page(site, article("A page", summary="x" * 161))
    assert problems == [
        f'{FILE}:3: error [schema-value] "summary" is 161 characters long; the limit is 160 (it is shown in '
        "listings and search results). Shorten it."
    ]


def test_summary_of_exactly_160_characters_is_fine(site):
    assert check_page(site, article("A page", summary="x" * 160)) == []


def test_dates_must_be_dates(site):
    assert check_page(site, article("A page", reviewed="last week")) == [
        f'{FILE}:4: error [schema-value] "reviewed" must be a date written as YYYY-MM-DD (for example 2026-11-21), '
        'not "last week".'
    ]


def test_impossible_date_is_reported_on_its_line_with_the_other_problems(site):
    problems = check_page(site, article("A page", reviewed="2026-13-01", order="first"))
    assert problems == [
        f'{FILE}:4: error [schema-value] "reviewed" is not a real date: "2026-13-01". Write it as YYYY-MM-DD, for '
        "example 2026-11-21.",
        f'{FILE}:5: error [schema-value] "order" must be a whole number, not "first".',
    ]


def test_review_status_choices_with_hint(site):
    assert check_page(site, article("A page", review_status="clinicaly-reviewed", reviewer="Dr A")) == [
        f'{FILE}:5: error [schema-value] "review_status" must be one of: awaiting-clinical-review, '
        'clinically-reviewed; not "clinicaly-reviewed". Did you mean "clinically-reviewed"?',
        f"{FILE}:6: error [review-reviewer-unused] a reviewer is named but review_status is not "
        '"clinically-reviewed". Set review_status: clinically-reviewed if the review really happened, or remove '
        "reviewer.",
    ]


def test_clinically_reviewed_requires_a_reviewer(site):
    assert check_page(site, article("A page", review_status="clinically-reviewed")) == [
        f'{FILE}:5: error [review-no-reviewer] review_status is "clinically-reviewed" but no reviewer is named. '
        'Add "reviewer: Name, credentials" of the clinician who reviewed this page, or remove review_status.',
        f'{FILE}:5: error [review-unrecorded] review_status says "clinically-reviewed", but this page has no review '
        f'record. A page becomes clinically reviewed only through: python build.py review {FILE} --reviewer "Name, '
        'credentials"',
    ]


def test_review_due_must_follow_reviewed(site):
    assert check_page(site, article("A page", review_due="2025-01-01")) == [
        f"{FILE}:4: error [review-overdue] this page was due for review on 2025-01-01. Check it against its "
        'sources, then update "reviewed" (and "review_due" if set).',
        f"{FILE}:5: error [review-due-before-reviewed] review_due (2025-01-01) must come after reviewed ({REVIEWED}).",
    ]


def test_overdue_review_is_an_error_and_a_review_due_soon_a_warning(site):
    site.write(FILE, article("A page", reviewed="2020-03-01"))
    run = site.run("check")
    assert run.code == 1
    assert run.err == (
        f"{FILE}:4: error [review-overdue] this page was due for review on 2021-03-01. Check it against its "
        'sources, then update "reviewed" (and "review_due" if set).\n'
    )
    soon = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    site.write(FILE, article("A page", review_due=soon))
    assert site.problems("--strict")[0] == (
        f"{FILE}:4: warning [review-due-soon] this page is due for review on {soon}. Plan its check against its "
        "sources."
    )
    assert site.run("check").code == 0


def test_a_reviewed_date_in_the_future_is_an_error(site):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert check_page(site, article("A page", reviewed=future))[0] == (
        f'{FILE}:4: error [review-in-future] "reviewed" ({future}) is in the future. Use the date the page was checked.'
    )


def test_lists_must_be_lists(site):
    assert check_page(site, article("A page", key_points="just one")) == [
        f'{FILE}:5: error [schema-value] "key_points" must be a list, with each item on its own line starting '
        "with '- '."
    ]


def test_numbers_where_text_is_expected_ask_for_quotes(site):
    assert check_page(site, article("2026")) == [
        f'{FILE}:2: error [schema-value] "title" must be text; put quotes around it: "2026".'
    ]


def test_yaml_syntax_error_names_the_line(site):
    text = f"---\ntitle: A page\nsummary: Bone pain: what helps\nreviewed: {REVIEWED}\n---\nBody.\n"
    assert check_page(site, text) == [
        f'{FILE}:3: error [yaml-syntax] this line has a "key:" where none can go: it is indented more than the line '
        'above, or its value contains ": ". Start each setting at the beginning of its line, and put quotes around a '
        'value that contains ": ".'
    ]


def test_duplicate_keys_are_not_silently_dropped(site):
    text = f"---\ntitle: A page\nsummary: One.\nsummary: Two.\nreviewed: {REVIEWED}\n---\nBody.\n"
    assert check_page(site, text) == [
        f'{FILE}:4: error [yaml-duplicate-key] "summary" appears twice; YAML would silently keep only the last '
        "one. Remove one of them."
    ]


def test_missing_front_matter(site):
    assert check_page(site, "Just text.\n") == [
        f"{FILE}:1: error [front-matter-missing] the file must start with front matter: a line '---', then "
        "'title:', 'summary:' and 'reviewed:' lines, then another '---'."
    ]


def test_unclosed_front_matter(site):
    assert check_page(site, "---\ntitle: A page\n\nBody.\n") == [
        f"{FILE}:1: error [front-matter-unclosed] the front matter that starts on line 1 never ends. Add a line "
        "'---' after it."
    ]


def test_front_matter_errors_do_not_hide_body_errors(site):
    problems = check_page(site, article("A page", summary=None, body="See [x](missing.md)."))
    assert [p.split(" [")[1].split("]")[0] for p in problems] == ["schema-missing-key", "link-broken"]


def test_related_paths_must_exist(site):
    problems = check_page(site, article("A page", related=["basics/frist.md", "basics/page.md"]))
    assert problems == [
        f'{FILE}:6: error [related-missing] "related" lists "basics/frist.md", which does not exist. Did you mean '
        '"basics/first.md"? Related pages are paths inside the content folder, such as treatments/chemotherapy.md.',
        f'{FILE}:7: error [related-self] "related" lists this page itself ("basics/page.md"). Remove it.',
    ]


def test_file_names_must_be_slugs(site):
    site.write("content/basics/Bone Pain.md", article("Bone pain"))
    assert site.problems() == [
        'content/basics/Bone Pain.md: error [content-slug] the file name "Bone Pain.md" must use only lowercase '
        'letters, digits and hyphens. Rename it to "bone-pain.md".'
    ]


def test_folders_must_be_sections(site):
    site.write("content/bascis/page.md", article("A page"))
    assert site.problems() == [
        'content/bascis/page.md: error [content-section] the folder "bascis" is not a section in config.yaml. Did '
        'you mean "basics"? Add it to sections there, or move the file into one of: basics, care.'
    ]


def test_placeholder_text_from_new_is_a_warning(site):
    site.run("new", "Fresh page", "--section", "care")
    problems = site.problems()
    assert [p.split("] ")[0] for p in problems] == [
        "content/care/fresh-page.md:3: warning [placeholder-text",
        "content/care/fresh-page.md:5: warning [placeholder-text",
        "content/care/fresh-page.md:12: warning [placeholder-text",  # the first paragraph of the text
    ]
