"""YAML parsing that keeps the line of every key and list item, so problems can point editors at a line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem
from .rules import report


@dataclass(frozen=True)
class ImpossibleDate:
    """A value shaped like a date that is not one (2026-13-01). Kept as a value so the schema can report it with
    its line, instead of PyYAML's ValueError ending the whole parse."""

    text: str

    def __str__(self) -> str:
        return self.text


# libyaml's loader is about 8x faster than the pure-Python one and just as safe (see perf notes).
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return ImpossibleDate(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML plus, for each path of keys and indexes, the 1-based line in the file where it starts."""

    data: Any
    lines: Mapping[Path_, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.first_line


def parse_yaml(text: str, file: str, first_line: int = 1) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse ``text``, which starts at ``first_line`` of ``file``. Never swallows an error: it becomes a Problem."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {}, first_line), []
        index = _Index(text, file, first_line)
        index.visit(node, ())
        if index.unsupported:
            return None, index.unsupported
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, file, first_line)]
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        return None, [report("yaml-syntax", file, first_line, f"YAML could not be read: {exc}")]
    finally:
        loader.dispose()
    return YamlDoc(data, index.lines, first_line), index.problems


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str, first_line: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    lines = text.splitlines()
    # At the end of the text, PyYAML points at the line after the last one, which editors cannot see.
    line = first_line + min(mark.line, max(len(lines) - 1, 0)) if mark else first_line
    if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
        # PyYAML's own words for this ("found character '\t' that cannot start any token") help nobody.
        message = "this line has a tab. YAML indents with spaces only: replace the tab with spaces."
        return report("yaml-syntax", file, line, message)
    if exc.context == "while scanning a quoted scalar" and exc.context_mark:
        opened = first_line + exc.context_mark.line
        message = (
            f"a quote opened on line {opened} is never closed. Add the closing quote at the end of that value, "
            "or remove the opening one."
        )
        return report("yaml-syntax", file, opened, message)
    if (exc.problem or "").startswith("mapping values are not allowed"):
        message = (
            'this line has a "key:" where none can go: it is indented more than the line above, or its value '
            'contains ": ". Start each setting at the beginning of its line, and put quotes around a value that '
            'contains ": ".'
        )
        return report("yaml-syntax", file, line, message)
    context = exc.context or ""
    if exc.context and exc.context_mark and exc.context_mark.line != getattr(exc.problem_mark, "line", None):
        context += f" started on line {first_line + exc.context_mark.line},"
    what = " ".join(part for part in (context, exc.problem) if part)
    hint = "Check the indentation, and put quotes around text that contains a colon followed by a space."
    return report("yaml-syntax", file, line, f"YAML syntax error: {what}. {hint}")


class _Index:
    """The line of every key and item. Also refuses the YAML that plain settings never need and that would make the
    build crash or hang: tags (``!!int x``), aliases (``*name``, which can multiply a few lines into millions) and
    keys that are lists or mappings."""

    def __init__(self, text: str, file: str, first_line: int):
        self.text, self.file, self.first_line = text, file, first_line
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self.unsupported: list[Problem] = []
        self._seen: set[int] = set()

    def visit(self, node: yaml.Node, path: Path_, key_line: int | None = None) -> None:
        """``key_line``: the line of the key this value belongs to; an alias's own node carries only the line of the
        value it repeats."""
        line = self.first_line + node.start_mark.line
        if id(node) in self._seen:
            message = "a YAML alias (*name) repeats a value written elsewhere. Write the value out here."
            self._refuse(key_line or line, message)
            return
        self._seen.add(id(node))
        if _TAGGED.match(self.text, node.start_mark.index):
            self._refuse(line, "a YAML tag (such as !!int) is not used in these files. Remove it: write the value.")
        if isinstance(node, yaml.MappingNode):
            self._mapping(node, path)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.lines[(*path, i)] = self.first_line + item.start_mark.line
                self.visit(item, (*path, i), key_line)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> None:
        seen: set[str] = set()
        for key_node, value_node in node.value:
            line = self.first_line + key_node.start_mark.line
            if not isinstance(key_node, yaml.ScalarNode):
                self._refuse(line, "a key here is a list or a set of keys. Keys are plain words, such as 'title:'.")
                continue
            key = key_node.value
            if key in seen:
                message = f'"{key}" appears twice; YAML would silently keep only the last one. Remove one of them.'
                self.problems.append(report("yaml-duplicate-key", self.file, line, message))
            seen.add(key)
            self.lines[(*path, key)] = line
            self.visit(value_node, (*path, key), line)

    def _refuse(self, line: int, message: str) -> None:
        problem = report("yaml-syntax", self.file, line, message)
        if problem not in self.unsupported:
            self.unsupported.append(problem)


_TAGGED = re.compile(r"(?:&\S+\s+)?!")
