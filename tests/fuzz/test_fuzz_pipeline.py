"""Properties of the check pipeline on generated articles: it never raises
(the CLI's exit 3), every finding's span lies inside the file, and each
document is checked within a time budget per kilobyte.

    .venv/bin/python -m pytest tests/fuzz -q                      # ci profile, < 60 s
    HEALTH_LINT_FUZZ=long .venv/bin/python -m pytest tests/fuzz -q  # 10,000 documents
"""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from . import strategies as S
from .conftest import PROFILE
from .harness import check_bytes, span_problems

@settings(settings.get_profile(PROFILE))
@given(data=S.as_file(S.markdown))
def test_markdown(data):
    suffix = ".md"
    findings = check_bytes(data, suffix)
    assert not span_problems(findings, data, suffix)


@settings(settings.get_profile(PROFILE))
@given(data=S.as_file(st.one_of(S.html, S.html_fragment)))
def test_html(data):
    suffix = ".html"
    findings = check_bytes(data, suffix)
    assert not span_problems(findings, data, suffix)


@settings(settings.get_profile(PROFILE))
@given(data=S.as_file(st.one_of(S.plain_text, S.markdown)), suffix=st.sampled_from([".txt", ".htm", ".markdown"]))
def test_other_formats_and_cross_format(data, suffix):
    """Plain text, and one format's text under another's suffix (a Markdown
    article saved as .htm)."""
    findings = check_bytes(data, suffix)
    assert not span_problems(findings, data, suffix)


@settings(settings.get_profile(PROFILE))
@given(data=st.one_of(st.binary(max_size=2000), S.as_file(S.markdown).map(lambda b: b[: len(b) // 2] + b"\xff\xfe"),
                      S.as_file(S.html).map(lambda b: b"\x00" + b)),
       suffix=st.sampled_from([".md", ".html", ".txt"]))
def test_arbitrary_bytes(data, suffix):
    """Any bytes at all (invalid UTF-8, NUL, truncated multi-byte
    characters) end in findings, never an exception."""
    findings = check_bytes(data, suffix)
    assert not span_problems(findings, data, suffix)


@settings(settings.get_profile(PROFILE))
@given(data=st.one_of(S.as_file(S.markdown, endings=("\r", "mixed")), S.as_file(S.html, endings=("\r", "mixed")),
                      S.as_file(S.plain_text, endings=("\r", "mixed"))),
       suffix=st.sampled_from([".md", ".html", ".txt"]))
def test_lone_cr_line_endings(data, suffix):
    """Old Mac (CR) and mixed line endings: an editor shows a line per CR,
    and findings must point at those lines."""
    findings = check_bytes(data, suffix)
    assert not span_problems(findings, data, suffix)
