"""The Nu HTML Checker (vnu.jar, from npm) finds no errors on any page, with and without a configured address."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from project import REPO, build_real_site

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.parametrize("base_url", [None, "https://guide.example.org/"])
def test_every_page_is_valid_html(tmp_path, real_site, base_url):
    if not VNU.is_file() or not shutil.which("java"):
        pytest.fail("the Nu HTML Checker needs Java and `npm ci` (the README's test command runs it)")
    built = build_real_site(tmp_path, base_url) if base_url else real_site
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", "--skip-non-html", str(built)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{m['url'].split('_site/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"
    ]
    assert errors == []
    assert len(list(built.rglob("*.html"))) > 40
