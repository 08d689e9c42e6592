"""config.yaml validation, the contact block in callouts, and template mistakes reported as problems."""

from __future__ import annotations

from conftest import CONFIG, article


def test_section_problems_are_all_reported(site):
    site.write(
        "config.yaml",
        "title: T\nsections:\n  - slug: Basics\n    title: B\n  - slug: care\n    title: C\n"
        "    intro: I\n    colour: red\n  - slug: care\n    title: C2\n    intro: I2\n",
    )
    run = site.run("check")
    assert run.code == 2
    assert run.err.splitlines()[:-1] == [
        'config.yaml:3: error [schema-missing-key] "intro" is required in section 1. Add a line such as: intro: '
        "One plain sentence about this section.",
        'config.yaml:3: error [schema-value] "slug" must use only lowercase letters, digits and single hyphens, '
        'not "Basics".',
        'config.yaml:8: error [schema-unknown-key] unknown key "colour" in section 2. Allowed keys: slug, title, '
        "intro, red_flags.",
        'config.yaml:9: error [config-duplicate-section] section "care" is listed twice. Remove one of them.',
    ]


def test_an_empty_section_is_reported_where_the_config_lists_it(site):
    site.root.joinpath("content/care/support.md").unlink()
    assert site.problems() == [
        'config.yaml:10: warning [section-empty] section "care" has no articles yet, so its page will be empty. Add '
        "an article to content/care/, or remove the section."
    ]


def test_base_url_must_be_a_web_address(site):
    site.write("config.yaml", CONFIG + "base_url: example.org\n")
    run = site.run("check")
    assert run.code == 2
    assert run.err.splitlines()[0] == (
        'config.yaml:20: error [schema-value] "base_url" must be a full web address starting with https://, not '
        '"example.org".'
    )


def test_contact_block_rejects_unknown_keys(site):
    site.write("config.yaml", CONFIG.replace('  emergency_number: "911"', "  telephone: 123"))
    assert site.run("check").err.splitlines()[0] == (
        'config.yaml:5: error [schema-unknown-key] unknown key "telephone" in contact. Did you mean "phone"? '
        "Allowed keys: name, phone, hours, urgent_phone, emergency_number, crisis_number, crisis_name."
    )


def test_heading_rules(site):
    site.write(
        "content/basics/first.md",
        article("First page", body="# Title again\n\n## Fine\n\n#### Skipped\n\n```\n# not a heading\n```\n"),
    )
    assert site.problems() == [
        'content/basics/first.md:7: error [heading-level-1] "# Title again" is a level-1 heading, but the page '
        "title is the only one. Use ## for the sections of the page.",
        'content/basics/first.md:11: warning [heading-skipped-level] "Skipped" jumps from level 2 to level 4, which '
        "confuses screen-reader navigation. Use ###.",
    ]


def test_headings_inside_callouts_keep_later_lines_right(site):
    body = "!!! note\n    ## Inside a callout\n\n    Text.\n\n## Fine\n\n#### Skipped"
    site.write("content/basics/first.md", article("First page", body=body))
    assert site.problems() == [
        'content/basics/first.md:14: warning [heading-skipped-level] "Skipped" jumps from level 2 to level 4, which '
        "confuses screen-reader navigation. Use ###."
    ]


def test_template_syntax_error_names_the_template_and_line(site):
    path = site.root / "templates/section.html"
    path.write_text(path.read_text().replace("{% endif %}", "{% endfi %}", 1))
    run = site.run("build")
    assert run.code == 1
    assert run.err == (
        "templates/section.html:15: error [template-syntax] template syntax error: Encountered unknown tag 'endfi'. "
        "Jinja was looking for the following tags: 'endif'. The innermost block that needs to be closed is 'if'. "
        "Fix this line of the template.\n"
    )
    assert not site.site.exists()


def test_template_runtime_error_names_the_template_line_and_page(site):
    path = site.root / "templates/partials/article.html"
    path.write_text(path.read_text().replace("{{ page.meta.summary }}</p>", "{{ page.meta.sumary }}</p>", 1))
    run = site.run("build")
    assert run.code == 1
    assert run.err.splitlines() == [
        "templates/partials/article.html:11: error [template-error] UndefinedError: 'handout.reader.FrontMatter "
        "object' has no attribute 'sumary', while rendering content/basics/first.md and 3 other pages. Fix the "
        "template, or the data it uses."
    ]  # reported once, for each article and each section's printable page


def test_missing_template(site):
    (site.root / "templates/404.html").unlink()
    run = site.run("build")
    assert run.code == 1
    assert run.err == (
        "templates/404.html: error [template-missing] this template is missing. Restore it from the "
        "project's templates/ folder.\n"
    )
