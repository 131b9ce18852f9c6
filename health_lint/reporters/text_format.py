"""Text for people: findings grouped by file, a fix hint, a summary.

    articles/back-pain.md
      3:1   warning  readability/grade   Reading grade 10.8 ...
            hint: Use shorter sentences ...

Colour only when writing to a terminal (the CLI decides; NO_COLOR honoured).
Text from the content (paths, messages, hints, summary sections) is printed
with control characters escaped and CI workflow commands neutralised
(:mod:`health_lint.reporters.escape`).
"""
from __future__ import annotations

from itertools import groupby

from .escape import printable, safe_line

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "dim": "\033[2m", "bold": "\033[1m"}
_RESET = "\033[0m"


def _c(text: str, key: str, color: bool) -> str:
    return f"{_COLORS[key]}{text}{_RESET}" if color else text


def render(report, color: bool = False) -> str:
    return "".join(iter_render(report, color))


def iter_render(report, color: bool = False):
    """The report a file's group at a time, so that a site's thousands of
    findings are written as they are formatted, not held as one string."""
    hints = report.options.get("hints", True)
    first = True
    # A rule's hint and label repeat on every finding of a site's run: each
    # distinct one is made safe and coloured once.
    hint_lines: dict[str, str] = {}
    labels: dict[tuple[str, str], str] = {}
    for raw_path, group in groupby(report.findings, key=lambda f: f.path):
        path = safe_line(raw_path)
        lines = [_c(path, "bold", color)]
        for f in group:
            label = labels.get((f.severity, f.rule))
            if label is None:
                label = labels[f.severity, f.rule] = f"{_c(f.severity, f.severity, color)} {printable(f.rule)}"
            lines.append(f"  {path}:{f.line}:{f.column} {label}  {safe_line(f.message)}")
            if f.hint and hints:
                hint = hint_lines.get(f.hint)
                if hint is None:
                    hint = hint_lines[f.hint] = "    " + _c(f"hint: {safe_line(f.hint)}", "dim", color)
                lines.append(hint)
        # Groups are separated by a blank line.
        yield ("" if first else "\n") + "\n".join(lines) + "\n"
        first = False
    if report.options.get("quiet"):  # --quiet: the findings only
        return
    tail = [safe_line(s) for s in report.text_sections]
    if report.text_sections:
        tail.append("")
    tail.append(safe_line(report.summary_line()))
    yield ("" if first else "\n") + "\n".join(tail) + "\n"
