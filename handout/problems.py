"""Problems found in a site's config and content, collected so that one run reports all of them."""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.StrEnum):  # ordered as text, so errors sort before warnings
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor has to fix. ``file`` is shown as given: a path relative to the project."""

    file: str
    line: int
    severity: Severity
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity.value} [{self.rule}] {self.message}"


def count(problems: Iterable[Problem], severity: Severity) -> int:
    return sum(1 for p in problems if p.severity is severity)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate an editor most likely meant, or None when nothing is close enough to be a useful guess."""
    pool = sorted(set(candidates))
    exact = [c for c in pool if c.lower() == word.lower()]
    if exact:
        return exact[0]
    import difflib  # only when a problem needs a suggestion: it costs start-up time for every command

    matches = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    # Ids are often a known one with a typo in an added part ("seer-breats" for "seer"): the longest prefix wins.
    prefixes = [c for c in pool if len(c) >= 3 and word.startswith(c)]
    if prefixes:
        return max(prefixes, key=len)
    # Or a known one cut short ("mariotto" for "mariotto-2017"): only worth naming when it is the only one.
    longer = [c for c in pool if len(word) >= 3 and c.startswith(word)]
    return longer[0] if len(longer) == 1 else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A " Did you mean ...?" sentence to append to a message, or "" when there is no good guess."""
    guess = nearest(word, candidates)
    return f' Did you mean "{guess}"?' if guess else ""


class ProblemsError(Exception):
    """Raised by a stage whose problems make it pointless to go on (the config cannot be read, say)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def shown_path(path: os.PathLike[str] | str) -> str:
    """How a file is named in messages: relative to the working directory when it is inside it."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative.replace(os.sep, "/")
