"""Pages printed from Chromium, read back with poppler's pdfinfo and pdftotext."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page
from project import REPO, build_real_site, serve

from handout.config import load_config
from handout.render import long_date


def printed(page: Page, url: str, paper: str, path: Path) -> tuple[int, str]:
    page.goto(url)
    page.emulate_media(media="print")
    page.pdf(path=str(path), format=paper)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return pages, text


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_handover_sheet_prints_on_one_page(page: Page, site_url: str, tmp_path: Path, paper: str):
    pages, text = printed(page, site_url + "living-with-stage-4/handover-sheet/", paper, tmp_path / "sheet.pdf")
    assert pages == 1
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
    for chrome in ("Skip to main content", "Key points", "Words to know", "Previous", "More in"):
        assert chrome not in text, chrome


# Sheets carry text, not white space: a guard against print styles that print the screen's furniture, blow up the
# type or leave sheets nearly empty. Articles print about 1,700 to 2,600 characters a sheet; how many sheets an
# article takes is for its editors.
MIN_CHARACTERS_PER_SHEET = 1200


def dense(pages: int, text: str) -> bool:
    return pages >= 1 and len(" ".join(text.split())) / pages >= MIN_CHARACTERS_PER_SHEET


def articles(built: Path) -> list[str]:
    return sorted(
        p.parent.relative_to(built).as_posix() + "/" for p in built.glob("*/*/index.html") if p.parent.name != "print"
    )


def test_every_article_prints_as_a_clean_handout(page: Page, built_site: Path, site_url: str, tmp_path: Path):
    printed_on = long_date(dt.date.today(), load_config(REPO / "config.yaml").language)
    problems = []
    for path in articles(built_site):
        pages, text = printed(page, site_url + path, "A4", tmp_path / "article.pdf")
        flat = " ".join(text.split())
        solid = "".join(text.split())  # a long address may wrap across printed lines
        title = page.locator("h1").inner_text()
        checks = {
            "starts with its title": flat.startswith(title),
            "has its address": site_url + path in solid,
            "says when it was checked": "Content last checked" in flat,
            "says when it was printed": f"Printed on: {printed_on}" in flat,
            "lists its sources": "Sources" in flat and "accessed" in flat,
            "says it awaits clinical review": "Awaiting clinical review" in flat,
            "has no navigation": not any(
                chrome in flat
                for chrome in (
                    "Skip to main content",
                    "Search this guide",
                    "More in ",
                    "Related pages",
                    "Print this page",
                )
            ),
            "fills its sheets": dense(pages, text),
            "numbers every sheet with its address": flat.count(f" of {pages}") == pages
            and solid.count("".join((site_url + path).split())) >= pages,
        }
        problems += [
            f"{path}: does not {what}" if what.startswith("fills") else f"{path}: no, it {what}"
            for what, ok in checks.items()
            if not ok
        ]
    assert problems == []


def test_a_typical_article_prints_on_letter_paper_too(page: Page, site_url: str, tmp_path: Path):
    pages, text = printed(page, site_url + "treatments/chemotherapy/", "Letter", tmp_path / "letter.pdf")
    assert dense(pages, text)
    assert "Questions to ask your care team" in text


def test_a_section_prints_as_one_document(page: Page, site_url: str, tmp_path: Path):
    pages, text = printed(page, site_url + "where-it-spreads/print/", "A4", tmp_path / "section.pdf")
    for title in (
        "When breast cancer spreads to the bones",
        "Cancer in the liver",
        "Cancer in the lungs and pleura",
        "Cancer in the brain",
        "Less common places it can spread",
    ):
        assert title in text
    assert pages >= 5  # each article starts on a new page


def test_with_a_web_address_printouts_carry_a_qr_code(browser, tmp_path_factory, tmp_path: Path):
    built = build_real_site(tmp_path_factory.mktemp("with-address"), base_url="https://guide.example.org/")
    html = (built / "treatments" / "chemotherapy" / "index.html").read_text(encoding="utf-8")
    assert (
        '<svg role="img" width="' in html
        and 'class="qr"><title>QR code for https://guide.example.org/treatments/chemotherapy/</title>' in html
    )
    server = serve(built)
    page = browser.new_page()
    _pages, text = printed(
        page, f"http://127.0.0.1:{server.server_address[1]}/treatments/chemotherapy/", "A4", tmp_path / "qr.pdf"
    )
    server.shutdown()
    assert "Printedfrom:https://guide.example.org/treatments/chemotherapy/" in "".join(text.split())
