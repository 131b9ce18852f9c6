"""Check URLs and classify the answers.

Public API::

    check_urls(urls: list[str], config: WebConfig, cache: Cache | None = None,
               *, client: HttpClient | None = None, progress: Progress | None = None)
        -> dict[str, LinkResult]      # keyed by each URL exactly as given

Every distinct URL (by :func:`urls.normalize_url`, fragment ignored) is
requested at most once; fresh cached results are reused
(``LinkResult.from_cache``). Classes (``LinkResult.classification``):

=============  ===============================================================
ok             2xx (or a status in ``accept_statuses``)
redirected     2xx after one or more redirects (``chain``, ``final_url``;
               ``permanent`` when the first hop is 301/308, ``fix_url`` is where
               the leading permanent hops lead)
broken         404, 410, other 4xx, DNS failure, connection refused by a host
               that never answered, TLS error, redirect loop / too many
               redirects, missing ``#fragment`` (with ``check_fragments``)
server-error   5xx after retries
unverified     401, 403, 407, 429 after retries, 451, 999, bot challenges
               (Cloudflare ``cf-mitigated``, "Just a moment..."), timeouts,
               connections refused/reset by a host that answered before
skipped        not requested: mailto:/tel:/javascript:/data:, excluded URLs,
               ``ignore_statuses``, robots.txt
blocked        not requested: link-local/metadata or (unless allowed) private
               addresses
=============  ===============================================================

Ctrl-C (``KeyboardInterrupt``) in :func:`check_urls` stops within about a
second (requests in flight are cut) and raises :class:`CheckInterrupted`
with the results so far. A cache row that cannot be read as a result is
treated as a miss (the URL is checked again).
"""
from __future__ import annotations

import os
import re
import sys
import time
import queue
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Iterable

from .cache import Cache
from .client import FetchOutcome, HttpClient, is_challenge
from .config import WebConfig
from .urls import MALFORMED_URL, has_credentials, host_of, normalize_url, skip_reason, split_fragment

CLASSES = ("ok", "redirected", "broken", "server-error", "unverified", "skipped", "blocked")
PERMANENT = (301, 308)
NETWORK_KINDS = {"dns", "refused", "refused-flaky", "reset", "timeout", "stopped", "other"}


@dataclass
class LinkResult:
    url: str
    status: int = 0
    classification: str = "ok"
    chain: list[tuple[str, int]] = field(default_factory=list)
    final_url: str = ""
    permanent: bool = False
    error: str = ""
    elapsed: float = 0.0
    from_cache: bool = False
    error_kind: str = ""
    fix_url: str = ""  # where the leading permanent redirects lead (for --fix)
    content_type: str = ""
    # Fragment ids of the page when its body was read (fragment checks).
    anchors: list[str] | None = None
    # Crawl only: the chain stopped at a page the crawler fetches itself;
    # resolved with that page's result when the crawl ends.
    pending_target: str = ""

    @property
    def network_error(self) -> bool:
        return self.status == 0 and self.error_kind in NETWORK_KINDS

    def to_dict(self) -> dict[str, Any]:
        # Field by field, not dataclasses.asdict: its deep copy cost a
        # crawl about 0.4 ms a page. Every value is a plain str/int/float/bool
        # except the chain (tuples) and the anchors (a list), copied here.
        d = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "from_cache"}
        d["chain"] = [list(h) for h in self.chain]
        if self.anchors is not None:
            d["anchors"] = list(self.anchors)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any], from_cache: bool = False) -> "LinkResult":
        d = dict(d)
        d["chain"] = [tuple(h) for h in d.get("chain", [])]
        d["from_cache"] = from_cache
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})

    def summary(self) -> str:
        """Short human description: "404", "301 → https://…", "timeout"."""
        parts = []
        if self.status:
            parts.append(str(self.status))
        if self.chain:
            parts.append(" → ".join(f"{u} ({s})" for u, s in self.chain))
        if self.error:
            parts.append(self.error)
        return "; ".join(parts)


def _permanent_target(chain: list[tuple[str, int]]) -> str:
    target = ""
    for i, (_url, status) in enumerate(chain[:-1]):
        if status in PERMANENT:
            target = chain[i + 1][0]
        else:
            break
    return target


def classify(out: FetchOutcome, config: WebConfig) -> LinkResult:
    """Turn what the client saw into a :class:`LinkResult`."""
    r = LinkResult(
        url=out.url, status=out.status, chain=list(out.chain), final_url=out.final_url or out.url,
        error=out.error, elapsed=round(out.elapsed, 4), error_kind=out.error_kind, content_type=out.content_type,
    )
    kind = out.error_kind
    if out.stopped_at:
        r.pending_target = out.stopped_at
        r.fix_url = _permanent_target(r.chain + [(out.final_url, 0)])
        r.permanent = bool(r.fix_url)
        r.classification = "redirected"
        return r
    if kind == "blocked":
        r.classification = "blocked"
        return r
    if kind in ("loop", "too-many-redirects", "invalid"):
        r.classification = "broken"
        return r
    if kind:
        if kind in ("dns", "refused", "tls"):
            r.classification = "broken"
            if kind == "refused":
                r.error = f"connection refused on every attempt ({r.error})"
        else:  # timeout, refused-flaky, reset, other
            r.classification = "unverified"
            if kind == "refused-flaky":
                r.error = f"connection refused intermittently; the server may cap connections ({r.error})"
        return r
    status = out.status
    fix = _permanent_target(r.chain)
    if fix:
        r.fix_url = fix
        r.permanent = True
    if status in config.accept_statuses or 200 <= status < 300:
        r.classification = "redirected" if r.chain else "ok"
    elif status in config.ignore_statuses:
        r.classification = "skipped"
        r.error = f"status {status} ignored by configuration"
    elif is_challenge(status, out.headers, out.body):
        r.classification = "unverified"
        r.error = "bot protection challenge (cannot be verified by a robot)"
    elif status in config.unverified_statuses:
        r.classification = "unverified"
    elif 500 <= status < 600:
        r.classification = "server-error"
    elif 400 <= status < 500:
        r.classification = "broken"
    elif status == 304:
        r.classification = "ok"
    else:
        r.classification = "unverified"
        r.error = r.error or f"unexpected status {status}"
    if r.classification == "ok" and r.chain:
        r.classification = "redirected"
    return r


def resolve_pending(r: LinkResult, target: LinkResult | None) -> LinkResult:
    """Complete a redirect chain that stopped at ``target``'s URL."""
    if target is None:
        return LinkResult(**{**r.__dict__, "pending_target": "", "classification": "unverified",
                             "error": f"redirect target {r.final_url} was not checked"})
    chain = list(r.chain) + (list(target.chain) if target.chain else [(target.url if target.url else r.final_url, target.status)])
    cls = target.classification
    if cls == "ok":
        cls = "redirected"
    return LinkResult(**{**r.__dict__, "pending_target": "", "chain": chain, "status": target.status,
                         "classification": cls, "final_url": target.final_url or r.final_url,
                         "error": target.error, "error_kind": target.error_kind, "content_type": target.content_type,
                         "anchors": target.anchors})


def cached_result(data: dict[str, Any]) -> LinkResult | None:
    """A result read back from the cache, or None when the row does not
    hold one (damaged or from an incompatible version): checked again."""
    try:
        r = LinkResult.from_dict(data, from_cache=True)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    if r.classification not in CLASSES or not isinstance(r.url, str):
        return None
    return r


def charset_of(content_type: str) -> str | None:
    """The charset of a Content-Type header, if Python knows it. It wins
    over a <meta charset>, as in browsers; without either, lxml reads a
    UTF-8 page as Latin-1, which turns "/café" or an id "schmerz-ü" into
    something else."""
    import codecs

    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", content_type or "", re.I)
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1)).name
    except LookupError:
        return None


def page_anchors(body: bytes, charset: str | None = None) -> list[str]:
    """Ids a fragment can target: every id attribute and <a name>."""
    if not body:
        return []
    import lxml.html

    try:
        root = lxml.html.document_fromstring(body, parser=lxml.html.HTMLParser(encoding=charset))
    except Exception:  # noqa: BLE001 - unparsable page: no anchors
        return []
    ids = set(root.xpath("//@id")) | set(root.xpath("//a/@name"))
    return sorted(str(i) for i in ids)


def apply_fragment(result: LinkResult, url: str, config: WebConfig) -> LinkResult:
    """The result for ``url`` (which may carry a #fragment) derived from the
    result of its page: a missing fragment makes an ok link broken."""
    _base, frag = split_fragment(url)
    raw = url.partition("#")[2]
    if result.url != url:
        result = LinkResult(**{**result.__dict__, "url": url})
    if not frag or not config.check_fragments or result.anchors is None:
        return result
    if result.classification not in ("ok", "redirected") or "html" not in (result.content_type or "html"):
        return result
    if frag.startswith(("!", "/", ":~:")) or frag.lower() == "top":
        return result
    # HTML spec ("find a potential indicated element"): an id equal to the
    # raw fragment first (<div id="tangent%3A-x">), then the percent-decoded one.
    if raw in result.anchors or frag in result.anchors:
        return result
    return LinkResult(**{**result.__dict__, "classification": "broken", "error": f"fragment #{frag} not found in the page"})


def skipped_result(url: str, reason: str, classification: str = "skipped") -> LinkResult:
    if reason == MALFORMED_URL:  # not requested, but a reader cannot open it either
        return LinkResult(url=url, classification="broken", final_url=url, error=reason, error_kind="invalid")
    return LinkResult(url=url, classification=classification, final_url=url, error=reason)


def result_from_outcome(out: FetchOutcome, config: WebConfig, read_anchors: bool) -> LinkResult:
    r = classify(out, config)
    if read_anchors and out.body and "html" in out.content_type:
        r.anchors = page_anchors(out.body, charset_of(out.headers.get("content-type", "")))
    return r


def cache_key(key: str, config: WebConfig) -> str:
    """Results-cache key of a normalised URL: results are cached classified,
    so the classification settings (accept/ignore/unverified statuses) are
    part of the key when they differ from the defaults."""
    tag = config.classification_tag()
    return f"{key} cls={tag}" if tag else key


def store(cache: Cache | None, config: WebConfig, items: Iterable[tuple[str, LinkResult]]) -> None:
    if cache is None:
        return
    rows = []
    for key, r in items:
        if r.from_cache or r.classification in ("skipped", "blocked") or r.error_kind == "stopped":
            continue
        # A password in the cache file would outlive the run: such results
        # are never stored (they are checked again each time).
        if has_credentials(key) or any(has_credentials(u) for u, _ in r.chain) or has_credentials(r.final_url):
            continue
        ttl = config.ttl_for(r.classification, network_error=r.network_error)
        if ttl:
            rows.append((cache_key(key, config), r.to_dict(), r.classification, ttl))
    if rows:
        cache.put_many(rows)


def interleave_by_host(keys: list[str]) -> list[str]:
    """Round-robin over hosts so one slow host does not hold every worker."""
    by_host: dict[str, list[str]] = {}
    for k in keys:
        by_host.setdefault(host_of(k), []).append(k)
    out: list[str] = []
    queues = list(by_host.values())
    i = 0
    while queues:
        q = queues[i % len(queues)]
        out.append(q.pop(0))
        if not q:
            queues.remove(q)
        else:
            i += 1
    return out


def worker_count(config: WebConfig) -> int:
    # More threads than request slots: threads waiting on a busy host's slot
    # must not starve other hosts (the semaphores enforce the real limits).
    return max(2, min(config.concurrency * 4, 256))


class CheckInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`check_urls`: requests in flight were cut, and
    ``results`` holds the URLs checked before it (keyed as given);
    ``unchecked`` the URLs that were not."""

    def __init__(self, results: dict[str, LinkResult], unchecked: list[str]):
        super().__init__()
        self.results = results
        self.unchecked = unchecked


def check_urls(urls: list[str], config: WebConfig, cache: Cache | None = None, *, client: HttpClient | None = None, progress=None) -> dict[str, LinkResult]:
    """Check ``urls`` over HTTP; see the module docstring. Ctrl-C stops
    within about a second: requests in flight are cut, results so far are
    cached, and :class:`CheckInterrupted` carries them."""
    results: dict[str, LinkResult] = {}
    groups: dict[str, list[str]] = {}
    want_body: dict[str, bool] = {}
    excludes = [re.compile(p) for p in config.exclude]
    for url in dict.fromkeys(urls):
        reason = skip_reason(url)
        if reason:
            results[url] = skipped_result(url, reason)
            continue
        if any(p.search(url) for p in excludes):
            results[url] = skipped_result(url, "excluded by configuration")
            continue
        key = normalize_url(url)
        groups.setdefault(key, []).append(url)
        if config.check_fragments and split_fragment(url)[1]:
            want_body[key] = True

    by_key: dict[str, LinkResult] = {}
    if cache is not None and groups:
        ckeys = {cache_key(k, config): k for k in groups}
        for ckey, data in cache.get_many(ckeys).items():
            key = ckeys[ckey]
            r = cached_result(data)
            if r is None:
                continue
            if want_body.get(key) and r.anchors is None and r.classification in ("ok", "redirected"):
                continue
            by_key[key] = r
    todo = interleave_by_host([k for k in groups if k not in by_key])
    own_client = client is None
    if client is None:
        client = HttpClient(config)
    if progress is not None:
        # The bar counts the requests still to make: answers from the cache
        # are shown apart, so the rate and the ETA are those of the network.
        progress.add_total(len(groups) - len(by_key))
        progress.cached(len(by_key))
    pool = None
    futures: dict = {}
    again: list[str] = []
    try:
        if todo:
            with ThreadPoolExecutor(max_workers=min(worker_count(config), len(todo))) as pool:
                try:
                    # Finished futures are queued by a done callback: O(1) per
                    # completion (``wait(pending, FIRST_COMPLETED)`` re-registers
                    # a waiter on every pending future each time one finishes).
                    done_q: queue.SimpleQueue = queue.SimpleQueue()
                    for key in todo:
                        fut = pool.submit(client.fetch, key, want_body.get(key, False))
                        futures[fut] = key
                        fut.add_done_callback(done_q.put)
                    left = len(futures)
                    batch: list[tuple[str, LinkResult]] = []
                    last_flush = time.monotonic()
                    while left:
                        done = []
                        try:
                            done.append(done_q.get(timeout=1.0))
                            while True:
                                done.append(done_q.get_nowait())
                        except queue.Empty:
                            pass
                        left -= len(done)
                        for fut in done:
                            key = futures[fut]
                            r = result_from_outcome(fut.result(), config, want_body.get(key, False))
                            by_key[key] = r
                            batch.append((key, r))
                            if progress is not None:
                                progress.update(r)
                        if batch and (len(batch) >= 200 or time.monotonic() - last_flush > 1.0 or not left):
                            store(cache, config, batch)
                            batch = []
                            last_flush = time.monotonic()
                except KeyboardInterrupt:
                    # Before the pool's exit waits: cut requests in flight
                    # and drop queued ones, so that wait is short.
                    client.stop()
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
        # A host that refused some connections but answered others is
        # overloaded, not gone: ask those URLs again (the client now retries
        # them longer and slower, and never calls them broken).
        again = [k for k in todo if by_key[k].error_kind == "refused" and client.host_answered(k)]
        if again:
            with ThreadPoolExecutor(max_workers=min(worker_count(config), len(again))) as pool:
                futures = {pool.submit(client.fetch, k, want_body.get(k, False)): k for k in again}
                try:
                    outs = [fut.result() for fut in futures]
                except KeyboardInterrupt:
                    client.stop()
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
            redo = []
            for key, out in zip(again, outs):
                by_key[key] = result_from_outcome(out, config, want_body.get(key, False))
                redo.append((key, by_key[key]))
            store(cache, config, redo)
    except KeyboardInterrupt:
        # Stop now: cut what is in flight, drop what is queued, keep (and
        # cache) what finished, and let the caller report it.
        client.stop()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        for key in again:
            by_key.pop(key, None)  # a refusal being asked again is not a result yet
        for fut, key in futures.items():
            if fut.done() and not fut.cancelled() and fut.exception() is None and key not in by_key:
                out = fut.result()
                if out.error_kind != "stopped":
                    by_key[key] = result_from_outcome(out, config, want_body.get(key, False))
        try:
            store(cache, config, [(key, by_key[key]) for key in todo if key in by_key])
        except Exception:  # noqa: BLE001 - saving is best effort after Ctrl-C
            pass
        partial = {url: apply_fragment(by_key[key], url, config) for key, originals in groups.items()
                   if key in by_key for url in originals}
        partial.update(results)
        unchecked = [url for key, originals in groups.items() if key not in by_key for url in originals]
        raise CheckInterrupted(partial, unchecked) from None
    finally:
        if own_client:
            client.close()
    for key, originals in groups.items():
        for url in originals:
            results[url] = apply_fragment(by_key[key], url, config)
    return results


def progress_enabled(config: WebConfig) -> bool:
    if config.progress is not None:
        return config.progress
    return sys.stderr.isatty() and not os.environ.get("CI")
