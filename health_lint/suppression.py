"""Inline suppression comments and front-matter disables.

    <!-- health-lint-disable RULE[, RULE] -->   ...   <!-- health-lint-enable -->
    <!-- health-lint-disable-next-line RULE -->     (the next line with text)
    <!-- health-lint-disable-line RULE -->          (the comment's own line)
    <!-- health-lint-disable-file RULE -->          (the whole file)
    health-lint: {disable: [RULE, ...]}          (front matter)

A disable without rule ids disables every rule; ``family/*`` (for example
``links/*``) names every rule of a family. Findings about the whole
document (a missing disclaimer) have no line of their own: a disable comment
naming that rule anywhere in the file suppresses them, and so does a bare
disable that is never re-enabled; a bare disable/enable pair around one
passage does not. Comments inside code (examples of the syntax) are ignored.

A comment that starts ``health-lint`` but is not one of these exactly (an
unknown variant such as ``disable-range``, words that are not rule ids, no
closing ``-->``) disables nothing and is reported (``suppression/invalid``).
The :class:`Suppressor` records which comment suppressed which finding, so a
comment that suppresses nothing is reported too (``suppression/unused``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .document import Directive, Document
from .findings import Finding, Fix, Problem
from . import regexcache

ACTIONS = ("disable-next-line", "disable-line", "disable-file", "disable", "enable")
# A comment meant for health-lint: exact directives, and the near misses
# (``health-lint-disable-range``, ``health-lint: disable``, ``HEALTH-LINT``)
# that must be reported rather than half-understood.
_OURS_RE = regexcache.compile(r"<!--\s*health-lint(?![\w.])", re.I)
_ACTION_RE = regexcache.compile(r"<!--\s*health-lint-(" + "|".join(ACTIONS) + r")(?=\s|-->|$)")
ALL = "*"
# What a rule id looks like: family/name, a family/* pattern, or * (all).
RULE_ID_RE = regexcache.compile(r"^(?:[a-z0-9][a-z0-9_-]*/(?:[a-z0-9][a-z0-9_-]*|\*)|\*)$")

# Markup a comment-like text can hide in without being a comment: an HTML
# tag (its attribute values), a Markdown link destination and title, a code
# span. Scanning left to right, whatever starts first wins, as in a browser.
# CommonMark's grammar of a tag (attribute names cannot hold "<"), so a
# failed match stops at the next "<" and scanning stays linear.
_TAG_RE = regexcache.compile(r"""</[A-Za-z][A-Za-z0-9-]*\s*>|<[A-Za-z][A-Za-z0-9-]*"""
                     r"""(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?)*\s*/?>""")
_LINK_TAIL_RE = regexcache.compile(r"""\]\((?:[^()"'\\]|\\.|"[^"]*"|'[^']*'|\([^()]*\))*\)""")
_RAW_TEXT_OPEN_RE = regexcache.compile(r"<(script|style|textarea)\b", re.I)
_INTERESTING_RE = regexcache.compile(r"<!--|<[A-Za-z/]|\]\(|`+|^[ ]{0,3}\[", re.M)
# A reference definition, its title possibly on the next line.
_REF_DEF_RE = regexcache.compile(r"""[ ]{0,3}\[(?:[^\]\\\n]|\\.)+\]:[^\n]*(?:\n[ \t]+["'(][^\n]*)?""")


@dataclass
class _Comment:
    """An HTML comment of the source (directives live in comments)."""

    start: int
    end: int  # -1: never closed


def real_comments(doc: Document) -> list[_Comment]:
    """HTML comments as a browser or Markdown renderer sees them: not the
    comment-like text inside front matter, code, an HTML attribute or a
    Markdown link title (which would otherwise be hidden suppressions)."""
    source = doc.source
    code = sorted((b.start, b.end) for b in doc.blocks if b.kind == "code")
    code_starts = [a for a, _ in code]
    markdown = doc.format == "markdown"
    out: list[_Comment] = []
    # Backtick-run length -> where runs of that length start, found once
    # (searching for each closer would be quadratic on unmatched runs).
    runs: dict[int, list[int]] | None = None
    # Raw-text element name -> where its closing tags end, found once
    # (matching "<script ... </script>" at every unclosed "<script" would
    # rescan the rest of the page each time).
    closers: dict[str, list[int]] = {}
    pos = doc.body_start
    while True:
        m = _INTERESTING_RE.search(source, pos)
        if m is None:
            return out
        at = m.start()
        i = bisect.bisect_right(code_starts, at) - 1
        if i >= 0 and at < code[i][1]:  # a fenced or indented code block: an example
            pos = code[i][1]
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
            if runs is None:
                runs = {}
                for run in re.finditer(r"`+", source):
                    runs.setdefault(len(run.group()), []).append(run.start())
            same = runs.get(len(token), [])
            j = bisect.bisect_right(same, at)
            pos = same[j] + len(token) if j < len(same) else m.end()
        elif token == "](":
            tail = _LINK_TAIL_RE.match(source, at) if markdown else None
            pos = tail.end() if tail else at + 2
        elif token.endswith("["):
            definition = _REF_DEF_RE.match(source, at) if markdown else None
            pos = definition.end() if definition else m.end()
        else:
            opener = _RAW_TEXT_OPEN_RE.match(source, at)
            raw_end = -1
            if opener:
                name = opener.group(1).lower()
                if name not in closers:
                    closers[name] = [c.end() for c in re.finditer(rf"</{name}\s*>", source, re.I)]
                ends = closers[name]
                j = bisect.bisect_right(ends, opener.end())
                if j < len(ends):
                    raw_end = ends[j]
            if raw_end >= 0:
                pos = raw_end
            else:
                tag = _TAG_RE.match(source, at)
                pos = tag.end() if tag else at + 1


def parse_directives(doc: Document) -> list[Directive]:
    """Suppression directives: real HTML comments only (see
    ``real_comments``) that start with ``health-lint``. One that is not
    understood (an unknown variant, words that are not rule ids, no closing
    ``-->``) becomes an ``invalid`` directive: it disables nothing and is
    reported by ``Suppressor.unknown_rules``."""
    out = []
    # Most pages hold no directive: without the text one must start with,
    # the page's comments and markup need no scan (about 3% of a run).
    comments = real_comments(doc) if _OURS_RE.search(doc.source, doc.body_start) else ()
    for c in comments:
        text = doc.source[c.start:] if c.end < 0 else doc.source[c.start:c.end]
        if _OURS_RE.match(text) is None:
            continue
        line, _ = doc.position(c.start)
        end = len(doc.source) if c.end < 0 else c.end
        m = _ACTION_RE.match(text)
        if m is None:
            head = re.match(r"<!--\s*(\S{0,40})", text).group(1).removesuffix("-->")
            directive = Directive("invalid", [], line, c.start, end)
            directive.problem = (f"`{head}` is not a health-lint directive (use health-lint-disable, "
                                 "-disable-line, -disable-next-line, -disable-file or -enable)")
            out.append(directive)
            continue
        body = text[m.end():]
        if c.end >= 0:
            body = body[:-3]
        words = [w for w in re.split(r"[\s,]+", body.strip()) if w]
        rules = [w for w in words if RULE_ID_RE.match(w)]
        stray = [w for w in words if not RULE_ID_RE.match(w)]
        directive = Directive(m.group(1), rules, line, c.start, end)
        if c.end < 0:
            directive.problem = "is never closed (no `-->`)"
        elif stray:
            shown = " ".join(stray[:3]) + (" ..." if len(stray) > 3 else "")
            directive.problem = f"holds {shown!r}, which is not a rule id (is its `-->` missing?)"
        if directive.problem:
            # Half-understood is worse than ignored: a stray word may be the
            # start of the text a missing `-->` swallowed.
            directive.rules = []
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
    """Decides, per finding, whether a comment or front matter suppresses
    it, and records which comment did (``used``) for ``suppression/unused``.
    Directive numbers are indexes into ``doc.directives``; -1 is the front
    matter."""

    ranges: list[tuple[str, int, int, int]]  # (rule or ALL, first line, last line, directive)
    whole_file: list[tuple[str, int]]  # (rule or ALL, directive)
    mentioned: list[tuple[str, int]]  # rules named by any disable (for document-level findings)
    exempt: list[tuple[str, int, int]] = field(default_factory=list)
    used: set[tuple[int, str]] = field(default_factory=set)  # (directive, rule pattern) that suppressed something

    @classmethod
    def for_document(cls, doc: Document) -> "Suppressor":
        fm = doc.front_matter.get("health-lint") if isinstance(doc.front_matter, dict) else None
        if not doc.directives and fm is None:
            # Most pages: nothing to read, and (a site's run keeps one per
            # page) shared empty tuples instead of four lists each.
            return cls((), (), (), ())  # type: ignore[arg-type]
        ranges: list[tuple[str, int, int, int]] = []
        # Rules re-enabled by name inside a bare or family disable
        # (`disable` ... `enable links/broken`): not suppressed there.
        exempt: list[tuple[str, int, int]] = []
        open_: dict[str, tuple[int, int]] = {}  # rule -> (line, directive)
        exempt_open: dict[str, int] = {}
        mentioned: list[tuple[str, int]] = []
        whole: list[tuple[str, int]] = []
        lines = doc.source.split("\n")
        for i, d in enumerate(doc.directives):
            if d.action == "invalid":
                continue
            rules = d.rules or [ALL]
            if d.action == "disable-next-line":
                # The line after the comment's end (a comment may span lines).
                target = doc.position(d.end)[0] + 1
                # The next line with content (comments often sit above a blank line).
                while target <= len(lines) and not lines[target - 1].strip():
                    target += 1
                ranges.extend((r, target, target, i) for r in rules)
            elif d.action == "disable-line":
                last = doc.position(max(d.start, d.end - 1))[0]
                ranges.extend((r, d.line, last, i) for r in rules)
            elif d.action == "disable-file":
                whole.extend((r, i) for r in rules)
            elif d.action == "disable":
                # Named rules count for whole-document findings; a bare
                # disable only if it is never re-enabled (checked below).
                mentioned.extend((r, i) for r in d.rules)
                for r in rules:
                    open_.setdefault(r, (d.line, i))
                for r in list(exempt_open):
                    if any(_names(p, r) for p in rules):
                        exempt.append((r, exempt_open.pop(r), d.line))
            elif d.action == "enable":
                targets = list(open_) if not d.rules else d.rules
                for r in targets:
                    if r in open_:
                        start, idx = open_.pop(r)
                        ranges.append((r, start, d.line, idx))
                    elif any(_names(p, r) for p in open_):
                        exempt_open.setdefault(r, d.line)
                if not d.rules:
                    for r, start in exempt_open.items():
                        exempt.append((r, start, d.line))
                    exempt_open.clear()
        ranges.extend((r, start, 10**9, idx) for r, (start, idx) in open_.items())
        exempt.extend((r, start, 10**9) for r, start in exempt_open.items())
        if ALL in open_:  # disabled from here to the end of the file
            mentioned.append((ALL, open_[ALL][1]))
        if isinstance(fm, dict) and set(fm) <= {"disable"}:
            disable = fm.get("disable", [])
            # Anything but a rule id or a list of them is reported as
            # input/front-matter (see _check_front_matter) and disables nothing.
            if isinstance(disable, str):
                whole.append((disable, -1))
            elif isinstance(disable, list) and all(isinstance(r, str) for r in disable):
                whole.extend((r, -1) for r in disable)
        return cls(ranges, whole, mentioned, exempt)

    def suppresses(self, finding: Finding) -> bool:
        """Whether ``finding`` is suppressed; every comment that covers it
        is marked used."""
        rule, line = finding.rule, finding.line
        hits = [(i, r) for r, i in self.whole_file if _names(r, rule)]
        if not any(_names(r, rule) and a <= line <= b for r, a, b in self.exempt):
            if finding.document_level and not any(_names(r, rule) for r, _, _ in self.exempt):
                hits += [(i, r) for r, i in self.mentioned if _names(r, rule)]
            hits += [(i, r) for r, a, b, i in self.ranges if _names(r, rule) and a <= line <= b]
        self.used.update(hits)
        return bool(hits)

    def unused(self, doc: Document, judged) -> list[Problem]:
        """``suppression/unused``: disable comments (or rule ids in them)
        that suppressed nothing. ``judged(pattern)`` says whether every rule
        a pattern covers ran on this file; the others cannot be judged (a
        rule turned off, an online rule `check` does not run)."""
        problems = []
        for i, d in enumerate(doc.directives):
            if not d.action.startswith("disable"):
                continue
            patterns = d.rules or [ALL]
            idle = [p for p in patterns if (i, p) not in self.used and judged(p)]
            if not idle:
                continue
            data = {"directive": i, "unused": idle, "all": len(idle) == len(patterns)}
            if len(idle) == len(patterns):
                message = "Suppression comment suppresses nothing here."
                hint = "Remove the comment (`health-lint check --fix` does)."
                fix = Fix((_removal(doc.source, d.start, d.end),), "removed the unused suppression comment")
            else:
                message = f"{', '.join(repr(p) for p in idle)} in this suppression comment suppress{'es' if len(idle) == 1 else ''} nothing here."
                hint = "Remove the rule id from the comment (`health-lint check --fix` does)."
                kept = ", ".join(p for p in patterns if p not in idle)
                fix = Fix(((d.start, d.end, f"<!-- health-lint-{d.action} {kept} -->"),),
                          f"removed {', '.join(idle)} from the suppression comment")
            problems.append(Problem(message=message, hint=hint, start=d.start, end=d.end, data=data, fix=fix))
        return problems

    def unknown_rules(self, doc: Document, known) -> list[Problem]:
        """``suppression/unknown-rule``: rule ids that do not exist."""
        problems = []
        for d in doc.directives:
            for r in d.rules:
                if r not in known and not _is_family(r, known):
                    problems.append(Problem(message=f"Suppression names unknown rule {r!r}.",
                                            hint="Check the id with `health-lint rules`.", start=d.start, end=d.end))
        for r in sorted({r for r, i in self.whole_file if i == -1}):
            if r != ALL and r not in known and not _is_family(r, known):
                problems.append(Problem(message=f"Front matter `health-lint.disable` names unknown rule {r!r}.",
                                        hint="Check the id with `health-lint rules`.", start=0, end=3))
        return problems

    @staticmethod
    def invalid(doc: Document) -> list[Problem]:
        """``suppression/invalid``: comments meant for health-lint that it
        does not understand (they disable nothing)."""
        return [Problem(message=f"Suppression comment {d.problem}; it was ignored.",
                        hint="Write `<!-- health-lint-disable RULE, RULE -->` (or -disable-line, "
                             "-disable-next-line, -disable-file, -enable), closed by `-->`.",
                        start=d.start, end=min(d.end, d.start + 80))
                for d in doc.directives if d.action == "invalid"]


def _removal(source: str, start: int, end: int) -> tuple[int, int, str]:
    """The edit that deletes a comment: with its whole line when it stands
    alone on it (and one of the blank lines around it, so no double gap is
    left), else with one space before it."""
    line_start = source.rfind("\n", 0, start) + 1
    nl = source.find("\n", end)
    line_end = len(source) if nl < 0 else nl + 1
    if source[line_start:start].strip() or source[end:line_end].strip():
        if start > 0 and source[start - 1] in " \t":
            start -= 1
        return start, end, ""
    before_blank = line_start >= 2 and not source[source.rfind("\n", 0, line_start - 1) + 1:line_start].strip()
    after = source[line_end:]
    after_nl = after.find("\n")
    after_blank = after_nl >= 0 and not after[:after_nl].strip()
    if before_blank and after_blank:
        line_end += after_nl + 1
    elif line_start > 0 and line_end == len(source) and before_blank:
        line_start = source.rfind("\n", 0, line_start - 1) + 1
    return line_start, line_end, ""


def _names(pattern: str, rule: str) -> bool:
    return pattern == rule or pattern == ALL or (pattern.endswith("/*") and rule.startswith(pattern[:-1]))


def _is_family(pattern: str, known) -> bool:
    return pattern.endswith("/*") and any(k.startswith(pattern[:-1]) for k in known)
