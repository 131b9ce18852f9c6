"""`health-lint links FILES` and `health-lint crawl URL`: the online commands.

Both share the link checker (health_lint/web), its SQLite cache, the findings
schema and every report format. Settings come from `[tool.health-lint.links]`
(for `links`) or `[tool.health-lint.crawl]` (for `crawl`, falling back to
`[links]`), then from the command line.
"""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .cli import (EXIT_USAGE, BaselineOpt, ConfigOpt, DiffBaseOpt, FailLevelOpt, FormatOpt, MaxAnnotationsOpt, OutputOpt,
                  ShardOpt, UsageFailure, WriteBaselineOpt, app, check_format, fail_level_of, finish, load_config,
                  shard_of_option)

CacheOpt = typer.Option(None, "--cache", help="SQLite cache file (default .health-lint-cache.sqlite).")
NoCacheOpt = typer.Option(False, "--no-cache", help="Do not read or write the cache.")
ConcurrencyOpt = typer.Option(None, "--concurrency", help="Requests in flight, all hosts together (default 16).")
PerHostOpt = typer.Option(None, "--per-host", help="Ceiling of requests in flight to one host (default 16); "
                          "the window starts at 4 and adapts to how the host answers.")
RateOpt = typer.Option(None, "--max-rate", "--rate", help="Ceiling of requests per second per host "
                       "(default 0 = none); robots.txt Crawl-delay can only lower it.")
TimeoutOpt = typer.Option(None, "--timeout", help="Seconds to wait for a response (default 20).")
UserAgentOpt = typer.Option(None, "--user-agent", help="User-Agent header (and robots.txt agent).")
ExcludeOpt = typer.Option([], "--exclude", help="Regex of URLs not to check (repeatable).")
AcceptOpt = typer.Option([], "--accept", help="HTTP statuses to treat as OK besides 2xx (repeatable): codes and "
                         "lychee-style ranges, e.g. 403 or 200..=299,403 (a..b leaves b out, a..=b includes it).")
RemapOpt = typer.Option([], "--remap", help="Check URLs rewritten: \"PATTERN REPLACEMENT\" (regex; $1 for groups; "
                        "repeatable), e.g. to check a staging copy.")
NoProgressOpt = typer.Option(False, "--no-progress", help="No progress bar, even on a terminal.")
IGNORE_FILE = ".health-lint-ignore"
AllowPrivateOpt = typer.Option(False, "--allow-private", help="Allow requests to private and loopback addresses.")
FragmentsOpt = typer.Option(False, "--check-fragments", help="Check #fragments exist on the target pages (GET).")


def web_config(cfg, section: str, **overrides):
    """WebConfig from the configuration section(s), then command-line values."""
    from .web import WebConfig

    values = dict(cfg.section("links"))
    if section != "links":
        values.update(cfg.section(section))
    try:
        web = WebConfig.from_mapping(values)
    except (ValueError, TypeError) as exc:
        raise UsageFailure(f"[tool.health-lint.{section}]: {exc}") from None
    # Only options given on the command line; 0 is a value (``--rate 0`` is
    # unlimited, ``--max-depth 0`` the start page only), not "not given".
    changes = {k: v for k, v in overrides.items() if not (v is None or v is False or v == [] or v == ())}
    for key in ("exclude", "include", "accept_statuses", "remap"):
        if key in changes:
            changes[key] = tuple(getattr(web, key)) + tuple(changes[key])
    web = dataclasses.replace(web, **changes)
    ignored = ignore_file_patterns(cfg)
    if ignored:
        web = dataclasses.replace(web, exclude=tuple(web.exclude) + tuple(ignored))
    _validate_web(web, section)
    return web


def parse_accept(values: List[str]) -> List[int]:
    """``--accept`` values as lychee writes them: ``403``, ``200..=299``
    (inclusive), ``200..300`` (end left out), comma-separated, repeatable."""
    from .web.config import status_codes

    try:
        return list(status_codes(values))
    except ValueError as exc:
        raise UsageFailure(str(exc)) from None


def ignore_file_patterns(cfg) -> list[str]:
    """Regexes of URLs not to check, one a line, from ``.health-lint-ignore``
    at the project root (as lychee's ``.lycheeignore``); blank lines and
    lines starting with ``#`` are skipped. A bad regex is a usage error
    naming the file and line."""
    import re

    path = Path(cfg.root) / IGNORE_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageFailure(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            re.compile(line)
        except re.error as exc:
            raise UsageFailure(f"{path}:{number}: invalid regular expression {line!r}: {exc}") from None
        out.append(line)
    return out


def _validate_web(web, section: str) -> None:
    """Values a type check lets through but that make no sense: a bad regex,
    a negative rate. Usage errors (exit 2), never internal errors."""
    import re

    problems = web.problems()
    if problems:
        raise UsageFailure(f"{section}: " + "; ".join(problems))
    for key in ("exclude", "include"):
        for pattern in getattr(web, key):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise UsageFailure(f"{section} {key}: invalid regular expression {pattern!r}: {exc}") from None
    from .web.remap import compile_remaps

    try:
        compile_remaps(web.remap)
    except ValueError as exc:
        raise UsageFailure(f"{section} {exc}") from None
    # max-pages 0 is refused rather than read as "unlimited": a crawl with no
    # page limit should be asked for with a large number, never by accident.
    positive = ("concurrency", "per_host_concurrency", "connect_timeout", "read_timeout", "max_body_bytes",
                "max_pages", "sitemap_max_bytes", "sitemap_max_files", "sitemap_max_depth", "sitemap_max_urls")
    non_negative = ("rate_limit", "retries", "flaky_retries", "backoff_base", "backoff_max", "max_redirects",
                    "max_depth", "max_retry_after", "max_crawl_delay")
    for name in positive:
        if getattr(web, name) <= 0:
            raise UsageFailure(f"{section} {name.replace('_', '-')} must be more than 0, not {getattr(web, name)}")
    if web.total_timeout is not None and web.total_timeout <= 0:
        raise UsageFailure(f"{section} total-timeout must be more than 0, not {web.total_timeout}")
    for name in non_negative:
        if getattr(web, name) < 0:
            raise UsageFailure(f"{section} {name.replace('_', '-')} must be 0 or more, not {getattr(web, name)}")


def open_cache(web, cache_path: Optional[Path], no_cache: bool):
    from .web import Cache

    if no_cache:
        return None
    path = cache_path or Path(web.cache_path)
    try:
        return Cache(str(path))
    except Exception as exc:  # sqlite3.Error, OSError: a bad path is the user's to fix
        raise UsageFailure(f"cannot open cache {path}: {exc}") from None


def apply_rule_config(findings, cfg):
    """Enabled/severity settings of online rules, as for every other rule.
    A redirect's severity (permanent/temporary) is kept unless the user set one."""
    from .linter import rel_to_root

    out = []
    for f in findings:
        rc = cfg.rule_config(f.rule, rel_to_root(f.path, cfg) if "://" not in f.path else f.path)
        if not rc.enabled:
            continue
        if "severity" in cfg.rules.get(f.rule, {}):
            f.severity = rc.severity
        out.append(f)
    return out


def publish_links(documents, cfg, base_url: str) -> dict[str, str]:
    """Give relative and site-root links their published absolute URLs, as
    the link graph resolves them: `[b](b.md)` on /a/ is /b/ on the site, not
    /a/b.md. Returns each file's own published URL."""
    from urllib.parse import urljoin

    from .graph.resolve import MISSING_ANCHOR, OK, Resolver, SiteSettings

    site = dict(cfg.section("site"))
    site["base-url"] = base_url
    resolver = Resolver(documents, SiteSettings.from_context({"site": site, "root": cfg.root}))
    root = base_url.rstrip("/")
    pages = {doc.path: root + resolver.url_of(i) for i, doc in enumerate(documents)}
    for i, doc in enumerate(documents):
        published = []
        for link in doc.links:
            url = link.url.strip()
            if not url or url.startswith("#") or ":" in url.split("/", 1)[0] or url.startswith("//"):
                published.append(link)  # absolute, scheme-only (mailto:) or in-page
                continue
            res = resolver.resolve(i, url)
            if res.status in (OK, MISSING_ANCHOR) and res.target is not None:
                absolute = root + resolver.url_of(res.target) + (f"#{res.fragment}" if res.fragment else "")
            else:  # assets, and pages the tree lacks: where the browser would go
                absolute = urljoin(pages[doc.path], url)
            published.append(dataclasses.replace(link, url=absolute))
        doc.links = published
    return pages


@app.command()
def links(
    paths: List[str] = typer.Argument(..., help="Files and folders whose links to check."),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="Published address of the content root: "
                                           "internal (relative and site-root) links are checked too."),
    fix: bool = typer.Option(False, "--fix", help="Rewrite permanently redirected links (and http:// links whose "
                                                   "https:// version answers the same) to their final URL."),
    fmt: str = FormatOpt,
    output: Optional[Path] = OutputOpt,
    fail_level: Optional[str] = FailLevelOpt,
    config: Optional[Path] = ConfigOpt,
    baseline: Optional[Path] = BaselineOpt,
    write_baseline: Optional[Path] = WriteBaselineOpt,
    diff_base: Optional[str] = DiffBaseOpt,
    max_annotations: Optional[int] = MaxAnnotationsOpt,
    cache: Optional[Path] = CacheOpt,
    no_cache: bool = NoCacheOpt,
    concurrency: Optional[int] = ConcurrencyOpt,
    per_host: Optional[int] = PerHostOpt,
    rate: Optional[float] = RateOpt,
    timeout: Optional[float] = TimeoutOpt,
    user_agent: Optional[str] = UserAgentOpt,
    exclude: List[str] = ExcludeOpt,
    accept: List[str] = AcceptOpt,
    allow_private: bool = AllowPrivateOpt,
    check_fragments: bool = FragmentsOpt,
    shard: Optional[str] = ShardOpt,
    remap: List[str] = RemapOpt,
    no_progress: bool = NoProgressOpt,
) -> None:
    """Check the links in local articles over HTTP (online)."""
    from . import parsers
    from .linter import UsageError, collect_files, input_finding
    from .parsers.errors import InputError
    from .reporters import Report
    from .suppression import Suppressor, parse_directives
    from .web import check_urls, fix_targets, https_upgrades, occurrences_from_document, results_to_findings

    check_format(fmt)
    part = shard_of_option(shard)
    cfg = load_config(config)
    level = fail_level_of(fail_level, cfg)
    web = web_config(cfg, "links", concurrency=concurrency, per_host_concurrency=per_host, rate_limit=rate,
                     read_timeout=timeout, user_agent=user_agent, exclude=exclude, accept_statuses=parse_accept(accept),
                     allow_private=True if allow_private else None, check_fragments=check_fragments, remap=remap)
    if no_progress:
        web = dataclasses.replace(web, progress=False)
    if fix and web.remap:
        raise UsageFailure("--fix cannot be used with --remap (the results are those of the remapped URLs)")
    base = base_url or cfg.section("site").get("base-url")
    if base and web.allow_private is None and _is_private_url(base):
        # A staging site on a private address: its links are what we came for.
        web = dataclasses.replace(web, allow_private=True)
    try:
        every_file = collect_files(paths, cfg)
    except UsageError as exc:
        raise UsageFailure(str(exc)) from None
    from .shard import in_shard

    files = [f for f in every_file if in_shard(f[1], cfg.root, part)]
    own = {display for _, display in files}
    documents, findings = [], []
    # With --base-url, internal links resolve through the whole tree (a
    # shard's link may point into another shard's file): read every file,
    # check and report only the shard's own.
    for path, display in every_file if base else files:
        try:
            doc = parsers.load(path, display, cfg.max_file_size, cfg.metadata_keys or None)
        except InputError as exc:
            if display in own:
                findings.append(input_finding(display, exc, cfg))
            continue
        doc.directives = parse_directives(doc)
        documents.append(doc)
    if base and documents:
        publish_links(documents, cfg, base)
    documents = [doc for doc in documents if doc.path in own]
    occurrences = [occ for doc in documents for occ in occurrences_from_document(doc)]
    urls = sorted({occ.url for occ in occurrences})
    store = open_cache(web, cache, no_cache)
    from .web.progress import Progress

    from .web.checker import CheckInterrupted

    progress = Progress.create(web)
    interrupted: list[str] | None = None  # URLs left unchecked by Ctrl-C
    results: dict = {}
    from .web.remap import compile_remaps, remap_url

    remaps = compile_remaps(web.remap)
    # --remap: the rewritten URL is checked, the link as written is reported.
    checked_as = {u: remap_url(u, remaps) for u in urls}

    def as_written(found: dict) -> dict:
        return {u: found[c] for u, c in checked_as.items() if c in found} if remaps else found

    try:
        results = as_written(check_urls(sorted(set(checked_as.values())), web, store, progress=progress))
        upgrades = https_upgrades([u for u in urls if u.startswith("http://")], results, web, store) if fix else {}
    except CheckInterrupted as stop:
        # Ctrl-C: report what was checked, change no file, exit 130.
        if not results:
            results = as_written(stop.results)
        interrupted = sorted(set(urls) - set(results))
        upgrades, fix = {}, False
    finally:
        progress.close()
        if store is not None:
            store.close()
    link_findings = apply_rule_config(results_to_findings(results, occurrences, config=web)
                                      + _blocked_findings(results, occurrences), cfg)
    suppressors = {doc.path: Suppressor.for_document(doc) for doc in documents}
    kept = [f for f in link_findings if not suppressors[f.path].suppresses(f)]
    suppressed = len(link_findings) - len(kept)
    fix_failures: list[str] = []
    if fix:
        opened_as = {display: path for path, display in files}
        kept = _fix(documents, occurrences, {**fix_targets(results), **upgrades}, kept, opened_as, fix_failures)
    counts = _class_counts(results)
    report = Report(findings=sorted(findings + kept, key=lambda f: f.sort_key()), files=len(files),
                    suppressed=suppressed, fail_level=level, command="links", root=cfg.root,
                    options={"paths": [display for _, display in files]})
    report.extra["links"] = {"urls": len(urls), "occurrences": len(occurrences), "by_class": counts}
    if part is not None:
        report.extra["shard"] = {"index": part[0], "count": part[1]}
    report.text_sections = [f"Links: {len(urls)} unique URLs in {len(occurrences)} places; "
                            + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))]
    if interrupted is not None:
        report.extra["links"].update(interrupted=True, unchecked=len(interrupted))
        report.text_sections.append(f"Interrupted (Ctrl-C): {len(urls) - len(interrupted)} of {len(urls)} URLs "
                                    f"checked; {len(interrupted)} not checked (nothing was fixed"
                                    + (", no baseline written" if write_baseline is not None else "") + ").")
        write_baseline = None  # a partial run must not become the baseline
    try:
        try:
            finish(report, fmt, output, baseline, write_baseline, diff_base, max_annotations)
        finally:
            for message in fix_failures:
                typer.echo(f"health-lint: error: {message}", err=True)
    except typer.Exit as done:
        if interrupted is not None:
            raise typer.Exit(EXIT_INTERRUPTED) from None
        # A file --fix could not write is a file-system error (exit 2).
        raise typer.Exit(EXIT_USAGE if fix_failures else done.exit_code) from None


# Ctrl-C: the shell convention (128 + SIGINT), as for an interrupted crawl.
EXIT_INTERRUPTED = 130


def _class_counts(results) -> dict[str, int]:
    """How many checked URLs fell into each class (ok, broken...)."""
    from collections import Counter

    return dict(Counter(r.classification for r in results.values()))


def _is_private_url(url: str) -> bool:
    from urllib.parse import urlsplit

    from .web.urls import is_private_host

    try:
        return is_private_host(urlsplit(url).hostname or "")
    except ValueError:
        return False


def _blocked_findings(results, occurrences) -> list:
    """Links the address policy refused to request: never silently passed."""
    from .findings import Finding
    from .web.urls import normalize_url

    out = []
    for occ in occurrences:
        r = results.get(occ.url) or results.get(normalize_url(occ.url))
        if r is None or r.classification != "blocked":
            continue
        out.append(Finding(path=occ.source, line=occ.line, column=occ.column, end_line=occ.end_line or occ.line,
                           end_column=occ.end_column or occ.column, rule="links/unverified", severity="warning",
                           message=f"Link → {occ.url} was not checked: {r.error or 'blocked by the address policy'}",
                           hint="Private and link-local addresses are not requested by default; use --allow-private "
                                "for a staging site (link-local/cloud-metadata addresses are never requested).",
                           snippet=occ.url, data={"url": occ.url, "classification": "blocked", "error": r.error}))
    return out


def _fix(documents, occurrences, targets: dict[str, str], findings, opened_as: dict[str, str],
         failures: list[str]):
    """Rewrite each fixable URL in its file, byte for byte elsewhere; the
    findings for fixed links are dropped (they are fixed). A file that
    cannot be written is named in ``failures``; its findings stay."""
    from .web import apply_rewrites

    by_path: dict[str, list] = {}
    for occ in occurrences:
        new = targets.get(occ.url)
        if new and occ.url_start >= 0:
            by_path.setdefault(occ.source, []).append(occ)
    fixed: set[tuple[str, int, int]] = set()
    for doc in documents:
        occs = by_path.get(doc.path)
        if not occs:
            continue
        # One rewrite per place: uses of one reference definition share it.
        rewrites = sorted({(o.url_start, o.url_end, o.url, targets[o.url]) for o in occs
                           if doc.source[o.url_start:o.url_end].replace("&amp;", "&") == o.url})
        if not rewrites:
            continue
        new_text = apply_rewrites(doc.source, rewrites)
        if not _write_fixed(doc, opened_as.get(doc.path, doc.path), new_text, failures):
            continue
        for start, _, old, new in rewrites:
            line, col = doc.position(start)
            from .reporters.escape import safe_line
            from .reporters.redact import redact_text

            typer.echo(safe_line(f"fixed {doc.path}:{line}:{col} {redact_text(old)} -> {redact_text(new)}"), err=True)
            fixed.add((doc.path, line, col))
    return [f for f in findings if (f.path, f.line, f.column) not in fixed]


def _write_fixed(doc, path: str, new_text: str, failures: list[str]) -> bool:
    """Replace the file with ``new_text`` in the file's own encoding (and
    BOM), atomically, unless it changed since it was read. Line endings and
    every other byte are those of ``doc.source``."""
    import hashlib

    from .safe_write import ChangedMeanwhile, write_file

    try:
        current = Path(path).read_bytes()
    except OSError as exc:
        failures.append(f"cannot read {doc.path} again to fix it: {exc.strerror or exc}; it was not changed")
        return False
    if hashlib.sha256(current).hexdigest() != doc.file_digest:
        typer.echo(f"skipped {doc.path}: it changed while links were being checked; not fixed "
                   "(run `links --fix` again)", err=True)
        return False
    try:
        data = doc.bom + new_text.encode(doc.encoding)
    except UnicodeEncodeError:
        failures.append(f"cannot fix {doc.path}: the new URL has characters its encoding ({doc.encoding}) "
                        "cannot hold; it was not changed")
        return False
    try:
        write_file(path, data, expected=current)
    except ChangedMeanwhile:
        typer.echo(f"skipped {doc.path}: it changed while it was being fixed; not fixed "
                   "(run `links --fix` again)", err=True)
        return False
    except OSError as exc:
        failures.append(f"cannot write {doc.path}: {exc.strerror or exc}; the file was left as it was")
        return False
    return True


@app.command()
def crawl(
    start_url: str = typer.Argument(..., help="Where to start, e.g. https://www.example.org/"),
    max_pages: Optional[int] = typer.Option(None, "--max-pages", help="Stop after this many pages (default 10000)."),
    max_depth: Optional[int] = typer.Option(None, "--max-depth", help="Follow links at most this deep (default 50)."),
    include: List[str] = typer.Option([], "--include", help="Regex of URLs in scope (repeatable; default: same host)."),
    exclude: List[str] = ExcludeOpt,
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted crawl from the cache."),
    lint: bool = typer.Option(False, "--lint", help="Also run the content rules on every crawled page."),
    no_robots: bool = typer.Option(False, "--ignore-robots", help="Do not honour robots.txt."),
    no_sitemap: bool = typer.Option(False, "--no-sitemap", help="Do not seed the crawl from sitemap.xml."),
    no_external: bool = typer.Option(False, "--no-external", help="Do not check links to other sites."),
    max_crawl_delay: Optional[float] = typer.Option(None, "--max-crawl-delay", help="Cap on the robots.txt "
                                                    "Crawl-delay in seconds (default 10; 0 = ignore it)."),
    fmt: str = FormatOpt,
    output: Optional[Path] = OutputOpt,
    fail_level: Optional[str] = FailLevelOpt,
    config: Optional[Path] = ConfigOpt,
    baseline: Optional[Path] = BaselineOpt,
    write_baseline: Optional[Path] = WriteBaselineOpt,
    diff_base: Optional[str] = DiffBaseOpt,
    max_annotations: Optional[int] = MaxAnnotationsOpt,
    cache: Optional[Path] = CacheOpt,
    no_cache: bool = NoCacheOpt,
    concurrency: Optional[int] = ConcurrencyOpt,
    per_host: Optional[int] = PerHostOpt,
    rate: Optional[float] = RateOpt,
    timeout: Optional[float] = TimeoutOpt,
    user_agent: Optional[str] = UserAgentOpt,
    accept: List[str] = AcceptOpt,
    allow_private: bool = AllowPrivateOpt,
    check_fragments: bool = FragmentsOpt,
    remap: List[str] = RemapOpt,
    no_progress: bool = NoProgressOpt,
    export: List[Path] = typer.Option([], "--export", "-e", help="Write one row per crawled URL to FILE.csv or "
                                      "FILE.json, or the graph's HTML report to FILE.html (repeatable)."),
) -> None:
    """Crawl a published site: broken links, redirects, orphans, and with --lint the content rules (online)."""
    from urllib.parse import urlsplit

    from .reporters import Report
    from .web import crawl as run_crawl
    from .web import crawl_findings

    check_format(fmt)
    parts = urlsplit(start_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageFailure(f"crawl needs an http:// or https:// start URL, not {start_url!r}")
    cfg = load_config(config)
    level = fail_level_of(fail_level, cfg)
    web = web_config(cfg, "crawl", max_pages=max_pages, max_depth=max_depth, include=include, exclude=exclude,
                     concurrency=concurrency, per_host_concurrency=per_host, rate_limit=rate, read_timeout=timeout,
                     user_agent=user_agent, accept_statuses=parse_accept(accept),
                     allow_private=True if allow_private else None,
                     check_fragments=check_fragments, max_crawl_delay=max_crawl_delay, remap=remap)
    if no_progress:
        web = dataclasses.replace(web, progress=False)
    exports = _crawl_exports(export)
    if no_robots:
        web = dataclasses.replace(web, respect_robots=False)
    if no_sitemap:
        web = dataclasses.replace(web, use_sitemap=False)
    if no_external:
        web = dataclasses.replace(web, check_external=False)
    if resume and no_cache:
        raise UsageFailure("--resume needs the cache (leave out --no-cache)")
    store = open_cache(web, cache, no_cache)
    on_page = _page_linter(cfg) if lint else None
    try:
        result = run_crawl(start_url, web, store, resume=resume, on_page=on_page,
                           page_facts=bool(exports))  # the report shows titles too
    except ValueError as exc:  # a start URL that is not http(s), out of policy...
        raise UsageFailure(str(exc)) from None
    except KeyboardInterrupt:
        # The pages crawled so far are in the cache (the crawler saved them):
        # say how to go on, with the command line as it was typed.
        import shlex

        if store is None:
            typer.echo("Crawl interrupted (Ctrl-C). Nothing was saved (--no-cache): run it again to start over.",
                       err=True)
        else:
            from .reporters.redact import redact_text

            again = [a for a in sys.argv[1:] if a != "--resume"]
            typer.echo(redact_text("Crawl interrupted (Ctrl-C); the pages crawled so far are saved in the cache. "
                                   f"Resume with:\n  health-lint {shlex.join(again)} --resume"), err=True)
        raise typer.Exit(130)
    finally:
        if store is not None:
            store.close()
    # Links the address policy refused are reported as in `links`: a link
    # nobody checked is not a pass.
    findings = apply_rule_config(crawl_findings(result, web) + _start_failure(start_url, result, web)
                                 + _blocked_findings(result.results, result.occurrences), cfg)
    if lint:
        findings += _lint_findings(result.page_data)
    counts = _class_counts(result.results)
    report = Report(findings=sorted(findings, key=lambda f: f.sort_key()), files=len(result.pages),
                    fail_level=level, command="crawl", root=cfg.root)
    report.extra["crawl"] = {"start_url": start_url, "pages": len(result.pages), "links_checked": len(result.results),
                             "by_class": counts, "orphans": list(result.orphans), "requests": result.requests,
                             "complete": result.complete, "resumed": result.resumed, "notes": list(result.notes),
                             "limits": list(result.limits), "crawl_delays": dict(result.crawl_delays),
                             "host_rates": dict(result.host_rates),
                             "elapsed": round(result.elapsed, 3)}
    report.text_sections = [
        f"Crawl of {start_url}: {len(result.pages)} pages, {len(result.results)} links checked "
        f"({', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))}), {len(result.orphans)} orphans, "
        f"{result.requests} requests in {result.elapsed:.1f} s" + _limits_note(result, web),
        *result.notes,
        *_host_rate_lines(result),
    ]
    _write_crawl_exports(exports, result, report.findings, lint, cfg)
    finish(report, fmt, output, baseline, write_baseline, diff_base, max_annotations)


def _crawl_exports(paths: List[Path]) -> list[tuple[str, Path]]:
    """(format, file) of each --export, from the file's extension; checked
    before the crawl so a typo costs no crawl."""
    from .web.pages import EXPORT_FORMATS

    out = []
    for path in paths:
        fmt_name = EXPORT_FORMATS.get(path.suffix.lower())
        if fmt_name is None:
            raise UsageFailure(f"--export {path}: name a .csv, .json or .html file")
        if path.is_dir():
            raise UsageFailure(f"--export {path}: is a folder")
        out.append((fmt_name, path))
    return out


def graph_of_crawl(export_path: str, targets, fmt: str, output, fail_level, cfg, baseline, write_baseline,
                   diff_base, max_annotations) -> None:
    """`health-lint graph pages.json`: the graph summary and the HTML report
    of a crawl, from its `crawl --export FILE.json` (no new request)."""
    from .cli_graph import summary_lines
    from .findings import Finding
    from .reporters import Report
    from .web.pages import NotACrawlExport, crawl_report_data, load_export, write_report

    try:
        result, finding_dicts = load_export(export_path)
    except (OSError, NotACrawlExport) as exc:
        raise UsageFailure(str(exc)) from None
    for fmt_name, path in targets:
        if fmt_name != "html":
            raise UsageFailure(f"a crawl export draws the HTML report only, not {fmt_name} ({path})")
    deep = int((cfg.section("graph") or {}).get("max-depth", 3))
    data = crawl_report_data(result, finding_dicts, deep)
    findings = [Finding(path=f["path"], line=f["line"], column=f["column"], end_line=f["line"], end_column=f["column"],
                        rule=f["rule"], severity=f["severity"], message=f["message"]) for f in finding_dicts]
    report = Report(findings=sorted(findings, key=lambda f: f.sort_key()), files=len(result.pages),
                    fail_level=fail_level, command="graph", root=cfg.root)
    report.extra["graph"] = data["summary"]
    report.text_sections = summary_lines(data["summary"])
    _write_crawl_exports([(fmt_name, Path(path)) for fmt_name, path in targets], result, finding_dicts, False, cfg)
    finish(report, fmt, output, baseline, write_baseline, diff_base, max_annotations)


def _write_crawl_exports(exports, result, findings, lint: bool, cfg) -> None:
    import shlex

    from .reporters.redact import redact_text
    from .web.pages import write_pages, write_report

    for fmt_name, path in exports:
        try:
            if path.parent and not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            if fmt_name == "html":
                deep = int((cfg.section("graph") or {}).get("max-depth", 3))
                write_report(result, path, findings, redact_text("health-lint " + shlex.join(sys.argv[1:])), deep)
            else:
                write_pages(result, path, fmt_name, lint, findings)
        except OSError as exc:
            raise UsageFailure(f"cannot write {path}: {exc.strerror or exc}") from None
        typer.echo(f"Wrote {fmt_name} export of {len(result.pages)} pages to {path}.", err=True)


def _host_rate_lines(result) -> list[str]:
    """Where the adaptive request window settled, per host that took more
    than a few requests (issue 12): the crawled site first."""
    lines = []
    for host, r in sorted(result.host_rates.items(), key=lambda kv: -kv[1]["requests"]):
        if r["requests"] < 20:
            continue
        backoffs = (f"; backed off {r['slowdowns']}x" + (f" ({r['throttled']} answers 429/503)" if r["throttled"] else "")
                    if r["slowdowns"] else "")
        lines.append(f"Rate for {host}: settled at {r['concurrency']} in flight (peak {r['peak_concurrency']}, "
                     f"ceiling {r['ceiling']}), {r['rate']:g} requests/s over {r['requests']} requests{backoffs}")
    return lines[:3]


def _limits_note(result, web) -> str:
    """Why the crawl stopped short, for the summary line (empty when complete)."""
    reasons = []
    if "max-pages" in result.limits:
        reasons.append(f"stopped at --max-pages {web.max_pages}")
    if "max-depth" in result.limits:
        reasons.append(f"links deeper than --max-depth {web.max_depth} checked, not crawled")
    if not reasons and not result.complete:
        reasons.append("incomplete")
    return f" ({'; '.join(reasons)})" if reasons else ""


def _start_failure(start_url: str, result, web) -> list:
    """A start page that could not be fetched is the first thing to report:
    nothing links to it, so no other finding would mention it."""
    from .web.report import RULES, _message

    from .findings import Finding

    r = result.result_for(start_url, web)
    if r is not None and r.classification in ("blocked", "skipped") or (r is None and not result.pages):
        reason = (r.error if r is not None and r.error else
                  "nothing was fetched (robots.txt may disallow it for this user agent)")
        # An error, not a warning: the run checked nothing at all.
        return [Finding(path=start_url, line=1, column=1, end_line=1, end_column=1, rule="links/unverified",
                        severity="error", message=f"Start page was not crawled: {reason}",
                        hint="Check the address, --allow-private for a private site, or --ignore-robots.",
                        document_level=True, snippet=start_url, data={"url": start_url})]
    if r is None or r.classification not in ("broken", "server-error", "unverified"):
        return []
    rule, severity = RULES[r.classification]
    message, hint, _ = _message(r, start_url, "")
    return [Finding(path=start_url, line=1, column=1, end_line=1, end_column=1, rule=rule, severity=severity,
                    message=f"Start page: {message}", hint=hint, document_level=True, snippet=start_url,
                    data={"url": start_url, "status": r.status, "classification": r.classification,
                          "error": r.error})]


def _page_linter(cfg):
    """on_page callback for --lint: parse each HTML page into a Document and
    run the document rules; findings are stored as dicts so they survive
    --resume in the crawl state."""
    from .linter import Checker
    from .parsers import parse
    from .parsers.errors import InputError

    checker = Checker(cfg)

    def on_page(url: str, body: bytes, content_type: str, result) -> list[dict]:
        try:
            doc = parse(decode_page(body, content_type), url, "html", cfg.metadata_keys or None)
        except InputError as exc:
            return [{"path": url, "line": exc.line, "column": exc.column, "end_line": exc.line,
                     "end_column": exc.column, "rule": f"input/{exc.kind}", "severity": "error",
                     "message": exc.reason, "hint": "", "document_level": True, "snippet": exc.kind}]
        return [dataclasses.asdict(f) for f in checker.check_document(doc).findings]

    return on_page


def decode_page(body: bytes, content_type: str) -> str:
    """Text of a fetched HTML page: the charset of its Content-Type header
    wins (as in a browser), then a byte-order mark, UTF-8, or the charset
    its <meta> declares. Raises InputError when the bytes fit none."""
    import codecs
    from email.message import Message

    from .parsers import _LATIN1_LABELS, decode_file
    from .parsers.errors import InputError

    header = Message()
    header["content-type"] = content_type or ""
    label = (header.get_param("charset") or "").strip().lower()
    if label and not body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "cp1252" if label in _LATIN1_LABELS else label
        try:
            codecs.lookup(codec)
        except LookupError:
            codec = ""
        if codec:
            try:
                return body.decode(codec)
            except UnicodeDecodeError as exc:
                if codec != "cp1252":
                    raise InputError("invalid-utf8",
                                     f"not valid {label} (the charset its Content-Type header declares): "
                                     f"bad bytes at byte offset {exc.start}") from None
                return body.decode("latin-1")  # the few bytes cp1252 leaves undefined
    return decode_file(body, "html")[0]


def _lint_findings(page_data: dict) -> list:
    from .findings import Finding

    out = []
    for items in page_data.values():
        for item in items or []:
            out.append(Finding(**item))
    return out
