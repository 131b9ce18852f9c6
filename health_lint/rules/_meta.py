"""Shared by the meta/* rules: where their findings point."""
from __future__ import annotations

from ..terms import title_offset


def metadata_offset(document) -> int:
    """Front matter if there is any (that is where the field goes), else the
    title."""
    if document.front_matter:
        return 0
    return title_offset(document)
