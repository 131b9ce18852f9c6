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
* ``html`` — one self-contained file (inline SVG and JavaScript, no CDN,
  works offline): the graph drawn in rings by click depth with hubs, orphans,
  dead ends and broken links highlighted, and sortable, filterable tables of
  pages and problems.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from ..reporters.redact import redact_text
from ..safe_write import write_file
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
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


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


def write(lg: LinkGraph, fmt: str, path: Path, findings: Iterable = (), summary: dict[str, Any] | None = None) -> list[Path]:
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
        text = to_html(lg, findings, summary)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    write_file(path, text)
    return [path]


# -- HTML report ---------------------------------------------------------------
def report_data(lg: LinkGraph, findings: Iterable = (), summary: dict[str, Any] | None = None) -> dict[str, Any]:
    index = {d.path: i for i, d in enumerate(lg.documents)}
    pages = lg.page_rows()
    for row in pages:
        row.pop("pagerank", None)
    edges = [[index[u], index[v], int(a.get("count", 1))] for u, v, a in lg.graph.edges(data=True) if u != v]
    broken = [[index[p["source"]], p["url"], p["status"]] for p in problem_links(lg) if p["status"] == BROKEN]
    problems = [{"path": f.path, "line": f.line, "column": f.column, "rule": f.rule, "severity": f.severity,
                 "message": f.message} for f in findings]
    return {"pages": pages, "edges": edges, "broken": broken, "problems": problems,
            "summary": summary if summary is not None else lg.summary()}


def _script_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Safe inside <script>: no "</script", no HTML comment openers.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def to_html(lg: LinkGraph, findings: Iterable = (), summary: dict[str, Any] | None = None,
            title: str = "Link graph") -> str:
    data = report_data(lg, list(findings), summary)
    s = data["summary"]
    cards = [("Pages", s["pages"]), ("Internal links", s["internal_links"]), ("Orphans", len(s["orphans"])),
             ("Dead ends", len(s["dead_ends"])), ("Broken links", s["broken_links"]),
             ("Missing anchors", s["missing_anchors"]), (f"Deeper than {s['max_depth']}", len(s["deep"]))]
    card_html = "".join(f'<div class="card"><b>{v}</b><span>{html.escape(k)}</span></div>' for k, v in cards)
    return (_TEMPLATE.replace("%TITLE%", html.escape(title)).replace("%CARDS%", card_html)
            .replace("%DATA%", _script_json(data)))


_TEMPLATE = r"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%TITLE% — health-lint</title>
<style>
:root { --orphan:#dc2626; --entry:#2563eb; --hub:#d97706; --dead:#6b7280; --page:#10b981; --broken:#b91c1c; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #111827; background: #f9fafb; }
header { padding: 16px 24px; background: #fff; border-bottom: 1px solid #e5e7eb; }
h1 { font-size: 20px; margin: 0 0 8px; } h2 { font-size: 16px; margin: 24px 0 8px; }
main { padding: 0 24px 32px; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; }
.card { background: #f3f4f6; border-radius: 6px; padding: 6px 12px; min-width: 90px; }
.card b { display: block; font-size: 18px; } .card span { color: #4b5563; font-size: 12px; }
#graph-wrap { background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; position: relative; }
#graph { width: 100%; height: 560px; display: block; }
#graph .edge { stroke: #9ca3af; stroke-opacity: .45; fill: none; }
#graph .edge.hl { stroke: #111827; stroke-opacity: .9; }
#graph .broken-edge { stroke: var(--broken); stroke-dasharray: 4 3; }
#graph circle { stroke: #fff; stroke-width: 1.5; cursor: pointer; }
#graph text { font-size: 10px; fill: #374151; pointer-events: none; }
#graph .ring { fill: none; stroke: #e5e7eb; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; padding: 8px 12px; font-size: 12px; border-top: 1px solid #e5e7eb; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; vertical-align: -1px; }
#tip { position: absolute; pointer-events: none; background: #111827; color: #fff; padding: 6px 8px; border-radius: 4px;
       font-size: 12px; display: none; max-width: 360px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; cursor: pointer; user-select: none; white-space: nowrap; position: sticky; top: 0; }
th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.tag { display: inline-block; border-radius: 3px; padding: 0 5px; font-size: 11px; color: #fff; margin-right: 3px; }
.tag.orphan { background: var(--orphan); } .tag.entry { background: var(--entry); } .tag.hub { background: var(--hub); }
.tag.dead { background: var(--dead); } .tag.error { background: #dc2626; } .tag.warning { background: #d97706; }
.tag.info { background: #2563eb; }
.filter { margin: 0 0 6px; padding: 4px 8px; width: 280px; }
.scroll { max-height: 480px; overflow: auto; border: 1px solid #e5e7eb; border-radius: 6px; }
#orphans li { margin: 2px 0; }
</style>
</head>
<body>
<header>
<h1>%TITLE%</h1>
<div class="cards">%CARDS%</div>
</header>
<main>
<h2>Graph</h2>
<div id="graph-wrap">
<svg id="graph" role="img" aria-label="Internal link graph" viewBox="0 0 1000 560"></svg>
<div id="tip"></div>
<div class="legend">
<span><i style="background:var(--entry)"></i>entry page (centre)</span>
<span><i style="background:var(--hub)"></i>hub</span>
<span><i style="background:var(--page)"></i>page</span>
<span><i style="background:var(--dead)"></i>dead end</span>
<span><i style="background:var(--orphan)"></i>orphan (outer ring)</span>
<span><i style="background:var(--broken);border-radius:0"></i>broken link</span>
<span>Rings: clicks from the entry pages. Node size: link score. Hover a page to see its links.</span>
</div>
</div>
<h2>Orphan pages</h2>
<ul id="orphans"></ul>
<h2>Problems</h2>
<input class="filter" id="problems-filter" placeholder="Filter problems…" aria-label="Filter problems">
<div class="scroll"><table id="problems"></table></div>
<h2>Pages</h2>
<input class="filter" id="pages-filter" placeholder="Filter pages…" aria-label="Filter pages">
<div class="scroll"><table id="pages"></table></div>
<div id="render-status" data-status="pending"></div>
</main>
<script type="application/json" id="graph-data">%DATA%</script>
<script>
(function () {
  "use strict";
  var status = document.getElementById("render-status");
  var errors = [];
  window.addEventListener("error", function (e) {
    errors.push(String(e.message));
    status.setAttribute("data-status", "error");
    status.setAttribute("data-errors", errors.join(" | "));
  });
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var pages = data.pages, SVG = "http://www.w3.org/2000/svg";
  var W = 1000, H = 560, CX = W / 2, CY = H / 2;

  function el(name, attrs, parent) {
    var n = document.createElementNS(SVG, name);
    for (var k in attrs) n.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(n);
    return n;
  }
  function kind(p) {
    if (p.orphan) return "orphan";
    if (p.entry) return "entry";
    if (p.hub) return "hub";
    if (p.dead_end) return "dead";
    return "page";
  }
  var COLORS = { orphan: "#dc2626", entry: "#2563eb", hub: "#d97706", dead: "#6b7280", page: "#10b981" };

  // -- layout: rings by click depth, then a few rounds of force relaxation --
  var maxDepth = 0;
  pages.forEach(function (p) { if (p.depth !== null && p.depth > maxDepth) maxDepth = p.depth; });
  var rings = {};
  pages.forEach(function (p, i) {
    var r = p.depth === null ? maxDepth + 1 : p.depth;
    (rings[r] = rings[r] || []).push(i);
  });
  var nRings = maxDepth + 2, step = (Math.min(W, H) / 2 - 30) / Math.max(1, nRings - 1);
  var pos = new Array(pages.length);
  Object.keys(rings).forEach(function (r) {
    var members = rings[r], radius = Number(r) * step + (Number(r) === 0 && members.length > 1 ? step * 0.35 : 0);
    members.forEach(function (i, k) {
      var a = 2 * Math.PI * k / members.length + Number(r) * 0.7;
      pos[i] = { x: CX + radius * Math.cos(a) * (W / H), y: CY + radius * Math.sin(a), r: radius };
    });
  });
  var adj = pages.map(function () { return []; });
  data.edges.forEach(function (e) { adj[e[0]].push(e[1]); adj[e[1]].push(e[0]); });
  if (pages.length <= 800) {
    for (var it = 0; it < 60; it++) {
      var disp = pos.map(function () { return { x: 0, y: 0 }; });
      for (var i = 0; i < pages.length; i++) {
        for (var j = i + 1; j < pages.length; j++) {
          var dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y, d2 = dx * dx + dy * dy + 0.01;
          if (d2 > 10000) continue;
          var f = 400 / d2;
          disp[i].x += dx * f; disp[i].y += dy * f; disp[j].x -= dx * f; disp[j].y -= dy * f;
        }
        adj[i].forEach(function (j) {
          disp[i].x += (pos[j].x - pos[i].x) * 0.01; disp[i].y += (pos[j].y - pos[i].y) * 0.01;
        });
      }
      pos.forEach(function (p, i) {
        var mx = Math.max(-8, Math.min(8, disp[i].x)), my = Math.max(-8, Math.min(8, disp[i].y));
        p.x = Math.max(15, Math.min(W - 15, p.x + mx)); p.y = Math.max(15, Math.min(H - 15, p.y + my));
      });
    }
  }

  // -- draw --
  var svg = document.getElementById("graph");
  for (var r = 1; r < nRings; r++) el("ellipse", { "class": "ring", cx: CX, cy: CY, rx: r * step * W / H, ry: r * step }, svg);
  var gEdges = el("g", {}, svg), gBroken = el("g", {}, svg), gNodes = el("g", {}, svg);
  var edgeEls = data.edges.map(function (e) {
    var a = pos[e[0]], b = pos[e[1]];
    return el("line", { "class": "edge", x1: a.x, y1: a.y, x2: b.x, y2: b.y, "stroke-width": Math.min(3, e[2]),
                        "data-s": e[0], "data-t": e[1] }, gEdges);
  });
  data.broken.forEach(function (b) {
    var a = pos[b[0]];
    var x = a.x + (a.x >= CX ? 26 : -26), y = a.y - 14;
    el("line", { "class": "broken-edge", x1: a.x, y1: a.y, x2: x, y2: y }, gBroken);
    var m = el("rect", { "class": "broken-marker", x: x - 4, y: y - 4, width: 8, height: 8, fill: "#b91c1c" }, gBroken);
    el("title", {}, m).textContent = "Broken link in " + pages[b[0]].path + ": " + b[1];
  });
  var tip = document.getElementById("tip");
  pages.forEach(function (p, i) {
    var radius = 4 + 8 * (p.link_score || 0) / 100;
    var c = el("circle", { cx: pos[i].x, cy: pos[i].y, r: radius, fill: COLORS[kind(p)], "data-path": p.path,
                           "class": "node " + kind(p) }, gNodes);
    if (p.hub) { c.setAttribute("stroke", "#d97706"); c.setAttribute("stroke-width", "3"); }
    el("title", {}, c).textContent = p.path;
    if (p.entry || p.hub || p.orphan || pages.length <= 60) {
      el("text", { x: pos[i].x + radius + 2, y: pos[i].y + 3 }, gNodes).textContent = p.title || p.path;
    }
    c.addEventListener("mouseenter", function (ev) {
      edgeEls.forEach(function (e) {
        var on = Number(e.getAttribute("data-s")) === i || Number(e.getAttribute("data-t")) === i;
        e.setAttribute("class", on ? "edge hl" : "edge");
      });
      tip.style.display = "block";
      tip.textContent = p.path + " — " + p.inlinks + " inlinks, " + p.outlinks + " outlinks, depth " +
        (p.depth === null ? "–" : p.depth) + ", link score " + p.link_score;
      var box = svg.getBoundingClientRect();
      tip.style.left = (pos[i].x / W * box.width + 12) + "px";
      tip.style.top = (pos[i].y / H * box.height + 12) + "px";
    });
    c.addEventListener("mouseleave", function () {
      tip.style.display = "none";
      edgeEls.forEach(function (e) { e.setAttribute("class", "edge"); });
    });
  });

  // -- orphan list --
  var ol = document.getElementById("orphans");
  var orphanPages = pages.filter(function (p) { return p.orphan; });
  orphanPages.forEach(function (p) {
    var li = document.createElement("li");
    li.className = "orphan";
    li.textContent = p.path + (p.title ? " — " + p.title : "");
    ol.appendChild(li);
  });
  if (!orphanPages.length) ol.innerHTML = "<li>None: every page is linked from another page.</li>";

  // -- sortable, filterable tables --
  function table(id, columns, rows, render) {
    var t = document.getElementById(id), thead = document.createElement("thead"), tr = document.createElement("tr");
    var tbody = document.createElement("tbody"), sortKey = null, dir = 1, filter = "";
    columns.forEach(function (col) {
      var th = document.createElement("th");
      th.textContent = col[1];
      th.setAttribute("data-key", col[0]);
      th.addEventListener("click", function () {
        dir = sortKey === col[0] ? -dir : (col[2] ? -1 : 1);
        sortKey = col[0];
        Array.prototype.forEach.call(tr.children, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        draw();
      });
      tr.appendChild(th);
    });
    thead.appendChild(tr); t.appendChild(thead); t.appendChild(tbody);
    function draw() {
      var list = rows.filter(function (r) { return !filter || JSON.stringify(r).toLowerCase().indexOf(filter) >= 0; });
      if (sortKey) list.sort(function (a, b) {
        var x = a[sortKey], y = b[sortKey];
        if (x === null || x === undefined) x = typeof y === "number" ? Infinity : "";
        if (y === null || y === undefined) y = typeof x === "number" ? Infinity : "";
        return (x < y ? -1 : x > y ? 1 : 0) * dir;
      });
      tbody.textContent = "";
      list.slice(0, 2000).forEach(function (r) {
        var row = document.createElement("tr");
        columns.forEach(function (col) {
          var td = document.createElement("td");
          render(td, col[0], r);
          if (typeof r[col[0]] === "number") td.className = "num";
          row.appendChild(td);
        });
        tbody.appendChild(row);
      });
      t.setAttribute("data-rows", String(list.length));
    }
    return { draw: draw, setFilter: function (f) { filter = f.toLowerCase(); draw(); } };
  }
  function plain(td, key, r) { var v = r[key]; td.textContent = v === null || v === undefined ? "–" : String(v); }
  var pagesTable = table("pages", [["path", "Page"], ["title", "Title"], ["depth", "Depth"], ["inlinks", "Inlinks", 1],
      ["outlinks", "Outlinks", 1], ["broken", "Broken", 1], ["link_score", "Link score", 1], ["flags", "Status"]],
    pages.map(function (p) {
      var o = {}; for (var k in p) o[k] = p[k];
      o.flags = [p.entry ? "entry" : "", p.hub ? "hub" : "", p.orphan ? "orphan" : "", p.dead_end ? "dead-end" : ""]
        .filter(Boolean).join(" ");
      return o;
    }),
    function (td, key, r) {
      if (key !== "flags") return plain(td, key, r);
      r.flags.split(" ").forEach(function (f) {
        if (!f) return;
        var s = document.createElement("span");
        s.className = "tag " + (f === "dead-end" ? "dead" : f);
        s.textContent = f === "dead-end" ? "dead end" : f;
        td.appendChild(s);
      });
    });
  var problemsTable = table("problems", [["severity", "Severity"], ["rule", "Rule"], ["path", "File"], ["line", "Line"],
      ["message", "Message"]], data.problems,
    function (td, key, r) {
      if (key !== "severity") return plain(td, key, r);
      var s = document.createElement("span"); s.className = "tag " + r.severity; s.textContent = r.severity;
      td.appendChild(s);
    });
  pagesTable.draw(); problemsTable.draw();
  document.getElementById("pages-filter").addEventListener("input", function (e) { pagesTable.setFilter(e.target.value); });
  document.getElementById("problems-filter").addEventListener("input", function (e) { problemsTable.setFilter(e.target.value); });

  if (!errors.length) status.setAttribute("data-status", "rendered");
  status.setAttribute("data-nodes", String(gNodes.querySelectorAll("circle").length));
  status.setAttribute("data-orphans", String(orphanPages.length));

  // -- test hook: report.html#selftest clicks and types like a reader and
  // writes what the tables showed as JSON into a pre element, id selftest
  // (read by the headless-browser test with --dump-dom). Does nothing
  // otherwise. --
  if (location.hash === "#selftest") {
    var result = {};
    try {
      var column = function (id, key) {
        var heads = Array.prototype.map.call(document.querySelectorAll("#" + id + " thead th"),
                                             function (h) { return h.getAttribute("data-key"); });
        var at = heads.indexOf(key);
        return Array.prototype.map.call(document.querySelectorAll("#" + id + " tbody tr"),
                                        function (tr) { return tr.children[at].textContent; });
      };
      result.initial = column("pages", "path");
      var th = document.querySelector('#pages th[data-key="inlinks"]');
      th.click();
      result.sorted = { paths: column("pages", "path"), inlinks: column("pages", "inlinks"),
                        aria: th.getAttribute("aria-sort") };
      th.click();
      result.resorted = { paths: column("pages", "path"), inlinks: column("pages", "inlinks"),
                          aria: th.getAttribute("aria-sort") };
      var box = document.getElementById("pages-filter");
      box.value = "SCIATICA";
      box.dispatchEvent(new Event("input", { bubbles: true }));
      result.filtered = { paths: column("pages", "path"), rows: document.getElementById("pages").getAttribute("data-rows") };
      box.value = "";
      box.dispatchEvent(new Event("input", { bubbles: true }));
      result.unfiltered = column("pages", "path").length;
      result.brokenMarkers = Array.prototype.map.call(document.querySelectorAll("#graph rect.broken-marker"),
                                                      function (m) { return m.textContent; });
      result.resources = performance.getEntriesByType("resource").map(function (r) { return r.name; });
    } catch (e) {
      result.error = String(e && e.stack || e);
    }
    var pre = document.createElement("pre");
    pre.id = "selftest";
    pre.textContent = JSON.stringify(result);
    document.body.appendChild(pre);
  }
})();
</script>
</body>
</html>
"""
