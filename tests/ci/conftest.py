"""Helpers for the CI-integration tests: one findings set shared by every
format, an in-process CLI runner, and a real temporary git repository."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from health_lint.findings import Finding
from health_lint.reporters import Report

DISCLAIMER = "This article is for general information and is not a substitute for professional medical advice."
LONG_1 = ("Back pain can start after lifting something heavy, sitting for a long time, sleeping in an awkward "
          "position, or for no clear reason at all, and it often improves within weeks.")
LONG_2 = ("Neck pain can start after looking down at a phone, sitting at a desk for a long time, sleeping on a "
          "high pillow, or for no clear reason at all, and it usually settles within days.")
# A path with a space, a comma and non-ASCII letters: every format must cope.
ODD_PATH = "my articles/rückenschmerz, akut.md"


def article(*paragraphs: str, disclaimer: bool = True) -> str:
    body = ["# Sleep well", *paragraphs]
    if disclaimer:
        body.append(DISCLAIMER)
    return "\n\n".join(body) + "\n"


KEEP = ("readability/long-sentence", "disclaimer/missing")


def only_rules(folder: Path, keep: tuple[str, ...] = KEEP) -> Path:
    """Write a .health-lint.toml turning off every rule but ``keep`` (and the
    input/* rules), so these tests do not change when rules are added."""
    from health_lint.rules import registry

    off = [rid for rid in registry() if rid not in keep and not rid.startswith("input/")]
    path = folder / ".health-lint.toml"
    path.write_text("[rules]\n" + "".join(f'"{rid}" = false\n' for rid in off), encoding="utf-8")
    return path


@pytest.fixture
def findings_report(tmp_path, monkeypatch) -> Report:
    """The findings set every format is tested on: a finding on line 1, a
    whole-document finding, a path with spaces and unicode, and message text
    with the characters each format must escape."""
    monkeypatch.chdir(tmp_path)  # finding paths are relative to the current folder
    (tmp_path / "a.md").write_text(f"{LONG_1}\n", encoding="utf-8")
    (tmp_path / ODD_PATH).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / ODD_PATH).write_text("# Rückenschmerz\n\nText.\n", encoding="utf-8")
    (tmp_path / "clean.md").write_text(article("Short text."), encoding="utf-8")
    findings = [
        Finding(path="a.md", line=1, column=1, end_line=1, end_column=len(LONG_1) + 1,
                rule="readability/long-sentence", severity="warning",
                message="Sentence has 31 words; keep sentences to 25 or fewer.",
                hint="Split it into two sentences.", snippet=LONG_1),
        Finding(path="a.md", line=1, column=1, end_line=1, end_column=1, rule="disclaimer/missing",
                severity="error", message="No medical disclaimer found: add one, e.g. \"not a substitute\".",
                hint="Add a disclaimer paragraph.", document_level=True),
        Finding(path=ODD_PATH, line=3, column=1, end_line=3, end_column=5, rule="readability/grade",
                severity="info", message="100% sure: grade 9.1, ease 60,2\nsecond line\r\n<&> \x01",
                snippet="Text"),
    ]
    return Report(findings=findings, files=3, fail_level="error", command="check", root=tmp_path,
                  options={"paths": ["a.md", ODD_PATH, "clean.md"]})


@pytest.fixture
def cli(capsys, monkeypatch):
    """cli(*args, cwd=...) -> (exit code, stdout, stderr), running
    ``health_lint.cli.main`` in this process (fast; the real entry point)."""
    from health_lint.cli import main

    def _run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        monkeypatch.setenv("NO_COLOR", "1")
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        out, err = capsys.readouterr()
        code = exc.value.code
        return (0 if code is None else code), out, err

    return _run


GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo)}
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """An empty git repository (branch main) in a temporary folder."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "commit.gpgsign", "false")
    return path


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


# -- a loopback HTTP server for `links` ------------------------------------------------
# Fast settings for `health-lint links` against 127.0.0.1 (private addresses
# are refused unless allowed).
FAST_LINKS = """
[links]
allow-private = true
rate-limit = 0
backoff-base = 0.01
backoff-max = 0.05
connect-timeout = 2.0
read-timeout = 2.0
"""


class Loopback:
    """A real HTTP server on 127.0.0.1: ``/ok*`` answer 200, everything
    else 404."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _reply(self, body: bool) -> None:
                ok = self.path.startswith("/ok")
                payload = b"<html><body><p>fine</p></body></html>" if ok else b"not here"
                self.send_response(200 if ok else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if body:
                    self.wfile.write(payload)

            def do_GET(self):
                self._reply(True)

            def do_HEAD(self):
                self._reply(False)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def loopback():
    server = Loopback()
    yield server
    server.close()
