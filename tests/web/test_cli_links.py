"""`health-lint links` and `health-lint crawl` end to end: the real command
line in a subprocess, against real HTTP servers on 127.0.0.1."""
from __future__ import annotations

import json
import sqlite3

from ..conftest import FRONT, run_cli

FAST = """[links]
rate-limit = 0
backoff-base = 0.01
backoff-max = 0.05
connect-timeout = 2.0
read-timeout = 2.0
allow-private = true
"""


def setup_routes(site):
    site.page("/ok", "<html><body><p>fine</p></body></html>")
    site.route("/gone", (404, {}, b"not here"))
    site.route("/old", (301, {"Location": "/new"}, b""))
    site.page("/new", "<html><body>new</body></html>")
    site.route("/temp", (302, {"Location": "/ok"}, b""))
    site.route("/private", (403, {}, b"no robots"))
    site.page("/guides/sciatica/", "<html><body>sciatica</body></html>")


def article(site) -> str:
    return (FRONT + "# Back pain\n\n"
            f"Read [the guide]({site.url('/ok')}) and [an old page]({site.url('/gone')}).\n\n"
            f"- [Moved]({site.url('/old')})\n"
            f"- [Temporary]({site.url('/temp')}) and [members]({site.url('/private')})\n"
            "- [Email us](mailto:team@example.org) and [metadata](http://169.254.169.254/latest/)\n")


def test_links_reports_each_class_at_its_place(site, tmp_path):
    setup_routes(site)
    (tmp_path / ".health-lint.toml").write_text(FAST)
    (tmp_path / "a.md").write_text(article(site))
    proc = run_cli("links", "a.md", "--format", "json", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    got = {(f["rule"], f["severity"], f["line"], f["column"], f["data"]["url"].rsplit("/", 1)[-1]) for f in out["findings"]}
    lines = article(site).split("\n")

    def at_url(url):  # 1-based line and column of the URL in the file
        n = next(i for i, text in enumerate(lines) if url + ")" in text)
        return n + 1, lines[n].index(url + ")") + 1

    def at(path):
        return at_url(site.url(path))

    assert got == {
        ("links/broken", "error", *at("/gone"), "gone"),
        ("links/redirected", "warning", *at("/old"), "old"),
        ("links/redirected", "info", *at("/temp"), "temp"),
        ("links/unverified", "warning", *at("/private"), "private"),
        # Never requested, but reported: a link nobody checked is not a pass.
        ("links/unverified", "warning", *at_url("http://169.254.169.254/latest/"), ""),
    }
    moved = next(f for f in out["findings"] if f["data"]["url"].endswith("/old"))
    assert moved["data"]["chain"][0]["status"] == 301 and moved["data"]["final_url"] == site.url("/new")
    # mailto: and the cloud-metadata address were never requested.
    assert not any("169.254" in str(k) for k in site.hits)
    assert out["links"]["urls"] >= 5


def test_links_fix_rewrites_only_the_urls(site, tmp_path):
    setup_routes(site)
    (tmp_path / ".health-lint.toml").write_text(FAST)
    original = article(site).replace("\n", "\r\n")
    (tmp_path / "a.md").write_bytes(original.encode())
    proc = run_cli("links", "a.md", "--fix", "--no-cache", cwd=tmp_path)
    after = (tmp_path / "a.md").read_bytes().decode()
    assert after == original.replace(site.url("/old"), site.url("/new"))
    assert f"-> {site.url('/new')}" in proc.stderr
    # The fixed link is no longer reported; the broken one still is.
    assert "links/redirected" not in proc.stdout.split("info")[0] or "/old" not in proc.stdout
    assert "links/broken" in proc.stdout


def test_links_base_url_checks_internal_links_and_cache_is_reused(site, tmp_path):
    setup_routes(site)
    (tmp_path / ".health-lint.toml").write_text(FAST)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text(FRONT + "# T\n\nSee [sciatica](/guides/sciatica/) and [nothing](/guides/none/).\n")
    cache = tmp_path / "cache.sqlite"
    proc = run_cli("links", "content", "--base-url", site.url("/"), "--cache", str(cache), "--format", "json", cwd=tmp_path)
    out = json.loads(proc.stdout)
    assert [(f["rule"], f["data"]["url"]) for f in out["findings"]] == [("links/broken", site.url("/guides/none/"))]
    hits = sum(site.hits.values())
    assert sqlite3.connect(cache).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    proc = run_cli("links", "content", "--base-url", site.url("/"), "--cache", str(cache), "--format", "json", cwd=tmp_path)
    assert sum(site.hits.values()) == hits  # answered from the cache
    assert json.loads(proc.stdout)["findings"][0]["data"]["from_cache"] is True


def test_links_suppression_comment(site, tmp_path):
    setup_routes(site)
    (tmp_path / ".health-lint.toml").write_text(FAST)
    (tmp_path / "a.md").write_text(FRONT + "# T\n\n<!-- health-lint-disable-next-line links/broken -->\n"
                                   f"Old [page]({site.url('/gone')}).\n")
    proc = run_cli("links", "a.md", "--no-cache", "--format", "json", cwd=tmp_path)
    out = json.loads(proc.stdout)
    assert out["findings"] == [] and out["summary"]["suppressed"] == 1 and proc.returncode == 0


def test_crawl_with_lint_reports_links_orphans_and_content(site, tmp_path):
    page = ("<html><head><title>{t}</title></head><body><main><h1>{t}</h1><p>{body}</p>"
            "<p>This article is for general information and is not a substitute for professional medical advice.</p>"
            "</main></body></html>")
    site.page("/", page.format(t="Home", body=f'<a href="/a">A</a> and <a href="/missing">gone</a>'))
    site.page("/a", page.format(t="A", body='<a href="/">home</a>'))
    site.page("/orphan", page.format(t="Orphan", body="Nobody links here."))
    site.route("/missing", (404, {}, b""))
    site.route("/sitemap.xml", (200, {"Content-Type": "application/xml"},
                                f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                f'<url><loc>{site.url("/")}</loc></url><url><loc>{site.url("/orphan")}</loc></url>'
                                f'</urlset>'.encode()))
    (tmp_path / ".health-lint.toml").write_text(FAST.replace("[links]", "[crawl]"))
    proc = run_cli("crawl", site.url("/"), "--lint", "--no-cache", "--format", "json", cwd=tmp_path)
    out = json.loads(proc.stdout)
    rules = {(f["rule"], f["path"]) for f in out["findings"]}
    assert ("links/broken", site.url("/")) in rules
    assert ("graph/orphan", site.url("/orphan")) in rules
    assert ("meta/missing-author", site.url("/a")) in rules  # content rules ran on the pages
    # Three HTML pages plus the in-scope URL that answered 404.
    assert out["crawl"]["pages"] == 4 and proc.returncode == 1


def test_bad_links_settings_are_usage_errors(tmp_path):
    (tmp_path / ".health-lint.toml").write_text("[links]\nconcurency = 3\n")
    (tmp_path / "a.md").write_text("# T\n")
    proc = run_cli("links", "a.md", cwd=tmp_path)
    assert proc.returncode == 2 and "concurency" in proc.stderr


def test_crawl_bad_start_url_is_usage_error(tmp_path):
    for url in ("/nonexistent", "not-a-url", "ftp://example.org/"):
        proc = run_cli("crawl", url, cwd=tmp_path)
        assert proc.returncode == 2 and "start URL" in proc.stderr, url


def test_crawl_unreachable_start_page_is_an_error(closed_port, tmp_path):
    (tmp_path / ".health-lint.toml").write_text(FAST.replace("[links]", "[crawl]") + "retries = 0\nflaky-retries = 0\n")
    proc = run_cli("crawl", f"http://127.0.0.1:{closed_port}/", "--no-cache", "--format", "json", cwd=tmp_path)
    out = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert [(f["rule"], f["severity"]) for f in out["findings"]] == [("links/broken", "error")]
    assert out["findings"][0]["message"].startswith("Start page:")


def test_links_base_url_maps_source_files_to_published_pages(site, tmp_path):
    site.page("/a/", "<html><body>a</body></html>")
    site.page("/b/", '<html><body><h2 id="part">Part</h2></body></html>')
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text(FRONT + "# A\n\nSee [b](b.md), [its part](b.md#part) and [c](c.md).\n")
    (tmp_path / "content" / "b.md").write_text(FRONT + "# B\n\nBack to [a](a.md).\n")
    # No allow-private setting: a private --base-url (a staging site) allows itself.
    (tmp_path / ".health-lint.toml").write_text(FAST.replace("allow-private = true\n", ""))
    proc = run_cli("links", "content", "--base-url", site.url("/"), "--no-cache", "--format", "json", cwd=tmp_path)
    out = json.loads(proc.stdout)
    # b.md is published at /b/, not /a/b.md; only the missing c.md is broken.
    assert [(f["rule"], f["data"]["url"]) for f in out["findings"]] == [("links/broken", site.url("/a/c.md"))]
    assert ("HEAD", "/b/") in site.hits or ("GET", "/b/") in site.hits


def test_links_invalid_settings_are_usage_errors(tmp_path):
    (tmp_path / "a.md").write_text("# T\n")
    proc = run_cli("links", "a.md", "--exclude", "(", cwd=tmp_path)
    assert proc.returncode == 2 and "invalid regular expression" in proc.stderr
    (tmp_path / ".health-lint.toml").write_text("[links]\nrate-limit = -5\n")
    proc = run_cli("links", "a.md", cwd=tmp_path)
    assert proc.returncode == 2 and "rate-limit must be 0 or more" in proc.stderr


def test_crawl_start_page_that_cannot_be_requested_fails(tmp_path):
    proc = run_cli("crawl", "http://169.254.169.254/latest/", "--no-cache", "--format", "json", cwd=tmp_path)
    out = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert [(f["rule"], f["severity"]) for f in out["findings"]] == [("links/unverified", "error")]
    assert out["findings"][0]["message"].startswith("Start page was not crawled")


def test_links_fix_rewrites_a_reference_definition_once(site, tmp_path):
    setup_routes(site)
    (tmp_path / ".health-lint.toml").write_text(FAST)
    text = FRONT + f"# T\n\nSee [moved][old] and [again][old].\n\n[old]: {site.url('/old')}\n"
    (tmp_path / "a.md").write_text(text)
    proc = run_cli("links", "a.md", "--fix", "--no-cache", cwd=tmp_path)
    assert (tmp_path / "a.md").read_text() == text.replace(site.url("/old"), site.url("/new"))
    assert proc.stderr.count("fixed a.md:") == 1
