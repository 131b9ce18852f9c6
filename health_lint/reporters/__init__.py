"""Reporters turn findings into text for people or machines.

A reporter never decides severity or filters findings: it prints the
:class:`Report` it is given. Each format is one module with a
``render(report, color=False) -> str`` function.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..findings import Finding, SEVERITIES, at_or_above

FORMATS = ("text", "concise", "json", "sarif", "github", "junit", "gitlab")


@dataclass
class Report:
    """What a reporter writes out: findings, counts, options, extra sections."""

    findings: list[Finding]
    files: int = 0
    suppressed: int = 0
    fail_level: str = "error"
    command: str = "check"
    root: Path = field(default_factory=Path.cwd)
    # Command-specific sections: "graph" (link graph summary), "links"
    # (HTTP summary), "baseline" (matched/new/stale counts)...
    extra: dict[str, Any] = field(default_factory=dict)
    # Human-readable summary lines a command adds for the text format.
    text_sections: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    def failing(self) -> int:
        return sum(1 for f in self.findings if at_or_above(f.severity, self.fail_level))

    def summary(self) -> dict[str, Any]:
        counts = self.counts()
        out = {"files": self.files, "findings": len(self.findings), **{f"{k}s": v for k, v in counts.items()},
               "suppressed": self.suppressed, "fail_level": self.fail_level, "failed": self.failing() > 0}
        for key in ("baseline",):
            if key in self.extra:
                out[key] = self.extra[key]
        return out

    def summary_line(self) -> str:
        c = self.counts()
        parts = [f"{c['error']} error{'s' if c['error'] != 1 else ''}",
                 f"{c['warning']} warning{'s' if c['warning'] != 1 else ''}", f"{c['info']} info"]
        line = f"{self.files} file{'s' if self.files != 1 else ''} checked: " + ", ".join(parts)
        if self.suppressed:
            line += f" ({self.suppressed} suppressed)"
        base = self.extra.get("baseline")
        if base:
            line += f"; baseline: {base['matched']} known, {base['new']} new, {base['stale']} stale"
        return line


def render(fmt: str, report: Report, color: bool = False) -> str:
    return "".join(render_chunks(fmt, report, color))


def render_chunks(fmt: str, report: Report, color: bool = False):
    """:func:`render` in pieces, for formats that can be written as they
    are made (the text format); others come as one piece."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    module = importlib.import_module(f"{__name__}.{fmt}_format")
    if hasattr(module, "iter_render"):
        yield from module.iter_render(report, color=color)
    else:
        yield module.render(report, color=color)


__all__ = ["FORMATS", "Report", "render", "render_chunks", "__version__"]
