"""Crawl benchmark: health-lint vs LinkChecker and linkinator on a loopback site.

    python benchmarks/crawl/bench_crawl.py [--pages 2000] [--latency-ms 50] [--server auto|nginx|python]

Generates a site of ``--pages`` pages (default 2,000) with planted broken
internal links, broken outbound links (to a second loopback origin) and
orphan pages (listed only in the sitemap, some carrying broken links), serves
it with nginx when installed (``apt-get install nginx-light``; else Python's
ThreadingHTTPServer), crawls it with health-lint and, in the same run, with
LinkChecker (``pip install LinkChecker``) and linkinator (``npm i -g
linkinator``) when they are on PATH. Prints wall time, peak memory, planted
broken links found, false alarms and orphans found, and the ratio to each peer.

A second pass (``--latency-ms``, default 50; 0 to skip) serves every response
after that delay (Python server) and compares health-lint's throughput with
concurrency ÷ latency.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from health_lint.web import WebConfig, crawl  # noqa: E402


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def generate(root: Path, ext_base: str, pages: int, seed: int = 7) -> dict:
    """Write the site; return the planted truth."""
    rng = random.Random(seed)
    site = root / "site"
    ext = root / "ext"
    (site / "p").mkdir(parents=True)
    ext.mkdir()
    n_orphans = max(10, pages // 50)
    linked = pages - n_orphans
    truth = {"broken_internal": set(), "broken_external": set(), "orphans": set(), "pages": pages}
    for i in range(60):
        (ext / f"src{i}.html").write_text(f"<p>source {i}</p>")
    for i in range(pages):
        links = []
        if i < linked:
            # a tree + random cross links keep every linked page reachable
            for c in (2 * i + 1, 2 * i + 2):
                if c < linked:
                    links.append(f"/p/{c}.html")
            links += [f"/p/{rng.randrange(linked)}.html" for _ in range(5)]
        links.append("/")
        if i % 20 == 7:
            bad = f"/p/missing-{i}.html"
            links.append(bad)
            truth["broken_internal"].add(bad)
        if i % 23 == 5:
            bad = f"{ext_base}/gone-{i}.html"
            links.append(bad)
            truth["broken_external"].add(bad)
        links.append(f"{ext_base}/src{rng.randrange(60)}.html")
        body = "".join(f'<li><a href="{u}">link {k}</a></li>' for k, u in enumerate(links))
        (site / "p" / f"{i}.html").write_text(
            f"<!doctype html><html><head><title>Page {i}</title></head><body><h1 id='top'>Page {i}</h1>"
            f"<p>Back pain article {i}.</p><ul>{body}</ul></body></html>")
        if i >= linked:
            truth["orphans"].add(f"/p/{i}.html")
    (site / "index.html").write_text('<html><body><a href="/p/0.html">start</a></body></html>')
    return truth


def write_sitemap(root: Path, base: str, pages: int) -> None:
    urls = "".join(f"<url><loc>{base}/p/{i}.html</loc></url>" for i in range(pages))
    (root / "site" / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')


class QuietHandler(SimpleHTTPRequestHandler):
    latency = 0.0
    protocol_version = "HTTP/1.1"
    # http.server writes the headers and the body with two send() calls. With
    # Nagle's algorithm on, the body waits for the ACK of the headers, which
    # the client delays by up to 40 ms (delayed ACK) on a kept-alive
    # connection: every GET then took latency + ~40 ms (88 req/s instead of
    # 160 at concurrency 8 and 50 ms). Real servers (nginx: tcp_nodelay on)
    # send at once.
    disable_nagle_algorithm = True

    def log_message(self, *a):
        pass

    def end_headers(self):
        if self.latency:
            time.sleep(self.latency)
        super().end_headers()


def _serve_forever(directory: str, port: int, latency: float) -> None:
    handler = type("H", (QuietHandler,), {"latency": latency})
    ThreadingHTTPServer.request_queue_size = 1024
    srv = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=directory))
    srv.daemon_threads = True
    srv.serve_forever()


def serve_python(directory: Path, port: int, latency: float = 0.0):
    """Serve ``directory`` from a separate process (so the server does not
    share the crawler's GIL)."""
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(directory), str(port), str(latency)])
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return lambda: (proc.terminate(), proc.wait())


def serve_nginx(root: Path, site_port: int, ext_port: int):
    conf = root / "nginx.conf"
    conf.write_text(f"""
worker_processes 2; daemon off; pid {root}/nginx.pid; error_log {root}/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off; types {{ text/html html; application/xml xml; }}
  client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;
  uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
  server {{ listen 127.0.0.1:{site_port}; root {root}/site; }}
  server {{ listen 127.0.0.1:{ext_port}; root {root}/ext; }}
}}""")
    (root / "tmp").mkdir(exist_ok=True)
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root)], stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", site_port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return lambda: (proc.terminate(), proc.wait())


def score(found_broken: set[str], truth: dict, site_base: str) -> tuple[int, int, int]:
    planted = {site_base + u for u in truth["broken_internal"]} | truth["broken_external"]
    hits = len(found_broken & planted)
    false = len(found_broken - planted)
    return hits, false, len(planted)


def run_healthlint(site_base: str, truth: dict, concurrency: int) -> dict:
    cfg = WebConfig(allow_private=True, rate_limit=0, concurrency=concurrency, per_host_concurrency=concurrency,
                    progress=False, max_pages=100_000)
    t = time.perf_counter()
    res = crawl(site_base + "/", cfg)
    wall = time.perf_counter() - t
    broken = {k for k, r in res.results.items() if r.classification in ("broken", "server-error")}
    hits, false, planted = score(broken, truth, site_base)
    orphans = {u.replace(site_base, "") for u in res.orphans}
    return {"tool": "health-lint", "wall": wall, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "found": hits, "planted": planted, "false": false, "orphans": len(orphans & truth["orphans"]),
            "orphans_planted": len(truth["orphans"]), "pages": len(res.pages), "requests": res.requests}


def run_peer(cmd: list[str], parse, truth, site_base, name) -> dict | None:
    if not shutil.which(cmd[0]):
        return None
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - t
    rss = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    broken = parse(proc.stdout)
    if not broken and proc.returncode not in (0, 1):
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        print(f"{name} failed (exit {proc.returncode}): {tail[:200]}")
        return None
    hits, false, planted = score(broken, truth, site_base)
    return {"tool": name, "wall": wall, "rss_mb": rss, "found": hits, "planted": planted, "false": false}


def parse_linkinator(out: str) -> set[str]:
    try:
        data = json.loads(out)
    except json.JSONDecodeError:
        return set()
    return {l["url"] for l in data.get("links", []) if l.get("state") == "BROKEN"}


def parse_linkchecker(out: str) -> set[str]:
    broken = set()
    for line in out.splitlines()[1:]:
        parts = line.split(";")
        if len(parts) > 8 and parts[7] == "False":  # csv: urlname;parentname;base;result;warningstring;infostring;valid
            broken.add(parts[0])
    return broken


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--latency-ms", type=float, default=50)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--server", choices=("auto", "nginx", "python"), default="auto")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hl-crawl-bench-"))
    root.chmod(0o755)  # nginx workers run as an unprivileged user
    site_port, ext_port = free_port(), free_port()
    site_base, ext_base = f"http://127.0.0.1:{site_port}", f"http://localhost:{ext_port}"
    truth = generate(root, ext_base, args.pages)
    write_sitemap(root, site_base, args.pages)
    use_nginx = args.server == "nginx" or (args.server == "auto" and shutil.which("nginx"))
    if use_nginx:
        stops = [serve_nginx(root, site_port, ext_port)]
        server = "nginx"
    else:
        stops = [serve_python(root / "site", site_port), serve_python(root / "ext", ext_port)]
        server = "python ThreadingHTTPServer"
    print(f"site: {args.pages} pages at {site_base} served by {server}; planted "
          f"{len(truth['broken_internal'])} broken internal, {len(truth['broken_external'])} broken outbound, "
          f"{len(truth['orphans'])} orphans")
    rows = []
    try:
        rows.append(run_healthlint(site_base, truth, args.concurrency))
        peer = run_peer(["linkinator", site_base + "/", "--recurse", "--format", "json", "--concurrency", "100"],
                        parse_linkinator, truth, site_base, "linkinator")
        if peer:
            rows.append(peer)
        peer = run_peer(["linkchecker", "--check-extern", "--no-status", "-o", "csv", site_base + "/"],
                        parse_linkchecker, truth, site_base, "LinkChecker")
        if peer:
            rows.append(peer)
    finally:
        for stop in stops:
            stop()
    hl = rows[0]
    print(f"{'tool':<12} {'wall s':>8} {'peak MB':>8} {'broken found':>13} {'false alarms':>13} {'orphans':>9} {'ratio':>7}")
    for r in rows:
        orph = f"{r['orphans']}/{r['orphans_planted']}" if "orphans" in r else "-"
        ratio = r["wall"] / hl["wall"]
        print(f"{r['tool']:<12} {r['wall']:>8.2f} {r['rss_mb']:>8.0f} {r['found']:>6}/{r['planted']:<6} {r['false']:>13} {orph:>9} {ratio:>6.1f}x")
    print(f"health-lint: {hl['pages']} pages, {hl['requests']} requests")

    if args.latency_ms > 0:
        lat = args.latency_ms / 1000
        port = free_port()
        stop = serve_python(root / "site", port, latency=lat)
        base = f"http://127.0.0.1:{port}"
        cfg = WebConfig(allow_private=True, rate_limit=0, concurrency=args.concurrency,
                        per_host_concurrency=args.concurrency, progress=False, check_external=False, use_sitemap=False)
        t = time.perf_counter()
        res = crawl(base + "/", cfg)
        wall = time.perf_counter() - t
        stop()
        rate = res.requests / wall
        ideal = args.concurrency / lat
        print(f"latency {args.latency_ms:.0f} ms: {res.requests} requests in {wall:.2f} s = {rate:.0f} req/s; "
              f"concurrency/latency = {ideal:.0f} req/s ({100 * rate / ideal:.0f}%)")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        _serve_forever(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    else:
        main()
