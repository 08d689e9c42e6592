"""Problems written out for the reader at hand: a person at a terminal, GitHub's pull-request view, or a program."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby

from .problems import Problem, Severity
from .rules import RULES

FORMATS = ("text", "github", "json")
COLOURS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m"}
BOLD, RESET = "\033[1m", "\033[0m"


def as_text(problems: Sequence[Problem], colour: bool = False) -> str:
    """One line per problem (``file:line: severity [rule] message``), sorted so that each file's problems stand
    together; on a terminal, each file is set apart by a blank line and severities are coloured."""
    if not colour:
        return "".join(f"{problem}\n" for problem in problems)
    blocks = []
    for file, in_file in groupby(problems, key=lambda p: p.file):
        lines = [f"{BOLD}{file}{RESET}"]
        for p in in_file:
            where = f"{file}:{p.line}" if p.line else file
            lines.append(f"{where}: {COLOURS[p.severity]}{p.severity.value}{RESET} [{p.rule}] {p.message}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def as_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands: each problem is shown on its line in the pull request's diff."""
    lines = []
    for p in problems:
        place = f"file={_property(p.file)}" + (f",line={p.line}" if p.line else "")
        lines.append(f"::{p.severity.value} {place},title={_property(p.rule)}::{_data(p.message)}\n")
    return "".join(lines)


def as_json(problems: Sequence[Problem], summary: str, failed: bool) -> str:
    return json.dumps({"failed": failed, "summary": summary, "problems": records(problems)}, indent=2)


def records(problems: Sequence[Problem]) -> list[dict]:
    """Problems as plain data, each with its rule's general fix: for programs, and for the live preview's page."""
    return [
        {
            "file": p.file,
            "line": p.line,
            "severity": p.severity.value,
            "rule": p.rule,
            "message": p.message,
            "fix": RULES[p.rule].fix,
        }
        for p in problems
    ]


def _data(text: str) -> str:
    # GitHub's escaping for workflow command values.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
