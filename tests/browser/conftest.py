"""Browser tests: the real site, built once and served on localhost, driven in Debian's Chromium by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest
from project import CHROMIUM, CHROMIUM_ARGS, serve


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: apt-get install chromium (the README's test command does this)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def built_site(real_site) -> Path:
    """The project's own site, built with --strict, as a host without a configured address would serve it."""
    return real_site


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    server = serve(built_site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
