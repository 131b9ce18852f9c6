"""`--shard K/N` and `merge-reports`: the union of the shards' findings is
one whole run's (link-graph rules included), and their JSON, SARIF, JUnit
reports and baselines merge into the whole run's."""
from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from health_lint.shard import ShardError, in_shard, parse_shard, shard_of

from ..conftest import FRONT, run_cli

SECTIONS = ("conditions", "medicines", "tests", "living")
WORDS = ("rest", "fluids", "sleep", "walking", "stretching", "diet", "salt", "sugar", "water", "exercise",
         "posture", "ice", "heat", "massage", "pharmacist", "nurse", "doctor", "clinic", "fever", "cough")


def make_site(root: Path, pages: int, seed: int = 5) -> list[str]:
    """A content tree of ``pages`` short articles in four sections, linking
    to each other with site-root, relative and fragment links, about 5% of
    them broken (typo, renamed, moved), some missing anchors, some orphans
    (no page links to them), repeated links and a few unreadable files."""
    rnd = random.Random(seed)
    names = [f"{SECTIONS[i % 4]}/{rnd.choice(WORDS)}-{rnd.choice(WORDS)}-{i}" for i in range(pages)]
    linkable = names[: int(pages * 0.97)]  # the last 3% are orphans
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.md").write_text(FRONT + "# Home\n\n" + "\n".join(f"- [{s}](/{s}/)" for s in SECTIONS) + "\n")
    for section in SECTIONS:
        (root / section).mkdir(exist_ok=True)
        members = [n for n in linkable if n.startswith(section + "/")][:300]
        (root / section / "index.md").write_text(
            FRONT + f"# {section}\n\n" + "\n".join(f"- [Page {n}](/{n}/)" for n in members) + "\n")
    for i, name in enumerate(names):
        lines = [f"# Page {i} about {name.split('/')[1].replace('-', ' ')}", "",
                 f"This page explains {rnd.choice(WORDS)} and {rnd.choice(WORDS)} in plain words.", "",
                 "## Overview", "", f"Most people feel better with {rnd.choice(WORDS)} and rest.", "",
                 "## When to get help", "", "Talk to your doctor if you feel worse after three days.", ""]
        for _ in range(rnd.randint(2, 6)):
            target = rnd.choice(linkable)
            roll = rnd.random()
            if roll < 0.02:
                url = f"/{target[:-1]}x/"                      # typo
            elif roll < 0.04:
                url = f"/{target}-guide/"                        # renamed
            elif roll < 0.05:
                url = f"/living/{target.split('/')[1]}/" if not target.startswith("living") else "/nowhere/"
            elif roll < 0.08:
                url = f"/{target}/#{rnd.choice(['overview', 'when-to-get-help', 'dosage'])}"  # some missing
            elif roll < 0.2 and target.split("/")[0] == name.split("/")[0]:
                url = f"{target.split('/')[1]}.md"               # relative
            else:
                url = f"/{target}/"
            lines.append(f"Read more about [page {target.split('-')[-1]}]({url}) here.")
            lines.append("")
        if i % 97 == 0:
            lines.append(f"Read more about [this page](/{name}/) here.")  # a link to itself
        (root / f"{name}.md").write_text(FRONT + "\n".join(lines) + "\n")
    for k in range(3):  # unreadable files are input findings of their own shard
        (root / SECTIONS[k] / f"broken-{k}.md").write_bytes(b"---\ntitle: x\n\xff\xfe bad\n")
    return names


# -- the split ----------------------------------------------------------------
@pytest.mark.parametrize("value,expected", [("1/1", (1, 1)), ("2/4", (2, 4)), (" 3 / 3 ", (3, 3))])
def test_parse_shard(value, expected):
    assert parse_shard(value) == expected


@pytest.mark.parametrize("value", ["0/3", "4/3", "1/0", "3", "a/b", "-1/2", ""])
def test_parse_shard_rejects(value):
    with pytest.raises(ShardError):
        parse_shard(value)


def test_split_is_stable_complete_and_even(tmp_path, monkeypatch):
    paths = [f"content/section-{i % 7}/page-{i}.md" for i in range(3000)]
    monkeypatch.chdir(tmp_path)
    owners = [shard_of(p, tmp_path, 4) for p in paths]
    # The same file, given absolute or from another folder: the same shard.
    assert owners == [shard_of(str(tmp_path / p), tmp_path, 4) for p in paths]
    monkeypatch.chdir(tmp_path.parent)
    assert owners == [shard_of(f"{tmp_path.name}/{p}", tmp_path, 4) for p in paths]
    for p, k in zip(paths, owners):
        assert [in_shard(str(tmp_path / p), tmp_path, (j, 4)) for j in range(1, 5)].count(True) == 1
        assert in_shard(str(tmp_path / p), tmp_path, (k, 4))
    counts = [owners.count(k) for k in range(1, 5)]
    assert min(counts) > 3000 / 4 * 0.9, counts
    # Adding files never moves the others.
    assert owners[:100] == [shard_of(str(tmp_path / p), tmp_path, 4) for p in paths[:100]]


def test_bad_shard_is_a_usage_error(tmp_path):
    (tmp_path / "a.md").write_text(FRONT + "# A\n\nText.\n")
    proc = run_cli("check", "--shard", "5/4", "a.md", cwd=tmp_path)
    assert proc.returncode == 2 and "--shard" in proc.stderr


# -- equality with a whole run ------------------------------------------------------
def _key(f: dict) -> tuple:
    return (f["path"], f["line"], f["column"], f["rule"], f["severity"], f["message"], f["fingerprint"])


def test_shards_of_a_2000_article_site_add_up_to_the_whole_run(tmp_path):
    make_site(tmp_path / "content", 2000)
    (tmp_path / ".health-lint.toml").write_text("")
    whole = run_cli("check", "content", "-f", "json", "-o", "whole.json", cwd=tmp_path, timeout=900)
    assert whole.returncode == 1, whole.stderr
    parts = []
    for k in (1, 2, 3):
        proc = run_cli("check", "content", "--shard", f"{k}/3", "-f", "json", "-o", f"part{k}.json",
                       cwd=tmp_path, timeout=900)
        assert proc.returncode in (0, 1), proc.stderr
        parts.append(json.loads((tmp_path / f"part{k}.json").read_text()))
    full = json.loads((tmp_path / "whole.json").read_text())
    rules = {f["rule"] for f in full["findings"]}
    # The site exercises the graph rules whose findings depend on other files.
    assert {"links/broken-internal", "links/missing-anchor", "graph/orphan"} <= rules, rules
    union = [f for p in parts for f in p["findings"]]
    assert sorted(map(_key, union)) == sorted(map(_key, full["findings"]))
    # Each file is reported by exactly one shard.
    owners: dict[str, int] = {}
    for k, p in enumerate(parts, 1):
        for f in p["findings"]:
            assert owners.setdefault(f["path"], k) == k
    assert sum(p["summary"]["files"] for p in parts) == full["summary"]["files"]
    # merge-reports gives the whole run's report.
    proc = run_cli("merge-reports", "part1.json", "part2.json", "part3.json", "-o", "merged.json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    merged = json.loads((tmp_path / "merged.json").read_text())
    assert merged["findings"] == full["findings"]
    assert merged["summary"] == full["summary"]


def _sarif_results(path: Path) -> list[tuple]:
    run = json.loads(path.read_text())["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    out = []
    for r in run["results"]:
        loc = r["locations"][0]["physicalLocation"]
        # The rule index points at the descriptor of the result's rule.
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        out.append((loc["artifactLocation"]["uri"], json.dumps(loc["region"], sort_keys=True), r["ruleId"],
                    r["message"]["text"], r["partialFingerprints"]))
    return [tuple(json.dumps(x, sort_keys=True) for x in t) for t in out]


def test_sarif_junit_and_baselines_merge_into_the_whole_runs(tmp_path):
    make_site(tmp_path / "content", 150, seed=11)
    (tmp_path / ".health-lint.toml").write_text("")
    for fmt, ext in (("sarif", "sarif"), ("junit", "xml")):
        assert run_cli("check", "content", "-f", fmt, "-o", f"whole.{ext}", cwd=tmp_path).returncode == 1
        for k in (1, 2):
            run_cli("check", "content", "--shard", f"{k}/2", "-f", fmt, "-o", f"part{k}.{ext}", cwd=tmp_path)
        proc = run_cli("merge-reports", f"part1.{ext}", f"part2.{ext}", "-o", f"merged.{ext}", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    assert _sarif_results(tmp_path / "merged.sarif") == _sarif_results(tmp_path / "whole.sarif")
    whole_run = json.loads((tmp_path / "whole.sarif").read_text())["runs"][0]
    merged_run = json.loads((tmp_path / "merged.sarif").read_text())["runs"][0]
    assert merged_run["invocations"][0]["properties"]["summary"] == whole_run["invocations"][0]["properties"]["summary"]

    def suites(path):
        root = ET.parse(path).getroot()
        return (root.get("tests"), root.get("failures"),
                [(s.get("name"), s.get("tests"), s.get("failures"), [ET.tostring(c) for c in s]) for s in root])

    assert suites(tmp_path / "merged.xml") == suites(tmp_path / "whole.xml")

    assert run_cli("check", "content", "--write-baseline", "whole.baseline.json", cwd=tmp_path).returncode == 0
    for k in (1, 2):
        run_cli("check", "content", "--shard", f"{k}/2", "--write-baseline", f"part{k}.baseline.json", cwd=tmp_path)
    proc = run_cli("merge-reports", "part1.baseline.json", "part2.baseline.json", "-o", "merged.baseline.json",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    whole = json.loads((tmp_path / "whole.baseline.json").read_text())
    merged = json.loads((tmp_path / "merged.baseline.json").read_text())
    assert merged["findings"] == whole["findings"] and merged["version"] == whole["version"]
    # The merged baseline gates the whole site: nothing new.
    proc = run_cli("check", "content", "--baseline", "merged.baseline.json", "-f", "json", cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["findings"] == []


def test_merge_refuses_mixed_formats_repeated_shards_and_warns_on_missing(tmp_path):
    make_site(tmp_path / "content", 30, seed=3)
    (tmp_path / ".health-lint.toml").write_text("")
    for k in (1, 2, 3):
        run_cli("check", "content", "--shard", f"{k}/3", "-f", "json", "-o", f"p{k}.json", cwd=tmp_path)
    run_cli("check", "content", "--shard", "1/3", "-f", "sarif", "-o", "p1.sarif", cwd=tmp_path)
    proc = run_cli("merge-reports", "p1.json", "p1.sarif", "-o", "m.json", cwd=tmp_path)
    assert proc.returncode == 2 and "different formats" in proc.stderr
    proc = run_cli("merge-reports", "p1.json", "p1.json", "-o", "m.json", cwd=tmp_path)
    assert proc.returncode == 2 and "given twice" in proc.stderr
    proc = run_cli("merge-reports", "p1.json", "p3.json", "-o", "m.json", cwd=tmp_path)
    assert proc.returncode == 0 and "2/3 missing" in proc.stderr
    (tmp_path / "junk.json").write_text("{not json")
    proc = run_cli("merge-reports", "junk.json", "-o", "m.json", cwd=tmp_path)
    assert proc.returncode == 2 and "junk.json" in proc.stderr
    assert not (tmp_path / "missing.json").exists()
    proc = run_cli("merge-reports", "missing.json", "-o", "m.json", cwd=tmp_path)
    assert proc.returncode == 2 and "missing.json" in proc.stderr


def test_links_shard_checks_only_its_own_files(tmp_path):
    """Offline: links to a closed local port fail; each file's failures are
    reported by its own shard only, and the shards add up to the whole run."""
    content = tmp_path / "content"
    content.mkdir()
    for i in range(12):
        (content / f"page-{i}.md").write_text(FRONT + f"# P{i}\n\nSee [x](http://127.0.0.1:9/page-{i}) now.\n")
    (tmp_path / ".health-lint.toml").write_text("[links]\nallow-private = true\nrate-limit = 0\nbackoff-base = 0.01\n"
                                                "backoff-max = 0.05\nconnect-timeout = 0.5\nread-timeout = 0.5\n")
    whole = run_cli("links", "content", "--no-cache", "-f", "json", cwd=tmp_path)
    full = json.loads(whole.stdout)
    paths = []
    for k in (1, 2):
        proc = run_cli("links", "content", "--no-cache", "--shard", f"{k}/2", "-f", "json", cwd=tmp_path)
        out = json.loads(proc.stdout)
        assert out["shard"] == {"index": k, "count": 2}
        paths.append({f["path"] for f in out["findings"]})
        assert out["links"]["urls"] == out["summary"]["files"]  # one URL per own file
    assert not paths[0] & paths[1]
    assert paths[0] | paths[1] == {f["path"] for f in full["findings"]} and len(paths[0] | paths[1]) == 12


def test_init_writes_a_matrix_workflow_whose_commands_work_here(tmp_path):
    import yaml

    make_site(tmp_path / "content", 40, seed=7)
    proc = run_cli("init", "--shards", "3", "--no-pre-commit", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    wf = yaml.safe_load((tmp_path / ".github/workflows/health-lint.yml").read_text())
    part_job, upload_job = wf["jobs"]["health-lint"], wf["jobs"]["upload"]
    assert part_job["strategy"]["matrix"]["shard"] == [1, 2, 3] and part_job["strategy"]["fail-fast"] is False
    assert upload_job["needs"] == "health-lint" and upload_job["permissions"]["security-events"] == "write"
    sarif_step = next(s for s in part_job["steps"] if s.get("name", "").startswith("health-lint (SARIF"))
    merge_step = next(s for s in upload_job["steps"] if s.get("name") == "Merge the parts")
    # Run each part's command as the runners would, then the merge.
    for k in (1, 2, 3):
        argv = sarif_step["run"].replace("${{ matrix.shard }}", str(k)).split()
        assert argv[:2] == ["health-lint", "check"]
        assert run_cli(*argv[1:], cwd=tmp_path).returncode == 0
    argv = merge_step["run"].split()
    inputs = sorted(str(p.name) for p in tmp_path.glob("health-lint-*.sarif"))
    assert len(inputs) == 3
    assert run_cli("merge-reports", *inputs, *argv[-2:], cwd=tmp_path).returncode == 0
    run_cli("check", "content", "--format", "sarif", "--output", "whole.sarif", "--fail-level", "never", cwd=tmp_path)
    assert _sarif_results(tmp_path / "health-lint.sarif") == _sarif_results(tmp_path / "whole.sarif")
    assert run_cli("init", "--shards", "0", "--force", cwd=tmp_path).returncode == 2
