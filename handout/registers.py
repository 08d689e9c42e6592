"""Stage 2b: the registers beside the articles: the glossary, the sources and the statistics.

Each is a YAML mapping in the content folder, checked against its schema here, once. Whether an entry is used
is only known once every page is parsed, so unused entries are reported by the site model.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import schema, sourcefiles
from .config import SiteConfig
from .problems import Problem, did_you_mean, shown_path
from .rules import report
from .schema import Field
from .yamldoc import YamlDoc, parse_yaml

GLOSSARY_FILE, SOURCES_FILE, STATS_FILE = "glossary.yaml", "sources.yaml", "stats.yaml"
REGISTER_FILES = (GLOSSARY_FILE, SOURCES_FILE, STATS_FILE)
_KEY_PATTERN = r"[A-Za-z0-9_](?:[A-Za-z0-9_:.-]*[A-Za-z0-9_])?"
KEY = re.compile(_KEY_PATTERN + r"\Z")
STALE_AFTER_DAYS = 2 * 365


@dataclass(frozen=True)
class Term:
    name: str
    anchor: str
    definition: str
    aliases: tuple[str, ...]
    see_also: tuple[str, ...]
    source: str | None
    match_case: bool
    line: int
    # Plain words a reader might type for the term ("tired" for Fatigue): search finds the pages that use the term
    # by them. Never linked, and not shown: unlike aliases, they need not appear in any article.
    search_words: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str | None
    authors: str | None
    publication: str | None
    kind: str
    year: int | None
    date: dt.date | None
    url: str | None
    accessed: dt.date | None
    note: str | None
    line: int


@dataclass(frozen=True)
class Stat:
    id: str
    value: str
    measures: str
    population: str
    period: str
    source: str
    line: int


@dataclass(frozen=True)
class Registers:
    terms: tuple[Term, ...]  # A to Z
    sources: Mapping[str, Source]
    stats: Mapping[str, Stat]
    files: Mapping[str, str]  # register name -> file as shown in messages

    @cached_property
    def terms_by_name(self) -> Mapping[str, Term]:
        return {t.name: t for t in self.terms}


TERM_FIELDS = (
    Field(
        "definition",
        schema.text(400),
        required=True,
        example="definition: One to three short, plain sentences.",
        help="One to three short, plain sentences.",
    ),
    Field("aliases", schema.text_list, default=(), help="Other forms of the word that are linked too (plurals...)."),
    Field("see_also", schema.text_list, default=(), help="Other terms of the glossary."),
    Field("source", schema.text(80), help="The id of the source the definition comes from."),
    Field("match_case", schema.boolean, help="On: link only words written in exactly this case."),
    Field("id", schema.slug, help="Pins the term's address on the glossary page; leave empty."),
    Field(
        "search_words",
        schema.text_list,
        default=(),
        help='Plain words readers type for it ("tired" for Fatigue): search only, never linked.',
    ),
)

SOURCE_FIELDS = (
    Field("title", schema.text(300), required=True, example="title: Symptoms of secondary breast cancer"),
    Field("publisher", schema.text(200), help="Who published it (a web page); or give authors."),
    Field("authors", schema.text(400), help="Who wrote it (a study); or give a publisher."),
    Field("publication", schema.text(300), help="The journal or book it is in."),
    Field("type", schema.choice("web", "article", "book"), default="web"),
    Field("year", schema.year),
    Field("date", schema.date, help="The day it was published, if known."),
    Field("url", schema.web_address, help="The exact address that was read; required for web sources."),
    Field("accessed", schema.date, help="The day the team last opened it and checked what the pages cite."),
    Field("note", schema.text(300), help="How it was checked, or anything a reviewer should know."),
)

STAT_FIELDS = (
    Field("value", schema.text(40), required=True, example='value: "32.6%"', help="As the pages show it: 32.6%."),
    Field("measures", schema.text(300), required=True, example="measures: 5-year relative survival"),
    Field("population", schema.text(300), required=True, example="population: US women diagnosed at stage 4"),
    Field("period", schema.text(120), required=True, example="period: diagnosed 2015-2021"),
    Field("source", schema.text(80), required=True, example="source: seer-breast", help="The id of its source."),
)


@dataclass(frozen=True)
class RegisterSchema:
    """What a register file holds: entries keyed by ``key``, each with ``fields``. The CMS edits them by this."""

    file: str
    label: str
    key: Field  # what an entry's key is: the term as shown, or the id that pages cite
    fields: tuple[Field, ...]


def _register_id(what: str) -> Field:
    def convert(value: object) -> str:
        if not _valid_key(value):
            raise schema.InvalidValueError("must use letters, digits, hyphens, dots, colons and underscores.")
        return str(value)

    kind = schema.Kind("text", convert, pattern=f"^{_KEY_PATTERN}$")
    return Field("id", kind, required=True, help=f"What pages write to {what}: letters, digits and - . : _ only.")


REGISTERS = (
    RegisterSchema(
        GLOSSARY_FILE,
        "Glossary",
        Field("term", schema.text(), required=True, help="The word as the glossary shows it."),
        TERM_FIELDS,
    ),
    RegisterSchema(SOURCES_FILE, "Sources", _register_id("cite it, as in [@id]"), SOURCE_FIELDS),
    RegisterSchema(STATS_FILE, "Statistics", _register_id("show it, as in [32.6%](stat:id)"), STAT_FIELDS),
)


def load_registers(config: SiteConfig, today: dt.date | None = None) -> tuple[Registers, list[Problem]]:
    problems: list[Problem] = []
    files = {name: shown_path(config.content_dir / name) for name in (GLOSSARY_FILE, SOURCES_FILE, STATS_FILE)}
    folder = config.content_dir
    sources, found = _load(folder, SOURCES_FILE, files[SOURCES_FILE], _sources, today)
    problems += found
    terms, found = _load(folder, GLOSSARY_FILE, files[GLOSSARY_FILE], _terms, sources)
    problems += found
    stats, found = _load(folder, STATS_FILE, files[STATS_FILE], _stats, sources)
    problems += found
    ordered_terms = tuple(sorted(terms or (), key=lambda t: t.name.lower()))
    return Registers(ordered_terms, sources or {}, stats or {}, files), problems


def _load(folder: Path, name: str, file: str, build, context):
    """A register file is optional: a site without a glossary simply has none."""
    path = folder / name
    if not path.is_file():
        return None, []
    # Registers are lists of short entries, read by libyaml in milliseconds: no size limit is needed.
    text, problems = sourcefiles.read_text(path, folder, limit=None)
    if text is None:
        return None, problems
    doc, problems = parse_yaml(text, file)
    if doc is None or doc.data is None:
        return None, problems
    if not isinstance(doc.data, dict):
        example = {GLOSSARY_FILE: "Bone scan:", SOURCES_FILE: "acs-treatment:", STATS_FILE: "seer-survival:"}[name]
        message = (
            f"{name} must be a set of entries, each starting with its id and a colon at the start of a line "
            f'(such as "{example}"), not {schema.kind_name(doc.data)}.'
        )
        return None, [*problems, report("schema-type", file, doc.first_line, message)]
    built, found = build(doc, file, context)
    return built, problems + found


def _entries(
    doc: YamlDoc, file: str, what: str, where: str, fields, problems: list[Problem]
) -> Iterator[tuple[str, int, dict]]:
    """Each entry of a register keyed by id whose id and fields are valid; every problem goes to ``problems``."""
    for key in doc.data:
        line = doc.line((key,))
        if not _valid_key(key):
            problems.append(_bad_key(file, line, key, what))
            continue
        values, found = schema.check(doc, (key,), fields, file, where.format(key=key))
        problems += found
        if not found:
            yield key, line, values


def _sources(doc: YamlDoc, file: str, today: dt.date | None) -> tuple[dict[str, Source], list[Problem]]:
    sources, problems = {}, []
    for key, line, values in _entries(doc, file, "source", 'source "{key}"', SOURCE_FIELDS, problems):
        problems += _source_rules(key, values, file, line, today)
        kind = values.pop("type")
        sources[key] = Source(id=key, kind=kind, line=line, **values)
    return sources, problems


def _source_rules(key: str, values: dict, file: str, line: int, today: dt.date | None) -> list[Problem]:
    problems = []
    if not values["publisher"] and not values["authors"]:
        problems.append(
            report(
                "source-no-publisher",
                file,
                line,
                f'source "{key}" names neither a publisher nor authors. Add "publisher:" (for a web '
                'page) or "authors:" (for a study).',
            )
        )
    if values["type"] == "web" and not values["url"]:
        problems.append(
            report(
                "source-no-url",
                file,
                line,
                f'source "{key}" is a web page without a URL. Add "url:" with the exact address that was read.',
            )
        )
    if not values["accessed"]:
        problems.append(
            report(
                "source-no-accessed",
                file,
                line,
                f'source "{key}" has no access date. Add "accessed: YYYY-MM-DD" with the date the '
                "team last checked it.",
            )
        )
    elif today and (today - values["accessed"]).days > STALE_AFTER_DAYS:
        problems.append(
            report(
                "source-stale",
                file,
                line,
                f'source "{key}" was last accessed on {values["accessed"].isoformat()}, over two '
                "years ago. Check that it still says what the site cites it for, then update "
                '"accessed".',
            )
        )
    return problems


def _terms(doc: YamlDoc, file: str, sources: Mapping[str, Source] | None) -> tuple[list[Term], list[Problem]]:
    terms, problems = [], []
    seen: dict[str, str] = {}  # every form (name or alias), folded, -> the term that owns it
    anchors: dict[str, str] = {}
    for name in doc.data:
        line = doc.line((name,))
        values, found = schema.check(doc, (name,), TERM_FIELDS, file, f'the term "{name}"')
        problems += found
        if found:
            continue
        name = str(name)
        if name.lower() in seen:
            problems.append(_duplicate(file, line, "term", name, seen[name.lower()]))
            continue  # one message for the mistake: the duplicate takes no further part
        seen[name.lower()] = name
        aliases = []
        for i, alias in enumerate(values["aliases"]):
            if alias.lower() in seen:
                problems.append(_duplicate(file, doc.line((name, "aliases", i)), "alias", alias, seen[alias.lower()]))
            else:
                seen[alias.lower()] = name
                aliases.append(alias)
        term = Term(
            name,
            values["id"] or _anchor(name),
            values["definition"],
            tuple(aliases),
            values["see_also"],
            values["source"],
            bool(values["match_case"]),
            line,
            values["search_words"],
        )
        if term.anchor in anchors:
            problems.append(
                report(
                    "glossary-duplicate-anchor",
                    file,
                    line,
                    f'the term "{term.name}" would have the same anchor "#{term.anchor}" as '
                    f'"{anchors[term.anchor]}". Give one of them an "id:".',
                )
            )
        anchors[term.anchor] = term.name
        if term.source and term.source not in (sources or {}):
            problems.append(_unknown_source(file, doc.line((name, "source")), term.source, sources))
        terms.append(term)
    names = [t.name for t in terms]
    problems += _search_word_problems(doc, file, terms, seen)
    for term in terms:
        for i, other in enumerate(term.see_also):
            if other not in names:
                problems.append(
                    report(
                        "glossary-see-also",
                        file,
                        doc.line((term.name, "see_also", i)),
                        f'"{term.name}" lists "{other}" under see_also, but there is no such term.'
                        f"{did_you_mean(other, names)}",
                    )
                )
    return terms, problems


def _search_word_problems(doc: YamlDoc, file: str, terms: list[Term], forms: Mapping[str, str]) -> list[Problem]:
    """A search word is a word that is not already a term's name or alias (there, search finds that term by it),
    listed once. Two terms may share one: "swelling" can lead to Edema and to Lymphedema."""
    problems = []
    for term in terms:
        listed: set[str] = set()
        for i, word in enumerate(term.search_words):
            folded = word.lower()
            owner = forms.get(folded)
            if owner == term.name:
                message = (
                    f'the search word "{word}" of "{term.name}" is already its name or an alias, which search finds '
                    "anyway. Remove it from search_words."
                )
            elif owner:
                message = (
                    f'the search word "{word}" of "{term.name}" is the name or an alias of the term "{owner}", '
                    "which search finds by it. Remove it from search_words."
                )
            elif folded in listed:
                message = f'"{term.name}" lists the search word "{word}" twice. Remove one of them.'
            else:
                listed.add(folded)
                continue
            problems.append(report("glossary-duplicate", file, doc.line((term.name, "search_words", i)), message))
    return problems


def _duplicate(file: str, line: int, what: str, form: str, owner: str) -> Problem:
    return report(
        "glossary-duplicate",
        file,
        line,
        f'the {what} "{form}" is already used by the term "{owner}". Each word may belong to one term only: '
        "remove one of them.",
    )


def _stats(doc: YamlDoc, file: str, sources: Mapping[str, Source] | None) -> tuple[dict[str, Stat], list[Problem]]:
    stats, problems = {}, []
    for key, line, values in _entries(doc, file, "statistic", 'the statistic "{key}"', STAT_FIELDS, problems):
        if values["source"] not in (sources or {}):
            problems.append(_unknown_source(file, doc.line((key, "source")), values["source"], sources))
            continue
        stats[key] = Stat(id=key, line=line, **values)
    return stats, problems


def _unknown_source(file: str, line: int, key: str, sources: Mapping[str, Source] | None) -> Problem:
    return report(
        "source-unknown",
        file,
        line,
        f'"{key}" is not a source in {SOURCES_FILE}.{did_you_mean(key, sources or {})} Add it there, or '
        "use an existing id.",
    )


def _valid_key(key: object) -> bool:
    return isinstance(key, str) and bool(KEY.match(key))


def _bad_key(file: str, line: int, key: object, what: str) -> Problem:
    return report(
        "register-id",
        file,
        line,
        f'"{key}" cannot be a {what} id: use letters, digits, hyphens, dots, colons and underscores, '
        "starting and ending with a letter or digit.",
    )


def _anchor(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "term"
