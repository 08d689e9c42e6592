"""Stage 6: write the rendered site. The new site is assembled in a temporary folder beside the output folder, as
its files are rendered, and swapped in only once complete and free of errors, so a failed or interrupted build
never leaves a half-written site behind.

A file whose bytes did not change is not written again: the previous site's file is linked into the new one, so it
keeps its modification time and rsync, a CDN or a browser cache sees nothing new."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .config import SiteConfig
from .problems import shown_path
from .render import Output
from .sourcefiles import StaticFile


def unsafe_output(config: SiteConfig, config_file: Path) -> str | None:
    """Why writing to the output folder would destroy something, or None. Replacing it deletes what is there."""
    out = config.output_dir.resolve()
    root = config_file.resolve().parent
    shown = shown_path(out)
    if out == root or out in root.parents:
        return (
            f"the output folder {shown} holds the whole project, which building would replace. Choose another with "
            "--out."
        )
    sources = {"content": config.content_dir, "templates": config.templates_dir, "static files": config.static_dir}
    for name, folder in sources.items():
        folder = folder.resolve()
        if out == folder:
            return (
                f"the output folder {shown} is the folder of the site's {name}, which building would replace. "
                "Choose another with --out."
            )
        if out in folder.parents or folder in out.parents:
            return (
                f"the output folder {shown} overlaps {shown_path(folder)}, the folder of the site's {name}, which "
                "building would replace. Choose another with --out."
            )
    if out.exists() and not out.is_dir():
        return f"the output path {out} is a file, not a folder. Choose another with --out."
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").exists():
        return (
            f"the output folder {out} is not empty and does not look like a site built by this tool, so it "
            "will not be replaced. Empty it, or choose another folder with --out."
        )
    return None


class Staging:
    """The new site, assembled in a temporary folder beside the output folder, file by file as each is rendered
    (forked render workers inherit it and place their own files), so that no process holds the whole site."""

    def __init__(self, folder: Path, output_dir: Path):
        self.folder = folder
        self.output_dir = output_dir  # the previous site, whose unchanged files are linked rather than written
        self.published = False

    def place(self, relative: str, data: bytes) -> None:
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = self.output_dir / relative
        if _same_bytes(previous, data):
            try:
                os.link(previous, target, follow_symlinks=False)
                return
            except OSError:  # a file system without hard links: copying keeps the time too
                shutil.copy2(previous, target, follow_symlinks=False)
                return
        target.write_bytes(data)

    def publish(self) -> None:
        """Swap the staged site in for the output folder: once, after the last file is placed."""
        with signals_held():
            _swap(self.folder, self.output_dir)
        self.published = True


@contextlib.contextmanager
def staged_site(output_dir: Path, static: Iterable[StaticFile]) -> Iterator[Staging]:
    """A staging folder holding the static files, for the rendered files to be placed in. Unless the block
    publishes it, the folder is removed on leaving the block, however it is left, and the output folder is as it
    was."""
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    with signals_held():  # so that an interrupt cannot fall between making the folder and owning its clean-up
        folder = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
        try:
            os.chmod(folder, 0o755)  # mkdtemp makes it private; a web server must be able to read the site
        except BaseException:
            os.rmdir(folder)
            raise
    staging = Staging(folder, output_dir)
    try:
        for file in static:
            staging.place(f"static/{file.relative}", file.path.read_bytes())
        yield staging
    finally:
        if not staging.published:
            shutil.rmtree(folder, ignore_errors=True)


def replace_files(outputs: Iterable[Output], output_dir: Path) -> bool:
    """Put these files into a site already written, each swapped in whole (``serve`` shows a saved page this way
    while the rest of the site is built). Whether there was a site to put them in."""
    if not (output_dir / "index.html").is_file():
        return False
    for output in outputs:
        target = output_dir / output.path
        if _same_bytes(target, output.data):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.new")
        partial.write_bytes(output.data)
        os.replace(partial, target)
    return True


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return not path.is_symlink() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl+C and SIGTERM wait until the block is done, then take effect: the swap of old site for new is a few
    renames and a delete that must not be cut in half."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows has no signal masks; its interrupts are rarer mid-rename
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _swap(staging: Path, output_dir: Path) -> None:
    try:
        if not output_dir.exists():
            os.rename(staging, output_dir)
            return
        retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
        os.rmdir(retired)  # only its unique name is wanted: rename needs the target not to exist
        os.rename(output_dir, retired)
        try:
            os.rename(staging, output_dir)
        except BaseException:
            os.rename(retired, output_dir)
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _delete_later(retired, output_dir)


def _delete_later(retired: Path, output_dir: Path) -> None:
    """Delete the previous site in a process of its own, which the build does not wait for: a thousand pages are a
    thousand folders, a tenth of a second to delete. Previous sites that such a process left when it was stopped go
    with it. Where there is no POSIX shell (Windows), here and now."""
    leftovers = output_dir.parent.glob(f".{glob.escape(output_dir.name)}.old-*")
    folders = [str(folder) for folder in sorted({retired, *leftovers})]
    shell = shutil.which("sh")
    if shell is None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        return
    # The shell starts rm in the background and ends at once, so no process is left for the build to wait for; a
    # session of its own keeps Ctrl+C, sent to the terminal's foreground processes, from stopping rm.
    quiet = subprocess.DEVNULL
    background = 'rm -rf -- "$@" &'
    subprocess.run(
        [shell, "-c", background, "sh", *folders], stdin=quiet, stdout=quiet, stderr=quiet, start_new_session=True
    )
