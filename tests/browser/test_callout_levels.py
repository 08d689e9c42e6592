"""The levels of urgency are told apart on screen and on black-and-white paper, not by colour alone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page
from project import golden_project, serve

from handout.config import load_config
from handout.pipeline import run

LEVELS = ("emergency", "urgent", "same-day")
LOOK = """box => {
  const style = getComputedStyle(box), badge = getComputedStyle(box.querySelector('.callout-badge'));
  return {border: [style.borderTopStyle, style.borderTopWidth, style.borderLeftWidth].join(' '),
          background: style.backgroundColor, badge: box.querySelector('.callout-badge').innerText,
          badgeColor: badge.color, badgeBackground: badge.backgroundColor, badgeShown: badge.display !== 'none'};
}"""


@pytest.fixture(scope="module")
def example_url(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("levels")
    out = folder / "_site"
    result = run(load_config(golden_project(folder / "site"), output_dir=out), write=True)
    assert result.problems == ()
    server = serve(out)
    yield f"http://127.0.0.1:{server.server_address[1]}/basics/everything/"
    server.shutdown()


def looks(page: Page) -> dict[str, dict]:
    return {level: page.locator(f".callout-{level}").evaluate(LOOK) for level in LEVELS}


def test_each_level_has_its_own_colour_and_frame_on_screen(page: Page, example_url: str):
    page.goto(example_url)
    seen = looks(page)
    assert len({look["background"] for look in seen.values()}) == len(LEVELS), seen
    assert len({look["border"] for look in seen.values()}) == len(LEVELS), seen
    assert [look["badge"].lower() for look in seen.values()] == ["emergency", "urgent", "same day"]


def test_each_level_prints_differently_in_black_and_white(page: Page, example_url: str, tmp_path: Path):
    page.goto(example_url)
    page.emulate_media(media="print")
    seen = looks(page)
    assert all(look["background"] == "rgba(0, 0, 0, 0)" for look in seen.values()), seen  # no tint to lose
    assert len({look["border"] for look in seen.values()}) == len(LEVELS), seen  # a frame each, without colour
    assert seen["emergency"]["badgeBackground"] == "rgb(0, 0, 0)"
    assert seen["emergency"]["badgeColor"] == "rgb(255, 255, 255)"
    assert all(
        look["badgeShown"] and look["badgeColor"] == "rgb(0, 0, 0)" for look in (seen["urgent"], seen["same-day"])
    )
    pdf = tmp_path / "levels.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    for printed in ("EMERGENCY CHEST PAIN OR A SEIZURE", "Call 999 now.", "URGENT GET HELP NOW", "SAME DAY"):
        assert printed in text, printed
