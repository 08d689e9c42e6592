"""Callouts, above all the levels of urgency: each says who to call and how soon, from the config's contact block."""

from __future__ import annotations

import re

import pytest
from conftest import CONFIG, article

LEVELS = (
    "!!! emergency\n    Blue lips.\n\n!!! urgent\n    A fever.\n\n"
    "!!! same-day\n    A rash.\n\n!!! crisis\n    Dark thoughts.\n"
)

ORGANISATION = CONFIG.replace(
    '  emergency_number: "911"\n',
    "  name: The Clinic\n  phone: 555 0100\n  hours: 8am to 6pm\n  urgent_phone: 555 0199\n"
    '  emergency_number: "911"\n  crisis_number: "988"\n  crisis_name: the 988 Lifeline\n',
)


def callouts(html: str) -> dict[str, str]:
    """Each leveled callout of a page, by level, as one line of HTML."""
    found = re.findall(r'<div class="callout callout-([a-z-]+)" role="note">(.*?)</div>', html, flags=re.S)
    return {kind: " ".join(body.split()) for kind, body in found}


def test_each_level_says_who_to_call_without_an_organisation(site):
    site.write("content/basics/first.md", article("First page", body=LEVELS))
    site.run()
    boxes = callouts(site.page("basics/first"))
    assert boxes["emergency"] == (
        '<p class="callout-title"><span class="callout-badge">Emergency</span> Call the emergency number now</p> '
        "<p>Blue lips.</p> "
        '<p class="callout-contact"><strong>Call <a href="tel:911">911</a> now.</strong> Do not wait to reach your '
        "care team first. Tell them what happened afterwards.</p>"
    )
    assert boxes["urgent"] == (
        '<p class="callout-title"><span class="callout-badge">Urgent</span> Get help now</p> <p>A fever.</p> '
        '<p class="callout-contact"><strong>Call your care team&rsquo;s 24-hour number now, day or night.</strong> '
        'If you cannot reach them, call <a href="tel:911">911</a>.</p>'
    )
    assert boxes["same-day"] == (
        '<p class="callout-title"><span class="callout-badge">Same day</span> Call your care team today</p> '
        '<p>A rash.</p> <p class="callout-contact"><strong>Call your care team today.</strong> Do not wait for your '
        "next visit. Out of hours, use their 24-hour number.</p>"
    )
    assert boxes["crisis"] == (
        '<p class="callout-title"><span class="callout-badge">Get help now</span> If you are thinking of ending your '
        'life</p> <p>Dark thoughts.</p> <p class="callout-contact"><strong>Call your care team now, or a crisis '
        "line.</strong> If you might act on these thoughts, or you are not safe, call "
        '<a href="tel:911">911</a>.</p>'
    )


def test_each_level_uses_the_organisation_and_lines_in_the_config(site):
    site.write("config.yaml", ORGANISATION)
    site.write("content/basics/first.md", article("First page", body=LEVELS))
    site.run()
    contact = {
        kind: re.search(r'<p class="callout-contact">.*?</p>', box).group()
        for kind, box in callouts(site.page("basics/first")).items()
    }
    assert contact == {
        "emergency": '<p class="callout-contact"><strong>Call <a href="tel:911">911</a> now.</strong> Do not wait '
        "to reach your care team first. Tell them what happened afterwards.</p>",
        "urgent": '<p class="callout-contact"><strong>Call The Clinic&rsquo;s 24-hour line now on '
        '<a href="tel:5550199">555 0199</a>, day or night.</strong> If you cannot reach them, call '
        '<a href="tel:911">911</a>.</p>',
        "same-day": '<p class="callout-contact"><strong>Call The Clinic today on <a href="tel:5550100">555 0100</a> '
        "(8am to 6pm).</strong> Do not wait for your next visit. Out of hours, call the 24-hour line on "
        '<a href="tel:5550199">555 0199</a>.</p>',
        "crisis": '<p class="callout-contact"><strong>Call or text <a href="tel:988">988</a> (the 988 Lifeline) now, '
        'at any time.</strong> If you might act on these thoughts, or you are not safe, call <a href="tel:911">911'
        "</a>.</p>",
    }
    footer = site.page("basics/first").split('<footer class="site-footer">')[1]
    assert 'Urgent problems, day or night: <a href="tel:5550199">555 0199</a>.' in footer
    assert 'In a mental health crisis, call or text <a href="tel:988">988</a> (the 988 Lifeline).' in footer


def test_no_level_invents_a_number_the_config_does_not_give(site):
    site.write("config.yaml", CONFIG.replace('contact:\n  emergency_number: "911"\n', ""))
    site.write("content/basics/first.md", article("First page", body=LEVELS))
    site.run()
    page = site.page("basics/first")
    assert "tel:" not in page
    assert "<strong>Call your local emergency number now.</strong>" in page
    assert "If you cannot reach them, call your local emergency number." in page


def test_a_writers_title_follows_the_level_badge(site):
    body = '!!! emergency "Chest pain or a seizure"\n    - chest pain\n'
    site.write("content/basics/first.md", article("First page", body=body))
    site.run()
    assert (
        '<p class="callout-title"><span class="callout-badge">Emergency</span> Chest pain or a seizure</p>'
    ) in site.page("basics/first")


@pytest.mark.parametrize("kind", ["warning", "tip", "note", "ask"])
def test_boxes_that_are_not_levels_add_no_call_line(site, kind):
    site.write("content/basics/first.md", article("First page", body=f"!!! {kind}\n    Text."))
    site.run()
    page = site.page("basics/first")
    assert f'<div class="callout callout-{kind}" role="note">' in page
    assert "callout-contact" not in page
    assert "callout-badge" not in page


def test_unknown_callout_type(site):
    site.write("content/basics/first.md", article("First page", body="Text.\n\n!!! same_day\n    Call."))
    assert site.problems() == [
        'content/basics/first.md:9: error [callout-type] unknown callout type "same_day". Did you mean "same-day"? '
        "Use one of: emergency, urgent, crisis, same-day, warning, tip, note, ask."
    ]
