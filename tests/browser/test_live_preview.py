"""The live preview as an editor meets it in Chromium: a broken save shows its problems over the page, a good one
brings the page back, and the server never stops."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CONFIG, HOME, article
from playwright.sync_api import Page, expect
from project import REPO, free_port


@pytest.fixture
def preview(tmp_path: Path):
    project = tmp_path / "project"
    for part in ("templates", "static"):
        shutil.copytree(REPO / part, project / part)
    (project / "config.yaml").write_text(CONFIG, encoding="utf-8")
    (project / "content/basics").mkdir(parents=True)
    (project / "content/index.md").write_text(HOME, encoding="utf-8")
    page_file = project / "content/basics/first.md"
    page_file.write_text(article("First page"), encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield page_file, f"http://127.0.0.1:{port}/basics/first/", server
    finally:
        server.terminate()
        server.wait(timeout=10)


def reload_until(page: Page, url: str, condition, timeout: float = 20.0) -> None:
    """Reload as the live-reload script would, until the page shows what is expected."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            page.goto(url)
            if condition():
                return
        except Exception:  # the server is still starting
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed what was expected")


def test_a_broken_save_shows_its_problems_and_a_good_one_brings_the_page_back(page: Page, preview):
    page_file, url, server = preview
    reload_until(page, url, lambda: page.locator("h1").inner_text() == "First page")
    page_file.write_text("---\ntitle: First page\nsummary: Oops\n", encoding="utf-8")  # no closing ---
    reload_until(page, url, lambda: page.locator(".build-problems").count() == 1)
    problems = page.locator(".build-problems")
    expect(problems).to_contain_text("content/basics/first.md:1 error [front-matter-unclosed]")
    expect(page.locator("h1")).to_have_text("First page")  # the last good page, under the problems
    assert server.poll() is None  # the server lives
    page_file.write_text(article("First page, mended"), encoding="utf-8")
    reload_until(page, url, lambda: page.locator("h1").inner_text() == "First page, mended")
    expect(page.locator(".build-problems")).to_have_count(0)
