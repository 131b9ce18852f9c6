"""Issue 11, conventions people expect from ruff, markdownlint-cli2, Vale
and lychee: --quiet, --statistics, --select/--ignore/--extend-select,
--exit-zero, --color with NO_COLOR/FORCE_COLOR (in a real terminal), stdin,
no path = the content root, --format concise and gitlab."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from .conftest import FRONT, ROOT, run_cli

DISCLAIMER = "This article is for general information and is not a substitute for professional medical advice."
CLAIM_ARTICLE = f"{FRONT}# Back pain\n\nThis guaranteed cure works.\n\n{DISCLAIMER}\n"
BAD_ARTICLE = "# Back pain\n\nThis guaranteed cure works.\n"  # no disclaimer (error), no metadata


@pytest.fixture
def site(tmp_path):
    (tmp_path / ".health-lint.toml").write_text('[site]\ncontent-root = "content"\n')
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text(CLAIM_ARTICLE)
    (tmp_path / "content" / "b.md").write_text(BAD_ARTICLE)
    (tmp_path / "README.md").write_text("# Readme\n\nNo disclaimer here.\n")
    return tmp_path


def test_no_path_checks_the_configured_content_root(site):
    proc = run_cli("check", "--format", "json", cwd=site)
    paths = {f["path"] for f in json.loads(proc.stdout)["findings"]}
    assert paths and all(p.startswith("content") for p in paths), paths
    assert proc.returncode == 1


def test_no_path_and_no_content_root_checks_the_current_folder(tmp_path):
    (tmp_path / "a.md").write_text(BAD_ARTICLE)
    proc = run_cli("check", "--format", "json", cwd=tmp_path)
    assert json.loads(proc.stdout)["summary"]["files"] == 1


def test_quiet_prints_findings_only(site):
    proc = run_cli("check", "content/b.md", "-q", cwd=site)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert any("disclaimer/missing" in line for line in lines)
    assert not any("checked:" in line or "hint:" in line for line in lines)
    assert run_cli("check", "content/a.md", "-q", "--fail-level", "error", "--select", "disclaimer",
                   cwd=site).stdout == ""


def test_statistics_counts_findings_per_rule(site):
    proc = run_cli("check", "content", "--statistics", cwd=site)
    rows = [line.split() for line in proc.stdout.splitlines() if line.strip() and "checked" not in line]
    counts = {row[2]: int(row[0]) for row in rows}
    assert counts["claims/overpromise"] == 4  # "guaranteed" and "cure" in both files
    assert counts["disclaimer/missing"] == 1
    proc = run_cli("check", "content", "--statistics", "--format", "json", cwd=site)
    assert {"rule": "disclaimer/missing", "severity": "error", "count": 1} in json.loads(proc.stdout)


def test_select_ignore_extend_select(site):
    def rules(*args):
        proc = run_cli("check", "content", "--format", "json", "--fail-level", "never", *args, cwd=site)
        assert proc.returncode == 0, proc.stderr
        return {f["rule"] for f in json.loads(proc.stdout)["findings"]}

    assert rules("--select", "claims/overpromise") == {"claims/overpromise"}
    assert rules("--select", "claims,disclaimer/missing") == {"claims/overpromise", "disclaimer/missing"}
    assert "claims/overpromise" not in rules("--ignore", "claims/*")
    assert rules("--select", "disclaimer", "--extend-select", "claims") == {"claims/overpromise", "disclaimer/missing"}
    (site / ".health-lint.toml").write_text('[site]\ncontent-root = "content"\n[rules]\n"claims/overpromise" = false\n')
    assert "claims/overpromise" not in rules()
    assert "claims/overpromise" in rules("--extend-select", "claims/overpromise")


def test_unknown_selection_is_exit_2_with_a_suggestion(site):
    proc = run_cli("check", "content", "--select", "overpromise", cwd=site)
    assert proc.returncode == 2 and "claims/overpromise" in proc.stderr


def test_exit_zero(site):
    assert run_cli("check", "content", cwd=site).returncode == 1
    assert run_cli("check", "content", "--exit-zero", cwd=site).returncode == 0
    assert run_cli("check", "missing-folder", "--exit-zero", cwd=site).returncode == 2


def test_stdin_with_a_file_name(site):
    proc = subprocess.run([sys.executable, "-m", "health_lint", "check", "-", "--stdin-filename", "content/x.md",
                           "--format", "concise"], input=BAD_ARTICLE.encode(), cwd=site, capture_output=True,
                          env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 1
    assert b": error disclaimer/missing" in proc.stdout and proc.stdout.startswith(b"content/x.md:")
    html = subprocess.run([sys.executable, "-m", "health_lint", "check", "-", "--stdin-filename", "x.html", "-q",
                           "--select", "disclaimer"], input=b"<p>Just text.</p>", cwd=site, capture_output=True)
    assert b"x.html" in html.stdout
    bad = subprocess.run([sys.executable, "-m", "health_lint", "check", "-", "--select", "input",
                          "--format", "concise"], input=b"\xff\xfe\xfa not utf8", cwd=site, capture_output=True)
    assert b"input/" in bad.stdout


def test_concise_is_one_line_per_finding(site):
    proc = run_cli("check", "content/b.md", "--format", "concise", cwd=site)
    lines = proc.stdout.splitlines()
    assert lines[-1].startswith("1 file checked")
    for line in lines[:-1]:
        path, line_no, col, rest = line.split(":", 3)
        assert path == "content/b.md" and line_no.isdigit() and col.isdigit()
        assert rest.split()[0] in ("error", "warning", "info")


def test_gitlab_code_quality_report(site):
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    proc = run_cli("check", ".", "--format", "gitlab", "--fail-level", "never", cwd=site / "content")
    items = json.loads(proc.stdout)
    assert items and len({i["fingerprint"] for i in items}) == len(items)
    for item in items:
        assert set(item) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert item["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert item["location"]["path"].startswith("content/")  # relative to the repository root
        assert item["location"]["lines"]["begin"] >= 1
    assert any(i["severity"] == "major" and i["check_name"] == "disclaimer/missing" for i in items)
    again = json.loads(run_cli("check", "content", "--format", "gitlab", "--fail-level", "never",  # from the top
                               cwd=site).stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in items]


# -- colour, in a real terminal (script(1) gives the command a pty) -----------------
ESC = "\x1b["


def in_terminal(site, *args, env=None):
    command = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "health_lint", "check", "content/b.md", *args])
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update({"TERM": "xterm", **(env or {})})
    proc = subprocess.run(["script", "-qec", command, "/dev/null"], cwd=site, env=full_env, capture_output=True,
                          text=True, timeout=60)
    return proc.stdout


@pytest.mark.skipif(not os.path.exists("/usr/bin/script"), reason="needs script(1) for a pty")
def test_colour_in_a_terminal_and_its_switches(site):
    assert ESC in in_terminal(site)
    assert ESC not in in_terminal(site, env={"NO_COLOR": "1"})
    assert ESC in in_terminal(site, env={"NO_COLOR": ""})  # empty NO_COLOR is unset (no-color.org)
    assert ESC not in in_terminal(site, "--color", "never")
    assert ESC in in_terminal(site, "--color", "always", env={"NO_COLOR": "1"})  # the flag wins
    assert ESC not in in_terminal(site, env={"TERM": "dumb"})


def test_colour_off_a_terminal_unless_forced(site):
    plain = run_cli("check", "content/b.md", cwd=site, env={"NO_COLOR": ""})
    assert ESC not in plain.stdout
    forced = run_cli("check", "content/b.md", cwd=site, env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert ESC in forced.stdout
    assert ESC in run_cli("check", "content/b.md", "--color", "always", cwd=site).stdout
    assert run_cli("check", "content/b.md", "--color", "sometimes", cwd=site).returncode == 2
