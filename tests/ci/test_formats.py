"""Every output format on the same findings set: a finding on line 1, a
whole-document finding, and a path with a space, a comma and non-ASCII
letters."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from health_lint.findings import Finding
from health_lint.reporters import FORMATS, render
from health_lint.reporters.github_format import escape_data, escape_property
from health_lint.rules import registry

from .conftest import ODD_PATH, article, only_rules

SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate_sarif(log: dict) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    # The schema's "uri-reference" format needs an optional package to be
    # checked; check the URIs ourselves: no raw spaces or non-ASCII.
    for result in log["runs"][0]["results"]:
        for loc in result["locations"]:
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            assert re.fullmatch(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", uri), uri


def test_every_format_renders_the_set(findings_report):
    for fmt in FORMATS:
        text = render(fmt, findings_report)
        assert text.endswith("\n")
        assert "readability/long-sentence" in text and "disclaimer/missing" in text, fmt


# -- SARIF --------------------------------------------------------------------------
def test_sarif_is_valid_against_the_official_schema(findings_report):
    validate_sarif(json.loads(render("sarif", findings_report)))


def test_sarif_content(findings_report):
    log = json.loads(render("sarif", findings_report))
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "health-lint" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules][:len(registry())] == list(registry())
    grade = next(r for r in rules if r["id"] == "readability/grade")
    assert grade["shortDescription"]["text"] == registry()["readability/grade"].summary
    assert "Flesch-Kincaid" in grade["fullDescription"]["text"]
    assert "How to fix" in grade["help"]["text"] and grade["help"]["markdown"]
    assert grade["defaultConfiguration"]["level"] == "warning"
    assert next(r for r in rules if r["id"] == "disclaimer/missing")["defaultConfiguration"]["level"] == "error"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == Path(findings_report.root).as_uri() + "/"

    line1, doc_level, odd = run["results"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["partialFingerprints"]["healthLint/v1"]
    assert line1["level"] == "warning" and doc_level["level"] == "error" and odd["level"] == "note"
    loc = line1["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "a.md", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1 + len(
        findings_report.findings[0].snippet)}
    assert doc_level["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    odd_uri = odd["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert odd_uri == "my%20articles/r%C3%BCckenschmerz%2C%20akut.md"
    assert unquote(odd_uri) == ODD_PATH
    assert "How to fix: Split it" in line1["message"]["text"]
    assert line1["partialFingerprints"]["healthLint/v1"] == findings_report.findings[0].fingerprint()


def test_sarif_paths_outside_the_root_and_urls(findings_report, tmp_path):
    outside = tmp_path.parent / "elsewhere.md"
    findings_report.root = tmp_path / "sub"
    findings_report.findings.append(Finding(path=str(outside), line=2, column=3, end_line=2, end_column=9,
                                            rule="readability/long-sentence", severity="warning", message="m"))
    findings_report.findings.append(Finding(path="https://example.org/a page?q=1", line=1, column=1, end_line=1,
                                            end_column=1, rule="links/broken", severity="error", message="404",
                                            document_level=True))
    log = json.loads(render("sarif", findings_report))
    validate_sarif(log)
    locations = [r["locations"][0]["physicalLocation"] for r in log["runs"][0]["results"]]
    # Relative paths are relative to the current folder (tmp_path), now
    # outside the root: absolute file URIs, without a base id.
    assert locations[0]["artifactLocation"] == {"uri": (tmp_path / "a.md").as_uri()}
    assert locations[3]["artifactLocation"] == {"uri": outside.as_uri()}
    assert locations[3]["region"] == {"startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 9}
    assert locations[4]["artifactLocation"] == {"uri": "https://example.org/a%20page?q=1"}
    # A rule no registry knows still gets a descriptor that its result points at.
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[log["runs"][0]["results"][4]["ruleIndex"]]["id"] == "links/broken"


# -- GitHub workflow commands --------------------------------------------------------
def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse a workflow command the way the Actions runner does."""
    m = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert m, line
    props = dict(p.split("=", 1) for p in m.group(2).split(","))

    def unescape(v: str) -> str:
        return (v.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
                .replace("%25", "%"))

    return m.group(1), {k: unescape(v) for k, v in props.items()}, unescape(m.group(3))


def test_github_annotations(findings_report):
    lines = render("github", findings_report).splitlines()
    commands = [parse_command(line) for line in lines if line.startswith("::")]
    assert [c[0] for c in commands] == ["error", "warning", "notice"]  # errors first
    kind, props, message = commands[0]
    assert props == {"file": "a.md", "line": "1", "title": "disclaimer/missing (error)"}  # whole document: no column
    assert message.startswith("No medical disclaimer found: add one")
    assert message.endswith("\nHow to fix: Add a disclaimer paragraph.")
    kind, props, message = commands[1]
    n = len(findings_report.findings[0].snippet)
    assert props == {"file": "a.md", "line": "1", "col": "1", "endLine": "1", "endColumn": str(n),
                     "title": "readability/long-sentence (warning)"}
    kind, props, message = commands[2]
    assert props["file"] == ODD_PATH and props["line"] == "3"
    assert message.startswith("100% sure: grade 9.1, ease 60,2\nsecond line\r\n")
    assert lines[-1] == "3 files checked: 1 error, 1 warning, 1 info"


def test_github_escaping_rules():
    assert escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"
    assert escape_property("a%b:c,d\ne") == "a%25b%3Ac%2Cd%0Ae"
    line = render_one(Finding(path="x, y:z.md", line=2, column=1, end_line=2, end_column=3, rule="r/x",
                              severity="warning", message="::error::injected"))
    assert line.startswith("::warning file=x%2C y%3Az.md,line=2,col=1,endLine=2,endColumn=2,title=r/x (warning)::")
    assert line.endswith("::::error::injected")


def render_one(finding: Finding) -> str:
    from health_lint.reporters import Report

    return render("github", Report(findings=[finding], files=1)).splitlines()[0]


def test_github_cap_keeps_errors_and_summarises_the_rest(findings_report):
    many = [Finding(path="b.md", line=i, column=1, end_line=i, end_column=4, rule="readability/long-sentence",
                    severity="warning", message=f"w{i}") for i in range(1, 71)]
    many.insert(60, Finding(path="b.md", line=99, column=1, end_line=99, end_column=2, rule="disclaimer/missing",
                            severity="error", message="late error"))
    findings_report.findings = many
    lines = render("github", findings_report).splitlines()
    annotations = [line for line in lines if line.startswith(("::error", "::warning", "::notice"))]
    assert len(annotations) == 50
    assert annotations[0].startswith("::error") and annotations[0].endswith("::late error")
    assert "health-lint: 21 more findings not annotated (21 warnings; at most 50 annotations per run" in "\n".join(lines)
    group = lines[lines.index("::group::21 findings without annotation") + 1:lines.index("::endgroup::")]
    assert len(group) == 21 and group[0] == "b.md:50:1 warning readability/long-sentence  w50"

    findings_report.options["max-annotations"] = 0
    lines = render("github", findings_report).splitlines()
    assert not [line for line in lines if line.startswith(("::error", "::warning"))]
    assert any("71 more findings not annotated (1 error, 70 warnings" in line for line in lines)


def test_github_paths_relative_to_workspace(findings_report, monkeypatch, tmp_path):
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path.parent))
    first = [line for line in render("github", findings_report).splitlines() if line.startswith("::")][0]
    assert f"file={tmp_path.name}/a.md," in first


# -- JUnit ------------------------------------------------------------------------
def test_junit_is_well_formed_with_counts(findings_report):
    findings_report.fail_level = "info"  # every finding fails its test case (see test_issue11_silent)
    text = render("junit", findings_report)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "3", "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["a.md", ODD_PATH, "clean.md"]
    a = suites["a.md"]
    assert (a.get("tests"), a.get("failures")) == ("2", "2")
    cases = a.findall("testcase")
    assert [c.get("classname") for c in cases] == ["readability/long-sentence", "disclaimer/missing"]
    assert [c.get("name") for c in cases] == ["a.md:1:1", "a.md:1:1"]
    failure = cases[1].find("failure")
    assert failure.get("type") == "error" and failure.get("message").startswith("No medical disclaimer found")
    assert "How to fix: Add a disclaimer paragraph." in failure.text
    odd = suites[ODD_PATH].find("testcase")
    assert odd.get("name") == f"{ODD_PATH}:3:1"
    # Markup is escaped, a forbidden control character is spelled out, newlines survive.
    assert odd.find("failure").get("message") == "100% sure: grade 9.1, ease 60,2\nsecond line\r\n<&> \\x01"
    clean = suites["clean.md"]
    assert (clean.get("tests"), clean.get("failures")) == ("1", "0")
    assert clean.find("testcase").find("failure") is None


def test_junit_without_the_list_of_files(findings_report):
    del findings_report.options["paths"]
    findings_report.files = 5
    root = ET.fromstring(render("junit", findings_report).encode("utf-8"))
    # Fail level "error": only the disclaimer finding fails its test case.
    assert (root.get("tests"), root.get("failures")) == ("4", "1")
    last = root.findall("testsuite")[-1].find("testcase")
    assert last.get("name") == "3 checked files without findings" and last.find("failure") is None


# -- JSON and text on the same set ---------------------------------------------------
def test_json_and_text_on_the_set(findings_report):
    data = json.loads(render("json", findings_report))
    assert [f["path"] for f in data["findings"]] == ["a.md", "a.md", ODD_PATH]
    assert data["findings"][1]["document_level"] is True and data["findings"][0]["line"] == 1
    text = render("text", findings_report)
    assert f"{ODD_PATH}:3:1 info readability/grade" in text


# -- end to end, through the CLI ---------------------------------------------------
@pytest.mark.parametrize("fmt", ["sarif", "github", "junit"])
def test_formats_from_the_cli(cli, tmp_path, fmt):
    only_rules(tmp_path)
    (tmp_path / "my articles").mkdir()
    from .conftest import LONG_1

    (tmp_path / ODD_PATH).write_text(f"{LONG_1}\n", encoding="utf-8")  # line 1 finding, no disclaimer
    (tmp_path / "ok.md").write_text(article("Short and clear."), encoding="utf-8")
    code, out, err = cli("check", ODD_PATH, "ok.md", "--format", fmt, cwd=tmp_path)
    assert code == 1, err
    if fmt == "sarif":
        log = json.loads(out)
        validate_sarif(log)
        results = log["runs"][0]["results"]
        by_rule = {r["ruleId"]: r for r in results}
        assert by_rule["readability/long-sentence"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
        assert by_rule["disclaimer/missing"]["level"] == "error"
        uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert unquote(urlsplit(uri).path) == ODD_PATH
    elif fmt == "github":
        commands = [parse_command(line) for line in out.splitlines() if line.startswith("::")]
        assert commands[0][0] == "error" and commands[0][1]["file"] == ODD_PATH
        assert any(c[1].get("line") == "1" and c[1].get("col") == "1" for c in commands)
    else:
        root = ET.fromstring(out.encode("utf-8"))
        # The missing disclaimer (error) fails; the long sentence (a warning,
        # below the default fail level) passes, shown in its system-out.
        assert int(root.get("failures")) == 1 and int(root.get("tests")) >= 2
        assert root.find("testsuite").get("name") == ODD_PATH


def test_sarif_paths_are_relative_to_the_repository_root(cli, repo):
    """Code scanning resolves SARIF paths from the repository root, whichever
    folder health-lint ran from and wherever its configuration is."""
    site = repo / "site"
    (site / "content").mkdir(parents=True)
    only_rules(site)                                   # the project root is site/
    from .conftest import LONG_1

    (site / "content" / "a b.md").write_text(f"{LONG_1}\n", encoding="utf-8")
    for cwd, target in ((site, "content/a b.md"), (site / "content", "a b.md"), (repo, "site/content/a b.md")):
        code, out, err = cli("check", target, "--format", "sarif", cwd=cwd)
        assert code == 1, err
        log = json.loads(out)
        validate_sarif(log)
        run = log["runs"][0]
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
        assert uris == {"site/content/a%20b.md"}, (cwd, uris)


def test_sarif_root_outside_git_is_the_project_root(cli, tmp_path):
    only_rules(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("Text.\n", encoding="utf-8")
    code, out, err = cli("check", "a.md", "--format", "sarif", cwd=tmp_path / "sub")
    loc = json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "sub/a.md", "uriBaseId": "%SRCROOT%"}
