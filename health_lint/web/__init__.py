"""Live link checking and site crawling (``health-lint links`` / ``crawl``).

Pipeline, like lychee: extract (``crawler.extract_links`` for pages,
``report.occurrences_from_document`` for local files) → collect (de-dup by
``urls.normalize_url``) → check (``checker.check_urls`` with
``client.HttpClient`` and ``cache.Cache``) → report
(``report.results_to_findings``).

Public API::

    WebConfig                                   # every knob, with defaults
    Cache(path=".health-lint-cache.sqlite")
    check_urls(urls, config, cache=None) -> dict[str, LinkResult]
    crawl(start_url, config, cache=None, resume=False, on_page=None) -> CrawlResult
    results_to_findings(results, occurrences, orphans=(), config=None) -> list[Finding]
    crawl_findings(crawl_result, config=None) -> list[Finding]
    occurrences_from_document(doc, base_url=None) -> list[Occurrence]
    apply_rewrites(text, [(url_start, url_end, old_url, new_url)]) -> str
    fix_targets(results) -> {old_url: new_url}
"""
from .cache import Cache
from .checker import LinkResult, check_urls
from .config import WebConfig
from .crawler import CrawlResult, Occurrence, PageInfo, crawl
from .fix import apply_rewrites, fix_targets, https_upgrades
from .report import crawl_findings, occurrences_from_document, results_to_findings

__all__ = [
    "Cache", "CrawlResult", "LinkResult", "Occurrence", "PageInfo", "WebConfig", "apply_rewrites", "check_urls",
    "crawl", "crawl_findings", "fix_targets", "https_upgrades", "occurrences_from_document", "results_to_findings",
]
