"""Content-derived text (file names, titles, link texts and targets) cannot
inject GitHub Actions workflow commands or terminal escape sequences into
any human-readable output; CSV exports cannot carry spreadsheet formulas."""
from __future__ import annotations

import csv
import io
import re

from health_lint.findings import Finding
from health_lint.graph.export import csv_cell
from health_lint.reporters import Report, render
from health_lint.reporters.escape import printable, safe_line

from ..conftest import run_cli
from ..web.conftest import site  # noqa: F401 - the loopback HTTP server fixture
from .conftest import DISCLAIMER, only_rules

HOSTILE = ("Title\n::add-mask::secret\r\n::error file=x.md,line=1::pwned ##[stop-commands]tok "
           "\x1b[2J\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07 \u202etxt.exe \x85next")
# Lines a GitHub runner would execute: "::cmd" after leading blanks, "##[" anywhere.
RUNNER_COMMAND = re.compile(r"^\s*::|##\[")
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def hostile_report() -> Report:
    f = Finding(path=f"docs/{HOSTILE}.md", line=2, column=1, end_line=2, end_column=5, rule="links/broken",
                severity="error", message=f'Broken link "{HOSTILE}" → https://example.org/{HOSTILE}',
                hint=f"Fix {HOSTILE}", snippet=HOSTILE)
    report = Report(findings=[f], files=1, command="crawl")
    report.text_sections = [f"Crawl of https://example.org/{HOSTILE}: 1 pages", f"sitemap {HOSTILE}: 500"]
    return report


def assert_safe(text: str, allowed_commands: tuple[str, ...] = ()) -> None:
    for line in text.split("\n"):
        if allowed_commands and line.startswith(allowed_commands):
            assert TERMINAL_CONTROL.search(line) is None, repr(line)
            continue
        assert RUNNER_COMMAND.search(line) is None, repr(line)
        assert TERMINAL_CONTROL.search(line) is None, repr(line)
    assert "\r" not in text


def test_printable_and_safe_line():
    assert printable("a\nb\r\x1b[31mc\x07\u202ed\te") == "a\\nb\\r\\x1b[31mc\\x07\\u202ed\te"
    assert printable("café ü 日本") == "café ü 日本"  # letters are not controls
    assert safe_line("  ::error::x") == "  \\x3a:error::x"
    assert safe_line("text ##[add-mask]x") == "text #\\x23[add-mask]x"
    assert safe_line("a :: b") == "a :: b"


def test_text_format_escapes_content(tmp_path):
    out = render("text", hostile_report())
    assert_safe(out)
    # Still readable: the escapes show where the control characters were.
    assert "Title\\n\\x3a:add-mask::secret" not in out  # only line starts are touched
    assert "Title\\n::add-mask::secret" in out and "\\x1b[2J" in out


def test_text_format_with_color_escapes_content_but_keeps_its_own_colors():
    out = render("text", hostile_report(), color=True)
    content_escapes = out.replace("\x1b[31m", "").replace("\x1b[0m", "").replace("\x1b[1m", "").replace("\x1b[2m", "")
    assert_safe(content_escapes)


def test_github_format_plain_lines_and_annotations():
    report = hostile_report()
    report.options["max-annotations"] = 1
    report.findings = report.findings * 2  # one annotation, one plain line
    out = render("github", report)
    assert_safe(out, allowed_commands=("::error ", "::group::", "::endgroup::"))
    annotation = out.split("\n")[0]
    assert "%0A::add-mask::secret" in annotation  # newline encoded, as the runner expects
    assert "\\x1b[2J" in annotation


def test_check_command_with_a_hostile_file_name(tmp_path):
    only_rules(tmp_path)
    name = "back\n::add-mask::secret\n::error file=x.md::pwned ##[stop-commands]t \x1b]0;title\x07.md"
    (tmp_path / name).write_text("# Back pain\n\nShort text.\n", encoding="utf-8")  # no disclaimer
    for fmt in ("text", "github"):
        proc = run_cli("check", ".", "--format", fmt, cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        allowed = ("::error ", "::warning ", "::notice ") if fmt == "github" else ()
        assert_safe(proc.stdout, allowed)
        assert_safe(proc.stderr)
        assert "disclaimer/missing" in proc.stdout and "add-mask" in proc.stdout  # the name is shown, escaped


def test_links_command_with_hostile_link_text(site, tmp_path):
    (tmp_path / ".health-lint.toml").write_text("[links]\nallow-private = true\nretries = 0\n")
    url = site.url("/gone")
    site.route("/gone", (404, {}, b"gone"))
    (tmp_path / "a.md").write_text(f"# A\n\n[Read \x1b\\]8;;https://evil/\x07this ##\\[add-mask\\]x]({url}) now.\n\n"
                                   f"{DISCLAIMER}\n", encoding="utf-8")
    proc = run_cli("links", "a.md", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Broken link" in proc.stdout
    assert_safe(proc.stdout)
    assert "\\x1b]8;;https://evil/\\x07" in proc.stdout


def test_crawl_summary_and_messages_escape_page_content(site, tmp_path):
    (tmp_path / ".health-lint.toml").write_text("[crawl]\nallow-private = true\nretries = 0\n")
    site.page("/", '<meta charset="utf-8"><a href="/gone">x&#10;::error::pwned ##[add-mask]y</a>'
                   '<a href="/a&#10;::warning::z">n</a>')
    site.route("/gone", (404, {}, b""))
    site.route("/robots.txt", (200, {}, b"Sitemap: /sm\x1b[2J.xml\n"))
    proc = run_cli("crawl", site.url("/"), "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Broken link" in proc.stdout and "Crawl of" in proc.stdout
    assert "pwned" in proc.stdout and "::warning::z" in proc.stdout  # the content is shown, escaped
    assert_safe(proc.stdout)


def test_csv_cells_never_start_a_formula():
    for raw in ("=HYPERLINK(\"http://evil\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        cell = csv_cell(raw)
        assert cell.startswith("'") and cell[1:] == raw
    assert csv_cell("Back pain") == "Back pain" and csv_cell(-1) == -1 and csv_cell(3) == 3
    assert csv_cell("https://user:pw@example.org/") == "https://***@example.org/"


def test_graph_csv_export_end_to_end(tmp_path):
    only_rules(tmp_path, keep=())
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.md").write_text("# =HYPERLINK(\"http://evil\",\"Home\")\n\n[+SUM(1)](other.md) and "
                                   "[@cmd](https://user:pw@example.org/x).\n", encoding="utf-8")
    (site / "other.md").write_text("---\ntitle: \"-2+3\"\n---\n# Other\n\n[back](index.md)\n", encoding="utf-8")
    out = tmp_path / "g.csv"
    proc = run_cli("graph", "site", "--export-file", str(out), cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    cells = [c for name in (out, tmp_path / "g-links.csv")
             for row in csv.reader(io.StringIO(name.read_text(encoding="utf-8"))) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    assert "'=HYPERLINK(\"http://evil\",\"Home\")" in cells and "'+SUM(1)" in cells and "'@cmd" in cells
    assert not any("pw@" in c for c in cells)
