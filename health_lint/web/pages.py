"""Page-level output of a crawl: ``crawl --export pages.csv|pages.json`` and
``crawl -e report.html``.

Public API::

    page_rows(result: CrawlResult, lint: bool = False) -> list[dict]
    write_pages(result, path, fmt, lint=False) -> None        # fmt "csv" or "json"
    crawl_report_data(result, findings, max_depth=3) -> dict  # for graph.report_html.html_from_data

One row per crawled URL (``COLUMNS``): status, class, content type,
response time (ms), depth (clicks from the start page over the links
between crawled pages; empty when only the sitemap leads there), inlinks
(other crawled pages linking to it), outlinks (distinct URLs it links to),
the page facts the crawler read (``crawler.FACT_FIELDS``: title, meta
description, canonical, first heading, word count, reading grade), the
redirect target, and with ``--lint`` the count of content findings by
severity. Rows are built once at the end from the compact per-page tuples
the crawl kept (``PageInfo.facts``).

CSV cells are neutralised against formula injection and credentials in
URLs are redacted (``graph.export.csv_cell``); the JSON export redacts
credentials too. The JSON file also lists the links between crawled pages
(``edges``), so ``health-lint graph`` can draw the crawl.
"""
from __future__ import annotations

import json
import statistics
from collections import Counter, deque
from pathlib import Path
from typing import Any, Iterable

from ..reporters.redact import redact_text, redact_value
from ..safe_write import write_file
from .crawler import FACT_FIELDS, CrawlResult
from .urls import normalize_url

COLUMNS = ("url", "status", "class", "content_type", "response_ms", "depth", "inlinks", "outlinks", *FACT_FIELDS,
           "redirect_target", "lint_errors", "lint_warnings", "lint_info")
EXPORT_FORMATS = {".csv": "csv", ".json": "json", ".html": "html", ".htm": "html"}


def _links(result: CrawlResult) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(targets of each page, crawled pages linking to each URL), self-links left out."""
    out: dict[str, set[str]] = {}
    into: dict[str, set[str]] = {}
    for source, target in result.edges:
        if source == target or source not in result.pages:
            continue
        out.setdefault(source, set()).add(target)
        into.setdefault(target, set()).add(source)
    return out, into


def click_depths(result: CrawlResult, out: dict[str, set[str]]) -> dict[str, int]:
    """Clicks from the start page to each crawled page (breadth-first over
    the links between pages; a redirect counts as the page it leads to)."""
    start = normalize_url(result.start_url)
    depth = {start: 0}
    todo = deque([start])
    while todo:
        page = todo.popleft()
        for target in out.get(page, ()):
            if target not in depth and target in result.pages:
                # A redirect is no extra click: its target is at the same depth.
                hop = 0 if normalize_url(result.pages[page].final_url or page) != page else 1
                depth[target] = depth[page] + hop
                (todo.appendleft if hop == 0 else todo.append)(target)
    return depth


def page_rows(result: CrawlResult, lint: bool = False) -> list[dict[str, Any]]:
    out, into = _links(result)
    depth = click_depths(result, out)
    rows = []
    for key, page in result.pages.items():
        r = result.results.get(key)
        facts = dict(zip(FACT_FIELDS, page.facts)) if page.facts else {f: None for f in FACT_FIELDS}
        final = page.final_url or key
        row: dict[str, Any] = {
            # A redirect's own answer (301...), not its target's.
            "url": page.url, "status": (r.chain[0][1] if r is not None and r.chain else page.status) or None,
            "class": page.classification,
            "content_type": (page.content_type or "").split(";")[0].strip(),
            "response_ms": round(r.elapsed * 1000) if r is not None and r.elapsed else None,
            "depth": depth.get(key), "inlinks": len(into.get(key, ())),
            "outlinks": len(out.get(key, ())) if page.links else 0, **facts,
            "redirect_target": final if normalize_url(final) != key else "",
            "lint_errors": None, "lint_warnings": None, "lint_info": None,
        }
        if lint and page.content_type and "html" in page.content_type and page.classification in ("ok", "redirected"):
            counts = Counter(item.get("severity") for item in result.page_data.get(key) or ())
            row.update(lint_errors=counts["error"], lint_warnings=counts["warning"], lint_info=counts["info"])
        rows.append(row)
    rows.sort(key=lambda row: (row["depth"] is None, row["depth"] or 0, row["url"]))
    return rows


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    import csv
    import io

    from ..graph.export import csv_cell  # formula neutralising and redaction, as the graph's CSV

    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({k: csv_cell("" if v is None else v) for k, v in row.items()})
    return buf.getvalue()


EXPORT_KIND = "health-lint crawl pages"


def _broken_links(result: CrawlResult) -> list[tuple[str, str, str, str]]:
    """(page, link as written, class, error) of each broken link on a crawled page, once."""
    out: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for occ in result.occurrences:
        r = result.result_for(occ.url)
        page = normalize_url(occ.source)
        if r is None or page not in result.pages or r.classification not in ("broken", "server-error"):
            continue
        out.setdefault((page, occ.url), (page, occ.url, r.classification, r.error or ""))
    return list(out.values())


def _finding_dicts(findings: Iterable) -> list[dict[str, Any]]:
    return [{"path": redact_text(f.path), "line": f.line, "column": f.column, "rule": f.rule,
             "severity": f.severity, "message": redact_text(f.message)} for f in findings]


def to_json(result: CrawlResult, rows: list[dict[str, Any]], findings: Iterable = ()) -> str:
    pages = set(result.pages)
    edges = sorted([redact_text(s), redact_text(t)] for s, t in result.edges if s != t and s in pages and t in pages)
    data = {"kind": EXPORT_KIND, "start_url": redact_text(result.start_url),
            "complete": result.complete, "columns": list(COLUMNS), "pages": redact_value(rows),
            "edges": edges, "orphans": [redact_text(u) for u in result.orphans],
            "broken": [[redact_text(x) for x in b] for b in _broken_links(result)],
            "findings": _finding_dicts(findings)}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def write_pages(result: CrawlResult, path: str | Path, fmt: str, lint: bool = False, findings: Iterable = ()) -> None:
    """Write the page rows as ``csv`` or ``json`` (atomically, safe_write);
    the JSON file also holds the links between pages, the broken links and
    the findings, for ``health-lint graph pages.json``."""
    rows = page_rows(result, lint)
    write_file(path, to_csv(rows) if fmt == "csv" else to_json(result, rows, findings))


class NotACrawlExport(ValueError):
    pass


def load_export(path: str | Path) -> tuple[CrawlResult, list[dict[str, Any]]]:
    """(the crawl, its findings) from a ``crawl --export pages.json`` file:
    enough of the crawl for :func:`crawl_report_data` (pages, the links
    between them, orphans, broken links). Raises NotACrawlExport (or
    OSError) with the reason."""
    from .checker import LinkResult
    from .crawler import Occurrence, PageInfo

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotACrawlExport(f"{path}: not a crawl export (not JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("kind") != EXPORT_KIND:
        raise NotACrawlExport(f"{path}: not a crawl export (made by `health-lint crawl --export FILE.json`)")
    try:
        result = CrawlResult(start_url=data["start_url"], complete=bool(data.get("complete", True)))
        for row in data["pages"]:
            key = normalize_url(row["url"])
            facts = tuple(row.get(f) for f in FACT_FIELDS)
            result.pages[key] = PageInfo(url=row["url"], depth=row.get("depth") or 0, status=row.get("status") or 0,
                                         classification=row.get("class") or "", content_type=row.get("content_type") or "",
                                         final_url=row.get("redirect_target") or row["url"],
                                         links=int(row.get("outlinks") or 0), facts=facts if any(facts) else ())
            result.results[key] = LinkResult(url=key, status=row.get("status") or 0,
                                             classification=row.get("class") or "ok")
        result.edges = {(normalize_url(s), normalize_url(t)) for s, t in data["edges"]}
        result.orphans = [normalize_url(u) for u in data.get("orphans", [])]
        for page, url, cls, error in data.get("broken", []):
            result.results.setdefault(normalize_url(url), LinkResult(url=url, classification=cls, error=error))
            result.occurrences.append(Occurrence(source=page, url=url))
        findings = [dict(f) for f in data.get("findings", [])]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise NotACrawlExport(f"{path}: a damaged crawl export ({type(exc).__name__}: {exc})") from None
    return result, findings


# -- the HTML report ------------------------------------------------------------
def _rel_path(url: str) -> str:
    """A page URL as a path for the report's folder groups:
    https://h/guides/flu/ -> guides/flu/index (query kept, host dropped)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path.lstrip("/") or "index"
    if path.endswith("/"):
        path += "index"
    return path + (f"?{parts.query}" if parts.query else "")


def crawl_report_data(result: CrawlResult, findings: Iterable = (), max_depth: int = 3) -> dict[str, Any]:
    """The data of the graph command's HTML report, built from a crawl: the
    crawled pages, the links between them, broken links per page and the
    findings (see ``graph.report_html.report_data``)."""
    from ..graph.build import SiteGraph, _link_scores
    from ..graph.report_html import folder_groups

    keys = list(result.pages)
    index = {k: i for i, k in enumerate(keys)}
    out, into = _links(result)
    depth = click_depths(result, out)
    graph = SiteGraph()
    for k in keys:
        graph.add_node(k)
    edges = []
    for source in keys:
        for target in sorted(out.get(source, ())):
            if target in index:
                graph.add_edge(source, target, count=1)
                edges.append([index[source], index[target], 1])
    _pr, scores = _link_scores(graph, {k: i for i, k in enumerate(keys)})
    broken: list[list] = []
    broken_count: Counter = Counter()
    missing_anchors = 0
    for page, url, cls, error in _broken_links(result):
        broken.append([index[page], redact_text(url), cls])
        broken_count[index[page]] += 1
        missing_anchors += "fragment" in error
    html_pages = [k for k in keys if result.pages[k].links or "html" in (result.pages[k].content_type or "")]
    degrees = [len(out.get(k, ())) for k in html_pages]
    hub_at = max(5, 2 * statistics.median(degrees)) if degrees else 5
    orphans = set(result.orphans)
    start = normalize_url(result.start_url)
    groups, page_group = folder_groups([_rel_path(k) for k in keys])
    pages = []
    for i, k in enumerate(keys):
        p = result.pages[k]
        title = dict(zip(("title",), p.facts)).get("title") or ""
        n_out = len(out.get(k, ())) if p.links else 0
        pages.append({"path": redact_text(k), "url": redact_text(k), "title": title, "depth": depth.get(k),
                      "inlinks": len(into.get(k, ())), "outlinks": n_out, "links": p.links,
                      "broken": broken_count[i], "link_score": round(scores.get(i, 0.0), 1), "entry": k == start,
                      "orphan": k in orphans, "dead_end": k in html_pages and n_out == 0,
                      "hub": n_out >= hub_at, "g": page_group[i]})
    problems = [f if isinstance(f, dict) else _finding_dicts([f])[0] for f in findings]
    depth_hist = Counter(p["depth"] for p in pages if p["depth"] is not None)
    pick = lambda rows: [{"path": r["path"], "title": r["title"], "inlinks": r["inlinks"],  # noqa: E731
                          "link_score": r["link_score"]} for r in rows[:10]]
    summary = {"pages": len(keys), "internal_links": len(edges), "edges": len(edges), "entry_pages": [start],
               "orphans": sorted(redact_text(u) for u in orphans),
               "dead_ends": [redact_text(pages[i]["path"]) for i in range(len(keys)) if pages[i]["dead_end"]],
               "deep": [pages[i]["path"] for i in range(len(keys)) if (pages[i]["depth"] or 0) > max_depth],
               "broken_links": len(broken), "missing_anchors": missing_anchors, "max_depth": max_depth,
               "depth_histogram": {str(k): depth_hist[k] for k in sorted(depth_hist)},
               "unreached": sum(1 for p in pages if p["depth"] is None),
               "most_inlinks": pick(sorted(pages, key=lambda r: (-r["inlinks"], r["path"]))),
               "fewest_inlinks": pick(sorted((p for p in pages if not p["entry"]), key=lambda r: (r["inlinks"], r["path"]))),
               "top_link_scores": pick(sorted(pages, key=lambda r: (-r["link_score"], r["path"]))),
               "not_a_site": None}
    return {"pages": pages, "edges": edges, "broken": broken, "problems": problems, "groups": groups,
            "summary": summary}


def write_report(result: CrawlResult, path: str | Path, findings: Iterable = (), command: str | None = None,
                 max_depth: int = 3) -> None:
    """The self-contained HTML report of the ``graph`` command, for a crawl."""
    from ..graph.report_html import html_from_data

    data = crawl_report_data(result, list(findings), max_depth)
    write_file(path, html_from_data(data, title=f"Crawl of {redact_text(result.start_url)}", command=command))
