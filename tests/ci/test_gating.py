"""Baselines (`--write-baseline`, `--baseline`) and changed lines only
(`--diff-base`), through the real CLI and a real temporary git repository."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from health_lint.gating import parse_diff, unquote_git_path

from .conftest import LONG_1, LONG_2, ODD_PATH, article, commit_all, git, only_rules

WARN = ["--fail-level", "warning", "--format", "json"]


def findings_of(out: str) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]]


# -- baseline -------------------------------------------------------------------------
def test_baseline_survives_inserted_lines_and_counts_new_and_stale(cli, tmp_path):
    only_rules(tmp_path)
    page = tmp_path / "back.md"
    page.write_text(article(LONG_1, "Short one."), encoding="utf-8")
    code, out, err = cli("check", "back.md", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert code == 0 and "Wrote 1 finding(s) to baseline baseline.json" in err
    data = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 2
    [entry] = data["findings"]
    assert entry["rule"] == "readability/long-sentence" and entry["path"] == "back.md" and entry["count"] == 1

    # Lines inserted above the finding: still known.
    page.write_text(article("A new first paragraph.", "And a second one.", LONG_1, "Short one."), encoding="utf-8")
    code, out, err = cli("check", "back.md", "--baseline", "baseline.json", *WARN, cwd=tmp_path)
    assert code == 0, out
    summary = json.loads(out)["summary"]
    assert summary["baseline"] == {"matched": 1, "new": 0, "stale": 0}
    assert json.loads(out)["findings"] == []

    # A new long sentence fails; the known one stays quiet.
    page.write_text(article("A new first paragraph.", LONG_1, LONG_2), encoding="utf-8")
    code, out, err = cli("check", "back.md", "--baseline", "baseline.json", *WARN, cwd=tmp_path)
    assert code == 1
    assert findings_of(out) == [("back.md", 7, "readability/long-sentence")]
    assert json.loads(out)["summary"]["baseline"] == {"matched": 1, "new": 1, "stale": 0}

    # The known finding fixed: its entry is stale, and the text summary says so.
    page.write_text(article("Short one."), encoding="utf-8")
    code, out, err = cli("check", "back.md", "--baseline", "baseline.json", "--fail-level", "warning", cwd=tmp_path)
    assert code == 0
    assert "baseline: 0 known, 0 new, 1 stale" in out
    assert "1 stale entry" in out and "--write-baseline baseline.json" in out


def test_baseline_counts_repeated_occurrences(cli, tmp_path):
    only_rules(tmp_path)
    page = tmp_path / "dup.md"
    page.write_text(article(LONG_1, LONG_1), encoding="utf-8")
    assert cli("check", "dup.md", "--write-baseline", "b.json", cwd=tmp_path)[0] == 0
    [entry] = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["findings"]
    assert entry["count"] == 2
    page.write_text(article(LONG_1, LONG_1, LONG_1), encoding="utf-8")
    code, out, _ = cli("check", "dup.md", "--baseline", "b.json", *WARN, cwd=tmp_path)
    assert code == 1 and json.loads(out)["summary"]["baseline"] == {"matched": 2, "new": 1, "stale": 0}
    page.write_text(article(LONG_1), encoding="utf-8")
    code, out, _ = cli("check", "dup.md", "--baseline", "b.json", *WARN, cwd=tmp_path)
    assert code == 0 and json.loads(out)["summary"]["baseline"] == {"matched": 1, "new": 0, "stale": 1}


def test_baseline_whole_document_finding_and_odd_path(cli, tmp_path):
    only_rules(tmp_path)
    (tmp_path / "my articles").mkdir()
    page = tmp_path / ODD_PATH
    page.write_text(article("Sleep matters.", disclaimer=False), encoding="utf-8")
    code, out, err = cli("check", ODD_PATH, "--format", "json", cwd=tmp_path)
    assert findings_of(out) == [(ODD_PATH, 3, "disclaimer/missing")]
    assert cli("check", ODD_PATH, "--write-baseline", "b.json", cwd=tmp_path)[0] == 0
    page.write_text("\n\n" + article("Sleep matters.", "Still no notice, and lower.", disclaimer=False),
                    encoding="utf-8")
    code, out, err = cli("check", ODD_PATH, "--baseline", "b.json", "--format", "json", cwd=tmp_path)
    assert code == 0, err
    assert json.loads(out)["summary"]["baseline"] == {"matched": 1, "new": 0, "stale": 0}


@pytest.mark.parametrize("content, message", [
    (None, "baseline file not found: b.json (create it with --write-baseline b.json)"),
    ("{not json", "baseline b.json is not valid JSON (line 1, column 2"),
    ('{"version": 99, "findings": []}', "baseline b.json has version 99"),
    ('{"version": 1, "findings": [{"rule": "x"}]}', "findings[0] needs a \"fingerprint\""),
    ('[1, 2]', "is not a health-lint baseline"),
])
def test_bad_baseline_is_a_usage_error(cli, tmp_path, content, message):
    only_rules(tmp_path)
    (tmp_path / "a.md").write_text(article("Fine."), encoding="utf-8")
    if content is not None:
        (tmp_path / "b.json").write_text(content, encoding="utf-8")
    code, out, err = cli("check", "a.md", "--baseline", "b.json", cwd=tmp_path)
    assert code == 2 and message in err, err


def test_unwritable_baseline_is_a_usage_error(cli, tmp_path):
    only_rules(tmp_path)
    (tmp_path / "a.md").write_text(article("Fine."), encoding="utf-8")
    (tmp_path / "file").write_text("x")
    code, out, err = cli("check", "a.md", "--write-baseline", "file/b.json", cwd=tmp_path)
    assert code == 2 and "cannot write baseline file/b.json" in err


# -- changed lines -------------------------------------------------------------------
def test_diff_base_reports_only_changed_lines(cli, repo):
    only_rules(repo)
    (repo / "my articles").mkdir()
    old = repo / ODD_PATH
    old.write_text(article(LONG_1, disclaimer=False), encoding="utf-8")          # 2 findings
    (repo / "untouched.md").write_text(article(LONG_1, disclaimer=False), encoding="utf-8")
    commit_all(repo, "initial")
    git(repo, "tag", "v1")

    # Edit: two lines inserted above the old long sentence, a new one added.
    old.write_text(article("New intro.", "More intro.", LONG_1, LONG_2, disclaimer=False), encoding="utf-8")
    (repo / "new.md").write_text(article(LONG_2), encoding="utf-8")            # untracked: wholly new
    code, out, err = cli("check", ".", "--no-graph", "--diff-base", "v1", *WARN, cwd=repo)
    assert code == 1, err
    assert findings_of(out) == [
        (ODD_PATH, 9, "disclaimer/missing"),        # whole-document finding of a changed file
        (ODD_PATH, 9, "readability/long-sentence"),  # the added sentence, not the moved-down old one
        ("new.md", 3, "readability/long-sentence"),  # an untracked file is all new
    ]
    data = json.loads(out)
    assert data["diff_base"]["ref"] == "v1" and data["diff_base"]["changed_files"] == 2
    assert data["diff_base"]["outside_changes"] == 3   # old sentence + both findings of untouched.md

    # Committed changes count the same; nothing changed since HEAD: nothing reported, exit 0.
    commit_all(repo, "edit")
    code, out, _ = cli("check", ".", "--no-graph", "--diff-base", "v1", *WARN, cwd=repo)
    assert code == 1 and len(findings_of(out)) == 3
    code, out, _ = cli("check", ".", "--no-graph", "--diff-base", "HEAD", *WARN, cwd=repo)
    assert code == 0 and findings_of(out) == []


def test_diff_base_uses_the_merge_base(cli, repo):
    """Commits that landed on the base branch after the branch point are
    not the pull request's changes."""
    only_rules(repo)
    (repo / "a.md").write_text(article("Short."), encoding="utf-8")
    (repo / "b.md").write_text(article("Short.", LONG_2), encoding="utf-8")
    commit_all(repo, "initial")
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "a.md").write_text(article("Short.", LONG_1), encoding="utf-8")
    commit_all(repo, "feature work")
    git(repo, "checkout", "-q", "main")
    (repo / "b.md").write_text(article("Short."), encoding="utf-8")   # fixed on main after the branch point
    commit_all(repo, "main work")
    git(repo, "checkout", "-q", "feature")
    # Against main's tip, b.md's old long sentence would look added; against
    # the merge base it is not the branch's change.
    code, out, _ = cli("check", ".", "--no-graph", "--diff-base", "main", *WARN, cwd=repo)
    assert findings_of(out) == [("a.md", 5, "readability/long-sentence")]


def test_diff_base_errors(cli, repo, tmp_path):
    only_rules(repo)
    (repo / "a.md").write_text(article("Short."), encoding="utf-8")
    commit_all(repo, "initial")
    code, out, err = cli("check", "a.md", "--diff-base", "no-such-branch", cwd=repo)
    assert code == 2 and "unknown git ref 'no-such-branch'" in err and "fetch-depth: 0" in err
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.md").write_text(article("Short."), encoding="utf-8")
    code, out, err = cli("check", "a.md", "--diff-base", "HEAD", cwd=plain)
    assert code == 2 and "needs a git repository" in err


def test_parse_diff_handles_quoting_renames_and_deletions():
    diff = (
        'diff --git a/x.md b/x.md\n--- a/x.md\n+++ b/x.md\n@@ -3 +3,2 @@\n-a\n+b\n+c\n@@ -10,2 +11,0 @@\n-d\n-e\n'
        'diff --git "a/t\\303\\251st\\tx.md" "b/t\\303\\251st\\tx.md"\n--- "a/t\\303\\251st\\tx.md"\n'
        '+++ "b/t\\303\\251st\\tx.md"\n@@ -0,0 +1 @@\n+x\n'
        'diff --git a/my file.md b/my file.md\n--- a/my file.md\t\n+++ b/my file.md\t\n@@ -1 +1 @@\n-a\n+b\n'
        'diff --git a/old.md b/new.md\nsimilarity index 100%\nrename from old.md\nrename to new.md\n'
        'diff --git a/gone.md b/gone.md\ndeleted file mode 100644\n--- a/gone.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n'
        'diff --git a/p.png b/p.png\nBinary files a/p.png and b/p.png differ\n'
    )
    changes = parse_diff(diff)
    assert changes["x.md"].lines == {3, 4}
    assert changes["tést\tx.md"].lines == {1}
    assert changes["my file.md"].lines == {1}
    assert changes["new.md"].lines == set() and "new.md" in changes
    assert "gone.md" not in changes
    assert changes["p.png"].whole
    assert unquote_git_path('"a\\"b\\\\c"') == 'a"b\\c'


# -- link-graph findings the change caused in files it did not touch --------------------
SITE = Path(__file__).resolve().parents[2] / "fixtures" / "site"


def graph_findings(out: str) -> set[tuple[str, int, str, str]]:
    return {(f["path"], f["line"], f["rule"], f.get("data", {}).get("url", "")) for f in json.loads(out)["findings"]}


def test_diff_base_keeps_broken_links_and_orphans_a_rename_caused(cli, repo):
    """Renaming a page breaks the links to it in files the branch never
    touched; --diff-base must still report them (and the renamed page's new
    orphan), but not the site's older problems."""
    shutil.copytree(SITE, repo / "content")
    commit_all(repo, "site")
    code, out, _ = cli("graph", "content", "--format", "json", cwd=repo)
    before = graph_findings(out)   # the fixture's own, older problems
    assert ("content/back-pain/sciatica.md", 14, "links/broken-internal", "heat-and-ice-therapy.md") in before

    git(repo, "checkout", "-q", "-b", "rename")
    git(repo, "mv", "content/back-pain/exercises.md", "content/back-pain/exercise-guide.md")
    commit_all(repo, "rename the exercises page")
    code, out, _ = cli("graph", "content", "--format", "json", cwd=repo)
    assert code == 1
    assert len([f for f in graph_findings(out) if f[2] == "links/broken-internal"]) == 3
    code, out, err = cli("graph", "content", "--diff-base", "main", "--format", "json", cwd=repo)
    assert code == 1, out + err
    assert graph_findings(out) == {
        ("content/back-pain/index.md", 15, "links/broken-internal", "exercises.md"),
        ("content/back-pain/sciatica.md", 14, "links/broken-internal", "exercises.md#stretches"),
        ("content/back-pain/exercise-guide.md", 1, "graph/orphan", "/back-pain/exercise-guide/"),
    }
    data = json.loads(out)["diff_base"]
    assert data["caused_elsewhere"] == 2 and data["outside_changes"] == len(before)  # every older problem, and only those
    # check (folders run the graph rules) agrees.
    code, out, _ = cli("check", "content", "--diff-base", "main", "--format", "json", cwd=repo)
    assert code == 1
    assert {(p, r) for p, _, r, u in graph_findings(out) if r == "links/broken-internal"} == {
        ("content/back-pain/index.md", "links/broken-internal"), ("content/back-pain/sciatica.md", "links/broken-internal")}


def test_diff_base_keeps_an_orphan_whose_inbound_link_was_removed(cli, repo):
    shutil.copytree(SITE, repo / "content")
    commit_all(repo, "site")
    git(repo, "checkout", "-q", "-b", "unlink")
    hub = repo / "content" / "back-pain" / "index.md"
    hub.write_text("".join(line for line in hub.read_text(encoding="utf-8").splitlines(keepends=True)
                           if "(heat-and-ice.md)" not in line), encoding="utf-8")
    commit_all(repo, "drop the link to heat and ice")
    code, out, _ = cli("graph", "content", "--diff-base", "main", "--format", "json", cwd=repo)
    found = graph_findings(out)
    assert ("content/back-pain/heat-and-ice.md", 1, "graph/orphan", "/back-pain/heat-and-ice/") in found
    # The older orphan (posture-at-work.md: nothing linked to it before either) stays out.
    assert not [f for f in found if f[0] == "content/back-pain/posture-at-work.md"]


def test_parse_diff_records_removed_paths_and_renames():
    diff = ('diff --git a/old.md b/new.md\nsimilarity index 100%\nrename from old.md\nrename to new.md\n'
            'diff --git a/gone.md b/gone.md\ndeleted file mode 100644\n--- a/gone.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n'
            'diff --git a/p.png b/p.png\ndeleted file mode 100644\nBinary files a/p.png and /dev/null differ\n')
    removed: set[str] = set()
    changes = parse_diff(diff, removed)
    assert removed == {"old.md", "gone.md", "p.png"}
    assert changes["new.md"].renamed_from == "old.md" and "gone.md" not in changes


def test_page_names():
    from health_lint.gating import link_names, page_name, page_names, url_name

    assert page_name("content/back-pain/exercises.md") == page_name("/back-pain/exercises/") == "exercises"
    assert page_name("content/back-pain/index.md") == "back-pain"
    assert page_name("_posts/2024-01-02-Sleep.md") == "sleep"
    assert url_name("exercises.md#stretches", "content/back-pain/sciatica.md") == "exercises"
    assert url_name("../", "content/back-pain/sciatica.md") == "content"
    assert url_name("mailto:a@example.org", "x.md") is None and url_name("#top", "x.md") is None
    assert page_names("a/b.md", "---\nslug: new-name\naliases: [/old/name/]\ntitle: Sleep Well\n---\n# x\n") == {
        "b", "new-name", "name", "sleep-well"}
    assert link_names("a/b.md", "[x](c.md) [y](<d e.md>) <a href=\"../f.html\">f</a>\n[r]: /g/\n") == {
        "c", "d e", "f", "g"}


# -- baselines do not depend on the current folder --------------------------------------
def test_baseline_matches_from_a_subfolder_and_with_absolute_paths(cli, tmp_path):
    only_rules(tmp_path)            # the project root: the configuration's folder
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text(article(LONG_1), encoding="utf-8")
    (tmp_path / "b.md").write_text(article("Short.", disclaimer=False), encoding="utf-8")
    code, out, err = cli("check", ".", "--no-graph", "--write-baseline", "bl.json", cwd=tmp_path)
    assert code == 0, err
    data = json.loads((tmp_path / "bl.json").read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert sorted(e["path"] for e in data["findings"]) == ["b.md", "sub/a.md"]

    code, out, err = cli("check", "..", "--no-graph", "--baseline", "../bl.json", *WARN, cwd=tmp_path / "sub")
    assert code == 0, out + err
    assert json.loads(out)["summary"]["baseline"] == {"matched": 2, "new": 0, "stale": 0}
    code, out, err = cli("check", "a.md", "--baseline", "../bl.json", *WARN, cwd=tmp_path / "sub")
    assert code == 0 and json.loads(out)["summary"]["baseline"] == {"matched": 1, "new": 0, "stale": 0}
    code, out, err = cli("check", str(tmp_path), "--no-graph", "--baseline", "bl.json", *WARN, cwd=tmp_path)
    assert code == 0 and json.loads(out)["summary"]["baseline"] == {"matched": 2, "new": 0, "stale": 0}
    # Written with absolute paths from elsewhere, read with relative ones.
    code, out, err = cli("check", str(tmp_path / "sub" / "a.md"), str(tmp_path / "b.md"),
                         "--write-baseline", str(tmp_path / "abs.json"), cwd=tmp_path / "sub")
    assert code == 0
    assert json.loads((tmp_path / "abs.json").read_text(encoding="utf-8"))["findings"] == data["findings"]
    # A fixed finding is stale from any folder.
    (tmp_path / "sub" / "a.md").write_text(article("Short."), encoding="utf-8")
    code, out, err = cli("check", "a.md", "--baseline", "../bl.json", *WARN, cwd=tmp_path / "sub")
    assert json.loads(out)["summary"]["baseline"] == {"matched": 0, "new": 0, "stale": 1}


def test_version_1_baselines_are_still_matched_the_old_way(cli, tmp_path):
    from health_lint.findings import Finding

    only_rules(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text(article(LONG_1), encoding="utf-8")
    code, out, _ = cli("check", "a.md", "--format", "json", cwd=tmp_path / "sub")
    [f] = json.loads(out)["findings"]
    legacy = Finding(path="a.md", line=0, column=0, end_line=0, end_column=0, rule=f["rule"], severity="warning",
                     message=f["message"], snippet=LONG_1).fingerprint()   # paths as displayed, as version 1 did
    (tmp_path / "v1.json").write_text(json.dumps({"version": 1, "findings": [
        {"fingerprint": legacy, "rule": f["rule"], "path": "a.md", "count": 1}]}), encoding="utf-8")
    code, out, err = cli("check", "a.md", "--baseline", "../v1.json", *WARN, cwd=tmp_path / "sub")
    assert code == 0, err
    assert json.loads(out)["summary"]["baseline"] == {"matched": 1, "new": 0, "stale": 0}


def test_old_text_of_changed_files_with_odd_names(repo):
    from health_lint.gating import FileChanges, RepoDiff

    (repo / "my file.md").write_text("[x](b.md)\n", encoding="utf-8")
    (repo / "b.md").write_text("hi\n", encoding="utf-8")
    commit_all(repo, "initial")
    base = git(repo, "rev-parse", "HEAD").strip()
    diff = RepoDiff(repo, {"my file.md": FileChanges(), "new.md": FileChanges()}, base, {"b.md"})
    assert diff.old_text("my file.md") == "[x](b.md)\n" and diff.old_text("b.md") == "hi\n"
    assert diff.old_text("new.md") is None
    assert "b" in diff.linked_names and "b" in diff.gone_names
