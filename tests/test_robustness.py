"""Hostile and odd local input (issue 14): each case builds the input that
used to crash (exit 3), hang, mis-position findings or hide suppressions,
and checks the clear finding or error that replaces it."""
from __future__ import annotations

import json
import pickle
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import FRONT, lint_text, rules_of, run_cli, run_json

LONG = " ".join(["word"] * 30) + "."


def long_sentences(findings):
    return [f.line for f in findings if f.rule == "readability/long-sentence"]


# -- suppression ------------------------------------------------------------------
def test_enable_rule_after_bare_disable_re_enables_that_rule_only():
    text = (f"# T\n\n<!-- health-lint-disable -->\n{LONG}\n\n<!-- health-lint-enable readability/long-sentence -->\n"
            f"{LONG}\n")
    found = lint_text(text)
    assert long_sentences(found) == [7]
    assert rules_of(found) == ["readability/long-sentence"]  # every other rule stays disabled


def test_enable_rule_inside_family_disable_and_disable_again():
    text = (f"# T\n\n<!-- health-lint-disable readability/* -->\n{LONG}\n\n"
            f"<!-- health-lint-enable readability/long-sentence -->\n{LONG}\n\n"
            f"<!-- health-lint-disable readability/long-sentence -->\n{LONG}\n")
    assert long_sentences(lint_text(text)) == [7]


def test_unclosed_suppression_comment_gives_one_warning_not_one_per_word():
    text = (f"# T\n\n<!-- health-lint-disable readability/long-sentence\n\n{LONG}\n\n"
            f"Some more text here with many words.\n\n<!-- a later comment -->\n")
    findings = lint_text(text)
    found = [f for f in findings if f.rule == "suppression/invalid"]
    assert len(found) == 1
    assert "not a rule id" in found[0].message and "-->" in found[0].message


def test_never_closed_suppression_comment_is_reported_and_ignored():
    text = f"# T\n\n{LONG}\n\n<!-- health-lint-disable readability/long-sentence\n"
    found = lint_text(text)
    assert [f.message for f in found if f.rule == "suppression/invalid"] == [
        "Suppression comment is never closed (no `-->`); it was ignored."]
    assert long_sentences(found) == [3]


@pytest.mark.parametrize("value", ["[readability/long-sentence]", "5", "{disable: 5}", "{disable: [{a: 1}]}",
                                   "{disabled: [readability/long-sentence]}"])
def test_malformed_front_matter_suppression_is_an_input_finding_not_a_crash(value):
    text = f"---\ntitle: T\nhealth-lint: {value}\n---\n# T\n\n{LONG}\n"
    found = lint_text(text)
    problems = [f for f in found if f.rule == "input/front-matter"]
    assert len(problems) == 1 and problems[0].line == 3, found
    assert "it must be `health-lint: {disable: [RULE, ...]}`" in problems[0].message
    assert long_sentences(found) == [7]  # nothing was suppressed


def test_front_matter_disable_as_one_string_still_works():
    text = f"---\ntitle: T\nhealth-lint:\n  disable: readability/long-sentence\n---\n# T\n\n{LONG}\n"
    found = lint_text(text)
    assert long_sentences(found) == [] and "input/front-matter" not in rules_of(found)


@pytest.mark.parametrize("hidden", [
    'See [the guide](https://nhs.uk/ "<!-- health-lint-disable -->").',
    'See <span title="<!-- health-lint-disable -->">the guide</span>.',
    "Type `<!-- health-lint-disable -->` to silence a rule.",
    "Type ``a <!-- health-lint-disable --> b`` to silence a rule.",
])
def test_directive_text_outside_a_real_comment_suppresses_nothing(hidden):
    text = f"# T\n\n{hidden}\n\n{LONG}\n"
    assert long_sentences(lint_text(text)) == [5]


@pytest.mark.parametrize("text", ["<a " * 30000, " ".join("`" * i for i in range(1, 400)), "](" * 40000])
def test_finding_real_comments_is_linear_on_hostile_markup(text):
    import time

    from health_lint import parsers
    from health_lint.suppression import real_comments

    doc = parsers.parse("# T\n\n" + text + "\n<!-- health-lint-disable -->\n", "a.md", "markdown")
    started = time.perf_counter()
    assert len(real_comments(doc)) == 1
    # Quadratic scanning took 278 s on the first text (90 kB); linear is ~0.1 s.
    assert time.perf_counter() - started < 5


def test_directive_text_in_a_reference_definition_title_suppresses_nothing():
    text = f'# T\n\nSee [the guide][g].\n\n[g]: https://nhs.uk/\n    "<!-- health-lint-disable -->"\n\n{LONG}\n'
    assert long_sentences(lint_text(text)) == [8]


def test_directive_text_in_a_front_matter_string_suppresses_nothing():
    text = f'---\ntitle: "<!-- health-lint-disable -->"\n---\n# T\n\n{LONG}\n'
    assert long_sentences(lint_text(text)) == [6]


def test_directive_text_in_an_html_attribute_suppresses_nothing_in_html():
    text = (f'<html><body><main><h1 title="<!-- health-lint-disable -->">T</h1>\n<p>{LONG}</p>\n'
            f'<script>var s = "<!-- health-lint-disable -->";</script></main></body></html>')
    assert long_sentences(lint_text(text, "a.html")) == [2]


def test_real_comments_still_work_next_to_hidden_ones():
    text = (f'# T\n\nSee [g](https://nhs.uk/ "<!-- x -->") now.\n\n<!-- health-lint-disable-next-line '
            f"readability/long-sentence -->\n{LONG}\n\n{LONG}\n")
    assert long_sentences(lint_text(text)) == [8]


# -- front matter YAML ------------------------------------------------------------
def billion_laughs(keys=("title", "author", "date")) -> str:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines += [f"{k}: *i" for k in keys] + ["---", "# T", "", "Text."]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("front, line, reason", [
    ("title: &a [*a]\n", 2, "recursive alias"),
    ("author: &a {name: *a}\n", 2, "recursive alias"),
])
def test_recursive_yaml_alias_is_an_input_finding(tmp_path, front, line, reason):
    (tmp_path / "a.md").write_text(f"---\n{front}---\n# T\n\nText.\n")
    code, out = run_json("check", "a.md", cwd=tmp_path)
    found = [f for f in out["findings"] if f["rule"] == "input/front-matter"]
    assert code == 1 and len(found) == 1 and found[0]["line"] == line
    assert reason in found[0]["message"]


def test_billion_laughs_in_title_author_date_is_refused_quickly(tmp_path):
    (tmp_path / "a.md").write_text(billion_laughs())
    proc = run_cli("check", "a.md", "-f", "json", cwd=tmp_path, timeout=30)
    found = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "input/front-matter"]
    assert proc.returncode == 1 and len(found) == 1
    assert "aliases expand to more than 10,000 values" in found[0]["message"]


def test_ordinary_aliases_still_work():
    text = "---\ntitle: Back pain\nauthor: &who Sam Lee\nreviewed_by: Dana Cruz, MD\nwritten_by: *who\n---\n# T\n\nText.\n"
    assert "input/front-matter" not in rules_of(lint_text(text))
    assert "meta/missing-author" not in rules_of(lint_text(text))


@pytest.mark.parametrize("value, reason", [
    ("!!timestamp 2019-13-45", "month must be in 1..12"),
    ("!!float abc", "could not convert string to float"),
    ("!!int 0xZZ", "invalid literal for int()"),
    ("9" * 5000, "Exceeds the limit (4300 digits)"),
])
def test_yaml_value_that_does_not_fit_its_tag_is_an_input_finding(value, reason):
    from health_lint import parsers
    from health_lint.parsers.errors import InputError

    with pytest.raises(InputError) as err:
        parsers.parse(f"---\ntitle: T\ndate: {value}\n---\n# T\n\nText.\n", "a.md", "markdown")
    assert err.value.kind == "front-matter" and "a value does not fit its tag" in err.value.reason
    assert reason in err.value.reason


@pytest.mark.parametrize("depth", [150, 5000])
def test_deeply_nested_front_matter_is_refused_not_a_crash(depth):
    from health_lint import parsers
    from health_lint.parsers.errors import InputError

    text = "---\ntitle: " + "[" * depth + "]" * depth + "\n---\n# T\n\nText.\n"
    with pytest.raises(InputError) as err:
        parsers.parse(text, "a.md", "markdown")
    assert err.value.kind == "front-matter" and "nest" in err.value.reason


# -- files that are not plain articles --------------------------------------------
def test_symlink_loops_are_unreadable_inputs_not_crashes(tmp_path):
    (tmp_path / "loop.md").symlink_to("loop.md")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.md").symlink_to("../d/x.md")
    (tmp_path / "d" / "ok.md").write_text(FRONT + "# T\n\nText.\n")
    for target in ("loop.md", "d"):
        code, out = run_json("check", target, "--no-graph", cwd=tmp_path)
        bad = [f for f in out["findings"] if f["rule"] == "input/unreadable"]
        assert code == 1 and len(bad) == 1
        assert "Too many levels of symbolic links" in bad[0]["message"]


def test_fifo_named_like_an_article_is_skipped_and_reported(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "ok.md").write_text(FRONT + "# T\n\nText.\n")
    proc = run_cli("check", ".", "--no-graph", "-f", "json", cwd=tmp_path, timeout=30)  # used to block forever
    out = json.loads(proc.stdout)
    assert [(f["path"], f["message"]) for f in out["findings"] if f["rule"] == "input/unreadable"] == [
        ("pipe.md", "a named pipe (FIFO), not a regular file: skipped")]


def unprivileged() -> list[str]:
    """A command prefix under which file permissions apply: the suite runs
    as root, which reads everything. Root without the DAC capabilities
    (setpriv) obeys permissions like any user."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]
    if subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("setpriv cannot drop capabilities here")
    return prefix


def test_unreadable_folder_and_file_are_reported_not_skipped(tmp_path):
    prefix = unprivileged()
    for name in ("locked", "open"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.md").write_text(FRONT + "# T\n\nText.\n\n"
                                              "This article is for general information and is not a substitute for "
                                              "professional medical advice.\n")
    (tmp_path / "open" / "secret.md").write_text("# S\n")
    (tmp_path / "open" / "secret.md").chmod(0)
    (tmp_path / "locked").chmod(0)
    try:
        proc = subprocess.run([*prefix, sys.executable, "-m", "health_lint", "check", ".", "--no-graph", "-f", "json"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60,
                              env={**os.environ, "NO_COLOR": "1"})
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    found = {(f["path"], f["message"]) for f in json.loads(proc.stdout)["findings"] if f["rule"] == "input/unreadable"}
    assert found == {("locked", "cannot read folder: Permission denied (its files were not checked)"),
                     ("open/secret.md", "cannot read file: Permission denied")}


def test_non_utf8_file_name_is_reported_and_report_written(tmp_path):
    name = b"caf\xe9.md"
    with open(os.path.join(os.fsencode(tmp_path), name), "w") as fh:
        fh.write(FRONT + "# T\n\nText.\n")
    report = tmp_path / "report.json"
    report.write_text("old report")
    for fmt in ("text", "json", "sarif", "junit", "github"):
        proc = run_cli("check", ".", "--no-graph", "-f", fmt, "-o", str(report), cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        assert "caf" in report.read_text() and "xe9.md" in report.read_text()
    proc = run_cli("check", ".", "--no-graph", cwd=tmp_path)
    assert "caf\\xe9.md" in proc.stdout and proc.returncode == 1


# -- encodings and line endings ---------------------------------------------------
ARTICLE = FRONT + "# Back pain\n\nThis miracle cure works for everyone.\n"


def test_lone_cr_line_endings_give_real_line_numbers(tmp_path):
    (tmp_path / "a.md").write_bytes(ARTICLE.replace("\n", "\r").encode())
    (tmp_path / "b.md").write_bytes(ARTICLE.encode())
    _, out = run_json("check", "a.md", "b.md", "--no-graph", cwd=tmp_path)
    by_file = {}
    for f in out["findings"]:
        by_file.setdefault(f["path"], []).append((f["rule"], f["line"], f["column"]))
    assert by_file["a.md"] == by_file["b.md"]
    assert ("claims/overpromise", 10, 6) in by_file["a.md"]


def test_invalid_utf8_column_counts_characters(tmp_path):
    # Line 3 is "Thé café " (9 characters, 11 bytes) then a Latin-1 byte.
    (tmp_path / "a.md").write_bytes(b"# T\n\nTh\xc3\xa9 caf\xc3\xa9 \xe9t\xe9\n")
    _, out = run_json("check", "a.md", cwd=tmp_path)
    (f,) = out["findings"]
    assert (f["rule"], f["line"], f["column"]) == ("input/invalid-utf8", 3, 10)


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b"")])
def test_utf16_files_are_decoded_and_checked_with_a_note(tmp_path, codec, bom):
    (tmp_path / "a.md").write_bytes(bom + ARTICLE.encode(codec))
    (tmp_path / "b.md").write_bytes(ARTICLE.encode())
    _, out = run_json("check", "a.md", "b.md", "--no-graph", cwd=tmp_path)
    a = [(f["rule"], f["line"], f["column"]) for f in out["findings"] if f["path"] == "a.md"]
    b = [(f["rule"], f["line"], f["column"]) for f in out["findings"] if f["path"] == "b.md"]
    assert a == [("input/encoding", 1, 1)] + b
    note = next(f for f in out["findings"] if f["rule"] == "input/encoding")
    assert note["severity"] == "info" and "UTF-16" in note["message"]


def test_declared_latin1_html_is_decoded(tmp_path):
    page = ('<html lang="en"><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body><main>'
            "<h1>Caf\xe9 au lait and back pain</h1><p>This miracle cure works.</p></main></body></html>")
    (tmp_path / "a.html").write_bytes(page.encode("latin-1"))
    (tmp_path / "b.html").write_bytes(page.replace("iso-8859-1", "utf-8").encode("latin-1"))
    _, out = run_json("check", "a.html", "b.html", "--no-graph", cwd=tmp_path)
    rules = {(f["path"], f["rule"]) for f in out["findings"]}
    assert ("a.html", "claims/overpromise") in rules and ("a.html", "input/invalid-utf8") not in rules
    # Declared UTF-8 but not UTF-8: still an error, saying so.
    bad = next(f for f in out["findings"] if f["path"] == "b.html")
    assert bad["rule"] == "input/invalid-utf8" and "it declares charset 'utf-8' but is not" in bad["message"]


@pytest.mark.parametrize("charset", ["rot13", "base64", "undefined", "utf-7", "x-no-such-thing"])
def test_declared_charset_browsers_do_not_support_is_not_used(tmp_path, charset):
    (tmp_path / "a.html").write_bytes(f'<html><head><meta charset="{charset}"></head><body><main><h1>T</h1>'
                                      f"<p>Caf\xe9 text.</p></main></body></html>".encode("latin-1"))
    proc = run_cli("check", "a.html", "-f", "json", cwd=tmp_path)
    assert "internal error" not in proc.stderr
    (f,) = [f for f in json.loads(proc.stdout)["findings"] if f["rule"].startswith("input/")]
    assert f["rule"] == "input/invalid-utf8" and "which browsers do not support" in f["message"]


def test_links_fix_writes_a_utf16_file_back_as_utf16(tmp_path):
    from health_lint import parsers
    from health_lint.cli_links import _write_fixed

    data = b"\xff\xfe" + "# T\r\n\r\nSee [x](http://a.example/).\r\n".encode("utf-16-le")
    (tmp_path / "a.md").write_bytes(data)
    doc = parsers.load(str(tmp_path / "a.md"), "a.md")
    failures: list[str] = []
    assert _write_fixed(doc, str(tmp_path / "a.md"), doc.source.replace("http://", "https://"), failures)
    assert (tmp_path / "a.md").read_bytes() == data.replace("http://".encode("utf-16-le"), "https://".encode("utf-16-le"))
    assert failures == []


# -- configuration and options ----------------------------------------------------
@pytest.mark.parametrize("name, content, message", [
    ("pyproject.toml", b"[project\nname = 'x'\n", "pyproject.toml:1:9: invalid TOML: Expected ']'"),
    (".health-lint.toml", b"fail-level = \n", ".health-lint.toml:1:14: invalid TOML: Invalid value"),
    (".health-lint.toml", b"tool = 5\n", ".health-lint.toml: `tool` must be a table"),
    ("pyproject.toml", b"[tool]\nhealth-lint = 5\n", "pyproject.toml: `tool.health-lint` must be a table"),
    (".health-lint.toml", b"# caf\xe9\n", ".health-lint.toml:1: not valid UTF-8 (byte 0xe9)"),
    (".health-lint.toml", b'[rules."readability/long-sentence"]\nmax-words = -5\n',
     "max-words: must be more than 0, not -5"),
    (".health-lint.toml", b'[rules."readability/grade"]\nmax-grade = nan\n', "max-grade: expected a number, got nan"),
    (".health-lint.toml", b'[rules."readability/grade"]\nmin-words = -1\n', "min-words: must be 0 or more, not -1"),
    (".health-lint.toml", b"[links]\nread-timeout = inf\n", "links.read-timeout: expected a number, got inf"),
])
def test_broken_configuration_is_exit_2_with_file_line_and_reason(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    (tmp_path / "a.md").write_text(FRONT + "# T\n\nText.\n")
    proc = run_cli("check", "a.md", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith("health-lint: error: ") and message in proc.stderr
    assert "internal error" not in proc.stderr


def test_config_path_that_is_a_folder_is_exit_2(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "a.md").write_text(FRONT + "# T\n\nText.\n")
    proc = run_cli("check", "a.md", "-c", "conf", cwd=tmp_path)
    assert proc.returncode == 2 and "conf: is a folder, not a configuration file" in proc.stderr
    os.mkfifo(tmp_path / "pipe.toml")
    proc = run_cli("check", "a.md", "-c", "pipe.toml", cwd=tmp_path, timeout=30)  # used to block forever
    assert proc.returncode == 2 and "pipe.toml: not a regular file" in proc.stderr


@pytest.mark.parametrize("command", ["check", "graph"])
def test_negative_jobs_is_a_usage_error(tmp_path, command):
    (tmp_path / "a.md").write_text(FRONT + "# T\n\nText.\n")
    proc = run_cli(command, "a.md", "--jobs", "-1", cwd=tmp_path)
    assert proc.returncode == 2 and "-1 is not in the range x>=0" in proc.stderr


# -- graph export -------------------------------------------------------------------
def test_graphml_export_with_a_control_character_in_a_title(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.md").write_text('---\ntitle: "Back\\x01 pain"\n---\n# A\n\nSee [b](b.md).\n')
    (tmp_path / "site" / "b.md").write_text("# B\n\nSee [a](a.md).\n")
    proc = run_cli("graph", "site", "--export", "graphml", "--export-file", "g.graphml", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    import xml.etree.ElementTree as ET

    text = (tmp_path / "g.graphml").read_text()
    ET.fromstring(text)  # well-formed XML
    assert "Back\ufffd pain" in text


# -- init on the user's files ---------------------------------------------------------
def test_init_keeps_crlf_line_endings_of_the_files_it_edits(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\r\nname = "x"\r\n')
    (tmp_path / ".pre-commit-config.yaml").write_bytes(b"repos:\r\n- repo: local\r\n  hooks: []\r\n")
    proc = run_cli("init", "--no-workflow", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("pyproject.toml", ".pre-commit-config.yaml"):
        data = (tmp_path / name).read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n") > 3, name
    assert (tmp_path / "pyproject.toml").read_bytes().startswith(b'[project]\r\nname = "x"\r\n')


@pytest.mark.parametrize("name", ["pyproject.toml", ".pre-commit-config.yaml"])
def test_init_with_a_non_utf8_file_is_exit_2(tmp_path, name):
    (tmp_path / name).write_bytes(b"# caf\xe9\n")
    proc = run_cli("init", "--no-workflow", cwd=tmp_path)
    assert proc.returncode == 2
    assert f"{name}:1: not valid UTF-8 (byte 0xe9)" in proc.stderr
    assert (tmp_path / name).read_bytes() == b"# caf\xe9\n"


def test_a_parallel_site_run_with_parser_notes_reports_them(tmp_path):
    """A directory run keeps each page's document for the link graph; a
    worker sends it back with the notes its parser left (a UTF-16 file, a
    page of malformed HTML). Those notes used to break the process pool
    when unpickled (an internal error, exit 3)."""
    from health_lint import linter
    from health_lint.parsers.errors import InputError

    note = pickle.loads(pickle.dumps(InputError("encoding", "file is UTF-16", line=3, column=2)))
    assert (note.kind, note.reason, note.line, note.column) == ("encoding", "file is UTF-16", 3, 2)
    for i in range(linter.PARALLEL_MIN_FILES):
        (tmp_path / f"page-{i}.md").write_text(FRONT + f"# Page {i}\n\nRest and keep moving. See [next](page-{(i + 1) % 5}.md).\n")
    (tmp_path / "wide.md").write_bytes(b"\xff\xfe" + (FRONT + "# Wide\n\nText.\n").encode("utf-16-le"))
    (tmp_path / "broken.html").write_text("<html><body><h1>Broken</h1><p>Text <a href='page-1.md'>one</a><div></p></body></html>\n")
    proc = run_cli("check", ".", "--jobs", "2", "--format", "json", "--fail-level", "never", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rules = {(f["path"], f["rule"]) for f in json.loads(proc.stdout)["findings"]}
    assert ("wide.md", "input/encoding") in rules
