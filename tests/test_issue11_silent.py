"""Issue 11, silent failures: broken configuration, init's commented
examples, JUnit and the fail level, stale baseline entries of deleted and
renamed files."""
from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET

import pytest
import yaml

from .conftest import FRONT, run_cli

DISCLAIMER = "This article is for general information and is not a substitute for professional medical advice."
# A commented line that is an example (a key = value or a [table]), not prose.
EXAMPLE_RE = re.compile(r"^(\s*)# ?((?:\[|\"?[A-Za-z][\w./\"-]*\"?\s*=).*)$")


def uncomment(text: str, only: int | None = None) -> str:
    """The text with every commented example (or only the ``only``-th)
    uncommented. An example is a run of consecutive commented lines of
    TOML (a table header and its keys), uncommented together as a user
    would."""
    out, n, inside = [], -1, False
    for line in text.split("\n"):
        m = EXAMPLE_RE.match(line)
        if m and not inside:
            n += 1
        inside = bool(m)
        if m and (only is None or only == n):
            line = m.group(1) + m.group(2)
        out.append(line)
    return "\n".join(out)


def count_examples(text: str) -> int:
    lines = text.split("\n")
    return sum(1 for i, line in enumerate(lines) if EXAMPLE_RE.match(line)
               and not (i and EXAMPLE_RE.match(lines[i - 1])))


@pytest.mark.parametrize("name", [".health-lint.toml", "pyproject.toml"])
def test_every_commented_example_of_init_config_is_valid_when_uncommented(tmp_path, name):
    if name == "pyproject.toml":
        (tmp_path / name).write_text('[project]\nname = "site"\n')
    (tmp_path / "drafts").mkdir()
    assert run_cli("init", "--no-workflow", "--no-pre-commit", cwd=tmp_path).returncode == 0
    text = (tmp_path / name).read_text()
    n = count_examples(text)
    assert n >= 4, text  # packs, severity/enabled, the [rules] table, overrides
    (tmp_path / "a.md").write_text(f"{FRONT}# T\n\nRest helps.\n\n{DISCLAIMER}\n")
    (tmp_path / "style" / "health-lint").mkdir(parents=True)
    for variant in [uncomment(text)] + [uncomment(text, i) for i in range(n)]:
        tomllib.loads(variant)  # valid TOML
        (tmp_path / name).write_text(variant)
        proc = run_cli("check", "a.md", cwd=tmp_path)
        assert proc.returncode in (0, 1), (variant, proc.stderr)


def test_commented_hook_of_init_pre_commit_config_is_valid_when_uncommented(tmp_path):
    assert run_cli("init", "--no-workflow", cwd=tmp_path).returncode == 0
    text = (tmp_path / ".pre-commit-config.yaml").read_text()
    variant = re.sub(r"(?m)^(\s*)# (- id: .*)$", r"\1\2", text)
    assert variant != text
    hooks = yaml.safe_load(variant)["repos"][0]["hooks"]
    assert [h["id"] for h in hooks] == ["health-lint", "health-lint-links"]


@pytest.mark.parametrize("name, text", [
    (".health-lint.toml", "fail-level = \"error\"\n[rules\n"),
    ("pyproject.toml", "[tool.health-lint]\nfail-level = error\n"),
])
def test_invalid_toml_configuration_is_exit_2_with_file_line_and_reason(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    (tmp_path / "a.md").write_text("# T\n\nRest helps.\n")
    proc = run_cli("check", "a.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert re.search(re.escape(name) + r":\d+:\d+: invalid TOML: \S", proc.stderr), proc.stderr


def _junit(tmp_path, *args):
    (tmp_path / "a.md").write_text(f"{FRONT}# T\n\nThis guaranteed cure works.\n\n{DISCLAIMER}\n")
    proc = run_cli("check", str(tmp_path / "a.md"), "--format", "junit", *args)
    return proc.returncode, ET.fromstring(proc.stdout)


def test_junit_findings_below_the_fail_level_pass(tmp_path):
    code, root = _junit(tmp_path, "--fail-level", "never")
    cases = root.findall(".//testcase")
    assert code == 0 and cases and root.get("failures") == "0"
    assert not root.findall(".//failure")
    assert all(c.find("system-out") is not None for c in cases)  # still shown
    assert "overpromise" in "".join(c.get("classname") for c in cases)


def test_junit_findings_at_the_fail_level_fail(tmp_path):
    code, root = _junit(tmp_path, "--fail-level", "warning")
    assert code == 1 and int(root.get("failures")) == len(root.findall(".//failure")) > 0
    code, root = _junit(tmp_path)  # default: error; the claims are warnings
    assert code == 0 and root.get("failures") == "0"


def _baseline_repo(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / ".health-lint.toml").write_text("")
    for name in ("a.md", "b.md"):
        (site / name).write_text(f"{FRONT}# T\n\nThis guaranteed cure works.\n\n{DISCLAIMER}\n")
    assert run_cli("check", ".", "--no-graph", "--write-baseline", "base.json", cwd=site).returncode == 0
    return site


def _stale(site):
    proc = run_cli("check", ".", "--no-graph", "--baseline", "base.json", "--format", "json", cwd=site)
    return json.loads(proc.stdout)["summary"]["baseline"]


def test_baseline_entries_of_a_deleted_file_are_stale(tmp_path):
    site = _baseline_repo(tmp_path)
    before = _stale(site)
    assert before["stale"] == 0 and before["new"] == 0
    (site / "b.md").unlink()
    after = _stale(site)
    assert after["stale"] >= 1 and after["new"] == 0


def test_baseline_entries_of_a_renamed_file_are_stale_and_its_findings_new(tmp_path):
    site = _baseline_repo(tmp_path)
    (site / "b.md").rename(site / "c.md")
    after = _stale(site)
    assert after["stale"] >= 1 and after["new"] >= 1


def test_baseline_of_one_file_check_still_ignores_other_existing_files(tmp_path):
    site = _baseline_repo(tmp_path)
    proc = run_cli("check", "a.md", "--baseline", "base.json", "--format", "json", cwd=site)
    assert json.loads(proc.stdout)["summary"]["baseline"]["stale"] == 0
