"""An editor's first pull request, as they would make it: set up, `new`, fill it in, `check --strict`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from project import REPO, run_cli

FILLED_IN = """\
---
title: Mouth care during treatment
summary: How to look after your mouth during treatment for stage 4 breast cancer, and when a sore mouth needs a call.
key_points:
  - Some treatments can make your mouth sore.
  - A soft toothbrush and gentle mouth care can help.
  - Tell your care team if mouth sores stop you eating or drinking.
order: 40
reviewed: {reviewed}
questions:
  - Which of my medicines can make my mouth sore?
  - Should I see a dentist before I start?
---

Some cancer medicines can make the inside of your mouth sore [@mouth-care-source]. This page says what can help,
and when to call. Read more in {links}.

## What can help

- See a dentist before treatment starts, if you can [@mouth-care-source].
- Eat soft, moist foods [@mouth-care-source].

!!! urgent "Call now if"
    - mouth sores stop you eating or drinking
    - you have a fever during treatment

## What you can do today

Ask your care team which mouth problems they want to hear about.
"""


SOURCE = """
mouth-care-source:
  title: Mouth and throat problems
  publisher: National Cancer Institute
  type: web
  url: https://www.cancer.gov/about-cancer/treatment/side-effects/mouth-throat
  accessed: {reviewed}
"""


def links_to_two_articles(path: Path) -> str:
    """Links, by title, to two other articles of the same section, whatever the section holds today."""
    others = sorted(p for p in path.parent.glob("*.md") if p != path)[:2]
    titles = [next(line[7:] for line in p.read_text().splitlines() if line.startswith("title: ")) for p in others]
    return " and ".join(f"[{title}]({p.name})" for title, p in zip(titles, others, strict=True))


def test_a_new_article_made_with_new_and_filled_in_passes_a_strict_check(tmp_path):
    project = tmp_path / "project"
    for part in ("content", "templates", "static"):
        shutil.copytree(REPO / part, project / part)
    shutil.copy(REPO / "config.yaml", project / "config.yaml")
    made = run_cli("new", "Mouth care during treatment", "--section", "treatments", cwd=project)
    assert made.returncode == 0, made.stderr
    path = project / "content" / "treatments" / "mouth-care-during-treatment.md"
    assert made.stdout.startswith(f"Created {path.relative_to(project)}.")
    reviewed = next(line for line in path.read_text().splitlines() if line.startswith("reviewed: "))[10:]
    assert run_cli("check", "--strict", cwd=project).returncode == 1  # its placeholders are flagged until replaced
    with (project / "content" / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(SOURCE.format(reviewed=reviewed))
    path.write_text(FILLED_IN.format(reviewed=reviewed, links=links_to_two_articles(path)), encoding="utf-8")
    checked = run_cli("check", "--strict", cwd=project)
    assert checked.returncode == 0, checked.stderr


def test_a_python_without_the_projects_packages_says_how_to_set_up():
    # -S leaves out site-packages: the same Python, as if the virtual environment had not been set up.
    result = subprocess.run([sys.executable, "-S", str(REPO / "build.py"), "check"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "cannot find the package" in result.stderr
    assert ".venv/bin/pip install -e ." in result.stderr and "Traceback" not in result.stderr


def test_contributing_is_the_editors_guide_as_it_stands():
    from handout.config import load_config
    from handout.contributing import contributing

    config = load_config(REPO / "config.yaml")
    expected = contributing(config.content_dir / "editors-guide.md", dict(config.rule_levels))
    assert (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8") == expected, (
        "CONTRIBUTING.md is out of date: run python build.py contributing"
    )
    assert "[RULES]" not in expected and "| `link-broken` | error |" in expected


def test_the_workflows_check_every_pull_request_and_publish_main():
    import yaml

    pull_request = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for job in pull_request["jobs"].values() for step in job["steps"]]
    assert any("build.py check --strict --format github" in run for run in steps)
    assert any('build.py report >> "$GITHUB_STEP_SUMMARY"' in run for run in steps)
    assert any("bash .ci/run" in run for run in steps)
    publish = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    assert publish[True]["push"]["branches"] == ["main"]  # YAML reads the key "on" as true
    build = next(step["run"] for step in publish["jobs"]["publish"]["steps"] if step.get("name") == "Build")
    assert "base_url: ${{ steps.pages.outputs.base_url }}/" in build and "--strict" in build
