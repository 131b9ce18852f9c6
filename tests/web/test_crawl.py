import gzip

import pytest

from health_lint.web import Cache, crawl, crawl_findings
from health_lint.web.crawler import extract_links, parse_sitemap

from .conftest import fast_config

XML = {"Content-Type": "application/xml"}


def build_site(site, ext):
    ext.page("/ok", "<p>external ok</p>")
    # ext /gone is a 404 (no route)
    site.page("/", f"""<html><head><title>Home</title><link rel="stylesheet" href="/style.css"></head><body>
<nav><a href="/a">Page A</a> <a href="/b">Page B</a></nav>
<p>See <a href="/missing">a dead internal page</a> and <a href="{ext.url('/ok')}">a good source</a>
and <a href="{ext.url('/gone')}">a dead source</a>. <a href="mailto:editor@example.org">Mail us</a>.</p>
<p><a href="/private/secret">secret</a> <a href="/a#symptoms">symptoms</a> <img src="/img.png" alt="spine"></p>
</body></html>""")
    site.route("/style.css", (200, {"Content-Type": "text/css"}, b"body{}"))
    site.route("/img.png", (200, {"Content-Type": "image/png"}, b"\x89PNG"))
    site.page("/a", f"""<h1 id="symptoms">Symptoms</h1><a href="/">Home</a> <a href="/b">B</a>
<a href="/deep1">Deeper</a> <a href="{ext.url('/gone')}">the same dead source</a>""")
    site.page("/b", '<a href="/a">A</a> <a href="/old-a">Old link to A</a>')
    site.route("/old-a", (301, {"Location": "/a"}, b""))
    site.page("/deep1", '<a href="/deep2">deeper</a>')
    site.page("/deep2", '<a href="/deep3">deepest</a>')
    site.page("/deep3", "<p>bottom</p>")
    site.page("/orphan", '<p>Nobody links here. <a href="/orphan-broken">dead</a></p>')
    site.page("/private/secret", "<p>secret</p>")
    site.route("/robots.txt", (200, {"Content-Type": "text/plain"},
                               f"User-agent: *\nDisallow: /private/\nSitemap: {site.url('/sitemap_index.xml')}\n".encode()))
    site.route("/sitemap_index.xml", (200, XML, f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{site.url('/sitemap1.xml')}</loc></sitemap>
<sitemap><loc>{site.url('/sitemap2.xml.gz')}</loc></sitemap>
</sitemapindex>""".encode()))
    site.route("/sitemap1.xml", (200, XML, f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{site.url('/')}</loc></url><url><loc>{site.url('/a')}</loc></url><url><loc>{site.url('/b')}</loc></url>
</urlset>""".encode()))
    site.route("/sitemap2.xml.gz", (200, {"Content-Type": "application/gzip"}, gzip.compress(f"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{site.url('/orphan')}</loc></url><url><loc>{site.url('/deep3')}</loc></url>
<url><loc>{ext.url('/ok')}</loc></url>
</urlset>""".encode())))


PAGES = ["/", "/a", "/b", "/deep1", "/deep2", "/deep3", "/orphan"]


def test_full_crawl(site, other_site, config):
    build_site(site, other_site)
    res = crawl(site.url("/"), config)
    assert res.complete
    assert {site.url(p) for p in PAGES} <= set(res.pages)
    # /private/secret (robots.txt) was not read: orphans are still reported,
    # with a note saying so.
    assert res.orphans == [site.url("/orphan")]
    assert any("robots.txt disallowed" in n for n in res.notes)
    assert any("orphan" in n and "robots.txt disallowed 1 page" in n for n in res.notes)
    cls = {k: r.classification for k, r in res.results.items()}
    assert cls[site.url("/missing")] == "broken"
    assert cls[site.url("/orphan-broken")] == "broken"
    assert cls[other_site.url("/gone")] == "broken"
    assert cls[other_site.url("/ok")] == "ok"
    assert cls[site.url("/old-a")] == "redirected"
    assert cls[site.url("/private/secret")] == "skipped"
    assert cls["mailto:editor@example.org"] == "skipped"
    # robots.txt respected; every link requested once however often linked
    assert site.count("/private/secret") == 0
    for path in PAGES + ["/missing", "/old-a", "/img.png", "/style.css", "/orphan-broken"]:
        assert site.count(path) == 1, path
    assert other_site.count("/gone", "GET") == 1 and other_site.count("/ok") == 1
    assert site.count("/img.png", "HEAD") == 1  # resources are checked, not downloaded
    # occurrences keep page and anchor text
    occ = [(o.source, o.text) for o in res.occurrences if o.url == other_site.url("/gone")]
    assert sorted(occ) == sorted([(site.url("/"), "a dead source"), (site.url("/a"), "the same dead source")])

    findings = crawl_findings(res, config)
    by_rule = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    broken = by_rule["links/broken"]
    assert {(f.path, f.data["url"]) for f in broken} == {
        (site.url("/"), site.url("/missing")),
        (site.url("/"), other_site.url("/gone")),
        (site.url("/a"), other_site.url("/gone")),
        (site.url("/orphan"), site.url("/orphan-broken")),
    }
    assert all(f.severity == "error" for f in broken)
    home_gone = next(f for f in broken if f.path == site.url("/") and "gone" in f.data["url"])
    assert '"a dead source"' in home_gone.message and home_gone.line == 4 and home_gone.data["status"] == 404
    (redirect,) = by_rule["links/redirected"]
    assert redirect.severity == "warning" and redirect.data["fix_url"] == site.url("/a")
    assert redirect.data["chain"] == [{"url": site.url("/old-a"), "status": 301}, {"url": site.url("/a"), "status": 200}]
    assert [f.path for f in by_rule["graph/orphan"]] == [site.url("/orphan")]


def test_orphans_from_a_complete_crawl(site, other_site, config):
    build_site(site, other_site)
    site.route("/robots.txt", (200, {"Content-Type": "text/plain"},
                               f"User-agent: *\nSitemap: {site.url('/sitemap_index.xml')}\n".encode()))
    res = crawl(site.url("/"), config)
    assert res.complete and res.orphans == [site.url("/orphan")]
    assert not any("orphan" in n for n in res.notes)
    (orphan,) = [f for f in crawl_findings(res, config) if f.rule == "graph/orphan"]
    assert orphan.path == site.url("/orphan") and orphan.severity == "warning"


@pytest.mark.parametrize("kw, why", [
    (dict(max_pages=2), "max-pages"),
    (dict(max_depth=0), "max-depth"),
])
def test_no_orphans_from_an_incomplete_crawl(site, config, kw, why):
    # /listed is only linked from /hub; /hub is not fetched (for each reason).
    site.page("/", '<a href="/x">x</a> <a href="/hub">hub</a>')
    site.page("/x", "x")
    site.page("/hub", '<a href="/listed">listed</a>')
    site.page("/listed", "listed")
    site.route("/robots.txt", (200, {"Content-Type": "text/plain"},
                               b"User-agent: *\nDisallow: /hub\n" if why == "robots.txt" else b""))
    site.route("/sitemap.xml", (200, XML, f"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{site.url('/listed')}</loc></url></urlset>""".encode()))
    res = crawl(site.url("/"), fast_config(**kw))
    assert site.count("/hub", "GET") == 0
    assert res.orphans == []
    assert any(why in n and "orphan" in n for n in res.notes), res.notes
    assert not res.complete


def test_pages_disallowed_by_robots_do_not_hide_orphans(site, config):
    """Robots-disallowed pages (admin, search) rarely carry a site's
    navigation: orphans are reported, with a note that they were not read."""
    site.page("/", '<a href="/x">x</a> <a href="/hub">hub</a>')
    site.page("/x", "x")
    site.page("/hub", '<a href="/listed">listed</a>')
    site.page("/listed", "listed")
    site.route("/robots.txt", (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /hub\n"))
    site.route("/sitemap.xml", (200, XML, f"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{site.url('/listed')}</loc></url></urlset>""".encode()))
    res = crawl(site.url("/"), config)
    assert site.count("/hub", "GET") == 0
    assert res.orphans == [site.url("/listed")]
    assert any("robots.txt disallowed 1 page" in n for n in res.notes), res.notes


def test_external_out_of_scope_never_crawled(site, other_site, config):
    build_site(site, other_site)
    other_site.page("/ok", '<a href="/other-page">should not be followed</a>')
    crawl(site.url("/"), config)
    assert other_site.count("/other-page") == 0
    assert other_site.count("/ok", "GET") == 0


def test_max_depth(site, other_site):
    build_site(site, other_site)
    res = crawl(site.url("/"), fast_config(max_depth=1, use_sitemap=False))
    assert set(res.pages) == {site.url(p) for p in ("/", "/a", "/b")} | {site.url("/missing")}
    # /deep1 is beyond the depth: checked (HEAD), not crawled; /deep2 never seen
    assert site.count("/deep1", "HEAD") == 1 and site.count("/deep1", "GET") == 0
    assert site.count("/deep2") == 0
    assert res.results[site.url("/deep1")].classification == "ok"


def test_fragment_checks_in_crawl(site, other_site):
    build_site(site, other_site)
    site.page("/b", '<a href="/a#symptoms">ok frag</a> <a href="/a#treatment">bad frag</a>')
    res = crawl(site.url("/"), fast_config(check_fragments=True, use_sitemap=False))
    findings = crawl_findings(res, fast_config(check_fragments=True))
    bad = [f for f in findings if f.rule == "links/broken" and "#" in f.data["url"]]
    assert [f.data["url"] for f in bad] == [site.url("/a#treatment")]


def test_interrupted_by_max_pages_then_resumed(site, other_site, tmp_path):
    build_site(site, other_site)
    db = tmp_path / "cache.sqlite"
    with Cache(db) as cache:
        first = crawl(site.url("/"), fast_config(max_pages=3), cache)
    assert not first.complete and len(first.pages) == 3
    with Cache(db) as cache:
        second = crawl(site.url("/"), fast_config(), cache, resume=True)
    assert second.resumed and second.complete
    assert {site.url(p) for p in PAGES} <= set(second.pages)
    for p in PAGES:
        assert site.count(p, "GET") == 1, p  # no page fetched twice
    assert second.orphans == [site.url("/orphan")]  # as in an uninterrupted crawl
    assert other_site.count("/gone", "GET") == 1  # link results come from the cache
    assert second.results[other_site.url("/gone")].classification == "broken"


def test_interrupted_by_exception_then_resumed(site, other_site, tmp_path):
    build_site(site, other_site)
    db = tmp_path / "cache.sqlite"
    seen = []

    def boom(url, body, content_type, result):
        seen.append(url)
        if len(seen) == 3:
            raise RuntimeError("interrupted")
        return {"words": len(body.split())}

    cfg = fast_config(concurrency=1)
    with Cache(db) as cache, pytest.raises(RuntimeError):
        crawl(site.url("/"), cfg, cache, on_page=boom)
    assert len(seen) == 3
    with Cache(db) as cache:
        res = crawl(site.url("/"), cfg, cache, resume=True, on_page=lambda u, b, c, r: {"words": len(b.split())})
    assert res.complete
    # Pages whose callback completed are never fetched again; the failing
    # page (and pages still in flight at the interruption) are.
    for url in seen[:2]:
        assert site.count(url.replace(site.base, ""), "GET") == 1
    assert site.count(seen[2].replace(site.base, ""), "GET") == 2
    assert all(site.count(p, "GET") <= 2 for p in PAGES)
    assert set(res.page_data) >= {site.url(p) for p in PAGES}  # lint results survive the resume


def test_fresh_crawl_discards_old_state(site, other_site, tmp_path):
    build_site(site, other_site)
    with Cache(tmp_path / "c.sqlite") as cache:
        crawl(site.url("/"), fast_config(max_pages=2), cache)
        res = crawl(site.url("/"), fast_config(), cache, resume=False)
    assert not res.resumed and site.count("/", "GET") == 2


def test_huge_page_is_capped_in_crawl(site, config):
    def endless(req):
        return 200, {"Content-Type": "text/html"}, (b"<p>" + b"x" * 65536 + b"</p>" for _ in range(100_000))

    site.page("/", '<a href="/huge">huge</a>')
    site.route("/huge", endless)
    res = crawl(site.url("/"), fast_config(max_body_bytes=300_000, use_sitemap=False))
    assert res.results[site.url("/huge")].classification == "ok"


def test_robots_5xx_disallows_and_crawl_delay(site, config):
    site.page("/", "<p>x</p>")
    site.route("/robots.txt", (503, {}, b""))
    res = crawl(site.url("/"), fast_config(use_sitemap=False, retries=0))
    assert res.results[site.url("/")].classification == "skipped"
    assert site.count("/", "GET") == 0


def test_start_url_private_allows_loopback_but_not_metadata(site):
    site.page("/", '<a href="http://169.254.169.254/latest/meta-data/">metadata</a> <a href="/x">x</a>')
    site.page("/x", "x")
    res = crawl(site.url("/"), fast_config(allow_private=None, use_sitemap=False))
    assert res.results[site.url("/x")].classification == "ok"
    assert res.results["http://169.254.169.254/latest/meta-data/"].classification == "blocked"


def test_extract_links_and_sitemap_parsing():
    html = b"""<html><head><base href="https://e.org/dir/"></head><body>
<a href="page">Rel</a>
<a href="#">script hook</a>
<a href="/img"><img src="i.png" alt="Alt text"></a>
<link rel="preconnect" href="https://fonts.example">
<a id="x" name="y" href="mailto:a@b">mail</a></body></html>"""
    links, anchors, base = extract_links(html, "https://e.org/start")
    assert base == "https://e.org/dir/"
    urls = [(u, t) for u, t, _tag, _line in links]
    assert ("https://e.org/dir/page", "Rel") in urls
    assert ("https://e.org/img", "Alt text") in urls
    assert ("mailto:a@b", "mail") in urls
    assert not any("fonts.example" in u for u, _ in urls)
    assert not any(u.endswith("#") for u, _ in urls)
    assert anchors == ["x", "y"]
    content = parse_sitemap(gzip.compress(b'<urlset><url><loc> https://e.org/a </loc></url></urlset>'), 10**6)
    assert content.pages == ["https://e.org/a"] and content.children == [] and not content.oversized
    # entities are not expanded (XXE / billion laughs)
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>&e;</loc></url></urlset>'
    pages = parse_sitemap(evil, 10**6).pages
    assert not any("root:" in p for p in pages)


def test_sitemap_scanner_reads_entities_cdata_prefixes_and_skips_extensions():
    sitemap = b'''<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>https://e.org/a?x=1&amp;y=2</loc><image:image><image:loc>https://e.org/i.jpg</image:loc></image:image></url>
<url>
  <loc>
    <![CDATA[https://e.org/b]]>
  </loc>
</url>
</urlset>'''
    content = parse_sitemap(sitemap, 10**6)
    assert content.pages == ["https://e.org/a?x=1&y=2", "https://e.org/b"]  # no image URL
    index = (b'<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b'<sm:sitemap><sm:loc>https://e.org/s1.xml</sm:loc></sm:sitemap></sm:sitemapindex>')
    assert parse_sitemap(gzip.compress(index), 10**6).children == ["https://e.org/s1.xml"]
    # Read in pieces: entries cut at a piece boundary are not lost.
    big = b"<urlset>" + b"".join(b"<url>\n <loc>https://e.org/p%d</loc>\n</url>" % i for i in range(40_000)) + b"</urlset>"
    for body in (big, gzip.compress(big)):
        pages = parse_sitemap(body, 10**8).pages
        assert len(pages) == len(set(pages)) == 40_000
    cut = parse_sitemap(big, 100_000, max_urls=50)
    assert len(cut.pages) == 50 and cut.too_many_urls
    small = parse_sitemap(big, 100_000)
    assert small.oversized and small.size == 100_000 and 0 < len(small.pages) < 40_000


@pytest.mark.skipif(not hasattr(__import__("os"), "sched_setaffinity") or len(__import__("os").sched_getaffinity(0)) < 2,
                    reason="threads can be kept to one CPU on Linux with more than one CPU allowed")
def test_crawl_threads_share_one_cpu_and_the_callers_thread_is_given_back(site, other_site, config):
    import os
    import threading

    build_site(site, other_site)
    before = os.sched_getaffinity(0)
    during = []

    def cpus_of_threads(url, body, ctype, r):
        # on_page runs in the calling thread; the fetch threads are named.
        during.append(("caller", frozenset(os.sched_getaffinity(0))))
        for t in threading.enumerate():
            if t.name.startswith("health-lint-crawl-") and t.native_id is not None:
                with open(f"/proc/self/task/{t.native_id}/status") as f:
                    allowed = next(line.split(":")[1].strip() for line in f if line.startswith("Cpus_allowed_list"))
                during.append(("fetch", frozenset(int(x) for x in allowed.split(",") if x.isdigit())))

    res = crawl(site.url("/"), config, on_page=cpus_of_threads)
    assert res.complete and {kind for kind, _ in during} == {"caller", "fetch"}
    cpus = {c for _, c in during}
    assert len(cpus) == 1 and len(next(iter(cpus))) == 1 and next(iter(cpus)) <= before, during
    assert os.sched_getaffinity(0) == before
