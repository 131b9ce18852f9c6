"""The link graph of a content tree and what is measured on it.

:func:`build` resolves every link once (:mod:`.resolve`) and builds a
directed graph (:class:`SiteGraph`, convertible to networkx) whose nodes are
the pages (by path) and whose edges are "page A links to page B" (``count``
= how many links). On it:

* **link score** — internal PageRank (damping 0.85, edges weighted by link
  count) scaled 0–100 on a log scale relative to the best page, like
  Screaming Frog's Link Score;
* **depth** — clicks from the nearest entry page (breadth-first layers from
  all entry pages: by default the home page and the section index pages;
  see :func:`_entry_pages`); pages no entry page reaches have no depth;
* **orphans** (no inlinks from other pages, entry pages exempt), **dead ends**
  (no links to other pages), **hubs** (many outlinks), histograms and the
  pages with most and fewest inlinks.

The seven graph rules share one :class:`LinkGraph` per run (see
:func:`graph_for`), so the tree is resolved and analysed once.
"""
from __future__ import annotations

import dataclasses

import fnmatch
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    import networkx as nx


from ..document import Document, Link
from .resolve import BROKEN, MISSING_ANCHOR, OK, Resolution, Resolver, SiteSettings

DEFAULT_MAX_DEPTH = 3


@dataclass
class LinkRecord:
    source: int
    link: Link
    resolution: Resolution


@dataclass
class NotASite:
    """Why the checked folder looks like a set of articles cut out of a
    site rather than a whole site: no entry page, and its pages do not link
    to each other, or most of its links written as site URLs
    ("/conditions/flu/", "getting-diagnosed") point at pages that are not in
    it. Orphans, dead ends and those broken links
    would then be about the cut, not about the content."""

    pages: int
    page_links: int  # links from one page of the folder to another
    root_links: int  # links written as site URLs (see is_site_url)
    broken_root_links: int
    examples: list[str] = field(default_factory=list)  # a few of the broken ones
    entry_pages: list[str] = field(default_factory=list)  # index pages, if any (they reach few pages)
    reached: int = 0  # pages the entry pages reach


# More than this share of the site-URL links broken: the folder is taken for
# a part of a site.
NOT_A_SITE_BROKEN_SHARE = 0.5


def is_site_url(url: str) -> bool:
    """A link written as a published site URL rather than a file of the
    folder: site-root ("/conditions/flu/", not "//cdn.example/x") or a
    relative URL with no file extension ("getting-diagnosed",
    "../flu/"). "flu.md", "../img/rash.jpg" and "page.html" name files."""
    url = url.strip().split("#", 1)[0].split("?", 1)[0]
    if not url:
        return False
    if url.startswith("/"):
        return not url.startswith("//")
    if ":" in url.split("/", 1)[0]:
        return False  # a scheme: mailto:, tel:, https:
    last = url.rstrip("/").rsplit("/", 1)[-1]
    return "." not in last or last in (".", "..")


def _not_a_site(docs, records, entries, depth, graph, settings: dict[str, Any]) -> NotASite | None:
    site = settings.get("site") or {}
    # Told where the site is (a content root of their own, a base URL, entry
    # pages): the user's settings stand and every finding is reported.
    told = ("content-root" in site and not site.get("content-root-guessed")) or site.get("base-url") \
        or (settings.get("graph") or {}).get("entry-pages") is not None
    if told or len(docs) < 2:
        return None
    # An index page that reaches most pages makes a site, whatever its links.
    # One that reaches few (a README at the top of an exported folder) does
    # not, when the pages' own site links mostly lead outside the folder.
    if entries and 2 * len(depth) >= len(docs):
        return None
    page_links = sum(1 for u, v in graph.edges() if u != v)
    root = [r for recs in records for r in recs
            if r.link.kind == "link" and is_site_url(r.link.url) and r.resolution.status in (OK, MISSING_ANCHOR, BROKEN)]
    broken = [r for r in root if r.resolution.status == BROKEN]
    mostly_broken = len(broken) > NOT_A_SITE_BROKEN_SHARE * len(root)
    if not mostly_broken and (page_links or entries):
        return None
    examples = list(dict.fromkeys(r.link.url.strip() for r in broken))[:3]
    return NotASite(pages=len(docs), page_links=page_links, root_links=len(root), broken_root_links=len(broken),
                    examples=examples, entry_pages=[docs[e].path for e in entries], reached=len(depth))


class SiteGraph:
    """Pages (by path, with attributes) and the links between them (with a
    ``count``), the subset of networkx's ``DiGraph`` the graph rules use, as
    plain dicts in insertion order. ``check`` needs no more, and importing
    networkx costs about 0.3 s (some 400 modules) per run; the ``graph``
    command's click paths and exports convert with :meth:`to_networkx`."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self._succ: dict[str, dict[str, dict[str, Any]]] = {}
        self._pred: dict[str, dict[str, dict[str, Any]]] = {}
        self._nx = None

    def add_node(self, node: str, **attrs: Any) -> None:
        self.nodes.setdefault(node, {}).update(attrs)
        self._succ.setdefault(node, {})
        self._pred.setdefault(node, {})

    def add_edge(self, u: str, v: str, **attrs: Any) -> None:
        for n in (u, v):
            if n not in self.nodes:
                self.add_node(n)
        data = self._succ[u].setdefault(v, {})
        data.update(attrs)
        self._pred[v][u] = data

    def has_edge(self, u: str, v: str) -> bool:
        return v in self._succ.get(u, ())

    def __getitem__(self, u: str) -> dict[str, dict[str, Any]]:
        return self._succ[u]

    def __iter__(self):
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def successors(self, node: str):
        return iter(self._succ[node])

    def predecessors(self, node: str):
        return iter(self._pred[node])

    def edges(self, data: bool = False):
        for u, nbrs in self._succ.items():
            for v, d in nbrs.items():
                yield (u, v, d) if data else (u, v)

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return sum(len(nbrs) for nbrs in self._succ.values())

    def selfloops(self) -> int:
        return sum(1 for u, nbrs in self._succ.items() if u in nbrs)

    def to_networkx(self) -> "nx.DiGraph":
        """The same graph as a networkx ``DiGraph`` (built once)."""
        if self._nx is None:
            import networkx as nx  # slow to import: only for exports and click paths

            g = nx.DiGraph()
            g.add_nodes_from(self.nodes.items())
            g.add_edges_from(self.edges(data=True))
            self._nx = g
        return self._nx


@dataclass
class LinkGraph:
    documents: list[Document]
    resolver: Resolver
    graph: SiteGraph
    records: list[list[LinkRecord]]  # per document, in source order
    entries: list[int]
    depth: dict[int, int]
    scores: dict[int, float]  # link score 0..100
    pagerank: dict[int, float]
    hubs: set[int] = field(default_factory=set)
    max_depth: int = DEFAULT_MAX_DEPTH
    # Set when the folder is not a whole site (see NotASite): the orphan and
    # dead-end rules and broken site-URL links say so once instead.
    not_a_site: NotASite | None = None

    # -- per page ----------------------------------------------------------
    def node(self, i: int) -> str:
        return self.documents[i].path

    def inlinks(self, i: int) -> int:
        """Other pages linking here (self-links excluded)."""
        n = self.node(i)
        return sum(1 for p in self.graph.predecessors(n) if p != n)

    def outlinks(self, i: int) -> int:
        n = self.node(i)
        return sum(1 for s in self.graph.successors(n) if s != n)

    def is_entry(self, i: int) -> bool:
        return i in self._entry_set

    @property
    def _entry_set(self) -> set[int]:
        cached = self.__dict__.get("_entries_cache")
        if cached is None:
            cached = self.__dict__["_entries_cache"] = set(self.entries)
        return cached

    def orphans(self) -> list[int]:
        return [i for i in range(len(self.documents)) if not self.is_entry(i) and self.inlinks(i) == 0]

    def dead_ends(self) -> list[int]:
        return [i for i in range(len(self.documents)) if self.outlinks(i) == 0]

    def deep(self) -> list[int]:
        return [i for i, d in self.depth.items() if d > self.max_depth]

    def unreachable(self) -> list[int]:
        """Pages no entry page reaches that are not orphans themselves
        (linked only from orphans or other unreachable pages)."""
        if not self.entries:
            return []
        return [i for i in range(len(self.documents))
                if i not in self.depth and not (not self.is_entry(i) and self.inlinks(i) == 0)]

    def broken(self) -> list[LinkRecord]:
        return [r for recs in self.records for r in recs if r.resolution.status == BROKEN]

    def missing_anchors(self) -> list[LinkRecord]:
        return [r for recs in self.records for r in recs if r.resolution.status == MISSING_ANCHOR]

    def path_to(self, i: int) -> list[int]:
        """A shortest click path from an entry page to page ``i``: the same
        on every run and every shard. Entry pages and each page's links are
        visited in path order, so among equally short paths the first in
        that order wins (a shortest-path search over a set of sources
        depended on the process's hash seed)."""
        if not self.entries or i not in self.depth:
            return []
        parent = self._click_parents()
        node = self.documents[i].path
        path = [node]
        while parent.get(node) is not None:
            node = parent[node]
            path.append(node)
        index = self._index
        return [index[n] for n in reversed(path)]

    def _click_parents(self) -> dict[str, str | None]:
        """Breadth-first parent of every page reachable from the entry
        pages (None for an entry page), computed once."""
        cached = self.__dict__.get("_parents_cache")
        if cached is None:
            layer = sorted({self.node(e) for e in self.entries})
            cached = {n: None for n in layer}
            while layer:
                following = []
                for n in layer:
                    for succ in sorted(self.graph.successors(n)):
                        if succ not in cached:
                            cached[succ] = n
                            following.append(succ)
                layer = following
            self.__dict__["_parents_cache"] = cached
        return cached

    @property
    def _index(self) -> dict[str, int]:
        cached = self.__dict__.get("_index_cache")
        if cached is None:
            cached = self.__dict__["_index_cache"] = {d.path: i for i, d in enumerate(self.documents)}
        return cached

    # -- summary -----------------------------------------------------------
    def page_rows(self) -> list[dict[str, Any]]:
        orphans = set(self.orphans())
        rows = []
        for i, doc in enumerate(self.documents):
            recs = self.records[i]
            rows.append({
                "path": doc.path,
                "url": self.resolver.url_of(i),
                "title": doc.metadata.title,
                "depth": self.depth.get(i),
                "inlinks": self.inlinks(i),
                "outlinks": self.outlinks(i),
                "links": sum(1 for r in recs if r.link.kind == "link"),
                "broken": sum(1 for r in recs if r.resolution.status in (BROKEN, MISSING_ANCHOR)),
                "link_score": round(self.scores.get(i, 0.0), 1),
                "pagerank": self.pagerank.get(i, 0.0),
                "entry": self.is_entry(i),
                "orphan": i in orphans,
                "dead_end": self.outlinks(i) == 0,
                "hub": i in self.hubs,
            })
        return rows

    def summary(self, top: int = 10) -> dict[str, Any]:
        rows = self.page_rows()
        internal = sum(1 for recs in self.records for r in recs
                       if r.resolution.status in (OK, MISSING_ANCHOR) and r.link.kind == "link")
        depth_hist = Counter(self.depth.values())
        inlink_hist = Counter(r["inlinks"] for r in rows)
        by_in = sorted(rows, key=lambda r: (-r["inlinks"], r["path"]))
        fewest = sorted((r for r in rows if not r["entry"]), key=lambda r: (r["inlinks"], r["path"]))
        by_score = sorted(rows, key=lambda r: (-r["pagerank"], r["path"]))
        pick = lambda rs: [{"path": r["path"], "title": r["title"], "inlinks": r["inlinks"],
                            "link_score": r["link_score"]} for r in rs[:top]]
        return {
            "pages": len(self.documents),
            "edges": self.graph.number_of_edges() - self.graph.selfloops(),
            "internal_links": internal,
            "entry_pages": [self.node(i) for i in self.entries],
            "orphans": [self.node(i) for i in self.orphans()],
            "dead_ends": [self.node(i) for i in self.dead_ends()],
            "deep": [self.node(i) for i in sorted(self.deep())],
            "unreachable": [self.node(i) for i in self.unreachable()],
            "hubs": [self.node(i) for i in sorted(self.hubs)],
            "broken_links": len(self.broken()),
            "missing_anchors": len(self.missing_anchors()),
            "max_depth": self.max_depth,
            "depth_histogram": {str(k): depth_hist[k] for k in sorted(depth_hist)},
            "unreached": len(self.documents) - len(self.depth) if self.entries else None,
            "inlinks_histogram": {str(k): inlink_hist[k] for k in sorted(inlink_hist)},
            "most_inlinks": pick(by_in),
            "fewest_inlinks": pick(fewest),
            "top_link_scores": pick(by_score),
            # The folder is not a whole site (graph/not-a-site); None for a site.
            "not_a_site": dataclasses.asdict(self.not_a_site) if self.not_a_site else None,
        }


# -- building --------------------------------------------------------------
def _entry_pages(resolver: Resolver, patterns: list[str] | None) -> list[int]:
    rels = resolver.rel_paths
    if patterns is not None:
        out = []
        for i, rel in enumerate(rels):
            keys = resolver.doc_keys[i]
            for pat in patterns:
                if pat.startswith("/"):
                    from .resolve import norm_key

                    if norm_key(pat, resolver.index_stems) in keys:
                        out.append(i)
                        break
                elif fnmatch.fnmatch(rel, pat) or PurePosixPath(rel).match(pat):
                    out.append(i)
                    break
        return out
    # Default: the home page (the root index/_index/README, or the page
    # whose permalink is "/") and the section index pages (index/_index/
    # README of every folder). Other top-level pages are not exempt: a menu
    # link outside the content tree is what `entry-pages` is for. A tree
    # with no index page has no entry page: orphans are still reported,
    # depth is not measured and the summary says so.
    from .resolve import norm_key

    home = norm_key("/", resolver.index_stems)
    return [i for i in range(len(rels)) if resolver.is_index(i) or home in resolver.doc_keys[i]]


def pagerank(graph: "SiteGraph | nx.DiGraph", alpha: float = 0.85, weight: str = "count", max_iter: int = 100,
             tol: float = 1.0e-6) -> dict[Any, float]:
    """PageRank of ``graph`` (self-loops ignored). networkx's ``pagerank``
    when SciPy is installed; otherwise the same power iteration as
    networkx's pure-Python reference implementation (weighted edges,
    dangling pages spread evenly), over integer arrays so 10,000 pages take
    a fraction of a second. tests/graph/test_export.py checks they agree."""
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    try:
        import scipy  # noqa: F401
        import networkx as nx  # slow to import: only when SciPy is there to use

        g = nx.DiGraph()
        g.add_nodes_from(nodes)
        g.add_weighted_edges_from(((u, v, d.get(weight, 1)) for u, v, d in graph.edges(data=True) if u != v), weight=weight)
        return nx.pagerank(g, alpha=alpha, weight=weight, max_iter=max_iter, tol=tol)
    except ImportError:
        pass
    index = {node: i for i, node in enumerate(nodes)}
    out: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for u, v, d in graph.edges(data=True):
        if u != v:
            out[index[u]].append((index[v], float(d.get(weight, 1))))
    norm = []
    for edges in out:
        total = sum(w for _, w in edges)
        norm.append([(v, w / total) for v, w in edges] if total else [])
    dangling = [i for i in range(n) if not norm[i]]
    x = [1.0 / n] * n
    for _ in range(max_iter):
        last = x
        x = [0.0] * n
        danglesum = alpha * sum(last[i] for i in dangling)
        for i, edges in enumerate(norm):
            share = alpha * last[i]
            for v, w in edges:
                x[v] += share * w
        base = danglesum / n + (1.0 - alpha) / n
        x = [xi + base for xi in x]
        if sum(abs(x[i] - last[i]) for i in range(n)) < n * tol:
            break
    return {nodes[i]: x[i] for i in range(n)}


def _link_scores(graph: SiteGraph, index: dict[str, int]) -> tuple[dict[int, float], dict[int, float]]:
    if graph.number_of_nodes() == 0:
        return {}, {}
    pr = pagerank(graph, alpha=0.85, weight="count")
    n = len(pr)
    best = max(pr.values())
    denom = math.log1p(best * n)
    scores = {index[k]: (100.0 * math.log1p(v * n) / denom if denom else 100.0) for k, v in pr.items()}
    return {index[k]: v for k, v in pr.items()}, scores


def build(documents: Sequence[Document], settings: dict[str, Any] | None = None) -> LinkGraph:
    """Resolve every link of ``documents`` and analyse the graph.
    ``settings`` is the rule context's settings: ``site``, ``graph``, ``root``."""
    settings = settings or {}
    docs = list(documents)
    resolver = Resolver(docs, SiteSettings.from_context(settings))
    graph = SiteGraph()
    for i, doc in enumerate(docs):
        graph.add_node(doc.path, title=doc.metadata.title, url=resolver.url_of(i))
    records: list[list[LinkRecord]] = []
    for i, doc in enumerate(docs):
        recs = []
        for link in doc.links:
            if link.kind == "definition":
                continue
            res = resolver.resolve(i, link.url)
            recs.append(LinkRecord(i, link, res))
            if link.kind == "link" and res.target is not None and res.status in (OK, MISSING_ANCHOR):
                u, v = doc.path, docs[res.target].path
                if graph.has_edge(u, v):
                    graph[u][v]["count"] += 1
                else:
                    graph.add_edge(u, v, count=1)
        records.append(recs)
    gsettings = settings.get("graph") or {}
    entries = _entry_pages(resolver, gsettings.get("entry-pages"))
    index = {d.path: i for i, d in enumerate(docs)}
    depth: dict[int, int] = {}
    if entries:
        # Breadth-first layers from the entry pages (networkx's bfs_layers).
        layer = list(dict.fromkeys(docs[e].path for e in entries))
        seen = set(layer)
        d = 0
        while layer:
            following = []
            for n in layer:
                depth[index[n]] = d
                for succ in graph.successors(n):
                    if succ not in seen:
                        seen.add(succ)
                        following.append(succ)
            layer, d = following, d + 1
    pagerank, scores = _link_scores(graph, index)
    out_degrees = [sum(1 for s in graph.successors(d.path) if s != d.path) for d in docs]
    hubs: set[int] = set()
    if out_degrees:
        median = statistics.median(out_degrees)
        threshold = max(5, 2 * median)
        hubs = {i for i, k in enumerate(out_degrees) if k >= threshold}
    not_a_site = _not_a_site(docs, records, entries, depth, graph, settings)
    return LinkGraph(documents=docs, resolver=resolver, graph=graph, records=records, entries=entries, depth=depth,
                     scores=scores, pagerank=pagerank, hubs=hubs,
                     max_depth=int(gsettings.get("max-depth", DEFAULT_MAX_DEPTH)), not_a_site=not_a_site)


# -- one graph per run, shared by the rules ------------------------------------
_cache: dict[str, Any] = {"documents": None, "key": None, "graph": None}


def _settings_key(settings: dict[str, Any]) -> str:
    return repr((sorted((settings.get("site") or {}).items()), sorted((settings.get("graph") or {}).items()),
                 str(settings.get("root"))))


def graph_for(documents: list[Document], context: Any = None) -> LinkGraph:
    """The link graph of this list of documents, built once and shared by
    every graph rule of the run (keyed on the list's identity and the
    site/graph settings)."""
    settings = dict(getattr(context, "settings", None) or {})
    key = _settings_key(settings)
    if _cache["documents"] is documents and _cache["key"] == key and _cache["count"] == len(documents):
        return _cache["graph"]
    graph = build(documents, settings)
    _cache.update(documents=documents, key=key, graph=graph, count=len(documents))
    return graph


def clear_cache() -> None:
    _cache.update(documents=None, key=None, graph=None, count=-1)


clear_cache()
