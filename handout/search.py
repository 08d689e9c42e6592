"""The search index: built at build time from the site model, in pieces, so that searching needs no server, no
request to another host, and only a small part of the index for any one query.

What the build writes, under ``search/`` (every file JSON, keys sorted, the same bytes for the same site):

- ``index.json``, the manifest: the format ``version``, an ``id`` of this build's index (the browser adds it to
  the addresses of the other files, so that a cached file from an older build is never mixed with a newer
  manifest), the number of ``pages``, ``group`` (pages per metadata file), the ``sections``' titles, and
  ``shards``: the first key of each term shard, in order.
- ``terms/N.json``, the term shards: ``[[key, postings], ...]`` with the keys in sorted order, cut into files of
  at most ``SHARD_BYTES`` (a key bigger than that has a file of its own), so a word, or the start of one, is looked
  up in the one shard whose range holds it. A key is a stemmed word ("chemotherapi") or two neighbouring stemmed
  words ("bone pain"). Its postings are the numbers page, weight, page, weight... written as text by ``encode``
  (mostly one character a number): pages in increasing order, each as the difference from the one before, and
  weights as whole numbers, already ranked (below), so the browser only adds them up.
- ``pages/N.json``, what a result shows: ``[[url, title, summary, section], ...]`` for pages ``N * group`` to
  ``N * group + group - 1``; ``section`` indexes the manifest's ``sections`` (-1 for none).

Ranking, done here rather than in the browser: BM25 per field (k1 1.2, b 0.75), each field weighted (the title
most, then the summary, neighbouring-word pairs, key points, headings, the glossary words the page uses, the body),
summed, times the page's own weight (pages that are not articles, and sheets, below the articles), stored as
``round(score * SCALE)``. Words are folded to lowercase ASCII letters and digits, small words dropped, and every
word stemmed with the Porter stemmer below; ``static/js/search.js`` does exactly the same to what the reader types
(tests/browser/test_search.py checks that the two agree, on every word of the site's content). The stemmer is
written here and there rather than taken from lunr: the Python lunr package and lunr.js, meant to be ports of one
algorithm, stem words ending in "y" differently ("day", "dry": 43 of the site's 3,271 words).

Why our own index, rather than lunr or Pagefind: lunr's index is one file the browser loads whole before the first
result (876 kB for 49 pages), and building it was a third of the build. Pagefind splits its index as this one
does, but its search runs as WebAssembly, which needs 'wasm-unsafe-eval' in the Content-Security-Policy (see
``security.py``: ours allows the site's own scripts and nothing else), and it indexes the built HTML with its own
binary. This index is built from the site model, so we choose what patients' words match: fields weighted, the
glossary's terms with their aliases and ``search_words`` (the plain words readers type for them, such as "tired"
for Fatigue), no citation marks. It needs no WebAssembly, no binary and no third-party code. Each page's word
counts are made from that page alone (only the idf and the average field lengths are site-wide). The files are kept
in the build cache under a digest of what they index, so a change to templates or styles does not weigh them again.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .cores import keep, recall
from .model import Page, Site
from .parsecache import engine_digest
from .reader import EDITORS, PageKind
from .urls import SEARCH_URL

VERSION = 1  # of the files' format: static/js/search.js reads this one
# How much a word in each field counts. Pairs are neighbouring words from the title, summary, key points, headings
# and glossary words: patients type phrases, and "bone pain" should find the bone page first.
BOOSTS = {"title": 10, "summary": 4, "pairs": 4, "points": 3, "headings": 3, "terms": 2, "body": 1}
K1, B = 1.2, 0.75
SCALE = 10  # weights are stored as whole numbers: round(score * SCALE), at least 1
# Pages that are not articles still turn up, but below the articles that explain the topic.
LOWER_WEIGHT = 0.5
SHARD_BYTES = 24_000  # a shard's size at most, unless one key is bigger (a key's postings are never split)
PAGES_PER_FILE = 5  # pages' metadata per file: small files, since a query's results are spread over the site

# One word an item, as the formatter would write them, would make these lists ten times as long to read.
# fmt: off
STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "has", "have", "how", "i",
    "if", "in", "is", "it", "its", "may", "of", "on", "or", "so", "that", "the", "their", "them", "they", "this",
    "to", "was", "what", "when", "which", "who", "will", "with", "you", "your",
))
# fmt: on


@dataclass(frozen=True)
class SearchDocument:
    url: str
    title: str
    summary: str
    section: str | None
    weight: float
    # What is indexed: field name -> its texts, kept apart so that no pair joins the end of one to the next.
    fields: dict[str, tuple[str, ...]]


def searchable(page: Page) -> bool:
    """Every page but the home page (it only lists the others) and pages written for editors."""
    return bool(page.url) and page.meta.audience != EDITORS


def documents(site: Site) -> Iterator[SearchDocument]:
    """One page's document at a time: held together, their bodies' text would be a big site's largest object."""
    return (_document(page) for page in site.pages if searchable(page))


def _document(page: Page) -> SearchDocument:
    terms = tuple(word for term in page.terms for word in (*term.forms, *term.search_words))
    is_article = page.source.kind is PageKind.ARTICLE and not page.meta.sheet
    return SearchDocument(
        url=page.url,
        title=page.meta.title,
        summary=page.meta.summary,
        section=_section(page),
        weight=1.0 if is_article else LOWER_WEIGHT,
        fields={
            "title": (page.meta.title,),
            "summary": (page.meta.summary,),
            "points": tuple(page.meta.key_points),
            "headings": tuple(h.text for h in page.headings),
            "terms": terms,
            "body": (body_text(page.html),),
        },
    )


def _section(page: Page) -> str | None:
    return page.section.section.title if page.section else None


_CITATION = re.compile(r"<sup\b[^>]*>.*?</sup>", re.S)  # citation and footnote marks: numbers, not words
_TAG = re.compile(r"<[^>]*>")


def body_text(fragment: str) -> str:
    """The words a reader sees in a page's body (its HTML, as the site model holds it)."""
    return html.unescape(_TAG.sub(" ", _CITATION.sub(" ", fragment)))


# Words. static/js/search.js has the same rules: change both together.

_WORD = re.compile(r"[a-z0-9]+")
_MARKS = re.compile(r"[\u0300-\u036f]")


def _fold(text: str) -> str:
    text = text.lower()
    return text if text.isascii() else _MARKS.sub("", unicodedata.normalize("NFKD", text))


def _searchable(word: str) -> bool:
    return word not in STOP_WORDS and (len(word) > 1 or word.isdigit())


def words(text: str) -> list[str]:
    """The searchable words of a text, unstemmed: lowercase, accents dropped, split at anything but a letter or a
    digit, without small words and single letters."""
    return [w for w in _WORD.findall(_fold(text)) if _searchable(w)]


def keys(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def key_counts(text: str) -> Counter[str]:
    """How many times each key is in a text: ``Counter(keys(text))``, stemming each word once (for long texts)."""
    counts: Counter[str] = Counter()
    for word, n in Counter(_WORD.findall(_fold(text))).items():
        if _searchable(word):
            counts[stem(word)] += n
    return counts


def pairs(stems: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in itertools.pairwise(stems)]


# The Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980), written from the
# paper's rules with the two changes Porter made later in his own reference version (step 2: "bli" for "abli",
# and "logi"). static/js/search.js has the same code; tests/search-stems.json holds words and the stems both must
# give.

_STEP2 = {
    "ational": "ate",
    "tional": "tion",
    "enci": "ence",
    "anci": "ance",
    "izer": "ize",
    "bli": "ble",
    "alli": "al",
    "entli": "ent",
    "eli": "e",
    "ousli": "ous",
    "ization": "ize",
    "ation": "ate",
    "ator": "ate",
    "alism": "al",
    "iveness": "ive",
    "fulness": "ful",
    "ousness": "ous",
    "aliti": "al",
    "iviti": "ive",
    "biliti": "ble",
    "logi": "log",
}
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}
# Step 4's suffixes, removed when what is left has m > 1 ("ion" only after s or t).
# fmt: off
_STEP4 = (
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
    "ous", "ive", "ize",
)
# fmt: on


def _consonants(word: str) -> list[bool]:
    """For each letter, whether it is a consonant: not a, e, i, o or u, and not a y after a consonant."""
    kinds: list[bool] = []
    for i, letter in enumerate(word):
        kinds.append(letter not in "aeiou" and not (letter == "y" and i > 0 and kinds[i - 1]))
    return kinds


def _measure(stem: str) -> int:
    """m in [C](VC)^m[V]: how many times a vowel is followed by a consonant."""
    kinds = _consonants(stem)
    return sum(1 for i in range(1, len(kinds)) if kinds[i] and not kinds[i - 1])


def _has_vowel(stem: str) -> bool:
    return not all(_consonants(stem))


def _double_consonant(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and _consonants(word)[-1]


def _cvc(stem: str) -> bool:
    """Ends consonant, vowel, consonant, the last not w, x or y (hop, not hoop or snow)."""
    if len(stem) < 3 or stem[-1] in "wxy":
        return False
    kinds = _consonants(stem)
    return kinds[-3] and not kinds[-2] and kinds[-1]


def _longest(word: str, suffixes: Iterable[str]) -> str | None:
    found = [s for s in suffixes if word.endswith(s)]
    return max(found, key=len) if found else None


_stems: dict[str, str] = {}


def stem(word: str) -> str:
    """The Porter stem of a lowercase word: "tiredness" -> "tired", "chemotherapy" -> "chemotherapi"."""
    found = _stems.get(word)
    if found is None:
        found = _stems[word] = _stem(word) if len(word) > 2 else word
    return found


def _stem(w: str) -> str:
    # Step 1a: plurals.
    if w.endswith("sses") or w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    # Step 1b: -ed and -ing.
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    else:
        for suffix in ("ed", "ing"):
            if w.endswith(suffix) and _has_vowel(w[: -len(suffix)]):
                w = w[: -len(suffix)]
                if w.endswith(("at", "bl", "iz")):
                    w += "e"
                elif _double_consonant(w) and w[-1] not in "lsz":
                    w = w[:-1]
                elif _measure(w) == 1 and _cvc(w):
                    w += "e"
                break
    # Step 1c: y to i.
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    # Steps 2 and 3: double suffixes to single ones.
    for table in (_STEP2, _STEP3):
        suffix = _longest(w, table)
        if suffix and _measure(w[: -len(suffix)]) > 0:
            w = w[: -len(suffix)] + table[suffix]
    # Step 4: suffixes removed.
    suffix = _longest(w, _STEP4)
    if suffix:
        rest = w[: -len(suffix)]
        if _measure(rest) > 1 and (suffix != "ion" or rest.endswith(("s", "t"))):
            w = rest
    # Step 5: a final e, and a final double l.
    if w.endswith("e"):
        rest = w[:-1]
        m = _measure(rest)
        if m > 1 or (m == 1 and not _cvc(rest)):
            w = rest
    if w.endswith("ll") and _measure(w) > 1:
        w = w[:-1]
    return w


# Weights.


@dataclass(frozen=True)
class _Counts:
    """One page's key counts, field by field, packed as numbers: every page is counted before any is weighed (the
    weights need the site's average field lengths and how many pages hold each key), and as a Counter for each of
    a page's fields, a big site's counts would take more memory than all the rest of its model."""

    keys: array  # key numbers, field after field in BOOSTS' order
    counts: array  # how many times each key is in its field
    ends: tuple[int, ...]  # where each field's keys end
    weight: float


def _count(doc: SearchDocument, vocabulary: dict[str, int]) -> _Counts:
    fields: dict[str, Counter[str]] = {name: Counter() for name in BOOSTS}
    for name, texts in doc.fields.items():
        for text in texts:
            if name == "body":
                fields[name].update(key_counts(text))
                continue
            found = keys(text)
            fields[name].update(found)
            fields["pairs"].update(pairs(found))
    packed, counts, ends = array("I"), array("I"), []
    for counter in fields.values():
        packed.extend(vocabulary.setdefault(key, len(vocabulary)) for key in counter)
        counts.extend(counter.values())
        ends.append(len(packed))
    return _Counts(packed, counts, tuple(ends), doc.weight)


def weights(docs: Iterable[SearchDocument]) -> dict[str, array]:
    """Every key with its pages (numbered in the order of ``docs``) and their weights, in turn: page, weight,
    page, weight..."""
    vocabulary: dict[str, int] = {}  # each key's number, in order of first use
    counted = [_count(doc, vocabulary) for doc in docs]
    lengths = [0] * len(BOOSTS)
    frequency = [0] * len(vocabulary)  # how many pages hold each key
    for page in counted:
        start = 0
        for field, end in enumerate(page.ends):
            lengths[field] += sum(page.counts[start:end])
            start = end
        for key in set(page.keys):
            frequency[key] += 1
    average = [length / len(counted) if counted else 0 for length in lengths]
    idf = [math.log(1 + (len(counted) - n + 0.5) / (n + 0.5)) for n in frequency]
    postings = [array("I") for _ in vocabulary]
    for number, page in enumerate(counted):
        scale = page.weight * SCALE
        for key, score in _scores(page, average).items():
            postings[key].extend((number, int(score * idf[key] * scale + 0.5) or 1))
    return {key: postings[number] for key, number in vocabulary.items()}


def _scores(page: _Counts, average: list[float]) -> dict[int, float]:
    """BM25 for each field, times its boost, summed over the fields."""
    scores: dict[int, float] = {}
    get = scores.get
    start = 0
    for field, (boost, end) in enumerate(zip(BOOSTS.values(), page.ends, strict=True)):
        counts = page.counts[start:end]
        if counts:
            norm = K1 * (1 - B + B * sum(counts) / average[field])
            for key, tf in zip(page.keys[start:end], counts, strict=True):
                scores[key] = get(key, 0.0) + boost * (K1 + 1) * tf / (norm + tf)
        start = end
    return scores


# Files.


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


# Numbers as text: base 32, most significant digit first, each digit one of 64 characters that JSON writes as they
# are; the first 32 end a number, the other 32 say more digits follow. A number under 32 takes one character.
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def _code(n: int) -> str:
    digits = [DIGITS[n & 31]]
    n >>= 5
    while n:
        digits.append(DIGITS[32 + (n & 31)])
        n >>= 5
    return "".join(reversed(digits))


_CODES = [_code(n) for n in range(32 * 32)]  # every number of one or two characters, written once


def encode(numbers: Iterable[int]) -> str:
    return "".join(_CODES[n] if n < 1024 else _code(n) for n in numbers)


def decode(text: str) -> list[int]:
    numbers, n = [], 0
    for char in text:
        digit = DIGITS.index(char)
        n = n * 32 + (digit & 31)
        if digit < 32:
            numbers.append(n)
            n = 0
    return numbers


def _encoded(postings: Sequence[int]) -> str:
    """page, weight, page, weight... as the differences between pages and the weights, in turn."""
    numbers, previous = [], 0
    for page, weight in zip(postings[::2], postings[1::2], strict=True):
        numbers += (page - previous, weight)
        previous = page
    return encode(numbers)


def search_files(site: Site, cache: Path | None = None) -> list[tuple[str, bytes]]:
    """The manifest, the term shards and the pages' metadata, as (path in the output folder, bytes). Weighing
    every word of every page is most of the cost, and the files depend on nothing but the documents, the pages
    listed, the sections and this code: they are kept in ``cache`` under a digest of those (see
    handout/parsecache.py on the cache). The digest reads the documents one at a time, as weighing does."""
    listed = [(page.url, page.meta.title, page.meta.summary, _section(page)) for page in site.pages if searchable(page)]
    sections = [index.section.title for index in site.sections]
    if cache is None:
        return _files(site, listed, sections)
    digest = hashlib.sha256(f"{engine_digest()}\n{listed!r}\n{sections!r}".encode())
    for doc in documents(site):
        digest.update(repr(doc).encode())
    path = cache / "search" / f"{digest.hexdigest()}.json"
    kept = recall(path)
    if kept is not None:
        return [(name, text.encode("utf-8")) for name, text in json.loads(kept)]
    files = _files(site, listed, sections)
    keep(path, json.dumps([[name, data.decode("utf-8")] for name, data in files], ensure_ascii=False))
    return files


def _files(site: Site, listed: list[tuple[str, str, str, str | None]], sections: list[str]) -> list[tuple[str, bytes]]:
    postings = weights(documents(site))
    shards: list[list[tuple[str, bytes]]] = [[]]
    size = 0
    for key in sorted(postings):
        entry = _json([key, _encoded(postings[key])])
        if shards[-1] and size + len(entry) > SHARD_BYTES:  # a key too big for any shard has one of its own
            shards.append([])
            size = 0
        shards[-1].append((key, entry))
        size += len(entry) + 1
    shards = [shard for shard in shards if shard]
    files = [(f"terms/{i}.json", b"[" + b",".join(e for _, e in shard) + b"]") for i, shard in enumerate(shards)]
    number = {title: i for i, title in enumerate(sections)}
    for start in range(0, len(listed), PAGES_PER_FILE):
        group = listed[start : start + PAGES_PER_FILE]
        shown = [[url, title, summary, number.get(section, -1)] for url, title, summary, section in group]
        files.append((f"pages/{start // PAGES_PER_FILE}.json", _json(shown)))
    fingerprint = hashlib.sha256()
    for path, data in files:
        fingerprint.update(f"{path}\0{len(data)}\0".encode() + data)
    manifest = {
        "version": VERSION,
        "id": fingerprint.hexdigest()[:16],
        "pages": len(listed),
        "group": PAGES_PER_FILE,
        "sections": sections,
        "shards": [shard[0][0] for shard in shards],
    }
    return [(SEARCH_URL + "index.json", _json(manifest))] + [(SEARCH_URL + path, data) for path, data in files]
