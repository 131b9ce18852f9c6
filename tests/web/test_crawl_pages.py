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
