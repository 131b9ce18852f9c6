"""Files → Documents. One parser per format, all producing the same model.

``load`` is the only place that reads article files: it turns every way a
file can be unreadable into an :class:`InputError` with a reason.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from pathlib import Path

from ..document import Document
from .. import regexcache
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
    """UTF-8 (with or without BOM) or UTF-16/32 with a BOM; anything else
    is an InputError naming where the bad bytes are."""
    return decode_file(data)[0]


# WHATWG Encoding: these labels mean windows-1252 in a browser.
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp1252",
                  "windows-1252", "x-cp1252", "cp819", "ibm819", "iso_8859-1", "csisolatin1"}
_HTML_CHARSET_RE = regexcache.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL_RE = regexcache.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


# The legacy single- and multi-byte encodings of the WHATWG Encoding
# standard (what browsers read), as Python codec names. Anything else a page
# declares (utf-7, rot13, base64...) is not honoured.
_WEB_CODECS = {f"cp{n}" for n in range(1250, 1259)} | {f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)} | {
    "cp866", "cp874", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "shift_jis", "euc_jp", "iso2022_jp",
    "euc_kr", "gbk", "gb2312", "gb18030", "big5"}


def declared_charset(data: bytes) -> tuple[str, str | None] | None:
    """(label, Python codec) of the charset an HTML page declares in its
    first 1024 bytes (meta charset, http-equiv content, or an XML
    declaration); the codec is None for a label Python does not know.
    None when the page declares no charset."""
    head = data[:1024]
    m = _XML_DECL_RE.match(head) or _HTML_CHARSET_RE.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii").lower()
    if label in _LATIN1_LABELS:
        return label, "cp1252"
    try:
        return label, codecs.lookup(label).name
    except LookupError:
        return label, None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes look like UTF-16 text with no
    BOM (every other byte NUL, as ASCII text in UTF-16 is)."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode_file(data: bytes, fmt: str = "text") -> tuple[str, str, bytes, list[InputError]]:
    """(text, codec, byte-order mark, notes). UTF-8 first; UTF-16/32 by BOM
    (or by its NUL pattern) with a note; for HTML the charset the page
    declares when the bytes are not UTF-8. Raises InputError otherwise."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                       (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            break
    else:
        bom, codec = b"", _utf16_without_bom(data) or "utf-8"
    body = data[len(bom):]
    if codec != "utf-8":
        name = codec[:6].upper()
        try:
            text = body.decode(codec)
        except UnicodeDecodeError as exc:
            raise InputError("invalid-utf8", f"not valid {name}: bad bytes at byte offset {exc.start + len(bom)}"
                             f" (save the file as UTF-8)") from None
        note = InputError("encoding", f"file is {name}, not UTF-8: it was decoded and checked (web pages and "
                          "most tools expect UTF-8; save it as UTF-8)")
        return text, codec, bom, [note]
    if b"\x00" in body[:8192]:
        raise InputError("binary", "file looks binary (contains NUL bytes), not a text article")
    try:
        return body.decode("utf-8"), "utf-8", bom, []
    except UnicodeDecodeError as exc:
        error = exc
    hint = ""
    if fmt == "html":
        declared = declared_charset(body)
        hint = ", or declare its charset in a <meta charset> tag"
        if declared is not None:
            label, codec = declared
            if codec is not None and codec.startswith(("utf-8", "utf-16", "utf-32")):
                hint = f"; it declares charset {label!r} but is not"
            elif codec not in _WEB_CODECS:
                hint = f"; it declares charset {label!r}, which browsers do not support"
                codec = None
            else:
                hint = f"; it is not valid {label!r} either"
            for candidate in ((codec, "latin-1") if codec == "cp1252" else (codec,)) if codec else ():
                try:
                    return body.decode(candidate), candidate, bom, []
                except UnicodeDecodeError:
                    continue
    # Lines end at \n, \r\n or a lone \r, as Document.position counts them.
    breaks = [m.end() for m in re.finditer(rb"\r\n|\r|\n", body[:error.start])]
    line_start = breaks[-1] if breaks else 0
    line = len(breaks) + 1
    # Columns count characters, as everywhere else: the line up to the bad
    # byte is valid UTF-8 (it is the first error).
    column = len(body[line_start:error.start].decode("utf-8")) + 1
    raise InputError("invalid-utf8", f"not valid UTF-8: byte 0x{body[error.start]:02x} at byte offset "
                     f"{error.start + len(bom)} (save the file as UTF-8{hint})",
                     line=line, column=column) from None


def load(path: str | os.PathLike, display_path: str, max_bytes: int = DEFAULT_MAX_BYTES, keys=None) -> Document:
    fmt = format_of(path) or "text"
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            os.listdir(path)  # a folder the walk could not enter: say why
            raise InputError("unreadable", "cannot read folder (its files were not checked)")
        if not stat.S_ISREG(st.st_mode):
            raise InputError("unreadable", f"{_file_kind(st.st_mode)}, not a regular file: skipped")
        if st.st_size > max_bytes:
            raise InputError("too-large", f"file is {st.st_size:,} bytes, over the limit of {max_bytes:,} bytes "
                             "(raise `max-file-size` in the configuration to check it)")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        what = "folder" if os.path.isdir(path) else "file"
        suffix = " (its files were not checked)" if what == "folder" else ""
        raise InputError("unreadable", f"cannot read {what}: {exc.strerror or exc}{suffix}") from None
    source, codec, bom, notes = decode_file(data, fmt)
    if not source.strip():
        raise InputError("empty", "file is empty: there is no article to check")
    doc = parse(source, display_path, fmt, keys)
    doc.encoding, doc.bom = codec, bom
    doc.file_digest = hashlib.sha256(data).hexdigest()
    doc.input_problems[:0] = notes
    return doc


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"
