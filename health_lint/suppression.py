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
from dataclasses import dataclass, field

from .document import Directive, Document
from .findings import Finding, Problem

DIRECTIVE_RE = re.compile(r"<!--\s*health-lint-(disable-next-line|disable|enable)\b(.*?)-->", re.S)
ALL = "*"
# What a rule id looks like: family/name, a family/* pattern, or * (all).
RULE_ID_RE = re.compile(r"^(?:[a-z0-9][a-z0-9_-]*/(?:[a-z0-9][a-z0-9_-]*|\*)|\*)$")

# Markup a comment-like text can hide in without being a comment: an HTML
# tag (its attribute values), a Markdown link destination and title, a code
# span. Scanning left to right, whatever starts first wins, as in a browser.
_TAG_RE = re.compile(r"""</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""")
_LINK_TAIL_RE = re.compile(r"""\]\((?:[^()"'\\]|\\.|"[^"]*"|'[^']*'|\([^()]*\))*\)""")
_RAW_TEXT_RE = re.compile(r"<(script|style|textarea)\b.*?</\1\s*>", re.S | re.I)
_INTERESTING_RE = re.compile(r"<!--|<[A-Za-z/]|\]\(|`+|^[ ]{0,3}\[", re.M)
# A reference definition, its title possibly on the next line.
_REF_DEF_RE = re.compile(r"""[ ]{0,3}\[(?:[^\]\\\n]|\\.)+\]:[^\n]*(?:\n[ \t]+["'(][^\n]*)?""")


@dataclass
class _Comment:
    start: int
    end: int  # -1: never closed


def real_comments(doc: Document) -> list[_Comment]:
    """HTML comments as a browser or Markdown renderer sees them: not the
    comment-like text inside front matter, code, an HTML attribute or a
    Markdown link title (which would otherwise be hidden suppressions)."""
    source = doc.source
    code = sorted((b.start, b.end) for b in doc.blocks if b.kind == "code")
    markdown = doc.format == "markdown"
    out: list[_Comment] = []
    pos = doc.body_start
    while True:
        m = _INTERESTING_RE.search(source, pos)
        if m is None:
            return out
        at = m.start()
        block = next(((a, z) for a, z in code if a <= at < z), None)
        if block is not None:  # a fenced or indented code block: an example
            pos = block[1]
            continue
        token = m.group()
        if token == "<!--":
            end = source.find("-->", at + 4)
            out.append(_Comment(at, -1 if end < 0 else end + 3))
            if end < 0:
                return out
            pos = end + 3
        elif token.startswith("`"):
            if not markdown:
                pos = m.end()
                continue
            # A code span ends at the next run of exactly as many backticks.
            close = re.compile(r"(?<!`)" + token + r"(?!`)").search(source, m.end())
            pos = close.end() if close else m.end()
        elif token == "](":
            tail = _LINK_TAIL_RE.match(source, at) if markdown else None
            pos = tail.end() if tail else at + 2
        elif token.endswith("["):
            definition = _REF_DEF_RE.match(source, at) if markdown else None
            pos = definition.end() if definition else m.end()
        else:
            raw = _RAW_TEXT_RE.match(source, at)
            tag = raw or _TAG_RE.match(source, at)
            pos = tag.end() if tag else at + 1


def parse_directives(doc: Document) -> list[Directive]:
    """Suppression directives: real HTML comments only (see
    ``real_comments``). A comment that names words that are not rule ids
    (an unclosed comment running into the text) keeps the rule ids before
    them; the rest is reported once by ``Suppressor.unknown_rules``."""
    out = []
    for c in real_comments(doc):
        text = doc.source[c.start:] if c.end < 0 else doc.source[c.start:c.end]
        m = re.match(r"<!--\s*health-lint-(disable-next-line|disable|enable)\b", text)
        if m is None:
            continue
        body = text[m.end():]
        if c.end >= 0:
            body = body[:-3]
        words = [w for w in re.split(r"[\s,]+", body.strip()) if w]
        rules: list[str] = []
        for w in words:
            if not RULE_ID_RE.match(w):
                break
            rules.append(w)
        stray = words[len(rules):]
        line, _ = doc.position(c.start)
        end = len(doc.source) if c.end < 0 else c.end
        directive = Directive(m.group(1), rules, line, c.start, end)
        if c.end < 0:
            directive.problem = "is never closed (no `-->`)"
        elif stray:
            shown = " ".join(stray[:3]) + (" ..." if len(stray) > 3 else "")
            directive.problem = f"holds {shown!r}, which is not a rule id (is its `-->` missing?)"
        if directive.problem and c.end < 0:
            directive.rules = []  # ignored: it would swallow the rest of the file
            directive.action = "invalid"
        out.append(directive)
    _check_front_matter(doc)
    return out


def _check_front_matter(doc: Document) -> None:
    """``health-lint:`` in front matter must be ``{disable: RULE or [RULE, ...]}``;
    anything else is an input/front-matter error (never silently ignored)."""
    from .parsers.errors import InputError

    fm = doc.front_matter if isinstance(doc.front_matter, dict) else {}
    if "health-lint" not in fm:
        return
    value = fm["health-lint"]
    reason = None
    if not isinstance(value, dict):
        reason = f"is {_yaml_kind(value)}"
    else:
        unknown = [k for k in value if k != "disable"]
        disable = value.get("disable", [])
        if unknown:
            reason = f"has unknown key(s) {', '.join(repr(str(k)) for k in unknown)}"
        elif not isinstance(disable, str) and not (isinstance(disable, list)
                                                   and all(isinstance(r, str) for r in disable)):
            reason = f"has `disable:` set to {_yaml_kind(disable)}, not rule ids"
    if reason is None:
        return
    m = re.search(r"^health-lint\s*:", doc.source[:doc.body_start], re.M)
    line = doc.position(m.start())[0] if m else 2
    message = (f"front matter `health-lint` {reason}; it must be `health-lint: {{disable: [RULE, ...]}}` "
               "(nothing was suppressed)")
    if not any(p.reason == message for p in doc.input_problems):  # parsed twice by some commands
        doc.input_problems.append(InputError("front-matter", message, line=line))


def _yaml_kind(value) -> str:
    if isinstance(value, list):
        odd = next((v for v in value if not isinstance(v, str)), None)
        return "a list" if odd is None else f"a list holding {_yaml_kind(odd)}"
    if isinstance(value, str):
        return "a string"
    names = {dict: "a mapping", int: "a number", float: "a number", bool: "true/false"}
    return "empty" if value is None else names.get(type(value), f"a {type(value).__name__}")


@dataclass
class Suppressor:
    """Decides, per finding, whether a comment or front matter suppresses it."""

    ranges: list[tuple[str, int, int]]  # (rule or ALL, first line, last line)
    whole_file: set[str]
    mentioned: set[str]  # rules named by any disable (for document-level findings)
    exempt: list[tuple[str, int, int]] = field(default_factory=list)

    @classmethod
    def for_document(cls, doc: Document) -> "Suppressor":
        ranges: list[tuple[str, int, int]] = []
        # Rules re-enabled by name inside a bare or family disable
        # (`disable` ... `enable links/broken`): not suppressed there.
        exempt: list[tuple[str, int, int]] = []
        open_: dict[str, int] = {}
        exempt_open: dict[str, int] = {}
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
                for r in list(exempt_open):
                    if any(_names(p, r) for p in rules):
                        exempt.append((r, exempt_open.pop(r), d.line))
            elif d.action == "enable":
                targets = list(open_) if not d.rules else d.rules
                for r in targets:
                    if r in open_:
                        ranges.append((r, open_.pop(r), d.line))
                    elif any(_names(p, r) for p in open_):
                        exempt_open.setdefault(r, d.line)
                if not d.rules:
                    for r, start in exempt_open.items():
                        exempt.append((r, start, d.line))
                    exempt_open.clear()
        ranges.extend((r, start, 10**9) for r, start in open_.items())
        exempt.extend((r, start, 10**9) for r, start in exempt_open.items())
        if ALL in open_:  # disabled from here to the end of the file
            mentioned.add(ALL)
        whole: set[str] = set()
        fm = doc.front_matter.get("health-lint") if isinstance(doc.front_matter, dict) else None
        if isinstance(fm, dict) and set(fm) <= {"disable"}:
            disable = fm.get("disable", [])
            # Anything but a rule id or a list of them is reported as
            # input/front-matter (see _check_front_matter) and disables nothing.
            if isinstance(disable, str):
                whole = {disable}
            elif isinstance(disable, list) and all(isinstance(r, str) for r in disable):
                whole = set(disable)
        return cls(ranges, whole, mentioned, exempt)

    def suppresses(self, finding: Finding) -> bool:
        rule = finding.rule
        if any(_names(r, rule) for r in self.whole_file):
            return True
        if any(_names(r, rule) and a <= finding.line <= b for r, a, b in self.exempt):
            return False
        if finding.document_level and any(_names(r, rule) for r in self.mentioned):
            if not any(_names(r, rule) for r, _, _ in self.exempt):
                return True
        return any(_names(r, rule) and a <= finding.line <= b for r, a, b in self.ranges)

    def unknown_rules(self, doc: Document, known) -> list[Problem]:
        problems = []
        for d in doc.directives:
            if d.problem:
                problems.append(Problem(message=f"Suppression comment {d.problem}; "
                                        + ("it was ignored." if d.action == "invalid" else
                                           "only the rule ids before it count."),
                                        hint="Write `<!-- health-lint-disable RULE, RULE -->`, closed by `-->`.",
                                        start=d.start, end=min(d.end, d.start + 80)))
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
