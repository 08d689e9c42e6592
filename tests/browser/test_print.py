"""Pages printed from Chromium on A4 and Letter, read back with poppler's pdftotext.

Every article and every section's printable page is loaded once and printed once on each paper, in batches that the
test workers share out (``printouts``); every check then reads those PDFs and what the page said about itself while
it printed (its type sizes, its write-in rows). How many sheets each one takes is recorded in tests/print-sheets.json,
with a fingerprint of its text: a page whose text has not changed may not take more sheets than recorded, and a new
or changed one is held to the fill rule until the record is rewritten. After a deliberate change, rewrite it with

    UPDATE_PRINT_SHEETS=1 .venv/bin/python -m pytest tests/browser/test_print.py -k sheet_counts

and commit it with the change (its diff shows the counts that moved).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import subprocess
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Page
from project import REPO, build_real_site, serve

from handout.config import load_config
from handout.render import long_date

PAPERS = ("A4", "Letter")
PARTS = ("articles", "sections")
HELP_PAGE = "symptoms/when-to-get-help-now/"
HANDOVER_SHEET = "living-with-stage-4/handover-sheet/"
RECORD = REPO / "tests" / "print-sheets.json"
UPDATE = "UPDATE_PRINT_SHEETS"
PX_PER_PT = 96 / 72
PT_PER_MM = 72 / 25.4

# What a page says about itself while it prints: its smallest type (CSS px) for body text, the word list and the
# sources; the first word definition and source it lists (which must reach the paper: folded end matter prints open);
# and the height (CSS px) of each table row left blank to write in.
SELF_REPORT = """() => {
  const shown = el => el.getClientRects().length > 0;
  const smallest = selector => {
    const sizes = [...document.querySelectorAll(selector)].filter(shown)
      .map(el => parseFloat(getComputedStyle(el).fontSize));
    return sizes.length ? Math.min(...sizes) : null;
  };
  const text = selector => ([...document.querySelectorAll(selector)].find(shown)?.textContent || '')
    .split(/\\s+/).join(' ').trim();
  return {
    title: document.querySelector('h1').innerText,
    body: smallest(['.article-header .summary', '.article-body p', '.article-body li', '.article-body td',
                    '.article-body th', '.key-points li', '.questions li'].join(', ')),
    words: smallest('.words dt, .words dd'),
    sources: smallest('.sources li'),
    first_word: text('.words dd'),
    first_source: text('.sources li cite'),
    rows: [...document.querySelectorAll('tr')].filter(row => row.querySelector('td:empty'))
      .map(row => row.getBoundingClientRect().height),
  };
}"""


@dataclass(frozen=True)
class Printout:
    path: str  # from the site's root: "treatments/chemotherapy/", "treatments/print/"
    paper: str
    url: str  # where it was printed from
    sheets: int
    lines: list[list[list]]  # per sheet, its lines of text as [top, bottom, text] in points, the footer left out
    footers: list[str]  # per sheet, the footer print.js writes in its bottom margin
    fill: list[float]  # per sheet, how far down its printable height its lowest line of text reaches (0 to 1)
    title: str
    body: float | None
    words: float | None
    sources: float | None
    first_word: str
    first_source: str
    rows: list[float]

    @property
    def text(self) -> str:
        """All its text, words separated by single spaces, footers left out."""
        return " ".join(line[2] for sheet in self.lines for line in sheet)

    def sheet_text(self, number: int) -> str:
        return " ".join(line[2] for line in self.lines[number - 1])


def printable(built: Path) -> dict[str, list[str]]:
    """Every article, and every section's printable page."""
    pages = sorted(p.parent.relative_to(built).as_posix() + "/" for p in built.glob("*/*/index.html"))
    return {
        "articles": [p for p in pages if not p.endswith("/print/")],
        "sections": [p for p in pages if p.endswith("/print/")],
    }


def read_pdf(pdf: Path) -> tuple[list[list[list]], list[str], list[float]]:
    """Each sheet's lines of text, its footer, and how full it is. Words come in the order Chromium wrote them, which
    is the reading order (a column before the next, a box before the one beside it); a line ends where the next word
    goes back to the left or leaves the line's height."""
    words = subprocess.run(
        ["pdftotext", "-raw", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    sheets = ElementTree.fromstring(words).findall(".//x:page", ns)
    lines, footers, bottoms = [], [], []
    for number, sheet in enumerate(sheets, 1):
        found: list[list] = []  # [top, bottom, text, left, right of the last word]
        for word in sheet.findall("x:word", ns):
            left, top, right, bottom = (float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            line = found[-1] if found else None
            if line and left >= line[4] - 1 and top < line[1] and bottom > line[0]:
                line[0], line[1] = min(line[0], top), max(line[1], bottom)
                line[2] += " " + (word.text or "")
                line[4] = right
            else:
                found.append([top, bottom, word.text or "", left, right])
        # The footer print.js adds: the sheet's number at the top right of the bottom margin, and from the same
        # height down on the left, the page's address and dates.
        marker = f"Page {number} of {len(sheets)}"
        footer = next((line for line in found if line[2].endswith(marker)), None)
        below = [footer is not None and line[0] >= footer[0] - 1 for line in found]
        lines.append([line[:3] for line, low in zip(found, below, strict=True) if not low])
        footers.append(" ".join(line[2] for line, low in zip(found, below, strict=True) if low))
        # The printable area ends where the bottom margin, which holds the footer 3 mm below its top, begins.
        height = float(sheet.get("height"))
        bottoms.append(footer[0] - 3 * PT_PER_MM if footer else height - 12 * PT_PER_MM)
    top = min((line[0] for sheet in lines for line in sheet), default=0.0)
    fill = [
        (max(line[1] for line in sheet) - top) / (bottom - top) if sheet else 0.0
        for sheet, bottom in zip(lines, bottoms, strict=True)
    ]
    return lines, footers, fill


# The face print.css asks for first. Without it Chromium prints in a wider one and the recorded sheet counts, the
# help page's two sheets and the handover sheet's one no longer hold: say so, rather than fail in puzzling ways.
TYPEFACE = "DejaVuSansCondensed"


def check_typeface(pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    if TYPEFACE not in fonts:
        pytest.fail(
            f"Pages print without {TYPEFACE}, the face the print tests measure sheets with. Install it "
            "(Debian: apt-get install fonts-dejavu-extra) and run the tests again."
        )


def print_all(page: Page, site_url: str, paths: list[str], folder: Path) -> list[dict]:
    """Each page loaded once, and printed on each paper."""
    printed = []
    page.emulate_media(media="print")
    for path in paths:
        page.goto(site_url + path)
        report = page.evaluate(SELF_REPORT)
        for paper in PAPERS:
            pdf = folder / f"{path.strip('/').replace('/', '_')}-{paper}.pdf"
            page.pdf(path=str(pdf), format=paper)
            if not printed:
                check_typeface(pdf)
            lines, footers, fill = read_pdf(pdf)
            printout = Printout(path, paper, site_url + path, len(lines), lines, footers, fill, **report)
            printed.append(asdict(printout))
    return printed


def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder all the test workers of this run share (each has its own temporary folder inside its parent)."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    base = tmp_path_factory.getbasetemp()
    folder = base.parent / f"{name}-{run}" if run else base / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def locked(path: Path) -> Iterator[None]:
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# The pages are printed in batches the test workers share out: the articles in halves, and the sections.
BATCHES = {"articles": ("articles-1", "articles-2"), "sections": ("sections",)}


@pytest.fixture(scope="session")
def printouts(browser, built_site: Path, site_url: str, tmp_path_factory) -> Callable[[str, str], list[Printout]]:
    """``printouts(paper, part)``: every page of the part printed on the paper. Each batch is printed once in the whole
    run, by the first worker to need it, while any other that needs it waits; workers start on different batches."""
    shared = shared_folder(tmp_path_factory, "printouts")
    pages = printable(built_site)
    half = (len(pages["articles"]) + 1) // 2
    batches = {
        "articles-1": pages["articles"][:half],
        "articles-2": pages["articles"][half:],
        "sections": pages["sections"],
    }
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    cache: dict[str, list[Printout]] = {}

    def batch(name: str) -> list[Printout]:
        if name not in cache:
            folder = shared / name
            folder.mkdir(exist_ok=True)
            done = folder / "printouts.json"
            with locked(folder / "lock"):
                if not done.exists():
                    page = browser.new_page()
                    done.write_text(json.dumps(print_all(page, site_url, batches[name], folder)))
                    page.close()
            cache[name] = [Printout(**p) for p in json.loads(done.read_text())]
        return cache[name]

    def get(paper: str, part: str) -> list[Printout]:
        names = BATCHES[part]
        start = worker % len(names)
        for name in names[start:] + names[:start]:
            batch(name)
        return sorted((p for name in names for p in cache[name] if p.paper == paper), key=lambda p: p.path)

    return get


def by_path(printed: list[Printout]) -> dict[str, Printout]:
    return {p.path: p for p in printed}


EVERY_PRINTOUT = [pytest.param(paper, part, id=f"{paper}-{part}") for paper in PAPERS for part in PARTS]
NAVIGATION = (
    "Skip to main content",
    "Search this guide",
    "More in ",
    "Related pages",
    "Pages that link here",
    "On this page",
    "Print this page",
    "Life-threatening emergency",  # the help page's tap-to-call button
    "+ Words to know",  # the sign of a fold
    "+ Sources",
)


@pytest.mark.parametrize("paper", PAPERS)
def test_every_article_prints_as_a_clean_handout(printouts, paper: str):
    printed_on = long_date(dt.date.today(), load_config(REPO / "config.yaml").language)
    problems = []
    for printout in printouts(paper, "articles"):
        flat = printout.text
        solid = "".join(flat.split())  # a long address may wrap across printed lines
        address = "".join(printout.url.split())
        checks = {
            "starts with its title": flat.startswith(printout.title),
            "has its address": address in solid,
            "says when it was checked": "Content last checked" in flat,
            "says when it was printed": f"Printed on: {printed_on}" in flat,
            "lists its sources": "Sources" in flat and "Accessed" in flat,
            "prints its sources open": "".join(printout.first_source.split()) in solid,
            "prints its words open": "".join(printout.first_word.split()) in solid,
            "says it awaits clinical review": "Awaiting clinical review" in flat,
            "has no navigation": not any(chrome in flat for chrome in NAVIGATION),
            "numbers every sheet with its address": all(
                f"Page {n} of {printout.sheets}" in footer and address in "".join(footer.split())
                for n, footer in enumerate(printout.footers, 1)
            ),
        }
        problems += [f"{printout.path} on {paper}: no, it {what}" for what, ok in checks.items() if not ok]
    assert problems == []


@pytest.mark.parametrize(("paper", "part"), EVERY_PRINTOUT)
def test_type_on_paper_is_large_enough(printouts, paper: str, part: str):
    """Body text at least 12pt, the word list at least 10pt, sources at least 8pt."""
    problems = []
    for printout in printouts(paper, part):
        for what, size, least in (
            ("body text", printout.body, 12),
            ("word list", printout.words, 10),
            ("sources", printout.sources, 8),
        ):
            if size is not None and size < least * PX_PER_PT - 0.01:
                problems.append(f"{printout.path} on {paper}: {what} at {size / PX_PER_PT:.1f}pt, under {least}pt")
    assert problems == []


@pytest.mark.parametrize(("paper", "part"), EVERY_PRINTOUT)
def test_every_sheet_but_the_last_is_at_least_a_third_full(printouts, paper: str, part: str):
    """No near-empty cover, no mostly blank sheet between articles or before a box kept whole."""
    problems = [
        f"{printout.path} on {paper}: sheet {n} of {printout.sheets} is only {fill:.0%} full"
        for printout in printouts(paper, part)
        for n, fill in enumerate(printout.fill[:-1], 1)
        if fill < 1 / 3
    ]
    assert problems == []


@pytest.mark.parametrize("paper", PAPERS)
def test_the_help_page_prints_on_two_sheets_with_its_emergency_first(printouts, paper: str):
    printout = by_path(printouts(paper, "articles"))[HELP_PAGE]
    assert printout.sheets <= 2, (
        f"{HELP_PAGE} takes {printout.sheets} sheets of {paper}; it must fit on 2. Shorten it, or see the help page's "
        "rules in static/css/print.css (the editors' guide says which paragraphs paper leaves out)."
    )
    first = [line[2] for line in printout.lines[0]]
    assert first[0] == "When to get help now"
    assert "Call 911 now" in first and any(line.startswith("EMERGENCY Signs of a life") for line in first), first
    # What paper leaves out, it says it leaves out; the sources, review status, dates and address stay.
    flat = printout.text
    assert "This printout is the short form of the page" in flat
    assert "Sources" in flat and "Recognizing medical emergencies" in flat
    assert "Content last checked" in flat and "Awaiting clinical review" in flat


@pytest.mark.parametrize("paper", PAPERS)
def test_the_handover_sheet_prints_on_one_sheet_with_rows_to_write_in(printouts, paper: str):
    printout = by_path(printouts(paper, "articles"))[HANDOVER_SHEET]
    assert printout.sheets == 1, f"{HANDOVER_SHEET} takes {printout.sheets} sheets of {paper}; it must fit on one"
    text = printout.text
    for part in (
        "Medicines now",
        "Side effects to watch for",
        "Who to call",
        "Urgent symptoms, night and weekends",
        "Fever",
        "Call 911 now",
        "24-hour number now, day or night",
        "Sources",
        "not medical advice",
    ):
        assert part.lower() in text.lower(), part
    for chrome in ("Skip to main content", "Key points", "Words to know", "Previous", "More in "):
        assert chrome not in text, chrome
    # Blank rows at least 8 mm tall: as laid out, and as printed (from one printed label to the next).
    assert len(printout.rows) >= 8 and min(printout.rows) >= 8 * 96 / 25.4, printout.rows
    tops = {line[2]: line[0] for line in printout.lines[0]}
    pitch = tops["Urgent symptoms, night and weekends"] - tops["Urgent symptoms, day"]
    assert pitch >= 8 * PT_PER_MM, f"{pitch / PT_PER_MM:.1f} mm"


class _Sources(HTMLParser):
    """The entries of the source lists of a built page: each one's text and address, without its links back."""

    def __init__(self):
        super().__init__()
        self.entries: list[str] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and (attrs.get("id") or "").rpartition("-")[0].endswith("source"):
            self.inside = True
            self.entries.append("")
        elif self.inside and tag == "span" and attrs.get("class") == "cited-at":
            self.inside = False
        elif self.inside and tag == "a":
            self.entries[-1] += f" <{attrs.get('href')}> "

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "li"

    def handle_data(self, data):
        if self.inside:
            self.entries[-1] += data


def sources(html: str) -> list[str]:
    parser = _Sources()
    parser.feed(html)
    return [" ".join(entry.split()) for entry in parser.entries]


def title(html: str) -> str:
    """The first article title in a built page's markup (its h1, or its h2 once nested), as printed."""
    return unescape(html.split('page-title">', 1)[1].split("</h", 1)[0])


# For each mark in the text of a section's printable page: the number it shows, and the place in the shared source
# list of the entry it links to (0 when there is no such entry).
CITATION_MARKS = """() => {
  const list = [...document.querySelectorAll('section.sources ol > li')];
  return [...document.querySelectorAll('main a[href^="#"]')]
    .filter(a => /^#(.*-)?source-\\d+$/.test(a.getAttribute('href')))
    .map(a => ({
      href: a.getAttribute('href'),
      shows: [...a.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join('').trim(),
      listed: list.findIndex(li => '#' + li.id === a.getAttribute('href')) + 1,
    }));
}"""


@pytest.mark.parametrize("paper", PAPERS)
def test_a_section_prints_as_one_document_with_one_word_list_and_one_source_list(
    printouts, page: Page, built_site: Path, site_url: str, paper: str
):
    problems = []
    for printout in printouts(paper, "sections"):
        section = printout.path.removesuffix("print/")
        articles = sorted(p.parent for p in (built_site / section).glob("*/index.html") if p.parent.name != "print")
        html = {a.name: (a / "index.html").read_text(encoding="utf-8") for a in articles}
        built = (built_site / printout.path / "index.html").read_text(encoding="utf-8")
        lines = [line[2] for sheet in printout.lines for line in sheet]
        if lines.count("Words to know") != 1 or lines.count("Sources") != 1:
            problems.append(
                f"{printout.path} on {paper}: {lines.count('Words to know')} word lists and "
                f"{lines.count('Sources')} source lists"
            )
        for name, article in html.items():
            if title(article) not in printout.text:
                problems.append(f"{printout.path} on {paper}: {name} is missing")
        # The section's title and introduction flow into its first article: no cover sheet.
        first = title(built.split('class="collection-item"', 1)[1])
        if first not in printout.sheet_text(1):
            problems.append(f"{printout.path} on {paper}: its first article, {first}, is not on its first sheet")
        if paper != PAPERS[0]:
            continue  # the page's markup is the same on every paper: checked once
        listed = sources(built)
        expected = {entry for article in html.values() for entry in sources(article)}
        if len(listed) != len(set(listed)) or set(listed) != expected:
            problems.append(f"{printout.path}: its source list is not every source of its articles, once each")
        page.goto(site_url + printout.path)
        for mark in page.evaluate(CITATION_MARKS):
            if not mark["listed"] or mark["shows"] != str(mark["listed"]):
                problems.append(f"{printout.path}: a mark showing {mark['shows']} links to {mark['href']}")
    assert problems == []


def content_digest(html: str) -> str:
    """A fingerprint of what a built page says (the text of its main part), whatever the styles that print it."""

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth = 0
            self.parts: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.depth += tag == "main"

        def handle_endtag(self, tag):
            self.depth -= tag == "main"

        def handle_data(self, data):
            if self.depth:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return hashlib.sha256(" ".join(" ".join(parser.parts).split()).encode()).hexdigest()[:16]


def read_record() -> dict[str, dict[str, dict]]:
    if not RECORD.exists():
        return {}
    return {paper: pages for paper, pages in json.loads(RECORD.read_text(encoding="utf-8")).items() if paper in PAPERS}


def write_record(record: dict[str, dict[str, dict]]) -> None:
    """One line a page, sorted, so a change of count reads clearly in a diff."""
    blocks = []
    for paper in PAPERS:
        rows = [f"    {json.dumps(path)}: {json.dumps(entry)}" for path, entry in sorted(record.get(paper, {}).items())]
        blocks.append(f'  "{paper}": {{\n' + ",\n".join(rows) + "\n  }")
    RECORD.write_text("{\n" + ",\n".join(blocks) + "\n}\n", encoding="utf-8")


@pytest.mark.parametrize(("paper", "part"), EVERY_PRINTOUT)
def test_sheet_counts_do_not_grow_for_unchanged_pages(
    printouts, built_site: Path, tmp_path_factory, paper: str, part: str
):
    """A page whose content is as recorded may not take more sheets than recorded; a new or changed page is held to
    the fill rule instead until the record is rewritten."""
    now = {
        p.path: {
            "sheets": p.sheets,
            "content": content_digest((built_site / p.path / "index.html").read_text(encoding="utf-8")),
        }
        for p in printouts(paper, part)
    }
    if os.environ.get(UPDATE):
        with locked(shared_folder(tmp_path_factory, "record") / "lock"):
            record = read_record()
            kept = {p: e for p, e in record.get(paper, {}).items() if p.endswith("/print/") != (part == "sections")}
            record[paper] = {**kept, **now}
            write_record(record)
        return
    recorded = read_record().get(paper, {})
    grown = [
        f"{path} on {paper}: {recorded[path]['sheets']} sheets before, {entry['sheets']} now, its content unchanged"
        for path, entry in now.items()
        if path in recorded
        and recorded[path]["content"] == entry["content"]
        and entry["sheets"] > recorded[path]["sheets"]
    ]
    assert not grown, (
        "Printing now takes more paper:\n  "
        + "\n  ".join(grown)
        + f"\nIf that is deliberate, rewrite the record with {UPDATE}=1 .venv/bin/python -m pytest "
        "tests/browser/test_print.py -k sheet_counts, and commit tests/print-sheets.json with the change."
    )


def test_print_js_opens_folds_for_printing_and_closes_them_after(page: Page, site_url: str):
    page.goto(site_url + "treatments/chemotherapy/")
    folds = page.locator("main .end-matter details")
    assert folds.count() >= 2
    folds.first.evaluate("fold => { fold.open = true; }")  # one the reader opened stays open
    opened = "() => [...document.querySelectorAll('main .end-matter details')].map(fold => fold.open)"
    before = page.evaluate(opened)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert all(page.evaluate(opened))
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(opened) == before == [True] + [False] * (len(before) - 1)
    # The footer on every sheet is a rule print.js adds to print.css, found by its address: one, however often the
    # page is printed.
    footers = page.evaluate(
        "() => [...document.querySelector(\"link[href$='print.css']\").sheet.cssRules]"
        ".map(rule => rule.cssText).filter(text => text.includes('@bottom-left'))"
    )
    assert len(footers) == 1 and "treatments/chemotherapy/" in footers[0] and "counter(pages)" in footers[0]


def test_folds_print_open_without_javascript(browser, site_url: str, tmp_path: Path):
    """Chromium opens them from print.css alone (::details-content); print.js is for other browsers."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "treatments/chemotherapy/")
    page.emulate_media(media="print")
    assert not any(page.evaluate("() => [...document.querySelectorAll('main details')].map(fold => fold.open)"))
    first_word = page.locator(".words dd").first.text_content().split()
    first_source = page.locator(".sources li cite").first.text_content().split()
    page.pdf(path=str(tmp_path / "folds.pdf"), format="A4")
    context.close()
    lines, _footers, _fill = read_pdf(tmp_path / "folds.pdf")
    solid = "".join(line[2].replace(" ", "") for sheet in lines for line in sheet)
    assert "".join(first_word) in solid and "".join(first_source) in solid
    assert "+Wordstoknow" not in solid and "Wordstoknow" in solid


def test_with_a_web_address_printouts_carry_a_qr_code_and_still_fit(browser, tmp_path_factory, tmp_path: Path):
    built = build_real_site(tmp_path_factory.mktemp("with-address"), base_url="https://guide.example.org/")
    html = (built / "treatments" / "chemotherapy" / "index.html").read_text(encoding="utf-8")
    assert (
        '<svg role="img" width="' in html
        and 'class="qr"><title>QR code for https://guide.example.org/treatments/chemotherapy/</title>' in html
    )
    server = serve(built)
    page = browser.new_page()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    printed = {}
    for path in ("treatments/chemotherapy/", HELP_PAGE, HANDOVER_SHEET):
        page.goto(base + path)
        page.emulate_media(media="print")
        for paper in PAPERS if path != "treatments/chemotherapy/" else PAPERS[:1]:
            page.pdf(path=str(tmp_path / "qr.pdf"), format=paper)
            lines, _footers, _fill = read_pdf(tmp_path / "qr.pdf")
            printed[path, paper] = (len(lines), " ".join(line[2] for sheet in lines for line in sheet))
    server.shutdown()
    assert "Printedfrom:https://guide.example.org/treatments/chemotherapy/" in "".join(
        printed["treatments/chemotherapy/", "A4"][1].split()
    )
    # The code takes room: the help page and the handover sheet still fit.
    assert all(printed[HELP_PAGE, paper][0] <= 2 for paper in PAPERS)
    assert all(printed[HANDOVER_SHEET, paper][0] == 1 for paper in PAPERS)
