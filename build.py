#!/usr/bin/env python3
"""Build, check and serve the site. Run `python build.py --help` for the commands."""

import sys

try:
    from handout.cli import run_as_program
except ModuleNotFoundError as missing:  # run with a Python that does not have the project's packages
    print(
        f"This Python cannot find the package {missing.name!r}, which the site needs. Set the project up once with\n"
        "    python3 -m venv .venv && .venv/bin/pip install -e .\n"
        "then run the commands with the project's Python, for example: .venv/bin/python build.py check\n"
        "(or first `source .venv/bin/activate`, after which `python build.py check` works).",
        file=sys.stderr,
    )
    sys.exit(2)

if __name__ == "__main__":
    run_as_program()
