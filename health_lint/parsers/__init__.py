"""Files → Documents. One parser per format, all producing the same model.

``load`` is the only place that reads article files: it turns every way a
file can be unreadable into an :class:`InputError` with a reason.
"""
from __future__ import annotations

import codecs
import os
from pathlib import Path

from ..document import Document
from .errors import InputError

FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}
DEFAULT_MAX_BYTES = 2_000_000


def format_of(path: str | os.PathLike) -> str | None:
    return FORMATS.get(Path(path).suffix.lower())


def parse(source: str, path: str, fmt: str, keys=None) -> Document:
    if fmt == "markdown":
        from . import markdown as mod
    elif fmt == "html":
        from . import html as mod  # bs4 is slow to import: only when needed
    else:
        from . import text as mod
    return mod.parse(source, path, keys)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM); anything else is an InputError naming
    where the bad bytes are."""
    if b"\x00" in data[:8192]:
        raise InputError("binary", "file looks binary (contains NUL bytes), not a text article")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError("invalid-utf8", f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}"
                         " (save the file as UTF-8)", line=line, column=column) from None


def load(path: str | os.PathLike, display_path: str, max_bytes: int = DEFAULT_MAX_BYTES, keys=None) -> Document:
    fmt = format_of(path) or "text"
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise InputError("too-large", f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes "
                             "(raise `max-file-size` in the configuration to check it)")
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError("unreadable", f"cannot read file: {exc.strerror or exc}") from None
    source = decode(data)
    if not source.strip():
        raise InputError("empty", "file is empty: there is no article to check")
    return parse(source, display_path, fmt, keys)
