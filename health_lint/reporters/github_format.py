"""GitHub Actions workflow commands: each finding becomes an annotation on the
pull request's "Files changed" tab and the run summary.

    ::error file=articles/back pain.md,line=23,col=1,endLine=23,endColumn=40,title=disclaimer/missing::No medical disclaimer found.

error -> ``::error``, warning -> ``::warning``, info -> ``::notice``. Values
are escaped as the Actions runner expects (``%`` ``\\r`` ``\\n`` everywhere,
and ``:`` ``,`` inside properties). At most ``report.options["max-annotations"]``
annotations (default 50; errors first, then warnings, then notices) so a
legacy site does not bury the pull request; the rest are listed as plain text
in a collapsed log group with a summary line. GitHub itself shows at most 10
errors and 10 warnings per step and 50 per job, so keep the cap modest.

Paths are relative to ``$GITHUB_WORKSPACE`` when set (where GitHub resolves
them), else to the project root.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..findings import SEVERITY_RANK
from .escape import printable, safe_line
from .sarif_format import relative_path

DEFAULT_MAX_ANNOTATIONS = 50
COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """Escaping for the message part (after ``::``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escaping for a property value (``file=``, ``title=``...)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation_path(path: str, root: Path) -> str:
    workspace = os.environ.get("GITHUB_WORKSPACE")
    for base in ([Path(workspace)] if workspace else []) + [Path(root)]:
        rel = relative_path(path, base)
        if rel is not None:
            return rel
    return path


def annotation(f, root: Path) -> str:
    props = [("file", printable(annotation_path(f.path, root))), ("line", str(max(1, f.line or 1)))]
    if not f.document_level:
        col = max(1, f.column or 1)
        end_line = f.end_line or f.line
        props.append(("col", str(col)))
        if end_line > f.line:
            props.append(("endLine", str(end_line)))
        elif end_line == f.line and (f.end_column or 0) > col:
            # Finding end columns are exclusive; GitHub's are inclusive.
            props.append(("endLine", str(end_line)))
            props.append(("endColumn", str(f.end_column - 1)))
    props.append(("title", printable(f"{f.rule} ({f.severity})")))
    # Control characters from the content (ANSI/OSC sequences) are shown, not
    # obeyed; newlines are encoded by escape_data (multi-line annotations).
    message = printable(f.message.strip(), keep_newlines=True) or f.rule
    if f.hint:
        message += f"\nHow to fix: {printable(f.hint.strip(), keep_newlines=True)}"
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS.get(f.severity, 'warning')} {head}::{escape_data(message)}"


def max_annotations(report) -> int:
    value = report.options.get("max-annotations", DEFAULT_MAX_ANNOTATIONS)
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = DEFAULT_MAX_ANNOTATIONS
    return max(0, value)


def _plain(text: str) -> str:
    """A log line that the runner must not read as a workflow command
    (``::cmd::`` at its start, ``##[cmd]`` anywhere)."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").strip()
    return safe_line(text)


def render(report, color: bool = False) -> str:
    root = Path(report.root)
    cap = max_annotations(report)
    # Errors first, then warnings, then notices; within a severity, in the
    # report's (path, line) order.
    ranked = sorted(enumerate(report.findings), key=lambda p: (SEVERITY_RANK.get(p[1].severity, 9), p[0]))
    shown = [f for _, f in ranked[:cap]]
    rest = [f for _, f in ranked[cap:]]
    lines = [annotation(f, root) for f in shown]
    if rest:
        counts = {s: sum(1 for f in rest if f.severity == s) for s in ("error", "warning", "info")}
        detail = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items() if n)
        lines.append(f"health-lint: {len(rest)} more finding{'s' if len(rest) != 1 else ''} not annotated "
                     f"({detail}; at most {cap} annotations per run, set with --max-annotations).")
        lines.append(f"::group::{len(rest)} finding{'s' if len(rest) != 1 else ''} without annotation")
        for f in rest:
            lines.append(_plain(f"{annotation_path(f.path, root)}:{f.line}:{f.column} {f.severity} {f.rule}  {f.message}"))
        lines.append("::endgroup::")
    lines.extend(_plain(s) for s in report.text_sections)
    lines.append(_plain(report.summary_line()))
    return "\n".join(lines) + "\n"
