"""Helpers for the link-graph tests: build a content tree in a temporary
folder and run the real loader, project rules and graph on it."""
from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from health_lint.config import Config
from health_lint.graph import clear_cache, graph_for
from health_lint.graph.load import load_documents
from health_lint.linter import run_project_rules

DISCLAIMER = "This article is for general information and is not a substitute for professional medical advice."


def page(title: str, body: str = "", **front) -> str:
    """A short, valid article in Markdown with front matter."""
    fm = {"title": title, "author": "Priya Shah", "reviewed_by": "Dr Tom Reed, MD", "date": "2024-03-02", **front}
    lines = ["---"] + [f"{k}: {v}" for k, v in fm.items()] + ["---", f"# {title}", "", textwrap.dedent(body).strip(),
                                                             "", DISCLAIMER, ""]
    return "\n".join(lines)


class Tree:
    def __init__(self, root: Path, files: dict[str, str], site: dict | None = None, graph: dict | None = None):
        self.root = root
        self.content = root / "content"
        for rel, text in files.items():
            path = self.content / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        self.config = Config(root=root)
        self.config.sections = {"site": {"content-root": "content", **(site or {})}, "graph": dict(graph or {})}
        clear_cache()
        self.documents, self.input_findings, _ = load_documents([str(self.content)], self.config, jobs=1)
        self.findings, self.suppressed = run_project_rules(self.documents, self.config)
        context = SimpleNamespace(settings={"site": self.config.section("site"), "graph": self.config.section("graph"),
                                            "root": self.config.root})
        self.graph = graph_for(self.documents, context)

    def rel(self, path: str) -> str:
        return Path(path).resolve().relative_to(self.content.resolve()).as_posix()

    def of(self, rule: str) -> list:
        return [f for f in self.findings if f.rule == rule]

    def paths(self, rule: str) -> list[str]:
        return sorted(self.rel(f.path) for f in self.of(rule))

    def index(self, rel: str) -> int:
        return next(i for i, d in enumerate(self.documents) if self.rel(d.path) == rel)

    def resolve(self, source: str, url: str):
        return self.graph.resolver.resolve(self.index(source), url)

    def target(self, source: str, url: str) -> str | None:
        res = self.resolve(source, url)
        return self.rel(self.documents[res.target].path) if res.target is not None else None


@pytest.fixture
def tree(tmp_path):
    def make(files: dict[str, str], site: dict | None = None, graph: dict | None = None) -> Tree:
        return Tree(tmp_path, files, site, graph)

    return make
