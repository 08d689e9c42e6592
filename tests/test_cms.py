"""The CMS at /admin/: its configuration comes from the schema (every front-matter key and register field, with its
kind, required flag and limits), it is built only when config.yaml turns it on, and a site without it is built
exactly as before."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import CONFIG, tree_digest

from handout import cms, localcms, security
from handout.config import load_config
from handout.reader import FRONT_MATTER_FIELDS
from handout.registers import REGISTERS
from handout.schema import Field

CMS_BLOCK = "cms:\n  backend: github\n  repo: my-clinic/guide\n  branch: main\n"


def decap_config(site, block: str = CMS_BLOCK) -> dict:
    site.write("config.yaml", CONFIG + block)
    return cms.decap_config(load_config(site.root / "config.yaml"))


def check_field(decap: dict, field: Field) -> None:
    """The form field lets through exactly what the schema accepts: its kind, required flag, limits, options."""
    assert decap["name"] == field.name
    assert decap["required"] is field.required
    assert decap.get("hint", "") == field.help
    kind = field.kind
    if kind.name == "date":
        assert (decap["widget"], decap["format"], decap["time_format"]) == ("datetime", "YYYY-MM-DD", False)
    elif kind.name == "choice":
        assert (decap["widget"], decap["options"], decap["default"]) == ("select", list(kind.options), field.default)
    elif kind.name == "boolean":
        assert decap["widget"] == "boolean"
        assert decap.get("default") == field.default
    elif kind.name == "list":
        assert (decap["widget"], decap["field"]["widget"]) == ("list", "string")
    elif kind.name == "records":
        assert decap["widget"] == "list"
        assert len(decap["fields"]) == len(kind.fields)
        for sub, sub_field in zip(decap["fields"], kind.fields, strict=True):
            check_field(sub, sub_field)
    elif kind.name in ("integer", "year"):
        assert (decap["widget"], decap["value_type"]) == ("number", "int")
        assert (decap.get("min"), decap.get("max")) == (kind.minimum, kind.maximum)
    else:
        assert kind.name in ("text", "slug", "url"), f"{field.name}: a kind the test does not know"
        assert decap["widget"] in ("string", "text")
    if kind.max_length is not None:
        pattern = re.compile(decap["pattern"][0])
        assert pattern.match("a" * kind.max_length) or kind.pattern
        assert not pattern.match("a" * (kind.max_length + 1))
        assert decap["pattern"][1].startswith(f"At most {kind.max_length} characters.")
    if kind.pattern:
        assert decap["pattern"][0].endswith(kind.pattern.removeprefix("^"))


def test_each_section_is_a_collection_with_a_field_for_every_front_matter_key(site):
    config = decap_config(site)
    sections = [c for c in config["collections"] if "folder" in c and c["name"] != "_pages"]
    assert [(c["name"], c["label"], c["folder"]) for c in sections] == [
        ("basics", "The basics", "content/basics"),
        ("care", "Care", "content/care"),
    ]
    pages = next(c for c in config["collections"] if c["name"] == "_pages")
    assert (pages["folder"], pages["create"]) == ("content", False)
    for collection in [*sections, pages]:
        assert (collection["extension"], collection["format"]) == ("md", cms.FRONT_MATTER_FORMAT)
        names = [f["name"] for f in collection["fields"]]
        assert names == [f.name for f in FRONT_MATTER_FIELDS] + ["body"]
        for decap, field in zip(collection["fields"], FRONT_MATTER_FIELDS, strict=False):
            check_field(decap, field)
        body = collection["fields"][-1]
        assert (body["widget"], body["modes"]) == ("markdown", ["raw"])  # rich text would escape [@id] citations


def test_each_register_is_a_collection_with_a_field_for_every_register_key(site):
    config = decap_config(site)
    for register in REGISTERS:
        collection = next(c for c in config["collections"] if c.get("format") == cms.register_format(register))
        [file] = collection["files"]
        assert file["file"] == f"content/{register.file}"
        [entries] = file["fields"]
        assert entries["widget"] == "list"
        fields = (register.key, *register.fields)
        assert [f["name"] for f in entries["fields"]] == [f.name for f in fields]
        for decap, field in zip(entries["fields"], fields, strict=True):
            check_field(decap, field)


def test_the_formats_know_every_date_default_and_the_order_of_the_schema():
    specs = cms.format_specs()
    front = specs[cms.FRONT_MATTER_FORMAT]
    assert front["order"] == [f.name for f in FRONT_MATTER_FIELDS]
    assert front["dates"] == [f.name for f in FRONT_MATTER_FIELDS if f.kind.name == "date"]
    assert front["records"] == {"changes": ["date"]}
    assert front["defaults"] == {"review_status": "awaiting-clinical-review", "link_terms": True, "sheet": False,
                                 "faq": False, "audience": "readers"}  # fmt: skip
    for register in REGISTERS:
        spec = specs[cms.register_format(register)]
        assert (spec["register"], spec["key"]) == (True, register.key.name)
        assert spec["order"] == [f.name for f in register.fields]


def test_a_key_added_to_the_schema_appears_in_the_cms(site, monkeypatch):
    from handout import schema

    added = Field("audience_note", schema.text(50), help="A note.")
    monkeypatch.setattr(cms, "FRONT_MATTER_FIELDS", (*FRONT_MATTER_FIELDS, added))
    config = decap_config(site)
    fields = config["collections"][0]["fields"]
    assert fields[-2] == {
        "name": "audience_note",
        "label": "Audience note",
        "widget": "string",
        "required": False,
        "hint": "A note.",
        "pattern": [r"^(?=[\s\S]{1,50}$)[\s\S]*$", "At most 50 characters."],
    }


def test_the_backend_publishes_each_save_as_a_pull_request(site):
    config = decap_config(site, CMS_BLOCK + "  auth_url: https://auth.example.org\n")
    assert config["backend"] == {
        "name": "github",
        "repo": "my-clinic/guide",
        "branch": "main",
        "base_url": "https://auth.example.org",
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config


def test_serve_cms_adds_the_local_backend_to_the_configured_one(site):
    site.write("config.yaml", CONFIG + CMS_BLOCK)
    config = load_config(site.root / "config.yaml")
    local = cms.decap_config(config.__class__(**{**config.__dict__, "cms": cms.local_settings(config, 8090)}))
    assert local["backend"]["name"] == "github"
    assert local["local_backend"] == {"url": "http://127.0.0.1:8090/api/v1"}
    site.write("config.yaml", CONFIG)
    bare = load_config(site.root / "config.yaml")
    alone = cms.decap_config(bare.__class__(**{**bare.__dict__, "cms": cms.local_settings(bare, 8090)}))
    assert alone["backend"] == {"name": "proxy", "proxy_url": "http://127.0.0.1:8090/api/v1", "branch": "main"}


def test_without_a_cms_block_the_site_has_no_admin_and_robots_txt_is_as_before(site):
    assert site.run("build").code == 0
    assert not (site.site / "admin").exists()
    assert (site.site / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    assert "admin" not in (site.site / "_headers").read_text()


def test_turning_the_cms_on_adds_admin_and_changes_nothing_else_but_robots_txt_and_headers(site, tmp_path):
    assert site.run("build").code == 0
    before = tree_digest(site.site)
    site.write("config.yaml", CONFIG + CMS_BLOCK)
    result = site.run("build")
    assert result.code == 0
    assert result.out.startswith("Built 10 pages")  # /admin/ is not a page of the site
    after = tree_digest(site.site)
    changed = {path for path in before.keys() & after.keys() if before[path] != after[path]}
    assert changed == {"robots.txt", "_headers"}
    assert before.keys() <= after.keys()
    added = after.keys() - before.keys()
    assert all(path.startswith("admin/") for path in added)
    assert {"admin/index.html", "admin/config.yml", "admin/formats.json", "admin/boot.js", "admin/formats.js",
            "admin/decap-cms.js", "admin/yaml/index.js", "admin/yaml/LICENSE"} <= added  # fmt: skip
    assert not [path for path in added if path.endswith((".map", ".wasm"))]
    assert (site.site / "robots.txt").read_text() == "User-agent: *\nAllow: /\nDisallow: /admin/\n"
    sitemap = (site.site / "sitemap.xml").read_text()
    assert "admin" not in sitemap
    assert not [p for p in (site.site / "search").rglob("*.json") if "admin" in p.read_text()]
    for page in site.site.rglob("*.html"):
        if not page.relative_to(site.site).as_posix().startswith("admin/"):
            assert "admin/" not in page.read_text(encoding="utf-8"), page  # not linked from the public pages


def test_the_admin_page_has_its_own_policy_and_loads_only_its_own_files(site):
    site.write("config.yaml", CONFIG + CMS_BLOCK)
    assert site.run("build").code == 0
    page = (site.site / "admin/index.html").read_text()
    policy = (
        "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
        "font-src 'self'; connect-src 'self' https://api.github.com; manifest-src 'self'; base-uri 'none'; "
        "form-action 'self'; object-src 'none'"
    )
    assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in page
    assert re.findall(r'<script src="([^"]+)"></script>', page) == ["boot.js", "decap-cms.js"]
    assert '<meta name="robots" content="noindex, nofollow">' in page
    headers = (site.site / "_headers").read_text()
    admin_policy = security.admin_content_security_policy(("https://api.github.com",), header=True)
    assert headers.endswith(f"/admin/*\n  ! Content-Security-Policy\n  Content-Security-Policy: {admin_policy}\n")
    public = security.content_security_policy()
    assert f'content="{public}"' in (site.site / "index.html").read_text()  # the public pages' policy is unchanged
    config = yaml.safe_load((site.site / "admin/config.yml").read_text())
    assert config == cms.decap_config(load_config(site.root / "config.yaml"))


def test_robots_txt_disallows_the_cms_under_the_sites_own_path(site):
    site.write("config.yaml", CONFIG + CMS_BLOCK + "base_url: https://example.org/guide/\n")
    assert site.run("build").code == 0
    assert (site.site / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\nDisallow: /guide/admin/\nSitemap: https://example.org/guide/sitemap.xml\n"
    )


BASE = CONFIG.count("\n")  # the cms block starts on the line after


@pytest.mark.parametrize(
    ("block", "line", "expected"),
    [
        (
            "cms:\n  backend: github\n  repo: a/b\n  brnch: main\n",
            4,
            '[schema-unknown-key] unknown key "brnch" in cms. Did you mean "branch"? '
            "Allowed keys: backend, repo, branch, auth_url.",
        ),
        (
            "cms:\n  backend: netlify\n  repo: a/b\n",
            2,
            '[schema-value] "backend" must be one of: github, gitlab; not "netlify".',
        ),
        (
            "cms:\n  backend: github\n  repo: just-a-name\n",
            3,
            '[schema-value] "repo" must name the repository as owner/name, such as "my-clinic/guide", not '
            '"just-a-name".',
        ),
        (
            "cms:\n  repo: a/b\n",
            1,
            '[schema-missing-key] "backend" is required in cms. Add a line such as: backend: github',
        ),
    ],
    ids=["unknown-key", "unknown-backend", "bad-repo", "no-backend"],
)
def test_a_bad_cms_block_is_a_config_problem(site, block, line, expected):
    site.write("config.yaml", CONFIG + block)
    result = site.run("build")
    assert result.code == 2
    assert f"config.yaml:{BASE + line}: error {expected}" in " ".join(result.err.split()), result.err


def test_the_cms_without_decap_installed_is_a_problem_that_says_what_to_install(site, monkeypatch, tmp_path):
    monkeypatch.setattr(cms, "GENERATOR_ROOT", tmp_path / "generator")
    monkeypatch.setattr(cms, "find_installed", lambda config: None)
    site.write("config.yaml", CONFIG + CMS_BLOCK)
    result = site.run("build")
    assert result.code == 1
    line = CONFIG.count("\n") + 1
    assert (
        f"config.yaml:{line}: error [cms-not-installed] the CMS is turned on (cms), but Decap CMS is not installed. "
        f"Install Node.js, then run `npm ci --ignore-scripts` in {tmp_path / 'generator'}; or remove the cms block."
    ) in result.err


def test_serve_cms_without_node_says_to_install_it(site, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = site.run("serve", "--cms", "--port", "0")
    assert result.code == 2
    assert result.err.startswith(
        "Stopped: serve --cms needs Node.js, which is not installed (no `node` command). Install Node.js 20 or newer"
    )
    assert "then run `npm ci --ignore-scripts` in" in result.err


def test_serve_cms_without_decap_server_says_to_run_npm_ci(site, monkeypatch, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shutil.copy(shutil.which("true") or "/bin/true", bin_dir / "node")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(localcms, "GENERATOR_ROOT", tmp_path / "generator")
    result = site.run("serve", "--cms", "--port", "0")
    assert result.code == 2
    assert result.err == (
        "Stopped: serve --cms needs decap-server, which is not installed. Run `npm ci --ignore-scripts` in "
        f"{tmp_path / 'generator'} (it installs what package.json lists, decap-server among them).\n"
    )


def test_serve_cms_serves_this_computer_only(site):
    result = site.run("serve", "--cms", "--host", "0.0.0.0")
    assert result.code == 2
    assert result.err == (
        "Stopped: serve --cms serves this computer only (the CMS writes into the working copy, and Decap uses its "
        "local server only on localhost): leave out --host 0.0.0.0.\n"
    )


def test_the_published_config_leaves_the_cms_off():
    """The shipped site has no /admin/: an organization turns it on with its own repository (see the README)."""
    assert load_config(Path(__file__).resolve().parent.parent / "config.yaml").cms is None
