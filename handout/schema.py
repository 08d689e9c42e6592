"""Explicit schemas for YAML mappings (config.yaml, front matter), checked once, at load.

A schema is a tuple of Fields. ``check`` returns the converted values plus every problem found: unknown keys
(with a "did you mean"), missing required keys (with an example line), and values of the wrong kind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .problems import Problem, did_you_mean
from .rules import report
from .yamldoc import ImpossibleDate, Path_, YamlDoc


class InvalidValueError(Exception):
    """A value of the wrong kind; the message completes the sentence '"key" ...'."""


@dataclass(frozen=True)
class Field:
    name: str
    kind: Callable[[Any], Any]
    required: bool = False
    default: Any = None
    example: str = ""


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


def text(max_length: int | None = None, why: str = "") -> Callable[[Any], str]:
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

    return convert


def integer(minimum: int | None = None, maximum: int | None = None) -> Callable[[Any], int]:
    def convert(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValueError(f'must be a whole number, not "{_shown(value)}".')
        if minimum is not None and value < minimum:
            raise InvalidValueError(f"must be at least {minimum}, not {value}.")
        if maximum is not None and value > maximum:
            raise InvalidValueError(f"must be at most {maximum}, not {_shown(value)}.")
        return value

    return convert


def date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, ImpossibleDate):
        raise InvalidValueError(f'is not a real date: "{value}". Write it as YYYY-MM-DD, for example 2026-11-21.')
    raise InvalidValueError(f'must be a date written as YYYY-MM-DD (for example 2026-11-21), not "{_shown(value)}".')


def choice(*options: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if value not in options:
            raise InvalidValueError(
                f'must be one of: {", ".join(options)}; not "{_shown(value)}".{did_you_mean(str(value), options)}'
            )
        return value

    return convert


def text_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise InvalidValueError("must be a list, with each item on its own line starting with '- '.")
    items = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            raise InvalidValueError(f"item {i} must be text, not {kind_name(item)}.")
        items.append(item.strip())
    return tuple(items)


def folder(value: Any) -> str:
    name = text()(value)
    if any(ord(c) < 32 for c in name):
        raise InvalidValueError("must be a folder name; it has a control character (a tab or a NUL, say).")
    return name


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def slug(value: Any) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise InvalidValueError(f'must use only lowercase letters, digits and single hyphens, not "{_shown(value)}".')
    return value


def http_url(value: Any) -> str:
    if not isinstance(value, str) or not re.match(r"https?://[^/\s]+(/\S*)?\Z", value):
        raise InvalidValueError(f'must be a full web address starting with https://, not "{_shown(value)}".')
    return value if value.endswith("/") else value + "/"


def language(value: Any) -> str:
    if not isinstance(value, str) or not re.match(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z", value):
        raise InvalidValueError(f'must be a language tag such as "en" or "en-GB", not "{_shown(value)}".')
    return value


def kind_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f'"{_shown(value)}"'


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValueError(f'must be true or false, not "{_shown(value)}".')
    return value


def web_address(value: Any) -> str:
    """A URL kept exactly as written: sources must link to the very page that was read."""
    if not isinstance(value, str) or not re.match(r"https?://[^/\s]+\S*\Z", value):
        raise InvalidValueError(f'must be a full web address starting with https://, not "{_shown(value)}".')
    return value


def year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1800 <= value <= 2200:
        raise InvalidValueError(f'must be a year such as 2024, not "{_shown(value)}".')
    return value
