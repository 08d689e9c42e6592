"""The search index's files (handout/search.py): shards that cover every key once, weights that rank, no pages for
editors, the same bytes every build, and the glossary's search words with their checks. The browser side is
tested in tests/browser/test_search.py."""

from __future__ import annotations

import bisect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, REVIEWED, article, tree_digest

from handout import search
from handout.config import load_config
from handout.pipeline import run

STEMS = json.loads((Path(__file__).parent / "search-stems.json").read_text(encoding="utf-8"))


def index(built: Path) -> dict:
    """The manifest, every shard's entries as {key: [(page, weight), ...]} and every page's metadata."""
    folder = built / "search"
    manifest = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    shards = [
        json.loads((folder / f"terms/{i}.json").read_text(encoding="utf-8")) for i in range(len(manifest["shards"]))
    ]
    pages = []
    for i in range(-(-manifest["pages"] // manifest["group"])):
        pages += json.loads((folder / f"pages/{i}.json").read_text(encoding="utf-8"))
    return {"manifest": manifest, "shards": shards, "pages": pages}


def postings(encoded: str) -> list[tuple[int, int]]:
    numbers = search.decode(encoded)
    out, page = [], 0
    for delta, weight in zip(numbers[::2], numbers[1::2], strict=True):
        page += delta
        out.append((page, weight))
    return out


def weights_of(found: dict, key: str) -> dict[str, int]:
    """Each page's weight for ``key``, by url, looked up as the browser does: the manifest names the shard."""
    shard = found["shards"][max(0, bisect.bisect_right(found["manifest"]["shards"], key) - 1)]
    entries = dict((k, v) for k, v in shard)
    return {found["pages"][page][0]: weight for page, weight in postings(entries.get(key, []))}


def test_shards_are_sorted_ranges_that_hold_every_key_once(site, monkeypatch):
    monkeypatch.setattr(search, "SHARD_BYTES", 60)  # many small shards from a small site
    site.write(
        "content/basics/first.md",
        article("First page", body="Bone pain can be eased. Walking, rest and medicines help with pain."),
    )
    assert site.run().code == 0
    found = index(site.site)
    firsts = found["manifest"]["shards"]
    assert len(firsts) > 3
    keys = [key for shard in found["shards"] for key, _ in shard]
    assert keys == sorted(set(keys))  # sorted across shards, each key once
    assert firsts == [shard[0][0] for shard in found["shards"]]
    for i, shard in enumerate(found["shards"]):
        for key, encoded in shard:
            assert bisect.bisect_right(firsts, key) - 1 == i, key
            assert encoded and all(n > 0 for _, n in postings(encoded)), key
    assert {"bone", "pain", "walk", "medicin", "first page"} <= set(keys)
    assert weights_of(found, "bone pain") == {}  # pairs come from the title, summary, points and headings only


def test_a_title_match_outranks_a_body_match(site):
    site.write("content/basics/first.md", article("Walking", body="Some text."))
    site.write("content/care/support.md", article("Support", body="Walking helps. Walking every day helps more."))
    assert site.run().code == 0
    walk = weights_of(index(site.site), "walk")
    assert walk["basics/first/"] > 2 * walk["care/support/"]


def test_pages_that_are_not_articles_count_half(site):
    site.write("content/basics/first.md", article("Walking", body="Walking helps."))
    site.write("content/walking.md", article("Walking", body="Walking helps."))
    site.write("content/care/support.md", article("Sheet", body="Walking helps.", sheet="true"))
    assert site.run().code == 0
    walk = weights_of(index(site.site), "walk")
    assert abs(walk["walking/"] - walk["basics/first/"] / 2) <= 1
    assert walk["care/support/"] < walk["basics/first/"]


def test_the_home_page_and_pages_for_editors_are_left_out(site):
    site.write(
        "content/editing.md",
        article(
            "How to edit", summary="For editors.", body="Zanzibar is a word only this page has.", audience="editors"
        ),
    )
    assert site.run().code == 0
    found = index(site.site)
    assert [page[0] for page in found["pages"]] == ["basics/first/", "care/support/"]
    assert found["manifest"]["pages"] == 2
    assert weights_of(found, "zanzibar") == {}
    assert site.site.joinpath("editing/index.html").is_file()  # still published


def test_pages_show_their_title_summary_and_section(site):
    assert site.run().code == 0
    found = index(site.site)
    assert found["manifest"]["sections"] == ["The basics", "Care"]
    assert found["pages"] == [
        ["basics/first/", "First page", "About first page.", 0],
        ["care/support/", "Support", "About support.", 1],
    ]


def test_a_site_with_nothing_to_search_has_an_empty_index(site):
    site.root.joinpath("content/basics/first.md").unlink()
    site.root.joinpath("content/care/support.md").unlink()
    site.write("content/index.md", article("Test guide", body="Nothing else yet."))
    assert site.run().code == 0
    manifest = json.loads(site.site.joinpath("search/index.json").read_text(encoding="utf-8"))
    assert (manifest["pages"], manifest["shards"]) == (0, [])
    assert sorted(p.name for p in site.site.joinpath("search").iterdir()) == ["index.html", "index.json"]


def test_the_index_is_the_same_bytes_in_every_build(site):
    """Built in separate processes with different hash seeds: set and dict order cannot leak into the files."""
    site.write("content/glossary.yaml", SEARCH_WORDS_GLOSSARY)
    site.write(
        "content/basics/first.md",
        article("First page", body="A tumor. Bone pain, bone scans and pain relief.", key_points=["Bone pain."]),
    )
    site.write("content/care/support.md", article("Support", body="Metastasis and pain."))
    digests = []
    for seed in ("1", "2"):
        out = site.root / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, str(REPO / "build.py"), "build", "--out", str(out)]
        result = subprocess.run(command, cwd=site.root, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        digests.append(tree_digest(out / "search"))
    assert digests[0] == digests[1]
    assert sorted(digests[0]) == ["index.html", "index.json", "pages/0.json", "terms/0.json"]


def test_postings_are_numbers_written_as_text():
    numbers = [0, 1, 31, 32, 1000, 2**40]
    assert search.encode(numbers[:5]) == "01VX0_8"
    assert search.decode(search.encode(numbers)) == numbers


def test_words_and_stems():
    assert search.words("Naïve HER2-positive; don\u2019t stop at the café, 4 a x") == [
        "naive",
        "her2",
        "positive",
        "don",
        "stop",
        "cafe",
        "4",
    ]
    assert search.keys("Tiredness and tired feet") == ["tired", "tire", "feet"]
    assert search.pairs(["bone", "pain", "relief"]) == ["bone pain", "pain relief"]


@pytest.mark.parametrize(("word", "stem"), sorted(STEMS.items()))
def test_the_stemmer_gives_the_shared_vectors(word, stem):
    """tests/search-stems.json: the paper's examples and some of the site's words; the browser gives the same."""
    assert search.stem(word) == stem


# The glossary's search words.

SEARCH_WORDS_GLOSSARY = """\
Tumor:
  definition: A lump of cells that grow out of control.
  aliases: [tumors, tumour]
  search_words: [lump, growth in the breast]
Metastasis:
  definition: The spread of cancer to another part of the body.
"""


def test_search_words_lead_to_the_pages_that_use_the_term_and_are_never_linked(site):
    site.write("content/glossary.yaml", SEARCH_WORDS_GLOSSARY)
    site.write("content/basics/first.md", article("First page", body="A tumor. Then a lump."))
    site.write("content/care/support.md", article("Support", body="Metastasis."))
    run_ = site.run()
    assert run_.code == 0, run_.err
    assert "warning" not in run_.err  # search words need not appear in any article
    found = index(site.site)
    assert set(weights_of(found, "lump")) == {"basics/first/"}
    assert set(weights_of(found, "growth")) == {"basics/first/"}
    assert set(weights_of(found, "growth breast")) == {"basics/first/"}  # pairs of a search word's words
    html = site.page("basics/first")
    assert 'class="term"' in html and ">lump</a>" not in html


def test_search_words_are_not_part_of_what_a_clinical_review_approves(site):
    """They only lead readers to a page; adding one must not mark reviewed pages as changed."""
    site.write("content/glossary.yaml", SEARCH_WORDS_GLOSSARY)
    site.write("content/basics/first.md", article("First page", body="A tumor."))
    result = run(load_config(site.root / "config.yaml"), write=False)
    page = next(p for p in result.site.pages if p.url == "basics/first/")
    assert page.terms[0].search_words == ("lump", "growth in the breast")
    assert page.material.entries["terms"]["Tumor"] == {
        "name": "Tumor",
        "anchor": "tumor",
        "definition": "A lump of cells that grow out of control.",
        "aliases": ["tumors", "tumour"],
        "match_case": False,
    }


def test_search_word_mistakes(site):
    site.write(
        "content/glossary.yaml",
        """\
Tumor:
  definition: A lump of cells.
  aliases: [tumors]
  search_words: [lump, Tumors, metastases, growth, LUMP]
Metastasis:
  definition: The spread of cancer.
  aliases: [metastases]
Biopsy:
  definition: Taking a small piece of tissue.
  search_words: tissue sample
""",
    )
    site.write("content/basics/first.md", article("First page", body="A tumor, a biopsy and metastasis."))
    assert site.problems() == [
        'content/glossary.yaml:4: error [glossary-duplicate] "Tumor" lists the search word "LUMP" twice. Remove one '
        "of them.",
        'content/glossary.yaml:4: error [glossary-duplicate] the search word "Tumors" of "Tumor" is already its name '
        "or an alias, which search finds anyway. Remove it from search_words.",
        'content/glossary.yaml:4: error [glossary-duplicate] the search word "metastases" of "Tumor" is the name or '
        'an alias of the term "Metastasis", which search finds by it. Remove it from search_words.',
        'content/glossary.yaml:10: error [schema-value] "search_words" must be a list, with each item on its own '
        "line starting with '- '.",
    ]


def test_search_word_mistakes_are_reported_on_their_own_line(site):
    site.write(
        "content/glossary.yaml",
        "Tumor:\n  definition: A lump of cells.\n  search_words:\n    - lump\n    - tumor\n",
    )
    site.write("content/basics/first.md", article("First page", body="A tumor."))
    assert site.problems() == [
        'content/glossary.yaml:5: error [glossary-duplicate] the search word "tumor" of "Tumor" is already its name '
        "or an alias, which search finds anyway. Remove it from search_words.",
    ]


def test_two_terms_may_share_a_search_word(site):
    site.write(
        "content/glossary.yaml",
        "Edema:\n  definition: Swelling.\n  search_words: [swollen]\n"
        "Lymphedema:\n  definition: Swelling of an arm.\n  search_words: [swollen]\n",
    )
    site.write("content/basics/first.md", article("First page", body="Edema and lymphedema.", reviewed=REVIEWED))
    assert site.problems() == []
