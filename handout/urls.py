"""The URL scheme: where each source file is published, and how one page links to another.

Every URL inside the site is a path relative to the site root ("" is the home page, "treatments/" a section,
"treatments/chemotherapy/" an article). Pages only ever emit URLs relative to themselves, so the built site works
unchanged under any sub-path of any host.
"""

from __future__ import annotations

import posixpath

# Pages the site makes itself, at fixed addresses that no content file may take.
GLOSSARY_URL = "glossary/"
SOURCES_URL = "sources/"
SEARCH_URL = "search/"
CHANGES_URL = "changes/"
PRINT_SLUG = "print"  # each section's printable page is <section>/print/


def page_url(source_path: str) -> str:
    """The URL of a content file given by its path inside the content folder ("bone/index.md" style)."""
    stem = source_path[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


def output_file(url: str) -> str:
    """The file that serves ``url``: pretty URLs are folders holding an index.html."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def relative(from_url: str, to_url: str) -> str:
    """``to_url`` as seen from the page at ``from_url``; both are site-root-relative. Plain string work: it runs for
    every link of every page, and the site's URLs are already normal (no "." or ".." parts)."""
    if from_url == "" or from_url.endswith("/"):
        base = from_url
    else:
        folder = posixpath.dirname(from_url)
        base = folder + "/" if folder else ""
    fragment = ""
    if "#" in to_url:
        to_url, fragment = to_url.split("#", 1)
        fragment = "#" + fragment
    if to_url == base and fragment:
        return fragment
    here = base.split("/")[:-1]
    there = to_url.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    result = "../" * (len(here) - common) + "/".join(there[common:])
    return (result or "./") + fragment


def absolute(base_url: str, url: str) -> str:
    """An absolute URL for sitemaps and canonical links; ``base_url`` ends with a slash."""
    return base_url + url
