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

# The CMS at /admin/ (handout/cms.py) is a React application that cannot run under the site's policy, so it has
# its own, on its own pages only, and no more than Decap CMS needs: 'unsafe-eval' because it compiles its config
# schema into a function (ajv), 'unsafe-inline' styles because it styles its elements as it renders them
# (emotion), and the API of the repository it edits. Still nothing from another host's files.
_ADMIN = {"script-src": "'self' 'unsafe-eval'", "style-src": "'self' 'unsafe-inline'"}
CMS_BACKEND_APIS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com"}

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


def admin_content_security_policy(connect: tuple[str, ...] = (), *, header: bool = False) -> str:
    """The CMS's policy; ``connect``: the hosts it may talk to besides its own (its backend's API)."""
    directives = dict(_POLICY + (_HEADER_ONLY if header else ()))
    directives.update(_ADMIN)
    directives["connect-src"] = " ".join(("'self'", *connect))
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def headers_file(admin: str | None = None, admin_connect: tuple[str, ...] = ()) -> str:
    """``_headers``: the same policy for every path of the site, as response headers. With the CMS at ``admin``
    (its path, such as "/admin/"), its pages drop the site's policy and take their own: "! name" is how Cloudflare
    Pages removes a header a broader rule set. Hosts that cannot remove one would apply both policies, and the CMS
    would not start there; GitHub Pages reads no _headers at all, and uses the policy in each page."""
    lines = ["/*", f"  Content-Security-Policy: {content_security_policy(header=True)}"]
    lines += [f"  {name}: {value}" for name, value in HEADERS]
    if admin:
        policy = admin_content_security_policy(admin_connect, header=True)
        lines += [f"{admin}*", "  ! Content-Security-Policy", f"  Content-Security-Policy: {policy}"]
    return "\n".join(lines) + "\n"
