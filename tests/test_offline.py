"""Offline by default: `check` and textstat work with the network cut.

Each command runs in a fresh process whose sockets refuse to connect or
resolve names (a sitecustomize module installs the guard before anything
else runs), so a download attempt fails loudly instead of silently working
on a developer's connected machine.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import ROOT

GUARD = '''
import socket

class NetworkCut(OSError):
    pass

def _refuse(*args, **kwargs):
    raise NetworkCut("network access attempted during an offline test")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.getaddrinfo = _refuse
socket.create_connection = _refuse
'''


@pytest.fixture
def offline_env(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(GUARD)
    return {**os.environ, "PYTHONPATH": str(tmp_path), "NO_COLOR": "1"}


def run(code_or_args, env):
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_guard_really_cuts_the_network(offline_env):
    proc = run("import urllib.request; urllib.request.urlopen('http://127.0.0.1:9/')", offline_env)
    assert proc.returncode != 0 and "network access attempted" in proc.stderr


def test_textstat_pinned_version_works_offline(offline_env):
    proc = run("import textstat; print(round(textstat.flesch_kincaid_grade('Back pain is common. It gets better.'), 1))",
               offline_env)
    assert proc.returncode == 0, proc.stderr
    assert float(proc.stdout) < 8


def test_check_works_offline(offline_env):
    proc = run(["-m", "health_lint", "check", "fixtures/articles", "--format", "json"], offline_env)
    assert proc.returncode in (0, 1), proc.stderr
    assert "network access attempted" not in proc.stderr
    assert '"readability/grade"' in proc.stdout


def test_spelling_second_opinions_work_offline(offline_env, tmp_path):
    """wordfreq ships its data: the frequency check (and the table built
    from it) works with the network cut."""
    article = tmp_path / "help.md"
    article.write_text("# Help\n\nCheck the app in your inbox. You will recieve a letter.\n\n"
                       "- Si necesita ayuda en español, llame al número gratuito de la clínica hoy.\n",
                       encoding="utf-8")
    code = "import wordfreq; print(wordfreq.zipf_frequency('inbox', 'en') > 2.5)"
    proc = run(code, offline_env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True"]
    proc = run(["-m", "health_lint", "check", str(article), "--format", "json"], offline_env)
    assert "network access attempted" not in proc.stderr, proc.stderr
    import json
    words = [f["data"]["word"] for f in json.loads(proc.stdout)["findings"] if f["rule"] == "spelling/unknown-word"]
    assert words == ["recieve"]
