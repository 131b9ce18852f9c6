"""The CI features of issue 6 on every command that reports findings, not
just `check`: exit codes 0/1/2, `--format sarif`, and a `--write-baseline`
/ `--baseline` round trip, for `check`, `graph` and `links` (`links` against
a real HTTP server on 127.0.0.1). Exit code 3 is tested on `check` only
(test_cli_ci.py): every command ends in the same `finish`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import FAST_LINKS, LONG_1, article, only_rules
from .test_formats import validate_sarif

COMMANDS = ("check", "graph", "links")


def setup(command: str, folder: Path, server, broken: bool) -> list[str]:
    """Write a small project for ``command`` in ``folder``, with or without
    one error; returns the command line's arguments."""
    keep = {"check": ("readability/long-sentence", "disclaimer/missing"), "graph": ("links/broken-internal",),
            "links": ("links/broken",)}[command]
    config = only_rules(folder, keep)
    if command == "check":
        (folder / "a.md").write_text(article(LONG_1 if broken else "Short.", disclaimer=not broken),
                                     encoding="utf-8")
        return ["check", "a.md"]
    if command == "graph":
        content = folder / "content"
        content.mkdir()
        (content / "index.md").write_text("# Home\n\nSee [b](b.md).\n", encoding="utf-8")
        extra = " and [gone](nope.md)" if broken else ""
        (content / "b.md").write_text(f"# B\n\nBack [home](index.md){extra}.\n", encoding="utf-8")
        return ["graph", "content"]
    config.write_text(config.read_text(encoding="utf-8") + FAST_LINKS, encoding="utf-8")
    target = server.url("/gone") if broken else server.url("/ok/two")
    (folder / "a.md").write_text(article(f"Read [the guide]({server.url('/ok')}) and [more]({target})."),
                                 encoding="utf-8")
    return ["links", "a.md", "--no-cache"]


@pytest.mark.parametrize("command", COMMANDS)
def test_exit_codes_0_1_2(cli, tmp_path, loopback, command):
    ok, bad = tmp_path / "ok", tmp_path / "bad"
    ok.mkdir()
    bad.mkdir()
    args = setup(command, ok, loopback, broken=False)
    code, out, err = cli(*args, "--format", "json", cwd=ok)
    assert code == 0, out + err
    assert json.loads(out)["findings"] == []
    args = setup(command, bad, loopback, broken=True)
    code, out, err = cli(*args, "--format", "json", cwd=bad)
    assert code == 1, out + err
    assert any(f["severity"] == "error" for f in json.loads(out)["findings"])
    assert cli(*args, "--fail-level", "never", cwd=bad)[0] == 0
    code, out, err = cli(*args, "--fail-level", "bogus", cwd=bad)
    assert code == 2 and "--fail-level must be one of" in err
    code, out, err = cli(*args, "--format", "xml", cwd=bad)
    assert code == 2 and "unknown format 'xml'" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_sarif_and_baseline_round_trip(cli, tmp_path, loopback, command):
    args = setup(command, tmp_path, loopback, broken=True)
    code, out, err = cli(*args, "--format", "sarif", cwd=tmp_path)
    assert code == 1, err
    log = json.loads(out)
    validate_sarif(log)
    results = log["runs"][0]["results"]
    assert results and any(r["level"] == "error" for r in results)
    assert log["runs"][0]["invocations"][0]["properties"]["command"] == command

    code, out, err = cli(*args, "--write-baseline", "bl.json", cwd=tmp_path)
    assert code == 0 and "to baseline bl.json" in err
    data = json.loads((tmp_path / "bl.json").read_text(encoding="utf-8"))
    assert sum(e["count"] for e in data["findings"]) == len(results)
    # SARIF and the baseline fingerprint findings the same way.
    assert {r["partialFingerprints"]["healthLint/v1"] for r in results} == {e["fingerprint"] for e in data["findings"]}

    code, out, err = cli(*args, "--baseline", "bl.json", "--format", "sarif", cwd=tmp_path)
    assert code == 0, err
    log = json.loads(out)
    validate_sarif(log)
    assert log["runs"][0]["results"] == []
    summary = log["runs"][0]["invocations"][0]["properties"]["summary"]
    assert summary["baseline"] == {"matched": len(results), "new": 0, "stale": 0}
