"""Recall and precision of the red-flag rules on the labelled articles in
fixtures/red-flags/ (labels.yaml says what each article must get).

    .venv/bin/python tools/red_flag_recall.py [--part held-out|dev] [--verbose]

Runs the real checker in-process with the default configuration and counts,
per pack, each reported missing concept as a true finding (the label says it
is missing) or a false one (the article covers it, or the pack does not
apply), and each labelled missing concept not reported as a miss. Topic
detection, red-flags/wrong-urgency and red-flags/no-emergency-advice are
counted the same way. Exit status 0 (it measures; tests/test_red_flag_set.py
sets the floors).
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FOLDER = ROOT / "fixtures" / "red-flags"


def evaluate(part: str | None = None) -> dict:
    import yaml

    from health_lint import config as config_mod
    from health_lint import parsers
    from health_lint.linter import Checker

    labels = yaml.safe_load((FOLDER / "labels.yaml").read_text(encoding="utf-8"))
    checker = Checker(config_mod.Config())
    per_pack = collections.defaultdict(collections.Counter)
    other = collections.defaultdict(collections.Counter)
    errors = []
    for name, expected in sorted(labels.items()):
        if part and not name.startswith(part + "/"):
            continue
        path = FOLDER / name
        doc = parsers.parse(path.read_text(encoding="utf-8"), str(path), parsers.format_of(str(path)))
        findings = checker.check_document(doc).findings
        reported: dict[str, set] = {}
        for f in findings:
            if f.rule == "red-flags/missing":
                reported[f.data["topic"]] = set(f.data["concepts"])
        detected = set(reported) | _detected_topics(doc, checker)
        want = {k: set(v or []) for k, v in (expected.get("topics") or {}).items()}
        for pack in detected | set(want):
            got, exp = reported.get(pack, set()), want.get(pack, set())
            c = per_pack[pack]
            c["articles"] += 1
            if pack in detected and pack not in want:
                c["wrong topic"] += 1
                errors.append(f"{name}: topic {pack} detected but not expected")
            if pack in want and pack not in detected:
                c["missed topic"] += 1
                errors.append(f"{name}: topic {pack} expected but not detected")
            c["TP"] += len(got & exp)
            c["FP"] += len(got - exp)
            c["FN"] += len(exp - got)
            for cid in sorted(got - exp):
                errors.append(f"{name}: FP {pack}/{cid}")
            for cid in sorted(exp - got):
                errors.append(f"{name}: FN {pack}/{cid}")
        got_wu = {f"{f.data['topic']}/{cid}" for f in findings if f.rule == "red-flags/wrong-urgency"
                  for cid in f.data["concepts"]}
        exp_wu = set(expected.get("wrong-urgency") or [])
        c = other["red-flags/wrong-urgency"]
        c["TP"] += len(got_wu & exp_wu)
        c["FP"] += len(got_wu - exp_wu)
        c["FN"] += len(exp_wu - got_wu)
        errors += [f"{name}: wrong-urgency FP {x}" for x in sorted(got_wu - exp_wu)]
        errors += [f"{name}: wrong-urgency FN {x}" for x in sorted(exp_wu - got_wu)]
        got_ne = any(f.rule == "red-flags/no-emergency-advice" for f in findings)
        exp_ne = bool(expected.get("no-emergency-advice"))
        c = other["red-flags/no-emergency-advice"]
        c["TP"] += got_ne and exp_ne
        c["FP"] += got_ne and not exp_ne
        c["FN"] += exp_ne and not got_ne
        if got_ne != exp_ne:
            errors.append(f"{name}: no-emergency-advice {'FP' if got_ne else 'FN'}")
    return {"packs": per_pack, "other": other, "errors": errors}


def _detected_topics(doc, checker) -> set:
    from health_lint.terms import topics_of

    return {p["id"] for p in topics_of(doc, checker.context.packs.of_kind("red-flags"))}


def ratio(a: int, b: int) -> str:
    return f"{a / b:.0%}" if b else "n/a"


def report(result: dict) -> str:
    lines = [f"{'pack / rule':32} {'TP':>4} {'FP':>4} {'FN':>4}  precision  recall  topic errors"]
    tot = collections.Counter()
    for pack in sorted(result["packs"]):
        c = result["packs"][pack]
        tot.update({k: c[k] for k in ("TP", "FP", "FN")})
        lines.append(f"{pack:32} {c['TP']:4} {c['FP']:4} {c['FN']:4}  {ratio(c['TP'], c['TP'] + c['FP']):>9}  "
                     f"{ratio(c['TP'], c['TP'] + c['FN']):>6}  {c['wrong topic'] + c['missed topic']}")
    lines.append(f"{'ALL red-flags/missing':32} {tot['TP']:4} {tot['FP']:4} {tot['FN']:4}  "
                 f"{ratio(tot['TP'], tot['TP'] + tot['FP']):>9}  {ratio(tot['TP'], tot['TP'] + tot['FN']):>6}")
    for rule, c in sorted(result["other"].items()):
        lines.append(f"{rule:32} {c['TP']:4} {c['FP']:4} {c['FN']:4}  {ratio(c['TP'], c['TP'] + c['FP']):>9}  "
                     f"{ratio(c['TP'], c['TP'] + c['FN']):>6}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=["held-out", "dev"], help="only this part of the set")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every wrong or missed finding")
    args = ap.parse_args()
    result = evaluate(args.part)
    print(report(result))
    if args.verbose and result["errors"]:
        print("\n" + "\n".join(result["errors"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
