"""Benchmark: build and analyse the link graph of 10,000 generated articles.

    python benchmarks/graph_bench.py [--pages 10000] [--links 10] [--jobs N]

Generates a content tree (topic hubs with spoke articles, 10 links each,
some to sections, some site-root, a few broken links and anchors) in a
temporary folder, then times what ``health-lint graph`` does: parse every
file (in parallel), resolve every link, build the graph, PageRank, depths,
and run the seven graph rules. Prints wall time per stage and peak memory
(ru_maxrss of this process and of the parsing workers). Target: <= 10 s for
10,000 articles on the project's 2-core machine.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from health_lint.config import Config  # noqa: E402
from health_lint.graph import clear_cache, graph_for  # noqa: E402
from health_lint.graph.load import load_documents  # noqa: E402
from health_lint.linter import run_project_rules  # noqa: E402

ARTICLE = """---
title: {title}
author: Priya Shah
reviewed_by: Dr Tom Reed, MD
date: 2024-03-02
---
# {title}

{title} is a common problem. Most people get better with simple care at home.

## What helps

{links_a}

## When to see a doctor

See a doctor if it does not get better in two weeks. {links_b}

## Related articles

{links_c}

This article is for general information and is not a substitute for professional medical advice.
"""


def generate(root: Path, pages: int, links: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    topics = max(1, pages // 100)
    names = [f"topic-{i // 100:03d}/article-{i:05d}" for i in range(pages)]
    (root / "index.md").write_text(ARTICLE.format(
        title="Health guides", links_a=" ".join(f"[Topic {t}](topic-{t:03d}/)" for t in range(topics)),
        links_b="", links_c=""), encoding="utf-8")
    for t in range(topics):
        folder = root / f"topic-{t:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        spokes = [n for n in names[t * 100:(t + 1) * 100]]
        (folder / "index.md").write_text(ARTICLE.format(
            title=f"Topic {t}", links_a=" ".join(f"[Article](/{n}/)" for n in spokes[:60]), links_b="",
            links_c="[Home](../index.md)"), encoding="utf-8")
    for i, name in enumerate(names):
        targets = []
        for k in range(links):
            j = rnd.randrange(pages) if k % 3 else (i // 100) * 100 + rnd.randrange(100)
            j = min(j, pages - 1)
            style = k % 4
            if style == 0:
                url = f"/{names[j]}/"
            elif style == 1:
                url = f"../{names[j]}.md".replace(f"../topic-{i // 100:03d}/", "")
                if not url.startswith("article-"):
                    url = "../" + names[j].split("/", 1)[0] + "/" + names[j].split("/", 1)[1] + ".md"
            elif style == 2:
                url = f"/{names[j]}/#what-helps"
            else:
                url = f"https://example.org/{names[j]}/"
            if rnd.random() < 0.003:
                url = url.replace("article-", "artcle-")  # a broken link
            elif rnd.random() < 0.003:
                url = f"/{names[j]}/#what-help"  # a broken anchor
            targets.append(f"[article {j}]({url})")
        third = max(1, links // 3)
        (root / f"{name}.md").write_text(ARTICLE.format(
            title=f"Article {i}", links_a=" ".join(targets[:third]), links_b=" ".join(targets[third:2 * third]),
            links_c=" ".join(targets[2 * third:])), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--links", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        root.mkdir()
        t0 = time.perf_counter()
        generate(root, args.pages, args.links)
        t_gen = time.perf_counter() - t0
        cfg = Config(root=Path(tmp))
        cfg.sections = {"site": {"content-root": "content", "base-url": "https://example.org/"}, "graph": {}}
        clear_cache()
        t0 = time.perf_counter()
        docs, _, n_files = load_documents([str(root)], cfg, args.jobs)
        t_parse = time.perf_counter() - t0
        t1 = time.perf_counter()
        findings, _ = run_project_rules(docs, cfg)
        t_rules = time.perf_counter() - t1
        from types import SimpleNamespace

        lg = graph_for(docs, SimpleNamespace(settings={"site": cfg.section("site"), "graph": cfg.section("graph"),
                                                        "root": cfg.root}))
        t2 = time.perf_counter()
        summary = lg.summary()
        t_summary = time.perf_counter() - t2
        total = time.perf_counter() - t0
    links = sum(len(d.links) for d in docs)
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    print(f"generated {n_files} files in {t_gen:.1f} s")
    print(f"pages {summary['pages']}, links {links}, page-to-page edges {summary['edges']}")
    print(f"parse (parallel)            {t_parse:6.2f} s")
    print(f"resolve + graph + 7 rules   {t_rules:6.2f} s")
    print(f"summary                     {t_summary:6.2f} s")
    print(f"total build and analyse     {total:6.2f} s  (target <= 10 s)")
    print(f"peak memory: {self_mb:.0f} MB (main process), {child_mb:.0f} MB (largest parsing worker)")
    print("findings: " + ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items())))


if __name__ == "__main__":
    main()
