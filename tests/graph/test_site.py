"""The fixture content tree (fixtures/site) through the real CLI, the
exports read back, and the HTML report in a real headless browser."""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from ..conftest import FIXTURES, run_cli

SITE = FIXTURES / "site"
EXPECTED = {
    ("back-pain/posture-at-work.md", "graph/orphan"),
    ("back-pain/heat-and-ice.md", "graph/dead-end"),
    ("back-pain/sciatica.md", "links/broken-internal"),
    ("back-pain/sciatica.md", "links/missing-anchor"),
}


def _rel(path: str) -> str:
    return path.split("fixtures/site/", 1)[1]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    proc = run_cli("graph", str(SITE), "--format", "json", "-e", str(out / "g.graphml"), "-e", str(out / "g.dot"),
                   "-e", str(out / "g.json"), "-e", str(out / "g.csv"), "-e", str(out / "report.html"))
    assert proc.returncode == 1, proc.stderr  # two errors
    return out, json.loads(proc.stdout), proc


def test_graph_command_json(exported):
    _, report, _ = exported
    assert report["command"] == "graph"
    assert {(_rel(f["path"]), f["rule"]) for f in report["findings"]} == EXPECTED
    assert set(report["findings"][0]) >= {"path", "line", "column", "end_line", "end_column", "rule", "severity",
                                          "message", "hint", "fingerprint"}
    g = report["graph"]
    assert g["pages"] == 8 and g["broken_links"] == 1 and g["missing_anchors"] == 1
    assert [_rel(p) for p in g["orphans"]] == ["back-pain/posture-at-work.md"]
    assert [_rel(p) for p in g["dead_ends"]] == ["back-pain/heat-and-ice.md"]
    assert sorted(_rel(p) for p in g["entry_pages"]) == ["back-pain/index.md", "index.md"]
    assert [_rel(p) for p in g["hubs"]] == ["back-pain/index.md"]
    assert _rel(g["most_inlinks"][0]["path"]) == "back-pain/index.md"
    assert _rel(g["top_link_scores"][0]["path"]) == "back-pain/index.md" and g["top_link_scores"][0]["link_score"] == 100
    assert g["depth_histogram"] == {"0": 2, "1": 5} and g["unreached"] == 1
    broken = next(f for f in report["findings"] if f["rule"] == "links/broken-internal")
    assert (broken["line"], broken["column"]) == (14, 110)
    assert "Did you mean heat-and-ice.md" in broken["message"]
    anchor = next(f for f in report["findings"] if f["rule"] == "links/missing-anchor")
    assert "#red-flag-signs" in anchor["message"] and "#warning-signs" in anchor["message"]


def test_graph_command_text(tmp_path):
    proc = run_cli("graph", str(SITE), "--fail-level", "never")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Link graph" in out and "pages: 8" in out and "orphans: 1" in out and "broken links: 1" in out
    assert "clicks from entry pages: 0: 2  1: 5  unreached: 1" in out
    assert "most inlinks:" in out and "top link scores:" in out
    assert re.search(r"sciatica\.md:14:110 error links/broken-internal", out)


GRAPH_RULES = {"graph/orphan", "graph/dead-end", "graph/deep", "links/broken-internal", "links/missing-anchor",
               "links/duplicate", "links/self"}


def test_check_on_folder_runs_the_graph_rules():
    proc = run_cli("check", str(SITE), "--format", "json", "--fail-level", "never")
    report = json.loads(proc.stdout)
    assert {(_rel(f["path"]), f["rule"]) for f in report["findings"] if f["rule"] in GRAPH_RULES} == EXPECTED
    proc = run_cli("check", str(SITE), "--format", "json", "--fail-level", "never", "--no-graph")
    assert not [f for f in json.loads(proc.stdout)["findings"] if f["rule"] in GRAPH_RULES]


def test_bad_export_usage():
    assert run_cli("graph", str(SITE), "--export", "svg").returncode == 2
    assert run_cli("graph", str(SITE), "-e", "graph.txt").returncode == 2


def test_graphml_and_json_read_back(exported):
    out, _, _ = exported
    g = nx.read_graphml(out / "g.graphml")
    assert g.number_of_nodes() == 8 and g.is_directed()
    orphan = next(n for n in g if n.endswith("posture-at-work.md"))
    assert g.nodes[orphan]["orphan"] is True and g.nodes[orphan]["inlinks"] == 0
    hub = next(n for n in g if n.endswith("back-pain/index.md"))
    assert g.nodes[hub]["hub"] is True and g.nodes[hub]["depth"] == 0
    data = json.loads((out / "g.json").read_text())
    import inspect

    kw = {"edges": "links"} if "edges" in inspect.signature(nx.node_link_graph).parameters else {}
    h = nx.node_link_graph(data, **kw)
    assert set(h.nodes) == set(g.nodes) and set(h.edges) == set(g.edges)
    assert [b["status"] for b in data["broken"]] == ["broken", "missing-anchor"]


def test_dot_export_is_well_formed(exported):
    out, _, _ = exported
    text = (out / "g.dot").read_text()
    assert text.startswith("digraph links {") and text.rstrip().endswith("}")
    nodes = re.findall(r'^  "((?:[^"\\]|\\.)*)" \[label=', text, re.M)
    edges = re.findall(r'^  "((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)" \[', text, re.M)
    g = nx.read_graphml(out / "g.graphml")
    assert set(nodes) - {n for n in nodes if n.startswith("broken:")} == set(g.nodes)
    assert {e for e in edges if not e[1].startswith("broken:")} == set(g.edges)
    assert any(v.startswith("broken:") for _, v in edges)
    assert text.count("{") == text.count("}") and text.count('"') % 2 == 0


def test_csv_export(exported):
    out, _, _ = exported
    pages = list(csv.DictReader((out / "g.csv").open(encoding="utf-8")))
    links = list(csv.DictReader((out / "g-links.csv").open(encoding="utf-8")))
    assert len(pages) == 8
    assert next(p for p in pages if p["path"].endswith("posture-at-work.md"))["orphan"] == "True"
    statuses = {l["status"] for l in links}
    assert {"ok", "broken", "missing-anchor", "external"} <= statuses


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


# No network at all: every host name fails to resolve, and Chromium's own
# background requests are off. A report that needs a CDN cannot render.
OFFLINE_FLAGS = ["--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
                 "--disable-domain-reliability", "--no-pings"]


def _render(html_path, tmp_path, fragment: str = ""):
    """Load a file in headless Chromium with the network blocked; (DOM after
    scripts ran, console lines)."""
    proc = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", *OFFLINE_FLAGS,
                           f"--user-data-dir={tmp_path / 'chromium-profile'}", "--enable-logging=stderr", "--v=0",
                           "--dump-dom", html_path.as_uri() + fragment], capture_output=True, text=True, timeout=60)
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line]
    return proc.stdout, console


needs_chromium = pytest.mark.skipif(not _chromium(), reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def rendered(exported, tmp_path_factory):
    """The report loaded once, offline, with its #selftest hook: the page
    clicks a column header and types in the filter box itself, then writes
    what the tables showed into a <pre> element."""
    out, _, _ = exported
    return _render(out / "report.html", tmp_path_factory.mktemp("chromium"), "#selftest")


@needs_chromium
def test_html_report_renders_in_headless_chromium(exported, rendered, tmp_path):
    out, _, _ = exported
    html = (out / "report.html").read_text()
    # One file: the drawing library is inlined, nothing is loaded from elsewhere.
    assert not re.search(r"<script[^>]+src=", html) and not re.search(r"<link[^>]+href=", html)
    assert "Cytoscape Consortium" in html
    dom, console = rendered
    assert console == []
    status = re.search(r'<div id="render-status"[^>]*>', dom).group(0)
    # A small site is drawn flat: all 8 pages are nodes.
    assert 'data-status="rendered"' in status and 'data-nodes="8"' in status and 'data-orphans="1"' in status
    assert re.search(r'<li class="orphan"><a href="#page=\d+">[^<]*posture-at-work\.md — Posture at work</a></li>', dom)
    assert 'data-rows="4"' in dom  # the problems table
    # The console check is real: a page with a script error is caught.
    bad = tmp_path / "bad.html"
    bad.write_text("<!doctype html><script>undefinedFunction();</script>")
    _, console = _render(bad, tmp_path)
    assert any("undefinedFunction" in line for line in console)


def _selftest(dom: str) -> dict:
    import html as html_mod

    match = re.search(r'<pre id="selftest">([^<]*)</pre>', dom)
    assert match, "the #selftest hook did not run"
    result = json.loads(html_mod.unescape(match.group(1)))
    assert "error" not in result, result.get("error")
    return result


@needs_chromium
def test_html_report_sorts_filters_and_works_offline(rendered):
    dom, console = rendered
    assert console == []
    result = _selftest(dom)
    # Clicking "Inlinks" sorts by inlinks, most first; again, fewest first.
    initial, sorted_, resorted = result["initial"], result["sorted"], result["resorted"]
    assert len(initial) == 8 and sorted(sorted_["paths"]) == sorted(initial)
    assert sorted_["paths"] != initial and sorted_["aria"] == "descending"
    counts = [int(n) for n in sorted_["inlinks"]]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    assert sorted_["paths"][0].endswith("back-pain/index.md")  # the hub
    assert resorted["aria"] == "ascending" and [int(n) for n in resorted["inlinks"]] == sorted(counts)
    # The filter box: case-insensitive, matches any column; clearing it shows all again.
    assert [p.rsplit("/", 1)[1] for p in result["filtered"]["paths"]] == ["sciatica.md"]
    assert result["filtered"]["rows"] == "1" and result["unfiltered"] == "8"
    # Page rows link to the page in the picture.
    assert all(re.fullmatch(r"#page=\d+", href) for href in result["tableLinks"]) and result["tableLinks"]
    # The broken link is listed against its page.
    assert result["brokenLinks"] == [next(p for p in initial if p.endswith("back-pain/sciatica.md"))
                                     + ": heat-and-ice-therapy.md"]
    # Nothing was fetched: everything the report needs is inside the file.
    assert result["resources"] == []


@needs_chromium
def test_html_report_picture_search_and_page_panel(rendered):
    result = _selftest(rendered[0])
    overview = result["overview"]
    assert overview["nodes"] == 8 and overview["groups"] == 0 and overview["overlaps"] == []
    assert overview["arrows"] == "triangle" and overview["edges"] > 0
    assert "Posture at work" in overview["labels"] and "About us" in overview["labels"]
    # Search by title finds the page; picking it selects it and fills the panel.
    assert [p.rsplit("/", 1)[1] for p in result["search"]["hits"]] == ["sciatica.md"]
    picked = result["picked"]
    assert picked["path"].endswith("back-pain/sciatica.md") and picked["selected"] == "p" + picked["panelPage"]
    assert sorted(p.rsplit("/", 1)[1] for p in picked["inlinks"]) == ["exercises.md", "index.md"]
    assert sorted(p.rsplit("/", 1)[1] for p in picked["outlinks"]) == ["exercises.md", "index.md",
                                                                      "when-to-see-a-doctor.md"]
    assert [f.split(" ")[1] for f in picked["findings"]] == ["links/broken-internal", "links/missing-anchor"]


def _graph_findings(report) -> set:
    return {(f["path"], f["line"], f["column"], f["rule"], f["message"]) for f in report["findings"]
            if f["rule"] in GRAPH_RULES}


def test_check_and_graph_use_the_folder_as_content_root(tmp_path):
    """`check DIR` and `graph DIR` resolve site-root links the same way: the
    one folder given is the site root unless content-root is configured."""
    from .conftest import page

    (tmp_path / ".health-lint.toml").write_text("")
    guides = tmp_path / "content" / "guides"
    guides.mkdir(parents=True)
    (guides / "a.md").write_text(page("A", "[b](/b/) [b2](/guides/b/)"), encoding="utf-8")
    (guides / "b.md").write_text(page("B", "[a](a.md)"), encoding="utf-8")
    reports = {}
    for command in ("check", "graph"):
        proc = run_cli(command, "content", "--format", "json", "--fail-level", "never", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        reports[command] = json.loads(proc.stdout)
    assert _graph_findings(reports["check"]) == _graph_findings(reports["graph"])
    rules = sorted(f[3] for f in _graph_findings(reports["check"]))
    assert rules.count("links/broken-internal") == 1 and "links/duplicate" not in rules
    broken = next(f for f in reports["check"]["findings"] if f["rule"] == "links/broken-internal")
    assert "→ /b/" in broken["message"] and "Did you mean /guides/b/" in broken["message"]
    # A configured content-root still wins: with the parent folder as the
    # site root, /guides/b/ is still found and /b/ is still broken.
    (tmp_path / ".health-lint.toml").write_text('[site]\ncontent-root = "."\n')
    proc = run_cli("check", "content", "--format", "json", "--fail-level", "never", cwd=tmp_path)
    broken = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "links/broken-internal"]
    assert {f["message"].split("→ ")[1].split(":")[0] for f in broken} == {"/b/", "/guides/b/"}


def test_with_content_root():
    from health_lint.config import Config
    from health_lint.linter import with_content_root

    cfg = Config(root=SITE)
    assert with_content_root(cfg, [str(SITE)]).section("site")["content-root"] == str(SITE.resolve())
    assert "site" not in cfg.sections  # not modified in place
    assert with_content_root(cfg, [str(SITE / "index.md")]) is cfg  # files only
    assert with_content_root(cfg, [str(SITE), str(SITE / "back-pain")]) is cfg  # two folders
    cfg.sections = {"site": {"content-root": "elsewhere"}}
    assert with_content_root(cfg, [str(SITE)]) is cfg


def test_unwritable_export_file_is_a_usage_error(tmp_path):
    proc = run_cli("graph", str(SITE), "-e", "/proc/nope/x.html")
    assert proc.returncode == 2 and "cannot write the html export to /proc/nope/x.html" in proc.stderr
    assert "bug" not in proc.stderr
    (tmp_path / "dir.html").mkdir()
    proc = run_cli("graph", str(SITE), "-e", str(tmp_path / "dir.html"))
    assert proc.returncode == 2 and "cannot write the html export" in proc.stderr and "bug" not in proc.stderr


def test_bad_format_fails_before_any_work(tmp_path):
    proc = run_cli("graph", str(SITE), "--format", "bogus", "-e", str(tmp_path / "out.html"))
    assert proc.returncode == 2 and "unknown format 'bogus'" in proc.stderr
    assert not (tmp_path / "out.html").exists()
    proc = run_cli("graph", str(SITE), "--export", "svg", "-e", str(tmp_path / "out.svg"))
    assert proc.returncode == 2 and not (tmp_path / "out.svg").exists()
