"""Property-based tests: whatever an editor writes, the build either succeeds or reports content problems.

Never a traceback, a hang, or text from a page's front matter or registers turning into markup. The examples are
derandomized so that CI sees the same inputs on every run; each engine bug found so far is pinned with @example, so
it fails fast and without shrinking until it is fixed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import CONFIG, GLOSSARY, REVIEWED, SOURCES, STATS, article, rendered_pages, write_small_site
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from handout import pipeline, render, schema
from handout.cli import main
from handout.config import CONFIG_FIELDS, CONTACT_FIELDS, SECTION_FIELDS, load_config
from handout.markup import MarkdownParser
from handout.problems import Problem, ProblemsError, Severity
from handout.reader import FRONT_MATTER_FIELDS, PageKind, _placement, read_page, split_front_matter, suggest_slug
from handout.registers import SOURCE_FIELDS, STAT_FIELDS, TERM_FIELDS, load_registers
from handout.rules import RULES
from handout.yamldoc import parse_yaml

_FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def fuzz(examples: int) -> settings:
    """Reproducible runs (CI sees the same inputs every time) and no example database in the project. No deadline
    per example: a whole build outlasts Hypothesis' 200 ms on a busy CI machine, and hangs have their own tests (the
    alias bomb, SLOW_SHAPES) instead of a flaky timeout."""
    return settings(_FUZZ, max_examples=examples)


# The slug rule as editors are told it ("lowercase letters, digits and hyphens"), written out here rather than
# imported, so a change to the engine's pattern cannot silently change what this test accepts.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

# A template failure is caught and reported as template-error, and internal-error is the serve loop's catch-all:
# from content that is only text, either one is the engine failing, not the editor.
ENGINE_FAILURES = {"template-error", "template-syntax", "template-missing", "internal-error"}

TERM_WORDS = ["HER2", "HER2-positive", "her2", "Metastasis", "metastases", "tumor", "Tumour", "tumors", "ER", "er"]


# Text that would be markup, or template code, if it were ever pasted into a page unescaped.
PAYLOADS = [
    "<x-probe>",
    "<script>alert(1)</script>",
    "</title><x-probe>",
    '"><x-probe onclick="alert(1)">',
    "' onmouseover='alert(1)",
    "<!--<script>",
    "</script><x-probe>",
    "<\\/script>",
    "-->",
    "]]>",
    "&lt;x-probe&gt;",
    "&amp;",
    "&",
    "{{ 7 * 7 }}",
    "{% raw %}",
    "\\u003c",
]
payload = st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=6)), min_size=1, max_size=4).map("".join)


def quoted(value: str) -> str:
    """``value`` as one YAML double-quoted scalar on one line, whatever characters it has."""
    return yaml.safe_dump(value, default_style='"', width=10**9, allow_unicode=True).rstrip("\n")


class FuzzSite:
    """A project folder like the ``site`` fixture's, with registers, built in-process: no CLI run per example."""

    def __init__(self, root: Path):
        self.root = root
        write_small_site(root)
        self.write("content/glossary.yaml", GLOSSARY)
        self.write("content/sources.yaml", SOURCES)
        self.write("content/stats.yaml", STATS)
        self.config = load_config(root / "config.yaml")

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def build(self) -> pipeline.BuildResult:
        # Without the cache: every example must really be parsed, and the timing test measures the parse.
        return pipeline.run(self.config, write=False, today=dt.date.today(), use_cache=False)

    def rendered(self, result: pipeline.BuildResult) -> dict[str, str]:
        assert result.site is not None
        return rendered_pages(result.site, pipeline.make_environment(self.config.templates_dir))


@pytest.fixture(scope="module", autouse=True)
def one_template_environment():
    """Compiling the templates is most of a small build's time, and the pipeline compiles them on every run: the
    examples share one environment per templates folder, as nothing in it depends on the content."""
    environments: dict[tuple[str, bool, str], object] = {}

    def shared(templates_dir: Path, live_reload: bool = False, cache: Path | None = None):
        key = (str(templates_dir), live_reload, str(cache))
        if key not in environments:
            environments[key] = render.make_environment(templates_dir, live_reload=live_reload, cache=cache)
        return environments[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "make_environment", shared)
        yield


@pytest.fixture(scope="module")
def new_site(tmp_path_factory):
    """A fresh project for each test that needs one (not for each example): each test writes its own fuzzed files
    into its own, so no test sees another's leftovers."""
    return lambda: FuzzSite(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def reader_site(new_site):
    return new_site()


@pytest.fixture(scope="module")
def markdown(new_site):
    """One parser over the fixture site's config and registers, reused for every example as the pipeline reuses
    it for every page, and the fixture's first article to hang fuzzed bodies on."""
    site = new_site()
    registers, problems = load_registers(site.config)
    assert problems == []
    pages = {"index.md": "", "basics/first.md": "basics/first/", "care/support.md": "care/support/"}
    parser = MarkdownParser(site.config, pages, registers)
    page, problems = read_page(site.config, site.root / "content/basics/first.md")
    assert page is not None, problems
    return parser, page


def file_lines(text: str) -> int:
    """Lines as an editor's tool counts them: a lone carriage return (old Mac files) ends a line too."""
    return len(re.split(r"\r\n|\r|\n", text))


def assert_reported_properly(problems: list[Problem] | tuple[Problem, ...], lines: int) -> None:
    """Every problem comes from the catalogue and points into the file it names (line 0: the file as a whole)."""
    for problem in problems:
        assert problem.rule in RULES, problem
        assert problem.severity in (Severity.ERROR, Severity.WARNING), problem
        assert 0 <= problem.line <= lines, (problem, lines)


# Front matter as a file on disk: the bytes an editor's tool may write, not only clean UTF-8 text.

YAML_LINES = [
    "title: A page",
    "title: 'It''s: quoted'",
    'title: "a \\"quoted\\" title"',
    "title: a: b",
    "title:",
    "title: [a, b]",
    "title: {a: 1}",
    "title: 12",
    "summary: A short summary.",
    "summary: >\n  folded\n  text",
    "summary: |\n  literal",
    f"reviewed: {REVIEWED}",
    "reviewed: 2026-13-45",
    "reviewed: 2026-02-29",
    "reviewed: 9999-12-31",
    "reviewed: 0001-01-01",
    "reviewed: 2026-01-01 25:61:00",
    "reviewed: yesterday",
    "review_due: 2020-01-01",
    "review_status: clinically-reviewed",
    "review_status: awaiting-clinical-review",
    "reviewer: Dr A",
    "order: 99999999999999999999999999999999",
    "order: -1",
    "order: 1.5",
    "order: .inf",
    "key_points:\n  - one\n  - two\n  - three",
    "key_points: one",
    "key_points:\n  -\n  - ''",
    "questions:\n  - Why?",
    "related: [basics/first.md, care/support.md, nowhere.md]",
    "skip_terms: [HER2, Tumour]",
    "link_terms: no",
    "sheet: maybe",
    "faq: true",
    "colour: blue",
    "\ttitle: tabbed",
    "  indented: wrong",
    "- a list",
    "&anchor title: x",
    "summary: *anchor",
    "? complex",
    ": value",
    "%YAML 1.1",
    "!!str",
    "#: comment",
    "---",
    "...",
    "",
]

LINE_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])
NOISE = st.text(max_size=12)


@st.composite
def page_bytes(draw) -> bytes:
    """A content file: front-matter-like lines between fences (or not), a body, any line endings and encoding."""
    end = draw(LINE_ENDINGS)
    lines = draw(st.lists(st.one_of(st.sampled_from(YAML_LINES), NOISE), max_size=12))
    opening = draw(st.sampled_from(["---", "--- ", "---\t", "----", "", "---\ufeff"]))
    closing = draw(st.sampled_from(["---", "...", "--- ", "", "----"]))
    body = draw(st.lists(st.one_of(st.sampled_from(["Some text.", "## Part", "---", "[@seer]"]), NOISE), max_size=4))
    text = end.join([opening, *lines, closing, *body])
    data = text.encode("utf-8", "surrogatepass")
    prefix = draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf"]))
    bad = draw(st.sampled_from([b"", b"\xff", b"\xc3", b"\x00"]))
    cut = draw(st.integers(0, len(data)))
    return prefix + data[:cut] + bad + data[cut:]


fence_lines = st.lists(
    st.one_of(st.sampled_from(["---", "--- ", " ---", "...", "----", "title: x", "---\r", ""]), NOISE), max_size=8
)


@fuzz(150)
@given(text=st.one_of(st.text(), fence_lines.map("\n".join), fence_lines.map("\r\n".join)))
@example(text="---\ntitle: x\n---")
@example(text="\ufeff---\n---\n")
@example(text="---\r\ntitle: x\r\n---\r\n")
def test_split_front_matter_keeps_every_line_in_its_place(text):
    front, body, body_line, problems = split_front_matter(text, "content/basics/x.md")
    assert_reported_properly(problems, file_lines(text))
    lines = text.split("\n")
    if front is None:
        assert [p.rule for p in problems] in (["front-matter-missing"], ["front-matter-unclosed"])
    else:
        assert problems == []
        # Lines are what every later message is anchored to: the body must start exactly where it says.
        assert lines[0].strip() == "---"
        assert lines[body_line - 2].rstrip() in ("---", "...")
        assert front == "\n".join(lines[1 : body_line - 2])
        assert body == "\n".join(lines[body_line - 1 :])


@fuzz(150)
@given(data=page_bytes())
@example(data=b"---\ntitle: A\nsummary: B\nreviewed: 9999-12-31\n---\nText.\n")
@example(data=b"---\ntitle: A\nsummary: B\nreviewed: !!timestamp soon\n---\nText.\n")
@example(data=b"---\ntitle: A\nsummary: B\nreviewed: 2026-01-01\norder: !!int many\n---\nText.\n")
@example(data=b"---\n? [a, b]\n: c\n---\nText.\n")
def test_any_file_gives_a_page_or_an_error(reader_site, data):
    path = reader_site.write("content/basics/fuzz.md", data)
    page, problems = read_page(reader_site.config, path)
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    assert_reported_properly(problems, file_lines(text))
    if page is None:
        # A file that yields no page must say why, or the site silently loses a page.
        assert any(p.severity is Severity.ERROR for p in problems), problems
    else:
        assert page.kind is PageKind.ARTICLE and page.slug == "fuzz"
        assert isinstance(page.meta.title, str) and page.meta.title
        assert isinstance(page.meta.reviewed, dt.date) and isinstance(page.meta.review_due, dt.date)
        assert 1 <= page.body_line <= file_lines(text) + 1


# YAML: front matter, registers and config.yaml all go through parse_yaml and then schema.check.

YAML_SCALARS = [
    "text",
    "'it''s: quoted'",
    '"double \\" quoted"',
    '"bad \\x escape"',
    "0",
    "-7",
    "0x1F",
    "0o17",
    "1_000",
    "9" * 400,
    "1e400",
    ".inf",
    ".nan",
    "~",
    "null",
    "yes",
    "off",
    "2026-11-21",
    "2026-13-45",
    "2026-02-30",
    "0000-01-01",
    "9999-12-31",
    "2026-01-01 10:00:00+05:00",
    "2026-01-01T25:61:00",
    "!!int 12",
    "!!int abc",
    "!!int 0x",
    "!!float abc",
    "!!bool maybe",
    "!!timestamp soon",
    "!!timestamp 2026-02-30",
    "!!binary '@@'",
    "!!str 1",
    "!!null x",
    "!!python/name:os.system ''",
    "!custom x",
    "*a",
    "*nowhere",
    "|\n  literal\n  block",
    ">-\n  folded",
    "<script>",
    "a: b",
    "- x",
    "@",
    "`",
    "%",
    "\t",
    "",
]
YAML_KEYS = [
    "title",
    "summary",
    "reviewed",
    "key_points",
    "order",
    "definition",
    "aliases",
    "value",
    "source",
    "sections",
    "rules",
    "a",
    "a",  # twice, for duplicate keys
    "<<",
    "? [a, b]\n",
    "? {a: 1}\n",
    "[a]",
    "{x: 1}",
    "&k key",
    "*k",
    "''",
    "~",
    "1",
    "2026-01-01",
    "!!int z",
    "seer",
    "a b",
    "a&b",
    '"<x-probe>"',
]

yaml_scalar = st.one_of(st.sampled_from(YAML_SCALARS), st.text(max_size=8))


def _yaml_collections(children):
    return st.one_of(
        st.tuples(st.just("map"), st.lists(st.tuples(st.sampled_from(YAML_KEYS), children), max_size=4), st.booleans()),
        st.tuples(st.just("seq"), st.lists(children, max_size=4), st.booleans()),
        st.tuples(
            st.just("node"),
            st.sampled_from(["&a ", "&b ", "!!map ", "!!seq ", "!!set ", "!!omap ", "!!str "]),
            children,
        ),
    )


yaml_tree = st.recursive(yaml_scalar, _yaml_collections, max_leaves=12)


def render_yaml(node, indent: int = 0, flow: bool = False) -> str:
    """The text of ``node`` where a value goes (after "key:" or "- "), in block or flow style."""
    pad = " " * (indent + 2)
    if isinstance(node, str):
        return " " + node.replace("\n", "\n" + pad) if not flow else node.replace("\n", " ")
    kind, first, second = node
    if kind == "node":
        return (" " if not flow else "") + first + render_yaml(second, indent, flow).lstrip(" ")
    if kind == "map":
        if flow or second:
            pairs = ", ".join(f"{key.strip()}: {render_yaml(value, indent, True)}" for key, value in first)
            return ("" if flow else " ") + "{" + pairs + "}"
        return "".join(f"\n{pad}{key}:{render_yaml(value, indent + 2)}" for key, value in first) or " {}"
    if flow or second:
        return ("" if flow else " ") + "[" + ", ".join(render_yaml(item, indent, True) for item in first) + "]"
    return "".join(f"\n{pad}-{render_yaml(item, indent + 2)}" for item in first) or " []"


def yaml_document(tree) -> str:
    text = render_yaml(tree, -2)
    return text[1:] if text.startswith((" ", "\n")) else text


yaml_text = st.one_of(
    yaml_tree.map(yaml_document),
    st.lists(st.sampled_from(YAML_LINES), max_size=10).map("\n".join),
    st.text(),
)

# Each level refers to the one before it ten times. Nine levels (a few hundred bytes) stand for a billion values and
# would hang a build that expands them; four are enough to show the growth, and still finish.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n" for previous, name in zip("abc", "bcd", strict=True)
)
SCHEMAS = {
    "front matter": FRONT_MATTER_FIELDS,
    "glossary term": TERM_FIELDS,
    "source": SOURCE_FIELDS,
    "statistic": STAT_FIELDS,
    "config": CONFIG_FIELDS,
    "section": SECTION_FIELDS,
    "contact": CONTACT_FIELDS,
}


@fuzz(300)
@given(text=yaml_text)
@example(text="? [a, b]\n: c\n")
@example(text="{[a]: b}")
@example(text="a: &x [*x]\n")
@example(text="reviewed: !!timestamp soon\n")
@example(text="order: !!int abc\n")
@example(text="order: !!float abc\n")
@example(text="link_terms: !!bool maybe\n")
@example(text="order: !!int 0x\n")
@example(text=ALIAS_BOMB)
def test_yaml_is_read_or_reported(text):
    doc, problems = parse_yaml(text, "content/basics/x.md", first_line=2)
    last_line = 1 + file_lines(text)
    # A syntax error found at the end of the text is reported on the line after it: the closing "---" of front
    # matter, or the end of a register file.
    assert_reported_properly(problems, last_line + 1)
    if doc is None:
        assert problems and {p.rule for p in problems} == {"yaml-syntax"}, problems
        return
    assert all(2 <= line <= last_line for line in doc.lines.values())
    # One entry per place written, at most: an alias is indexed where it is written, never expanded, so a small
    # file cannot make the line index (and the build) exponentially large.
    assert len(doc.lines) <= len(text) + 1
    # The whole document (front matter, config.yaml) and each entry in it (a register's, a section's).
    paths = [()]
    if isinstance(doc.data, dict):
        paths += [(key,) for key, value in doc.data.items() if isinstance(value, dict)]
    for path in paths:
        for where, fields in SCHEMAS.items():
            values, found = schema.check(doc, path, fields, "content/basics/x.md", where)
            assert_reported_properly(found, last_line)
            # Callers read every field's value, valid or not.
            assert set(values) == {f.name for f in fields}


CONFIG_LINES = CONFIG.splitlines()


@st.composite
def config_text(draw) -> str:
    """The fixture's config.yaml with a few values replaced, or any YAML at all."""
    if draw(st.booleans()):
        return draw(yaml_text)
    lines = list(CONFIG_LINES)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        key, colon, _ = lines[i].partition(":")
        lines[i] = key + colon + render_yaml(draw(yaml_tree), len(key) - len(key.lstrip()))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def config_site(new_site):
    return new_site()


@fuzz(60)
@given(text=config_text())
@example(text=CONFIG.replace("title: Test guide", "title: !!int guide"))
@example(text=CONFIG + 'content_dir: "\\0"\n')
@example(text=CONFIG + "review_interval_months: 99999999999999999999\n")
@example(text="%YAML 1.1")
def test_config_loads_or_reports(config_site, text):
    path = config_site.write("config.yaml", text)
    try:
        config = load_config(path)
    except ProblemsError as exc:
        assert exc.problems
        assert_reported_properly(exc.problems, file_lines(text))
    else:
        assert config.sections and all(SLUG.match(s.slug) for s in config.sections)
        # A config that loads must build: its values are used again on every page (review_interval_months).
        result = pipeline.run(config, write=False, today=dt.date.today())
        assert not {p.rule for p in result.problems} & ENGINE_FAILURES, result.problems


# Registers: ids and fields of any shape, used by a page that cites, counts and names them.

REGISTER_IDS = ["seer", "acs", "nci", "probe", "Tumor", "a b", "a&b", '"<x-probe>"', "-x", "x-", "ü", "1", "~", "[a]"]
REGISTER_FIELDS = {
    "content/glossary.yaml": ["definition", "aliases", "see_also", "source", "match_case", "id", "colour"],
    "content/sources.yaml": ["title", "publisher", "authors", "type", "year", "date", "url", "accessed", "note"],
    "content/stats.yaml": ["value", "measures", "population", "period", "source", "colour"],
}
register_value = st.one_of(
    yaml_tree,
    st.sampled_from(["web", "article", "book", "https://example.org/a?b=<x-probe>&c", REVIEWED, "1800", "2201"]),
    payload.map(quoted),
)


def register_text(fields: list[str]):
    entry = st.lists(st.tuples(st.sampled_from(fields), register_value), max_size=6).map(lambda f: ("map", f, False))
    entries = st.lists(st.tuples(st.one_of(st.sampled_from(REGISTER_IDS), st.text(max_size=6)), entry), max_size=4)
    return st.one_of(entries.map(lambda e: yaml_document(("map", e, False))), yaml_text)


@pytest.fixture(scope="module")
def register_site(new_site):
    return new_site()


@fuzz(40)
@given(files=st.fixed_dictionaries({name: register_text(fields) for name, fields in REGISTER_FIELDS.items()}))
@example(files={"content/glossary.yaml": "? [a]\n: b\n", "content/sources.yaml": "", "content/stats.yaml": ""})
@example(files={"content/glossary.yaml": "", "content/sources.yaml": "", "content/stats.yaml": "0:\n0"})
def test_any_register_loads_or_reports(register_site, files):
    for relative, text in files.items():
        register_site.write(relative, text)
    registers, problems = load_registers(register_site.config, dt.date.today())
    for relative, text in files.items():
        assert_reported_properly([p for p in problems if p.file.endswith(relative)], file_lines(text))
    assert all(SLUG.match(t.anchor) for t in registers.terms), registers.terms
    register_site.write("content/basics/fuzz.md", article("Fuzz", "Tumor [@seer] [1%](stat:probe) [@probe].", order=2))
    result = register_site.build()
    assert not {p.rule for p in result.problems} & ENGINE_FAILURES, result.problems


# File names: every one is placed or refused with a reason, and the rename the message suggests is a good name.

name_part = st.one_of(
    st.sampled_from(["basics", "care", "index", "Basics", "first", "My Page", "über-care", "a--b", "-a", "a_b", "..."]),
    st.text(st.characters(exclude_characters="/\x00", exclude_categories=("Cs",)), min_size=1, max_size=16),
)


@fuzz(300)
@given(name=st.text(max_size=40))
@example(name="İstanbul")
@example(name="ß")
@example(name="---")
@example(name="Index")
@example(name="index")
def test_suggested_slug_is_always_a_good_name(name):
    slug = suggest_slug(name)
    assert SLUG.match(slug), slug
    assert suggest_slug(slug) == slug
    if name == "index":  # index.md is a home or section page: an article by that name gets another
        assert slug == "index-page"
    elif SLUG.match(name):
        assert slug == name


@fuzz(300)
@given(parts=st.lists(name_part, min_size=1, max_size=3))
@example(parts=["basics", "index"])
@example(parts=["Basics", "My Page"])
def test_every_file_name_is_placed_or_refused(reader_site, parts):
    rel = "/".join(parts) + ".md"
    placement, problems = _placement(reader_site.config, rel, "content/" + rel)
    assert_reported_properly(problems, 0)
    if placement is None:
        assert any(p.severity is Severity.ERROR for p in problems), problems
    else:
        assert problems == []
        kind, section, slug = placement
        assert kind is PageKind.HOME or SLUG.match(slug)
        assert section is None or reader_site.config.section(section) is not None
    for problem in problems:
        if problem.rule == "content-slug":
            suggested = re.search(r'Rename it to "(.*)\.md"', problem.message).group(1)
            assert suggested == suggest_slug(parts[-1])
            renamed = "/".join([*parts[:-1], suggested]) + ".md"
            _, again = _placement(reader_site.config, renamed, "content/" + renamed)
            assert "content-slug" not in {p.rule for p in again}, again


# Markdown bodies: the site's extensions over fragments that are half right as often as right.

MARKDOWN_FRAGMENTS = [
    "[first](first.md)",
    "[support](../care/support.md#b)",
    "[x](a.md#b)",
    "[x](#b)",
    "[x](#)",
    "[x](missing.md)",
    "[x](../../outside.md)",
    "[x](/basics/first/)",
    "[x](//example.org/a.md)",
    "[x](https://example.org/)",
    "[x](a%ZZ.md#%E2%82)",
    "[x](a.md#b#c)",
    "[x](.md)",
    '[x](a"b.md)',
    '[x](a.md "t\\" onmouseover=\\"alert(1)")',
    "[x](a&b.md#c&d)",
    "[x](stat:)",
    "[x]: a.md",
    "[x][]",
    "[@seer]",
    "[@acs; @nci]",
    "[@nope]",
    "[@seer; @nope]",
    "[@a&b]",
    '[@a"b]',
    "[@",
    "[@seer",
    "@seer]",
    "[@seer][@acs]",
    "[32.6%](stat:distant-5yr)",
    "[3 in 4](stat:distant-5yr)",
    "[](stat:distant-5yr)",
    "[3 in 4](stat:x)",
    '[1%](stat:a"b&c)',
    "[x](stat:distant-5yr#x)",
    "(stat:distant-5yr)",
    "30%",
    "1 in 4",
    "one in four",
    "2.5 per cent",
    "[[",
    "]]",
    "[[x]]",
    "{#id}",
    "{#first}",
    "{: #dup }",
    "{.cls}",
    "!!! emergency",
    '!!! urgent "t"',
    '!!! same-day ""',
    "!!! crisis",
    "!!! warning",
    "!!! tip inline",
    "!!! bogus",
    "!!!",
    "??? note",
    "    indented",
    "```",
    "```python",
    "~~~",
    "|a|b|",
    "|-|-|",
    "| --- | --- |",
    "a | b",
    "[^1]",
    "[^1]: note",
    "[^x]:",
    "# Heading one",
    "## Heading two",
    "#### Heading four",
    "###### ",
    "Title\n=====",
    "Sub\n---",
    "---",
    "***",
    "- item",
    "* item",
    "+ item",
    "1. item",
    "1) item",
    "> quote",
    ": definition",
    "Term\n: definition",
    "[RULES]",
    "[TOC]",
    "*em*",
    "**strong",
    "_under_",
    "`code`",
    "``",
    "\\",
    "\\[@seer]",
    "![alt](img.png)",
    "![](img.png)",
    "&amp;",
    "&lt;script&gt;",
    "&#60;script&#62;",
    "&#x3C;script",
    "&",
    '"quoted"',
    "'",
    '" onmouseover="alert(1)',
    "\t",
    "\r",
    "\r\n",
    "\x00",
    "\ufeff",
    "\u2028",
    "\x02",
    "\x03",
    "\x02wzxhzdk:0\x03",
    "\x02klzzwxh:0\x03",
    *TERM_WORDS,
]
SEPARATORS = ["", " ", "\n", "\n\n", "\n    ", "\n        ", "\t"]
# No "<" in the fuzzed text: raw HTML in articles is checked by its own sanitizer, so the markup asserted on here
# can only have been made by the generator itself. Braces are left out of the free text too: attr_list turns
# "{a=b}" into an attribute, which is the editor's own markup, not an injection.
plain_text = st.text(st.characters(exclude_characters="<{}", exclude_categories=("Cs",)), max_size=12)
markdown_body = st.lists(
    st.tuples(st.one_of(st.sampled_from(MARKDOWN_FRAGMENTS), plain_text), st.sampled_from(SEPARATORS)),
    max_size=30,
).map(lambda pieces: "".join(piece + separator for piece, separator in pieces))

# Everything Python-Markdown and the site's extensions produce from text without "<".
GENERATED_TAGS = {
    *("p", "a", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "code", "pre", "div", "span", "sup", "em"),
    *("strong", "blockquote", "hr", "br", "dl", "dt", "dd", "img", "table", "thead", "tbody", "tr", "th", "td"),
}


class StartTags(HTMLParser):
    """Every start tag in a fragment of HTML, with its attributes; script and style contents are not tags."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def event_handlers(tags: list[tuple[str, dict[str, str | None]]]) -> list[tuple[str, str]]:
    return [(tag, name) for tag, attrs in tags for name in attrs if name.startswith("on")]


# A page that uses everything a page can carry over to the next: links, ids, citations, statistics, terms, callouts.
BUSY_PAGE = (
    "## Part {#part}\n\nA tumor [@seer] is [32.6%](stat:distant-5yr). See [x](missing.md) and [y](first.md#part)."
    "\n\n!!! urgent\n    Call now.[^1]\n\n[^1]: A note.\n"
)


@fuzz(400)
@given(body=markdown_body)
@example(body="")
@example(body="\n    ")
@example(body="```\n[@nope]\n```\n[@nope]")
@example(body="!!! emergency\n\n!!! urgent\n    [@seer] 30%")
@example(body="Intro.\n\nA\tday, 30% of them.")
@example(body="Intro.\n\nA fact.[^1]\n\n[^1]: In 30% of them.")
@example(body="a\nb\n\nb\n30%")
@example(body="Intro.\n\n```\n\nA 30% figure.")
@example(body="Intro.\n\nFirst line  \nthen 30% here.")
@example(body="A `code\n` then 30%.")
def test_markdown_extensions_report_never_raise(markdown, body):
    parser, first = markdown
    # As the reader hands it over: its line endings are already "\n".
    body = re.sub(r"\r\n?", "\n", body)
    page = dataclasses.replace(first, body=body)
    parser.parse(dataclasses.replace(first, body=BUSY_PAGE))
    parsed, problems = parser.parse(page)
    # One parser serves every page of a build: what a page gets must not depend on the page parsed before it.
    parser.parse(dataclasses.replace(first, body="Plain text."))
    assert parser.parse(page) == (parsed, problems)
    last_line = page.body_line - 1 + file_lines(body)
    assert_reported_properly(problems, last_line)
    assert "<script" not in parsed.html.lower()
    tags = StartTags(parsed.html).tags
    assert {tag for tag, _ in tags} <= GENERATED_TAGS, tags
    assert event_handlers(tags) == []
    # What the model is told about the page must match the page: cross-page checks rely on it.
    assert {c.source for c in parsed.citations} <= set(parser.registers.sources)
    assert set(parsed.stats) <= set(parser.registers.stats)
    assert set(parsed.terms) <= {t.name for t in parser.registers.terms}
    assert all(page.body_line <= link.line <= last_line for link in parsed.links), parsed.links
    # The line is the point of a finding: a figure is reported where it is written, not near it.
    lines = body.split("\n")
    for problem in problems:
        if problem.rule == "stat-unregistered":
            figure = re.match(r'"(.*?)" looks like', problem.message, re.S).group(1).split()[0]
            assert figure in lines[problem.line - page.body_line], (problem, lines)


# Text from front matter and registers reaches every page, the glossary, the sources page and the JSON-LD: it must
# arrive as text, never as markup.


def registers_with(term: str, definition: str, title: str, url_tail: str, value: str, measures: str) -> dict[str, str]:
    return {
        "content/glossary.yaml": f"{quoted(term)}:\n  definition: {quoted(definition)}\n  aliases: [tumour]\n",
        "content/sources.yaml": (
            f"seer:\n  title: {quoted(title)}\n  publisher: {quoted(title)}\n"
            f"  url: {quoted('https://example.org/' + url_tail)}\n  accessed: {REVIEWED}\n"
        ),
        "content/stats.yaml": (
            f"probe:\n  value: {quoted(value)}\n  measures: {quoted(measures)}\n  population: {quoted(measures)}\n"
            f"  period: {quoted(measures)}\n  source: seer\n"
        ),
    }


def assert_no_injected_markup(path: str, html: str) -> None:
    """No tag, attribute or script that the templates did not write themselves."""
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    for data in scripts:
        # Inside a script element "</script" ends it early, and "<!--" with "<script" makes the browser read
        # on past the real end, into the rest of the page: neither may appear, in any case.
        assert not re.search(r"</script|<!--|<script", data, re.I), (path, data)
        json.loads(data)
    tags = StartTags(re.sub(r'(<script type="application/ld\+json">).*?(</script>)', r"\1\2", html, flags=re.S)).tags
    assert "x-probe" not in {tag for tag, _ in tags}, path
    assert event_handlers(tags) == [], path
    for tag, attrs in tags:
        if tag == "script":
            assert attrs.get("type") == "application/ld+json" or attrs.get("src", "").endswith(".js"), (path, attrs)


@pytest.fixture(scope="module")
def escape_site(new_site):
    return new_site()


@fuzz(40)
@given(
    title=payload,
    summary=payload,
    key_points=st.lists(payload, min_size=1, max_size=3),
    questions=st.lists(payload, max_size=2),
    term=payload,
    definition=payload,
    source_title=payload,
    url_tail=st.text(st.characters(exclude_categories=("Cs", "Z", "Cc")), max_size=12),
    value=payload,
    measures=payload,
)
@example(
    title="<!--<script>",
    summary="A summary.",
    key_points=["<x-probe>"],
    questions=[],
    term="Tumor",
    definition="A lump.",
    source_title="A source",
    url_tail="a",
    value="1%",
    measures="m",
)
def test_front_matter_and_registers_are_text_on_every_page(
    escape_site, title, summary, key_points, questions, term, definition, source_title, url_tail, value, measures
):
    for relative, text in registers_with(term, definition, source_title, url_tail, value, measures).items():
        escape_site.write(relative, text)
    front = [f"title: {quoted(title)}", f"summary: {quoted(summary)}", f"reviewed: {REVIEWED}", "key_points:"]
    front += [f"  - {quoted(point)}" for point in key_points]
    front += ["questions:", *(f"  - {quoted(q)}" for q in questions)] if questions else []
    body = "A tumour grows [@seer]. It is [1 in 4](stat:probe).\n\n!!! urgent\n    Call now."
    escape_site.write("content/basics/fuzz.md", "---\n" + "\n".join(front) + "\n---\n\n" + body + "\n")
    result = escape_site.build()
    assert not {p.rule for p in result.problems} & ENGINE_FAILURES, result.problems
    pages = escape_site.rendered(result)
    assert "basics/fuzz/index.html" in pages
    for path, html in pages.items():
        assert_no_injected_markup(path, html)
    # The check above only means something if the text got there: a title the schema accepted is on its page.
    if not any(p.message.startswith('"title"') for p in result.problems):
        assert str(escape(title.strip())) in pages["basics/fuzz/index.html"]


# The whole build, in-process, with one fuzzed article (any front matter, any body, raw HTML included).

any_front_matter = st.one_of(
    st.lists(st.sampled_from(YAML_LINES), max_size=12).map("\n".join),
    yaml_tree.map(yaml_document),
    st.text(max_size=40),
)
any_body = st.one_of(
    markdown_body,
    st.lists(
        st.tuples(
            st.one_of(
                st.sampled_from(MARKDOWN_FRAGMENTS),
                st.sampled_from(["<div>", "</div>", "<b>x</b>", "<script>x</script>", "<!--", "-->", "<x-probe>"]),
                st.text(max_size=12),
            ),
            st.sampled_from(SEPARATORS),
        ),
        max_size=20,
    ).map(lambda pieces: "".join(piece + separator for piece, separator in pieces)),
)


@pytest.fixture(scope="module")
def build_site(new_site):
    return new_site()


@fuzz(60)
@given(front=any_front_matter, body=any_body)
@example(front=f"title: A\nsummary: B\nreviewed: {REVIEWED}\nrelated: [../../etc/passwd, basics/fuzz.md]", body="")
@example(front=f"title: A\nsummary: B\nreviewed: {REVIEWED}\nskip_terms: [Nope]\nfaq: true", body="## Why?\n\nA.")
@example(front="title: A\nsummary: B\nreviewed: 9999-12-31", body="Text.")
def test_any_article_builds_or_reports(build_site, front, body):
    text = f"---\n{front}\n---\n{body}\n"
    build_site.write("content/basics/fuzz.md", text)
    result = build_site.build()
    assert isinstance(result, pipeline.BuildResult)
    assert not {p.rule for p in result.problems} & ENGINE_FAILURES, result.problems
    for problem in result.problems:
        assert problem.rule in RULES, problem
        if problem.file.endswith("fuzz.md"):
            assert 0 <= problem.line <= file_lines(text), problem
    built = "basics/fuzz/index.html" in result.files
    # The article is either on the site or stopped by an error that names it: never silently left out.
    assert built or any(p.severity is Severity.ERROR and p.file.endswith("fuzz.md") for p in result.problems)


# Not a search: shapes of text whose build time was seen to grow with the square of their size, each at two sizes.
# Under the 256 KB a page may have, that is hours for the build, the check and the live preview.
SLOW_SHAPES = {
    # Python-Markdown rescans the rest of a paragraph from every "[" it cannot close (its issue 798).
    "unclosed brackets": lambda size: "[" * size * 4,
    # Each block whose first line is not found in the source as written (a tab is expanded before the blocks are
    # placed) is looked for to the end of the page.
    "unplaced blocks": lambda size: "A\tday.\n\n" * size,
}


@pytest.mark.parametrize("shape", SLOW_SHAPES)
def test_build_time_grows_linearly_with_the_text(build_site, shape):
    def seconds(text: str) -> float:
        build_site.write("content/basics/fuzz.md", article("Fuzz", text))
        times = []
        for _ in range(3):  # the fastest of three: a busy machine stalls a run now and then
            started = time.perf_counter()
            build_site.build()
            times.append(time.perf_counter() - started)
        return min(times)

    small, large = seconds(SLOW_SHAPES[shape](250)), seconds(SLOW_SHAPES[shape](1000))
    # Four times the text takes at most four times as long when the work is linear (less: much of a build is fixed
    # work) and sixteen when it is quadratic. The line is drawn between the two, so a busy machine does not fail it.
    assert large < 8 * small, (small, large)


# The command line an editor runs: a clean exit 0 or 1, with problems in the documented formats.

PROBLEM_LINE = re.compile(r"\S.*?(:\d+)?: (error|warning) \[[a-z0-9-]+\] \S.*")


@pytest.fixture(scope="module")
def cli_site(new_site):
    return new_site()


@fuzz(20)
@given(front=any_front_matter, body=any_body, output=st.sampled_from(["text", "json", "github"]))
@example(front="title: A\nsummary: B\nreviewed: !!timestamp soon", body="Text.", output="text")
@example(front=f'title: A\nsummary: B\nreviewed: {REVIEWED}\n"two\\nlines": x', body="Text.", output="text")
def test_check_exits_cleanly(cli_site, front, body, output):
    cli_site.write("content/basics/fuzz.md", f"---\n{front}\n---\n{body}\n")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--config", str(cli_site.root / "config.yaml"), "--format", output])
    assert code in (0, 1), (code, err.getvalue())
    if output == "json":
        report = json.loads(out.getvalue())
        assert report["failed"] is (code == 1)
        assert all(p["rule"] in RULES for p in report["problems"])
    elif output == "github":
        # Every line but the summary is one workflow command, or GitHub shows the rest as plain log text.
        assert all(line.startswith("::") for line in out.getvalue().splitlines()[:-1]), out.getvalue()
    else:
        # One line per problem: editors' tools and CI problem matchers read "file:line: severity [rule] message".
        lines = re.split(r"\r\n|\r|\n", err.getvalue().removesuffix("\n")) if err.getvalue() else []
        assert all(PROBLEM_LINE.fullmatch(line) for line in lines), lines
        assert (code == 1) is any(" error [" in line for line in lines), lines
