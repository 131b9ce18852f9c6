"""Merge the reports of ``--shard K/N`` runs (``health-lint merge-reports``).

Each shard reports only its own files, so merging is a union: findings are
concatenated and sorted the way one whole run sorts them, and the summary
is recomputed (files and suppressed counts add up; ``failed`` if any shard
failed). The format is detected from the first file and every input must
have it:

* health-lint JSON reports (``--format json``);
* SARIF 2.1.0 (``--format sarif``): one run, the rules of every input, each
  result's ``ruleIndex`` renumbered;
* JUnit XML (``--format junit``): the test suites of every input (one per
  file), totals recomputed;
* baselines (``--write-baseline``): the entries of every input; the same
  fingerprint in two inputs (the same file given twice) keeps the larger
  count.

When the reports say which shard they are (JSON reports do), a shard given
twice or shards of different splits are an error, and missing shards are
named in a warning: the merged report would silently lack their files.
"""
from __future__ import annotations

import copy
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from . import __version__
from .findings import SEVERITIES
from .safe_write import write_file


class MergeError(Exception):
    """Unreadable, mismatched or unknown inputs (exit code 2)."""


def detect(path: Path, text: str) -> tuple[str, Any]:
    """(kind, parsed) of one input: "json", "sarif", "baseline" or "junit"."""
    stripped = text.lstrip()
    if stripped.startswith("<"):
        try:
            root = ET.fromstring(text.encode("utf-8"))
        except ET.ParseError as exc:
            raise MergeError(f"{path}: not valid XML ({exc})") from None
        if root.tag not in ("testsuites", "testsuite"):
            raise MergeError(f"{path}: XML but not a JUnit report (root element <{root.tag}>)")
        return "junit", root
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MergeError(f"{path}: not valid JSON or XML (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if isinstance(data, dict) and isinstance(data.get("runs"), list) and str(data.get("version")) == "2.1.0":
        return "sarif", data
    if isinstance(data, dict) and isinstance(data.get("findings"), list) and "summary" in data:
        if data.get("version") != 1:
            raise MergeError(f"{path}: JSON report version {data.get('version')!r}; this health-lint merges version 1")
        return "json", data
    if isinstance(data, dict) and isinstance(data.get("findings"), list) and "version" in data:
        return "baseline", None
    raise MergeError(f"{path}: not a health-lint report (JSON, SARIF, JUnit) nor a baseline")


def merge_files(inputs: list[Path], output: Path) -> tuple[str, int]:
    """Merge ``inputs`` into ``output``; returns (kind, findings written)."""
    if not inputs:
        raise MergeError("no reports to merge")
    parsed: list[tuple[Path, Any]] = []
    kinds = set()
    for path in inputs:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise MergeError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
        kind, data = detect(path, text)
        kinds.add(kind)
        parsed.append((path, data))
    if len(kinds) > 1:
        raise MergeError(f"the reports have different formats ({', '.join(sorted(kinds))}); merge one format at a time")
    kind = kinds.pop()
    if kind == "json":
        text, count = merge_json([d for _, d in parsed], [p for p, _ in parsed])
    elif kind == "sarif":
        text, count = merge_sarif([d for _, d in parsed])
    elif kind == "junit":
        text, count = merge_junit([d for _, d in parsed])
    else:
        text, count = merge_baselines([p for p, _ in parsed])
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_file(output, text)
    except OSError as exc:
        raise MergeError(f"cannot write {output}: {exc.strerror or exc}") from None
    return kind, count


def _check_shards(shards: list[tuple[Path, dict | None]]) -> None:
    """Errors for a shard given twice or different splits; a warning naming
    the missing shards."""
    known = [(p, s) for p, s in shards if s]
    if not known:
        return
    counts = {s["count"] for _, s in known}
    if len(counts) > 1:
        raise MergeError("the reports come from different splits (--shard K/N with N = "
                         + ", ".join(str(n) for n in sorted(counts)) + ")")
    seen: dict[int, Path] = {}
    for path, s in known:
        if s["index"] in seen:
            raise MergeError(f"shard {s['index']}/{s['count']} given twice ({seen[s['index']]} and {path})")
        seen[s["index"]] = path
    n = counts.pop()
    missing = sorted(set(range(1, n + 1)) - set(seen))
    if missing and len(known) == len(shards):
        print(f"health-lint: warning: shard(s) {', '.join(f'{k}/{n}' for k in missing)} missing: the merged "
              "report lacks their files", file=sys.stderr)


def _sort_key(f: dict) -> tuple:
    return (f.get("path", ""), f.get("line", 0), f.get("column", 0), f.get("rule", ""), f.get("message", ""))


def merged_summary(summaries: list[dict], findings_severities: list[str]) -> dict:
    fail_levels = {s.get("fail_level") for s in summaries}
    if len(fail_levels) > 1:
        raise MergeError(f"the reports were made with different fail levels ({', '.join(sorted(map(str, fail_levels)))})")
    level = fail_levels.pop()
    counts = {s: 0 for s in SEVERITIES}
    for sev in findings_severities:
        counts[sev] = counts.get(sev, 0) + 1
    out: dict[str, Any] = {
        "files": sum(int(s.get("files", 0)) for s in summaries),
        "findings": len(findings_severities), **{f"{k}s": v for k, v in counts.items()},
        "suppressed": sum(int(s.get("suppressed", 0)) for s in summaries), "fail_level": level,
        "failed": any(bool(s.get("failed")) for s in summaries),
    }
    baselines = [s.get("baseline") for s in summaries]
    if all(isinstance(b, dict) for b in baselines):
        out["baseline"] = {k: sum(int(b.get(k, 0)) for b in baselines) for k in baselines[0]}
    return out


def _sum_numbers(values: list[Any]) -> Any:
    """Numeric leaves added up (per-shard counts); anything else kept only
    when every input agrees."""
    if all(isinstance(v, bool) for v in values):
        return any(values)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return sum(values)
    if all(isinstance(v, dict) for v in values):
        keys = list(dict.fromkeys(k for v in values for k in v))
        return {k: _sum_numbers([v.get(k, 0) for v in values]) for k in keys}
    return values[0] if all(v == values[0] for v in values) else None


def merge_json(reports: list[dict], paths: list[Path]) -> tuple[str, int]:
    commands = {r.get("command") for r in reports}
    if len(commands) > 1:
        raise MergeError(f"the reports come from different commands ({', '.join(sorted(map(str, commands)))})")
    _check_shards([(p, r.get("shard")) for p, r in zip(paths, reports)])
    findings = sorted((f for r in reports for f in r["findings"]), key=_sort_key)
    out: dict[str, Any] = {"version": 1, "tool": {"name": "health-lint", "version": __version__},
                           "command": commands.pop(), "findings": findings,
                           "summary": merged_summary([r["summary"] for r in reports],
                                                     [f.get("severity", "warning") for f in findings])}
    sections = list(dict.fromkeys(k for r in reports for k in r if k not in out and k != "shard"))
    for key in sections:
        value = _sum_numbers([r.get(key) for r in reports]) if all(key in r for r in reports) else None
        if value is not None:
            out[key] = value
    out["merged"] = {"reports": len(reports)}
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n", len(findings)


def _result_key(res: dict) -> tuple:
    loc = (res.get("locations") or [{}])[0].get("physicalLocation", {})
    region = loc.get("region", {})
    return (loc.get("artifactLocation", {}).get("uri", ""), region.get("startLine", 0), region.get("startColumn", 0),
            res.get("ruleId", ""), res.get("message", {}).get("text", ""))


def merge_sarif(logs: list[dict]) -> tuple[str, int]:
    runs = [run for log in logs for run in log["runs"]]
    if not runs:
        raise MergeError("the SARIF files have no runs")
    names = {run.get("tool", {}).get("driver", {}).get("name") for run in runs}
    if len(names) > 1:
        raise MergeError(f"the SARIF files come from different tools ({', '.join(sorted(map(str, names)))})")
    merged = copy.deepcopy(runs[0])
    rules: list[dict] = []
    index: dict[str, int] = {}
    for run in runs:
        for rule in run.get("tool", {}).get("driver", {}).get("rules", []):
            if rule.get("id") not in index:
                index[rule.get("id")] = len(rules)
                rules.append(rule)
    results = []
    for run in runs:
        for res in run.get("results", []):
            res = dict(res)
            if "ruleIndex" in res and res.get("ruleId") in index:
                res["ruleIndex"] = index[res["ruleId"]]
            results.append(res)
    results.sort(key=_result_key)
    merged.setdefault("tool", {}).setdefault("driver", {})["rules"] = rules
    merged["results"] = results
    invocations = [inv for run in runs for inv in run.get("invocations", [])]
    summaries = [inv.get("properties", {}).get("summary") for inv in invocations]
    if invocations:
        inv = copy.deepcopy(invocations[0])
        inv["executionSuccessful"] = all(i.get("executionSuccessful", True) for i in invocations)
        props = inv.setdefault("properties", {})
        props.pop("shard", None)
        if all(isinstance(s, dict) for s in summaries):
            sev = [r.get("properties", {}).get("severity", "warning") for r in results]
            props["summary"] = merged_summary(summaries, sev)
        props["mergedRuns"] = len(runs)
        merged["invocations"] = [inv]
    out = {"$schema": logs[0].get("$schema"), "version": "2.1.0", "runs": [merged]}
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n", len(results)


def merge_junit(roots: list[ET.Element]) -> tuple[str, int]:
    suites: dict[str, ET.Element] = {}
    for root in roots:
        for suite in ([root] if root.tag == "testsuite" else root.findall("testsuite")):
            name = suite.get("name", "")
            if name not in suites:
                suites[name] = copy.deepcopy(suite)
                continue
            # The same suite in two reports (the aggregate "files without
            # findings" suite): one suite with both's test cases.
            target = suites[name]
            for case in suite.findall("testcase"):
                target.append(copy.deepcopy(case))
            for key in ("tests", "failures", "errors", "skipped"):
                target.set(key, str(int(target.get(key, "0")) + int(suite.get(key, "0"))))
    out = ET.Element("testsuites", name="health-lint")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for name in sorted(suites):
        suite = suites[name]
        out.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        out.set(key, str(value))
    out.set("time", "0")
    ET.indent(out)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(out, encoding="unicode") + "\n"
    return text, totals["failures"]


def merge_baselines(paths: list[Path]) -> tuple[str, int]:
    from .gating import BASELINE_VERSION, GatingError, load_baseline

    entries: dict[str, dict] = {}
    versions = set()
    for path in paths:
        try:
            version, found = load_baseline(path)
        except GatingError as exc:
            raise MergeError(str(exc)) from None
        versions.add(version)
        for fp, entry in found.items():
            if fp not in entries or entry["count"] > entries[fp]["count"]:
                entries[fp] = entry
    if versions != {BASELINE_VERSION}:
        raise MergeError(f"baselines of version {', '.join(map(str, sorted(versions)))}: re-create each with "
                         f"--write-baseline (version {BASELINE_VERSION}) before merging")
    ordered = sorted(entries.values(), key=lambda e: (e.get("path", ""), e.get("rule", ""), e["fingerprint"]))
    data = {"version": BASELINE_VERSION, "tool": {"name": "health-lint", "version": __version__}, "findings": ordered}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n", sum(e["count"] for e in ordered)
