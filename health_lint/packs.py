"""Rule packs: YAML data (and word lists) that term rules read.

Built-in packs come from the top-level ``rules/`` folder, which the wheel
ships as ``health_lint/packs``. Sites add folders with the ``packs`` setting;
a pack with the same ``id`` as a built-in one replaces it.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .usercache import cached, file_key

REQUIRED_KEYS = ("id", "kind")



class PackError(Exception):
    pass


def builtin_dir() -> Path:
    here = Path(__file__).resolve().parent
    # Installed wheel: health_lint/packs. Source checkout: ../rules.
    for candidate in (here / "packs", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise PackError("built-in rule packs not found (expected health_lint/packs or rules/)")


@dataclass
class PackSet:
    """The loaded rule packs and word lists."""

    packs: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> pack
    word_lists: dict[str, list[str]] = field(default_factory=dict)  # file stem -> words
    folders: tuple[str, ...] = ()
    # The pack files' fingerprint when loaded from folders ("" otherwise):
    # keys what is derived from the packs and kept between runs.
    fingerprint: str = ""
    # Data rules derive from the packs (phrase indexes, name patterns),
    # built once per process; never pickled into the user cache.
    _derived: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_derived"] = {}
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault("_derived", {})

    def derived(self, key, build):
        """``build()``'s result, computed once per pack set and ``key``."""
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    def forget(self, which) -> None:
        """Drop the derived data whose key ``which(key)`` is true for (it
        is built again on its next use)."""
        for key in [k for k in self._derived if which(k)]:
            del self._derived[key]

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [p for p in self.packs.values() if p.get("kind") == kind]

    def terms_for(self, rule_id: str) -> list[dict[str, Any]]:
        return [p for p in self.of_kind("terms") if p.get("rule") == rule_id]

    def words(self, name: str) -> list[str]:
        return self.word_lists.get(name, [])


def _read_word_list(path: Path) -> list[str]:
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return words


def _load_folder(folder: Path, into: PackSet) -> None:
    import yaml  # only on a cache miss (see load)

    # libyaml's loader is ten times faster than the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(folder.rglob("*.yaml")) + sorted(folder.rglob("*.yml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        except (OSError, yaml.YAMLError) as exc:
            raise PackError(f"rule pack {path}: cannot load: {exc}") from None
        if not isinstance(data, dict) or any(k not in data for k in REQUIRED_KEYS):
            raise PackError(f"rule pack {path}: must be a mapping with {', '.join(REQUIRED_KEYS)}")
        data["_path"] = str(path)
        into.packs[str(data["id"])] = data
    for path in sorted(folder.rglob("*.txt")):
        # accept.txt / reject.txt from several folders add up.
        into.word_lists.setdefault(path.stem, []).extend(_read_word_list(path))


def _fingerprint(folders: list[Path]) -> str:
    """Changes whenever any pack file is added, removed or edited."""
    h = hashlib.sha256()
    for folder in folders:
        files = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".txt"))
        h.update(f"{folder}\0{file_key(*files)}\n".encode())
        h.update("\0".join(map(str, files)).encode())
    return h.hexdigest()[:24]


@lru_cache(maxsize=8)
def load(extra_folders: tuple[str, ...] = ()) -> PackSet:
    """Load and validate the packs. Parsed packs are kept in the user cache
    (keyed by every pack file's size and mtime), because parsing the YAML
    costs a pre-commit run more than reading a pickle."""
    folders = [builtin_dir()]
    for folder in extra_folders:
        p = Path(folder)
        if not p.is_dir():
            raise PackError(f"rule pack folder not found: {folder}")
        folders.append(p)

    fingerprint = _fingerprint(folders)

    def parse() -> PackSet:
        packs = PackSet(folders=tuple(str(f) for f in folders), fingerprint=fingerprint)
        for folder in folders:
            _load_folder(folder, packs)
        return packs

    return cached("packs", fingerprint, parse, lambda v: isinstance(v, PackSet) and v.fingerprint == fingerprint)
