"""Stage 6: write the rendered site. The new site is assembled in a temporary folder beside the output folder and
swapped in only once complete, so a failed or interrupted build never leaves a half-written site behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .config import SiteConfig
from .render import Output
from .sourcefiles import StaticFile


def unsafe_output(config: SiteConfig, config_file: Path) -> str | None:
    """Why writing to the output folder would destroy something, or None. Replacing it deletes what is there."""
    out = config.output_dir.resolve()
    root = config_file.resolve().parent
    if out == root or out in root.parents:
        return f"the output folder {out} contains the whole project. Choose another with --out."
    for folder in (config.content_dir.resolve(), config.templates_dir.resolve(), config.static_dir.resolve()):
        if out == folder or out in folder.parents or folder in out.parents:
            return (
                f"the output folder {out} overlaps {folder}, which holds the site's sources. Choose another with --out."
            )
    if out.exists() and not out.is_dir():
        return f"the output path {out} is a file, not a folder. Choose another with --out."
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").exists():
        return (
            f"the output folder {out} is not empty and does not look like a site built by this tool, so it "
            "will not be replaced. Empty it, or choose another folder with --out."
        )
    return None


def write_site(outputs: Iterable[Output], static: Iterable[StaticFile], output_dir: Path) -> None:
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must be able to read the site
        for file in static:
            destination = staging / "static" / file.relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(file.path.read_bytes())
        for output in outputs:
            target = staging / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.data)
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, output_dir: Path) -> None:
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
    shutil.rmtree(retired)
