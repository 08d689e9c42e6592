"""The files an editor hands the build, read the one safe way: UTF-8 text (a byte-order mark and Windows line endings
simply work), of a sane size, and only from inside the folder they belong to.

A pull request can add a symbolic link as easily as a file. Following one out of the project would let a page, a
template or a static file publish whatever the building machine can read (its SSH keys, say), so every file is
resolved and checked to be inside its folder before it is opened.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, shown_path
from .rules import report

# Some twenty times the longest page a patient would read: a file this big is a paste gone wrong, and parsing it
# would take minutes.
MAX_BYTES = 256 * 1024


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, with every link on the way followed, is ``folder`` or within it."""
    target, root = path.resolve(), folder.resolve()
    return target == root or root in target.parents


def outside_problem(path: Path, folder: Path) -> Problem:
    target = path.resolve()
    what = "a link to" if path.is_symlink() else "outside its folder, at"
    return report(
        "path-outside",
        shown_path(path),
        0,
        f"this is {what} {target}, outside {shown_path(folder)}/. The build reads nothing from outside the "
        "folder a file belongs in: copy the file itself here, or remove the link.",
    )


def read_text(
    path: Path, folder: Path, limit: int | None = MAX_BYTES, walked: bool = False
) -> tuple[str | None, list[Problem]]:
    """The text of an editor's file inside ``folder``, with line endings made "\\n" and any BOM dropped; or None and
    the problems that stopped it being read. ``walked``: ``walk`` found the file in ``folder`` and had nothing to
    say of it, so it is inside (resolving every file's path would cost more than reading most)."""
    file = shown_path(path)
    if not walked and not inside(path, folder):
        return None, [outside_problem(path, folder)]
    try:
        size = path.stat().st_size
        if limit is not None and size > limit:
            message = (
                f"is {size / 1024 / 1024:.1f} MB; a page can be at most {limit // 1024} KB, far longer than anyone "
                "reads. Split it into several articles, or check that nothing was pasted into it by mistake."
            )
            return None, [report("content-too-large", file, 0, message)]
        data = path.read_bytes()
    except OSError as exc:
        return None, [report("content-unreadable", file, 0, f"cannot be read ({exc.strerror}). Check its permissions.")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = (
            f"is not UTF-8 text: byte {exc.start} (0x{data[exc.start]:02x}, on line {line}) is not valid UTF-8. "
            "Save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)."
        )
        return None, [report("content-encoding", file, line, message)]
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), []


def walk(folder: Path, skip: tuple[str, ...] = (".",)) -> Iterator[tuple[Path, Problem | None]]:
    """Every file under ``folder`` except those in folders whose names start with ``skip``, in a stable order; a
    file or folder that leads outside ``folder`` comes with the problem that says so, and a linked folder is never
    entered (links can loop)."""
    yield from _walk(folder, folder, skip)


def _walk(current: Path, folder: Path, skip: tuple[str, ...]) -> Iterator[tuple[Path, Problem | None]]:
    # Since linked folders are never entered, only a link can lead outside: other files need no resolving, which
    # would cost more than reading them.
    try:
        with os.scandir(current) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        if not entry.is_dir() or entry.name.startswith(skip):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            yield path, outside_problem(path, folder) if not inside(path, folder) else _linked_folder(path)
        else:
            folders.append(path)
    for entry in entries:
        if not entry.is_dir() and not entry.name.startswith("."):
            path = Path(entry.path)
            yield path, outside_problem(path, folder) if entry.is_symlink() and not inside(path, folder) else None
    for path in folders:
        yield from _walk(path, folder, skip)


def stamp(path: Path) -> tuple[int, int, int, int] | None:
    """What tells one version of a file from the next without reading it (times, size and inode), or None."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


def _linked_folder(path: Path) -> Problem:
    return report(
        "path-outside",
        shown_path(path),
        0,
        "this folder is a link to another folder; the build does not follow folder links (they can lead outside "
        "the project, or loop). Replace the link with the folder itself.",
    )


def links_outside(folder: Path) -> list[Problem]:
    """Problems with the files of a folder read by name later (templates): links leading outside it."""
    return [problem for _, problem in walk(folder) if problem] if folder.is_dir() else []


@dataclass(frozen=True)
class StaticFile:
    path: Path
    relative: str  # where it goes under the site's static/ folder, with forward slashes


def list_static(folder: Path, config_file: str) -> tuple[tuple[StaticFile, ...], list[Problem]]:
    """The static files to publish, listed with everything else before rendering so that a bad one stops the build
    before anything is written."""
    if not folder.is_dir():
        message = (
            "the static folder (the site's styles and scripts) does not exist, so pages would have no styles. "
            f"Restore static/ from the project, or set static_dir in {config_file}."
        )
        return (), [report("static-missing", shown_path(folder), 0, message)]
    files, problems = [], []
    for path, problem in walk(folder):
        if problem:
            problems.append(problem)
        else:
            files.append(StaticFile(path, path.relative_to(folder).as_posix()))
    return tuple(files), problems
