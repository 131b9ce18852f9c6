"""Exit codes, `--output`, and `health-lint init`."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import yaml

from health_lint import config as config_mod
from health_lint.cli_init import add_pre_commit_entry, remove_pyproject_section, starter_config
from health_lint.rules import registry

from ..conftest import run_cli
from .conftest import LONG_1, article, only_rules


# -- exit codes ------------------------------------------------------------------------
def test_exit_codes_0_1_2_from_the_real_command(tmp_path):
    only_rules(tmp_path)
    (tmp_path / "ok.md").write_text(article("Short."), encoding="utf-8")
    (tmp_path / "bad.md").write_text(article(LONG_1, disclaimer=False), encoding="utf-8")
    assert run_cli("check", "ok.md", "--format", "sarif", cwd=tmp_path).returncode == 0
    proc = run_cli("check", "bad.md", "--format", "github", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout.startswith("::error ")
    proc = run_cli("check", "bad.md", "--format", "xml", cwd=tmp_path)
    assert proc.returncode == 2 and "unknown format 'xml'" in proc.stderr
    proc = run_cli("check", "bad.md", "--format", "github", "--max-annotations", "-1", cwd=tmp_path)
    assert proc.returncode == 2 and "--max-annotations" in proc.stderr


def test_exit_code_3_on_an_internal_error(cli, tmp_path, monkeypatch):
    """A rule that crashes is a bug in health-lint: exit 3 and ask for a report."""
    only_rules(tmp_path)
    (tmp_path / "a.md").write_text(article("Short."), encoding="utf-8")
    rule = registry()["readability/long-sentence"]

    def crash(document, options, context):
        raise ZeroDivisionError("division by zero")
        yield  # pragma: no cover

    monkeypatch.setattr(rule, "check", crash)
    code, out, err = cli("check", "a.md", "--format", "sarif", cwd=tmp_path)
    assert code == 3
    assert "internal error" in err and "readability/long-sentence" in err and "ZeroDivisionError" in err
    assert "Please report it" in err
    assert "Traceback" not in err


def test_output_writes_the_report_and_shows_the_summary(tmp_path):
    only_rules(tmp_path)
    (tmp_path / "bad.md").write_text(article(LONG_1, disclaimer=False), encoding="utf-8")
    for fmt in ("sarif", "junit", "github", "json"):
        target = tmp_path / "reports" / f"out.{fmt}"
        proc = run_cli("check", "bad.md", "--format", fmt, "--output", str(target), cwd=tmp_path)
        assert proc.returncode == 1
        assert proc.stdout.strip() == (f"1 file checked: 1 error, 1 warning, 0 info. Report written to {target}.")
        text = target.read_text(encoding="utf-8")
        assert "disclaimer/missing" in text and "readability/long-sentence" in text
    assert json.loads((tmp_path / "reports" / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_output_keeps_the_commands_summary_sections_on_the_terminal(cli, tmp_path):
    """`graph -o`: the link-graph summary still reaches the terminal."""
    only_rules(tmp_path, ("links/broken-internal",))
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "index.md").write_text("# Home\n\nSee [b](b.md) and [x](nope.md).\n", encoding="utf-8")
    (tmp_path / "content" / "b.md").write_text("# B\n\nBack [home](index.md).\n", encoding="utf-8")
    code, out, err = cli("graph", "content", "--output", "r.txt", cwd=tmp_path)
    assert code == 1, err
    assert "Link graph" in out and "broken links: 1" in out
    assert out.rstrip().endswith("2 files checked: 1 error, 0 warnings, 0 info. Report written to r.txt.")
    assert "links/broken-internal" in (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert "links/broken-internal" not in out   # the findings themselves are in the file


def test_output_to_an_unwritable_place_is_a_usage_error(cli, tmp_path):
    only_rules(tmp_path)
    (tmp_path / "a.md").write_text(article("Short."), encoding="utf-8")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, out, err = cli("check", "a.md", "--format", "sarif", "--output", "afile/report.sarif", cwd=tmp_path)
    assert code == 2 and "cannot write the report to afile/report.sarif" in err
    assert "internal error" not in err


# -- init --------------------------------------------------------------------------
def test_init_in_an_empty_folder(cli, tmp_path):
    (tmp_path / "content").mkdir()
    code, out, err = cli("init", cwd=tmp_path)
    assert code == 0, err
    assert "wrote    .health-lint.toml" in out and "wrote    .pre-commit-config.yaml" in out
    assert f"wrote    {Path('.github/workflows/health-lint.yml')}" in out
    cfg = config_mod.load(tmp_path / ".health-lint.toml")    # the starter loads without errors
    assert cfg.fail_level == "error" and cfg.rules["readability/grade"] == {"max-grade": 8.0}
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["repo"].endswith("/health-lint") and hooks["repos"][0]["hooks"] == [{"id": "health-lint"}]
    wf = yaml.safe_load((tmp_path / ".github/workflows/health-lint.yml").read_text(encoding="utf-8"))
    steps = wf["jobs"]["health-lint"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "health-lint.sarif" and upload["if"] == "always()"
    # Forks and repositories without code scanning: a failed upload must not
    # fail the job nor skip the gate.
    assert upload["continue-on-error"] is True
    gate = next(s for s in steps if s.get("name") == "health-lint (gate)")
    assert gate["if"] == "always()" and "--diff-base" in gate["run"]
    assert any("check content --format sarif --output health-lint.sarif" in s.get("run", "") for s in steps)
    assert wf["permissions"]["security-events"] == "write"
    # The workflow's check works here as written.
    assert cli("check", "content", "--format", "sarif", "--output", "health-lint.sarif", "--fail-level", "never",
               cwd=tmp_path)[0] in (0,)


def test_init_never_overwrites_without_force(cli, tmp_path):
    (tmp_path / ".health-lint.toml").write_text("# mine\n", encoding="utf-8")
    wf = tmp_path / ".github" / "workflows" / "health-lint.yml"
    wf.parent.mkdir(parents=True)
    wf.write_text("# my workflow\n", encoding="utf-8")
    code, out, err = cli("init", cwd=tmp_path)
    assert code == 0
    assert "skipped  .health-lint.toml: exists (use --force to overwrite it)" in out
    assert (tmp_path / ".health-lint.toml").read_text(encoding="utf-8") == "# mine\n"
    assert wf.read_text(encoding="utf-8") == "# my workflow\n"
    pc = (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    code, out, err = cli("init", cwd=tmp_path)
    assert "already has a health-lint hook (use --force to replace it)" in out
    assert (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8") == pc
    code, out, err = cli("init", "--force", cwd=tmp_path)
    assert code == 0 and "skipped" not in out
    config_mod.load(tmp_path / ".health-lint.toml")
    assert "upload-sarif" in wf.read_text(encoding="utf-8")
    assert yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]


PYPROJECT = """\
[project]
name   =   "my-site"     # odd spacing that a TOML writer would normalise
version = "1.0"

[tool.black]
line-length = 100
"""


def test_init_appends_to_pyproject_without_reformatting(cli, tmp_path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    code, out, err = cli("init", "--no-pre-commit", "--no-workflow", cwd=tmp_path)
    assert code == 0 and "appended a [tool.health-lint] section" in out
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith(PYPROJECT)
    assert not (tmp_path / ".health-lint.toml").exists() and not (tmp_path / ".pre-commit-config.yaml").exists()
    cfg = config_mod.load(None, start=tmp_path)   # found by the normal search
    assert cfg.path == tmp_path / "pyproject.toml" and cfg.rules["readability/long-sentence"] == {"max-words": 25}
    code, out, err = cli("init", "--no-pre-commit", "--no-workflow", cwd=tmp_path)
    assert "already has [tool.health-lint]" in out
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == text
    # --force replaces our section only, once.
    (tmp_path / "pyproject.toml").write_text(text.replace("max-words = 25", "max-words = 30") + "\n[tool.ruff]\nx = 1\n",
                                             encoding="utf-8")
    code, out, err = cli("init", "--no-pre-commit", "--no-workflow", "--force", cwd=tmp_path)
    new = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert new.startswith(PYPROJECT) and "[tool.ruff]\nx = 1\n" in new
    assert new.count("[tool.health-lint]") == 1 and "max-words = 25" in new
    config_mod.load(tmp_path / "pyproject.toml")


def test_starter_config_loads_both_ways():
    config_mod.from_dict(__import__("tomllib").loads(starter_config(in_pyproject=False)))
    data = __import__("tomllib").loads(starter_config(in_pyproject=True))
    config_mod.from_dict(data["tool"]["health-lint"])


EXISTING_PC = """\
# my hooks
default_stages: [pre-commit]
repos:
- repo: https://github.com/pre-commit/pre-commit-hooks
  rev: v4.6.0
  hooks:
  - id: trailing-whitespace   # keep

# trailing comment
"""


def test_pre_commit_entry_is_appended_in_the_files_own_style():
    new, reason = add_pre_commit_entry(EXISTING_PC, force=False)
    assert reason == "added the health-lint hook"
    assert new.startswith(EXISTING_PC.split("\n# trailing")[0])
    data = yaml.safe_load(new)
    assert [r["repo"].rsplit("/", 1)[-1] for r in data["repos"]] == ["pre-commit-hooks", "health-lint"]
    assert data["default_stages"] == ["pre-commit"]
    assert "# trailing comment" in new and "# keep" in new
    again, reason = add_pre_commit_entry(new, force=False)
    assert again is None and "already has a health-lint hook" in reason
    replaced, reason = add_pre_commit_entry(new.replace("rev: v0.1.0", "rev: v0.0.1"), force=True)
    assert reason == "replaced the health-lint hook" and yaml.safe_load(replaced) == data
    flow, reason = add_pre_commit_entry("repos: []\n", force=False)
    assert flow is None and "add the hook by hand" in reason


def test_remove_pyproject_section_keeps_other_tables():
    text = PYPROJECT + '\n[tool.health-lint]\nfail-level = "error"\n\n[tool.health-lint.rules."readability/grade"]\nmax-grade = 7\n\n[tool.x]\ny = 1\n'
    out = remove_pyproject_section(text)
    assert "health-lint" not in out and out.startswith(PYPROJECT) and out.endswith("[tool.x]\ny = 1\n")


def test_docs_show_the_workflow_init_writes():
    from health_lint.cli_init import workflow

    # The workflow moved with the reference from the README to the docs site.
    readme = (Path(__file__).resolve().parents[2] / "docs" / "ci.md").read_text(encoding="utf-8")
    section = readme.split("## GitHub Actions", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert yaml.safe_load(block) == yaml.safe_load(workflow("content"))
    # Comments too: the README is the workflow, minus the "written by" line.
    assert block == workflow("content").split("\n", 1)[1]
