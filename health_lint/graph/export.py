"""Write the link graph: DOT, GraphML, JSON, CSV, or a visual HTML report.

* ``graphml`` — networkx's GraphML writer; node attributes: path, url, title,
  depth (-1 = not reached), inlinks, outlinks, link_score, entry, orphan,
  dead_end, hub; edge attribute ``count`` (links from source to target).
* ``json`` — networkx node-link data (``{"nodes": [...], "links": [...]}``)
  with the same attributes, plus ``broken`` (every broken link and anchor)
  and ``summary``.
* ``dot`` — Graphviz DOT (networkx needs pydot or pygraphviz for DOT, which
  would be a heavy dependency for a text format; it is written here with
  full quoting). Orphans, dead ends, hubs and entry pages are styled.
* ``csv`` — ``FILE`` holds one row per page (like a crawler's "internal"
  export), ``FILE-links.csv`` one row per link occurrence with its status.
* ``html`` — one self-contained file (no CDN, works offline) made by
  :mod:`.report_html`: pages grouped by folder, a folder-level overview that
  opens into pages, zoom, pan, search, arrows, a panel with each page's
  inlinks, outlinks and findings, and sortable, filterable tables that link
  to the picture.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from ..reporters.redact import redact_text
from ..safe_write import write_file
from .. import regexcache
from .build import LinkGraph
from .resolve import BROKEN, MISSING_ANCHOR

FORMATS = {"dot": ".dot", "graphml": ".graphml", "json": ".json", "csv": ".csv", "html": ".html"}
EXTENSIONS = {".dot": "dot", ".gv": "dot", ".graphml": "graphml", ".json": "json", ".csv": "csv", ".html": "html",
              ".htm": "html"}


def annotated(lg: LinkGraph) -> nx.DiGraph:
    """A copy of the graph with every page attribute set (GraphML needs
    scalar values: no None)."""
    g = nx.DiGraph()
    for row in lg.page_rows():
        attrs = {k: ("" if v is None else v) for k, v in row.items() if k != "pagerank"}
        attrs["depth"] = -1 if row["depth"] is None else row["depth"]
        attrs["pagerank"] = float(row["pagerank"])
        g.add_node(row["path"], **attrs)
    for u, v, data in lg.graph.edges(data=True):
        g.add_edge(u, v, count=int(data.get("count", 1)))
    return g


def problem_links(lg: LinkGraph) -> list[dict[str, Any]]:
    out = []
    for recs in lg.records:
        for r in recs:
            if r.resolution.status in (BROKEN, MISSING_ANCHOR):
                doc = lg.documents[r.source]
                line, col = doc.position(r.link.start)
                out.append({"source": doc.path, "line": line, "column": col, "url": redact_text(r.link.url),
                            "text": r.link.text, "status": r.resolution.status,
                            "target": lg.documents[r.resolution.target].path if r.resolution.target is not None else "",
                            "suggestion": r.resolution.suggestion, "anchors": r.resolution.anchors})
    return out


def to_json(lg: LinkGraph, summary: dict[str, Any] | None = None) -> str:
    data = nx.node_link_data(annotated(lg), edges="links") if _has_edges_kw() else nx.node_link_data(annotated(lg))
    data["broken"] = problem_links(lg)
    data["summary"] = summary if summary is not None else lg.summary()
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def _has_edges_kw() -> bool:
    import inspect

    return "edges" in inspect.signature(nx.node_link_data).parameters


def _dot_id(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(lg: LinkGraph) -> str:
    g = annotated(lg)
    lines = ["digraph links {", "  graph [rankdir=LR, overlap=false];",
             '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];']
    for n, a in g.nodes(data=True):
        fill = ("#fde2e1" if a["orphan"] else "#dbeafe" if a["entry"] else "#fef3c7" if a["hub"]
                else "#eeeeee" if a["dead_end"] else "#ffffff")
        attrs = {"label": a["title"] or n, "tooltip": n, "fillcolor": fill, "URL": a["url"],
                 "depth": a["depth"], "inlinks": a["inlinks"], "outlinks": a["outlinks"], "link_score": a["link_score"],
                 "orphan": str(a["orphan"]).lower(), "dead_end": str(a["dead_end"]).lower(), "hub": str(a["hub"]).lower(),
                 "entry": str(a["entry"]).lower()}
        if a["hub"]:
            attrs["penwidth"] = 2
        body = ", ".join(f"{k}={_dot_id(v)}" for k, v in attrs.items())
        lines.append(f"  {_dot_id(n)} [{body}];")
    for u, v, a in g.edges(data=True):
        lines.append(f"  {_dot_id(u)} -> {_dot_id(v)} [count={_dot_id(a['count'])}];")
    for i, p in enumerate(problem_links(lg)):
        target = f"broken:{p['url']}" if p["status"] == BROKEN else None
        if target:
            lines.append(f"  {_dot_id(target)} [label={_dot_id(p['url'])}, shape=note, fillcolor=\"#fca5a5\", broken=\"true\"];")
            lines.append(f"  {_dot_id(p['source'])} -> {_dot_id(target)} [color=\"#dc2626\", style=dashed, broken=\"true\"];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# Characters XML 1.0 cannot hold at all (control characters but tab, LF, CR).
_NOT_XML_RE = regexcache.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_safe(value: Any) -> Any:
    """A title or path with a control character (pasted from a word
    processor) would make the GraphML writer fail: such characters become
    U+FFFD, the replacement character."""
    return _NOT_XML_RE.sub("\ufffd", value) if isinstance(value, str) else value


def to_graphml(lg: LinkGraph) -> str:
    graph = annotated(lg)
    safe = nx.DiGraph()
    for node, attrs in graph.nodes(data=True):
        safe.add_node(_xml_safe(node), **{k: _xml_safe(v) for k, v in attrs.items()})
    for u, v, attrs in graph.edges(data=True):
        safe.add_edge(_xml_safe(u), _xml_safe(v), **attrs)
    buf = io.BytesIO()
    nx.write_graphml(safe, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


PAGE_COLUMNS = ["path", "url", "title", "depth", "inlinks", "outlinks", "links", "broken", "link_score", "entry",
                "orphan", "dead_end", "hub"]
LINK_COLUMNS = ["source", "line", "column", "url", "text", "kind", "status", "target", "fragment", "suggestion"]


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text, never runs: a title, path or link
    text starting with ``=``, ``+``, ``-``, ``@``, tab or CR would be read as a
    formula (OWASP "CSV injection"), so it gets a leading ``'``. Credentials
    in URLs are redacted. Numbers are left as they are."""
    if not isinstance(value, str):
        return value
    value = redact_text(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(lg: LinkGraph) -> tuple[str, str]:
    pages = io.StringIO()
    w = csv.DictWriter(pages, PAGE_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for row in lg.page_rows():
        w.writerow({k: csv_cell("" if v is None else v) for k, v in row.items()})
    links = io.StringIO()
    w = csv.DictWriter(links, LINK_COLUMNS, lineterminator="\n")
    w.writeheader()
    for recs in lg.records:
        for r in recs:
            doc = lg.documents[r.source]
            line, col = doc.position(r.link.start)
            res = r.resolution
            row = {"source": doc.path, "line": line, "column": col, "url": r.link.url, "text": r.link.text,
                   "kind": r.link.kind, "status": res.status,
                   "target": lg.documents[res.target].path if res.target is not None else "",
                   "fragment": res.fragment, "suggestion": res.suggestion}
            w.writerow({k: csv_cell(v) for k, v in row.items()})
    return pages.getvalue(), links.getvalue()


def links_csv_path(path: Path) -> Path:
    return path.with_name(path.stem + "-links" + (path.suffix or ".csv"))


def write(lg: LinkGraph, fmt: str, path: Path, findings: Iterable = (), summary: dict[str, Any] | None = None,
          command: str | None = None) -> list[Path]:
    """Write the graph in ``fmt`` to ``path``; returns the files written."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        pages, links = to_csv(lg)
        other = links_csv_path(path)
        write_file(path, pages)
        write_file(other, links)
        return [path, other]
    if fmt == "dot":
        text = to_dot(lg)
    elif fmt == "graphml":
        text = to_graphml(lg)
    elif fmt == "json":
        text = to_json(lg, summary)
    elif fmt == "html":
        text = to_html(lg, findings, summary, command=command)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    write_file(path, text)
    return [path]


# -- HTML report: see report_html.py ----------------------------------------------
def report_data(lg: LinkGraph, findings: Iterable = (), summary: dict[str, Any] | None = None) -> dict[str, Any]:
    from .report_html import report_data as data

    return data(lg, findings, summary)


def to_html(lg: LinkGraph, findings: Iterable = (), summary: dict[str, Any] | None = None,
            title: str = "Link graph", command: str | None = None) -> str:
    from .report_html import to_html as render

    return render(lg, findings, summary, title=title, command=command)
