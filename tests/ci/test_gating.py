"""Baselines (`--write-baseline`, `--baseline`) and changed lines only
(`--diff-base`), through the real CLI and a real temporary git repository."""
from __future__ import annotations

import json

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
    assert data["version"] == 1
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
