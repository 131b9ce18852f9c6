"""GitLab Code Quality report (``artifacts: reports: codequality``): the
merge request widget and the diff view show the findings.

A JSON array, one object per finding::

    {"description": "readability/grade: Reading grade 10.8 ...",
     "check_name": "readability/grade",
     "fingerprint": "<md5 of the baseline fingerprint>",
     "severity": "minor",
     "location": {"path": "content/back-pain.md", "lines": {"begin": 3, "end": 3}}}

Severity: error → ``major``, warning → ``minor``, info → ``info``. Paths
are relative to the repository root (as GitLab expects), like SARIF's.
The fingerprint is stable across runs and line moves (it is derived from
the baseline fingerprint: rule, path and offending text), and unique within
the report (a repeated occurrence gets its ordinal appended), which GitLab
needs to tell new findings from fixed ones. Crawled pages keep their URL as
the path.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from .sarif_format import relative_path, source_root

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def render(report, color: bool = False) -> str:
    root = source_root(Path(report.root))
    seen: Counter = Counter()
    items = []
    for f in report.findings:
        key = f.fingerprint(report.root)
        seen[key] += 1
        if seen[key] > 1:
            key = f"{key}:{seen[key]}"
        path = relative_path(f.path, root) or f.path
        items.append({
            "description": f"{f.rule}: {f.message}",
            "check_name": f.rule,
            "fingerprint": hashlib.md5(key.encode("utf-8"), usedforsecurity=False).hexdigest(),
            "severity": SEVERITY.get(f.severity, "info"),
            "location": {"path": path, "lines": {"begin": f.line, "end": max(f.line, f.end_line or f.line)}},
        })
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
