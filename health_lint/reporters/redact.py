"""Credentials in URLs (``https://user:password@host/``) never reach a report.

A link may carry credentials (a staging site behind basic auth, a token as
user name). The link checker still sends them, since the author wrote them;
everything printed or stored shows ``https://***@host/`` instead: findings of
every format (message, hint, snippet, path, data), the command summaries,
baselines, graph exports, log lines and the cache (which does not store such
URLs at all, see ``web/checker.py``).
"""
from __future__ import annotations

from typing import Any

from .. import regexcache

REDACTED = "***"

# scheme:// (or :\\, as browsers read it) then an authority holding "@": the
# userinfo runs to the last "@" before the path, query or fragment.
_USERINFO = regexcache.compile(r"\b([A-Za-z][A-Za-z0-9+.\-]*:[/\\]{2})([^/\\?#\s\"'<>]*@)")


def redact_text(text: str) -> str:
    """``text`` with the userinfo of every URL in it replaced by ``***``."""
    if "@" not in text:
        return text
    return _USERINFO.sub(lambda m: f"{m.group(1)}{REDACTED}@", text)


def redact_value(value: Any) -> Any:
    """:func:`redact_text` applied to every string in nested lists/dicts.
    A value with nothing to redact comes back as the same object (a site's
    run holds one data dict per finding: no copy of each)."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        items = [(k, redact_value(v)) for k, v in value.items()]
        if all(new is old for (_, new), old in zip(items, value.values())):
            return value
        return dict(items)
    if isinstance(value, (list, tuple)):
        redacted = [redact_value(v) for v in value]
        if all(new is old for new, old in zip(redacted, value)):
            return value
        return type(value)(redacted)
    return value


def redact_report(report) -> None:
    """Redact credentials in a :class:`~health_lint.reporters.Report` in
    place, before any format renders it or a baseline stores it."""
    for f in report.findings:
        f.path = redact_text(f.path)
        f.message = redact_text(f.message)
        f.hint = redact_text(f.hint)
        f.snippet = redact_text(f.snippet)
        f.data = redact_value(f.data)
    report.text_sections = [redact_text(s) for s in report.text_sections]
    report.extra = redact_value(report.extra)
    report.options = redact_value(report.options)
