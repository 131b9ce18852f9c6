"""The README stays true: its rule table is the registry's."""
from __future__ import annotations

import importlib.util

from .conftest import ROOT


def test_readme_rule_table_is_up_to_date():
    spec = importlib.util.spec_from_file_location("update_readme_rules", ROOT / "tools" / "update_readme_rules.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert module.render(readme) == readme, "run: python tools/update_readme_rules.py"


def test_readme_commands_are_the_ci_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in readme and ".venv/bin/python -m pytest" in ci
    assert "pip install -q -e '.[test]'" in readme and "pip install -q -e '.[test]'" in ci
