"""The published site's security policy, declared once. Every page's <meta> tags carry what a meta tag can; the
``_headers`` file (read by Netlify, Cloudflare Pages and hosts like them) carries all of it, including what only a
response header can set: frame-ancestors, HSTS, nosniff and the browser features a page may use.

The policy allows the site's own files and nothing else: no inline script or style (an injected ``<script>`` or
``onerror`` does not run even if it got past the sanitizer), no request to another host (a reader's visit is seen by
no one else), and no referrer sent when a reader follows a link to a source.
"""

from __future__ import annotations

REFERRER_POLICY = "no-referrer"

_POLICY = (
    ("default-src", "'none'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self'"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),  # the search page fetches its index
    ("manifest-src", "'self'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("object-src", "'none'"),
)
# Only a header can set these; a <meta> policy that names them is ignored with a console error.
_HEADER_ONLY = (("frame-ancestors", "'none'"),)

# The reload script ``serve`` adds is inline and talks over a web socket: allowed in the local preview only.
_LIVE_RELOAD = {"script-src": "'self' 'unsafe-inline'", "connect-src": "'self' ws: wss:"}

HEADERS = (
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", REFERRER_POLICY),
    ("X-Frame-Options", "DENY"),  # frame-ancestors for browsers that predate it
    ("Cross-Origin-Opener-Policy", "same-origin"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()",
    ),
)


def content_security_policy(*, live_reload: bool = False, header: bool = False) -> str:
    directives = dict(_POLICY + (_HEADER_ONLY if header else ()))
    if live_reload:
        directives.update(_LIVE_RELOAD)
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def headers_file() -> str:
    """``_headers``: the same policy for every path of the site, as response headers."""
    lines = ["/*", f"  Content-Security-Policy: {content_security_policy(header=True)}"]
    lines += [f"  {name}: {value}" for name, value in HEADERS]
    return "\n".join(lines) + "\n"
