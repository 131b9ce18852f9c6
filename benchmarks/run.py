"""`check` speed on a varied, site-like corpus, always beside proselint in
the same run (`pip install -e '.[bench]'` installs it).

    .venv/bin/python benchmarks/run.py [--repeat 5] [--articles 200] [--large 10000 [--large-runs 2] [--large-peer]]
                                       [--base-tree /path/to/other/health-lint/checkout]

Rows:

* **varied** — articles from ``benchmarks/corpus.py``: real English sentences
  (standard-library docstrings) mixed with health sentences, 300–2,500 words,
  site-root links with some broken. ``check FOLDER`` runs every rule,
  the link graph included; ``--no-graph`` is shown too.
* **one article** — the article of median length, alone (a pre-commit run).
* **fixture-built** — the old benchmark: articles built from the fixtures,
  which repeat the same words and hit every cache. Kept as a second row.
* ``--large N`` — one run of ``check`` on N varied articles: wall time and
  peak memory (the sum of the proportional set sizes, PSS, of health-lint
  and its worker processes, sampled every 20 ms). ``--large-runs K``: K
  runs of each tree, alternated, the order reversed each round (a noisy
  machine drifts by 10-15% within minutes). ``--large-peer`` runs
  proselint on the same N articles in each round too, and prints the
  ratio (proselint takes minutes there).

Each figure is the median of ``--repeat`` runs of the real command line in a
fresh process (start-up and imports count, as they do for users). The tools
are run alternately, so a load change on a shared machine hits both; the
ratio is the median of the per-round ratios. ``--base-tree`` adds rows for
another checkout of health-lint (run with this Python and
``PYTHONPATH=TREE``), for before/after figures in the same run.

Targets (issue 13): 200 varied articles >= 3x faster than proselint; one
article no slower than proselint; 10,000 articles <= 60 s and <= 500 MB.
"""
from __future__ import annotations

import argparse
import atexit
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "fixtures").glob("articles/*.md")) + sorted((ROOT / "fixtures").glob("clean/*.md")) + \
    sorted((ROOT / "fixtures").glob("defects/*.md"))


def make_fixture_corpus(folder: Path, count: int) -> list[Path]:
    """``count`` distinct Markdown articles built from the fixtures (each gets
    a unique sentence so no tool can cache across files)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        src = SOURCES[i % len(SOURCES)].read_text(encoding="utf-8")
        path = folder / f"article-{i:03d}.md"
        path.write_text(src + f"\nArticle number {i} was generated for the benchmark.\n", encoding="utf-8")
        files.append(path)
    return files


class Tool:
    def __init__(self, name: str, argv: list[str], env: dict | None = None):
        self.name, self.argv, self.env = name, argv, env
        self.cpu: dict[str, list[float]] = {}  # CPU seconds (user + system) per case

    def run(self, args: list[str], cwd: Path) -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(self.argv + args, cwd=cwd, capture_output=True, text=True, env=tool_env(self.env))
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # The process and its workers (waited for): robust to other load on
        # the machine, unlike wall time.
        self.cpu.setdefault(" ".join(args[:2]) if len(args) < 5 else "all", []).append(
            after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{self.name} {' '.join(args[:3])} failed ({proc.returncode}): {proc.stderr[-2000:]}")
        return elapsed


def tool_env(extra: dict | None) -> dict:
    """The environment the tools run in: as installed for a user, with
    bytecode. A development shell may set PYTHONDONTWRITEBYTECODE, which
    makes every run re-compile health-lint's sources from a checkout
    (0.2-0.5 s) while proselint's installed .pyc files are used: the
    bytecode goes to a cache folder instead, for every tool alike."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "health-lint-bench-pycache"))
    return {**env, **(extra or {})}


def rounds(cases: list[tuple[Tool, list[str]]], repeat: int, cwd: Path) -> list[list[float]]:
    """Times of each case, the cases run alternately ``repeat`` times (after
    one untimed warm-up each: caches in the user cache folder are built)."""
    for tool, args in cases:
        tool.run(args, cwd)
    times: list[list[float]] = [[] for _ in cases]
    for _ in range(repeat):
        for k, (tool, args) in enumerate(cases):
            times[k].append(tool.run(args, cwd))
    return times


def ratio(slow: list[float], fast: list[float]) -> float:
    return statistics.median(s / f for s, f in zip(slow, fast))


def tree_pss_kb(pid: int) -> int:
    """Sum of the PSS of ``pid`` and its descendants (kB); RSS where the
    kernel has no smaps_rollup."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, ()))
        for name, key in ((f"/proc/{p}/smaps_rollup", "Pss:"), (f"/proc/{p}/status", "VmRSS:")):
            try:
                with open(name) as fh:
                    line = next((ln for ln in fh if ln.startswith(key)), None)
            except OSError:
                continue
            if line:
                total += int(line.split()[1])
                break
    return total


def run_with_memory(argv: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak MB of the process tree's PSS)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=tool_env(env))
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_pss_kb(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv[:4])} failed ({proc.returncode}): {err[-2000:].decode(errors='replace')}")
    return elapsed, peak / 1024


def median_article(files: list[Path]) -> Path:
    by_length = sorted(files, key=lambda f: (len(f.read_text(encoding="utf-8").split()), f.as_posix()))
    return by_length[len(by_length) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--large", type=int, default=0, help="also time one run on this many varied articles")
    parser.add_argument("--large-runs", type=int, default=1,
                        help="runs of each tree on the large site, alternated (the order reversed each round)")
    parser.add_argument("--large-peer", action="store_true",
                        help="also run proselint on the large site, in each round (slow: minutes)")
    parser.add_argument("--base-tree", type=Path, help="another health-lint checkout to time beside this one")
    parser.add_argument("--skip-fixtures", action="store_true", help="skip the fixture-built row")
    args = parser.parse_args()
    proselint_path = shutil.which("proselint") or str(Path(sys.executable).parent / "proselint")
    if not Path(proselint_path).exists():
        raise SystemExit("proselint is not installed: .venv/bin/pip install -e '.[bench]'")
    # Each checkout keeps its own user cache: the rule packs' cache is keyed
    # by the packs folder, and two checkouts sharing one folder would evict
    # each other's entry on every run (both timed with a cold pack cache).
    caches = Path(tempfile.mkdtemp(prefix="health-lint-bench-cache-"))
    atexit.register(shutil.rmtree, caches, True)
    ours = Tool("health-lint", [sys.executable, "-m", "health_lint", "check"],
                {"PYTHONPATH": str(ROOT), "HEALTH_LINT_CACHE_DIR": str(caches / "ours")})
    tools = [ours]
    if args.base_tree:
        tools.append(Tool(f"base ({args.base_tree})", [sys.executable, "-m", "health_lint", "check"],
                          {"PYTHONPATH": str(args.base_tree.resolve()), "HEALTH_LINT_CACHE_DIR": str(caches / "base")}))
    prose = Tool("proselint", [proselint_path, "check"])
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load {load:.1f}, Python {sys.version.split()[0]}; "
          f"median of {args.repeat} runs, tools alternated")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "varied"
        files = corpus.write_site(site, args.articles, args.seed)
        words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
        rel = [f.relative_to(site).as_posix() for f in files]
        one = median_article(files).relative_to(site).as_posix()
        print(f"\nvaried: {len(files)} articles, {words:,} words; one article: {one} "
              f"({len((site / one).read_text(encoding='utf-8').split())} words)")
        cases = []
        for t in tools:
            cases += [(t, ["."]), (t, ["--no-graph", "."]), (t, [one])]
        cases += [(prose, rel), (prose, [one])]
        times = rounds(cases, args.repeat, site)
        by_case = {(c[0].name, " ".join(c[1][:2]) if c[0] is not prose else ("one" if c[1] == [one] else "all")): t
                   for c, t in zip(cases, times)}
        p_all, p_one = by_case[("proselint", "all")], by_case[("proselint", "one")]
        print(f"{'tool':<34} {'N articles':>11} {'ratio':>7} {'1 article':>10} {'ratio':>7}")
        for t in tools:
            for label, key in (("check DIR", "."), ("check --no-graph DIR", "--no-graph .")):
                mine = by_case[(t.name, key)]
                one_t = by_case[(t.name, one)]
                print(f"{t.name + ': ' + label:<34} {statistics.median(mine):>10.3f}s {ratio(p_all, mine):>6.2f}x "
                      f"{statistics.median(one_t):>9.3f}s {ratio(p_one, one_t):>6.2f}x")
        print(f"{'proselint':<34} {statistics.median(p_all):>10.3f}s {'':>7} {statistics.median(p_one):>9.3f}s")
        print("CPU seconds (user + system, the process and its workers; median):")
        for t in tools + [prose]:
            print("  " + t.name + ": " + ", ".join(f"{'N articles' if k in ('all', '.') else k}: "
                                                   f"{statistics.median(v[1:] or v):.2f}"
                                                   for k, v in t.cpu.items()))
        mine, one_t = by_case[(ours.name, ".")], by_case[(ours.name, one)]
        r_all, r_one = ratio(p_all, mine), ratio(p_one, one_t)
        print(f"targets: {len(files)} articles >= 3x faster than proselint: {'met' if r_all >= 3 else 'MISSED'} "
              f"({r_all:.2f}x); one article no slower: {'met' if r_one >= 1 else 'MISSED'} ({r_one:.2f}x)")

        if not args.skip_fixtures:
            folder = Path(tmp) / "fixtures"
            fixture_files = make_fixture_corpus(folder, args.articles)
            fw = sum(len(f.read_text(encoding="utf-8").split()) for f in fixture_files) // len(fixture_files)
            cases = [(t, ["--no-graph", "."]) for t in tools] + [(prose, [f.name for f in fixture_files])]
            times = rounds(cases, args.repeat, folder)
            print(f"\nfixture-built (old benchmark, repeats the same words): {len(fixture_files)} articles of "
                  f"about {fw} words")
            for t, tt in zip(tools, times):
                print(f"{t.name + ': check --no-graph DIR':<34} {statistics.median(tt):>10.3f}s "
                      f"{ratio(times[-1], tt):>6.2f}x")
            print(f"{'proselint':<34} {statistics.median(times[-1]):>10.3f}s")

        if args.large:
            big = Path(tmp) / "large"
            big_files = corpus.write_site(big, args.large, args.seed)
            bw = sum(len(f.read_text(encoding="utf-8").split()) for f in big_files)
            print(f"\nlarge: {len(big_files)} articles, {bw:,} words "
                  f"({args.large_runs} run{'s' if args.large_runs != 1 else ''} each, alternated)")
            big_rel = [f.relative_to(big).as_posix() for f in big_files]
            for round_no in range(args.large_runs):
                runners = [(t, t.argv + ["."], t.env) for t in tools]
                if args.large_peer:
                    runners.append((prose, prose.argv + big_rel, None))
                walls = {}
                for t, argv, env in (runners if round_no % 2 == 0 else runners[::-1]):
                    wall, mb = run_with_memory(argv, big, env)
                    walls[t.name] = wall
                    verdict = (f"(target <= 60 s, <= 500 MB: {'met' if wall <= 60 and mb <= 500 else 'MISSED'})"
                               if t is not prose else "")
                    label = t.name + (": check DIR" if t is not prose else "")
                    print(f"{label:<34} {wall:>10.1f}s {mb:>8.0f} MB {verdict}", flush=True)
                if args.large_peer:
                    print("  x proselint, this round: " + ", ".join(
                        f"{t.name} {walls[prose.name] / walls[t.name]:.2f}x" for t in tools), flush=True)


if __name__ == "__main__":
    main()
