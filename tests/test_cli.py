"""The command line as users run it: each subcommand, its options and its exit status."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, article, run_cli, tree_digest
from project import free_port, wait_for

from handout import pipeline
from handout.config import load_config

SUMMARY = re.compile(r"^Built (\d+) pages into (.+) in \d+\.\d\d s: (\d+) errors?, (\d+) warnings?\.$")


def test_build_is_the_default_command(site):
    run = site.run()
    assert run.code == 0
    assert SUMMARY.match(run.out.strip()).groups() == ("10", "_site", "0", "0")
    assert (site.site / "basics/first/index.html").is_file()
    assert site.run("build").out.splitlines()[-1].startswith("Built 10 pages")


def test_build_ends_with_one_summary_line_including_warnings(site):
    site.write("content/basics/old.md", article("Old", body="About 40% of people."))
    run = site.run("build")
    assert run.code == 0
    assert len(run.out.splitlines()) == 1
    assert SUMMARY.match(run.out.strip()).groups()[2:] == ("0", "1")


def test_strict_build_fails_on_warnings_and_writes_nothing(site):
    site.write("content/basics/old.md", article("Old", body="About 40% of people."))
    run = site.run("build", "--strict")
    assert run.code == 1
    assert run.out.startswith("Build failed in ")
    assert run.out.endswith(
        ": 0 errors, 1 warning (--strict treats warnings as errors). Nothing was written; _site is as it was.\n"
    )
    assert not site.site.exists()


def test_out_writes_elsewhere(site, tmp_path):
    target = tmp_path / "elsewhere" / "public"
    assert site.run("build", "--out", str(target)).code == 0
    assert (target / "index.html").is_file()
    assert not site.site.exists()


def test_config_paths_are_relative_to_the_config_file(site, tmp_path):
    site.write("config.yaml", site.root.joinpath("config.yaml").read_text() + "output_dir: public\n")
    result = run_cli("build", "--config", str(site.root / "config.yaml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (site.root / "public/index.html").is_file()


def test_check_writes_nothing_and_reports_success(site):
    run = site.run("check")
    assert run.code == 0
    assert re.fullmatch(r"Checked 10 pages in \d+\.\d\d s: 0 errors, 0 warnings\.\n", run.out)
    assert not site.site.exists()


def test_check_exits_1_on_content_problems(site):
    site.write("content/basics/bad.md", article("Bad", body="[x](missing.md)"))
    run = site.run("check")
    assert run.code == 1
    assert "[link-broken]" in run.err


def test_content_problems_never_show_a_traceback(site):
    site.write("content/basics/bad.md", "---\ntitle: [unclosed\n---\n")
    site.write("content/basics/bad2.md", "\xff\xfe not utf-8")
    site.root.joinpath("content/basics/bad3.md").write_bytes(b"---\ntitle: \xff\n---\n")
    result = run_cli("build", cwd=site.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "content/basics/bad.md:2: error [yaml-syntax] YAML syntax error: while parsing a flow sequence started "
        "on line 2, did not find expected ',' or ']'."
    ) in result.stderr
    assert (
        "content/basics/bad3.md:2: error [content-encoding] is not UTF-8 text: byte 11 (0xff, on line 2) is not valid "
        "UTF-8. Save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)." in result.stderr
    )


def test_bad_config_exits_2_with_every_problem(site):
    site.write("config.yaml", "title: T\nsectons: []\nlanguage: English\n")
    run = site.run("build")
    assert run.code == 2
    assert run.err.splitlines() == [
        'config.yaml:1: error [schema-missing-key] "sections" is required in config.yaml. Add a line such as: '
        "sections: (a list of slug, title and intro)",
        'config.yaml:2: error [schema-unknown-key] unknown key "sectons" in config.yaml. Did you mean "sections"? '
        "Allowed keys: title, tagline, language, base_url, review_interval_months, reading_grade, condition, "
        "contact, help_page, sections, rules, cms, content_dir, templates_dir, static_dir, output_dir.",
        'config.yaml:3: error [schema-value] "language" must be a language tag such as "en" or "en-GB", not "English".',
        "Stopped: config.yaml has problems; fix them and run again.",
    ]


def test_missing_config_exits_2(site, tmp_path):
    run = site.run("check", "--config", "nope.yaml")
    assert run.code == 2
    assert run.err.startswith(
        "nope.yaml: error [config-missing] this config file does not exist. Run the command from the project folder "
        "(where config.yaml is), or pass the right file with --config FILE.\n"
    )


def test_bad_usage_exits_2(tmp_path):
    for args in (["bulid"], ["build", "--nope"], ["new", "Title"], ["serve", "--port", "many"]):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 2, args
        assert "usage: build.py" in result.stderr
        assert "Traceback" not in result.stderr


def test_help_lists_every_command(tmp_path):
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    listed = re.findall(r"^    ([a-z]+) ", result.stdout, flags=re.M)  # argparse lists each command on its own line
    assert listed == ["build", "serve", "check", "new", "review", "report"]


def test_refuses_to_replace_a_folder_it_did_not_build(site, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    run = site.run("build", "--out", str(precious))
    assert run.code == 2
    assert "does not look like a site built by this tool" in run.err
    assert (precious / "thesis.txt").read_text() == "years of work"
    assert site.run("build", "--out", str(site.root)).code == 2
    assert site.run("build", "--out", str(site.root / "content")).code == 2
    assert (site.root / "content/index.md").is_file()


def test_new_creates_an_article_that_checks_clean_apart_from_placeholders(site):
    run = site.run("new", "Bone pain: what helps", "--section", "care")
    assert run.code == 0
    path = site.root / "content/care/bone-pain-what-helps.md"
    assert (
        run.out == f"Created {Path('content/care/bone-pain-what-helps.md')}. Write its summary, key points and "
        "text, then run: python build.py check\n"
    )
    text = path.read_text()
    assert text.startswith("---\ntitle: 'Bone pain: what helps'\n")
    assert "order: 2\n" in text  # after the section's existing article
    check = site.run("check")
    assert check.code == 0
    assert all("[placeholder-text]" in line for line in check.err.splitlines())
    assert site.run("build").code == 0
    assert "Bone pain: what helps" in site.page("care/bone-pain-what-helps")


def test_new_refuses_unknown_sections_and_existing_files(site):
    run = site.run("new", "Anything", "--section", "bascis")
    assert run.code == 2
    assert run.err == (
        'Stopped: there is no section "bascis" in config.yaml. Did you mean "basics"? Sections: basics, care.\n'
    )
    run = site.run("new", "First", "--section", "basics")
    assert run.code == 2
    assert "already exists" in run.err
    assert "order: 1" in (site.root / "content/basics/first.md").read_text()


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def served(site):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)],
        cwd=site.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield site, f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_builds_serves_and_rebuilds_on_change(served):
    site, base = served
    page = wait_for(lambda: fetch(base + "basics/first/"))
    assert ">First page</h1>" in page
    assert "livereload.js" in page  # the browser reloads itself after each rebuild
    assert "script-src 'self' 'unsafe-inline'" in page  # which the published site's policy would not allow
    site.write("content/basics/first.md", article("First page, edited", order=1))
    wait_for(lambda: ">First page, edited</h1>" in fetch(base + "basics/first/"))


def test_serve_after_saves_in_quick_succession_shows_the_last_and_settles_on_a_full_builds_site(served):
    site, base = served
    wait_for(lambda: fetch(base + "basics/first/"))
    for n in range(3):  # each save lands while the build of the one before is still under way
        site.write("content/basics/first.md", article(f"First page, take {n}", f"Text {n}.", order=1))
        time.sleep(0.05)
    wait_for(lambda: ">First page, take 2</h1>" in fetch(base + "basics/first/"))
    config = load_config(site.root / "config.yaml", site.root / "full")
    assert pipeline.run(config, write=True, live_reload=True, use_cache=False).written
    wait_for(lambda: tree_digest(site.site) == tree_digest(site.root / "full"))


def test_serve_keeps_the_last_good_site_and_shows_the_problems_until_a_good_save(served):
    site, base = served
    wait_for(lambda: fetch(base + "basics/first/"))
    assert "build-problems.js" in fetch(base + "basics/first/")  # the preview's pages show a broken build's problems
    before = {path: digest for path, digest in tree_digest(site.site).items()}
    site.write("content/basics/first.md", "---\ntitle: broken\n")
    site.write("content/basics/later.md", article("Later"))
    report = wait_for(lambda: json.loads(fetch(base + "_problems.json")))
    assert report["problems"][0]["file"] == "content/basics/first.md"
    assert report["problems"][0]["rule"] == "front-matter-unclosed"
    after = tree_digest(site.site)
    assert after.pop("_problems.json") and after == before  # the last good site, untouched
    assert ">First page</h1>" in fetch(base + "basics/first/")
    site.write("content/basics/first.md", article("First page, mended", order=1))
    wait_for(lambda: ">First page, mended</h1>" in fetch(base + "basics/first/"))
    with pytest.raises(urllib.error.HTTPError):
        fetch(base + "_problems.json")  # gone with the good build


def test_serve_on_a_port_in_use_says_so_and_exits_2(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), cwd=site.root, timeout=20)
    assert result.returncode == 2
    assert result.stderr == (
        f"Stopped: port {port} is already in use (is another preview running?). Stop it, or choose another port: "
        f"python build.py serve --port {port + 1}\n"
    )
    assert "Serving" not in result.stdout


def test_serve_listens_on_localhost_only_by_default(served):
    _site, base = served
    wait_for(lambda: fetch(base))
    port = int(base.rsplit(":", 1)[1].strip("/"))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the machine's outward address
            outward = probe.getsockname()[0]
        except OSError:
            pytest.skip("this machine has no address other than loopback")
    if outward.startswith("127."):
        pytest.skip("this machine has no address other than loopback")
    with socket.socket() as s:
        s.settimeout(2)
        assert s.connect_ex((outward, port)) != 0


TRAVERSALS = (
    "/../config.yaml",
    "/%2e%2e/config.yaml",
    "/..%2fconfig.yaml",
    "/static/../../config.yaml",
    "/static/%2e%2e/%2e%2e/config.yaml",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/..%5cconfig.yaml",
)


def test_serve_serves_nothing_outside_the_output_folder(served):
    _site, base = served
    wait_for(lambda: fetch(base))
    host, port = base.removeprefix("http://").strip("/").split(":")
    answers = {}
    for path in TRAVERSALS:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", path)  # sent exactly as written: urllib would tidy the path first
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        answers[path] = response.status
        assert "Test guide" not in body and "root:" not in body, path
    assert set(answers.values()) <= {403, 404}, answers
