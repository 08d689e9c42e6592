"""Screenshots for a person to look at: the home page, the help page, an article, the glossary and the open menu at a
small phone, a phone and a desktop, in light and dark, the body map, and printed pages. Builds the site, serves it on
this computer, drives Debian's Chromium.

    .venv/bin/python tests/screenshots.py [OUTPUT_DIR] [NAMES]   (default: screenshots/, every page; NAMES such as
                                                                  "home,help" limit the pages and printouts)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from project import CHROMIUM, CHROMIUM_ARGS, build_real_site, serve

PAGES = [
    ("home", ""),
    ("help", "symptoms/when-to-get-help-now/"),
    ("article", "where-it-spreads/bone/"),
    ("body-map", "where-it-spreads/"),
    ("glossary", "glossary/"),
    ("menu", "treatments/"),
]
SIZES = {
    "small-phone": {"width": 320, "height": 568},
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}
SHOTS = [
    (name, path, device) for name, path in PAGES for device in SIZES if not (name == "menu" and device == "desktop")
]
PRINTED = [
    ("help", "symptoms/when-to-get-help-now/"),
    ("article", "where-it-spreads/bone/"),
    ("section", "where-it-spreads/print/"),
]


def take(out: Path, names: set[str] | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = build_real_site(Path(folder))
        server = serve(site)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        made = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for scheme in ("light", "dark"):
                for name, path, device in [shot for shot in SHOTS if not names or shot[0] in names]:
                    context = browser.new_context(viewport=SIZES[device], color_scheme=scheme)
                    page = context.new_page()
                    page.goto(base + path)
                    if name == "menu":
                        page.get_by_text("Menu", exact=True).click()
                    target = out / f"{name}-{device}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=name == "article" and device == "phone")
                    made.append(target)
                    context.close()
            page = browser.new_page()
            for name, path in [p for p in PRINTED if not names or p[0] in names]:
                page.goto(base + path)
                page.emulate_media(media="print")
                for paper in ("A4", "Letter"):
                    pdf = out / f"{name}-printed-{paper}.pdf"
                    page.pdf(path=str(pdf), format=paper)
                    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(out / pdf.stem)], check=True)
                    made += [pdf, *sorted(out.glob(f"{pdf.stem}-*.png"))]
            browser.close()
        server.shutdown()
    return made


if __name__ == "__main__":
    chosen = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else None
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"), chosen):
        print(path)
