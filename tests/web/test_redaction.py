"""Credentials written in a URL are used for the request but never shown:
no report format, baseline, log line or cache row holds them."""
from __future__ import annotations

import base64
import json
from pathlib import Path

from ..conftest import FRONT, run_cli

SECRET = "s3cret-Pa55"
CONFIG = "[{section}]\nrate-limit = 0\nretries = 0\nallow-private = true\n"


def _auth_seen(site, seen: list):
    def handler(req):
        seen.append(req.headers.get("Authorization", ""))
        return 404, {}, b"gone"
    return handler


def _cache_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.glob(".health-lint-cache.sqlite*"))


def test_links_reports_cache_and_baseline_never_hold_the_password(site, tmp_path):
    seen: list[str] = []
    site.route("/gone", _auth_seen(site, seen))
    site.route("/old", (301, {"Location": "/new"}, b""))
    site.page("/new", "new")
    with_creds = site.url("/").replace("http://", f"http://editor:{SECRET}@")
    (tmp_path / "a.md").write_text(FRONT + f"# A\n\nSee [the old page]({with_creds}old) and [this]({with_creds}gone).\n",
                                   encoding="utf-8")
    (tmp_path / ".health-lint.toml").write_text(CONFIG.format(section="links"))
    for fmt in ("text", "json", "sarif", "github", "junit"):
        proc = run_cli("links", "a.md", "--format", fmt, cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        assert SECRET not in proc.stdout + proc.stderr, fmt
        assert "***@127.0.0.1" in proc.stdout, fmt
    # The request itself used the credentials the author wrote.
    expected = "Basic " + base64.b64encode(f"editor:{SECRET}".encode()).decode()
    assert seen and all(a == expected for a in seen)
    # Not cached: each run asked again, and the cache file has no trace.
    assert len(seen) == 2 * 5  # HEAD, then GET to confirm the 404, on each of the 5 runs
    assert SECRET.encode() not in _cache_bytes(tmp_path)
    proc = run_cli("links", "a.md", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert SECRET not in (tmp_path / "baseline.json").read_text(encoding="utf-8")
    proc = run_cli("links", "a.md", "--format", "json", "-o", "report.json", cwd=tmp_path)
    report = (tmp_path / "report.json").read_text(encoding="utf-8")
    assert SECRET not in report + proc.stdout and json.loads(report)["findings"]


def test_crawl_from_a_url_with_credentials(site, tmp_path):
    site.page("/", '<a href="/about">about</a> <a href="/missing">missing</a>')
    site.page("/about", "<p>about</p>")
    start = site.url("/").replace("http://", f"http://editor:{SECRET}@")
    (tmp_path / ".health-lint.toml").write_text(CONFIG.format(section="crawl"))
    for fmt in ("text", "json", "github"):
        proc = run_cli("crawl", start, "--no-sitemap", "--format", fmt, cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        assert SECRET not in proc.stdout + proc.stderr, fmt
        assert "nothing was cached" in proc.stdout
    assert site.count("/about") >= 1  # the crawl went on with the credentials
    assert SECRET.encode() not in _cache_bytes(tmp_path)


def test_credentials_are_not_forwarded_to_a_redirect_target(site, other_site):
    from health_lint.web import check_urls

    from .conftest import fast_config

    seen: list[str] = []

    def target(req):
        seen.append(req.headers.get("Authorization") or "")
        return 200, {}, b"ok"

    other_site.route("/landing", target)
    site.route("/go", (302, {"Location": other_site.url("/landing")}, b""))
    url = site.url("/go").replace("http://", f"http://editor:{SECRET}@")
    res = check_urls([url], fast_config())
    assert res[url].classification == "redirected"
    assert seen and seen == [""] * len(seen)  # the other host never got them
    assert SECRET not in json.dumps(res[url].to_dict()).replace(url, "")  # only the URL as written


def test_redacting_nested_data_copies_only_what_changes():
    """Every string in nested dicts, lists and tuples is redacted; a value
    with no credentials comes back as the very same object, and the value
    given is never changed in place."""
    from health_lint.reporters.redact import redact_value

    clean = {"url": "https://example.org/a", "nearest": ["a", "b"], "pair": ("x", 1), "n": 3}
    assert redact_value(clean) is clean
    secret = {"url": "https://example.org/a", "chain": [("https://u:pw@example.org/", 301)], "n": 3}
    out = redact_value(secret)
    assert out == {"url": "https://example.org/a", "chain": [("https://***@example.org/", 301)], "n": 3}
    assert secret["chain"] == [("https://u:pw@example.org/", 301)]
    assert type(out["chain"][0]) is tuple and out["url"] is secret["url"]
