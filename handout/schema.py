"""Explicit schemas for YAML mappings (config.yaml, front matter), checked once, at load.

A schema is a tuple of Fields. ``check`` returns the converted values plus every problem found: unknown keys
(with a "did you mean"), missing required keys (with an example line), and values of the wrong kind.

Each Field's Kind also says what its value is (text of at most N characters, a date, one of some options...), so
that other tools can be generated from the same declarations: the CMS's forms (handout/cms.py) are.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .problems import Problem, did_you_mean
from .rules import report
from .yamldoc import ImpossibleDate, Path_, YamlDoc


class InvalidValueError(Exception):
    """A value of the wrong kind; the message completes the sentence '"key" ...'."""


@dataclass(frozen=True)
class Kind:
    """A kind of value: ``convert`` checks a value read from YAML and returns it converted (or raises
    InvalidValueError); the rest describes it, for forms that must produce only values ``convert`` accepts."""

    name: str  # text, integer, date, choice, list (of text), boolean, records (a list of mappings), slug, ...
    convert: Callable[[Any], Any] = field(repr=False, compare=False)
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    options: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()  # each record's, for "records"
    pattern: str | None = None  # a regular expression (JavaScript's dialect too) that every valid value matches

    def __call__(self, value: Any) -> Any:
        return self.convert(value)


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool = False
    default: Any = None
    example: str = ""
    help: str = ""  # one line for editors, shown beside the field in the CMS


def check(doc: YamlDoc, path: Path_, fields: Sequence[Field], file: str, where: str) -> tuple[dict, list[Problem]]:
    """Check the mapping at ``path`` of ``doc`` against ``fields``; ``where`` names it in messages."""
    data = _get(doc.data, path)
    line = doc.line(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        # Defaults stand in, so that the caller can go on checking what else it can in this run.
        message = f"{where} must be a set of 'key: value' lines, not {kind_name(data)}."
        return {f.name: f.default for f in fields}, [report("schema-type", file, line, message)]
    known = {f.name: f for f in fields}
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key in data:
        if str(key) not in known:
            problems.append(
                report(
                    "schema-unknown-key",
                    file,
                    doc.line((*path, key)),
                    f'unknown key "{key}" in {where}.{did_you_mean(str(key), known)} Allowed keys: {", ".join(known)}.',
                )
            )
    for f in fields:
        if f.name not in data or data[f.name] is None:
            if f.required:
                problems.append(
                    report(
                        "schema-missing-key",
                        file,
                        line,
                        f'"{f.name}" is required in {where}. Add a line such as: {f.example}',
                    )
                )
            values[f.name] = f.default
            continue
        try:
            values[f.name] = f.kind(data[f.name])
        except InvalidValueError as exc:
            problems.append(report("schema-value", file, doc.line((*path, f.name)), f'"{f.name}" {exc}'))
            values[f.name] = f.default
    return values, problems


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def text(max_length: int | None = None, why: str = "") -> Kind:
    def convert(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise InvalidValueError(f"must be text, not {kind_name(value)}.")
        if not isinstance(value, str):
            raise InvalidValueError(f'must be text; put quotes around it: "{value}".')
        value = value.strip()
        if not value:
            raise InvalidValueError("must not be empty.")
        if max_length is not None and len(value) > max_length:
            raise InvalidValueError(f"is {len(value)} characters long; the limit is {max_length}{why}. Shorten it.")
        return value

    return Kind("text", convert, max_length=max_length)


def integer(minimum: int | None = None, maximum: int | None = None) -> Kind:
    def convert(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValueError(f'must be a whole number, not "{_shown(value)}".')
        if minimum is not None and value < minimum:
            raise InvalidValueError(f"must be at least {minimum}, not {value}.")
        if maximum is not None and value > maximum:
            raise InvalidValueError(f"must be at most {maximum}, not {_shown(value)}.")
        return value

    return Kind("integer", convert, minimum=minimum, maximum=maximum)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, ImpossibleDate):
        raise InvalidValueError(f'is not a real date: "{value}". Write it as YYYY-MM-DD, for example 2026-11-21.')
    raise InvalidValueError(f'must be a date written as YYYY-MM-DD (for example 2026-11-21), not "{_shown(value)}".')


date = Kind("date", _date)


def choice(*options: str) -> Kind:
    def convert(value: Any) -> str:
        if value not in options:
            raise InvalidValueError(
                f'must be one of: {", ".join(options)}; not "{_shown(value)}".{did_you_mean(str(value), options)}'
            )
        return value

    return Kind("choice", convert, options=options)


def _text_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise InvalidValueError("must be a list, with each item on its own line starting with '- '.")
    items = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            raise InvalidValueError(f"item {i} must be text, not {kind_name(item)}.")
        items.append(item.strip())
    return tuple(items)


text_list = Kind("list", _text_list)


def records(convert: Callable[[Any], Any], *fields: Field) -> Kind:
    """A list of mappings, each with ``fields`` (a page's change log): ``convert`` checks the whole list."""
    return Kind("records", convert, fields=fields)


# A mapping checked field by field by its own schema (config.yaml's contact block, say).
nested = Kind("nested", lambda value: value)


def _folder(value: Any) -> str:
    name = text()(value)
    if any(ord(c) < 32 for c in name):
        raise InvalidValueError("must be a folder name; it has a control character (a tab or a NUL, say).")
    return name


folder = Kind("folder", _folder)


_SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_SLUG = re.compile(_SLUG_PATTERN + r"\Z")


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise InvalidValueError(f'must use only lowercase letters, digits and single hyphens, not "{_shown(value)}".')
    return value


slug = Kind("slug", _slug, pattern=f"^{_SLUG_PATTERN}$")


def _http_url(value: Any) -> str:
    if not isinstance(value, str) or not re.match(r"https?://[^/\s]+(/\S*)?\Z", value):
        raise InvalidValueError(f'must be a full web address starting with https://, not "{_shown(value)}".')
    return value if value.endswith("/") else value + "/"


http_url = Kind("url", _http_url)


def _language(value: Any) -> str:
    if not isinstance(value, str) or not re.match(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z", value):
        raise InvalidValueError(f'must be a language tag such as "en" or "en-GB", not "{_shown(value)}".')
    return value


language = Kind("language", _language)


def kind_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f'"{_shown(value)}"'


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValueError(f'must be true or false, not "{_shown(value)}".')
    return value


boolean = Kind("boolean", _boolean)


_WEB_ADDRESS = r"https?://[^/\s]+\S*"


def _web_address(value: Any) -> str:
    """A URL kept exactly as written: sources must link to the very page that was read."""
    if not isinstance(value, str) or not re.match(_WEB_ADDRESS + r"\Z", value):
        raise InvalidValueError(f'must be a full web address starting with https://, not "{_shown(value)}".')
    return value


web_address = Kind("url", _web_address, pattern=f"^{_WEB_ADDRESS}$")

YEARS = (1800, 2200)


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not YEARS[0] <= value <= YEARS[1]:
        raise InvalidValueError(f'must be a year such as 2024, not "{_shown(value)}".')
    return value


year = Kind("year", _year, minimum=YEARS[0], maximum=YEARS[1])
