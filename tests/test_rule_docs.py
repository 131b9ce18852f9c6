"""Every rule documents itself, and every PASS/FAIL example in those docs is
run through the real pipeline, so the docs cannot drift from the code."""
from __future__ import annotations

import pytest

from health_lint import rules as rule_registry
from health_lint.config import Config

from .conftest import lint_text

RULES = rule_registry.registry()
EXAMPLES = [(rule.id, kind, fmt, text, options) for rule in RULES.values()
            for kind, fmt, text, options in rule_registry.doc_examples(rule.doc)]
EXT = {"markdown": "md", "html": "html", "text": "txt"}


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_documented(rule_id):
    rule = RULES[rule_id]
    sections = rule_registry.doc_sections(rule.doc)
    for title in ("what it does", "why it matters", "examples", "how to fix"):
        assert sections.get(title, "").strip(), f"{rule_id}: missing section {title!r}"
    for option in rule.default:
        assert f"``{option}``" in sections.get("options", ""), f"{rule_id}: option {option} undocumented"


@pytest.mark.parametrize("rule_id", sorted(r.id for r in RULES.values() if r.scope == "document"))
def test_document_rules_have_pass_and_fail_examples(rule_id):
    kinds = {kind for rid, kind, _, _, _ in EXAMPLES if rid == rule_id}
    assert kinds == {"PASS", "FAIL"}, f"{rule_id} needs both a PASS and a FAIL example"


@pytest.mark.parametrize("rule_id, kind, fmt, text, options", EXAMPLES,
                         ids=[f"{e[0]}-{e[1]}-{i}" for i, e in enumerate(EXAMPLES)])
def test_doc_example(rule_id, kind, fmt, text, options):
    config = Config(rules={rule_id: options}) if options else Config()
    findings = [f for f in lint_text(text, f"example.{EXT[fmt]}", config) if f.rule == rule_id]
    if kind == "FAIL":
        assert findings, f"{rule_id}: FAIL example produced no finding"
    else:
        assert not findings, f"{rule_id}: PASS example produced {[f.message for f in findings]}"
