"""Issue 11, fitting the hook to an editor's repository, with the real
`pre-commit` and `git`: only articles are checked (not README.md nor the
word list the spelling hint asks for), warnings are shown on a passing
commit, a staged change that breaks links elsewhere is caught, and
--diff-base does not blame a change for an old missing anchor."""
from __future__ import annotations

import json
import subprocess
import sys

from .conftest import DISCLAIMER, commit_all, git
from .test_pre_commit import hook_repo, pre_commit_home, try_repo  # noqa: F401  (fixtures)

FRONT = "---\ntitle: {title}\nauthor: Sam Lee\nreviewed_by: Dana Cruz, MD\ndate: 2026-01-10\nlast_reviewed: 2026-01-10\n---\n"


def page(title: str, body: str) -> str:
    return FRONT.format(title=title) + f"# {title}\n\n{body}\n\n{DISCLAIMER}\n"


def content_repo(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "styles" / "health-lint").mkdir(parents=True)
    git(site, "init", "-q", "-b", "main")
    git(site, "config", "commit.gpgsign", "false")
    (site / ".health-lint.toml").write_text('[site]\ncontent-root = "content"\n')
    (site / "content" / "index.md").write_text(page("Home", "Read about [sleep](sleep.md) and [rest](rest.md#resting)."))
    (site / "content" / "sleep.md").write_text(page("Sleep", "Back to [home](index.md)."))
    (site / "content" / "rest.md").write_text(page("Rest", "## Resting\n\nBack to [home](index.md)."))
    commit_all(site, "site")
    return site


def hook(site, hook_repo, home, *args):
    proc = try_repo(site, hook_repo, home, "health-lint", *args)
    return proc.returncode, proc.stdout + proc.stderr


def test_hook_checks_only_articles(tmp_path, hook_repo, pre_commit_home):  # noqa: F811
    site = content_repo(tmp_path)
    (site / "README.md").write_text("# Our site\n\nHow we write.\n")  # no disclaimer: not an article
    (site / "styles" / "health-lint" / "accept.txt").write_text("Brandname\n")
    git(site, "add", "-A")
    code, out = hook(site, hook_repo, pre_commit_home)
    assert code == 0, out
    assert "disclaimer/missing" not in out and "README.md:" not in out and "accept.txt:" not in out


def test_passing_hook_shows_warnings(tmp_path, hook_repo, pre_commit_home):  # noqa: F811
    site = content_repo(tmp_path)
    (site / "content" / "sleep.md").write_text(page("Sleep", "Too much caffiene keeps you awake. Back to [home](index.md)."))
    git(site, "add", "-A")
    code, out = hook(site, hook_repo, pre_commit_home)
    assert code == 0, out
    assert "Passed" in out and "caffiene" in out and "warning spelling/unknown-word" in out


def test_hook_catches_a_staged_rename_that_breaks_inbound_links(tmp_path, hook_repo, pre_commit_home):  # noqa: F811
    site = content_repo(tmp_path)
    git(site, "mv", "content/sleep.md", "content/sleeping.md")
    code, out = hook(site, hook_repo, pre_commit_home)
    assert code == 1, out
    assert "content/index.md:" in out and "links/broken-internal" in out


def test_hook_catches_a_removed_anchor_linked_from_another_page(tmp_path, hook_repo, pre_commit_home):  # noqa: F811
    site = content_repo(tmp_path)
    (site / "content" / "rest.md").write_text(page("Rest", "## Lying down\n\nBack to [home](index.md)."))
    git(site, "add", "-A")
    code, out = hook(site, hook_repo, pre_commit_home)
    assert code == 1, out
    assert "content/index.md:" in out and "links/missing-anchor" in out


def run(site, *args):
    return subprocess.run([sys.executable, "-m", "health_lint", *args], cwd=site, capture_output=True, text=True,
                          timeout=120)


def test_single_file_check_reads_the_graph_and_reports_only_what_the_change_caused(tmp_path):
    site = content_repo(tmp_path)
    # An old broken link elsewhere is not this change's business.
    (site / "content" / "old.md").write_text(page("Old", "See [gone](gone.md) and [home](index.md)."))
    (site / "content" / "index.md").write_text(
        page("Home", "Read about [sleep](sleep.md), [rest](rest.md#resting) and [old](old.md)."))
    commit_all(site, "old breakage")
    (site / "content" / "sleep.md").write_text(page("Sleep", "Back to [home](index.md) and [nowhere](nowhere.md)."))
    proc = run(site, "check", "content/sleep.md", "--format", "json", "--fail-level", "never")
    found = {(f["path"], f["rule"]) for f in json.loads(proc.stdout)["findings"]}
    assert ("content/sleep.md", "links/broken-internal") in found
    assert not any(path == "content/old.md" for path, _ in found), found


def test_diff_base_ignores_an_old_missing_anchor_in_an_untouched_file(tmp_path):
    site = content_repo(tmp_path)
    (site / "content" / "index.md").write_text(page("Home", "Read about [sleep](sleep.md#never-there) and "
                                                    "[rest](rest.md#resting)."))
    commit_all(site, "an old missing anchor")
    git(site, "checkout", "-q", "-b", "pr")
    # The PR edits the target page, not the anchor and not the linking page.
    (site / "content" / "sleep.md").write_text(page("Sleep", "Sleep well. Back to [home](index.md)."))
    commit_all(site, "edit sleep")
    proc = run(site, "check", "content", "--diff-base", "main", "--format", "json")
    rules = [(f["path"], f["rule"]) for f in json.loads(proc.stdout)["findings"]]
    assert ("content/index.md", "links/missing-anchor") not in rules, rules
    assert proc.returncode == 0, proc.stdout
    # Removing an anchor others link to is this change's doing.
    (site / "content" / "rest.md").write_text(page("Rest", "## Lying down\n\nBack to [home](index.md)."))
    commit_all(site, "rename a heading")
    proc = run(site, "check", "content", "--diff-base", "main", "--format", "json")
    rules = [(f["path"], f["rule"]) for f in json.loads(proc.stdout)["findings"]]
    assert ("content/index.md", "links/missing-anchor") in rules, rules
    assert proc.returncode == 1
