"""`links --fix` never leaves an article empty or half-written: real
processes killed (SIGKILL) or interrupted (SIGINT) mid-run and mid-write,
a write that fails like a full disk, and an edit saved while it runs.
Real HTTP servers on 127.0.0.1; the moved link's server answers slowly so
the process is caught mid-run."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..conftest import FRONT, ROOT
from .test_cli_links import FAST

# Stops the child at the worst moment: right after the first write() into
# a file it opened for writing in the article's folder (the old code had
# truncated the article by then). The kill is real: os.kill on itself.
KILLER = r'''
import os, sys
folder = os.path.realpath(os.environ["KILL_IN"])
sig = int(os.environ["KILL_SIGNAL"])
state = {"armed": False, "done": False}

def profile(frame, event, arg):
    if event == "c_return" and not state["done"] and getattr(arg, "__name__", "") == "write":
        state["done"] = True
        os.kill(os.getpid(), sig)

def audit(event, args):
    if event != "open" or state["armed"] or not isinstance(args[0], (str, bytes)):
        return
    path, mode, flags = args
    writing = any(c in mode for c in "wax+") if mode else bool(flags & (os.O_WRONLY | os.O_RDWR))
    if writing and os.path.dirname(os.path.realpath(path)) == folder:
        state["armed"] = True
        sys.setprofile(profile)

sys.addaudithook(audit)
from health_lint.cli import main
main(sys.argv[1:])
'''


def big_article(site) -> bytes:
    """About 740 KB, CRLF line endings, a UTF-8 BOM, one permanently moved link."""
    para = "Most back pain gets better with gentle movement and time, and rest in bed slows recovery. "
    body = (para * 8 + "\n\n") * 1000
    text = FRONT + "# Back pain\n\n" + body + f"See [the guide]({site.url('/old')}).\n"
    return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()


def setup(site, tmp_path, slow: threading.Event | None = None) -> Path:
    def old(req):
        if slow is not None:
            slow.wait(30)
        return 301, {"Location": "/new"}, b""

    site.route("/old", old)
    site.page("/new", "<html><body>new</body></html>")
    (tmp_path / ".health-lint.toml").write_text(FAST.replace("read-timeout = 2.0", "read-timeout = 40.0"))
    article = tmp_path / "a.md"
    article.write_bytes(big_article(site))
    article.chmod(0o640)
    return article


def start(tmp_path, *args, env=None, preexec_fn=None, script=None) -> subprocess.Popen:
    full_env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(ROOT),
                **(env or {})}
    cmd = [sys.executable, "-c", script] if script else [sys.executable, "-m", "health_lint"]
    return subprocess.Popen([*cmd, "links", "a.md", "--fix", "--no-cache", *args], cwd=tmp_path, env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=preexec_fn)


def wait_for_hit(site, path: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while site.count(path) == 0:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the link was never requested"
        time.sleep(0.05)


def temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_fix_works_and_keeps_bom_crlf_and_permissions(site, tmp_path):
    article = setup(site, tmp_path)
    before = article.read_bytes()
    proc = start(tmp_path)
    out, err = proc.communicate(timeout=120)
    assert article.read_bytes() == before.replace(site.url("/old").encode(), site.url("/new").encode()), err
    assert os.stat(article).st_mode & 0o777 == 0o640
    assert temporary_files(tmp_path) == []


def test_sigkill_mid_run_leaves_article_and_previous_report_untouched(site, tmp_path):
    slow = threading.Event()
    article = setup(site, tmp_path, slow)
    before = article.read_bytes()
    (tmp_path / "report.json").write_text('{"previous": true}\n')
    proc = start(tmp_path, "-f", "json", "-o", "report.json")
    try:
        wait_for_hit(site, "/old", proc)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        slow.set()
    assert proc.returncode == -signal.SIGKILL
    assert article.read_bytes() == before
    assert (tmp_path / "report.json").read_text() == '{"previous": true}\n'


def test_sigint_mid_run_stops_cleanly_and_writes_nothing(site, tmp_path):
    slow = threading.Event()
    article = setup(site, tmp_path, slow)
    before = article.read_bytes()
    proc = start(tmp_path)
    try:
        wait_for_hit(site, "/old", proc)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
    finally:
        slow.set()  # requests in flight are let finish (up to the timeout) after Ctrl-C
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err  # typer's exit code for Ctrl-C
    assert "Traceback" not in err
    assert article.read_bytes() == before
    assert temporary_files(tmp_path) == []


def test_sigkill_while_writing_the_fix_leaves_the_whole_original(site, tmp_path):
    article = setup(site, tmp_path)
    before = article.read_bytes()
    proc = start(tmp_path, script=KILLER, env={"KILL_IN": str(tmp_path), "KILL_SIGNAL": str(int(signal.SIGKILL))})
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL  # the kill did land during the write
    assert article.read_bytes() == before
    assert os.stat(article).st_mode & 0o777 == 0o640


def test_sigint_while_writing_the_fix_leaves_the_original_and_no_temporary_file(site, tmp_path):
    article = setup(site, tmp_path)
    before = article.read_bytes()
    proc = start(tmp_path, script=KILLER, env={"KILL_IN": str(tmp_path), "KILL_SIGNAL": str(int(signal.SIGINT))})
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert article.read_bytes() == before
    assert temporary_files(tmp_path) == []


def test_write_failing_like_a_full_disk_keeps_the_original_and_says_so(site, tmp_path):
    article = setup(site, tmp_path)
    before = article.read_bytes()

    def file_size_limit():  # writes past 100 kB fail with EFBIG, midway, as on a full disk
        import resource
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    proc = start(tmp_path, preexec_fn=file_size_limit)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert "health-lint: error: cannot write a.md: File too large; the file was left as it was" in err
    assert "internal error" not in err
    assert article.read_bytes() == before
    assert temporary_files(tmp_path) == []
    assert "links/redirected" in out  # not fixed, so still reported


def test_edit_saved_while_fix_runs_is_kept_and_the_file_skipped(site, tmp_path):
    slow = threading.Event()
    article = setup(site, tmp_path, slow)
    proc = start(tmp_path)
    try:
        wait_for_hit(site, "/old", proc)
        edited = article.read_bytes() + b"An editor's new paragraph.\r\n"
        article.write_bytes(edited)
    finally:
        slow.set()
    out, err = proc.communicate(timeout=120)
    assert article.read_bytes() == edited
    assert "skipped a.md: it changed while links were being checked; not fixed" in err
    assert "fixed a.md" not in err
    assert "links/redirected" in out
