"""Inline suppression comments and front-matter disables.

    <!-- health-lint-disable RULE[, RULE] -->   ...   <!-- health-lint-enable -->
    <!-- health-lint-disable-next-line RULE -->
    health-lint: {disable: [RULE, ...]}          (front matter)

A disable without rule ids disables every rule; ``family/*`` (for example
``links/*``) names every rule of a family. Findings about the whole
document (a missing disclaimer) have no line of their own: a disable comment
naming that rule anywhere in the file suppresses them, and so does a bare
disable that is never re-enabled; a bare disable/enable pair around one
passage does not. Comments inside code (examples of the syntax) are ignored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Directive, Document
from .findings import Finding, Problem

DIRECTIVE_RE = re.compile(r"<!--\s*health-lint-(disable-next-line|disable|enable)\b(.*?)-->", re.S)
ALL = "*"


def parse_directives(doc: Document) -> list[Directive]:
    """Suppression comments, except those shown as examples inside code
    (a fenced block or inline code that documents the syntax)."""
    code = [(b.start, b.end) for b in doc.blocks if b.kind == "code"]
    for b in doc.blocks:
        code.extend(b.source_span(a, z) for a, z in b.ignore)
    out = []
    for m in DIRECTIVE_RE.finditer(doc.source):
        if any(a <= m.start() < z for a, z in code):
            continue
        rules = [r for r in re.split(r"[\s,]+", m.group(2).strip()) if r]
        line, _ = doc.position(m.start())
        out.append(Directive(m.group(1), rules, line, m.start(), m.end()))
    return out


@dataclass
class Suppressor:
    """Decides, per finding, whether a comment or front matter suppresses it."""

    ranges: list[tuple[str, int, int]]  # (rule or ALL, first line, last line)
    whole_file: set[str]
    mentioned: set[str]  # rules named by any disable (for document-level findings)

    @classmethod
    def for_document(cls, doc: Document) -> "Suppressor":
        ranges: list[tuple[str, int, int]] = []
        open_: dict[str, int] = {}
        mentioned: set[str] = set()
        lines = doc.source.split("\n")
        for d in doc.directives:
            rules = d.rules or [ALL]
            if d.action == "disable-next-line":
                # The line after the comment's end (a comment may span lines).
                target = doc.position(d.end)[0] + 1
                # The next line with content (comments often sit above a blank line).
                while target <= len(lines) and not lines[target - 1].strip():
                    target += 1
                ranges.extend((r, target, target) for r in rules)
            elif d.action == "disable":
                # Named rules count for whole-document findings; a bare
                # disable only if it is never re-enabled (checked below).
                mentioned.update(d.rules)
                for r in rules:
                    open_.setdefault(r, d.line)
            else:  # enable
                targets = list(open_) if not d.rules else d.rules
                for r in targets:
                    if r in open_:
                        ranges.append((r, open_.pop(r), d.line))
        ranges.extend((r, start, 10**9) for r, start in open_.items())
        if ALL in open_:  # disabled from here to the end of the file
            mentioned.add(ALL)
        whole = set()
        fm = doc.front_matter.get("health-lint") if isinstance(doc.front_matter, dict) else None
        if isinstance(fm, dict):
            disable = fm.get("disable", [])
            whole = set([disable] if isinstance(disable, str) else disable or [])
        return cls(ranges, whole, mentioned)

    def suppresses(self, finding: Finding) -> bool:
        rule = finding.rule
        if any(_names(r, rule) for r in self.whole_file):
            return True
        if finding.document_level and any(_names(r, rule) for r in self.mentioned):
            return True
        return any(_names(r, rule) and a <= finding.line <= b for r, a, b in self.ranges)

    def unknown_rules(self, doc: Document, known) -> list[Problem]:
        problems = []
        for d in doc.directives:
            for r in d.rules:
                if r not in known and not _is_family(r, known):
                    problems.append(Problem(message=f"Suppression names unknown rule {r!r}.",
                                            hint="Check the id with `health-lint rules`.", start=d.start, end=d.end))
        for r in sorted(self.whole_file):
            if r != ALL and r not in known and not _is_family(r, known):
                problems.append(Problem(message=f"Front matter `health-lint.disable` names unknown rule {r!r}.",
                                        hint="Check the id with `health-lint rules`.", start=0, end=3))
        return problems


def _names(pattern: str, rule: str) -> bool:
    return pattern == rule or pattern == ALL or (pattern.endswith("/*") and rule.startswith(pattern[:-1]))


def _is_family(pattern: str, known) -> bool:
    return pattern.endswith("/*") and any(k.startswith(pattern[:-1]) for k in known)
