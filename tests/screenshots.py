"""Screenshots for a person to look at: the home page and one article at phone and desktop widths, in light and
dark, the body map, and one printed page. Builds the site, serves it on this computer, drives Debian's Chromium.

    .venv/bin/python tests/screenshots.py [OUTPUT_DIR]        (default: screenshots/)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from project import CHROMIUM, CHROMIUM_ARGS, build_real_site, serve

SHOTS = [
    ("home", "", "phone"),
    ("home", "", "desktop"),
    ("article", "where-it-spreads/bone/", "phone"),
    ("article", "where-it-spreads/bone/", "desktop"),
    ("body-map", "where-it-spreads/", "phone"),
    ("glossary", "glossary/", "desktop"),
]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def take(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = build_real_site(Path(folder))
        server = serve(site)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        made = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for scheme in ("light", "dark"):
                for name, path, device in SHOTS:
                    context = browser.new_context(viewport=SIZES[device], color_scheme=scheme)
                    page = context.new_page()
                    page.goto(base + path)
                    target = out / f"{name}-{device}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=device == "phone" and name != "home")
                    made.append(target)
                    context.close()
            page = browser.new_page()
            page.goto(base + "where-it-spreads/bone/")
            page.emulate_media(media="print")
            pdf = out / "article-printed.pdf"
            page.pdf(path=str(pdf), format="A4")
            browser.close()
        server.shutdown()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(out / "article-printed")], check=True
    )
    return [*made, pdf, *sorted(out.glob("article-printed-*.png"))]


if __name__ == "__main__":
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")):
        print(path)
