#!/usr/bin/env python3
"""Build, check and serve the site. Run `python build.py --help` for the commands."""

import sys

from handout.cli import main

if __name__ == "__main__":
    sys.exit(main())
