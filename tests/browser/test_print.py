"""Pages printed from Chromium, read back with poppler's pdfinfo and pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page


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
    for part in ("Medicines now", "Side effects to watch for", "Who to call", "Urgent symptoms, night and weekends",
                 "Get help now", "Call your care team now", "Sources", "not medical advice"):
        assert part.lower() in text.lower(), part
    for chrome in ("Skip to main content", "Key points", "Words on this page", "Previous", "More in"):
        assert chrome not in text, chrome
