"""The CMS as an editor without git meets it: `serve --cms` on a copy of the site, /admin/ in Chromium, an article
written through the form and saved, an existing one's summary changed. Every request stays on this computer."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect
from project import REPO, free_port, real_site_config, run_cli, wait_for

from handout.config import load_config
from handout.reader import split_front_matter
from handout.yamldoc import parse_yaml

pytestmark = pytest.mark.skipif(not (REPO / "node_modules/.bin/decap-server").exists(), reason="needs `npm ci`")


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Cms:
    project: Path
    url: str  # the site's
    cms_port: int
    requests: list[str] = field(default_factory=list)
    policy_errors: list[str] = field(default_factory=list)

    def open(self, page: Page) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "console",
            lambda message: (
                self.policy_errors.append(message.text)
                if "Content Security Policy" in message.text
                # The preview injects its live-reload script inline into every page: the CMS's policy blocks it, on
                # purpose (a reload would throw away what is being typed).
                and "inline script" not in message.text
                else None
            ),
        )
        page.goto(self.url + "admin/")
        page.get_by_role("button", name="Login").click()
        expect(page.get_by_role("heading", name="Collections")).to_be_visible(timeout=20_000)

    def front_matter(self, relative: str) -> tuple[dict, str]:
        text = (self.project / "content" / relative).read_text(encoding="utf-8")
        front, body, _line, problems = split_front_matter(text, relative)
        assert not problems
        doc, problems = parse_yaml(front or "", relative)
        assert not problems and doc is not None
        return doc.data, body


def start_serve_cms(tmp_path: Path, **popen: object) -> tuple[Path, int, int, subprocess.Popen]:
    """``serve --cms`` on a copy of the real site: the project, the site's port, the CMS server's port, the process."""
    project = tmp_path / "project"
    real_site_config(project)
    port, cms_port = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--cms", "--port", str(port), "--cms-port", str(cms_port)],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **popen,
    )
    return project, port, cms_port, server


@pytest.fixture
def cms(tmp_path: Path) -> Iterator[Cms]:
    project, port, cms_port, server = start_serve_cms(tmp_path)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while not _answers(url + "admin/config.yml"):
            assert server.poll() is None, "serve --cms stopped"
            assert time.monotonic() < deadline, "serve --cms never answered"
            time.sleep(0.3)
        assert listening(cms_port)
        yield Cms(project, url, cms_port)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    assert not listening(cms_port), "decap-server outlived serve"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def written(path: Path, before: str | None = None) -> None:
    """Wait until decap-server has written ``path`` (other than ``before``) and finished: it writes a file in more
    than one step, and a read between them finds it empty or cut short."""
    last: list[str] = []

    def settled() -> bool:
        text = path.read_text(encoding="utf-8") if path.exists() else None
        done = text is not None and text != before and last[-1:] == [text]
        last.append(text)
        return done

    wait_for(settled)


def publish(page: Page) -> None:
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Publish now").click()


def test_an_article_written_in_the_cms_is_saved_checked_and_built(page: Page, cms: Cms):
    config = load_config(cms.project / "config.yaml")
    section = next(s for s in config.sections if not s.red_flags)  # an article there needs no box of warning signs
    others = sorted(p.relative_to(cms.project / "content").as_posix() for p in (cms.project / "content").glob("*/*.md"))
    first, second = others[:2]
    source = next(iter(yaml.safe_load((cms.project / "content/sources.yaml").read_text(encoding="utf-8"))))
    reviewed = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    cms.open(page)
    page.get_by_role("link", name=section.title).first.click()
    page.locator(f'a[href$="/collections/{section.slug}/new"]').click()  # "New article" (its icon has no name)
    page.get_by_label("Title", exact=True).fill("Eating when food tastes different")
    page.get_by_label("Summary", exact=True).fill("Simple ways to eat well when treatment changes how food tastes.")
    page.get_by_label("Reviewed", exact=True).fill(reviewed)
    for point in (
        "Small meals often can be easier.",
        "Cold food may taste better.",
        "Tell your team about weight loss.",
    ):
        page.get_by_role("button", name="Add key points").click()
        page.get_by_label("Item", exact=True).last.fill(point)
    page.get_by_role("button", name="Add questions").click()
    page.get_by_label("Item", exact=True).last.fill("Could I see a dietitian?")
    page.locator("[data-slate-editor]").first.click()
    links = f"[{first}](../{first}) and [{second}](../{second})"
    page.keyboard.type(f"Food can taste different during treatment [@{source}]. Read {links}.")
    publish(page)
    saved = cms.project / "content" / section.slug / "eating-when-food-tastes-different.md"
    written(saved)
    meta, body = cms.front_matter(saved.relative_to(cms.project / "content").as_posix())
    assert meta == {
        "title": "Eating when food tastes different",
        "summary": "Simple ways to eat well when treatment changes how food tastes.",
        "key_points": [
            "Small meals often can be easier.",
            "Cold food may taste better.",
            "Tell your team about weight loss.",
        ],
        "reviewed": dt.date.fromisoformat(reviewed),
        "questions": ["Could I see a dietitian?"],
    }
    assert f"[@{source}]" in body and f"](../{first})" in body
    check = run_cli("check", "--strict", cwd=cms.project)
    assert check.returncode == 0, check.stderr
    article_url = cms.url + f"{section.slug}/eating-when-food-tastes-different/"
    wait_for(lambda: _answers(article_url))
    page.goto(article_url)
    expect(page.locator("h1")).to_have_text("Eating when food tastes different")
    assert cms.policy_errors == []
    assert {url.split("/")[2].split(":")[0] for url in cms.requests} == {"127.0.0.1"}


def test_editing_a_summary_in_the_cms_changes_nothing_else(page: Page, cms: Cms):
    config = load_config(cms.project / "config.yaml")
    section = config.sections[0]
    path = sorted((cms.project / "content" / section.slug).glob("*.md"))[0]
    relative = path.relative_to(cms.project / "content").as_posix()
    before_text = path.read_text(encoding="utf-8")
    before, before_body = cms.front_matter(relative)
    cms.open(page)
    page.get_by_role("link", name=section.title).first.click()
    page.get_by_text(before["title"], exact=True).first.click()
    summary = page.get_by_label("Summary", exact=True)
    expect(summary).to_have_value(before["summary"])
    summary.fill("A new summary, written in the CMS.")
    publish(page)
    written(path, before_text)
    after, after_body = cms.front_matter(relative)
    assert after == {**before, "summary": "A new summary, written in the CMS."}
    assert after_body == before_body
    changed = [
        (old, new)
        for old, new in zip(before_text.splitlines(), path.read_text(encoding="utf-8").splitlines(), strict=True)
        if old != new
    ]
    assert changed == [(f"summary: {before['summary']}", "summary: A new summary, written in the CMS.")]
    assert cms.policy_errors == []
    assert {url.split("/")[2].split(":")[0] for url in cms.requests} == {"127.0.0.1"}


def test_stopping_serve_with_ctrl_c_stops_decap_server(tmp_path: Path):
    # Its own process group, as a terminal gives it.
    _project, port, cms_port, server = start_serve_cms(tmp_path, start_new_session=True)
    try:
        wait_for(lambda: listening(cms_port) and listening(port), timeout=60)
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl+C: the terminal signals the whole group
        code = server.wait(timeout=20)
    assert code in (0, 130)
    wait_for(lambda: not listening(cms_port), timeout=10)
