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


# --- crawl --export pages.csv / pages.json / report.html ------------------------------
PAGE = ("<html><head><title>{title}</title><meta name='description' content='{desc}'>"
        "<link rel='canonical' href='{canonical}'></head><body><nav><a href='/'>Home</a> menu words</nav>"
        "<main><h1>{h1}</h1>{body}</main><footer>Footer words</footer></body></html>")
DISCLAIMER = ("<p>This article is for general information and is not a substitute for professional medical "
              "advice.</p>")


def _export_site(site):
    site.page("/", PAGE.format(title="Home", desc="All guides", canonical="/", h1="Health guides",
                               body="<p>Read the <a href='/guides/back-pain'>back pain guide</a>. "
                                    "See <a href='/old'>the old page</a> and <a href='/gone'>a gone page</a>.</p>"))
    site.page("/guides/back-pain", PAGE.format(
        title="=HYPERLINK(\"http://evil.example\")", desc="Causes, care and when to get help",
        canonical="/guides/back-pain", h1="Back pain",
        body="<p>Most back pain gets better on its own. Keep moving and take walks.</p>"
             "<ul><li>Use a warm pack.</li></ul><p><a href='/'>Home</a></p>" + DISCLAIMER))
    site.route("/old", (301, {"Location": "/guides/back-pain"}, b""))
    site.route("/gone", (404, {"Content-Type": "text/html"}, b"<h1>nope</h1>"))


def _fast_toml(tmp_path):
    (tmp_path / ".health-lint.toml").write_text(FAST.replace("[links]", "[crawl]"))


def test_crawl_export_csv_one_row_per_url(site, tmp_path):
    import csv

    from ..conftest import run_cli

    _export_site(site)
    _fast_toml(tmp_path)
    proc = run_cli("crawl", site.url("/"), "--no-cache", "--no-sitemap", "--lint", "--no-progress",
                   "--export", "out/pages.csv", cwd=tmp_path)
    assert "Wrote csv export" in proc.stderr, proc.stderr
    rows = {r["url"]: r for r in csv.DictReader((tmp_path / "out" / "pages.csv").open(encoding="utf-8"))}
    assert set(rows) == {site.url("/"), site.url("/guides/back-pain"), site.url("/old"), site.url("/gone")}
    home, guide, old, gone = (rows[site.url(p)] for p in ("/", "/guides/back-pain", "/old", "/gone"))
    assert (home["status"], home["class"], home["content_type"], home["depth"]) == ("200", "ok", "text/html", "0")
    assert home["title"] == "Home" and home["meta_description"] == "All guides" and home["h1"] == "Health guides"
    assert home["canonical"] == site.url("/") and home["outlinks"] == "3"  # guide, /old, /gone (not itself)
    assert float(home["response_ms"]) >= 0
    # A spreadsheet formula in a title is shown as text, never run.
    assert guide["title"] == "'=HYPERLINK(\"http://evil.example\")"
    # The prose blocks of <main>: heading 2, paragraph 13, list item 4, "Home" 1,
    # disclaimer 15 words; the nav menu and the footer are left out.
    assert guide["word_count"] == "35" and guide["depth"] == "1"
    assert 0 < float(guide["reading_grade"]) < 8
    assert guide["inlinks"] == "2"  # the home page and the /old redirect
    assert old["class"] == "redirected" and old["redirect_target"] == site.url("/guides/back-pain")
    assert gone["status"] == "404" and gone["class"] == "broken" and gone["title"] == ""
    # --lint: content findings counted per page (no disclaimer on the home page).
    assert int(home["lint_errors"]) > int(guide["lint_errors"])
    assert old["status"] == "301"  # the redirecting URL's own answer
    assert gone["lint_errors"] == ""


def test_crawl_export_json_redacts_credentials(site, tmp_path):
    import json

    from ..conftest import run_cli

    site.page("/", "<title>Home</title><a href='/a'>a</a> <a href='http://user:s3cret@127.0.0.1:9/x'>x</a>")
    site.page("/a", "<title>A</title><p>Words here.</p><a href='/'>home</a>")
    _fast_toml(tmp_path)
    proc = run_cli("crawl", site.url("/"), "--no-cache", "--no-sitemap", "-e", "pages.json", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    data = json.loads((tmp_path / "pages.json").read_text())
    assert data["columns"][:3] == ["url", "status", "class"]
    assert {p["url"] for p in data["pages"]} == {site.url("/"), site.url("/a")}
    assert sorted(map(tuple, data["edges"])) == [(site.url("/"), site.url("/a")), (site.url("/a"), site.url("/"))]
    assert "s3cret" not in (tmp_path / "pages.json").read_text()
    assert next(p for p in data["pages"] if p["url"] == site.url("/a"))["title"] == "A"


def test_crawl_export_html_report(site, tmp_path):
    from ..conftest import run_cli

    _export_site(site)
    _fast_toml(tmp_path)
    proc = run_cli("crawl", site.url("/"), "--no-cache", "--no-sitemap", "-e", "report.html", cwd=tmp_path)
    text = (tmp_path / "report.html").read_text()
    assert "Wrote html export" in proc.stderr
    assert text.startswith("<!doctype html>") and "<script src=" not in text  # self-contained
    assert site.url("/guides/back-pain") in text and site.url("/gone") in text  # the page and its broken link
    assert '"title":"Home"' in text  # pages are labelled by their titles


def test_crawl_html_report_renders_offline(site, tmp_path):
    """The crawl's report is the graph command's: drawn in headless Chromium
    with the network blocked, no script error, one node per crawled URL."""
    import re

    from ..conftest import run_cli
    from ..graph.test_site import _chromium, _render

    if not _chromium():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    _export_site(site)
    _fast_toml(tmp_path)
    run_cli("crawl", site.url("/"), "--no-cache", "--no-sitemap", "--lint", "-e", "report.html", cwd=tmp_path)
    dom, console = _render(tmp_path / "report.html", tmp_path)
    assert console == []
    status = re.search(r'<div id="render-status"[^>]*>', dom).group(0)
    assert 'data-status="rendered"' in status and 'data-nodes="4"' in status, status


def test_crawl_export_bad_name_is_usage_error(site, tmp_path):
    from ..conftest import run_cli

    proc = run_cli("crawl", site.url("/"), "--no-cache", "-e", "pages.xlsx", cwd=tmp_path)
    assert proc.returncode == 2 and "csv, .json or .html" in proc.stderr
    assert site.total() == 0  # refused before the crawl


# --- lychee habits: --accept ranges, .health-lint-ignore, --remap -------------------------
def test_accept_ranges_and_ignore_file(site, tmp_path):
    import json

    from ..conftest import run_cli

    site.route("/forbidden", (403, {}, b""))
    site.route("/teapot", (418, {}, b""))
    site.route("/skipme", (404, {}, b""))
    _fast_toml(tmp_path)
    (tmp_path / ".health-lint.toml").write_text(FAST)
    (tmp_path / ".health-lint-ignore").write_text("# staging links\n\n/skip(me|you)$\n")
    (tmp_path / "a.md").write_text(f"# T\n\n[a]({site.url('/forbidden')}) [b]({site.url('/teapot')}) "
                                   f"[c]({site.url('/skipme')})\n")
    proc = run_cli("links", "a.md", "--no-cache", "--accept", "200..=299,403", "--format", "json", cwd=tmp_path)
    rules = {f["data"]["url"]: f["rule"] for f in json.loads(proc.stdout)["findings"]}
    assert rules == {site.url("/teapot"): "links/broken"}, proc.stdout
    assert site.count("/skipme") == 0
    proc = run_cli("links", "a.md", "--no-cache", "--accept", "400..419", "--format", "json", cwd=tmp_path)
    assert json.loads(proc.stdout)["findings"] == []
    proc = run_cli("links", "a.md", "--no-cache", "--accept", "400..418", "--format", "json", cwd=tmp_path)
    assert [f["data"]["url"] for f in json.loads(proc.stdout)["findings"]] == [site.url("/teapot")]
    for bad in ("2xx", "300..200", "99"):
        proc = run_cli("links", "a.md", "--no-cache", "--accept", bad, cwd=tmp_path)
        assert proc.returncode == 2 and "--accept" in proc.stderr, bad
    # The same ranges in the configuration file, mixed with plain numbers.
    (tmp_path / ".health-lint.toml").write_text(FAST + 'accept-statuses = ["200..=299", 403, "410..=411"]\n')
    proc = run_cli("links", "a.md", "--no-cache", "--format", "json", cwd=tmp_path)
    assert [f["data"]["url"] for f in json.loads(proc.stdout)["findings"]] == [site.url("/teapot")], proc.stdout
    (tmp_path / ".health-lint.toml").write_text(FAST + 'accept-statuses = ["4xx"]\n')
    proc = run_cli("links", "a.md", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2 and "accept-statuses" in proc.stderr and "4xx" in proc.stderr, proc.stderr
    (tmp_path / ".health-lint.toml").write_text(FAST)
    (tmp_path / ".health-lint-ignore").write_text("ok\n(unclosed\n")
    proc = run_cli("links", "a.md", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2 and ".health-lint-ignore:2" in proc.stderr


def test_remap_checks_the_staging_copy(site, tmp_path):
    import json

    from ..conftest import run_cli

    site.page("/guides/flu", "<p>flu</p>")
    (tmp_path / ".health-lint.toml").write_text(FAST)
    (tmp_path / "a.md").write_text("# T\n\n[flu](https://www.example.org/guides/flu) "
                                   "[gone](https://www.example.org/guides/gone)\n")
    proc = run_cli("links", "a.md", "--no-cache", "--remap", rf"^https://www\.example\.org/(.*) {site.url('/')}$1",
                   "--format", "json", cwd=tmp_path)
    findings = json.loads(proc.stdout)["findings"]
    # Checked on the staging server; reported as written.
    assert [(f["rule"], f["data"]["url"]) for f in findings] == [("links/broken", "https://www.example.org/guides/gone")]
    assert site.count("/guides/flu") >= 1 and site.count("/guides/gone") >= 1
    proc = run_cli("links", "a.md", "--no-cache", "--remap", "(a) $2", cwd=tmp_path)
    assert proc.returncode == 2 and "group 2" in proc.stderr
    proc = run_cli("links", "a.md", "--no-cache", "--fix", "--remap", f"x {site.url('/')}", cwd=tmp_path)
    assert proc.returncode == 2 and "--remap" in proc.stderr


def test_crawl_remap_follows_absolute_links_to_the_live_site(site, config):
    import dataclasses

    site.page("/", "<a href='https://www.example.org/guides/flu'>flu</a>")
    site.page("/guides/flu", "<p>flu</p><a href='https://www.example.org/gone'>gone</a>")
    cfg = dataclasses.replace(config, remap=(rf"^https://www\.example\.org/ {site.url('/')}",))
    res = crawl(site.url("/"), cfg)
    assert site.url("/guides/flu") in res.pages  # crawled on the staging copy
    assert res.results[site.url("/gone")].classification == "broken"


def test_no_progress_option(site, tmp_path):
    from ..conftest import run_cli

    site.page("/", "<a href='/a'>a</a>")
    site.page("/a", "<p>a</p>")
    # progress = true shows the bar even off a terminal; --no-progress wins.
    (tmp_path / ".health-lint.toml").write_text(FAST.replace("[links]", "[crawl]") + "progress = true\n")
    shown = run_cli("crawl", site.url("/"), "--no-cache", cwd=tmp_path)
    hidden = run_cli("crawl", site.url("/"), "--no-cache", "--no-progress", cwd=tmp_path)
    assert "url/s" in shown.stderr or "it/s" in shown.stderr or "%|" in shown.stderr, shown.stderr
    assert "\r" not in hidden.stderr and "%|" not in hidden.stderr, hidden.stderr


def test_graph_reads_a_crawl_export(site, tmp_path):
    import json

    from ..conftest import run_cli

    _export_site(site)
    _fast_toml(tmp_path)
    run_cli("crawl", site.url("/"), "--no-cache", "--no-sitemap", "--lint", "-e", "pages.json", cwd=tmp_path)
    hits = site.total()
    proc = run_cli("graph", "pages.json", "-e", "g.html", "--format", "json", cwd=tmp_path)
    assert site.total() == hits  # drawn from the file: no request
    out = json.loads(proc.stdout)
    assert out["graph"]["pages"] == 4 and out["graph"]["broken_links"] == 1, out["graph"]
    assert any(f["rule"] == "links/broken" and f["path"] == site.url("/") for f in out["findings"])
    html = (tmp_path / "g.html").read_text()
    assert site.url("/guides/back-pain") in html and site.url("/gone") in html
    text = run_cli("graph", "pages.json", cwd=tmp_path).stdout
    assert "pages: 4" in text and "clicks from entry pages: 0: 1  1: 3" in text, text
    (tmp_path / "other.json").write_text('{"nodes": []}')
    proc = run_cli("graph", "other.json", cwd=tmp_path)
    assert proc.returncode == 2 and "not a crawl export" in proc.stderr
    proc = run_cli("graph", "pages.json", "-e", "g.dot", cwd=tmp_path)
    assert proc.returncode == 2 and "HTML report only" in proc.stderr


def test_resume_with_export_reads_pages_saved_without_facts_again(site, config, tmp_path):
    import dataclasses

    from health_lint.web import Cache
    from health_lint.web.pages import page_rows

    site.page("/", "<title>Home</title><main><p>Start here.</p><a href='/a'>a</a></main>")
    site.page("/a", "<title>A</title><main><p>Page a.</p></main>")
    cache = Cache(str(tmp_path / "c.sqlite"))
    first = crawl(site.url("/"), dataclasses.replace(config, max_pages=1), cache)
    assert not first.complete and site.count("/", "GET") == 1
    again = crawl(site.url("/"), config, cache, resume=True, page_facts=True)
    rows = {r["url"]: r for r in page_rows(again)}
    assert rows[site.url("/")]["title"] == "Home" and rows[site.url("/a")]["title"] == "A"
    assert site.count("/", "GET") == 2  # saved without its facts: read again
    # Saved with them: replayed, not fetched.
    cache.close()
    cache = Cache(str(tmp_path / "c2.sqlite"))
    crawl(site.url("/"), dataclasses.replace(config, max_pages=1), cache, page_facts=True)
    gets = site.count("/", "GET")
    res = crawl(site.url("/"), config, cache, resume=True, page_facts=True)
    assert site.count("/", "GET") == gets and page_rows(res)[0]["title"] == "Home"
    cache.close()
