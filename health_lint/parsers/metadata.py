"""Metadata from front matter, HTML meta tags, JSON-LD and visible bylines.

Every format fills the same :class:`Metadata`; the first source that gives a
field wins, in the order front matter > JSON-LD > meta tags > byline.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Iterable

from ..document import Block, Metadata
from .. import regexcache

# Front-matter keys accepted for each field (configurable via `metadata-keys`).
DEFAULT_KEYS: dict[str, list[str]] = {
    "title": ["title"],
    "description": ["description", "summary", "excerpt"],
    "author": ["author", "authors", "written_by"],
    "author_credentials": ["author_credentials", "credentials"],
    "reviewer": ["reviewed_by", "reviewer", "medically_reviewed_by", "medical_reviewer"],
    "reviewer_credentials": ["reviewer_credentials"],
    "published": ["date", "published", "publish_date", "publishDate", "pubDate", "date_published", "datePublished",
                  "published_at", "created"],
    "updated": ["updated", "last_modified", "lastmod", "lastModified", "last_updated", "modified", "date_modified",
                "dateModified", "updated_at"],
    "last_reviewed": ["last_reviewed", "reviewed", "review_date", "lastReviewed", "reviewed_on"],
    "tags": ["tags", "topics", "categories", "keywords"],
    "permalink": ["permalink", "url"],
    "slug": ["slug"],
}

# Credentials that make a reviewer a medical reviewer.
CREDENTIAL_RE = regexcache.compile(
    r"\b(M\.?D|D\.?O|MBBS|MBChB|MRCP|FRCP|FRCS|MRCGP|Ph\.?D|PharmD|R\.?N|NP|PA-C|APRN|DPT|PT|DC|RD|RDN|"
    r"MPH|DNP|FNP|FACP|FACC|FAAP|BSN|MSN|DMD|DDS|OD|CNM|Dr)\b\.?"
)

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
# A written date: 2025-03-03, March 3, 2025, 3rd March 2025, 3 Mar. 2025,
# 03/03/2025, March 2025.
DATE_TEXT = (rf"\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
             rf"|\d{{1,2}}(?:st|nd|rd|th)? {_MONTH}\.?,? \d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}}|{_MONTH} \d{{4}}")
# "reviewed by Dr Jo Lee on 3 May 2025": the date may follow the name.
_BY_NAME = r"(?:\s+by\s+[^.;|\n]{3,80}?)?"

_BYLINE_PATTERNS = [
    ("reviewer", regexcache.compile(r"\b(?:medically\s+)?reviewed\s+by\s*:?\s*(?P<v>[^.;|\n]{3,80}?(?:,\s*[A-Z][A-Za-z.\-]{1,8}){0,3})(?=\s*(?:[.;|\n]|\bon\b|$))", re.I)),
    ("author", regexcache.compile(r"\b(?:written|authored)\s+by\s*:?\s*(?P<v>[^.;|\n]{3,80}?(?:,\s*[A-Z][A-Za-z.\-]{1,8}){0,3})(?=\s*(?:[.;|\n]|\bon\b|$))", re.I)),
    # A byline that starts its block: "By Sam Lee", "By Sam Lee, RN. Medically
    # reviewed by ...", "By Jo Smith | Updated 2 March 2026" (names in capitals).
    ("author", regexcache.compile(r"^\s*[Bb]y\s+(?P<v>[A-Z][\w'\-]+(?:\s+[A-Z][\w'.\-]+){1,3}(?:,\s*[A-Z][A-Za-z.\-]{1,8}){0,3})\s*(?:$|[|•·;]|\.(?:\s|$))")),
    ("author", regexcache.compile(r"^\s*(?:Author|Writer|Written by)\s*:\s*(?P<v>[A-Z][\w'\-]+(?:\s+[A-Z][\w'.\-]+){1,3}(?:,\s*[A-Z][A-Za-z.\-]{1,8}){0,3})\s*(?:$|[|•·;]|\.(?:\s|$))")),
]
# Visible date lines: "Page last reviewed: 21 December 2020", "Last
# updated 3 May 2023", "Published on March 3rd, 2025". Month names only in
# English spelling, with a capital (a date, not "may").
_DATE_PATTERNS = [
    ("last_reviewed", regexcache.compile(rf"\b(?:last\s+)?reviewed{_BY_NAME}(?:\s+on)?\s*:?\s*(?P<v>{DATE_TEXT})\b", re.I)),
    ("updated", regexcache.compile(rf"\b(?:last\s+)?(?:updated|modified)(?:\s+on)?\s*:?\s*(?P<v>{DATE_TEXT})\b", re.I)),
    ("published", regexcache.compile(rf"\b(?:first\s+)?published(?:\s+on)?\s*:?\s*(?P<v>{DATE_TEXT})\b", re.I)),
]
# A word each date pattern needs (lowercase): blocks without it are skipped.
_DATE_KEYWORDS = {"last_reviewed": ("reviewed",), "updated": ("updated", "modified"), "published": ("published",)}
# Anywhere in the page, a date line is a short block of its own (a
# "Page last reviewed" footer line); near the top and end any block counts.
_DATE_LINE_MAX_WORDS = 20


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("title") or "")
    if isinstance(value, (list, tuple)):
        return ", ".join(t for t in (_as_text(v) for v in value) if t)
    return str(value).strip()


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, (list, tuple)):
        return [_as_text(v) for v in value if _as_text(v)]
    return [_as_text(value)]


def _set(meta: Metadata, field: str, value: str, source: str) -> None:
    if value and not getattr(meta, field):
        setattr(meta, field, value)
        meta.sources[field] = source


def _person(meta: Metadata, who: str, value: Any, source: str) -> None:
    """Author/reviewer may be a string "Jane Doe, MD" or a mapping with
    name and credentials."""
    creds = ""
    if isinstance(value, dict):
        creds = _as_text(value.get("credentials") or value.get("honorificSuffix") or value.get("jobTitle"))
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        creds = _as_text(value[0].get("credentials") or value[0].get("honorificSuffix"))
    name = _as_text(value)
    _set(meta, who, name, source)
    if creds:
        _set(meta, f"{who}_credentials", creds, source)
    elif name and CREDENTIAL_RE.search(name):
        _set(meta, f"{who}_credentials", CREDENTIAL_RE.search(name).group(0), source)


def from_mapping(meta: Metadata, data: dict[str, Any], source: str, keys: dict[str, list[str]] | None = None) -> None:
    """Fill metadata from a front-matter mapping."""
    keys = keys or DEFAULT_KEYS
    lowered = {str(k).lower(): v for k, v in data.items()}
    for field, names in keys.items():
        for name in names:
            if name.lower() in lowered and lowered[name.lower()] not in (None, ""):
                value = lowered[name.lower()]
                if field in ("author", "reviewer"):
                    _person(meta, field, value, source)
                elif field == "tags":
                    if not meta.tags:
                        meta.tags = _as_list(value)
                        meta.sources["tags"] = source
                else:
                    _set(meta, field, _as_text(value), source)
                break


def from_json_ld(meta: Metadata, items: Iterable[dict[str, Any]]) -> None:
    """schema.org MedicalWebPage / Article: author, reviewedBy, lastReviewed,
    datePublished, dateModified, headline/name, description, keywords."""
    for item in items:
        if item.get("author"):
            _person(meta, "author", item["author"], "json-ld")
        if item.get("reviewedBy"):
            _person(meta, "reviewer", item["reviewedBy"], "json-ld")
        _set(meta, "title", _as_text(item.get("headline") or item.get("name")), "json-ld")
        _set(meta, "description", _as_text(item.get("description")), "json-ld")
        _set(meta, "published", _as_text(item.get("datePublished")), "json-ld")
        _set(meta, "updated", _as_text(item.get("dateModified")), "json-ld")
        _set(meta, "last_reviewed", _as_text(item.get("lastReviewed")), "json-ld")
        if item.get("keywords") and not meta.tags:
            meta.tags = _as_list(item.get("keywords"))
            meta.sources["tags"] = "json-ld"


def flatten_json_ld(data: Any) -> list[dict[str, Any]]:
    """JSON-LD may be an object, a list, or an object with @graph."""
    out: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "@graph" in item:
                stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])
            out.append(item)
            main = item.get("mainEntity") or item.get("mainEntityOfPage")
            if isinstance(main, dict):
                stack.append(main)
    return out


def from_content(meta: Metadata, blocks: list[Block], extra_text: str = "") -> None:
    """What the page itself shows: the first-level heading as the title when
    no metadata gave one, and visible bylines and date lines."""
    if not meta.title:
        h1 = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
        if h1:
            _set(meta, "title", h1.text, "h1")
    from_bylines(meta, blocks, extra_text=extra_text)


def from_bylines(meta: Metadata, blocks: list[Block], max_blocks: int = 12, extra_text: str = "") -> None:
    """Visible bylines: "Medically reviewed by Jane Doe, MD", "Last reviewed:
    March 3, 2025". Names are looked for near the top and at the very end;
    dates there too, and anywhere else on a short line of their own ("Page
    last reviewed: 21 December 2020" above a page's related links), and in
    ``extra_text`` (an HTML page's footer)."""
    edge = blocks if len(blocks) <= 2 * max_blocks else blocks[:max_blocks] + blocks[-max_blocks:]
    edge_ids = {id(b) for b in edge}
    for block in edge:
        if block.kind == "code":
            continue
        for field, pattern in _BYLINE_PATTERNS:
            if getattr(meta, field):
                continue
            m = pattern.search(block.text)
            if not m:
                continue
            value = m.group("v").strip().rstrip(",.")
            _person(meta, field, value, "byline")
    texts = [b.text for b in blocks if b.kind != "code" and (
        id(b) in edge_ids or len(b.text.split()) <= _DATE_LINE_MAX_WORDS)]
    if extra_text:
        texts.append(extra_text)
    lowered = [t.lower() for t in texts]
    for field, pattern in _DATE_PATTERNS:
        keyword = _DATE_KEYWORDS[field]
        for text, low in zip(texts, lowered):
            if getattr(meta, field):
                break
            if not any(k in low for k in keyword):
                continue  # most blocks: none of the pattern's words, no regex run
            m = pattern.search(text)
            if m and (parse_date(m.group("v")) or ambiguous_date(m.group("v"))):
                _set(meta, field, m.group("v").strip().rstrip(","), "byline")


def ambiguous_date(value: str) -> bool:
    """03/04/2026: a real date read either way (3 April or March 4), which
    :func:`parse_date` refuses to guess. The page is dated all the same."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", (value or "").strip())
    if not m:
        return False
    a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    for month, day in ((a, b), (b, a)):
        try:
            _dt.date(y, month, day)
            return True
        except ValueError:
            continue
    return False


def parse_date(value: str) -> _dt.date | None:
    """Dates as written in front matter, meta tags and bylines."""
    value = (value or "").strip()
    if not value:
        return None
    # "3rd March 2025", "Sept. 3, 2025": ordinals and abbreviation dots go.
    value = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", value)
    value = re.sub(r"\b(Sept)\b", "Sep", value)
    value = re.sub(r"\b([A-Z][a-z]{2,3})\.", r"\1", value).replace(" ,", ",")
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if m:
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if m and int(m.group(1)) <= 12 and int(m.group(2)) <= 12 and m.group(1) != m.group(2):
        return None  # 03/04/2026: March 4 (US) or 3 April (UK)? Not guessed.
    for fmt in ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%d %B, %Y", "%d %b, %Y",
                "%Y/%m/%d", "%m/%d/%Y", "%d/%m/%Y", "%Y-%m", "%B %Y", "%b %Y"):
        try:
            return _dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    # HTTP and RSS dates: "Wed, 03 May 2023 10:00:00 GMT".
    if re.match(r"[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4}", value):
        from email.utils import parsedate_to_datetime
        try:
            return parsedate_to_datetime(value).date()
        except (TypeError, ValueError):
            return None
    return None
