"""Configuration: `[tool.health-lint]` in pyproject.toml or `.health-lint.toml`.

Found from the current directory upwards (or given with ``--config``).
Everything is validated: an unknown rule, key or a bad value is a
:class:`ConfigError` naming it, which the CLI turns into exit code 2.

Example::

    [tool.health-lint]
    fail-level = "error"
    ignore = ["drafts/**"]
    packs = ["style/health-lint"]

    [tool.health-lint.rules."readability/grade"]
    max-grade = 7
    severity = "error"

    [[tool.health-lint.overrides]]
    files = ["kids/**"]
    rules = { "readability/grade" = { max-grade = 5 } }
"""
from __future__ import annotations

import fnmatch
import math
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from . import rules as rule_registry
from .findings import FAIL_LEVELS, SEVERITIES
from . import regexcache

CONFIG_FILES = (".health-lint.toml", "pyproject.toml")


class ConfigError(Exception):
    pass


# Settings of commands and shared sections: key -> type (or tuple of choices).
# Types: str, int, float, bool, list (of strings), dict, "tables" (array of tables).
SECTIONS: dict[str, dict[str, Any]] = {
    "": {
        "fail-level": FAIL_LEVELS,
        "ignore": list,
        "exclude": list,   # the same as ignore (the name ruff and markdownlint use)
        "include": list,   # articles are only the files matching these globs
        "packs": list,
        "max-file-size": int,
        "jobs": int,
        "metadata-keys": dict,
        "rules": dict,
        "overrides": "tables",
        "site": dict,
        "graph": dict,
        "links": dict,
        "crawl": dict,
        "report": dict,
    },
    # The published site, for link resolution (graph) and link checking.
    "site": {"base-url": str, "domains": list, "content-root": str, "permalink": str, "index-files": list,
             "static-dirs": list},
    "graph": {"entry-pages": list, "max-depth": int},
    "report": {},  # filled in by their modules
}
# [links] and [crawl] take the link checker's settings (health_lint/web/config.py).
WEB_SECTIONS = ("links", "crawl")


def _web_schema() -> dict[str, Any]:
    import dataclasses

    from .web.config import WebConfig

    out: dict[str, Any] = {}
    for f in dataclasses.fields(WebConfig):
        default = getattr(WebConfig(), f.name)
        kind = {bool: bool, int: int, float: float, str: str, tuple: "ints-or-strings", dict: dict}.get(type(default))
        if default is None:
            kind = "optional"
        if kind is None:
            continue
        out[f.name.replace("_", "-")] = kind
    return out
RULE_KEYS = {"enabled": bool, "severity": SEVERITIES}
DEFAULT_IGNORE = ["**/node_modules/**", "**/.git/**", "**/.venv/**", "**/venv/**", "**/_site/**"]


def register_section(name: str, schema: dict[str, Any]) -> None:
    """Commands (links, crawl, report formats) declare their settings here."""
    SECTIONS.setdefault(name, {}).update(schema)


@dataclass
class RuleConfig:
    """A rule's settings for one file: on or off, severity, options."""

    enabled: bool
    severity: str
    options: dict[str, Any]


@dataclass
class Config:
    """The run's settings, from the configuration file and the command line."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    fail_level: str = "error"
    ignore: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)
    max_file_size: int = 2_000_000
    jobs: int = 0  # 0 = one per core
    metadata_keys: dict[str, list[str]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    overrides: list[dict[str, Any]] = field(default_factory=list)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    # --select / --extend-select / --ignore: rule id -> enabled. Wins over
    # the file's settings and overrides (the command line is the last word).
    selected: dict[str, bool] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        return self.sections.get(name, {})

    def __setattr__(self, name: str, value: Any) -> None:
        # Answers kept from the settings (rule_config, _article_scope) are
        # dropped when a setting is replaced.
        object.__setattr__(self, name, value)
        if not name.startswith("_"):
            for kept in ("_rule_configs", "_overrides_by_path", "_scope"):
                self.__dict__.pop(kept, None)

    def is_ignored(self, rel_path: str) -> bool:
        return any(_glob_match(rel_path, pat) for pat in DEFAULT_IGNORE + self.ignore)

    def is_article(self, rel_path: str, content_root: bool = True) -> bool:
        """Whether a file (relative to the project root) is an article: inside
        the content root when one is configured, matching ``include`` when it
        is set, not ignored/excluded, and not in a rule-pack folder (word
        lists are data, not articles)."""
        if self.is_ignored(rel_path):
            return False
        if self.include and not any(_glob_match(rel_path, pat) for pat in self.include):
            return False
        packs, content = self._article_scope()
        if not packs and not (content_root and content):
            return True
        # realpath, not Path.resolve(): a symlink loop must not raise (the
        # loader reports it as input/unreadable).
        absolute = os.path.realpath(os.path.join(self.root, rel_path))
        if any(absolute == folder or absolute.startswith(folder + os.sep) for folder in packs):
            return False
        if content_root and content:
            return absolute == content or absolute.startswith(content + os.sep)
        return True

    def _article_scope(self) -> tuple[tuple[str, ...], str | None]:
        """(pack folders, content root) as real paths, computed once per
        configuration (is_article runs for every file of a tree)."""
        scope = self.__dict__.get("_scope")
        if scope is None:
            site = self.section("site")
            root = site.get("content-root")
            content = (os.path.realpath(os.path.join(self.root, root))
                       if root and not site.get("content-root-guessed") else None)
            scope = (tuple(os.path.realpath(f) for f in self.pack_folders()), content)
            self.__dict__["_scope"] = scope
        return scope

    def rule_config(self, rule_id: str, rel_path: str | None = None) -> RuleConfig:
        """A rule's settings for a file (``rel_path``, relative to the root:
        the overrides whose globs match it apply). Asked for every rule and
        file of a run: answers are kept per rule and set of matching
        overrides (a configuration is not changed once loaded). Read-only."""
        matched = self._overrides_for(rel_path) if rel_path is not None and self.overrides else ()
        answers = self.__dict__.setdefault("_rule_configs", {})
        answer = answers.get((rule_id, matched))
        if answer is None:
            answer = answers[rule_id, matched] = self._rule_config(rule_id, matched)
        return answer

    def _overrides_for(self, rel_path: str) -> tuple[int, ...]:
        """Indexes of the overrides whose globs match ``rel_path``."""
        known = self.__dict__.setdefault("_overrides_by_path", {})
        matched = known.get(rel_path)
        if matched is None:
            matched = known[rel_path] = tuple(i for i, override in enumerate(self.overrides)
                                              if any(_glob_match(rel_path, pat) for pat in override["files"]))
        return matched

    def _rule_config(self, rule_id: str, overrides: tuple[int, ...]) -> RuleConfig:
        rule = rule_registry.get(rule_id)
        if rule is None:
            raise ConfigError(f"unknown rule {rule_id!r}")
        merged: dict[str, Any] = {"enabled": True, "severity": rule.severity, **rule.default}
        merged.update(self.rules.get(rule_id, {}))
        for i in overrides:
            merged.update(self.overrides[i].get("rules", {}).get(rule_id, {}))
        enabled = self.selected.get(rule_id, merged.pop("enabled"))
        merged.pop("enabled", None)
        severity = merged.pop("severity")
        return RuleConfig(enabled, severity, merged)

    def pack_folders(self) -> tuple[str, ...]:
        base = self.path.parent if self.path else self.root
        return tuple(str((base / p).resolve()) for p in self.packs)


def _glob_match(path: str, pattern: str) -> bool:
    """Globs with ** for any number of folders; a pattern without a slash
    matches the file name anywhere."""
    return _glob(pattern)(path.replace("\\", "/"))


@lru_cache(maxsize=1024)
def _glob(pattern: str):
    """``pattern`` compiled once into a test of a (slash-separated) path: it
    runs for every file of a tree and every ignore, include and override
    glob. The same answers as ``fnmatch.fnmatch`` on the path (and, for a
    pattern without a slash, on its file name), then, for a pattern with
    one, ``PurePosixPath(path).match(pattern)``; a test compares them."""
    whole = _fnmatch_compiled(pattern)
    if "/" not in pattern:
        def on_name(path: str) -> bool:
            name = path.rpartition("/")[2]
            if name in ("", "."):  # "a/b/" or "a/.": PurePosixPath names the folder
                name = PurePosixPath(path).name
            return bool(whole(os.path.normcase(name)) or whole(os.path.normcase(path)))
        return on_name
    below = _fnmatch_compiled(pattern[3:]) if pattern.startswith("**/") else None
    from_right = _pure_path_match(pattern)

    def on_path(path: str) -> bool:
        folded = os.path.normcase(path)
        return bool(whole(folded) or (below is not None and below(folded)) or from_right(path))
    return on_path


def _fnmatch_compiled(pattern: str):
    return re.compile(fnmatch.translate(os.path.normcase(pattern))).match


def posix_parts(path: str) -> tuple[str, list[str]]:
    """(root, parts) of a path as PurePosixPath parses it: "." and empty
    segments dropped, the root ("/", or "//" kept as POSIX allows) first."""
    root = ""
    if path.startswith("/"):
        rest = path.lstrip("/")
        root = "//" if len(path) - len(rest) == 2 else "/"
        path = rest
    parts = [p for p in path.split("/") if p and p != "."]
    return root, [root, *parts] if root else parts


def _pure_path_match(pattern: str):
    """``PurePosixPath(path).match(pattern)`` with the pattern parsed once:
    matched from the right, one segment per glob segment (``**`` is ``*``);
    an absolute pattern must match the whole path."""
    root, pattern_parts = posix_parts(pattern)
    if not pattern_parts:
        def empty(path: str) -> bool:
            raise ValueError("empty pattern")  # as PurePosixPath.match does, when asked
        return empty
    if root:
        pattern_parts = pattern_parts[1:]
    segment_tests = [re.compile(fnmatch.translate(p)).match for p in reversed(pattern_parts)]
    wanted = len(pattern_parts) + (1 if root else 0)

    def match(path: str) -> bool:
        path_root, parts = posix_parts(path)
        if root and (root != path_root or len(parts) != wanted):
            return False
        if not root and wanted > len(parts):
            return False
        return all(test(part) for part, test in zip(reversed(parts), segment_tests))
    return match


def find_config(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml":
                    # A pyproject.toml that cannot be read is an error, not
                    # "no configuration": it may hold our settings (ruff does the same).
                    tool = read_toml(candidate).get("tool", {})
                    if not isinstance(tool, dict) or "health-lint" not in tool:
                        continue
                return candidate
    return None


def load(path: Path | None = None, start: Path | None = None) -> Config:
    start = (start or Path.cwd()).resolve()
    if path is None:
        path = find_config(start)
        if path is None:
            return Config(root=start)
    path = Path(path)
    data = read_toml(path)
    if path.name == "pyproject.toml" or "tool" in data:
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}: `tool` must be a table ([tool.health-lint]), not {tool!r}")
        data = tool.get("health-lint", {})
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: `tool.health-lint` must be a table, not {data!r}")
    return from_dict(data, path)


_TOML_POSITION_RE = regexcache.compile(r"\s*\(at line (\d+), column (\d+)\)$")



def invalid_utf8_message(path, raw: bytes, exc: UnicodeDecodeError, advice: str) -> str:
    """``path:line: not valid UTF-8 (byte 0x..); advice`` for a settings file."""
    line = raw.count(b"\n", 0, exc.start) + 1
    return f"{path}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x}); {advice}"

def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's table; every way it can fail is a ConfigError naming
    the file (and line and column where the TOML is broken)."""
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            raise ConfigError(f"{path}: not a regular file (a pipe or device?)")  # reading it could block forever
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"configuration file not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a configuration file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(invalid_utf8_message(path, raw, exc, "TOML files must be UTF-8")) from None
    # Imported here: a folder without configuration never needs it.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_POSITION_RE.search(message)
        where = f"{path}:{m.group(1)}:{m.group(2)}" if m else str(path)
        reason = message[:m.start()] if m else message
        raise ConfigError(f"{where}: invalid TOML: {reason}") from None


def _check_type(where: str, value: Any, expected: Any) -> Any:
    if expected == "optional":  # a number or boolean that may be left unset
        if not isinstance(value, (int, float, bool)) or (isinstance(value, float) and not math.isfinite(value)):
            raise ConfigError(f"{where}: expected a number or true/false, got {value!r}")
        return value
    if expected == "ints-or-strings":
        if not isinstance(value, list) or not all(isinstance(v, (int, str)) and not isinstance(v, bool) for v in value):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        return value
    if expected == "tables":  # an array of tables, e.g. [[overrides]]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ConfigError(f"{where}: expected an array of tables ([[...]]), got {value!r}")
        return value
    if isinstance(expected, tuple):
        if value not in expected:
            raise ConfigError(f"{where}: {value!r} is not one of {', '.join(map(str, expected))}")
        return value
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):  # TOML allows nan and inf
        raise ConfigError(f"{where}: expected a number, got {value!r}")
    if expected is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
        return value
    if expected is int and isinstance(value, bool):
        raise ConfigError(f"{where}: expected an integer, got {value!r}")
    if not isinstance(value, expected):
        raise ConfigError(f"{where}: expected {expected.__name__}, got {value!r}")
    return value


def _check_count(where: str, key: str, value: Any) -> None:
    """Numeric rule options are counts, grades and ages: never negative,
    and a `max-` limit of 0 would flag everything."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if key.startswith("max-") and value <= 0:
        raise ConfigError(f"{where}: must be more than 0, not {value!r}")
    if value < 0:
        raise ConfigError(f"{where}: must be 0 or more, not {value!r}")


def validate_rules(where: str, rules: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: expected a table of rule ids")
    out = {}
    for rule_id, settings in rules.items():
        rule = rule_registry.get(rule_id)
        if rule is None:
            known = ", ".join(rule_registry.registry())
            raise ConfigError(f"{where}: unknown rule {rule_id!r} (known rules: {known})")
        if isinstance(settings, bool):
            settings = {"enabled": settings}
        if not isinstance(settings, dict):
            raise ConfigError(f"{where}.{rule_id}: expected a table or true/false")
        clean = {}
        for key, value in settings.items():
            expected = RULE_KEYS.get(key, rule.conf.get(key))
            if expected is None:
                options = ", ".join(list(RULE_KEYS) + list(rule.conf)) or "none"
                raise ConfigError(f"{where}.{rule_id}: unknown option {key!r} (options: {options})")
            clean[key] = _check_type(f"{where}.{rule_id}.{key}", value, expected)
            _check_count(f"{where}.{rule_id}.{key}", key, clean[key])
        out[rule_id] = clean
    return out


def from_dict(data: dict[str, Any], path: Path | None = None) -> Config:
    where = str(path) if path else "configuration"
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a table")
    for key, value in data.items():
        if key not in SECTIONS[""]:
            raise ConfigError(f"{where}: unknown key {key!r} (known keys: {', '.join(SECTIONS[''])})")
        _check_type(f"{where}: {key}", value, SECTIONS[""][key])
    cfg = Config(path=path, root=path.parent.resolve() if path else Path.cwd())
    cfg.fail_level = data.get("fail-level", cfg.fail_level)
    cfg.ignore = data.get("ignore", []) + data.get("exclude", [])
    cfg.include = data.get("include", [])
    cfg.packs = data.get("packs", [])
    cfg.max_file_size = data.get("max-file-size", cfg.max_file_size)
    cfg.jobs = data.get("jobs", 0)
    if cfg.jobs < 0:
        raise ConfigError(f"{where}: jobs must be 0 (one per core) or more, not {cfg.jobs}")
    if cfg.max_file_size <= 0:
        raise ConfigError(f"{where}: max-file-size must be a positive number of bytes, not {cfg.max_file_size}")
    cfg.rules = validate_rules(f"{where}: rules", data.get("rules", {}))
    keys = data.get("metadata-keys", {})
    from .parsers.metadata import DEFAULT_KEYS

    for field_name, names in keys.items():
        if field_name not in DEFAULT_KEYS:
            raise ConfigError(f"{where}: metadata-keys: unknown field {field_name!r} (fields: {', '.join(DEFAULT_KEYS)})")
        _check_type(f"{where}: metadata-keys.{field_name}", names, list)
    cfg.metadata_keys = {**DEFAULT_KEYS, **keys} if keys else {}
    for i, override in enumerate(data.get("overrides", [])):
        if not isinstance(override, dict) or "files" not in override:
            raise ConfigError(f"{where}: overrides[{i}]: needs `files` (a list of globs)")
        unknown = set(override) - {"files", "rules"}
        if unknown:
            raise ConfigError(f"{where}: overrides[{i}]: unknown key {sorted(unknown)[0]!r} (keys: files, rules)")
        _check_type(f"{where}: overrides[{i}].files", override["files"], list)
        cfg.overrides.append({"files": override["files"],
                              "rules": validate_rules(f"{where}: overrides[{i}].rules", override.get("rules", {}))})
    for name in [n for n in list(SECTIONS) + list(WEB_SECTIONS) if n]:
        if name not in data:
            continue
        schema = _web_schema() if name in WEB_SECTIONS else SECTIONS[name]
        section = data[name]
        for key, value in section.items():
            if key not in schema:
                raise ConfigError(f"{where}: {name}: unknown key {key!r} (known keys: {', '.join(schema) or 'none'})")
            section[key] = _check_type(f"{where}: {name}.{key}", value, schema[key])
        cfg.sections[name] = section
    return cfg


def select_rules(config: Config, select: list[str], extend_select: list[str], ignore: list[str]) -> Config:
    """The configuration with ``--select`` (only these rules), ``--extend-select``
    (these too) and ``--ignore`` (not these) applied, as ruff does. A pattern
    is a rule id, a family (``links`` or ``links/*``) or ``ALL``; an unknown
    one is a :class:`ConfigError`."""
    import dataclasses

    known = list(rule_registry.registry())

    def expand(option: str, values: list[str]) -> set[str]:
        out: set[str] = set()
        for value in values:
            for pattern in (p.strip() for p in value.split(",")):
                if not pattern:
                    continue
                if pattern in ("ALL", "*"):
                    out.update(known)
                    continue
                family = pattern[:-2] if pattern.endswith("/*") else pattern
                matched = [r for r in known if r == pattern or r.startswith(family + "/")]
                if not matched:
                    close = [r for r in known if pattern.split("/")[-1] in r]
                    hint = f" (did you mean {', '.join(close[:3])}?)" if close else " (see `health-lint rules`)"
                    raise ConfigError(f"{option}: unknown rule or family {pattern!r}{hint}")
                out.update(matched)
        return out

    chosen = expand("--select", select)
    extra = expand("--extend-select", extend_select)
    dropped = expand("--ignore", ignore)
    if not (select or extend_select or ignore):
        return config
    selected: dict[str, bool] = {}
    for rule_id in known:
        if select:
            selected[rule_id] = rule_id in chosen or rule_id.startswith("input/")  # bad input is always told
        if rule_id in extra:
            selected[rule_id] = True
        if rule_id in dropped:
            selected[rule_id] = False
    return dataclasses.replace(config, selected=selected)
