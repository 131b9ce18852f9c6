"""Issue 11: `check --fix`, `--diff` and `--unsafe-fixes` with the real
command line: each fix, byte-exact elsewhere (CRLF, BOM, UTF-16 kept),
idempotent, never in front matter or code, and a file edited meanwhile is
not overwritten."""
from __future__ import annotations

import subprocess
import sys

import pytest

from health_lint import rules as rule_registry

from .conftest import FRONT, run_cli

DISCLAIMER = "This article is for general information and is not a substitute for professional medical advice."
SITE_DISCLAIMER = ("Our articles are for general information and are not a substitute for professional medical "
                   "advice.")


def fix(tmp_path, name, text, *args, data=None):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    else:
        path.write_bytes(text.encode("utf-8"))
    proc = run_cli("check", name, "--fix", "--fail-level", "never", *args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return path.read_bytes(), proc


def twice_is_once(tmp_path, name, *args):
    """A second --fix changes nothing."""
    before = (tmp_path / name).read_bytes()
    proc = run_cli("check", name, "--fix", "--fail-level", "never", *args, cwd=tmp_path)
    assert (tmp_path / name).read_bytes() == before, proc.stderr
    assert "fixed " not in proc.stderr


def test_unused_suppression_comments_are_removed(tmp_path):
    text = (f"{FRONT}# Back pain\n\n<!-- health-lint-disable-next-line claims/overpromise -->\nRest helps.\n\n"
            "Rest <!-- health-lint-disable-line claims/overpromise --> helps.\n\n"
            "<!-- health-lint-disable-next-line claims/overpromise, readability/long-sentence -->\n"
            f"This guaranteed cure works.\n\n{DISCLAIMER}\n")
    out, proc = fix(tmp_path, "a.md", text)
    assert out.decode() == (f"{FRONT}# Back pain\n\nRest helps.\n\nRest helps.\n\n"
                            "<!-- health-lint-disable-next-line claims/overpromise -->\n"
                            f"This guaranteed cure works.\n\n{DISCLAIMER}\n")
    assert proc.stderr.count("fixed a.md:") == 3
    twice_is_once(tmp_path, "a.md")


def test_http_links_to_authoritative_domains_become_https_others_stay(tmp_path):
    text = (f"{FRONT}# Sleep\n\nSee [the NHS](http://www.nhs.uk/live-well/sleep/) and [CDC][cdc], or "
            f"[a blog](http://sleepblog.example.net/).\n\n{DISCLAIMER}\n\n[cdc]: http://www.cdc.gov/sleep/\n")
    out, _ = fix(tmp_path, "a.md", text)
    assert out.decode() == text.replace("http://www.nhs", "https://www.nhs").replace("http://www.cdc",
                                                                                       "https://www.cdc")
    twice_is_once(tmp_path, "a.md")


@pytest.mark.parametrize("before, expect_at", [("", "end"), ("References", "before"), ("Not there", "end")])
def test_configured_disclaimer_is_inserted_where_the_site_says(tmp_path, before, expect_at):
    (tmp_path / ".health-lint.toml").write_text(
        f'[rules."disclaimer/missing"]\nfix-text = "{SITE_DISCLAIMER}"\nphrases = ["not a substitute for '
        f'professional medical advice"]\nfix-before-heading = "{before}"\n')
    text = f"{FRONT}# Sleep\n\nSleep well.\n\n## References\n\n1. A source.\n"
    out, _ = fix(tmp_path, "a.md", text)
    if expect_at == "end":
        assert out.decode() == text + f"\n{SITE_DISCLAIMER}\n"
    else:
        assert out.decode() == text.replace("## References", f"{SITE_DISCLAIMER}\n\n## References")
    assert "disclaimer/missing" not in run_cli("check", "a.md", cwd=tmp_path).stdout
    twice_is_once(tmp_path, "a.md")


def test_no_disclaimer_fix_without_configured_text_or_into_code(tmp_path):
    text = f"{FRONT}# Sleep\n\nSleep well.\n"
    out, _ = fix(tmp_path, "a.md", text)
    assert out.decode() == text  # nothing configured: nothing inserted
    (tmp_path / ".health-lint.toml").write_text(f'[rules."disclaimer/missing"]\nfix-text = "{DISCLAIMER}"\n')
    fenced = f"{FRONT}# Sleep\n\nSleep well.\n\n```\nunclosed code"
    out, _ = fix(tmp_path, "b.md", fenced)
    assert out.decode() == fenced


def test_disclaimer_fix_text_that_is_not_a_disclaimer_is_a_config_error(tmp_path):
    (tmp_path / ".health-lint.toml").write_text('[rules."disclaimer/missing"]\nfix-text = "Stay well!"\n')
    (tmp_path / "a.md").write_text("# T\n\nText.\n")
    proc = run_cli("check", "a.md", "--fix", cwd=tmp_path)
    assert proc.returncode == 2 and "fix-text" in proc.stderr


def test_placeholder_link_fix_is_unsafe_and_only_when_unambiguous(tmp_path):
    text = (f"{FRONT}# Asthma\n\nRead [our inhaler guide](/inhalers/) first. Later, [Our inhaler  guide](TODO) "
            f"and [a mystery](TODO) and [the plan](/plan-a/), [the plan](/plan-b/), [the plan](TODO).\n\n{DISCLAIMER}\n")
    out, _ = fix(tmp_path, "a.md", text)
    assert out.decode() == text  # unsafe: not with --fix alone
    diff = run_cli("check", "a.md", "--diff", "--unsafe-fixes", cwd=tmp_path)
    assert diff.returncode == 1 and "+Read [our inhaler guide](/inhalers/) first. Later, [Our inhaler  guide](/inhalers/)" \
        in diff.stdout
    out, _ = fix(tmp_path, "a.md", text, "--unsafe-fixes")
    assert out.decode() == text.replace("guide](TODO)", "guide](/inhalers/)")
    assert "[a mystery](TODO)" in out.decode() and "[the plan](TODO)" in out.decode()


def test_diff_writes_nothing_and_exit_codes(tmp_path):
    text = f"{FRONT}# Sleep\n\nSee [the NHS](http://www.nhs.uk/).\n\n{DISCLAIMER}\n"
    (tmp_path / "a.md").write_text(text)
    proc = run_cli("check", "a.md", "--diff", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout.startswith("--- a/a.md\n+++ b/a.md\n")
    assert "-See [the NHS](http://www.nhs.uk/)." in proc.stdout and "+See [the NHS](https://www.nhs.uk/)." in proc.stdout
    assert (tmp_path / "a.md").read_text() == text
    run_cli("check", "a.md", "--fix", cwd=tmp_path)
    assert run_cli("check", "a.md", "--diff", cwd=tmp_path).returncode == 0


def test_fix_keeps_crlf_bom_and_utf16_byte_exact(tmp_path):
    text = f"{FRONT}# Sleep\n\nSee [the NHS](http://www.nhs.uk/).\n\n{DISCLAIMER}\n"
    crlf = text.replace("\n", "\r\n")
    out, _ = fix(tmp_path, "a.md", "", data=b"\xef\xbb\xbf" + crlf.encode())
    assert out == b"\xef\xbb\xbf" + crlf.replace("http://www.nhs", "https://www.nhs").encode()
    out, _ = fix(tmp_path, "b.md", "", data=b"\xff\xfe" + text.encode("utf-16-le"))
    assert out == b"\xff\xfe" + text.replace("http://www.nhs", "https://www.nhs").encode("utf-16-le")


def test_front_matter_and_code_are_never_touched(tmp_path):
    text = ("---\ntitle: T\nauthor: Sam Lee\nreviewed_by: Dana Cruz, MD\ndate: 2026-01-10\nlast_reviewed: 2026-01-10\n"
            "source: http://www.nhs.uk/\n---\n# Sleep\n\n```markdown\n<!-- health-lint-disable-next-line claims/overpromise -->\n"
            "[the NHS](http://www.nhs.uk/)\n```\n\n    [indented](http://www.cdc.gov/)\n\n"
            f"`[span](http://www.nhs.uk/)` {DISCLAIMER}\n")
    out, _ = fix(tmp_path, "a.md", text)
    assert out.decode() == text


def test_a_file_edited_meanwhile_is_not_overwritten(tmp_path, monkeypatch):
    from health_lint import fix as fixing
    from health_lint.config import Config
    from health_lint.linter import lint

    path = tmp_path / "a.md"
    path.write_text(f"{FRONT}# Sleep\n\nSee [the NHS](http://www.nhs.uk/).\n\n{DISCLAIMER}\n")
    result = lint([str(path)], Config(root=tmp_path), project_rules=False)
    plans, notes = fixing.plan(result.findings, False, 2_000_000)
    assert len(plans) == 1
    path.write_text("# Rewritten by the editor meanwhile\n")
    assert "changed" in fixing.write(plans[0])
    assert path.read_text() == "# Rewritten by the editor meanwhile\n"
    # Changed between the check and the plan: skipped with a note.
    path.write_text(f"{FRONT}# Sleep\n\nSee [the NHS](http://www.nhs.uk/).\n\n{DISCLAIMER}\n")
    result = lint([str(path)], Config(root=tmp_path), project_rules=False)
    path.write_text(path.read_text() + "\nMore.\n")
    plans, notes = fixing.plan(result.findings, False, 2_000_000)
    assert plans == [] and "changed since it was checked" in notes[0]


def test_every_fixable_rule_documents_its_fix():
    for rule in rule_registry.registry().values():
        documented = "check --fix" in rule.doc
        assert bool(rule.fix) == documented, rule.id
        assert rule.fix in ("", "safe", "unsafe"), rule.id
    listing = run_cli("rules").stdout
    assert any(line.startswith("links/insecure ") and " fix " in line for line in listing.splitlines())
    assert "check --fix repairs it" in run_cli("explain", "links/insecure").stdout


def test_stdin_fix_is_a_usage_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "health_lint", "check", "-", "--fix"], input=b"# T\n",
                          capture_output=True, cwd=tmp_path)
    assert proc.returncode == 2
