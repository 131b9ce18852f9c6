import subprocess
import sys
import textwrap
import time

import pytest

from health_lint.document import Document, Link
from health_lint.web import Cache, LinkResult, WebConfig, apply_rewrites, fix_targets, occurrences_from_document, results_to_findings
from health_lint.web.crawler import Occurrence
from health_lint.web.progress import Progress

WRITER = textwrap.dedent("""
    import sys
    from health_lint.web.cache import Cache
    path, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    c = Cache(path)
    for i in range(n):
        c.put(f"https://e.org/{tag}/{i}", {"url": f"https://e.org/{tag}/{i}", "status": 200, "classification": "ok"}, "ok", 3600)
        if i % 10 == 0:
            c.get(f"https://e.org/{tag}/{i // 2}")
    cid, _ = c.crawl_begin(f"https://{tag}.org/", resume=True)
    c.crawl_save_pages(cid, [(f"https://{tag}.org/{i}", 1, {"links": []}) for i in range(50)])
    c.close()
""")


def test_two_processes_share_the_cache(tmp_path):
    db = str(tmp_path / "shared.sqlite")
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, db, tag, "300"], stderr=subprocess.PIPE) for tag in ("a", "b")]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err.decode()
    with Cache(db) as c:
        assert c.count() == 600
        assert c.get("https://e.org/a/299")["status"] == 200
        assert c._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        for tag in ("a", "b"):
            cid, resumed = c.crawl_begin(f"https://{tag}.org/", resume=True)
            assert resumed and len(c.crawl_pages(cid)) == 50


def test_cache_ttl_and_expiry(tmp_path):
    with Cache(tmp_path / "c.sqlite") as c:
        c.put("k", {"x": 1}, "ok", 0.1)
        c.put("never", {"x": 2}, "ok", None)  # not cached
        assert c.get("k") == {"x": 1}
        assert c.get("never") is None
        time.sleep(0.15)
        assert c.get("k") is None
        assert c.get_many(["k"]) == {}


def test_ttl_config():
    cfg = WebConfig(ttl_ok=10)
    assert cfg.ttl_for("ok") == 10 and cfg.ttl_for("broken") == 3600
    assert cfg.ttl_for("unverified", network_error=True) is None
    assert WebConfig.from_mapping({"max-pages": 5, "accept_statuses": [403]}).accept_statuses == (403,)
    with pytest.raises(ValueError, match="bogus"):
        WebConfig.from_mapping({"bogus": 1})


def test_apply_rewrites_is_byte_exact():
    text = "Intro [NHS](http://old.example/a) and <a href=\"http://old.example/b?x=1&amp;y=2\">b</a>\r\nend ü\n"
    a_start = text.index("http://old.example/a")
    b_start = text.index("http://old.example/b")
    b_end = text.index('">b')
    new = apply_rewrites(text, [
        (b_start, b_end, "http://old.example/b?x=1&y=2", "https://new.example/b?x=1&y=2"),
        (a_start, a_start + len("http://old.example/a"), "http://old.example/a", "https://new.example/a"),
    ])
    assert new == text.replace("http://old.example/a", "https://new.example/a").replace(
        "http://old.example/b?x=1&amp;y=2", "https://new.example/b?x=1&amp;y=2")
    assert "\r\n" in new
    with pytest.raises(ValueError):
        apply_rewrites(text, [(0, 5, "nope", "x")])
    with pytest.raises(ValueError):
        apply_rewrites(text, [(a_start, a_start + 10, text[a_start:a_start + 10], "x"), (a_start + 5, a_start + 12, text[a_start + 5:a_start + 12], "y")])


def test_fix_targets_only_permanent():
    results = {
        "http://e.org/a#dose": LinkResult(url="http://e.org/a#dose", classification="redirected", permanent=True,
                                          fix_url="https://e.org/a", status=200),
        "https://e.org/tmp": LinkResult(url="https://e.org/tmp", classification="redirected", permanent=False, status=200),
        "https://e.org/ok": LinkResult(url="https://e.org/ok", classification="ok", status=200),
    }
    assert fix_targets(results) == {"http://e.org/a#dose": "https://e.org/a#dose"}


def make_doc():
    source = "# Title\n\nSee [the NHS page](https://e.org/gone) and [this](https://e.org/moved).\n"
    links = []
    for url, text in (("https://e.org/gone", "the NHS page"), ("https://e.org/moved", "this")):
        s = source.index(url)
        links.append(Link(url=url, text=text, start=s - len(text) - 3, end=s + len(url) + 1, url_start=s, url_end=s + len(url)))
    links.append(Link(url="/local/page", text="local", start=0, end=1))
    return Document(path="articles/back-pain.md", source=source, format="markdown", links=links)


def test_findings_for_local_file_with_positions():
    doc = make_doc()
    occ = occurrences_from_document(doc)
    assert [o.url for o in occ] == ["https://e.org/gone", "https://e.org/moved"]
    results = {
        "https://e.org/gone": LinkResult(url="https://e.org/gone", status=404, classification="broken"),
        "https://e.org/moved": LinkResult(url="https://e.org/moved", status=200, classification="redirected",
                                           chain=[("https://e.org/moved", 302), ("https://e.org/new", 200)],
                                           final_url="https://e.org/new"),
    }
    findings = results_to_findings(results, occ)
    broken, moved = findings
    assert (broken.path, broken.line, broken.column, broken.rule, broken.severity) == ("articles/back-pain.md", 3, 20, "links/broken", "error")
    assert broken.end_column == 20 + len("https://e.org/gone")
    assert '"the NHS page"' in broken.message and "404 Not Found" in broken.message
    assert (moved.rule, moved.severity) == ("links/redirected", "info")
    assert moved.data["chain"][0] == {"url": "https://e.org/moved", "status": 302}
    assert broken.to_dict()["data"]["status"] == 404
    # with a base URL relative links are checked too
    assert "https://site.org/local/page" in [o.url for o in occurrences_from_document(doc, base_url="https://site.org/")]


def test_unverified_and_server_error_findings():
    occ = [Occurrence(source="p.md", url="https://a.org/", text="A"), Occurrence(source="p.md", url="https://b.org/", text="B", line=2)]
    results = {
        "https://a.org/": LinkResult(url="https://a.org/", status=403, classification="unverified", error="bot protection challenge"),
        "https://b.org/": LinkResult(url="https://b.org/", status=503, classification="server-error"),
    }
    f1, f2 = results_to_findings(results, occ, orphans=["https://site.org/lonely"])[0:2]
    rules = sorted(f.rule for f in results_to_findings(results, occ, orphans=["https://site.org/lonely"]))
    assert rules == ["graph/orphan", "links/server-error", "links/unverified"]


def test_progress_silent_off_terminal(capsys):
    p = Progress.create(WebConfig())  # pytest's stderr is not a TTY
    p.update(LinkResult(url="x"))
    p.close()
    assert capsys.readouterr().err == ""
    assert not p.enabled
