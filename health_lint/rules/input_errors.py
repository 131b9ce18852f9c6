"""Files that cannot be read as articles.

The file loader reports these; each names the file and the reason, and the
other files are still checked. They are errors by default so a broken file
never passes silently.
"""
from __future__ import annotations

_COMMON = """
Why it matters
--------------
A file health-lint cannot read is a file nobody has checked. Reporting it
(instead of skipping it or crashing) keeps a broken article from being
published unnoticed, while every other file is still checked.
"""


def _rule(rule_id: str, summary: str, what: str, example: str, fix: str, severity: str = "error") -> dict:
    doc = (f"{summary}\n\nWhat it does\n------------\n{what}\n{_COMMON}\nExamples\n--------\n{example}\n\n"
           f"How to fix\n----------\n{fix}\n")
    return {"ID": rule_id, "SEVERITY": severity, "SCOPE": "input", "DOC": doc, "CONF": {}, "DEFAULT": {}}


RULES = [
    _rule("input/invalid-utf8", "The file is not valid UTF-8.",
          "Reports the first byte that is not valid UTF-8, with its line and column.",
          "An article saved as Windows-1252 by a word processor, where the \"é\" of \"café\" is the byte 0xE9:\n"
          "``cafe.md:3:14 error input/invalid-utf8  not valid UTF-8: byte 0xe9 at byte offset 41``",
          "Re-save the file as UTF-8 (most editors: File > Save with encoding > UTF-8)."),
    _rule("input/encoding", "The file is UTF-16 (or UTF-32), not UTF-8.",
          "Reports, as a note, a file saved as UTF-16 or UTF-32 (recognised by its byte-order mark or its "
          "pattern of NUL bytes). The file is decoded and checked as usual; `links --fix` writes it back in "
          "the same encoding.",
          "A page saved by Notepad as \"Unicode\":\n"
          "``leaflet.md:1:1 info input/encoding  file is UTF-16, not UTF-8: it was decoded and checked``",
          "Save the file as UTF-8 (File > Save with encoding > UTF-8): web servers, static site "
          "generators and most tools expect it.", severity="info"),
    _rule("input/binary", "The file is binary, not text.",
          "Reports files that contain NUL bytes (images, PDFs, office files renamed to .md or .html).",
          "A PNG screenshot saved as ``back-pain.md``:\n"
          "``back-pain.md:1:1 error input/binary  file looks binary (contains NUL bytes), not a text article``",
          "Check that the right file was added; exclude binary files with `ignore` in the configuration."),
    _rule("input/front-matter", "The YAML front matter is broken.",
          "Reports front matter that is not valid YAML, is not a mapping of keys to values, or is never "
          "closed by a second '---' line, at the line of the problem.",
          "``title: Back pain: when to worry`` (an unquoted colon) gives\n"
          "``a.md:2:1 error input/front-matter  invalid YAML front matter: mapping values are not allowed here``",
          "Fix the YAML: quote values that contain ': ', close the block with '---'."),
    _rule("input/malformed-html", "The HTML is malformed.",
          "Reports the first unclosed element, stray end tag, unterminated comment or unterminated tag. The "
          "page is still parsed (as a browser would) and checked.",
          "``<div><p>Most neck pain gets better.</span>`` gives\n"
          "``page.html:1:38 warning input/malformed-html  malformed HTML: </span> closes an element that was "
          "never opened``",
          "Close the element or remove the stray tag; an HTML validator shows the details.", severity="warning"),
    _rule("input/empty", "The file is empty.",
          "Reports files that contain nothing but whitespace.",
          "A placeholder created by a CMS export:\n"
          "``draft.md:1:1 error input/empty  file is empty: there is no article to check``",
          "Write the article or remove the file."),
    _rule("input/unreadable", "The file cannot be read.",
          "Reports files that cannot be opened (permissions, a broken link or a link loop), folders that "
          "cannot be listed (their files are not checked), and named pipes, sockets or devices with an "
          "article's suffix (skipped: only regular files are read).",
          "A symbolic link to an article that was deleted:\n"
          "``old.md:1:1 error input/unreadable  cannot read file: No such file or directory``",
          "Fix the file's permissions or remove the broken link."),
    _rule("input/too-large", "The file is larger than the size limit.",
          "Reports files over `max-file-size` bytes (default 2,000,000) without reading them: a file that "
          "large is almost always generated or mis-saved, and would slow every run.",
          "An HTML export with embedded images:\n"
          "``export.html:1:1 error input/too-large  file is 41,943,040 bytes, over the limit of 2,000,000 bytes``",
          "Split the page, exclude it with `ignore`, or raise `max-file-size` in the configuration."),
]
