"""Shared test helpers: run the real CLI, parse documents, lint text."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Tests never touch the user's real cache (~/.cache/health-lint); the CLI
# subprocesses inherit this too.
os.environ.setdefault("HEALTH_LINT_CACHE_DIR", tempfile.mkdtemp(prefix="health-lint-test-cache-"))
# Date rules (stale reviews) compare with a fixed "today" in tests.
os.environ.setdefault("HEALTH_LINT_TODAY", "2026-11-25")
FIXTURES = ROOT / "fixtures"
# A shell that starts pytest in the background (`pytest &`) ignores Ctrl-C
# for it, and the CLI subprocesses would inherit that: the Ctrl-C tests
# would then test nothing. Children of a process with a handler get the
# default, so Python in them raises KeyboardInterrupt as for a user.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


# Front matter that satisfies the meta/* rules, for tests about other rules.
FRONT = "---\ntitle: T\nauthor: Sam Lee\nreviewed_by: Dana Cruz, MD\ndate: 2026-01-10\nlast_reviewed: 2026-01-10\n---\n"


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """The real command line, in a fresh process, as a user runs it."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "health_lint", *args], cwd=cwd or ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def run_json(*args: str, cwd: Path | None = None, env: dict | None = None) -> tuple[int, dict]:
    proc = run_cli(*args, "--format", "json", cwd=cwd, env=env)
    assert proc.stdout, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def lint_text(text: str, name: str = "article.md", config=None, tmp_path: Path | None = None):
    """Lint one in-memory article through the real pipeline (parse, rules,
    suppression); returns the findings."""
    from health_lint import config as config_mod
    from health_lint import parsers
    from health_lint.linter import Checker

    cfg = config or config_mod.Config()
    fmt = parsers.format_of(name) or "text"
    doc = parsers.parse(text, name, fmt)
    return Checker(cfg).check_document(doc).findings


def rules_of(findings) -> list[str]:
    return [f.rule for f in findings]


@pytest.fixture
def write(tmp_path):
    """write("a/b.md", text) -> Path, creating folders."""

    def _write(rel: str, text: str | bytes) -> Path:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write
