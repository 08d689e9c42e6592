"""The CMS's formats (handout/admin/formats.js), run in Node as the browser runs them: what a save through the CMS
writes is what the site's reader reads back, nothing is lost, and only the values that changed are rewritten."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import REVIEWED, article
from project import REPO

from handout import cms
from handout.cms import FRONT_MATTER_FORMAT, format_specs
from handout.reader import split_front_matter
from handout.registers import REGISTERS
from handout.yamldoc import parse_yaml

HARNESS = Path(__file__).parent / "cms_formats.mjs"
SPECS = format_specs()
FRONT = SPECS[FRONT_MATTER_FORMAT]
GLOSSARY, SOURCES, STATS = (SPECS[cms.register_format(register)] for register in REGISTERS)

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js (the README's test command)")


def save(spec: dict, text: str | None, **edit: object) -> tuple[dict, str]:
    """Open ``text`` in the CMS, change ``edit``, save: the data the form held and the file written."""
    [(data, written)] = save_all([(spec, text, edit)])
    return data, written


def save_all(requests: list[tuple[dict, str | None, dict]]) -> list[tuple[dict, str]]:
    """Several saves in one run of Node."""
    batch = json.dumps([{"spec": spec, "text": text, "edit": edit} for spec, text, edit in requests])
    done = subprocess.run(["node", str(HARNESS)], input=batch, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [(result["data"], result["text"]) for result in json.loads(done.stdout)]


def front_matter(text: str) -> dict:
    front, _body, _line, problems = split_front_matter(text, "page.md")
    assert not problems
    doc, problems = parse_yaml(front or "", "page.md")
    assert not problems and doc is not None
    return doc.data


def body(text: str) -> str:
    return split_front_matter(text, "page.md")[1]


PAGE = """\
---
title: "Bone pain" # quoted, with a comment
summary: What bone pain can feel like, and what helps.
key_points: [One point, with a comma., "Two: quoted"]
reviewed: 2026-10-01
changes:
  - {date: 2026-10-01, change: Wrote it.}

related:
  - treatments/chemotherapy.md
---

Text with a citation [@seer] and a [link](../care/support.md).

!!! urgent "Signs"
    Call now.
"""


def test_a_page_saved_unchanged_is_written_back_byte_for_byte():
    data, written = save(FRONT, PAGE)
    assert written == PAGE
    assert data["reviewed"] == "2026-10-01"  # what the date picker holds
    assert data["changes"] == [{"date": "2026-10-01", "change": "Wrote it."}]


def test_editing_the_summary_rewrites_only_its_lines():
    _data, written = save(FRONT, PAGE, summary="A new summary.")
    assert written == PAGE.replace("summary: What bone pain can feel like, and what helps.", "summary: A new summary.")


def test_text_folded_over_several_lines_is_written_on_one_line_with_the_same_meaning():
    folded = PAGE.replace("can feel like, and", "can feel like,\n  and")
    _data, written = save(FRONT, folded)
    assert written == PAGE
    assert front_matter(written) == front_matter(folded)


def test_every_page_and_register_of_the_site_means_the_same_after_a_save_through_the_cms():
    pages = sorted((REPO / "content").rglob("*.md"))
    registers = [REPO / "content" / register.file for register in REGISTERS]
    assert pages
    specs = [FRONT] * len(pages) + [SPECS[cms.register_format(register)] for register in REGISTERS]
    texts = [path.read_text(encoding="utf-8") for path in (*pages, *registers)]
    saved = save_all([(spec, text, {}) for spec, text in zip(specs, texts, strict=True)])
    for path, text, (data, written) in zip((*pages, *registers), texts, saved, strict=True):
        if path.suffix == ".md":
            assert front_matter(written) == front_matter(text), path
            assert body(written) == body(text), path
        else:
            assert yaml.safe_load(written) == yaml.safe_load(text), path
            assert len(data["entries"]) == len(yaml.safe_load(text))


@pytest.mark.parametrize("typed", ["No", "yes", "on", "Off", "1:30", "1_000", "2026-11-21", "null", "~", "0x1F", "3.0"])
def test_text_that_yaml_1_1_would_read_as_something_else_is_saved_as_the_text_typed(typed):
    _data, written = save(FRONT, PAGE, title=typed, key_points=[typed, "Plain."])
    meta = front_matter(written)
    assert meta["title"] == typed
    assert meta["key_points"] == [typed, "Plain."]


def test_a_new_page_has_plain_dates_schema_order_and_no_empty_or_default_values():
    _data, written = save(
        FRONT,
        None,
        reviewed="2026-11-01",
        title="Eating well",
        summary="What to eat.",
        key_points=["Small meals.", ""],
        order="",
        review_due=None,
        questions=[],
        link_terms=True,
        sheet=False,
        review_status="awaiting-clinical-review",
        changes=[{"date": "2026-11-02", "change": "Wrote it."}],
        body="See [support](../care/support.md).",
    )
    assert written == textwrap.dedent(
        """\
        ---
        title: Eating well
        summary: What to eat.
        key_points:
          - Small meals.
        reviewed: 2026-11-01
        changes:
          - date: 2026-11-02
            change: Wrote it.
        ---

        See [support](../care/support.md).
        """
    )
    meta = front_matter(written)
    assert meta["reviewed"] == dt.date(2026, 11, 1)
    assert meta["changes"][0]["date"] == dt.date(2026, 11, 2)


def test_a_value_set_away_from_its_default_is_written_and_clearing_a_field_removes_its_key():
    _data, written = save(FRONT, PAGE, link_terms=False, related=[])
    meta = front_matter(written)
    assert meta["link_terms"] is False
    assert "related" not in meta
    assert "__handout_source" not in written


def test_a_saved_page_passes_the_check(site):
    _data, written = save(
        FRONT,
        article("Support"),
        summary="No",
        key_points=["on", "1:30"],
        reviewed=REVIEWED,
        changes=[{"date": REVIEWED, "change": "Yes"}],
    )
    site.write("content/care/support.md", written)
    assert site.problems() == []


GLOSSARY_TEXT = """\
# The glossary: a comment that must stay.

Bone scan:
  definition: A scan that shows where cancer is in the bones.
  see_also: [X-ray, Scan]

X-ray:
  definition: A picture of the inside of the body.
"""


def test_a_register_saved_unchanged_is_written_back_byte_for_byte():
    data, written = save(GLOSSARY, GLOSSARY_TEXT)
    assert written == GLOSSARY_TEXT
    assert data["entries"] == [
        {
            "term": "Bone scan",
            "definition": "A scan that shows where cancer is in the bones.",
            "see_also": ["X-ray", "Scan"],
        },
        {"term": "X-ray", "definition": "A picture of the inside of the body."},
    ]


def test_a_new_term_goes_in_its_a_to_z_place_in_the_register_style_and_a_removed_one_goes():
    data, _ = save(GLOSSARY, GLOSSARY_TEXT)
    entries = [
        data["entries"][0],
        {"term": "Chemotherapy", "definition": "Medicines that kill cancer cells.", "see_also": ["X-ray"], "id": ""},
    ]
    _data, written = save(GLOSSARY, GLOSSARY_TEXT, entries=entries)
    assert written == textwrap.dedent(
        """\
        # The glossary: a comment that must stay.

        Bone scan:
          definition: A scan that shows where cancer is in the bones.
          see_also: [X-ray, Scan]

        Chemotherapy:
          definition: Medicines that kill cancer cells.
          see_also: [X-ray]
        """
    )


def test_a_source_keeps_its_dates_as_dates_and_its_id_as_the_key():
    text = f"seer:\n  title: Stat facts\n  publisher: NCI\n  url: https://seer.cancer.gov/\n  accessed: {REVIEWED}\n"
    data, _ = save(SOURCES, text)
    entry = {**data["entries"][0], "accessed": "2026-11-20", "year": 2024, "note": "Checked."}
    renamed = {**entry, "id": "seer-breast"}
    _data, written = save(SOURCES, text, entries=[renamed])
    assert yaml.safe_load(written) == {
        "seer-breast": {
            "title": "Stat facts",
            "publisher": "NCI",
            "url": "https://seer.cancer.gov/",
            "accessed": dt.date(2026, 11, 20),
            "year": 2024,
            "note": "Checked.",
        }
    }


def test_a_statistic_value_stays_text():
    text = (
        'distant-5yr:\n  value: "32.6%"\n  measures: survival\n  population: women\n  period: "2015"\n  source: seer\n'
    )
    data, written = save(STATS, text)
    assert written == text
    entry = {**data["entries"][0], "value": "33", "period": "2016"}
    _data, written = save(STATS, text, entries=[entry])
    assert yaml.safe_load(written)["distant-5yr"]["value"] == "33"
    assert yaml.safe_load(written)["distant-5yr"]["period"] == "2016"
