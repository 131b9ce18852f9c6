"""Crawl benchmark: health-lint vs LinkChecker and linkinator on a loopback site.

    python benchmarks/crawl/bench_crawl.py [--pages 2000] [--latency-ms 50] [--concurrency 32]
        [--latency-concurrency 8,32] [--server auto|nginx|python] [--peers linkinator,linkchecker]
        [--peer-timeout 1800]

Generates a site of ``--pages`` pages (default 2,000) with planted broken
internal links, broken outbound links (to a second loopback origin) and
orphan pages (listed only in the sitemap, some carrying broken links), serves
it with nginx when installed (Debian ``nginx``; else Python's
ThreadingHTTPServer), crawls it with health-lint and, in the same run, with
LinkChecker (``pip install LinkChecker``, or ``pip install -e '.[bench]'``)
and linkinator (``npm i -g linkinator``; 8.x needs Node >= 22, use
``linkinator@7`` on Node 20) when they are on PATH. Prints wall time, peak
memory, planted broken links found, false alarms, orphans found, and the
ratio of each peer's wall time to health-lint's. Peers are run as a user
would, with their defaults (LinkChecker's per-host politeness makes it take
many minutes; ``--peer-timeout`` stops it).

A second pass (``--latency-ms``, default 50; 0 to skip) serves every response
after that delay and compares health-lint's throughput, at each of
``--latency-concurrency``, with concurrency ÷ latency. The delay is nginx's
``echo_sleep`` (Debian ``libnginx-mod-http-echo``) when available, else the
Python server with ``time.sleep`` (TCP_NODELAY on: see ``QuietHandler``).
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
    truth = {"broken_internal": set(), "broken_external": set(), "orphans": set(), "pages": pages,
             "reachable_broken": set()}  # planted on pages reachable from the home page
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
            if i < linked:
                truth["reachable_broken"].add(bad)
        if i % 23 == 5:
            bad = f"{ext_base}/gone-{i}.html"
            links.append(bad)
            truth["broken_external"].add(bad)
            if i < linked:
                truth["reachable_broken"].add(bad)
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


def wait_for_port(port: int, tries: int = 200) -> None:
    """Until a server listens on 127.0.0.1:``port`` (or ``tries`` × 50 ms)."""
    for _ in range(tries):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)


def serve_python(directory: Path, port: int, latency: float = 0.0):
    """Serve ``directory`` from a separate process (so the server does not
    share the crawler's GIL)."""
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(directory), str(port), str(latency)])
    wait_for_port(port)
    return lambda: (proc.terminate(), proc.wait())


ECHO_MODULE = "/usr/lib/nginx/modules/ngx_http_echo_module.so"  # Debian: libnginx-mod-http-echo


def nginx_latency_available() -> bool:
    return bool(shutil.which("nginx")) and Path(ECHO_MODULE).exists()


def serve_nginx(root: Path, site_port: int, ext_port: int | None, latency: float = 0.0):
    """nginx on loopback. With ``latency`` every response (GET and HEAD, 200
    and 404) is sent after that delay (``echo_sleep`` of the echo module)."""
    delay = (f"location / {{ echo_sleep {latency:.3f}; echo_exec @file; }} "
             f"location @file {{ try_files $uri $uri/index.html =404; }}") if latency else ""
    ext = f"server {{ listen 127.0.0.1:{ext_port}; root {root}/ext; }}" if ext_port else ""
    conf = root / f"nginx-{site_port}.conf"
    conf.write_text(f"""{f"load_module {ECHO_MODULE};" if latency else ""}
worker_processes 2; daemon off; pid {root}/nginx-{site_port}.pid; error_log {root}/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off; types {{ text/html html; application/xml xml; }}
  client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;
  uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
  server {{ listen 127.0.0.1:{site_port}; root {root}/site; {delay} }}
  {ext}
}}""")
    (root / "tmp").mkdir(exist_ok=True)
    proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root)], stderr=subprocess.DEVNULL)
    wait_for_port(site_port, tries=100)
    return lambda: (proc.terminate(), proc.wait())


def score(found_broken: set[str], truth: dict, site_base: str) -> tuple[int, int, int]:
    planted = {site_base + u for u in truth["broken_internal"]} | truth["broken_external"]
    hits = len(found_broken & planted)
    false = len(found_broken - planted)
    return hits, false, len(planted)


def run_healthlint(site_base: str, truth: dict, concurrency: int | None) -> dict:
    """``concurrency`` None: the defaults a user gets (adaptive window,
    ceilings 16 per host / 32 in all, no rate ceiling); a number: hand-tuned
    (that many in flight per host and in all from the start, not adaptive,
    no rate limit)."""
    if concurrency is None:
        cfg = WebConfig(allow_private=True, progress=False, max_pages=100_000)
    else:
        cfg = WebConfig(allow_private=True, rate_limit=0, concurrency=concurrency, per_host_concurrency=concurrency,
                        adaptive_rate=False, progress=False, max_pages=100_000)
    t = time.perf_counter()
    res = crawl(site_base + "/", cfg)
    wall = time.perf_counter() - t
    broken = {k for k, r in res.results.items() if r.classification in ("broken", "server-error")}
    hits, false, planted = score(broken, truth, site_base)
    orphans = {u.replace(site_base, "") for u in res.orphans}
    name = "hl defaults" if concurrency is None else f"hl c={concurrency}"
    return {"false_urls": sorted(broken - planted_urls(truth, site_base))[:5], "tool": name, "wall": wall,
            "host_rates": res.host_rates, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "found": hits, "planted": planted, "false": false, "orphans": len(orphans & truth["orphans"]),
            "orphans_planted": len(truth["orphans"]), "pages": len(res.pages), "requests": res.requests}


def run_peer(cmd: list[str], parse, truth, site_base, name, timeout: float) -> dict | None:
    """Run a peer as a user would; peak memory is the peer's own (measured
    by a fresh wrapper process, so earlier children do not count)."""
    if not shutil.which(cmd[0]):
        print(f"{name}: not installed, skipped")
        return None
    wrapper = ("import resource, subprocess, sys\n"
               "p = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], 'w'), stderr=subprocess.PIPE, text=True)\n"
               "sys.stderr.write(p.stderr[-2000:] + '\\nMAXRSS %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
               "sys.exit(p.returncode)\n")
    out_file = Path(tempfile.mkstemp(prefix=f"hl-bench-{name}-")[1])
    out_file.chmod(0o666)  # LinkChecker run as root drops privileges to nobody
    t = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-c", wrapper, str(out_file), *cmd], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{name}: still running after {timeout:.0f} s, stopped")
        return None
    wall = time.perf_counter() - t
    stdout = out_file.read_text(errors="replace")
    out_file.unlink()
    rss = next((int(l.split()[1]) for l in proc.stderr.splitlines() if l.startswith("MAXRSS ")), 0) / 1024
    broken = parse(stdout)
    if broken is None:  # no report at all: the tool failed
        tail = [l for l in proc.stderr.strip().splitlines() if not l.startswith("MAXRSS")] or ["?"]
        print(f"{name} failed (exit {proc.returncode}): {tail[-1][:200]}")
        return None
    hits, false, planted = score(broken, truth, site_base)
    return {"tool": name, "wall": wall, "rss_mb": rss, "found": hits, "planted": planted, "false": false,
            "false_urls": sorted(broken - planted_urls(truth, site_base))[:5]}


def planted_urls(truth: dict, site_base: str) -> set[str]:
    return {site_base + u for u in truth["broken_internal"]} | truth["broken_external"]


def parse_linkinator(out: str) -> set[str] | None:
    try:
        data = json.loads(out)
    except json.JSONDecodeError:
        return None
    return {l["url"] for l in data.get("links", []) if l.get("state") == "BROKEN"}


def parse_linkchecker(out: str) -> set[str] | None:
    # csv (";"): urlname;parentname;base;result;warningstring;infostring;valid;url;...
    # urlname is the link as written (relative for internal links); url is absolute.
    if "urlname;parentname" not in out:
        return None
    broken = set()
    for line in out.splitlines():
        if line.startswith("#") or line.startswith("urlname;"):
            continue
        parts = line.split(";")
        if len(parts) > 7 and parts[6] == "False":
            broken.add(parts[7])
    return broken


def latency_pass(root: Path, latency_ms: float, concurrencies: list[int]) -> list[str]:
    """Throughput against a server answering after ``latency_ms``: hand-tuned
    at each of ``concurrencies`` (per host and in all, no rate limit), then
    with the defaults (adaptive window, ceiling ``per_host_concurrency``),
    each compared with its ceiling, concurrency ÷ latency."""
    lat = latency_ms / 1000
    lines = []
    for conc in [*concurrencies, None]:
        port = free_port()
        if nginx_latency_available():
            stop = serve_nginx(root, port, None, latency=lat)
            server = "nginx + echo_sleep"
        else:
            stop = serve_python(root / "site", port, latency=lat)
            server = "python ThreadingHTTPServer"
        base = f"http://127.0.0.1:{port}"
        if conc is None:
            cfg = WebConfig(allow_private=True, progress=False, check_external=False, use_sitemap=False)
            label, conc = f"defaults (adaptive, ceiling {cfg.per_host_concurrency})", cfg.per_host_concurrency
        else:
            # The benchmark's own knobs: no per-host rate limit, every slot on one host.
            cfg = WebConfig(allow_private=True, rate_limit=0, concurrency=conc, per_host_concurrency=conc,
                            adaptive_rate=False, progress=False, check_external=False, use_sitemap=False)
            label = f"concurrency {conc}"
        t = time.perf_counter()
        cpu = time.process_time()
        res = crawl(base + "/", cfg)
        wall = time.perf_counter() - t
        cpu = time.process_time() - cpu
        stop()
        rate = res.requests / wall
        ideal = conc / lat
        settled = next(iter(res.host_rates.values()), {})
        lines.append(f"latency {latency_ms:.0f} ms ({server}), {label}: {res.requests} requests in "
                     f"{wall:.2f} s = {rate:.0f} req/s; ceiling {conc}/latency = {ideal:.0f} req/s "
                     f"({100 * rate / ideal:.0f}%); window peak {settled.get('peak_concurrency')}, "
                     f"back-offs {settled.get('slowdowns')}; crawler CPU {cpu:.2f} s ({100 * cpu / wall:.0f}% of one core)")
        print(lines[-1], flush=True)
    return lines


FRAGILE_SERVER = r"""
import sys, threading, time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
directory, port, limit, delay, mode, slow = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], float(sys.argv[6])
lock = threading.Lock()
state = {"in_flight": 0, "peak": 0, "over": 0, "first_over": None, "over_times": []}
class H(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def log_message(self, *a): pass
    def send_head(self):
        if self.path == "/__stats":
            with lock:
                body = repr({k: v for k, v in state.items()}).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
            import io; return io.BytesIO(body)
        with lock:
            state["in_flight"] += 1
            n = state["in_flight"]
            state["peak"] = max(state["peak"], n)
            over = n > limit
            if over:
                state["over"] += 1
                state["over_times"].append(time.monotonic())
        try:
            time.sleep(delay + (slow if over and mode == "slow" else 0))
            if over and mode == "429":
                self.send_response(429); self.send_header("Content-Length", "0"); self.end_headers()
                return None
            return super().send_head()
        finally:
            with lock:
                state["in_flight"] -= 1
ThreadingHTTPServer.request_queue_size = 1024
srv = ThreadingHTTPServer(("127.0.0.1", port), partial(H, directory=directory))
srv.daemon_threads = True
srv.serve_forever()
"""


def fragile_pass(root: Path, truth: dict, pages: int, mode: str, limit: int = 8, delay: float = 0.02,
                 slow: float = 0.4) -> str:
    """Crawl (defaults, internal links only) a Python server that answers 429
    (``mode="429"``) or becomes ``slow`` s slower (``mode="slow"``) above
    ``limit`` requests in flight; report false broken links, over-limit
    requests, and how many came after the first over-limit answer was back."""
    import ast
    import urllib.request

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", FRAGILE_SERVER, str(root / "site"), str(port), str(limit),
                             str(delay), mode, str(slow)])
    wait_for_port(port)
    base = f"http://127.0.0.1:{port}"
    cfg = WebConfig(allow_private=True, progress=False, check_external=False, use_sitemap=False)
    t = time.perf_counter()
    res = crawl(base + "/", cfg)
    wall = time.perf_counter() - t
    stats = ast.literal_eval(urllib.request.urlopen(base + "/__stats").read().decode())
    proc.terminate()
    proc.wait()
    broken = {k for k, r in res.results.items() if r.classification in ("broken", "server-error")}
    planted = {base + u for u in truth["broken_internal"] if u in truth["reachable_broken"]}
    false = broken - planted
    unverified = sum(1 for r in res.results.values() if r.classification == "unverified")
    times = stats["over_times"]
    signal = (times[0] + delay + (slow if mode == "slow" else 0) + 0.15) if times else 0
    late = sum(1 for x in times if x > signal)
    settled = next(iter(res.host_rates.values()), {})
    line = (f"fragile server ({mode} above {limit} in flight, {delay * 1000:.0f} ms per answer), defaults: "
            f"{len(res.pages)} pages in {wall:.2f} s; false broken {len(false)}, unverified {unverified}; "
            f"requests over the limit {stats['over']} ({late} after the first over-limit answer was back); "
            f"server peak in flight {stats['peak']}; window settled {settled.get('concurrency')} "
            f"(peak {settled.get('peak_concurrency')}), back-offs {settled.get('slowdowns')}")
    print(line, flush=True)
    return line


def median(xs: list[float]) -> float:
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--latency-ms", type=float, default=50, help="latency variant; 0 skips it")
    ap.add_argument("--concurrency", type=int, default=32, help="health-lint's hand-tuned concurrency on the main crawl")
    ap.add_argument("--latency-concurrency", default="8,32", help="comma-separated concurrencies of the latency variant")
    ap.add_argument("--server", choices=("auto", "nginx", "python"), default="auto")
    ap.add_argument("--peers", default="linkinator,linkchecker",
                    help="comma-separated peers to run when installed (empty: none)")
    ap.add_argument("--peer-timeout", type=float, default=1800, help="seconds before a peer is stopped")
    ap.add_argument("--runs", type=int, default=1, help="runs of the main crawl (health-lint and peers, "
                    "interleaved); wall times are medians")
    ap.add_argument("--fragile", default="429,slow", help="fragile-server passes (429, slow; empty: none)")
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
    planted = planted_urls(truth, site_base)
    on_orphans = len(planted) - len(truth["reachable_broken"])
    print(f"site: {args.pages} pages at {site_base} served by {server}; planted "
          f"{len(truth['broken_internal'])} broken internal, {len(truth['broken_external'])} broken outbound "
          f"({on_orphans} of them only on orphan pages), {len(truth['orphans'])} orphans", flush=True)
    peers = {p.strip().lower() for p in args.peers.split(",") if p.strip()}
    runs: dict[str, list[dict]] = {}
    try:
        for i in range(args.runs):
            for conc in (None, args.concurrency):
                row = run_healthlint(site_base, truth, conc)
                runs.setdefault(row["tool"], []).append(row)
                print(f"run {i + 1}: {row['tool']} {row['wall']:.2f} s; window {list(row['host_rates'].values())[:1]}",
                      flush=True)
            if "linkinator" in peers:
                peer = run_peer(["linkinator", site_base + "/", "--recurse", "--format", "json", "--concurrency", "100"],
                                parse_linkinator, truth, site_base, "linkinator", args.peer_timeout)
                if peer:
                    runs.setdefault("linkinator", []).append(peer)
                    print(f"run {i + 1}: linkinator {peer['wall']:.2f} s", flush=True)
        if "linkchecker" in peers:
            peer = run_peer(["linkchecker", "--check-extern", "--no-status", "-o", "csv", site_base + "/"],
                            parse_linkchecker, truth, site_base, "LinkChecker", args.peer_timeout)
            if peer:
                runs.setdefault("LinkChecker", []).append(peer)
    finally:
        for stop in stops:
            stop()
    hl = median([r["wall"] for r in runs["hl defaults"]])
    print(f"{'tool':<12} {'median s':>8} {'runs':>5} {'peak MB':>8} {'broken found':>13} {'false alarms':>13} {'orphans':>9} {'time ratio':>11}")
    for name, rs in runs.items():
        r = rs[-1]
        wall = median([x["wall"] for x in rs])
        orph = f"{r['orphans']}/{r['orphans_planted']}" if "orphans" in r else "n/a"
        print(f"{name:<12} {wall:>8.2f} {len(rs):>5} {max(x['rss_mb'] for x in rs):>8.0f} {r['found']:>6}/{r['planted']:<6} "
              f"{max(x['false'] for x in rs):>13} {orph:>9} {wall / hl:>10.2f}x")
        if r["false"]:
            print(f"   false alarms of {name}, e.g.: {', '.join(r['false_urls'])}")
    if "linkinator" in runs:
        lk = [x["wall"] for x in runs["linkinator"]]
        for name in ("hl defaults", f"hl c={args.concurrency}"):
            per_run = [l / h["wall"] for l, h in zip(lk, runs[name])]
            print(f"linkinator time / {name} time, per run: {', '.join(f'{x:.2f}' for x in per_run)}; "
                  f"median {median(per_run):.2f}")
    tuned = runs[f"hl c={args.concurrency}"]
    per_run = [d["wall"] / t["wall"] for d, t in zip(runs["hl defaults"], tuned)]
    print(f"hl defaults time / hand-tuned time, per run: {', '.join(f'{x:.2f}' for x in per_run)}; "
          f"median {median(per_run):.2f}")
    last = runs["hl defaults"][-1]
    print(f"health-lint: {last['pages']} pages, {last['requests']} requests; time ratio = tool's median wall "
          "time / health-lint defaults'")

    for mode in [m.strip() for m in args.fragile.split(",") if m.strip()]:
        fragile_pass(root, truth, args.pages, mode)
    if args.latency_ms > 0:
        latency_pass(root, args.latency_ms, [int(c) for c in args.latency_concurrency.split(",") if c.strip()])
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        _serve_forever(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    else:
        main()
