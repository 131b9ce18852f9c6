"""The documentation site builds with `mkdocs build --strict`: a broken
link, a missing page, a rule page or configuration key without its
documentation fails this test (as it would fail the docs CI)."""
from __future__ import annotations

import html
import os
import subprocess
import sys

from health_lint import rules as rule_registry

from .conftest import ROOT


def test_docs_site_builds_strict_with_a_page_per_rule(tmp_path):
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for rule in rule_registry.registry().values():
        page = site / "rules" / rule.id.replace("/", "-") / "index.html"
        assert page.is_file(), rule.id
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert rule.summary.split("(")[0].strip()[:30] in text, rule.id
    reference = (site / "configuration-reference" / "index.html").read_text(encoding="utf-8")
    for key in ("content-root", "fail-level", "read-timeout", "max-grade", "fix-text"):
        assert key in reference, key
    formats = (site / "formats" / "index.html").read_text(encoding="utf-8")
    for fmt in ("concise", "gitlab", "sarif", "junit"):
        assert f"<code>{fmt}</code>" in formats, fmt


def test_docs_build_fails_on_a_broken_link(tmp_path):
    """The strict build is a real gate: a page with a broken link fails it."""
    import shutil

    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "docs", copy / "docs")
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    (copy / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "mkdocs_hooks.py", copy / "tools" / "mkdocs_hooks.py")
    page = copy / "docs" / "fixing.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the missing page](no-such-page.md).\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "s")],
                          cwd=copy, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode != 0 and "no-such-page.md" in proc.stdout + proc.stderr
