"""`check` on 2 MB pages: every per-document step must be linear.

    .venv/bin/python benchmarks/big_files.py [--size 1990000]

Builds pages just under the default 2 MB limit (a page of links, one long
paragraph, a list of links, each as Markdown and HTML; HTML nested 100,000
elements deep) and times the real command line on each, in a fresh process.
Target (issue 14): each checked in a few seconds.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("the patient should see a doctor if pain gets worse fever headache rash diabetes insulin blood pressure "
         "heart attack stroke call emergency").split()


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 25))).capitalize() + ". "


def pages(size: int) -> dict[str, str]:
    rng = random.Random(2)

    def fill(head: str, piece, tail: str) -> str:
        parts, n, i = [head], len(head), 0
        while n < size - len(tail) - 200:
            s = piece(i)
            parts.append(s)
            n += len(s.encode())
            i += 1
        return "".join(parts) + tail

    html_head, html_tail = "<html><head><title>T</title></head><body><main><p>", "</p></main></body></html>\n"
    depth = 100_000
    return {
        "links.md": fill("# Links\n\n", lambda i: f"[{rng.choice(WORDS)} source {i}](https://site{i % 97}.example.org/a/{i}) ", "\n"),
        "paragraph.md": fill("# Paragraph\n\n", lambda i: sentence(rng), "\n"),
        "list-of-links.md": fill("# Links\n\n", lambda i: f"- [{rng.choice(WORDS)} guide {i}](https://example{i % 50}.org/page/{i}) about {rng.choice(WORDS)}.\n", ""),
        "links.html": fill(html_head, lambda i: f'<a href="https://site{i % 97}.example.org/a/{i}">source {i}</a> and ', html_tail),
        "paragraph.html": fill(html_head, lambda i: sentence(rng), html_tail),
        "deep.html": "<html><body><main>" + "<div>" * depth + "<p>Deep text.</p>" + "</div>" * depth + "</main></body></html>\n",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_990_000)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("health-lint")
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'page':18} {'bytes':>10} {'wall s':>7} {'cpu s':>6} {'max RSS MB':>10}  exit")
        for name, text in pages(args.size).items():
            path = Path(folder) / name
            path.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            proc = subprocess.Popen([str(exe), "check", "--format", "json", str(path)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
            print(f"{name:18} {path.stat().st_size:>10,} {wall:>7.1f} {cpu:>6.1f} {usage.ru_maxrss / 1024:>10.0f}  {code}",
                  flush=True)


if __name__ == "__main__":
    main()
