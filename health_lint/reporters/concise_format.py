"""One line per finding, for editors, grep and quick terminal reading
(ruff's ``--output-format concise``, markdownlint-cli2's default)::

    articles/back-pain.md:3:1: warning readability/grade Reading grade 10.8 ...

``path:line:column: severity rule message``, then the summary line. No
hints (``health-lint explain RULE`` has them). Text from the content is
escaped as in the text format.
"""
from __future__ import annotations

from .escape import printable, safe_line
from .text_format import _c


def render(report, color: bool = False) -> str:
    lines = [f"{safe_line(f.path)}:{f.line}:{f.column}: {_c(f.severity, f.severity, color)} "
             f"{printable(f.rule)} {safe_line(f.message)}" for f in report.findings]
    if not report.options.get("quiet"):
        lines.extend(safe_line(s) for s in report.text_sections)
        lines.append(safe_line(report.summary_line()))
    return "\n".join(lines) + ("\n" if lines else "")
