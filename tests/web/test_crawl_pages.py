"""Issue 12 part 3: robots.txt by RFC 9309, raw #fragments, page exports of a
crawl, lychee-style options. Real loopback servers throughout."""
from __future__ import annotations

import pytest

from health_lint.web import crawl

TEXT = {"Content-Type": "text/plain"}


# --- robots.txt (RFC 9309, through Protego) -------------------------------------
ROBOTS = b"""User-agent: *
Disallow: /*?print=
Allow: /guides/$
Disallow: /guides/
Disallow: /tie
Allow: /tie
Disallow: /shop
Allow: /shop/leaflets/
"""


def _robots_site(site):
    site.route("/robots.txt", (200, TEXT, ROBOTS))
    site.page("/", '<a href="/page?print=1">print</a> <a href="/page">page</a> <a href="/guides/">guides</a> '
                   '<a href="/guides/x">x</a> <a href="/tie">tie</a> <a href="/shop/cart">cart</a> '
                   '<a href="/shop/leaflets/flu">leaflet</a>')
    for path in ("/page", "/guides/", "/guides/x", "/tie", "/shop/cart", "/shop/leaflets/flu"):
        site.page(path, "<p>text</p>")


def test_robots_wildcards_longest_match_and_ties(site, config):
    _robots_site(site)
    res = crawl(site.url("/"), config)
    skipped = {k for k, r in res.results.items() if r.classification == "skipped" and "robots" in r.error}
    # Wildcard and end anchor read as RFC 9309 says (the standard library
    # ignored both); the longest match wins; Allow wins a tie.
    assert skipped == {site.url("/page?print=1"), site.url("/guides/x"), site.url("/shop/cart")}
    assert site.count("/guides/x") == 0 and site.count("/shop/cart") == 0
    for fetched in ("/page", "/guides/", "/tie", "/shop/leaflets/flu"):
        assert site.count(fetched) == 1, fetched
    assert site.url("/guides/") in res.pages and site.url("/tie") in res.pages


def test_robots_group_for_our_agent_wins_over_star(site, config):
    site.route("/robots.txt", (200, TEXT, b"User-agent: *\nDisallow: /\n\nUser-agent: health-lint\nDisallow: /drafts/\n"))
    site.page("/", '<a href="/a">a</a> <a href="/drafts/b">b</a>')
    site.page("/a", "<p>a</p>")
    res = crawl(site.url("/"), config)
    assert site.url("/a") in res.pages
    assert res.results[site.url("/drafts/b")].classification == "skipped"


# --- raw #fragments (HTML spec: the raw id first, then the decoded one) ----------
def test_crawl_finds_a_fragment_whose_raw_form_is_the_id(site, config):
    import dataclasses

    site.page("/", '<a href="/notes#tangent%3A-x">raw</a> <a href="/notes#plain%3A-y">decoded</a> '
                   '<a href="/notes#tangent%3A-z">missing</a>')
    site.page("/notes", '<div id="tangent%3A-x">side note</div><div id="plain:-y">other</div>')
    cfg = dataclasses.replace(config, check_fragments=True)
    res = crawl(site.url("/"), cfg)
    assert res.result_for(site.url("/notes#tangent%3A-x"), cfg).classification == "ok"
    assert res.result_for(site.url("/notes#plain%3A-y"), cfg).classification == "ok"
    missing = res.result_for(site.url("/notes#tangent%3A-z"), cfg)
    assert missing.classification == "broken" and "fragment" in missing.error


def test_links_command_finds_a_raw_fragment_id(site, tmp_path):
    from ..conftest import run_cli

    site.page("/notes", '<div id="tangent%3A-x">side note</div>')
    (tmp_path / ".health-lint.toml").write_text(FAST)
    (tmp_path / "a.md").write_text(f"# T\n\n[raw]({site.url('/notes#tangent%3A-x')}) and "
                                   f"[gone]({site.url('/notes#tangent%3A-q')})\n")
    proc = run_cli("links", "a.md", "--check-fragments", "--no-cache", "--format", "json", cwd=tmp_path)
    import json

    broken = [f["data"]["url"] for f in json.loads(proc.stdout)["findings"] if f["rule"] == "links/broken"]
    assert broken == [site.url("/notes#tangent%3A-q")], proc.stdout


def test_graph_missing_anchor_tries_the_raw_fragment_first(tmp_path):
    from ..conftest import run_cli
    import json

    (tmp_path / "index.md").write_text("# Home\n\n[notes](notes.html#tangent%3A-x) [decoded](notes.html#plain%3A-y) "
                                       "[missing](notes.html#tangent%3A-z)\n")
    (tmp_path / "notes.html").write_text('<h1>Notes</h1><div id="tangent%3A-x">side</div><div id="plain:-y">o</div>'
                                         '<a href="index.md">home</a>')
    proc = run_cli("graph", str(tmp_path), "--format", "json", cwd=tmp_path)
    anchors = [f["data"]["fragment"] for f in json.loads(proc.stdout)["findings"] if f["rule"] == "links/missing-anchor"]
    assert anchors == ["tangent:-z"], proc.stdout


FAST = """[links]
rate-limit = 0
backoff-base = 0.01
backoff-max = 0.05
connect-timeout = 2.0
read-timeout = 2.0
allow-private = true
"""
