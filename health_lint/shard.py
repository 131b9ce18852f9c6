"""``--shard K/N``: a stable split of a content tree's files into N parts, so
N CI runners (a matrix job) check one large site in parallel.

The runners are the distributed engine; health-lint adds no scheduler. A
file belongs to shard ``hash(path) mod N + 1``, where ``path`` is the file's
path relative to the project root (the configuration file's folder, else the
current folder) and the hash is SHA-256: the same file lands in the same
shard on every runner and every run, whatever folder the checkout is in, and
adding a file never moves the others. Each shard still reads the whole tree
when link-graph rules need it (a link's target may be in another shard), but
runs the content rules on, and reports, only its own files, so the union of
the N shards' findings is exactly one whole run's. ``health-lint
merge-reports`` joins their JSON, SARIF and JUnit reports and baselines.
"""
from __future__ import annotations

import hashlib

from .findings import project_path
from . import regexcache

_SHARD_RE = regexcache.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class ShardError(ValueError):
    """A malformed --shard value (a usage error)."""


def parse_shard(value: str) -> tuple[int, int]:
    """``"K/N"`` as (K, N), 1 <= K <= N."""
    m = _SHARD_RE.match(value or "")
    if not m:
        raise ShardError(f"--shard must look like K/N (e.g. 2/4: the second of four parts), not {value!r}")
    k, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= k <= n:
        raise ShardError(f"--shard {value}: K must be between 1 and N, and N at least 1")
    return k, n


def shard_of(path: str, root, n: int) -> int:
    """The shard (1..n) that ``path`` (as displayed) belongs to."""
    key = project_path(path, root).encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % n + 1


def in_shard(path: str, root, shard: tuple[int, int] | None) -> bool:
    if shard is None or shard[1] == 1:
        return True
    return shard_of(path, root, shard[1]) == shard[0]
