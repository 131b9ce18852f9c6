"""The hooks in .pre-commit-hooks.yaml, run by the real `pre-commit` tool.

A copy of this project's working tree is committed to a temporary git
repository (pre-commit installs hooks from a git repository), then a second
temporary repository holding articles runs `pre-commit try-repo` against it:
one commit with a clean article that passes, one with a broken article that
fails with the expected findings. pre-commit builds the hook's virtualenv
(pip-installs this package) once per test session: PRE_COMMIT_HOME is a
session-wide temporary folder.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DISCLAIMER, FAST_LINKS, LONG_1, commit_all, git

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", ".pytest_cache", "*.egg-info", "build",
                              "dist", ".health-lint-cache.sqlite*", "node_modules", ".mypy_cache", ".ruff_cache")
NETWORK_TROUBLE = ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable",
                   "ConnectTimeoutError", "Could not fetch URL")

BROKEN = "# Sleep well\n\n" + LONG_1 + "\n\nSleep is good for you.\n"   # no disclaimer


def pre_commit_exe() -> list[str]:
    exe = Path(sys.executable).with_name("pre-commit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pre_commit"]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> Path:
    """A committed copy of this project's working tree."""
    dest = tmp_path_factory.mktemp("hook-repo") / "health-lint"
    shutil.copytree(ROOT, dest, ignore=SKIP, symlinks=True)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "config", "commit.gpgsign", "false")
    commit_all(dest, "health-lint under test")
    return dest


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(articles: Path, hook_repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never",
           "HEALTH_LINT_TODAY": "2026-11-25", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    proc = subprocess.run([*pre_commit_exe(), "try-repo", str(hook_repo), *args, "--color", "never"],
                          cwd=articles, env=env, capture_output=True, text=True, timeout=900)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0 and any(sign in output for sign in NETWORK_TROUBLE):
        pytest.skip("pre-commit could not install the hook environment (no package registry):\n" + output[-2000:])
    return proc


def test_manifest_is_valid_for_pre_commit():
    from pre_commit.clientlib import load_manifest

    hooks = {h["id"]: h for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert hooks["health-lint"]["entry"] == "health-lint check --force-exclude"
    assert hooks["health-lint"]["verbose"] is True and hooks["health-lint"]["require_serial"] is True
    assert hooks["health-lint"]["language"] == "python" and hooks["health-lint"]["pass_filenames"] is True
    assert hooks["health-lint"]["types_or"] == ["markdown", "html", "plain-text"]
    assert hooks["health-lint-links"]["entry"] == "health-lint links"
    assert hooks["health-lint-links"]["stages"] == ["manual"]


def test_hooks_with_the_real_pre_commit(tmp_path, hook_repo, pre_commit_home):
    articles = tmp_path / "site"
    articles.mkdir()
    git(articles, "init", "-q", "-b", "main")
    git(articles, "config", "commit.gpgsign", "false")
    clean_fixture = ROOT / "fixtures" / "clean" / "back-pain.md"
    if clean_fixture.is_file():
        shutil.copy(clean_fixture, articles / "back-pain.md")
    else:  # pragma: no cover - the fixtures ship with the project
        (articles / "back-pain.md").write_text(f"# Sleep well\n\nSleep is good for you.\n\n{DISCLAIMER}\n")
    (articles / "notes.py").write_text("x = 1\n")  # not an article: the hook's types must skip it

    # Commit 1: a clean article passes. All hooks: the manual links hook must not run.
    commit_all(articles, "clean article")
    proc = try_repo(articles, hook_repo, pre_commit_home, "--all-files")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "health-lint" in out and "Passed" in out
    assert "health-lint links" not in out

    # Commit 2: a broken article fails with its findings in the output.
    (articles / "my notes").mkdir()
    (articles / "my notes" / "schlaf ü.md").write_text(BROKEN, encoding="utf-8")
    commit_all(articles, "broken article")
    proc = try_repo(articles, hook_repo, pre_commit_home, "health-lint", "--files", "back-pain.md",
                    "my notes/schlaf ü.md", "notes.py")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Failed" in out and "- exit code: 1" in out
    assert "my notes/schlaf ü.md:" in out and "error disclaimer/missing" in out
    assert "my notes/schlaf ü.md:3:1 warning readability/long-sentence" in out
    assert "back-pain.md:" not in out.replace("my notes/schlaf ü.md", "")  # the clean one has no finding
    assert "notes.py" not in out.split("- exit code: 1", 1)[1]


def test_links_hook_with_the_real_pre_commit(tmp_path, hook_repo, pre_commit_home, loopback):
    """The manual-stage `health-lint-links` hook, against a server on
    127.0.0.1 (allowed, with fast retries, by the repository's config)."""
    articles = tmp_path / "site"
    articles.mkdir()
    git(articles, "init", "-q", "-b", "main")
    git(articles, "config", "commit.gpgsign", "false")
    (articles / ".health-lint.toml").write_text(FAST_LINKS, encoding="utf-8")
    page = articles / "x.md"

    page.write_text(f"# Sleep well\n\nRead [the guide]({loopback.url('/ok')}) and [more]({loopback.url('/ok/more')}).\n\n"
                    f"{DISCLAIMER}\n", encoding="utf-8")
    commit_all(articles, "links that work")
    proc = try_repo(articles, hook_repo, pre_commit_home, "health-lint-links", "--hook-stage", "manual",
                    "--files", "x.md")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "health-lint links" in out and "Passed" in out

    page.write_text(f"# Sleep well\n\nRead [the guide]({loopback.url('/ok')}) and [old]({loopback.url('/gone')}).\n\n"
                    f"{DISCLAIMER}\n", encoding="utf-8")
    commit_all(articles, "a broken link")
    proc = try_repo(articles, hook_repo, pre_commit_home, "health-lint-links", "--hook-stage", "manual",
                    "--files", "x.md")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Failed" in out and "- exit code: 1" in out
    assert "x.md:3:" in out and "error links/broken" in out and loopback.url("/gone") in out
