"""Regenerate the rule table in README.md from the rule registry.

    python tools/update_readme_rules.py

tests/test_readme.py fails when the table is out of date, so the README
always lists exactly the rules the code has.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def table() -> str:
    from health_lint.rules import registry

    scope_names = {"document": "check", "project": "check (folders), graph", "online": "links, crawl",
                   "input": "all", "suppression": "check"}
    lines = ["| rule | default | run by | what it reports |", "|---|---|---|---|"]
    for rule in registry().values():
        lines.append(f"| `{rule.id}` | {rule.severity} | {scope_names.get(rule.scope, rule.scope)} | {rule.summary} |")
    return "\n".join(lines)


def render(readme: str) -> str:
    block = f"{START}\n{table()}\n{END}"
    return re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, readme, flags=re.S)


if __name__ == "__main__":
    path = ROOT / "README.md"
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    print("README.md rule table updated")
