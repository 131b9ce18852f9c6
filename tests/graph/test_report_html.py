"""The HTML link-graph report at scale: folder groups, header, and a
10,000-page report driven in headless Chromium (renders within the time
budget, no overlapping labels at the overview, search finds a page)."""
from __future__ import annotations

import datetime as dt
import random
import re
import time
from collections import Counter

import pytest

from health_lint import __version__
from health_lint.graph.report_html import FLAT_PAGES, MAX_ITEMS, folder_groups, html_from_data, to_html

from .test_site import _render, _selftest, needs_chromium

# In-page budget for the first picture (parse the data, index 100,000 links,
# lay out and draw the overview, build the tables) at 10,000 pages, and for
# the whole headless run (start Chromium, load, self-test, dump the DOM).
RENDER_BUDGET_MS = 4000
WALL_BUDGET_S = 20


def children(groups, page_group):
    """Direct entries (sub-groups + pages) per group."""
    count = Counter(g["parent"] for g in groups if g["parent"] >= 0)
    count.update(page_group)
    return count


def test_pages_are_grouped_by_folder_under_the_common_top():
    paths = [f"site/en/{folder}/page-{i}.md" for folder in ("flu", "asthma", "diabetes") for i in range(12)]
    paths += ["site/en/index.md", "site/en/flu/vaccines/nasal.md"]
    groups, page_group = folder_groups(paths)
    assert groups[0] == {"label": "site/en/", "path": "site/en", "parent": -1, "pages": len(paths)}
    by_path = {g["path"]: g for g in groups}
    assert by_path["site/en/flu"]["label"] == "flu/" and by_path["site/en/flu"]["pages"] == 13
    assert by_path["site/en/flu/vaccines"]["parent"] == groups.index(by_path["site/en/flu"])
    assert groups[page_group[paths.index("site/en/index.md")]]["path"] == "site/en"
    assert groups[page_group[paths.index("site/en/asthma/page-3.md")]]["label"] == "asthma/"


def test_a_small_site_is_flat():
    paths = [f"a/{i}.md" for i in range(FLAT_PAGES // 2)] + [f"b/{i}.md" for i in range(FLAT_PAGES // 2)]
    groups, page_group = folder_groups(paths)
    assert len(groups) == 1 and set(page_group) == {0} and groups[0]["label"] == "/"
    groups, _ = folder_groups(paths + ["c/x.md"])
    assert sorted(g["label"] for g in groups) == ["/", "a/", "b/", "c/"]


def test_a_crowded_folder_is_split_into_alphabetical_runs():
    paths = [f"news/item-{i:04d}.md" for i in range(1000)] + [f"topics/t{i:03d}/index.md" for i in range(300)]
    paths[0] = "news/Item-0000.md"
    groups, page_group = folder_groups(paths)
    # No view of the picture holds more than MAX_ITEMS nodes.
    assert max(children(groups, page_group).values()) <= MAX_ITEMS
    news = next(i for i, g in enumerate(groups) if g["path"] == "news" and g["parent"] == 0)
    runs = [g for g in groups if g["parent"] == news]
    assert len(runs) == 9 and sum(g["pages"] for g in runs) == 1000
    assert runs[0]["label"] == "Item-0000.md … item-0111.md"  # names as written, sorted ignoring case
    assert groups[0]["pages"] == 1300
    # Every page's chain of groups leads to the top.
    for gid in page_group:
        seen = 0
        while groups[gid]["parent"] >= 0:
            gid, seen = groups[gid]["parent"], seen + 1
            assert seen < 10
        assert gid == 0


def test_a_folder_of_20000_pages_gets_runs_of_runs():
    paths = [f"p{i:05d}.md" for i in range(20_000)]
    groups, page_group = folder_groups(paths)
    assert max(children(groups, page_group).values()) <= MAX_ITEMS
    assert groups[0]["pages"] == 20_000 and len(children(groups, page_group)) == len(groups)


def test_header_has_title_date_version_and_command(tree):
    from .conftest import page

    t = tree({"index.md": page("Home", "[A](a.md)"), "a.md": page("A <b>", "[Home](index.md)")})
    text = to_html(t.graph, t.findings, title="Clinic <site>", command="health-lint graph content -e r.html",
                   generated=dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc))
    assert "<h1>Clinic &lt;site&gt;</h1>" in text and "<title>Clinic &lt;site&gt; — health-lint</title>" in text
    assert '<span id="meta-date">2026-01-02 03:04 UTC</span>' in text
    assert f'<span id="meta-version">health-lint {__version__}</span>' in text
    assert '<code id="meta-command">health-lint graph content -e r.html</code>' in text
    # Page data is JSON that cannot end the script element early.
    assert "A \\u003cb\\u003e" in text and "</script" not in text.split('id="graph-data">', 1)[1].split("</script>")[0]


def site_data(pages: int = 10_000, links: int = 10, seed: int = 5) -> dict:
    """Report data shaped like report_data() for a generated site: topic
    folders of 100 articles and an index each, 10 links per article, some
    orphans and findings."""
    rnd = random.Random(seed)
    paths = ["content/index.md"] + [f"content/topic-{t:03d}/index.md" for t in range(pages // 100)]
    paths += [f"content/topic-{i // 100:03d}/article-{i:05d}.md" for i in range(pages - len(paths))]
    first_article = pages // 100 + 1
    edges = {}
    for t in range(1, first_article):
        edges[(0, t)] = 1
        for k in range(first_article + (t - 1) * 100, min(pages, first_article + t * 100 - 40)):
            edges[(t, k)] = 1
    for i in range(first_article, pages):
        for _ in range(links):
            j = rnd.randrange(first_article, pages)
            if j != i and j % 97:  # pages whose number divides by 97 get no inlinks: orphans
                edges[(i, j)] = edges.get((i, j), 0) + 1
    inl, outl = Counter(v for _, v in edges), Counter(u for u, _ in edges)
    groups, page_group = folder_groups([p.removeprefix("content/") for p in paths])
    rows = []
    for i, p in enumerate(paths):
        title = "Health guides" if i == 0 else f"Topic {i - 1}" if i < first_article else "Article " + p[-8:-3]
        rows.append({"path": p, "url": "/" + p, "title": title, "depth": None if inl[i] == 0 and i else 1,
                     "inlinks": inl[i], "outlinks": outl[i], "links": outl[i], "broken": 0,
                     "link_score": round(min(100.0, inl[i] * 5.0), 1), "entry": i < first_article,
                     "orphan": inl[i] == 0 and i >= first_article, "dead_end": outl[i] == 0, "hub": outl[i] > 50,
                     "g": page_group[i]})
    problems = [{"path": paths[i], "line": 3, "column": 1, "rule": "readability/grade", "severity": "warning",
                 "message": f"Grade 11 in article {i}"} for i in range(first_article, pages, 50)]
    orphans = [r["path"] for r in rows if r["orphan"]]
    summary = {"pages": pages, "internal_links": sum(edges.values()), "orphans": orphans,
               "dead_ends": [r["path"] for r in rows if r["dead_end"]], "broken_links": 0, "missing_anchors": 0,
               "max_depth": 3, "deep": []}
    return {"pages": rows, "edges": [[u, v, c] for (u, v), c in edges.items()], "broken": [], "problems": problems,
            "groups": groups, "summary": summary}


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    data = site_data()
    out = tmp_path_factory.mktemp("big")
    report = out / "report.html"
    report.write_text(html_from_data(data, "Link graph", "health-lint graph content -e report.html"),
                      encoding="utf-8")
    started = time.perf_counter()
    dom, console = _render(report, out, "#selftest=article%2009876")
    return data, dom, console, time.perf_counter() - started


@needs_chromium
def test_10000_pages_render_within_budget_without_overlapping_labels(big):
    data, dom, console, wall = big
    assert console == []
    status = re.search(r'<div id="render-status"[^>]*>', dom).group(0)
    assert 'data-status="rendered"' in status and 'data-pages="10000"' in status
    result = _selftest(dom)
    assert result["renderMs"] < RENDER_BUDGET_MS and wall < WALL_BUDGET_S, (result["renderMs"], wall)
    overview = result["overview"]
    # The overview: the home page and the 100 topic folders, not 10,000 dots.
    assert overview["groups"] == 100 and overview["nodes"] == 101
    assert "topic-042/ (101)" in overview["labels"] and "Health guides" in overview["labels"]
    assert overview["overlaps"] == []
    assert overview["arrows"] == "triangle" and overview["edges"] == 4 * 101
    # A double-click opens a folder into its pages; "Up" comes back.
    assert result["opened"] == {"folder": "topic-000/ (101)", "view": "topic-000/", "nodes": 101, "up": "/"}
    assert result["resources"] == []


@needs_chromium
def test_10000_pages_search_finds_a_page_and_opens_its_folder(big):
    data, dom, _, _ = big
    result = _selftest(dom)
    path = "content/topic-098/article-09876.md"
    assert result["search"]["hits"] == [path]
    picked = result["picked"]
    k = next(i for i, p in enumerate(data["pages"]) if p["path"] == path)
    assert picked["path"] == path and picked["selected"] == f"p{k}" and picked["view"] == "topic-098/"
    assert picked["crumbs"] == "/ › topic-098/" and picked["overlaps"] == [] and picked["nodes"] <= MAX_ITEMS
    sources = sorted(data["pages"][u]["path"] for u, v, _ in data["edges"] if v == k)
    targets = sorted(data["pages"][v]["path"] for u, v, _ in data["edges"] if u == k)
    assert sorted(picked["inlinks"]) == sources and sorted(picked["outlinks"]) == targets and sources
    assert result["backToTop"] == {"view": "/", "nodes": 101}
    assert result["unfiltered"] == "10000"
    # A page row's link opens the page's folder in the picture and selects it.
    link = result["tableLink"]
    k = int(link["href"].removeprefix("#page="))
    assert link["panelPage"] == str(k) and link["selected"] == f"p{k}"
    assert link["view"] == data["pages"][k]["path"].split("/")[1] + "/"


@needs_chromium
def test_an_empty_folder_gives_a_report_without_errors(tmp_path):
    summary = {"pages": 0, "internal_links": 0, "orphans": [], "dead_ends": [], "broken_links": 0,
               "missing_anchors": 0, "max_depth": 3, "deep": []}
    data = {"pages": [], "edges": [], "broken": [], "problems": [], "groups": folder_groups([])[0], "summary": summary}
    report = tmp_path / "empty.html"
    report.write_text(html_from_data(data), encoding="utf-8")
    dom, console = _render(report, tmp_path, "#selftest")
    assert console == []
    assert 'data-status="rendered" data-nodes="0" data-pages="0"' in dom
    assert _selftest(dom)["search"]["hits"] == []
