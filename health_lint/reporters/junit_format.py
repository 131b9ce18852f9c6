"""JUnit XML for CI test-report views (GitLab merge-request widget, Jenkins,
Azure Pipelines, CircleCI).

    <testsuites name="health-lint" tests="3" failures="2" errors="0" skipped="0" time="0">
      <testsuite name="articles/back-pain.md" tests="2" failures="2" ...>
        <testcase classname="disclaimer/missing" name="articles/back-pain.md:23:1" file="articles/back-pain.md" line="23">
          <failure type="error" message="No medical disclaimer found.">...</failure>
        </testcase>
      </testsuite>
      <testsuite name="articles/clean.md" tests="1" failures="0" ...>
        <testcase classname="health-lint" name="articles/clean.md" file="articles/clean.md"/>
      </testsuite>
    </testsuites>

One testsuite per file, one testcase per finding (``classname`` = rule id,
``name`` = ``path:line:col``). A finding at or above the fail level is a
``<failure>`` (``type`` = severity); one below it (a warning with the
default ``--fail-level error``, everything with ``--fail-level never``) is
a passing testcase whose ``<system-out>`` holds the finding, so the CI view
shows it without failing. One passing testcase for each checked file
without findings. Checked files are known
when the command passes their paths in ``report.options["paths"]``;
otherwise the files without findings are counted in one passing testcase.
Characters XML 1.0 forbids (control characters from a broken file) are
written as ``\\xNN``.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from ..findings import at_or_above
from .. import regexcache

# Characters allowed by XML 1.0 (https://www.w3.org/TR/xml/#charsets).
_INVALID_XML = regexcache.compile("[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def clean(text: object) -> str:
    return _INVALID_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def _el(parent, tag: str, **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag) if parent is not None else ET.Element(tag)
    for key, value in attrs.items():
        el.set(key.rstrip("_"), clean(value))
    return el


def _suite(root, name: str, tests: int, failures: int) -> ET.Element:
    return _el(root, "testsuite", name=name, tests=tests, failures=failures, errors=0, skipped=0, time="0")


def render(report, color: bool = False) -> str:
    root = _el(None, "testsuites", name="health-lint")
    total_tests = total_failures = 0
    with_findings: list[str] = []
    for path, group in groupby(report.findings, key=lambda f: f.path):
        findings = list(group)
        with_findings.append(path)
        failing = [f for f in findings if at_or_above(f.severity, report.fail_level)]
        suite = _suite(root, path, len(findings), len(failing))
        for f in findings:
            case = _el(suite, "testcase", classname=f.rule, name=f"{f.path}:{f.line}:{f.column}",
                       file=f.path, line=f.line, time="0")
            body = [f"{f.path}:{f.line}:{f.column} {f.severity} {f.rule}", f.message]
            if f.hint:
                body.append(f"How to fix: {f.hint}")
            if f.snippet and not f.document_level:
                body.append(f"Text: {f.snippet}")
            if at_or_above(f.severity, report.fail_level):
                failure = _el(case, "failure", type=f.severity, message=f.message)
                failure.text = clean("\n".join(body))
            else:  # reported, below the fail level: the test passes
                _el(case, "system-out").text = clean("\n".join(body))
        total_tests += len(findings)
        total_failures += len(failing)
    seen = set(with_findings)
    paths = report.options.get("paths")
    if paths is not None:
        for path in sorted({str(p) for p in paths} - seen):
            suite = _suite(root, path, 1, 0)
            _el(suite, "testcase", classname="health-lint", name=path, file=path, time="0")
            total_tests += 1
    else:
        clean_files = max(0, report.files - len(seen))
        if clean_files:
            suite = _suite(root, "files without findings", 1, 0)
            _el(suite, "testcase", classname="health-lint",
                name=f"{clean_files} checked file{'s' if clean_files != 1 else ''} without findings", time="0")
            total_tests += 1
    for key, value in (("tests", total_tests), ("failures", total_failures), ("errors", 0), ("skipped", 0),
                       ("time", "0")):
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
