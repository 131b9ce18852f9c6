"""Issue 11: suppression variants people know (markdownlint spellings),
comments not understood disable nothing, and unused suppressions."""
from __future__ import annotations

import pytest

from .conftest import FRONT, lint_text, rules_of, run_json

CLAIM = "This guaranteed cure works instantly."
DISCLAIMER = "This article is for general information and is not a substitute for professional medical advice."


def claims(findings):
    return [f.line for f in findings if f.rule == "claims/overpromise"]


def of(findings, rule):
    return [f for f in findings if f.rule == rule]


def test_disable_line_alone_on_its_line_hides_nothing_below_and_is_unused():
    # The case: read as a bare range disable it hid a claim four lines on.
    text = f"# T\n\n<!-- health-lint-disable-line claims/overpromise -->\nRest helps.\n\nMore.\n\n{CLAIM}\n"
    found = lint_text(text)
    assert set(claims(found)) == {8}
    assert [f.line for f in of(found, "suppression/unused")] == [3]
    assert not of(found, "suppression/invalid")


def test_disable_line_on_the_same_line_suppresses_that_line_only():
    text = f"# T\n\n{CLAIM} <!-- health-lint-disable-line claims/overpromise -->\n\n{CLAIM}\n"
    found = lint_text(text)
    assert set(claims(found)) == {5}
    assert not of(found, "suppression/unused")


def test_disable_next_line_is_used():
    text = f"# T\n\n<!-- health-lint-disable-next-line claims/overpromise -->\n{CLAIM}\n\n{CLAIM}\n"
    found = lint_text(text)
    assert set(claims(found)) == {6}
    assert not of(found, "suppression/unused")


def test_disable_file_covers_the_whole_file_from_anywhere():
    text = f"# T\n\n{CLAIM}\n\n<!-- health-lint-disable-file claims/overpromise -->\n\n{CLAIM}\n"
    found = lint_text(text)
    assert claims(found) == [] and not of(found, "suppression/unused")


@pytest.mark.parametrize("comment", [
    "<!-- health-lint-disable-range claims/overpromise -->",
    "<!-- health-lint: disable claims/overpromise -->",
    "<!-- HEALTH-LINT-DISABLE claims/overpromise -->",
    "<!-- health-lint disable -->",
    "<!-- health-lint-disable claims/overpromise because it is quoted -->",
    "<!-- health-lint-disable-file-please -->",
])
def test_a_comment_not_understood_is_reported_and_disables_nothing(comment):
    text = f"# T\n\n{comment}\n\n{CLAIM}\n"
    found = lint_text(text)
    assert [f.line for f in of(found, "suppression/invalid")] == [3]
    assert set(claims(found)) == {5}


def test_unrelated_comments_are_not_directives():
    text = f"# T\n\n<!-- TODO: ask health-lint people -->\n<!-- health-linter -->\n\n{CLAIM}\n"
    found = lint_text(text)
    assert not of(found, "suppression/invalid") and set(claims(found)) == {6}


def test_unused_names_only_the_idle_rule_ids():
    text = f"# T\n\n<!-- health-lint-disable-next-line claims/overpromise, readability/long-sentence -->\n{CLAIM}\n"
    unused = of(lint_text(text), "suppression/unused")
    assert len(unused) == 1 and "'readability/long-sentence'" in unused[0].message
    assert "claims/overpromise" not in unused[0].message


def test_used_range_disable_and_document_level_disable_are_not_unused():
    text = (f"# T\n\n<!-- health-lint-disable claims/overpromise -->\n{CLAIM}\n<!-- health-lint-enable -->\n\n"
            "<!-- health-lint-disable disclaimer/missing -->\n")
    found = lint_text(text)
    assert not of(found, "suppression/unused") and not of(found, "disclaimer/missing")


def test_a_rule_that_did_not_run_is_never_judged_unused():
    from health_lint.config import Config

    text = f"# T\n\n<!-- health-lint-disable-next-line claims/overpromise -->\nRest helps.\n"
    off = Config(rules={"claims/overpromise": {"enabled": False}})
    assert not of(lint_text(text, config=off), "suppression/unused")
    # Online and link-graph rules do not run on one file: not judged.
    for rule in ("links/broken", "links/broken-internal", "links/*", "*"):
        text = f"# T\n\n<!-- health-lint-disable-next-line {rule} -->\nRest helps.\n"
        assert not of(lint_text(text), "suppression/unused"), rule


def test_graph_rule_suppression_is_judged_when_the_graph_runs(tmp_path):
    (tmp_path / "index.md").write_text(f"{FRONT}# Home\n\n[Back](back.md) and [gone](gone.md).\n\n{DISCLAIMER}\n")
    (tmp_path / "back.md").write_text(f"{FRONT}# Back\n\n[Home](index.md)\n\n"
                                      "<!-- health-lint-disable-next-line links/broken-internal -->\n"
                                      "[Home](index.md)\n\n" + DISCLAIMER + "\n")
    (tmp_path / "used.md").write_text(f"{FRONT}# Used\n\n[Home](index.md)\n\n"
                                      "<!-- health-lint-disable-next-line links/broken-internal -->\n"
                                      "[Missing](missing.md)\n\n" + DISCLAIMER + "\n")
    code, report = run_json("check", str(tmp_path), "--fail-level", "never")
    unused = [(f["path"].rsplit("/", 1)[-1], f["line"]) for f in report["findings"] if f["rule"] == "suppression/unused"]
    assert unused == [("back.md", 12)]
    assert not [f for f in report["findings"] if f["rule"] == "links/broken-internal" and "used.md" in f["path"]]
