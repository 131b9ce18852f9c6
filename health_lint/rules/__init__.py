"""The rule registry.

Each module in this package is one rule (yamllint style): its docstring is
the user documentation (What it does / Why it matters / Options / Examples /
How to fix), then::

    ID = "readability/grade"      # stable: users write it in config
    SEVERITY = "warning"          # default severity
    SCOPE = "document"            # document | project | online | input
    FIX = "safe"                  # optional: `check --fix` can repair it (safe | unsafe)
    CONF = {"max-grade": float}   # option types
    DEFAULT = {"max-grade": 8.0}  # option defaults

    def check(document, options, context): yield Problem(...)

Optional: ``LANGUAGES = ("en",)`` for rules whose packs or formulas are
English-only (a document that declares another language skips them), and
``def validate(options, packs) -> list[str]`` for checks of option values
beyond their type (ranges, ids that must exist in the packs); each message
becomes a configuration error (exit 2).

Project rules (``SCOPE = "project"``) define ``check_project(documents,
options_for, context)`` yielding ``(document, Problem)``. Online and input
rules have no check function: their findings come from the link checker and
the file loader, but they are documented and configurable like any other.
A module may instead define ``RULES``, a list of such namespaces, for a family
of rules that share one implementation.
"""
from __future__ import annotations

import datetime as _dt
import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from functools import lru_cache
from types import ModuleType, SimpleNamespace
from typing import Any, Callable

from ..findings import SEVERITIES
from .. import regexcache


@dataclass
class Rule:
    """A rule as loaded from its module: id, severity, scope, options and check."""

    id: str
    severity: str
    scope: str
    doc: str
    conf: dict[str, Any]
    default: dict[str, Any]
    check: Callable | None = None
    check_project: Callable | None = None
    # Optional: more documentation generated from the loaded packs.
    explain_packs: Callable | None = None
    validate: Callable | None = None
    languages: tuple[str, ...] = ()  # empty: any language
    module: str = ""
    fix: str = ""  # "safe" or "unsafe" when `check --fix` can repair its findings (FIX in the module)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.id

    def section(self, title: str) -> str:
        """The text of one docstring section ("What it does", "How to fix")."""
        return doc_sections(self.doc).get(title.lower(), "")


@dataclass
class RuleContext:
    """What a rule may use besides the document: loaded packs, the date
    (fixed in tests), and settings shared by several rules."""

    packs: Any
    today: _dt.date = field(default_factory=_dt.date.today)
    settings: dict[str, Any] = field(default_factory=dict)


def _rule_from(ns: Any, module: str) -> Rule:
    rule = Rule(
        id=ns.ID,
        severity=ns.SEVERITY,
        scope=getattr(ns, "SCOPE", "document"),
        doc=(getattr(ns, "DOC", None) or getattr(ns, "__doc__", None) or "").strip("\n"),
        conf=dict(getattr(ns, "CONF", {})),
        default=dict(getattr(ns, "DEFAULT", {})),
        check=getattr(ns, "check", None),
        check_project=getattr(ns, "check_project", None),
        explain_packs=getattr(ns, "explain_packs", None),
        validate=getattr(ns, "validate", None),
        languages=tuple(getattr(ns, "LANGUAGES", ())),
        module=module,
        fix=getattr(ns, "FIX", ""),
    )
    if rule.severity not in SEVERITIES:
        raise ValueError(f"rule {rule.id}: bad default severity {rule.severity!r}")
    if set(rule.conf) != set(rule.default):
        raise ValueError(f"rule {rule.id}: CONF and DEFAULT must name the same options")
    return rule


@lru_cache(maxsize=1)
def registry() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module: ModuleType = importlib.import_module(f"{__name__}.{info.name}")
        entries = getattr(module, "RULES", None) or [module]
        for entry in entries:
            if isinstance(entry, dict):
                entry = SimpleNamespace(**entry)
            rule = _rule_from(entry, module.__name__)
            if rule.id in rules:
                raise ValueError(f"duplicate rule id {rule.id}")
            rules[rule.id] = rule
    return dict(sorted(rules.items()))


def get(rule_id: str) -> Rule | None:
    return registry().get(rule_id)


_SECTION_RE = regexcache.compile(r"^([A-Z][A-Za-z /]+)\n[-=]{3,}\s*$", re.M)


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into its titled sections."""
    parts = _SECTION_RE.split(doc)
    out = {"summary": parts[0].strip()}
    for i in range(1, len(parts) - 1, 2):
        out[parts[i].strip().lower()] = parts[i + 1].strip("\n")
    return out


_EXAMPLE_RE = regexcache.compile(r"^(PASS|FAIL)(?: \((markdown|html|text)\))?(?: with (.+?))?:\s*\n((?:\n|    .*\n?)+)", re.M)


def doc_examples(doc: str) -> list[tuple[str, str, str, dict]]:
    """(PASS|FAIL, format, example text, rule options) for each example in a
    docstring. Examples are indented four spaces under a ``PASS:`` or
    ``FAIL:`` line; ``FAIL (html) with max-words = 10:`` sets the format and
    options (TOML key = value pairs, comma-separated)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    out = []
    for m in _EXAMPLE_RE.finditer(doc):
        body = "\n".join(line[4:] if line.startswith("    ") else "" for line in m.group(4).split("\n"))
        options = tomllib.loads(f"o = {{{m.group(3)}}}")["o"] if m.group(3) else {}
        out.append((m.group(1), m.group(2) or "markdown", body.strip("\n") + "\n", options))
    return out
