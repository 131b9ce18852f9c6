"""Configuration discovery, validation, overrides and ignore globs."""
from __future__ import annotations

import pytest

from health_lint import config as config_mod
from health_lint.config import ConfigError

from .conftest import run_cli, run_json

LONG = "word " * 30
ARTICLE = f"# Back pain\n\nThis sentence is long: {LONG.strip()}.\n"


def test_found_from_current_folder_upwards(tmp_path, write):
    write("pyproject.toml", '[project]\nname = "site"\n\n[tool.health-lint.rules."readability/long-sentence"]\nmax-words = 40\n')
    write("content/deep/a.md", ARTICLE)
    cfg = config_mod.load(start=tmp_path / "content" / "deep")
    assert cfg.path == tmp_path / "pyproject.toml"
    assert cfg.rule_config("readability/long-sentence").options["max-words"] == 40


def test_health_lint_toml_wins_and_pyproject_without_section_is_skipped(tmp_path, write):
    write("pyproject.toml", '[project]\nname = "x"\n')
    assert config_mod.find_config(tmp_path) is None
    write(".health-lint.toml", 'fail-level = "warning"\n')
    assert config_mod.load(start=tmp_path).fail_level == "warning"


@pytest.mark.parametrize("text, message", [
    ('[rules."readability/grades"]\nmax-grade = 7\n', "unknown rule 'readability/grades'"),
    ('[rules."readability/grade"]\nmax-grades = 7\n', "unknown option 'max-grades'"),
    ('[rules."readability/grade"]\nmax-grade = "seven"\n', "expected float"),
    ('[rules."readability/grade"]\nseverity = "fatal"\n', "'fatal' is not one of error, warning, info"),
    ('fail-level = "sometimes"\n', "'sometimes' is not one of"),
    ('colour = true\n', "unknown key 'colour'"),
    ('ignore = "drafts"\n', "expected a list of strings"),
    ('[[overrides]]\nrules = {}\n', "needs `files`"),
    ('[[overrides]]\nfiles = ["x/**"]\n[overrides.rules."nope/nope"]\nenabled = false\n', "unknown rule 'nope/nope'"),
    ('[site]\nbase_url = "https://x"\n', "site: unknown key 'base_url'"),
    ('this is = not toml\n', "invalid TOML"),
])
def test_bad_configuration_is_a_clear_error(tmp_path, write, text, message):
    path = write(".health-lint.toml", text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        config_mod.load(path)


def test_bad_configuration_exits_2_naming_the_problem(tmp_path, write):
    write(".health-lint.toml", '[rules."readability/grades"]\nmax-grade = 7\n')
    write("a.md", ARTICLE)
    proc = run_cli("check", "a.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert "unknown rule 'readability/grades'" in proc.stderr


def test_rule_options_severity_and_disable(tmp_path, write):
    write("a.md", ARTICLE)
    write(".health-lint.toml", '[rules."readability/long-sentence"]\nseverity = "error"\n[rules]\n"disclaimer/missing" = false\n')
    code, out = run_json("check", "a.md", cwd=tmp_path)
    rules = {f["rule"]: f["severity"] for f in out["findings"]}
    assert rules.get("readability/long-sentence") == "error"
    assert "disclaimer/missing" not in rules
    assert code == 1


def test_overrides_by_glob(tmp_path, write):
    write("kids/a.md", ARTICLE)
    write("adults/a.md", ARTICLE)
    write(".health-lint.toml", '[[overrides]]\nfiles = ["kids/**"]\n[overrides.rules."readability/long-sentence"]\nmax-words = 50\n')
    _, out = run_json("check", ".", "--no-graph", cwd=tmp_path)
    long = sorted(f["path"] for f in out["findings"] if f["rule"] == "readability/long-sentence")
    assert long == ["adults/a.md"]


def test_ignore_globs_and_explicit_config(tmp_path, write):
    write("content/a.md", ARTICLE)
    write("content/drafts/b.md", ARTICLE)
    write("conf/lint.toml", 'ignore = ["drafts/**"]\n')
    _, out = run_json("check", "content", "--no-graph", "--config", "conf/lint.toml", cwd=tmp_path)
    assert {f["path"] for f in out["findings"]} == {"content/a.md"}
    assert out["summary"]["files"] == 1


def test_missing_config_file_is_usage_error(tmp_path, write):
    write("a.md", ARTICLE)
    proc = run_cli("check", "a.md", "--config", "nope.toml", cwd=tmp_path)
    assert proc.returncode == 2 and "configuration file not found" in proc.stderr
