"""Rules reported by the online commands, ``health-lint links`` and
``health-lint crawl``. Their findings come from the link checker
(``health_lint/web``): they are documented and configured like every rule,
but a rule never touches the network, so they have no check function here.
"""
from __future__ import annotations

_HOW_CHECKED = """Links are checked over HTTP by ``health-lint links FILES`` (the links in
local articles; relative and site-root links too when a base URL is set) and
``health-lint crawl URL`` (every link found on a published site). Each URL
is requested once however many pages use it, HEAD first and GET when a
server refuses HEAD, with retries and backoff for connection errors, 408,
429 (honouring Retry-After) and 5xx. Results are cached in a SQLite file
(``.health-lint-cache.sqlite``) with a time-to-live per result class."""


def _doc(summary: str, what: str, why: str, example: str, fix: str) -> str:
    parts = [summary, "", "What it does", "------------", what, "", _HOW_CHECKED, "",
             "Why it matters", "--------------", why, "", "Examples", "--------", example, "",
             "How to fix", "----------", fix, ""]
    return "\n".join(parts)


RULES = [
    {"ID": "links/broken", "SEVERITY": "error", "SCOPE": "online", "CONF": {}, "DEFAULT": {},
     "DOC": _doc(
         "A link leads nowhere: 404, 410, an unknown host, a refused connection or a TLS error.",
         "Reports every place (file and line:column, or crawled page and line) that links to a URL that is "
         "gone: HTTP 404 or 410 (and other 4xx that mean the request itself is wrong), a host that does not "
         "exist, a host that refuses every connection, or an invalid TLS certificate. A host that answered "
         "other requests and refuses some (a server at its connection limit) is retried more slowly and, if "
         "it still fails, reported as ``links/unverified``, never as broken. A missing ``#fragment`` on a page "
         "is broken when fragment checking is on.",
         "A reader who follows a broken link to the source of a health claim, or to the next step of care, "
         "hits a dead end, and search engines read broken links as a sign of a neglected site.",
         "``back-pain.md:12:31 error links/broken  Broken link \"NHS advice\" → https://www.nhs.uk/conditions/"
         "old-page/ (404 Not Found)``; a crawl reports the page and HTML line instead of the file.",
         "Update the URL (the target may have moved: search the site), link to an archived copy, or remove "
         "the link. Settings: ``[tool.health-lint.links] exclude`` (URL regexes) and ``accept-statuses``.")},
    {"ID": "links/redirected", "SEVERITY": "warning", "SCOPE": "online", "CONF": {}, "DEFAULT": {},
     "DOC": _doc(
         "A link redirects: permanent redirects should be updated.",
         "Reports links whose URL answers with a redirect, with the whole chain in the JSON details. A "
         "permanent redirect (301, 308) is a warning: the site has said the old address is gone for good. A "
         "temporary one (302, 303, 307) is info. Redirect loops and chains longer than ``max-redirects`` are "
         "reported as broken.",
         "Each redirect costs the reader a round trip; permanent redirects often end at a generic page once "
         "the old content is removed, and a chain of them eventually breaks.",
         "``sciatica.md:20:8 warning links/redirected  Link \"NICE guideline\" → http://nice.org.uk/guidance/ng59 "
         "redirects permanently (301) to https://www.nice.org.uk/guidance/ng59``",
         "Update the link to the final URL. ``health-lint links --fix`` rewrites permanently redirected links "
         "(and http:// links whose https:// version answers the same) in Markdown and HTML sources, changing "
         "nothing else in the file.")},
    {"ID": "links/unverified", "SEVERITY": "warning", "SCOPE": "online", "CONF": {}, "DEFAULT": {},
     "DOC": _doc(
         "A link could not be verified: 401, 403, 429, 999, a bot challenge or a timeout.",
         "Reports links the checker could not confirm either way: the server demanded a login (401), refused "
         "a robot (403, 999, Cloudflare challenges), rate-limited us even after waiting (429), or did not "
         "answer in time. These are warnings, never reported as broken, because the page usually works in a "
         "browser.",
         "Bot protection is common on health sites (journals, hospital systems). Calling those links broken "
         "would bury real problems in false alarms; not mentioning them would hide links nobody has checked.",
         "``heart.md:7:40 warning links/unverified  Could not verify link \"the trial\" → https://journal.example/"
         "article/123 (403 Forbidden: bot challenge)``",
         "Open the link in a browser. If it works, add its status to ``accept-statuses`` or the URL pattern "
         "to ``exclude`` under ``[tool.health-lint.links]``.")},
    {"ID": "links/server-error", "SEVERITY": "error", "SCOPE": "online", "CONF": {}, "DEFAULT": {},
     "DOC": _doc(
         "A link's server failed (5xx) even after retries.",
         "Reports links whose server answered 500, 502, 503, 504 or another 5xx on every attempt (with "
         "exponential backoff and Retry-After honoured).",
         "A source that is down cannot support the article's claims; if it stays down it is effectively "
         "broken.",
         "``asthma.md:15:3 error links/server-error  Server error for link \"inhaler guide\" → "
         "https://charity.example/inhalers (503 Service Unavailable after retries)``",
         "Check again later; if the site stays down, replace the source.")},
]
