"""`health-lint check` end to end: exit codes, bad input, output, order."""
from __future__ import annotations

import os

import pytest

from .conftest import FIXTURES, FRONT, run_cli, run_json

CLEAN = FRONT + """# Knee pain

Most knee pain gets better with rest, ice and gentle movement.

This article is for general information and is not a substitute for professional medical advice.
"""
LONG = FRONT + "# T\n\n" + " ".join(["word"] * 30) + ".\n\nThis article is for general information and is not a substitute for professional medical advice.\n"


def test_exit_codes_follow_fail_level(tmp_path, write):
    write("warn.md", LONG)  # one warning (long sentence), no error
    assert run_cli("check", "warn.md", "--fail-level", "error", cwd=tmp_path).returncode == 0
    assert run_cli("check", "warn.md", "--fail-level", "warning", cwd=tmp_path).returncode == 1
    assert run_cli("check", "warn.md", "--fail-level", "never", cwd=tmp_path).returncode == 0
    proc = run_cli("check", "warn.md", "--fail-level", "bogus", cwd=tmp_path)
    assert proc.returncode == 2 and "--fail-level" in proc.stderr


def test_missing_path_is_usage_error(tmp_path):
    proc = run_cli("check", "no-such-file.md", cwd=tmp_path)
    assert proc.returncode == 2
    assert "path does not exist: no-such-file.md" in proc.stderr


def test_unknown_command_option_is_usage_error(tmp_path):
    assert run_cli("check", "--no-such-option", cwd=tmp_path).returncode == 2
    assert run_cli("explain", "readability/grades", cwd=tmp_path).returncode == 2


@pytest.mark.parametrize("name, content, rule, line", [
    ("bad.md", b"Back pain \xff is common.\n", "input/invalid-utf8", 1),
    ("pic.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "input/binary", 1),
    ("fm.md", b"---\ntitle: ok\nauthor: [unclosed\n---\n# T\n", "input/front-matter", 4),
    ("open.md", b"---\ntitle: never closed\n# T\n", "input/front-matter", 1),
    ("list.md", b"---\n- a\n- b\n---\n# T\n", "input/front-matter", 2),
    ("empty.md", b"  \n\n", "input/empty", 1),
    ("page.html", b"<html><body><main><div><p>Text.</main></body></html>", "input/malformed-html", 1),
])
def test_bad_input_reported_and_others_still_checked(tmp_path, write, name, content, rule, line):
    write(name, content)
    write("good.md", LONG)
    code, out = run_json("check", name, "good.md", cwd=tmp_path)
    by_path = {}
    for f in out["findings"]:
        by_path.setdefault(f["path"], []).append(f)
    assert [f["rule"] for f in by_path[name] if f["rule"].startswith("input/")] == [rule]
    assert next(f for f in by_path[name] if f["rule"] == rule)["line"] == line
    # The good file was still checked.
    assert [f["rule"] for f in by_path["good.md"]] == ["readability/long-sentence"]
    assert out["summary"]["files"] == 2


def test_too_large_and_unreadable(tmp_path, write):
    write(".health-lint.toml", "max-file-size = 100\n")
    write("big.md", "# T\n\n" + "word " * 100)
    unreadable = write("locked.md", CLEAN)
    os.chmod(unreadable, 0)
    _, out = run_json("check", "big.md", "locked.md", cwd=tmp_path)
    rules = {f["path"]: f["rule"] for f in out["findings"]}
    assert rules["big.md"] == "input/too-large"
    if os.geteuid() != 0:  # root can read anything, whatever the permissions
        assert rules["locked.md"] == "input/unreadable"
    # A link to a deleted file is unreadable for everyone, root included.
    (tmp_path / "gone.md").symlink_to(tmp_path / "deleted.md")
    _, out = run_json("check", "gone.md", "big.md", cwd=tmp_path)
    found = {f["path"]: (f["rule"], f["message"]) for f in out["findings"]}
    assert found["gone.md"][0] == "input/unreadable" and "No such file" in found["gone.md"][1]
    assert found["big.md"][0] == "input/too-large"  # and the other file was still checked
    folder = write("dir.md/x.txt", "x")  # a folder named like a file is walked, not read
    assert folder.exists()


def test_clean_article_has_no_findings(tmp_path, write):
    write("clean.md", CLEAN)
    code, out = run_json("check", "clean.md", cwd=tmp_path)
    assert out["findings"] == [] and code == 0


def test_text_output_grouped_with_hint_and_summary(tmp_path, write):
    write("a.md", LONG)
    proc = run_cli("check", "a.md", cwd=tmp_path)
    lines = proc.stdout.splitlines()
    assert lines[0] == "a.md"
    assert lines[1].startswith("  a.md:10:1 warning readability/long-sentence  Sentence has 30 words")
    assert lines[2].strip().startswith("hint: ")
    assert lines[-1] == "1 file checked: 0 errors, 1 warning, 0 info"
    assert "\033[" not in proc.stdout  # no colour when not a terminal


def test_folder_paths_are_shown_under_the_given_folder(tmp_path, write):
    write("content/sub/a.md", LONG)
    _, out = run_json("check", "content", "--no-graph", cwd=tmp_path)
    assert [f["path"] for f in out["findings"]] == ["content/sub/a.md"]


def test_parallel_output_is_deterministic(tmp_path, write):
    for i in range(40):
        write(f"c/{i:02d}.md", LONG if i % 3 else CLEAN)
    one = run_cli("check", "c", "--no-graph", "--jobs", "1", "--format", "json", cwd=tmp_path).stdout
    two = run_cli("check", "c", "--no-graph", "--jobs", "2", "--format", "json", cwd=tmp_path).stdout
    assert one == two and one.count("readability/long-sentence") > 20


def test_fixture_articles_known_defects():
    _, out = run_json("check", "fixtures/articles/thoracic-spine-pain.md", "fixtures/articles/thoracic-spine-pain.html")
    for path in ("fixtures/articles/thoracic-spine-pain.md", "fixtures/articles/thoracic-spine-pain.html"):
        rules = {f["rule"] for f in out["findings"] if f["path"] == path}
        assert {"readability/grade", "readability/long-sentence", "disclaimer/missing"} <= rules, path
    grade = next(f for f in out["findings"] if f["rule"] == "readability/grade")
    assert 'Hardest section: "Why It\'s Easy to Misdiagnose Thoracic Pain"' in grade["message"] or \
        "Hardest section: \"Why It’s Easy to Misdiagnose Thoracic Pain\"" in grade["message"]


def test_bad_fixtures_each_reported():
    _, out = run_json("check", str(FIXTURES / "bad"))
    rules = {os.path.basename(f["path"]): f["rule"] for f in out["findings"] if f["rule"].startswith("input/")}
    assert rules == {"invalid-utf8.md": "input/invalid-utf8", "image-renamed.md": "input/binary",
                     "broken-front-matter.md": "input/front-matter", "empty.md": "input/empty",
                     "malformed.html": "input/malformed-html"}


def test_python_dash_m_and_version():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("health-lint ")


def test_rules_and_explain():
    proc = run_cli("rules")
    assert proc.returncode == 0
    assert any(line.startswith("readability/grade ") for line in proc.stdout.splitlines())
    proc = run_cli("explain", "readability/grade")
    assert proc.returncode == 0
    for section in ("What it does", "Why it matters", "Options", "Examples", "How to fix", "max-grade"):
        assert section in proc.stdout
