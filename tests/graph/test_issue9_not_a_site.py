"""Issue 9, graph/not-a-site: a folder of articles cut out of a site (no
entry page; links written as site URLs that resolve to nothing in it) gets
one finding instead of an orphan, a dead end and broken links per article.
A real site keeps every finding, and so does a folder whose site root the
user configured."""
from __future__ import annotations

import json

from ..conftest import run_cli
from .conftest import page

GRAPH = {"graph/orphan", "graph/dead-end", "links/broken-internal", "graph/not-a-site"}


def check(tmp_path, files: dict[str, str], config: str = "", folder: str = "articles") -> list[dict]:
    (tmp_path / ".health-lint.toml").write_text(config)
    for rel, text in files.items():
        path = tmp_path / folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    proc = run_cli("check", folder, "--format", "json", "--fail-level", "never", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return [f for f in json.loads(proc.stdout)["findings"] if f["rule"] in GRAPH]


# Three articles exported from a CMS: site-root and pretty relative links to
# pages that are not in the folder, one broken link to a file, no index page.
CUT = {
    "cover-basics.md": page("Cover basics", "Read about [premiums](/glossary/premium) and [excess](/glossary/excess/) "
                                            "or [make a claim](making-a-claim)."),
    "dental.md": page("Dental cover", "See [check-ups](/dental/check-ups/) and the [price list](prices.md)."),
    "eyes.md": page("Eye tests", "Book a [test](/eyes/book/) today. ![Chart](chart.png)"),
}


def test_cut_out_folder_is_reported_once(tmp_path):
    findings = check(tmp_path, CUT)
    rules = sorted(f["rule"] for f in findings)
    # One notice; the broken links to files of the folder stay.
    assert rules == ["graph/not-a-site", "links/broken-internal", "links/broken-internal"]
    notice = next(f for f in findings if f["rule"] == "graph/not-a-site")
    assert notice["path"].endswith("cover-basics.md") and notice["severity"] == "info"
    assert "not a whole site" in notice["message"] and "5 of its 5 links" in notice["message"]
    assert "/glossary/premium" in notice["message"]
    assert "content-root" in notice["hint"] and "base-url" in notice["hint"]
    broken = sorted(f["message"].split("→ ")[1].split(":")[0] for f in findings if f["rule"] == "links/broken-internal")
    assert broken == ["chart.png", "prices.md"]


def test_folder_of_unlinked_articles(tmp_path):
    files = {f"a{i}.md": page(f"Article {i}", "Plain text with an [outside link](https://example.org/).")
             for i in range(4)}
    findings = check(tmp_path, files)
    assert [f["rule"] for f in findings] == ["graph/not-a-site"]
    assert "do not link to each other" in findings[0]["message"]


def test_real_site_keeps_its_findings(tmp_path):
    files = {
        "index.md": page("Home", "Start with [cover basics](/cover-basics/) or [dental](dental.md)."),
        "cover-basics.md": page("Cover basics", "Back [home](/) or read about [a page that moved](/glossary/premium)."),
        "dental.md": page("Dental cover", "See [cover basics](cover-basics.md)."),
        "eyes.md": page("Eye tests", "Read [cover basics](/cover-basics/)."),
    }
    findings = check(tmp_path, files, folder="content")
    rules = sorted(f["rule"] for f in findings)
    assert "graph/not-a-site" not in rules
    assert rules.count("links/broken-internal") == 1  # /glossary/premium
    assert [f["path"].rsplit("/", 1)[-1] for f in findings if f["rule"] == "graph/orphan"] == ["eyes.md"]


def test_site_without_index_whose_links_resolve_keeps_orphans(tmp_path):
    files = {
        "a.md": page("A", "See [b](/b/) and [c](c.md)."),
        "b.md": page("B", "See [a](a.md)."),
        "c.md": page("C", "See [a](/a/) and [gone](/gone/)."),
        "d.md": page("D", "Nothing links here; see [a](a.md)."),
    }
    rules = sorted(f["rule"] for f in check(tmp_path, files))
    assert "graph/not-a-site" not in rules
    assert rules.count("graph/orphan") == 1 and rules.count("links/broken-internal") == 1


def test_configured_site_root_or_base_url_turns_the_notice_off(tmp_path):
    for config in ('[site]\ncontent-root = "articles"\n', '[site]\nbase-url = "https://insurer.example/"\n',
                   '[graph]\nentry-pages = ["cover-basics.md"]\n'):
        findings = check(tmp_path, CUT, config=config)
        rules = [f["rule"] for f in findings]
        assert "graph/not-a-site" not in rules, config
        assert rules.count("links/broken-internal") == 7, config


def test_graph_command_says_so_in_its_summary(tmp_path):
    check(tmp_path, CUT)
    proc = run_cli("graph", "articles", "--fail-level", "never", cwd=tmp_path)
    assert "not a whole site: no entry page, 5 of 5 links to site pages lead outside the folder" in proc.stdout
    proc = run_cli("graph", "articles", "--format", "json", "--fail-level", "never", cwd=tmp_path)
    data = json.loads(proc.stdout)
    assert data["graph"]["not_a_site"]["broken_root_links"] == 5
    assert [f["rule"] for f in data["findings"]].count("graph/not-a-site") == 1


def test_readme_at_the_top_of_an_exported_folder(tmp_path):
    files = {**CUT, "README.md": "# Export\n\nArticles exported from the CMS on 3 May.\n"}
    findings = check(tmp_path, files)
    notice = [f for f in findings if f["rule"] == "graph/not-a-site"]
    assert len(notice) == 1 and "its index page (README.md) reaches only 1 of them" in notice[0]["message"]
    assert "graph/orphan" not in [f["rule"] for f in findings]


def test_index_that_reaches_most_pages_is_a_site(tmp_path):
    files = {**CUT, "index.md": page("Home", "See [cover](cover-basics.md), [dental](dental.md) and [eyes](eyes.md).")}
    rules = [f["rule"] for f in check(tmp_path, files)]
    assert "graph/not-a-site" not in rules and rules.count("links/broken-internal") == 7
