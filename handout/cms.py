"""The CMS at /admin/: Decap CMS, configured from the site's own schema and config, never by hand.

Every collection and field is generated here: one collection per section (and one for the pages at the top of the
content folder) with a field for every front-matter key (reader.FRONT_MATTER_FIELDS), and one per register
(registers.REGISTERS) with a field for every register key, each with its kind, required flag, limits and help. A
key added to the schema appears in the CMS with the next build; tests/test_cms.py fails if the two ever differ.

What Decap cannot do is said here and in the editors' guide, not papered over:
- The article text is edited as Markdown source (the widget's raw mode). Its rich-text mode rewrites the source as
  it goes (it escapes "[@id]" citations, which would stop them working), and has no form for the site's callouts,
  definition lists or {#id} attributes.
- related, skip_terms and the registers' see_also and source fields are typed, not chosen from a list: the check
  reports a path or id that does not exist, with the nearest one.
- Decap's preview pane is off: it would render the Markdown with its own renderer, without the site's callouts,
  citations or glossary links. The site itself is the preview (serve, or the pull request's checks).

The files are written by this site's own formats (handout/admin/formats.js), which keep the YAML the site's reader
expects and change only the lines of the values that changed.
"""

from __future__ import annotations

import dataclasses
import html
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from . import security
from .config import CmsSettings, SiteConfig
from .problems import Problem
from .reader import FRONT_MATTER_FIELDS
from .registers import REGISTERS, RegisterSchema
from .rules import report
from .schema import Field, Kind

ADMIN = "admin/"  # the CMS's address in the site
FRONT_MATTER_FORMAT = "handout-frontmatter"
OWN_FILES = Path(__file__).parent / "admin"  # boot.js and formats.js
GENERATOR_ROOT = Path(__file__).resolve().parent.parent  # where the README's `npm ci` installs node_modules
DECAP_DIST = ("decap-cms", "dist")
YAML_BROWSER = ("yaml", "browser")
# Text longer than this gets a box of several lines instead of one.
ONE_LINE = 200
DATE_FORMAT = "YYYY-MM-DD"
BODY = {
    "name": "body",
    "label": "Text",
    "widget": "markdown",
    "modes": ["raw"],
    "buttons": [],
    "editor_components": [],
    "required": False,
    "hint": (
        "Markdown, as the editors' guide describes it: link to other articles by their .md file "
        "(../treatments/chemotherapy.md), cite sources as [@id], and indent a box's text under its !!! line."
    ),
}


@dataclass(frozen=True)
class AdminFile:
    path: str  # inside the output folder
    data: bytes


@dataclass(frozen=True)
class Installed:
    """Where the CMS's JavaScript was found (npm's node_modules)."""

    decap: Path
    yaml: Path


def local_url(port: int) -> str:
    """decap-server's API on this computer. 127.0.0.1, not localhost: it listens on that address only."""
    return f"http://127.0.0.1:{port}/api/v1"


def find_installed(config: SiteConfig) -> Installed | None:
    """node_modules as Node looks for it (the project's folder and its parents), then the generator's own."""
    for folder in (config.root.resolve(), *config.root.resolve().parents, GENERATOR_ROOT):
        modules = folder / "node_modules"
        decap, yaml_lib = modules.joinpath(*DECAP_DIST), modules.joinpath(*YAML_BROWSER)
        if (decap / "decap-cms.js").is_file() and (yaml_lib / "index.js").is_file():
            return Installed(decap, yaml_lib)
    return None


def admin_files(config: SiteConfig) -> tuple[list[AdminFile], list[Problem]]:
    """Every file of /admin/, or the problem that stops it being built. Nothing when the CMS is off."""
    settings = config.cms
    if settings is None:
        return [], []
    installed = find_installed(config)
    if installed is None:
        message = (
            "the CMS is turned on (cms), but Decap CMS is not installed. Install Node.js, then run "
            f"`npm ci --ignore-scripts` in {GENERATOR_ROOT}; or remove the cms block."
        )
        return [], [report("cms-not-installed", config.file, settings.line, message)]
    files = [
        AdminFile(ADMIN + "index.html", index_html(config).encode("utf-8")),
        AdminFile(ADMIN + "config.yml", config_yaml(config).encode("utf-8")),
        AdminFile(ADMIN + "formats.json", (json.dumps(format_specs(), indent=2) + "\n").encode("utf-8")),
        *(AdminFile(ADMIN + name, (OWN_FILES / name).read_bytes()) for name in ("boot.js", "formats.js")),
        *_copied(installed.decap, ADMIN, _decap_file),
        *_copied(installed.yaml, ADMIN + "yaml/", lambda relative: relative.endswith(".js")),
        *_copied(installed.yaml.parent, ADMIN + "yaml/", lambda relative: relative == "LICENSE"),
    ]
    return files, []


def _decap_file(relative: str) -> bool:
    """The bundle and the chunks it loads on demand, with its licence; not the source maps, nor the WebAssembly
    image encoders (for uploads, which these forms do not offer; they would need 'wasm-unsafe-eval')."""
    name = relative.rsplit("/", 1)[-1]
    return "/" not in relative and (
        name == "decap-cms.js" or name == "decap-cms.js.LICENSE.txt" or name.endswith(".decap-cms.js")
    )


def _copied(folder: Path, prefix: str, wanted) -> Iterator[AdminFile]:
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and wanted(relative):
            yield AdminFile(prefix + relative, path.read_bytes())


# The page. Scripts run in order: boot.js asks Decap to wait (manual init) until the site's formats are registered.
_INDEX = """\
<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="{referrer}">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<title>Edit: {title}</title>
</head>
<body>
<script src="boot.js"></script>
<script src="decap-cms.js"></script>
</body>
</html>
"""


def index_html(config: SiteConfig) -> str:
    return _INDEX.format(
        language=html.escape(config.language),
        referrer=security.REFERRER_POLICY,
        policy=html.escape(security.admin_content_security_policy(connect_sources(config)), quote=False),
        title=html.escape(config.title),
    )


def connect_sources(config: SiteConfig) -> tuple[str, ...]:
    """The hosts the CMS talks to: the backend's API, and decap-server when serving the working copy."""
    settings = config.cms
    if settings is None:
        return ()
    sources = [security.CMS_BACKEND_APIS[settings.backend]] if settings.backend in security.CMS_BACKEND_APIS else []
    if settings.local_port is not None:
        sources.append(f"http://127.0.0.1:{settings.local_port}")
    return tuple(sources)


def robots_path(config: SiteConfig) -> str | None:
    """What robots.txt disallows: the CMS's address from the site's root (robots.txt is read at the host's root)."""
    if config.cms is None:
        return None
    base = urlsplit(config.base_url).path if config.base_url else "/"
    return base + ADMIN


def config_yaml(config: SiteConfig) -> str:
    header = "# Generated by handout/cms.py from the site's schema and config.yaml: edit those, not this file.\n"
    return header + yaml.safe_dump(decap_config(config), sort_keys=False, allow_unicode=True, width=1000)


def decap_config(config: SiteConfig) -> dict[str, Any]:
    settings = config.cms
    assert settings is not None
    content = _relative(config.content_dir, config.root)
    result: dict[str, Any] = {"backend": _backend(settings)}
    if settings.local_port is not None:
        result["local_backend"] = {"url": local_url(settings.local_port)}
    # Each save opens a pull request (on GitHub; a merge request on GitLab), which the checks then run on.
    result["publish_mode"] = "editorial_workflow"
    if config.base_url:
        result["site_url"] = config.base_url
    # Decap requires a media folder. The forms offer no upload: the site's images are drawn into its templates.
    result["media_folder"] = _relative(config.static_dir, config.root) + "/images"
    result["omit_empty_optional_fields"] = True
    # File names as the site requires them: lowercase letters, digits and hyphens (content-slug).
    result["slug"] = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    result["collections"] = [
        *(_section_collection(section.slug, section.title, section.intro, content) for section in config.sections),
        _pages_collection(content),
        *(_register_collection(register, content) for register in REGISTERS),
    ]
    return result


def _relative(folder: Path, root: Path) -> str:
    return folder.resolve().relative_to(root.resolve()).as_posix()


def _backend(settings: CmsSettings) -> dict[str, Any]:
    if settings.backend == "local":
        # serve --cms without a cms block: decap-server is the only backend there is.
        return {"name": "proxy", "proxy_url": local_url(settings.local_port or 0), "branch": settings.branch}
    backend: dict[str, Any] = {"name": settings.backend, "repo": settings.repo, "branch": settings.branch}
    if settings.auth_url:
        backend["base_url"] = settings.auth_url.rstrip("/")
    return backend


def _section_collection(slug: str, title: str, intro: str, content: str) -> dict[str, Any]:
    return {
        "name": slug,
        "label": title,
        "label_singular": "article",
        "description": intro,
        "folder": f"{content}/{slug}",
        "create": True,
        "extension": "md",
        "format": FRONT_MATTER_FORMAT,
        "slug": "{{slug}}",
        "identifier_field": "title",
        "summary": "{{title}}",
        "editor": {"preview": False},
        "fields": [*(decap_field(f) for f in FRONT_MATTER_FIELDS), BODY],
    }


def _pages_collection(content: str) -> dict[str, Any]:
    """The home page, About and the editors' guide: edited here, created rarely (a new one needs links to it)."""
    collection = _section_collection("_pages", "Pages", "The pages at the top of the site: home, About...", content)
    collection["folder"] = content
    collection["create"] = False
    collection["label_singular"] = "page"
    return collection


def register_format(register: RegisterSchema) -> str:
    return "handout-" + register.file.rsplit(".", 1)[0]


def _register_collection(register: RegisterSchema, content: str) -> dict[str, Any]:
    stem = register.file.rsplit(".", 1)[0]
    key = register.key.name
    entries = {
        "name": "entries",
        "label": register.label,
        "label_singular": "entry",
        "widget": "list",
        "collapsed": True,
        "summary": "{{fields." + key + "}}",
        "fields": [decap_field(register.key), *(decap_field(f) for f in register.fields)],
    }
    return {
        "name": f"_{stem}",
        "label": register.label,
        "format": register_format(register),
        "extension": "yaml",
        "editor": {"preview": False},
        "files": [{"name": stem, "label": register.label, "file": f"{content}/{register.file}", "fields": [entries]}],
    }


def decap_field(field: Field) -> dict[str, Any]:
    """The form field for a schema field: a widget that can only produce values the schema accepts."""
    widget = _widget(field.kind)
    result: dict[str, Any] = {"name": field.name, "label": field.name.replace("_", " ").capitalize(), **widget}
    result["required"] = field.required
    if field.help:
        result["hint"] = field.help
    if isinstance(field.default, bool | str | int) and widget["widget"] in ("boolean", "select"):
        result["default"] = field.default
    pattern = _pattern(field.kind)
    if pattern:
        result["pattern"] = [pattern, _pattern_message(field)]
    return result


def _widget(kind: Kind) -> dict[str, Any]:
    name = kind.name
    if name in ("text", "slug", "url"):
        long = kind.max_length is not None and kind.max_length > ONE_LINE
        return {"widget": "text" if long else "string"}
    if name in ("integer", "year"):
        limits = {key: value for key, value in (("min", kind.minimum), ("max", kind.maximum)) if value is not None}
        return {"widget": "number", "value_type": "int", **limits}
    if name == "date":
        # A plain date (no time), saved as YYYY-MM-DD: the schema reads it as a date.
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False}
    if name == "choice":
        return {"widget": "select", "options": list(kind.options)}
    if name == "boolean":
        return {"widget": "boolean"}
    if name == "list":
        # A list of text, one box per item (not Decap's comma-separated default: key points have commas).
        return {"widget": "list", "collapsed": False, "field": {"name": "item", "label": "Item", "widget": "string"}}
    if name == "records":
        first = kind.fields[0].name if kind.fields else ""
        summary = " ".join("{{fields." + f.name + "}}" for f in kind.fields) if first else ""
        return {"widget": "list", "summary": summary, "fields": [decap_field(f) for f in kind.fields]}
    raise ValueError(f"no CMS widget for a value of kind {name!r}: add one in handout/cms.py")


def _pattern(kind: Kind) -> str | None:
    """One regular expression for the kind's own pattern and its length limit (Decap takes one per field)."""
    inner = (kind.pattern or "").removeprefix("^").removesuffix("$")
    if kind.max_length is None:
        return f"^{inner}$" if inner else None
    anything = r"[\s\S]"
    return f"^(?={anything}{{1,{kind.max_length}}}$){inner or anything + '*'}$"


def _pattern_message(field: Field) -> str:
    limit = f"At most {field.kind.max_length} characters." if field.kind.max_length else ""
    return " ".join(part for part in (limit, field.help if field.kind.pattern else "") if part) or "Not allowed."


def format_specs() -> dict[str, dict[str, Any]]:
    """What the site's formats (formats.js) need to know of the schema: key order, dates, defaults."""
    specs = {FRONT_MATTER_FORMAT: {"extension": "md", **_format_spec(FRONT_MATTER_FIELDS)}}
    for register in REGISTERS:
        specs[register_format(register)] = {
            "extension": "yaml",
            "register": True,
            "key": register.key.name,
            **_format_spec(register.fields),
        }
    return specs


def _format_spec(fields: Sequence[Field]) -> dict[str, Any]:
    return {
        "order": [f.name for f in fields],
        "dates": [f.name for f in fields if f.kind.name == "date"],
        "records": {
            f.name: [sub.name for sub in f.kind.fields if sub.kind.name == "date"]
            for f in fields
            if f.kind.name == "records"
        },
        "defaults": {f.name: f.default for f in fields if isinstance(f.default, bool | str | int)},
    }


def local_settings(config: SiteConfig, port: int) -> CmsSettings:
    """The CMS for ``serve --cms``: the configured backend (so that what is tried is what is published), with
    decap-server serving the working copy in its place; without a cms block, decap-server alone."""
    if config.cms is not None:
        return dataclasses.replace(config.cms, local_port=port)
    return CmsSettings("local", "", "main", None, 0, port)
