"""Issue 11: a crawl stopped with Ctrl-C (a real SIGINT) says how to resume,
and resuming goes on; the progress bar's total counts the requests still to
make (cached answers apart), so its rate and ETA are the network's."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

from health_lint.web import Cache, check_urls
from health_lint.web.progress import Progress

from .conftest import fast_config

CRAWL = """[crawl]
backoff-base = 0.01
backoff-max = 0.05
connect-timeout = 2.0
read-timeout = 60.0
allow-private = true
rate-limit = 0
"""


def test_ctrl_c_in_crawl_prints_the_resume_command_and_resume_finishes(site, tmp_path):
    release = threading.Event()
    links = "".join(f'<a href="/p{i}">p{i}</a>' for i in range(4))
    site.page("/", f"<html><body>{links}<a href='/slow'>slow</a></body></html>")
    for i in range(4):
        site.page(f"/p{i}", "<html><body><p>page</p></body></html>")

    def slow(req):
        release.wait(30)
        return 200, {"Content-Type": "text/html"}, b"<html><body>late</body></html>"

    site.route("/slow", slow)
    (tmp_path / ".health-lint.toml").write_text(CRAWL)
    cache = tmp_path / "cache.sqlite"
    args = [sys.executable, "-m", "health_lint", "crawl", site.url("/"), "--cache", str(cache), "--no-sitemap"]
    proc = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_COLOR": "1"})
    try:
        deadline = time.monotonic() + 30
        while site.count("/slow") == 0:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "Resume with:" in err
    resume_line = err.split("Resume with:", 1)[1].strip().splitlines()[0]
    assert resume_line.startswith("health-lint crawl ") and resume_line.endswith("--resume")
    assert site.url("/") in resume_line and str(cache) in resume_line
    again = subprocess.run([sys.executable, "-m", "health_lint", *resume_line.split()[1:]], cwd=tmp_path,
                           capture_output=True, text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"})
    assert again.returncode in (0, 1), again.stderr
    assert "Crawl of" in again.stdout


def test_ctrl_c_without_cache_says_nothing_was_saved(site, tmp_path):
    release = threading.Event()
    site.route("/", lambda req: (release.wait(30), (200, {"Content-Type": "text/html"}, b"<p>x</p>"))[1])
    (tmp_path / ".health-lint.toml").write_text(CRAWL)
    proc = subprocess.Popen([sys.executable, "-m", "health_lint", "crawl", site.url("/"), "--no-cache"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while site.count("/") == 0:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        release.set()
    assert proc.returncode == 130 and "Nothing was saved" in err and "--resume" not in err


def test_progress_total_counts_requests_still_to_make(site, tmp_path):
    for i in range(6):
        site.page(f"/p{i}", "<p>x</p>")
    urls = [site.url(f"/p{i}") for i in range(6)]
    cache = Cache(tmp_path / "c.sqlite")
    config = fast_config()
    check_urls(urls[:4], config, cache)  # four answers cached
    with open(os.devnull, "w") as sink:
        progress = Progress(True, "link")
        progress._bar.fp = sink
        bar = progress._bar
        check_urls(urls, config, cache, progress=progress)
        assert bar.total == 2 and bar.n == 2  # the two new URLs
        assert progress.from_cache == 4
        progress.close()
    cache.close()


def test_crawl_progress_bar_ends_full(site, tmp_path, monkeypatch):
    """The crawl's bar ends full: every page and link request sent was in its
    total and is counted once (pages were added to the total but never
    counted, so the bar stopped short and its ETA was wrong)."""
    from health_lint.web import crawler as crawler_mod

    site.page("/", "".join(f'<a href="/p{i}">p{i}</a>' for i in range(5)))
    for i in range(5):
        site.page(f"/p{i}", f'<p>x <a href="/p{i}/file.pdf">file</a></p>')
        site.page(f"/p{i}/file.pdf", "%PDF-1.4", headers={"Content-Type": "application/pdf"})
    cache = Cache(tmp_path / "c.sqlite")
    config = fast_config()
    crawler_mod.crawl(site.url("/"), config, cache)
    bars = []

    def create(cfg, unit="link"):
        progress = Progress(True, unit)
        progress._bar.fp = open(os.devnull, "w")
        bars.append(progress)
        return progress

    monkeypatch.setattr(crawler_mod.Progress, "create", staticmethod(create))
    closed = []
    monkeypatch.setattr(Progress, "close", lambda self: closed.append((self._bar.n, self._bar.total, self.from_cache)))
    crawler_mod.crawl(site.url("/"), config, cache)
    n, total, from_cache = closed[-1]
    assert total > 0 and n == total  # pages were in the total but never counted before
    cache.close()
