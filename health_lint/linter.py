"""The check pipeline: files → documents → rules → findings.

This module is the only one that reads article files (through
``parsers.load``). Rules get a Document and never touch the file system.
Many files are spread over worker processes; the output order is always
sorted, so it does not depend on scheduling.
"""
from __future__ import annotations

import datetime as _dt
import errno
import gc
import os
import pickle
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath

from . import collector
from . import packs as pack_mod
from . import parsers
from . import rules as rule_registry
from .config import Config, posix_parts
from .document import Block, Document, keep
from .findings import Finding, Problem
from .parsers.errors import InputError
from .rules import RuleContext
from .suppression import Suppressor, parse_directives

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 24
# Findings about the suppression comments themselves: never suppressed.
SUPPRESSION_RULES = ("suppression/invalid", "suppression/unknown-rule", "suppression/unused")
SNIPPET_MAX = 200


class UsageError(Exception):
    """Bad command-line input (exit code 2)."""


class InternalError(Exception):
    """A bug in health-lint (exit code 3)."""


@dataclass
class FileResult:
    """What checking one file gave: its findings, and its document for the link graph."""

    findings: list[Finding]
    suppressed: int = 0
    document: Document | None = None
    # Kept when link-graph rules run later: they suppress through the same
    # comments, and only then is it known which comments were unused.
    suppressor: Suppressor | None = None
    ran: frozenset[str] = frozenset()  # rules that ran on the file
    # document and suppressor pickled, while a large run's workers are
    # still going (see _check_in_worker); unpack() restores them.
    packed: bytes | None = None

    def pack(self) -> None:
        if self.document is not None:
            self.packed = pickle.dumps((self.document, self.suppressor), pickle.HIGHEST_PROTOCOL)
            self.document = self.suppressor = None

    def unpack(self) -> None:
        if self.packed is not None:
            self.document, self.suppressor = pickle.loads(self.packed)
            self.packed = None


@dataclass
class LintResult:
    """What a whole run gave: findings and counts for the reporters."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    suppressed: int = 0
    documents: list[Document] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # every file checked, as displayed


def today() -> _dt.date:
    """The date rules compare against; HEALTH_LINT_TODAY=YYYY-MM-DD pins it
    for reproducible runs."""
    pinned = os.environ.get("HEALTH_LINT_TODAY")
    return _dt.date.fromisoformat(pinned) if pinned else _dt.date.today()


def collect_files(paths: list[str], config: Config, force_exclude: bool = False) -> list[tuple[str, str]]:
    """(path to open, path to display) for every supported file under the
    given paths, honouring ignore globs. A path that does not exist is a
    usage error; a file named explicitly is checked whatever its suffix."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    site = config.section("site")
    content_root = (Path(config.root) / site["content-root"]).resolve() \
        if site.get("content-root") and not site.get("content-root-guessed") else None

    def unlistable(exc: OSError) -> None:
        # A folder os.walk cannot list: reported by parsers.load as
        # input/unreadable (its files were not checked), never skipped silently.
        if exc.filename is not None:
            out.append((exc.filename, printable_path(os.path.normpath(exc.filename))))

    for given in paths:
        p = Path(given)
        if not p.exists() and not p.is_symlink():
            raise UsageError(f"path does not exist: {printable_path(given)}")
        if p.is_dir():
            # Walking a folder that holds the content root (the repository):
            # only the files inside the content root are articles.
            walked = p.resolve()
            # (Inside the content root every file is in it: no check per file.)
            scoped = content_root is not None and content_root != walked and content_root.is_relative_to(walked)
            for dirpath, dirnames, filenames in os.walk(p, onerror=unlistable):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    full = os.path.join(dirpath, name)
                    if parsers.format_of(name) is None:
                        continue
                    display = printable_path(os.path.normpath(full))
                    if display in seen or not config.is_article(rel_to_root(display, config), scoped):
                        continue
                    seen.add(display)
                    out.append((full, display))
        else:
            display = printable_path(os.path.normpath(given))
            # A file named on the command line is checked, unless
            # --force-exclude (the pre-commit hook, which is handed every
            # staged file) asks for the article scope to apply to it too.
            wanted = (config.is_article(rel_to_root(display, config)) if force_exclude
                      else not config.is_ignored(rel_to_root(display, config)))
            if display not in seen and wanted:
                seen.add(display)
                out.append((given, display))
    return out


def with_content_root(config: Config, paths: list[str]) -> Config:
    """The configuration ``check`` and ``graph`` resolve site links with:
    when exactly one folder is given and ``[tool.health-lint.site]
    content-root`` is not configured, that folder is the content root (the
    site root ``/`` maps to it). Otherwise ``config`` unchanged. Both
    commands call this, so they resolve the same tree the same way."""
    import dataclasses

    site = config.section("site")
    folders = [p for p in paths if Path(p).is_dir()]
    if "content-root" in site or len(folders) != 1:
        return config
    # "content-root-guessed": the user did not say where the site root is
    # (graph/not-a-site may then take the folder for a cut-out of a site).
    site = {**site, "content-root": str(Path(folders[0]).resolve()), "content-root-guessed": True}
    return dataclasses.replace(config, sections={**config.sections, "site": site})


def printable_path(path: str) -> str:
    """A file name as shown in reports: bytes that are not UTF-8 (kept by
    Python as surrogates) become ``\\xe9`` escapes, so every report format
    can hold the name. The file is still opened by its real name."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def rel_to_root(path: str, config: Config) -> str:
    # Asked for every file several times (rule settings, suppressions, the
    # graph): one resolve() system call per file and root.
    return _rel_to(path, str(config.root))


@lru_cache(maxsize=1 << 16)
def _rel_to(path: str, root: str) -> str:
    """``Path(path).resolve().relative_to(root).as_posix()``, or the path as
    given when it is outside ``root`` (or the absolute path, for a symlink
    loop that resolve() gives up on). On POSIX with strings: pathlib's
    objects cost more than the system calls on a 10,000-file tree."""
    if os.sep != "/":
        return _rel_to_portable(path, root)
    try:
        real = os.path.realpath(path)
    except ValueError:  # a NUL in the name
        return PurePosixPath(path).as_posix()
    except OSError:  # a link that went away while it was read
        real = os.path.abspath(path)
    else:
        try:
            os.stat(real)  # what Path.resolve() checks: a symlink loop
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                real = os.path.abspath(path)
    _, root_parts = posix_parts(root)
    _, parts = posix_parts(real)
    if not root_parts or parts[:len(root_parts)] != root_parts:
        return PurePosixPath(path).as_posix()
    return "/".join(parts[len(root_parts):]) or "."


def _rel_to_portable(path: str, root: str) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()
    except (RuntimeError, OSError):  # a symlink loop: resolve() gives up
        try:
            return Path(os.path.abspath(path)).relative_to(root).as_posix()
        except ValueError:
            return Path(path).as_posix()


def to_finding(doc: Document | None, path: str, rule_id: str, severity: str, problem: Problem) -> Finding:
    if doc is None:
        line = col = end_line = end_col = 1
        snippet = problem.fingerprint_text or ""
    else:
        line, col = doc.position(problem.start)
        end_line, end_col = doc.position(max(problem.start, problem.end))
        snippet = problem.fingerprint_text if problem.fingerprint_text is not None else doc.source[problem.start:problem.end][:SNIPPET_MAX]
    return Finding(path=path, line=line, column=col, end_line=end_line, end_column=end_col, rule=rule_id,
                   severity=problem.severity or severity, message=problem.message, hint=problem.hint,
                   document_level=problem.document_level, snippet=snippet, data=problem.data,
                   fix=problem.fix, fix_digest=doc.file_digest if doc is not None and problem.fix else "")


def input_finding(path: str, error: InputError, config: Config) -> Finding:
    rule_id = f"input/{error.kind}"
    rc = config.rule_config(rule_id, path)
    return Finding(path=path, line=error.line, column=error.column, end_line=error.line, end_column=error.column,
                   rule=rule_id, severity=rc.severity, message=error.reason, document_level=error.line == 1,
                   snippet=rule_id)


def load_packs(config: Config) -> pack_mod.PackSet:
    """The built-in packs plus the configured folders; a missing folder or a
    malformed pack is a configuration error (exit 2), not a bug."""
    try:
        return pack_mod.load(config.pack_folders())
    except pack_mod.PackError as exc:
        raise UsageError(str(exc)) from None


def speaks(rule, doc: Document) -> bool:
    """False when the document declares a language the rule cannot check
    (English word lists and formulas on a Spanish page)."""
    if not rule.languages or not doc.language:
        return True
    primary = doc.language.lower().replace("_", "-").split("-")[0]
    return primary in rule.languages


def validate_options(config: Config, packs) -> None:
    """Rule-specific checks of option values (ranges, pack ids), for the
    base settings and every override: a bad value is a usage error."""
    errors = []
    scopes = [("rules", config.rules)] + [(f"overrides[{i}].rules", o.get("rules", {}))
                                          for i, o in enumerate(config.overrides)]
    for where, rules in scopes:
        for rule_id, settings in rules.items():
            rule = rule_registry.get(rule_id)
            if rule is None or rule.validate is None:
                continue
            options = {**rule.default, **{k: v for k, v in settings.items() if k in rule.conf}}
            errors += [f"{where}.{rule_id}: {msg}" for msg in rule.validate(options, packs)]
    if errors:
        raise UsageError("; ".join(errors))


class Checker:
    """Runs the document rules on one file. Built once per process."""

    def __init__(self, config: Config, keep_documents: bool = False, pack_kept: bool = True):
        self.config = config
        self.keep_documents = keep_documents
        self.pack_kept = pack_kept  # kept documents hold their source compressed (see _kept)
        self.registry = rule_registry.registry()
        self.context = RuleContext(packs=load_packs(config), today=today(),
                                   settings={name: config.section(name) for name in ("site", "graph")})
        validate_options(config, self.context.packs)

    def warm(self, files_per_worker: int | None = None) -> None:
        """Load what every rule run needs once, so that worker processes
        forked afterwards share it instead of each loading it again
        (``files_per_worker``: how many files each will check; None: many)."""
        from . import readability, spelling
        from .parsers import markdown  # noqa: F401  (import cost paid once, before forking)

        vocabulary = spelling.vocabulary(self.context.packs)
        # Spelling suggestions look up hundreds of candidates per unknown
        # word: far more than WordTable.DICT_AFTER in any folder's run.
        spelling.english_frequencies().as_dict()
        # The other tables are consulted about once per distinct word: per
        # article about 50 times (syllables), 11 (the general list) and 6
        # (Zipf frequencies). Below this share of files, each worker's
        # binary searches cost less than building their lookup structures
        # once before forking (about 60 ms, while the second core waits).
        if files_per_worker is None or files_per_worker >= WARM_ALL_TABLES_FROM:
            vocabulary.general.prepare_set()
            spelling.english_zipf().as_dict()
            readability.syllable_table().as_dict()

    def check_file(self, path: str, display: str, run_rules: bool = True) -> FileResult:
        """The findings of one file. ``run_rules=False`` (a file of another
        ``--shard``) only reads it for the link graph: no findings."""
        try:
            doc = parsers.load(path, display, self.config.max_file_size, self.config.metadata_keys or None)
        except InputError as exc:
            if not run_rules:
                return FileResult([])
            finding = input_finding(display, exc, self.config)
            enabled = self.config.rule_config(finding.rule, rel_to_root(display, self.config)).enabled
            return FileResult([finding] if enabled else [])
        if not run_rules:
            doc.directives = parse_directives(doc)
            return FileResult([], document=self._kept(doc))
        return self.check_document(doc)

    def _kept(self, doc: Document) -> Document:
        # Project rules need links, anchors, metadata and heading texts (the
        # anchors "## Title {#id}" declares), not prose or source mapping:
        # a site's run holds every page's kept document at once. Large runs
        # also compress each page's source (keep); in a small one that
        # would cost more time (0.1 ms a page) than its memory is worth.
        # segments and ignore: (), one shared object, not an empty list each.
        doc.blocks = [Block(kind="heading", text=b.text, segments=(), level=b.level, slug=b.slug,  # type: ignore[arg-type]
                            start=b.start, end=b.end, ignore=()) for b in doc.blocks if b.kind == "heading"]
        doc.derived = {}
        if not self.pack_kept:
            return doc
        doc._line_starts = None  # recomputed from the source if a graph finding needs a position
        return keep(doc)

    def check_document(self, doc: Document) -> FileResult:
        rel = rel_to_root(doc.path, self.config)
        doc.directives = parse_directives(doc)
        suppressor = Suppressor.for_document(doc)
        findings: list[Finding] = []
        for error in doc.input_problems:
            findings.append(input_finding(doc.path, error, self.config))
        ran = {r.id for r in self.registry.values() if r.scope in ("input", "suppression")}
        for rule in self.registry.values():
            if rule.check is None or rule.scope != "document":
                continue
            rc = self.config.rule_config(rule.id, rel)
            if not rc.enabled or not speaks(rule, doc):
                continue
            ran.add(rule.id)
            try:
                for problem in rule.check(doc, rc.options, self.context):
                    findings.append(to_finding(doc, doc.path, rule.id, rc.severity, problem))
            except Exception as exc:  # a crashing rule is our bug, not the user's
                raise InternalError(f"rule {rule.id} failed on {doc.path}: {type(exc).__name__}: {exc}") from exc
        kept = [f for f in findings if not suppressor.suppresses(f)]
        for rule_id, problems in (("suppression/invalid", suppressor.invalid(doc)),
                                  ("suppression/unknown-rule", suppressor.unknown_rules(doc, self.registry))):
            rc = self.config.rule_config(rule_id, rel)
            if rc.enabled:
                kept += [to_finding(doc, doc.path, rule_id, rc.severity, p) for p in problems]
        result = FileResult(kept, suppressed=len(findings) - sum(1 for f in kept if f.rule not in SUPPRESSION_RULES))
        if self.keep_documents:
            # Link-graph rules run later over every document: unused
            # comments are judged after them (see lint()).
            result.document = self._kept(doc)
            result.suppressor, result.ran = suppressor, frozenset(ran)
        else:
            result.findings += unused_findings(doc, suppressor, ran, self.config, rel)
        return result


def unused_findings(doc: Document, suppressor: Suppressor, ran, config: Config, rel: str) -> list[Finding]:
    """``suppression/unused`` findings of one document, judging only the
    rule patterns whose every rule ran on it (``ran``)."""
    rc = config.rule_config("suppression/unused", rel)
    if not rc.enabled:
        return []
    registry = rule_registry.registry()

    def judged(pattern: str) -> bool:
        covered = [rid for rid in registry if _pattern_names(pattern, rid)]
        return bool(covered) and all(rid in ran for rid in covered)

    return [to_finding(doc, doc.path, "suppression/unused", rc.severity, p) for p in suppressor.unused(doc, judged)]


def _pattern_names(pattern: str, rule_id: str) -> bool:
    from .suppression import _names

    return _names(pattern, rule_id)


# Python's cyclic garbage collector scans every tracked object it has not
# frozen, and a run over a site keeps many alive (word tables, memoised
# tokens, the documents the link graph needs): on 200 articles it took about
# a fifth of the time. A batch run collects less often (the first generation
# at 20,000 new objects instead of 700), and what is loaded once (tables,
# packs, indexes) is frozen: never scanned again and, in forked workers,
# never written to by the collector, so their memory stays shared.
BATCH_GC_THRESHOLD = 20_000
MAX_CHUNK = 16  # files per task sent to a worker process
# Files per worker from which every word table's lookup structure is built
# before forking (see Checker.warm): 400 files make about 20,000 syllable
# lookups, WordTable.DICT_AFTER.
WARM_ALL_TABLES_FROM = 400
# Files from which kept documents compress their source (KeptDocument):
# 2,000 pages hold about 20 MB of source.
PACK_KEPT_FROM = 2000
# Pages unpacked between two returns of freed memory (_return_freed_memory).
UNPACK_TRIM_EVERY = 1000


def _raise_gc_threshold() -> tuple[int, int, int]:
    """Collect the first generation less often; the old thresholds."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], BATCH_GC_THRESHOLD), *old[1:])
    return old


@contextmanager
def _batch_gc():
    old = _raise_gc_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


_worker: Checker | None = None
_worker_was_collecting: bool | None = None  # set until the worker's first file is done (see collector)


def _init_worker(config: Config, keep_documents: bool, pack_kept: bool) -> None:
    global _worker, _worker_was_collecting
    _raise_gc_threshold()
    _worker_was_collecting = collector.pause()
    _worker = Checker(config, keep_documents, pack_kept)


def _release_tables(packs) -> None:
    """The word tables were loaded before forking only for the workers to
    share; the link-graph rules and reports that follow in this process
    never read them (about 90 MB, freed before a large run's graph is
    built; freeing them takes about 7 ms that a small run need not spend)."""
    from . import readability, spelling

    spelling.release(packs)
    readability.syllable_table.cache_clear()


def _check_in_worker(item: tuple[str, str, bool]) -> FileResult:
    global _worker_was_collecting
    assert _worker is not None
    result = _worker.check_file(*item)
    if _worker.pack_kept:
        # The main process holds every page's result until the last worker
        # is done, beside the workers' own memory: the peak of a large run.
        # A pickled page (kept document and suppressor) takes less than half
        # the memory of its objects; it is unpacked once the workers are
        # gone (about 0.1 ms a page, in the main process).
        result.pack()
    if _worker_was_collecting is not None:
        collector.resume(_worker_was_collecting)
        _worker_was_collecting = None
    return result


def _return_freed_memory() -> None:
    """Give the C allocator's free pages back to the system. The packed
    pages (bytes objects, from C malloc) are freed as their documents are
    built (Python's own small-object arenas, mapped separately), so without
    this the process would hold both. glibc only; elsewhere a no-op."""
    global _malloc_trim
    if _malloc_trim is None:
        _malloc_trim = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                # The process's own symbols, libc's among them (no search
                # for the library file, which would start ldconfig).
                _malloc_trim = ctypes.CDLL(None).malloc_trim
            except (ImportError, OSError, AttributeError):  # no ctypes; musl and others: no malloc_trim
                pass
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None


def _jobs(config: Config, n_files: int, jobs: int | None) -> int:
    wanted = jobs if jobs is not None else config.jobs
    cores = os.cpu_count() or 1
    wanted = cores if not wanted else wanted
    return 1 if n_files < PARALLEL_MIN_FILES else max(1, min(wanted, cores, n_files))


def lint(paths: list[str], config: Config, jobs: int | None = None, project_rules: bool = True,
         progress=None, shard: tuple[int, int] | None = None, force_exclude: bool = False,
         graph_tree: str | None = None, keep_elsewhere=None) -> LintResult:
    """Check ``paths``. With ``shard`` (K, N) only the files of part K of N
    (see :mod:`health_lint.shard`) are checked and reported; the others are
    still read when link-graph rules need the whole tree.

    With ``graph_tree`` (a folder: the content root, when single files are
    checked, as by the pre-commit hook) the link-graph rules run over that
    whole tree; they report on ``paths``, and on other files only the
    findings ``keep_elsewhere(finding)`` keeps (those the change caused)."""
    from .shard import in_shard

    files = collect_files(paths, config, force_exclude)
    if graph_tree is not None:
        # The tree's files in walk order, the checked ones under their own
        # names (the ones given outside the tree after them).
        given = {os.path.realpath(path): (path, display) for path, display in files}
        tree = [given.pop(os.path.realpath(path), (path, display))
                for path, display in collect_files([graph_tree], config)]
        every_file = tree + list(given.values()) if files else files
    else:
        every_file = files
        files = [f for f in every_file if in_shard(f[1], config.root, shard)]
    # Report a bad pack or option value here, not inside a worker process.
    validate_options(config, load_packs(config))
    want_project = project_rules and any(
        r.scope == "project" and r.check_project and config.rule_config(r.id).enabled
        for r in rule_registry.registry().values())
    result = LintResult(files=len(files), paths=[display for _, display in files])
    own = set(result.paths)
    # (path, display, run the rules?): other shards' files only feed the
    # graph, read in the same order as in a whole run (the graph rules see
    # the same document list, so the shards' findings add up to its).
    if want_project and (shard is not None or graph_tree is not None):
        items = [(path, display, display in own) for path, display in every_file]
    else:
        items = [(path, display, True) for path, display in files]
    # Checking single files against the tree (the hook): the other pages'
    # link data is kept between runs, keyed by each file's size and mtime.
    graph_cache = GraphCache(config, graph_tree) if graph_tree is not None and want_project else None
    reused: dict[int, FileResult] = {}
    if graph_cache is not None:
        for i, (path, display, run) in enumerate(items):
            doc = None if run else graph_cache.get(path, display)
            if doc is not None:
                reused[i] = FileResult([], document=doc)
        all_items, items = items, [item for i, item in enumerate(items) if i not in reused]
    n_jobs = _jobs(config, len(items), jobs)
    with _batch_gc():
        file_results = _check_items(items, config, want_project, n_jobs)
    if graph_cache is not None:
        fresh = iter(file_results)
        file_results = [reused[i] if i in reused else next(fresh) for i in range(len(all_items))]
        graph_cache.save([(path, fr.document) for (path, _, _), fr in zip(all_items, file_results)
                          if fr.document is not None])
    _share_strings(file_results)
    for fr in file_results:
        result.findings.extend(fr.findings)
        result.suppressed += fr.suppressed
        if fr.document is not None:
            result.documents.append(fr.document)
    # The link-graph rules suppress through the same comments (marking them
    # used); a file only read for the graph (another shard) has none here.
    judged = {fr.document.path: fr for fr in file_results if fr.document is not None and fr.suppressor is not None}
    if want_project and result.documents:
        findings, suppressed = run_project_rules(result.documents, config,
                                                 report_paths=own if shard is not None else None,
                                                 suppressors={p: fr.suppressor for p, fr in judged.items()})
        if graph_tree is not None:
            findings = [f for f in findings if f.path in own or (keep_elsewhere is not None and keep_elsewhere(f))]
        result.findings.extend(findings)
        result.suppressed += suppressed
        project_ran = {r.id for r in rule_registry.registry().values()
                       if r.scope == "project" and r.check_project is not None}
        for path, fr in judged.items():
            rel = rel_to_root(path, config)
            ran = set(fr.ran) | {rid for rid in project_ran if config.rule_config(rid, rel).enabled}
            result.findings += unused_findings(fr.document, fr.suppressor, ran, config, rel)
    result.findings.sort(key=Finding.sort_key)
    return result


def _share_strings(file_results: list[FileResult]) -> None:
    """Results come back from worker processes with their own copy of every
    rule id, severity, hint and set of rules that ran: one shared copy each
    (about a tenth of a 10,000-article run's memory)."""
    shared: dict = {}
    for fr in file_results:
        fr.ran = shared.setdefault(fr.ran, fr.ran)
        for f in fr.findings:
            f.rule = shared.setdefault(f.rule, f.rule)
            f.severity = shared.setdefault(f.severity, f.severity)
            f.hint = shared.setdefault(f.hint, f.hint)
            f.path = shared.setdefault(f.path, f.path)


def _check_items(items: list[tuple[str, str, bool]], config: Config, want_project: bool,
                 n_jobs: int) -> list[FileResult]:
    pack_kept = len(items) >= PACK_KEPT_FROM
    if n_jobs > 1:
        import multiprocessing  # only when the run is parallel (start-up cost)
        from concurrent.futures import ProcessPoolExecutor

        fork = "fork" in multiprocessing.get_all_start_methods()
        if fork:
            with collector.paused():  # the tables the workers share (see BATCH_GC_THRESHOLD)
                Checker(config, want_project).warm(len(items) // n_jobs)
        ctx = multiprocessing.get_context("fork" if fork else "spawn")
        # Small chunks: a worker sends its results as it goes instead of
        # holding a quarter of a 10,000-file run's documents (hundreds of
        # MB), and the workers finish together: at 200 files, chunks of 16
        # (0.14 s of work each) left one worker idle for up to 70 ms at the
        # end, chunks of 6 for up to 35 ms.
        chunk = max(1, min(len(items) // (n_jobs * 16), MAX_CHUNK))
        with ProcessPoolExecutor(n_jobs, mp_context=ctx, initializer=_init_worker,
                                 initargs=(config, want_project, pack_kept)) as pool:
            results = list(pool.map(_check_in_worker, items, chunksize=chunk))
        if pack_kept:  # a large run: see _release_tables and _check_in_worker
            if fork:
                _release_tables(load_packs(config))
            for i, result in enumerate(results, 1):
                result.unpack()
                if i % UNPACK_TRIM_EVERY == 0 or i == len(results):
                    _return_freed_memory()
        return results
    results = []
    with collector.paused():  # the first file loads what the run keeps
        checker = Checker(config, want_project, pack_kept)
        if items:
            results.append(checker.check_file(*items[0]))
    for item in items[1:]:
        results.append(checker.check_file(*item))
    return results


def run_project_rules(documents: list[Document], config: Config, report_paths: set[str] | None = None,
                      suppressors: dict[str, Suppressor] | None = None) -> tuple[list[Finding], int]:
    """Rules over the whole content tree (the link graph). With
    ``report_paths``, only findings on those files are kept (``--shard``)."""
    context = RuleContext(packs=load_packs(config), today=today(),
                          settings={name: config.section(name) for name in ("site", "graph")})
    context.settings["root"] = config.root
    by_path = {d.path: d for d in documents}
    suppressors = {d.path: (suppressors or {}).get(d.path) or Suppressor.for_document(d) for d in documents}
    findings: list[Finding] = []
    suppressed = 0
    for rule in rule_registry.registry().values():
        if rule.scope != "project" or rule.check_project is None:
            continue
        if not config.rule_config(rule.id).enabled:
            continue

        def options_for(doc: Document, rule_id: str = rule.id):
            return config.rule_config(rule_id, rel_to_root(doc.path, config))

        for doc, problem in rule.check_project(documents, options_for, context):
            if report_paths is not None and doc.path not in report_paths:
                continue
            rc = options_for(doc)
            if not rc.enabled:
                continue
            finding = to_finding(by_path.get(doc.path, doc), doc.path, rule.id, rc.severity, problem)
            if suppressors[doc.path].suppresses(finding):
                suppressed += 1
            else:
                findings.append(finding)
    return findings, suppressed


def lint_source(data: bytes, name: str, config: Config) -> LintResult:
    """Check one article read from standard input (``check -``), named
    ``name`` (``--stdin-filename``: its format, overrides and report path).
    Decoding problems are findings, as for a file."""
    display = printable_path(name)
    fmt = parsers.format_of(name) or "text"
    validate_options(config, load_packs(config))
    checker = Checker(config)
    result = LintResult(files=1, paths=[display])
    try:
        if len(data) > config.max_file_size:
            raise InputError("too-large", f"input is {len(data):,} bytes, over the limit of "
                             f"{config.max_file_size:,} bytes (raise `max-file-size` in the configuration)")
        source, codec, bom, notes = parsers.decode_file(data, fmt)
        if not source.strip():
            raise InputError("empty", "standard input is empty: there is no article to check")
    except InputError as exc:
        finding = input_finding(display, exc, config)
        result.findings = [finding] if config.rule_config(finding.rule, display).enabled else []
        return result
    doc = parsers.parse(source, display, fmt, config.metadata_keys or None)
    doc.encoding, doc.bom = codec, bom
    doc.input_problems[:0] = notes
    fr = checker.check_document(doc)
    result.findings, result.suppressed = sorted(fr.findings, key=Finding.sort_key), fr.suppressed
    return result


class GraphCache:
    """The link-graph data (kept documents) of a content tree's files,
    between runs, in the user's cache folder: checking one staged file
    against a 1,000-page tree then re-reads only the files that changed.
    An entry is used only when the file's size and modification time are
    those it was read with; anything unreadable is simply rebuilt."""

    def __init__(self, config: Config, tree: str):
        import hashlib

        from . import __version__
        from .usercache import FORMAT, cache_dir

        # Whatever changes how a file is read changes the key.
        key = repr((__version__, FORMAT, os.path.realpath(tree), os.getcwd(), config.max_file_size,
                    sorted((config.metadata_keys or {}).items())))
        self.path = cache_dir() / f"graph-docs-{hashlib.sha256(key.encode()).hexdigest()[:20]}.pickle"
        self.entries: dict[str, tuple[int, int, Document]] = {}
        try:
            with open(self.path, "rb") as fh:
                data = pickle.load(fh)
            if isinstance(data, dict):
                self.entries = data
        except Exception:  # absent, damaged or from another version: rebuilt
            self.entries = {}

    @staticmethod
    def _stat(path: str) -> tuple[int, int] | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns

    def get(self, path: str, display: str) -> Document | None:
        entry = self.entries.get(display)
        if entry is None or self._stat(path) != entry[:2]:
            return None
        return entry[2]

    def save(self, docs: list[tuple[str, Document]]) -> None:
        from .safe_write import write_file

        entries = {}
        for path, doc in docs:
            stat = self._stat(path)
            if stat is not None:
                entries[doc.path] = (*stat, doc)
        if all(self.entries.get(k, (None,))[:2] == v[:2] for k, v in entries.items()) and len(entries) == len(self.entries):
            return  # nothing changed: no write
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_file(self.path, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a read-only cache only makes the next run slower
