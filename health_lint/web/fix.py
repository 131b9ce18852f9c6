"""``links --fix``: rewrite moved links in a source text, byte for byte.

Public API::

    apply_rewrites(text: str, rewrites: Iterable[tuple[int, int, str, str]]) -> str
    fix_targets(results: dict[str, LinkResult]) -> dict[str, str]
    https_upgrades(urls: Iterable[str], results, config, cache=None) -> dict[str, str]

``apply_rewrites`` replaces ``text[start:end]`` (which must spell
``old_url``, raw or HTML-escaped as in ``&amp;``) by ``new_url`` (escaped the
same way) and changes nothing else; overlapping or mismatched rewrites raise
``ValueError`` before anything is changed.

``fix_targets`` maps each link whose first redirect is permanent (301/308) to
where the leading permanent hops lead (keeping the link's own #fragment);
``https_upgrades`` maps ``http://`` links that answered without redirect to
their ``https://`` form when that answers with the same status.
"""
from __future__ import annotations

import html
from typing import Iterable

from .checker import LinkResult, check_urls
from .config import WebConfig
from .urls import split_fragment


def _escape_like(original_slice: str, new_url: str) -> str:
    if "&amp;" in original_slice or "&#" in original_slice:
        return html.escape(new_url, quote=True)
    return new_url


def apply_rewrites(text: str, rewrites: Iterable[tuple[int, int, str, str]]) -> str:
    plan = sorted(rewrites, key=lambda r: r[0])
    prev_end = -1
    for start, end, old, _new in plan:
        if start < 0 or end > len(text) or start > end:
            raise ValueError(f"rewrite range {start}:{end} outside the text")
        if start < prev_end:
            raise ValueError(f"overlapping rewrites at offset {start}")
        piece = text[start:end]
        if piece != old and html.unescape(piece) != old:
            raise ValueError(f"text at {start}:{end} is {piece!r}, not {old!r}")
        prev_end = end
    out = []
    pos = 0
    for start, end, old, new in plan:
        out.append(text[pos:start])
        piece = text[start:end]
        out.append(new if piece == old else _escape_like(piece, new))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def fix_targets(results: dict[str, LinkResult]) -> dict[str, str]:
    out: dict[str, str] = {}
    for url, r in results.items():
        if r.classification == "redirected" and r.permanent and r.fix_url:
            _base, frag = split_fragment(url)
            target = r.fix_url
            if frag and "#" not in target:
                target = f"{target}#{url.partition('#')[2]}"
            if target != url:
                out[url] = target
    return out


def https_upgrades(urls: Iterable[str], results: dict[str, LinkResult], config: WebConfig, cache=None) -> dict[str, str]:
    candidates = {}
    for url in urls:
        r = results.get(url)
        if url.lower().startswith("http://") and r is not None and r.classification == "ok":
            candidates[url] = "https://" + url[7:]
    if not candidates:
        return {}
    checked = check_urls(list(candidates.values()), config, cache)
    out = {}
    for url, https_url in candidates.items():
        h = checked.get(https_url)
        if h is not None and h.classification == "ok" and h.status == results[url].status:
            out[url] = https_url
    return out
