"""Plain text: paragraphs separated by blank lines."""
from __future__ import annotations

import re

from ..document import Document
from .. import regexcache
from .align import Aligner, BlockBuilder

_PARAGRAPH_RE = regexcache.compile(r"\S(?:.*?)(?=\n[ \t]*\n|\Z)", re.S)


def parse(source: str, path: str, keys=None) -> Document:
    doc = Document(path=path, source=source, format="text")
    aligner = Aligner(source)
    for m in _PARAGRAPH_RE.finditer(source):
        builder = BlockBuilder()
        aligner.cursor = m.start()
        builder.add(m.group(), aligner.place(m.group()))
        block = builder.build("paragraph")
        if block is not None:
            doc.blocks.append(block)
    first = next(iter(doc.blocks), None)
    if first is not None and len(first.text) < 120 and not first.text.rstrip().endswith("."):
        doc.metadata.title = first.text
        doc.metadata.sources["title"] = "first line"
    from . import metadata as meta_mod

    meta_mod.from_content(doc.metadata, doc.blocks)
    return doc
