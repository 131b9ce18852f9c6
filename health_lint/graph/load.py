"""Load a content tree for the graph alone (``health-lint graph``).

The graph needs each document's links, anchors, metadata and suppression
comments, not its prose rules: this skips the content rules (the slow part
of ``check``) and parses files in parallel across cores when there are many.
Files that cannot be read become ``input/...`` findings, as in ``check``.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from .. import parsers
from ..config import Config
from ..document import Document
from ..findings import Finding
from ..linter import PARALLEL_MIN_FILES, collect_files, input_finding, rel_to_root
from ..parsers.errors import InputError
from ..suppression import parse_directives

_config: Config | None = None


def _init(config: Config) -> None:
    global _config
    _config = config


def _load_one(item: tuple[str, str], config: Config | None = None) -> tuple[Document | None, Finding | None]:
    config = config or _config
    assert config is not None
    path, display = item
    try:
        doc = parsers.load(path, display, config.max_file_size, config.metadata_keys or None)
    except InputError as exc:
        finding = input_finding(display, exc, config)
        enabled = config.rule_config(finding.rule, rel_to_root(display, config)).enabled
        return None, finding if enabled else None
    doc.directives = parse_directives(doc)
    # Keep what the graph and suppression need, so little crosses the
    # process boundary: heading text (anchors), not its source map.
    for b in doc.blocks:
        if b.kind == "heading":
            b.segments = []
            b.ignore = []
    doc.blocks = [b for b in doc.blocks if b.kind == "heading"]
    doc.derived = {}
    doc.extra_text = ""
    doc._line_starts = None  # rebuilt on demand
    # Parser problems (malformed HTML) are reported by `check`; the graph
    # only needs the document.
    doc.input_problems = []
    return doc, None


def load_documents(paths: list[str], config: Config, jobs: int | None = None) -> tuple[list[Document], list[Finding], int]:
    """(documents, input findings, number of files)."""
    files = collect_files(paths, config)
    wanted = jobs if jobs is not None else config.jobs
    cores = os.cpu_count() or 1
    n_jobs = 1 if len(files) < PARALLEL_MIN_FILES else max(1, min(wanted or cores, cores, len(files)))
    if n_jobs > 1:
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(n_jobs, mp_context=ctx, initializer=_init, initargs=(config,)) as pool:
            results = list(pool.map(_load_one, files, chunksize=max(1, len(files) // (n_jobs * 8))))
    else:
        results = [_load_one(item, config) for item in files]
    docs = [d for d, _ in results if d is not None]
    findings = [f for _, f in results if f is not None]
    return docs, findings, len(files)
