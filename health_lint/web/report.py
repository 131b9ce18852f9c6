"""Map link results to :class:`health_lint.findings.Finding` objects.

Public API::

    results_to_findings(results: dict[str, LinkResult], occurrences: Iterable[Occurrence],
                        orphans: Iterable[str] = (), config: WebConfig | None = None) -> list[Finding]
    occurrences_from_document(doc: Document, base_url: str | None = None) -> list[Occurrence]
    crawl_findings(result: CrawlResult, config: WebConfig | None = None) -> list[Finding]

One finding per place a failing link appears (a crawled page with its HTML
line, or a local file with line:column from ``Document.links``), with the
anchor text in the message and the HTTP details in ``Finding.data``:
``url, status, classification, chain [{url, status}], final_url, fix_url,
permanent, elapsed, error, from_cache, anchor_text``.

Rules and severities: ``links/broken`` error, ``links/server-error`` error,
``links/unverified`` warning, ``links/redirected`` warning when the first hop
is permanent (301/308) and info when temporary (302/303/307),
``graph/orphan`` warning (sitemap pages nothing links to).
"""
from __future__ import annotations

import http
from typing import Iterable
from urllib.parse import urljoin

from ..findings import Finding
from .checker import LinkResult, apply_fragment
from .config import WebConfig
from .crawler import CrawlResult, Occurrence
from .urls import normalize_url, scheme_of

RULES = {
    "broken": ("links/broken", "error"),
    "server-error": ("links/server-error", "error"),
    "unverified": ("links/unverified", "warning"),
    "redirected": ("links/redirected", "warning"),
}


def _phrase(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def lookup(results: dict[str, LinkResult], url: str, config: WebConfig) -> LinkResult | None:
    r = results.get(url)
    if r is None:
        r = results.get(normalize_url(url))
    if r is None:
        return None
    return apply_fragment(r, url, config)


def _message(r: LinkResult, url: str, text: str) -> tuple[str, str, str]:
    """(message, hint, severity override)"""
    label = f'"{text}" ' if text else ""
    cls = r.classification
    if cls == "broken":
        if r.error_kind in ("loop", "too-many-redirects") and r.error:
            detail = r.error  # "redirect loop back to …", not the last hop's status
        else:
            detail = r.error if (r.error and (not r.status or "fragment" in r.error)) else _phrase(r.status)
        if r.chain and r.status and r.error_kind not in ("loop", "too-many-redirects"):
            detail += f" after redirects to {r.final_url}"
        return f"Broken link {label}→ {url} ({detail})", "Fix the URL, link to a replacement or an archived copy, or remove the link.", ""
    if cls == "server-error":
        return f"Server error for link {label}→ {url} ({_phrase(r.status)} after retries)", "The site may be down; check again later or replace the source.", ""
    if cls == "unverified":
        detail = r.error or _phrase(r.status)
        if r.status and r.error:
            detail = f"{_phrase(r.status)}: {r.error}"
        return f"Could not verify link {label}→ {url} ({detail})", "Open it in a browser; add the status to accept_statuses or the URL to exclude if it is fine.", ""
    # redirected
    first = r.chain[0][1] if r.chain else 0
    if r.permanent:
        return (f"Link {label}→ {url} redirects permanently ({first}) to {r.fix_url or r.final_url}",
                f"Update the link to {r.fix_url or r.final_url} (health-lint links --fix does it).", "warning")
    return (f"Link {label}→ {url} redirects temporarily ({first}) to {r.final_url}",
            "Usually fine; the target may change.", "info")


def finding_for(r: LinkResult, occ: Occurrence) -> Finding | None:
    if r.classification not in RULES:
        return None
    rule, severity = RULES[r.classification]
    message, hint, sev = _message(r, occ.url, occ.text)
    end_line = occ.end_line or occ.line
    end_col = occ.end_column or occ.column
    return Finding(
        path=occ.source, line=occ.line, column=occ.column, end_line=end_line, end_column=end_col,
        rule=rule, severity=sev or severity, message=message, hint=hint, snippet=occ.url,
        data={
            "url": occ.url, "status": r.status, "classification": r.classification,
            "chain": [{"url": u, "status": s} for u, s in r.chain], "final_url": r.final_url,
            "fix_url": r.fix_url, "permanent": r.permanent, "elapsed": r.elapsed, "error": r.error,
            "from_cache": r.from_cache, "anchor_text": occ.text,
        },
    )


def results_to_findings(results: dict[str, LinkResult], occurrences: Iterable[Occurrence], orphans: Iterable[str] = (),
                        config: WebConfig | None = None) -> list[Finding]:
    config = config or WebConfig()
    findings: list[Finding] = []
    seen: set[tuple] = set()
    for occ in occurrences:
        r = lookup(results, occ.url, config)
        if r is None:
            continue
        f = finding_for(r, occ)
        if f is None:
            continue
        k = (f.path, f.line, f.column, f.rule, occ.url)
        if k in seen:
            continue
        seen.add(k)
        findings.append(f)
    for url in orphans:
        findings.append(Finding(
            path=url, line=1, column=1, end_line=1, end_column=1, rule="graph/orphan", severity="warning",
            message=f"Orphan page: {url} is in the sitemap but no crawled page links to it",
            hint="Link to it from a related page or hub, or drop it from the sitemap.",
            document_level=True, snippet=url, data={"url": url},
        ))
    findings.sort(key=Finding.sort_key)
    return findings


def crawl_findings(result: CrawlResult, config: WebConfig | None = None) -> list[Finding]:
    return results_to_findings(result.results, result.occurrences, result.orphans, config)


def occurrences_from_document(doc, base_url: str | None = None) -> list[Occurrence]:
    """Occurrences of the http(s) links of a parsed :class:`Document` (local
    file), with line:column of the URL. Relative links are resolved against
    ``base_url`` when given, otherwise left out (they are local links)."""
    out: list[Occurrence] = []
    for link in doc.links:
        url = link.url.strip()
        if not url:
            continue
        scheme = scheme_of(url)
        if not scheme:
            if not base_url:
                continue
            url = urljoin(base_url, url)
        elif scheme not in ("http", "https"):
            continue
        start = link.url_start if link.url_start >= 0 else link.start
        end = link.url_end if link.url_end >= 0 else link.end
        line, col = doc.position(start)
        eline, ecol = doc.position(max(start, end))
        out.append(Occurrence(source=doc.path, url=url, text=link.text, line=line, column=col, end_line=eline,
                              end_column=ecol, tag=link.kind, url_start=link.url_start, url_end=link.url_end))
    return out
