"""Run health-lint and print its JSON with one finding per ``data.details``
entry, for tools that count findings one concept at a time.

    python tools/expand_details.py HEALTH_LINT_COMMAND... check FILES --format json

red-flags/missing and red-flags/wrong-urgency report one finding per topic
that lists every concept; their JSON keeps one entry per concept in
``data.details``. A scorer that matches one label per finding (such as the
development-set scorer, which matches labels by concept text in the
message) sees only one concept per finding; this wrapper turns each detail
into a finding of its own (same path, line, column and rule; message
"topic/concept: name"; ``data`` is the detail) and leaves every other
finding as it is. The exit status is health-lint's.

Example (scores each listed concept against the editor's labels):

    python3 ../shared/corpus/score.py "$PWD/.venv/bin/python $PWD/tools/expand_details.py $PWD/.venv/bin/health-lint"
"""
from __future__ import annotations

import json
import subprocess
import sys


def expand(report: dict) -> dict:
    findings = []
    for f in report.get("findings", []):
        details = (f.get("data") or {}).get("details")
        if not details:
            findings.append(f)
            continue
        for d in details:
            one = dict(f)
            one["message"] = f"{d.get('id', '')}: {d.get('name', '')}"
            one["data"] = d
            findings.append(one)
    return {**report, "findings": findings}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    proc = subprocess.run(argv, capture_output=True, text=True)
    sys.stderr.write(proc.stderr)
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        sys.stdout.write(proc.stdout)
        return proc.returncode
    sys.stdout.write(json.dumps(expand(report), indent=2, ensure_ascii=False) + "\n")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
