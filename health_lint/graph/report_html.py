"""The HTML link-graph report: one self-contained file that stays readable
from 10 pages to 10,000.

Pages are grouped by folder (their path under the content root). The
picture opens on the top folder (a site of at most :data:`FLAT_PAGES`
pages is drawn flat, all pages at once): its sub-folders drawn as one node each
(size: pages inside; arrows: links between them, thickness: how many) and
its own pages as page nodes. Double-click a folder (or pick it in the
breadcrumb) to open it; "Up" goes back. A folder with more than
:data:`MAX_ITEMS` entries is split into alphabetical runs ("a… – f…") so a
view never holds more than that many nodes, which keeps labels apart and
drawing fast whatever the size of the site.

Zoom with the wheel, pan by dragging, "Fit" to see everything. The search box
finds pages by title or path; picking one opens its folder and selects it.
Clicking a page lists its inlinks, outlinks, broken links and findings (each
leads on to that page); clicking a folder lists what links into and out of
it. Page rows and findings in the tables link to the page in the picture.

Drawing uses Cytoscape.js (MIT, vendored in ``assets/``, inlined into the
file: no CDN, works offline). The layout is a grid that reserves room for
each label, so labels never overlap; no force layout runs in the browser.

Test hook: ``report.html#selftest`` (or ``#selftest=QUERY`` to also search
for QUERY) drives the page like a reader and writes what it saw as JSON into
``<pre id="selftest">`` for a headless browser's ``--dump-dom``.
"""
from __future__ import annotations

import datetime as _dt
import html
import json
import posixpath
from importlib import resources
from typing import Any, Iterable

from .. import __version__
from .build import LinkGraph

# Most nodes one view of the picture holds; bigger folders are split.
MAX_ITEMS = 120
# A site this small is drawn flat, every page at once, without folders.
FLAT_PAGES = 30


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def folder_groups(rel_paths: list[str]) -> tuple[list[dict[str, Any]], list[int]]:
    """Group pages by folder. Returns (groups, group of each page).

    Each group: ``label`` (shown), ``path`` (folder, "" for the top),
    ``parent`` (group index, -1 for the top), ``pages`` (pages inside, any
    depth). The top folder is the deepest folder holding every page, so a
    site under ``content/en/`` opens on ``content/en/``. Folders with more
    than :data:`MAX_ITEMS` entries get alphabetical sub-groups."""
    dirs = [posixpath.dirname(p) for p in rel_paths]
    top = posixpath.commonpath(dirs) if dirs else ""
    if len(rel_paths) <= FLAT_PAGES:
        dirs = [top] * len(rel_paths)
    folder_index: dict[str, int] = {}
    groups: list[dict[str, Any]] = []
    children: list[list[tuple[str, str, int]]] = []  # (sort key, kind, index) per group

    def folder(path: str) -> int:
        if path in folder_index:
            return folder_index[path]
        parent = -1 if path == top else folder(posixpath.dirname(path))
        gid = len(groups)
        folder_index[path] = gid
        name = path if path == top else posixpath.basename(path)
        groups.append({"label": name + "/" if name else "/", "path": path, "parent": parent, "pages": 0})
        children.append([])
        if parent >= 0:
            children[parent].append((name.lower(), "g", gid))
        return gid

    folder(top)
    page_group = []
    for i, d in enumerate(dirs):
        gid = folder(d)
        page_group.append(gid)
        children[gid].append((posixpath.basename(rel_paths[i]).lower(), "p", i))

    def shown(item: tuple[str, str, int]) -> str:
        _, kind, idx = item
        return groups[idx]["label"].split(" … ")[0] if kind == "g" else posixpath.basename(rel_paths[idx])

    # Split crowded folders into runs of at most MAX_ITEMS (by name).
    queue = list(range(len(groups)))
    while queue:
        gid = queue.pop()
        items = sorted(children[gid])
        if len(items) <= MAX_ITEMS:
            continue
        runs = -(-len(items) // MAX_ITEMS)
        size = -(-len(items) // runs)
        children[gid] = []
        for start in range(0, len(items), size):
            run = items[start:start + size]
            sub = len(groups)
            groups.append({"label": f"{shown(run[0])} … {shown(run[-1])}", "path": groups[gid]["path"],
                           "parent": gid, "pages": 0})
            children.append(run)
            children[gid].append((run[0][0], "g", sub))
            for _, kind, idx in run:
                if kind == "g":
                    groups[idx]["parent"] = sub
                else:
                    page_group[idx] = sub
            queue.append(sub)
        if len(children[gid]) > MAX_ITEMS:  # more than MAX_ITEMS runs: runs of runs
            queue.append(gid)
    for gid in page_group:
        while gid >= 0:
            groups[gid]["pages"] += 1
            gid = groups[gid]["parent"]
    return groups, page_group


def report_data(lg: LinkGraph, findings: Iterable = (), summary: dict[str, Any] | None = None) -> dict[str, Any]:
    from .export import problem_links
    from .resolve import BROKEN

    index = {d.path: i for i, d in enumerate(lg.documents)}
    pages = lg.page_rows()
    groups, page_group = folder_groups(list(lg.resolver.rel_paths))
    for row, gid in zip(pages, page_group):
        row.pop("pagerank", None)
        row["g"] = gid
    edges = [[index[u], index[v], int(a.get("count", 1))] for u, v, a in lg.graph.edges(data=True) if u != v]
    broken = [[index[p["source"]], p["url"], p["status"]] for p in problem_links(lg) if p["status"] == BROKEN]
    problems = [{"path": f.path, "line": f.line, "column": f.column, "rule": f.rule, "severity": f.severity,
                 "message": f.message} for f in findings]
    return {"pages": pages, "edges": edges, "broken": broken, "problems": problems, "groups": groups,
            "summary": summary if summary is not None else lg.summary()}


def _script_json(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Safe inside <script>: no "</script", no HTML comment openers.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _script_code(code: str) -> str:
    # A vendored library inlined in <script>: only "</script" could end it early.
    return code.replace("</script", "<\\/script")


def to_html(lg: LinkGraph, findings: Iterable = (), summary: dict[str, Any] | None = None,
            title: str = "Link graph", command: str | None = None, generated: _dt.datetime | None = None) -> str:
    return html_from_data(report_data(lg, list(findings), summary), title, command, generated)


def html_from_data(data: dict[str, Any], title: str = "Link graph", command: str | None = None,
                   generated: _dt.datetime | None = None) -> str:
    """The report for :func:`report_data`'s output: header (title, date,
    tool version, the command that made it), cards, picture, tables."""
    s = data["summary"]
    cards = [("Pages", s["pages"]), ("Internal links", s["internal_links"]), ("Orphans", len(s["orphans"])),
             ("Dead ends", len(s["dead_ends"])), ("Broken links", s["broken_links"]),
             ("Missing anchors", s["missing_anchors"]), (f"Deeper than {s['max_depth']}", len(s["deep"]))]
    card_html = "".join(f'<div class="card"><b>{v}</b><span>{html.escape(k)}</span></div>' for k, v in cards)
    when = (generated or _dt.datetime.now(_dt.timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    meta = (f'Made <span id="meta-date">{html.escape(when)}</span> by <span id="meta-version">health-lint '
            f'{html.escape(__version__)}</span>')
    if command:
        meta += f': <code id="meta-command">{html.escape(command)}</code>'
    return (_TEMPLATE.replace("%TITLE%", html.escape(title)).replace("%META%", meta).replace("%CARDS%", card_html)
            .replace("%CYTOSCAPE%", _script_code(_asset("cytoscape.min.js")))
            .replace("%DATA%", _script_json(data)))


_TEMPLATE = r"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%TITLE% — health-lint</title>
<style>
:root { --orphan:#dc2626; --entry:#2563eb; --hub:#d97706; --dead:#6b7280; --page:#10b981; --broken:#b91c1c;
        --group:#7c3aed; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #111827; background: #f9fafb; }
header { padding: 12px 24px; background: #fff; border-bottom: 1px solid #e5e7eb; }
h1 { font-size: 20px; margin: 0 0 2px; } h2 { font-size: 16px; margin: 24px 0 8px; }
.meta { color: #4b5563; font-size: 12px; margin-bottom: 8px; } .meta code { font-size: 12px; }
main { padding: 0 24px 32px; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; }
.card { background: #f3f4f6; border-radius: 6px; padding: 6px 12px; min-width: 90px; }
.card b { display: block; font-size: 18px; } .card span { color: #4b5563; font-size: 12px; }
#graph-wrap { background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; display: grid;
              grid-template-columns: 1fr 320px; grid-template-rows: auto 600px auto; }
.toolbar { grid-column: 1 / 3; display: flex; gap: 8px; align-items: center; padding: 6px 10px;
           border-bottom: 1px solid #e5e7eb; flex-wrap: wrap; position: relative; }
.toolbar button { font: inherit; padding: 2px 10px; }
#crumbs a { color: #1d4ed8; cursor: pointer; text-decoration: underline; } #crumbs { font-size: 13px; flex: 1; }
#search { padding: 4px 8px; width: 260px; }
#search-results { position: absolute; right: 10px; top: 36px; z-index: 10; background: #fff; border: 1px solid #d1d5db;
                  list-style: none; margin: 0; padding: 0; width: 420px; max-height: 320px; overflow: auto;
                  box-shadow: 0 4px 12px rgba(0,0,0,.15); }
#search-results:empty { display: none; }
#search-results li { padding: 4px 8px; cursor: pointer; border-bottom: 1px solid #f3f4f6; }
#search-results li:hover, #search-results li.active { background: #eff6ff; }
#search-results small { color: #6b7280; display: block; }
#cy { min-width: 0; height: 600px; }
#panel { border-left: 1px solid #e5e7eb; padding: 8px 12px; overflow: auto; height: 584px; font-size: 13px; }
#panel h3 { font-size: 14px; margin: 4px 0; word-break: break-word; } #panel h4 { margin: 10px 0 2px; font-size: 13px; }
#panel ul { margin: 0; padding-left: 18px; } #panel a { color: #1d4ed8; cursor: pointer; }
#panel .path { color: #4b5563; word-break: break-all; }
.legend { grid-column: 1 / 3; display: flex; gap: 14px; flex-wrap: wrap; padding: 8px 12px; font-size: 12px;
          border-top: 1px solid #e5e7eb; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; cursor: pointer; user-select: none; white-space: nowrap; position: sticky; top: 0; }
th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } td a { color: #1d4ed8; }
.tag { display: inline-block; border-radius: 3px; padding: 0 5px; font-size: 11px; color: #fff; margin-right: 3px; }
.tag.orphan { background: var(--orphan); } .tag.entry { background: var(--entry); } .tag.hub { background: var(--hub); }
.tag.dead { background: var(--dead); } .tag.error { background: #dc2626; } .tag.warning { background: #d97706; }
.tag.info { background: #2563eb; }
.filter { margin: 0 0 6px; padding: 4px 8px; width: 280px; }
.scroll { max-height: 480px; overflow: auto; border: 1px solid #e5e7eb; border-radius: 6px; }
.more { color: #6b7280; font-size: 12px; }
#orphans li { margin: 2px 0; }
</style>
</head>
<body>
<header>
<h1>%TITLE%</h1>
<div class="meta">%META%</div>
<div class="cards">%CARDS%</div>
</header>
<main>
<h2>Graph</h2>
<div id="graph-wrap">
<div class="toolbar">
<button id="up" type="button" title="Open the parent folder">Up</button>
<button id="fit" type="button" title="Zoom to fit">Fit</button>
<span id="crumbs"></span>
<span id="edge-note" class="more"></span>
<input id="search" type="search" placeholder="Search pages by title or path…" aria-label="Search pages" autocomplete="off">
<ul id="search-results" role="listbox"></ul>
</div>
<div id="cy" role="img" aria-label="Internal link graph"></div>
<aside id="panel"><p>Click a page to see its inlinks, outlinks and findings; double-click a folder to open it.
Wheel to zoom, drag to pan.</p></aside>
<div class="legend">
<span><i style="background:var(--group);border-radius:2px"></i>folder (size: pages inside)</span>
<span><i style="background:var(--entry)"></i>entry page</span>
<span><i style="background:var(--hub)"></i>hub</span>
<span><i style="background:var(--page)"></i>page</span>
<span><i style="background:var(--dead)"></i>dead end</span>
<span><i style="background:var(--orphan)"></i>orphan</span>
<span><i style="border:2px solid var(--broken);width:7px;height:7px"></i>has broken links</span>
<span>Arrows: links (thicker: more). Page size: link score. Order: entry pages, folders, then by link score; orphans last.</span>
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
<script>%CYTOSCAPE%</script>
<script type="application/json" id="graph-data">%DATA%</script>
<script>
(function () {
  "use strict";
  var started = performance.now();
  var status = document.getElementById("render-status");
  var errors = [];
  window.addEventListener("error", function (e) {
    errors.push(String(e.message));
    status.setAttribute("data-status", "error");
    status.setAttribute("data-errors", errors.join(" | "));
  });
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var pages = data.pages, groups = data.groups, N = pages.length;
  var COLORS = { orphan: "#dc2626", entry: "#2563eb", hub: "#d97706", dead: "#6b7280", page: "#10b981" };
  function kind(p) {
    if (p.orphan) return "orphan";
    if (p.entry) return "entry";
    if (p.hub) return "hub";
    if (p.dead_end) return "dead";
    return "page";
  }
  function label(p) { return p.title || p.path.split("/").pop(); }

  // -- indexes: links in and out of each page, findings and broken links by page, folder children --
  var outs = [], ins = [], findingsOf = {}, brokenOf = {}, pageByPath = {};
  for (var i = 0; i < N; i++) { outs.push([]); ins.push([]); pageByPath[pages[i].path] = i; }
  data.edges.forEach(function (e) { outs[e[0]].push(e[1]); ins[e[1]].push(e[0]); });
  data.problems.forEach(function (f) { (findingsOf[f.path] = findingsOf[f.path] || []).push(f); });
  data.broken.forEach(function (b) { (brokenOf[b[0]] = brokenOf[b[0]] || []).push(b[1]); });
  var childGroups = groups.map(function () { return []; }), childPages = groups.map(function () { return []; });
  groups.forEach(function (g, k) { if (g.parent >= 0) childGroups[g.parent].push(k); });
  pages.forEach(function (p, k) { childPages[p.g].push(k); });
  function chain(g) { var c = []; while (g >= 0) { c.unshift(g); g = groups[g].parent; } return c; }
  var depthOf = groups.map(function (g, k) { return chain(k).length; });
  // The node standing for page k in the view of folder `view`: the page
  // itself, the sub-folder holding it, or -1 when it lies outside the folder.
  function repOf(k, view) {
    var g = pages[k].g;
    if (g === view) return "p" + k;
    while (g >= 0 && groups[g].parent !== view) g = groups[g].parent;
    return g < 0 ? null : "g" + g;
  }

  // -- the picture --
  var cy = cytoscape({
    container: document.getElementById("cy"), minZoom: 0.05, maxZoom: 4,
    boxSelectionEnabled: false, textureOnViewport: true, hideEdgesOnViewport: N > 2000,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3,
          "text-wrap": "ellipsis", "text-max-width": 120, "width": "data(size)", "height": "data(size)",
          "background-color": "data(color)", "border-width": 1, "border-color": "#fff", "color": "#111827",
          "min-zoomed-font-size": 6 } },
      { selector: "node.group", style: { "shape": "round-rectangle", "background-color": "#7c3aed",
          "background-opacity": 0.85, "font-weight": "bold" } },
      { selector: "node.broken", style: { "border-width": 3, "border-color": "#b91c1c" } },
      { selector: "node:selected", style: { "overlay-color": "#1d4ed8", "overlay-opacity": 0.25, "overlay-padding": 6 } },
      { selector: "node.found", style: { "overlay-color": "#f59e0b", "overlay-opacity": 0.35, "overlay-padding": 8 } },
      { selector: "node.faded", style: { "opacity": 0.25 } },
      { selector: "edge", style: { "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 1.1,
          "width": "data(width)", "line-color": "#9ca3af", "target-arrow-color": "#6b7280", "opacity": 0.6 } },
      { selector: "edge.out", style: { "line-color": "#1d4ed8", "target-arrow-color": "#1d4ed8", "opacity": 0.95 } },
      { selector: "edge.in", style: { "line-color": "#d97706", "target-arrow-color": "#d97706", "opacity": 0.95 } },
      { selector: "edge.faded", style: { "opacity": 0.06 } }
    ]
  });
  var current = -1;

  function show(view) {
    current = view;
    var nodes = [], rank = {};
    childGroups[view].forEach(function (g) {
      var gr = groups[g];
      nodes.push({ group: "nodes", classes: "group",
                   data: { id: "g" + g, label: gr.label + " (" + gr.pages + ")", color: "#7c3aed",
                           size: 22 + Math.min(34, 6 * Math.log(1 + gr.pages)), order: 1, score: gr.pages } });
    });
    childPages[view].forEach(function (k) {
      var p = pages[k], kd = kind(p);
      nodes.push({ group: "nodes", classes: "page " + kd + (brokenOf[k] ? " broken" : ""),
                   data: { id: "p" + k, label: label(p), color: COLORS[kd], size: 12 + 18 * (p.link_score || 0) / 100,
                           order: p.entry ? 0 : p.orphan ? 3 : 2, score: p.link_score || 0 } });
    });
    // Links between the nodes of this view, counted per pair.
    var weights = {};
    var members = [];
    (function collect(g) { members.push.apply(members, childPages[g]); childGroups[g].forEach(collect); })(view);
    members.forEach(function (k) {
      var a = repOf(k, view);
      outs[k].forEach(function (t) {
        var b = repOf(t, view);
        if (b === null || b === a) return;
        var key = a + ">" + b;
        weights[key] = (weights[key] || 0) + 1;
      });
    });
    // A dense view (every topic linking to every other) would be a
    // hairball: only the strongest links are drawn; the panel lists all.
    var keys = Object.keys(weights), limit = Math.max(60, 4 * nodes.length);
    if (keys.length > limit) keys.sort(function (a, b) { return weights[b] - weights[a] || (a < b ? -1 : 1); });
    document.getElementById("edge-note").textContent = keys.length > limit ?
      "Arrows: the " + limit + " strongest of " + keys.length + " links between these nodes." : "";
    var edges = keys.slice(0, limit).map(function (key) {
      var ab = key.split(">"), w = weights[key];
      return { group: "edges", data: { id: "e" + key, source: ab[0], target: ab[1], count: w,
                                       width: Math.min(6, 0.8 + Math.log(w)) } };
    });
    cy.startBatch();
    cy.elements().remove();
    cy.add(nodes);
    cy.add(edges);
    cy.endBatch();
    // A grid that reserves room for each label: labels cannot overlap.
    cy.layout({ name: "grid", animate: false, avoidOverlap: true, avoidOverlapPadding: 14,
                nodeDimensionsIncludeLabels: true, condense: true,
                sort: function (a, b) { return a.data("order") - b.data("order") || b.data("score") - a.data("score") ||
                                                (a.data("label") < b.data("label") ? -1 : 1); } }).run();
    fit();
    crumbs();
    document.getElementById("up").disabled = groups[view].parent < 0;
  }

  function fit() {
    cy.fit(undefined, 24);
    if (cy.zoom() > 1.3) { cy.zoom(1.3); cy.center(); }  // a few nodes: not giant
  }
  function crumbs() {
    var el = document.getElementById("crumbs");
    el.textContent = "";
    chain(current).forEach(function (g, n) {
      if (n) el.appendChild(document.createTextNode(" › "));
      var a = document.createElement(g === current ? "b" : "a");
      a.textContent = groups[g].label;
      if (g !== current) a.addEventListener("click", function () { show(g); });
      el.appendChild(a);
    });
  }

  // -- the side panel --
  var panel = document.getElementById("panel");
  function h(tag, text, parent, cls) {
    var n = document.createElement(tag);
    if (text !== undefined) n.textContent = text;
    if (cls) n.className = cls;
    if (parent) parent.appendChild(n);
    return n;
  }
  function pageList(title, list, parent) {
    h("h4", title + " (" + list.length + ")", parent);
    if (!list.length) { h("p", "None.", parent, "more"); return; }
    var ul = h("ul", undefined, parent);
    list.slice(0, 200).forEach(function (k) {
      var li = h("li", undefined, ul), a = h("a", label(pages[k]), li);
      a.title = pages[k].path;
      a.setAttribute("data-page", String(k));
      a.addEventListener("click", function () { focusPage(k); });
    });
    if (list.length > 200) h("p", "… and " + (list.length - 200) + " more", parent, "more");
  }
  function showPage(k) {
    var p = pages[k];
    panel.textContent = "";
    panel.setAttribute("data-page", String(k));
    h("h3", label(p), panel);
    h("div", p.path, panel, "path");
    var facts = "Depth " + (p.depth === null ? "– (not reached)" : p.depth) + " · link score " + p.link_score +
                " · " + p.inlinks + " inlinks · " + p.outlinks + " outlinks";
    h("div", facts, panel);
    var flags = [p.entry && "entry page", p.hub && "hub", p.orphan && "orphan", p.dead_end && "dead end"].filter(Boolean);
    if (flags.length) h("div", flags.join(", "), panel);
    pageList("Inlinks", ins[k], panel);
    pageList("Outlinks", outs[k], panel);
    var broken = brokenOf[k] || [];
    if (broken.length) {
      h("h4", "Broken links (" + broken.length + ")", panel);
      var ul = h("ul", undefined, panel);
      broken.forEach(function (u) { h("li", u, ul, "broken-link"); });
    }
    var fs = findingsOf[p.path] || [];
    h("h4", "Findings (" + fs.length + ")", panel);
    var fl = h("ul", undefined, panel);
    fs.slice(0, 200).forEach(function (f) { h("li", f.line + ":" + f.column + " " + f.rule + " — " + f.message, fl); });
    highlight("p" + k);
  }
  function showGroup(g) {
    var gr = groups[g], members = [];
    (function collect(x) { members.push.apply(members, childPages[x]); childGroups[x].forEach(collect); })(g);
    var inside = {}; members.forEach(function (k) { inside[k] = 1; });
    var linksIn = 0, linksOut = 0;
    members.forEach(function (k) {
      outs[k].forEach(function (t) { if (!inside[t]) linksOut++; });
      ins[k].forEach(function (s) { if (!inside[s]) linksIn++; });
    });
    panel.textContent = "";
    panel.removeAttribute("data-page");
    h("h3", gr.label, panel);
    h("div", gr.pages + " pages · " + linksIn + " links in from elsewhere · " + linksOut + " links out", panel);
    var open = h("button", "Open folder", panel);
    open.type = "button";
    open.addEventListener("click", function () { show(g); });
    members.sort(function (a, b) { return (pages[b].link_score || 0) - (pages[a].link_score || 0); });
    pageList("Pages by link score", members, panel);
    highlight("g" + g);
  }
  function highlight(id) {
    cy.elements().removeClass("faded in out");
    var n = cy.getElementById(id);
    if (!n.length) return;
    cy.elements().difference(n.closedNeighborhood()).addClass("faded");
    n.outgoers("edge").addClass("out");
    n.incomers("edge").addClass("in");
    cy.nodes().unselect();
    n.select();
  }
  cy.on("tap", "node", function (ev) {
    var id = ev.target.id();
    if (id[0] === "p") showPage(Number(id.slice(1))); else showGroup(Number(id.slice(1)));
  });
  cy.on("dbltap", "node.group", function (ev) { show(Number(ev.target.id().slice(1))); });
  cy.on("tap", function (ev) { if (ev.target === cy) cy.elements().removeClass("faded in out"); });

  function focusPage(k) {
    if (current !== pages[k].g) show(pages[k].g);
    var n = cy.getElementById("p" + k);
    cy.nodes().removeClass("found");
    n.addClass("found");
    showPage(k);
  }
  document.getElementById("up").addEventListener("click", function () {
    if (groups[current].parent >= 0) show(groups[current].parent);
  });
  document.getElementById("fit").addEventListener("click", fit);

  // -- search by title or path --
  var searchBox = document.getElementById("search"), results = document.getElementById("search-results");
  var haystack = pages.map(function (p) { return ((p.title || "") + "\n" + p.path).toLowerCase(); });
  function search(query) {
    var q = query.trim().toLowerCase(), found = [];
    if (q) for (var k = 0; k < N && found.length < 50; k++) if (haystack[k].indexOf(q) >= 0) found.push(k);
    results.textContent = "";
    found.forEach(function (k) {
      var li = h("li", label(pages[k]), results);
      h("small", pages[k].path, li);
      li.setAttribute("data-page", String(k));
      li.setAttribute("role", "option");
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(k); });
    });
    return found;
  }
  function pick(k) { results.textContent = ""; focusPage(k); }
  searchBox.addEventListener("input", function () { search(searchBox.value); });
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && results.firstChild) pick(Number(results.firstChild.getAttribute("data-page")));
    if (ev.key === "Escape") results.textContent = "";
  });
  searchBox.addEventListener("blur", function () { setTimeout(function () { results.textContent = ""; }, 150); });

  // -- orphan list --
  var ol = document.getElementById("orphans");
  var orphanPages = [];
  pages.forEach(function (p, k) { if (p.orphan) orphanPages.push(k); });
  orphanPages.slice(0, 1000).forEach(function (k) {
    var li = h("li", undefined, ol, "orphan"), a = h("a", pages[k].path + (pages[k].title ? " — " + pages[k].title : ""), li);
    a.href = "#page=" + k;
  });
  if (orphanPages.length > 1000) h("li", "… and " + (orphanPages.length - 1000) + " more (see the Pages table)", ol, "more");
  if (!orphanPages.length) ol.innerHTML = "<li>None: every page is linked from another page.</li>";

  // -- sortable, filterable tables --
  function table(id, columns, rows, render) {
    var t = document.getElementById(id), thead = document.createElement("thead"), tr = document.createElement("tr");
    var tbody = document.createElement("tbody"), sortKey = null, dir = 1, filter = "";
    var text = rows.map(function (r) { return JSON.stringify(r).toLowerCase(); });
    columns.forEach(function (col) {
      var th = document.createElement("th");
      th.textContent = col[1];
      th.setAttribute("data-key", col[0]);
      th.addEventListener("click", function () {
        dir = sortKey === col[0] ? -dir : (col[2] ? -1 : 1);
        sortKey = col[0];
        Array.prototype.forEach.call(tr.children, function (x) { x.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        draw();
      });
      tr.appendChild(th);
    });
    thead.appendChild(tr); t.appendChild(thead); t.appendChild(tbody);
    function draw() {
      var list = rows.filter(function (r, n) { return !filter || text[n].indexOf(filter) >= 0; });
      if (sortKey) list.sort(function (a, b) {
        var x = a[sortKey], y = b[sortKey];
        if (x === null || x === undefined) x = typeof y === "number" ? Infinity : "";
        if (y === null || y === undefined) y = typeof x === "number" ? Infinity : "";
        return (x < y ? -1 : x > y ? 1 : 0) * dir;
      });
      tbody.textContent = "";
      var shown = list.slice(0, 500);
      shown.forEach(function (r) {
        var row = document.createElement("tr");
        columns.forEach(function (col) {
          var td = document.createElement("td");
          render(td, col[0], r);
          if (typeof r[col[0]] === "number") td.className = "num";
          row.appendChild(td);
        });
        tbody.appendChild(row);
      });
      if (list.length > shown.length) {
        var more = h("tr", undefined, tbody, "more"), td = h("td", "… " + (list.length - shown.length) +
          " more rows: filter or sort to see them", more, "more");
        td.colSpan = columns.length;
      }
      t.setAttribute("data-rows", String(list.length));
    }
    return { draw: draw, setFilter: function (f) { filter = f.toLowerCase(); draw(); } };
  }
  function plain(td, key, r) { var v = r[key]; td.textContent = v === null || v === undefined ? "–" : String(v); }
  function pageLink(td, text, k) {
    if (k === undefined) { td.textContent = text; return; }
    var a = h("a", text, td);
    a.href = "#page=" + k;
    a.title = "Show in the graph";
  }
  var pagesTable = table("pages", [["path", "Page"], ["title", "Title"], ["depth", "Depth"], ["inlinks", "Inlinks", 1],
      ["outlinks", "Outlinks", 1], ["broken", "Broken", 1], ["link_score", "Link score", 1], ["flags", "Status"]],
    pages.map(function (p, k) {
      var o = { k: k }; for (var key in p) o[key] = p[key];
      o.flags = [p.entry ? "entry" : "", p.hub ? "hub" : "", p.orphan ? "orphan" : "", p.dead_end ? "dead-end" : ""]
        .filter(Boolean).join(" ");
      return o;
    }),
    function (td, key, r) {
      if (key === "path") return pageLink(td, r.path, r.k);
      if (key !== "flags") return plain(td, key, r);
      r.flags.split(" ").forEach(function (f) {
        if (!f) return;
        h("span", f === "dead-end" ? "dead end" : f, td, "tag " + (f === "dead-end" ? "dead" : f));
      });
    });
  var problemsTable = table("problems", [["severity", "Severity"], ["rule", "Rule"], ["path", "File"], ["line", "Line"],
      ["message", "Message"]], data.problems,
    function (td, key, r) {
      if (key === "path") return pageLink(td, r.path, pageByPath[r.path]);
      if (key !== "severity") return plain(td, key, r);
      h("span", r.severity, td, "tag " + r.severity);
    });
  pagesTable.draw(); problemsTable.draw();
  document.getElementById("pages-filter").addEventListener("input", function (e) { pagesTable.setFilter(e.target.value); });
  document.getElementById("problems-filter").addEventListener("input", function (e) { problemsTable.setFilter(e.target.value); });

  // -- links from the tables (and bookmarks): #page=N shows page N in the picture --
  function followHash() {
    var m = /^#page=(\d+)$/.exec(location.hash);
    if (m && Number(m[1]) < N) {
      focusPage(Number(m[1]));
      document.getElementById("graph-wrap").scrollIntoView();
    }
  }
  window.addEventListener("hashchange", followHash);

  var top = groups.length ? 0 : -1;
  if (N) show(top);
  followHash();
  var renderMs = Math.round(performance.now() - started);
  if (!errors.length) status.setAttribute("data-status", "rendered");
  status.setAttribute("data-nodes", String(cy.nodes().length));
  status.setAttribute("data-pages", String(N));
  status.setAttribute("data-orphans", String(orphanPages.length));
  status.setAttribute("data-ms", String(renderMs));

  // -- test hook: report.html#selftest[=QUERY] clicks and types like a reader
  // and writes what it saw as JSON into a pre element, id selftest (read by
  // the headless-browser test with --dump-dom). Does nothing otherwise. --
  var hook = /^#selftest(?:=(.*))?$/.exec(location.hash);
  if (hook) {
    var result = { renderMs: renderMs };
    try {
      var column = function (id, key) {
        var heads = Array.prototype.map.call(document.querySelectorAll("#" + id + " thead th"),
                                             function (x) { return x.getAttribute("data-key"); });
        var at = heads.indexOf(key);
        return Array.prototype.map.call(document.querySelectorAll("#" + id + " tbody tr:not(.more)"),
                                        function (tr) { return tr.children[at].textContent; });
      };
      var labelBoxes = function () {
        return cy.nodes().map(function (n) {
          return { id: n.id(), label: n.data("label"), box: n.boundingBox({ includeNodes: false, includeEdges: false,
                                                                               includeLabels: true }) };
        });
      };
      var overlaps = function (boxes) {
        var hits = [];
        for (var a = 0; a < boxes.length; a++) for (var b = a + 1; b < boxes.length; b++) {
          var p = boxes[a].box, q = boxes[b].box;
          if (p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2) hits.push([boxes[a].label, boxes[b].label]);
        }
        return hits;
      };
      var overview = labelBoxes();
      result.overview = { nodes: cy.nodes().length, edges: cy.edges().length,
                          groups: cy.nodes(".group").length, labels: overview.map(function (x) { return x.label; }),
                          overlaps: overlaps(overview).slice(0, 20),
                          arrows: cy.edges().length ? cy.edges()[0].style("target-arrow-shape") : null };
      result.initial = column("pages", "path");
      var th = document.querySelector('#pages th[data-key="inlinks"]');
      th.click();
      result.sorted = { paths: column("pages", "path").slice(0, 50), inlinks: column("pages", "inlinks").slice(0, 50),
                        aria: th.getAttribute("aria-sort") };
      th.click();
      result.resorted = { paths: column("pages", "path").slice(0, 50), inlinks: column("pages", "inlinks").slice(0, 50),
                          aria: th.getAttribute("aria-sort") };
      var box = document.getElementById("pages-filter");
      box.value = "SCIATICA";
      box.dispatchEvent(new Event("input", { bubbles: true }));
      result.filtered = { paths: column("pages", "path"), rows: document.getElementById("pages").getAttribute("data-rows") };
      box.value = "";
      box.dispatchEvent(new Event("input", { bubbles: true }));
      result.unfiltered = document.getElementById("pages").getAttribute("data-rows");
      result.tableLinks = Array.prototype.map.call(document.querySelectorAll("#pages tbody td a"),
                                                   function (a) { return a.getAttribute("href"); }).slice(0, 5);
      // Follow the last page row's link, as a click on it would.
      var rowLinks = document.querySelectorAll("#pages tbody td a");
      if (rowLinks.length) {
        var href = rowLinks[rowLinks.length - 1].getAttribute("href"), before = location.hash;
        history.replaceState(null, "", href);
        followHash();
        result.tableLink = { href: href, panelPage: panel.getAttribute("data-page"), selected: cy.$(":selected").id(),
                             view: groups[current].label };
        history.replaceState(null, "", before);
        show(top);
      }
      result.brokenLinks = [];
      Object.keys(brokenOf).forEach(function (k) {
        brokenOf[k].forEach(function (u) { result.brokenLinks.push(pages[k].path + ": " + u); });
      });
      // Search, then pick the first hit: its folder opens and the panel lists its links.
      var query = hook[1] !== undefined ? decodeURIComponent(hook[1]) : "sciatica";
      var t0 = performance.now();
      searchBox.value = query;
      searchBox.dispatchEvent(new Event("input", { bubbles: true }));
      var hits = Array.prototype.map.call(results.querySelectorAll("li"), function (li) {
        return pages[Number(li.getAttribute("data-page"))].path;
      });
      result.search = { query: query, hits: hits };
      if (hits.length) {
        var first = results.firstChild;
        first.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
        var k = Number(first.getAttribute("data-page"));
        var links = function (title) {
          var head = Array.prototype.filter.call(panel.querySelectorAll("h4"), function (x) {
            return x.textContent.indexOf(title) === 0;
          })[0];
          var list = head && head.nextElementSibling;
          return list && list.tagName === "UL" ? Array.prototype.map.call(list.querySelectorAll("a"), function (a) {
            return a.title;
          }) : [];
        };
        var afterPick = labelBoxes();
        result.picked = { path: pages[k].path, panelPage: panel.getAttribute("data-page"), selected: cy.$(":selected").id(),
                          view: groups[current].label, crumbs: document.getElementById("crumbs").textContent,
                          nodes: cy.nodes().length, overlaps: overlaps(afterPick).slice(0, 20),
                          inlinks: links("Inlinks"), outlinks: links("Outlinks"),
                          findings: Array.prototype.map.call(panel.querySelectorAll("h4 + ul li"), function (li) {
                            return li.textContent; }).filter(function (x) { return / — /.test(x); }),
                          ms: Math.round(performance.now() - t0) };
        // Back up to the top folder through the breadcrumb.
        var up = document.querySelector("#crumbs a");
        if (up) up.click();
        result.backToTop = { view: groups[current].label, nodes: cy.nodes().length };
      }
      // Double-click the first folder to open it, then "Up".
      var folderNode = cy.nodes(".group")[0];
      if (folderNode) {
        folderNode.emit("dbltap");
        result.opened = { folder: folderNode.data("label"), view: groups[current].label, nodes: cy.nodes().length };
        document.getElementById("up").click();
        result.opened.up = groups[current].label;
      }
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
