"""`check` speed: one article (a pre-commit run) and 200 articles (CI),
beside proselint run on the same files in the same run when it is installed
(`pip install -e '.[bench]'`).

    .venv/bin/python benchmarks/run.py [--repeat 5]

Each figure is the median wall time of `--repeat` runs of the real command
line in a fresh process, so start-up and imports count, as they do for users.
Targets (issue 2): one article <= 0.3 s; 200 articles >= 3x faster than
proselint on a 2-core machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "fixtures").glob("articles/*.md")) + sorted((ROOT / "fixtures").glob("clean/*.md")) + \
    sorted((ROOT / "fixtures").glob("defects/*.md"))


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def make_corpus(folder: Path, count: int, parts: int = 1) -> list[Path]:
    """`count` distinct Markdown articles built from the fixtures (each gets a
    unique paragraph so no tool can cache across files). ``parts`` > 1 appends
    the bodies of the next fixtures, for long articles."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        src = SOURCES[i % len(SOURCES)].read_text(encoding="utf-8")
        for k in range(1, parts):
            src += "\n" + _body(SOURCES[(i + k) % len(SOURCES)])
        path = folder / f"article-{i:03d}.md"
        path.write_text(src + f"\nArticle number {i} was generated for the benchmark.\n", encoding="utf-8")
        files.append(path)
    return files


def timed(cmd: list[str], repeat: int, cwd: Path) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd[:3])} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    health_lint = [sys.executable, "-m", "health_lint", "check", "--no-graph"]
    proselint = shutil.which("proselint") or (str(Path(sys.executable).parent / "proselint")
                                              if (Path(sys.executable).parent / "proselint").exists() else None)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; median of {args.repeat} runs")
    with tempfile.TemporaryDirectory() as tmp:
        # Fixture-sized articles and long ones (about the 1,800-word article
        # measured in shared/NOTES.md).
        for parts in (1, 4):
            folder = Path(tmp) / f"parts{parts}"
            files = make_corpus(folder, args.articles, parts)
            words = sum(len(f.read_text(encoding="utf-8").split()) for f in files) // len(files)
            one = [files[0].name]
            rows = [("health-lint", timed(health_lint + one, args.repeat, folder),
                     timed(health_lint + ["."], args.repeat, folder))]
            if proselint:
                rows.append(("proselint", timed([proselint, "check"] + one, args.repeat, folder),
                             timed([proselint, "check"] + [f.name for f in files], max(1, args.repeat // 2), folder)))
            print(f"\narticles of about {words} words")
            print(f"{'tool':<12} {'1 article':>10} {f'{args.articles} articles':>14}")
            for name, a, b in rows:
                print(f"{name:<12} {a:>9.3f}s {b:>13.3f}s")
            ours_one, ours_many = rows[0][1], rows[0][2]
            print(f"target one article <= 0.300 s: {'met' if ours_one <= 0.3 else 'MISSED'} ({ours_one:.3f} s)")
            if proselint:
                ratio = rows[1][2] / ours_many
                print(f"{args.articles} articles: health-lint is {ratio:.1f}x faster than proselint "
                      f"(target >= 3x: {'met' if ratio >= 3 else 'MISSED'}); one article: "
                      f"{rows[1][1] / ours_one:.2f}x")
            else:
                print("proselint not installed: `pip install -e '.[bench]'` to compare")


if __name__ == "__main__":
    main()
