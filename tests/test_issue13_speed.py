"""Issue 13: start-up and per-finding costs that do not show in a rule's
output but in every run's time."""
from __future__ import annotations

import subprocess
import sys

from health_lint.findings import Finding, project_path

from .conftest import FRONT, ROOT


def test_check_on_a_folder_builds_the_graph_without_networkx(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "index.md").write_text(FRONT + "# Home\n\nSee [back pain](back-pain.md).\n")
    (tmp_path / "content" / "back-pain.md").write_text(FRONT + "# Back pain\n\nSee [home](index.md) and "
                                                       "[gone](/guides/neck-pian/).\n")
    code = ("import sys\nfrom health_lint.cli import main\n"
            "try:\n    main(['check', 'content', '-f', 'json'])\nexcept SystemExit:\n    pass\n"
            "print('networkx' in sys.modules, file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert '"links/broken-internal"' in proc.stdout, proc.stderr  # the graph rules ran
    assert proc.stderr.strip().splitlines()[-1] == "False"


def test_fingerprint_paths_follow_the_current_folder(tmp_path, monkeypatch):
    """Paths are memoised per (path, root, current folder): changing folder
    must not reuse a stale answer."""
    (tmp_path / "site" / "a").mkdir(parents=True)
    f = Finding(path="a/x.md", line=1, column=1, end_line=1, end_column=1, rule="r/x", severity="error",
                message="m", snippet="s")
    monkeypatch.chdir(tmp_path / "site")
    first = project_path("a/x.md", tmp_path)
    fp_site = f.fingerprint(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert first == "site/a/x.md" and project_path("a/x.md", tmp_path) == "a/x.md"
    assert f.fingerprint(tmp_path) != fp_site
    assert project_path(str(tmp_path / "site" / "a" / "x.md"), tmp_path) == "site/a/x.md"
    assert project_path("https://example.org/a", tmp_path) == "https://example.org/a"
