"""JSON for machines, schema version 1 (documented in README.md):

    {"version": 1, "tool": {"name": "health-lint", "version": "..."},
     "command": "check",
     "findings": [{"path", "line", "column", "end_line", "end_column", "rule",
                   "severity", "message", "hint", "document_level",
                   "fingerprint", "data"?}],
     "summary": {"files", "findings", "errors", "warnings", "infos",
                 "suppressed", "fail_level", "failed", "baseline"?},
     ...command sections ("graph", "links")}

Fields are only ever added within a version; a removal or change of meaning
bumps ``version``.
"""
from __future__ import annotations

import json

from .. import __version__

SCHEMA_VERSION = 1


def render(report, color: bool = False) -> str:
    out = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "health-lint", "version": __version__},
        "command": report.command,
        "findings": [f.to_dict(root=report.root) for f in report.findings],
        "summary": report.summary(),
    }
    for key, value in report.extra.items():
        if key != "baseline":
            out[key] = value
    return json.dumps(out, indent=2, ensure_ascii=False, default=str) + "\n"
