"""Hypothesis strategies for articles: Markdown, HTML, plain text and front
matter, built from the constructs that have broken parsers before (deep
nesting, unbalanced brackets, emphasis runs, tables, comments, YAML
aliases, odd Unicode, byte-order marks, every line ending).

Each strategy draws *text*; ``as_file`` turns it into the bytes written to
disk (optional BOM, chosen line ending), so the whole pipeline is exercised
from ``parsers.load`` on.
"""
from __future__ import annotations

from hypothesis import strategies as st

# Words rules care about (red flags, jargon, claims, disclaimers), so rule
# code paths beyond the parsers run too.
WORDS = ("pain fever chest call 999 emergency doctor see a GP if you have sudden severe headache stroke "
         "heart attack myocardial infarction hypertension cures guaranteed 100% natural miracle this article "
         "is not medical advice information only e.g. i.e. Dr. U.S. 2.5 mg/kg per day colour behaviour "
         "dont don't it's NHS CDC WHO www.nhs.uk https://www.cdc.gov/flu reviewed by author last reviewed "
         "Mayo Clinic study shows según el médico").split()
ODD = ["\u200b", "\u200d", "\u202e", "\u0301", "e\u0301", "\ufeff", "\u00a0", "\u2028", "\u2029", "\x0b", "\x0c",
       "\x85", "\t", "日本語", "😀", "👨‍👩‍👧", "ﬁ", "İ", "ß", "\ufffd", "\U0001d400", "&", "&amp;", "&#0;", "&#x110000;",
       "&nbsp;", "&bogus;", "\\", "\\*", "`", "``", "~~~", "<", ">", "]", "[", "(", ")", "!", "|", "#", "*", "_", "'", '"']
URLS = ["https://www.nhs.uk/conditions/flu/", "http://example.com/a?b=c#d", "/local/page", "page.md#section",
        "#top", "mailto:a@b.org", "javascript:alert(1)", "https://[::1]:99/", "http://256.256.1.1/", "", " ",
        "https://xn--bcher-kva.example/", "https://例え.jp/パス", "<https://a.org/x y>", "ftp://a.org/f",
        "https://a.org/%zz", "http://a.org:99999/", "https://user:pw@a.org/", "../up/../x.html"]

LINE_ENDINGS = ("\n", "\r\n", "\r")

word = st.sampled_from(WORDS)
odd = st.sampled_from(ODD)
# Any character a UTF-8 file can hold (no surrogates), rarely.
any_char = st.characters(exclude_categories=("Cs",))


def _join(parts) -> str:
    return "".join(parts)


inline_atom = st.one_of(
    word.map(lambda w: w + " "),
    word.map(lambda w: w + ". "),
    odd,
    st.text(any_char, max_size=6),
)


def _wrap(inner: st.SearchStrategy) -> st.SearchStrategy:
    """One level of inline markup around ``inner``, balanced or not."""
    return st.one_of(
        st.tuples(st.sampled_from(["*", "**", "***", "_", "__", "~~", "`", "``"]), inner, st.booleans()).map(
            lambda t: t[0] + t[1] + (t[0] if t[2] else "")),
        st.tuples(inner, st.sampled_from(URLS), st.booleans()).map(
            lambda t: f"[{t[0]}]({t[1]}" + (")" if t[2] else "")),
        st.tuples(inner, st.sampled_from(URLS)).map(lambda t: f"![{t[0]}]({t[1]} \"title\")"),
        st.tuples(inner, st.sampled_from(["ref", "NHS", "missing", ""])).map(lambda t: f"[{t[0]}][{t[1]}]"),
        inner.map(lambda s: f"[{s}"),
        inner.map(lambda s: f"{s}]"),
        st.sampled_from(URLS).map(lambda u: f"<{u}>"),
        st.tuples(st.sampled_from(["span", "b", "a href='x'", "em", "sup", "abbr title='x'"]), inner).map(
            lambda t: f"<{t[0]}>{t[1]}</{t[0].split()[0]}>"),
        inner.map(lambda s: f"<!-- {s} -->"),
        inner.map(lambda s: f"<!-- health-lint-disable-next-line readability/long-sentence --> {s}"),
        inner.map(lambda s: f"<!-- {s}"),
    )


inline = st.recursive(st.lists(inline_atom, max_size=8).map(_join),
                      lambda inner: st.lists(st.one_of(inline_atom, _wrap(inner)), max_size=5).map(_join),
                      max_leaves=25)
# Emphasis and bracket runs, the classic inline-parser stressors.
runs = st.tuples(st.sampled_from(["*", "_", "[", "]", "`", "<", "![", "](", "\\", "&", "*_", "[!"]),
                 st.one_of(st.integers(1, 20), st.integers(200, 400)), inline).map(lambda t: t[0] * t[1] + t[2] + t[0][::-1] * (t[1] // 2))


# Shallow most of the time, sometimes past the recursion limit.
_depth = st.one_of(st.integers(1, 40), st.integers(1000, 1300))


def _deep_markdown(kind_depth) -> str:
    kind, n = kind_depth
    return {
        "quote": lambda: ">" * n + " deep quote\n",
        "list": lambda: "".join("  " * i + "- item\n" for i in range(min(n, 300))),
        "div": lambda: "<div>" * n + "\ndeep html\n" + "</div>" * n + "\n",
        "span": lambda: "<span>" * n + "deep inline" + "</span>" * n + "\n",
        "emphasis": lambda: "*_" * n + "deep" + "_*" * n + "\n",
        "brackets": lambda: "[" * n + "deep" + "](x)" * n + "\n",
    }[kind]()


def _md_blocks(child: st.SearchStrategy) -> st.SearchStrategy:
    """Container blocks holding ``child`` blocks: lists, quotes, HTML."""
    return st.one_of(
        st.tuples(st.sampled_from(["- ", "* ", "1. ", "2) ", "+ "]), st.lists(child, min_size=1, max_size=4)).map(
            lambda t: "".join(t[0] + "\n  ".join(c.splitlines() or [""]) + "\n" for c in t[1])),
        child.map(lambda c: "".join("> " + line + "\n" for line in (c.splitlines() or [""]))),
        st.tuples(st.sampled_from(["div", "section", "aside", "details", "table", "ul"]), child).map(
            lambda t: f"<{t[0]} class=\"callout\">\n\n{t[1]}\n\n</{t[0]}>\n"),
    )


md_leaf = st.one_of(
    inline.map(lambda s: s + "\n"),
    st.tuples(st.integers(1, 7), inline).map(lambda t: "#" * t[0] + " " + t[1] + "\n"),
    st.tuples(inline, st.sampled_from(["=", "-"])).map(lambda t: f"{t[0]}\n{t[1] * 3}\n"),
    st.tuples(st.sampled_from(["```", "~~~", "````"]), st.text(any_char, max_size=40), st.booleans()).map(
        lambda t: f"{t[0]}python\n{t[1]}\n" + (t[0] + "\n" if t[2] else "")),
    inline.map(lambda s: "    " + s + "\n"),
    st.lists(st.lists(inline.map(lambda s: s.replace("\n", " ")), min_size=1, max_size=4),
             min_size=1, max_size=4).map(
        lambda rows: "".join("| " + " | ".join(r) + " |\n" + ("|---" * len(r) + "|\n" if i == 0 else "")
                             for i, r in enumerate(rows))),
    st.tuples(st.sampled_from(["ref", "NHS", "a b", "x" * 50]), st.sampled_from(URLS)).map(
        lambda t: f"[{t[0]}]: {t[1]} \"Title\"\n"),
    st.sampled_from(["---\n", "***\n", "\n", "\n\n", "<!--\n", "-->\n", "<div>\n", "</div>\n", "<br>\n",
                     "<!-- health-lint-disable -->\n", "<!-- health-lint-enable -->\n"]),
    runs.map(lambda s: s + "\n"),
    # Nesting far past Python's recursion limit (1,000): quotes, lists, HTML.
    st.tuples(st.sampled_from(["quote", "list", "div", "span", "emphasis", "brackets"]), _depth).map(_deep_markdown),
)
md_block = st.recursive(md_leaf, _md_blocks, max_leaves=12)

yaml_scalar = st.one_of(
    inline.map(lambda s: s.replace("\n", " ")[:60]),
    st.sampled_from(["2024-01-31", "2019-13-45", "yes", "no", "null", "~", "1e3", "0x1F", ".nan", "'quoted'",
                     '"esc\\u00e9"', "|", ">", "&a value", "*a", "!!binary aGk=", "[1, 2", "{a: 1}", ":", "- x"]),
)
front_matter = st.one_of(
    st.lists(st.tuples(st.sampled_from(["title", "author", "reviewed_by", "date", "last_reviewed", "lang",
                                        "description", "tags", "health-lint", "x", "updated"]), yaml_scalar),
             max_size=6).map(lambda kv: "---\n" + "".join(f"{k}: {v}\n" for k, v in kv) + "---\n"),
    st.just("---\nbase: &b {title: T, tags: [a, b]}\nother: *b\nlist: [*b, *b]\n---\n"),
    st.just("---\nhealth-lint:\n  disable: [readability/long-sentence]\n---\n"),
    st.just("---\nhealth-lint: {disable: 5}\n---\n"),
    st.just("---\ntitle: never closed\n"),
    st.just("---\n- a list\n---\n"),
    _depth.map(lambda n: "---\nx: " + "[" * n + "]" * n + "\n---\n"),
    st.just(""),
)

# (Wrapped in `deferred` so that Hypothesis's description of the strategy
# stays one line: the recursive strategies' full repr runs to megabytes.)
markdown = st.deferred(lambda: _markdown)
_markdown = st.tuples(front_matter, st.lists(md_block, max_size=10)).map(
    lambda t: t[0] + "\n".join(t[1]))

# -- HTML ------------------------------------------------------------------
TAGS = ["div", "p", "span", "a", "ul", "ol", "li", "table", "tr", "td", "th", "h1", "h2", "h3", "pre", "code",
        "script", "style", "main", "article", "nav", "footer", "header", "aside", "blockquote", "b", "em",
        "section", "template", "svg", "dl", "dt", "dd", "figure", "figcaption", "details", "summary", "noscript"]
ATTRS = ["", " id=\"sec\"", " href=\"{url}\"", " hidden", " lang=\"es\"", " class=\"x\"", " src=\"{url}\" alt=\"a\"",
         " rel=\"nofollow\"", " name=\"n\"", " href='{url}' title=\"t\"", " id=\"a\" id=\"b\""]
html_text = st.one_of(inline_atom, odd, st.sampled_from(["&amp;", "&lt;", "&#x1F600;", "&#99999999;", "<", ">",
                                                         "<!--", "-->", "]]>", "<![CDATA[x]]>"]))


def _element(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(st.sampled_from(TAGS), st.sampled_from(ATTRS), st.sampled_from(URLS),
                     st.lists(children, max_size=5), st.sampled_from(["close", "close", "close", "open", "stray"])).map(
        lambda t: f"<{t[0]}{t[1].replace('{url}', t[2])}>" + "".join(t[3])
        + {"close": f"</{t[0]}>", "open": "", "stray": f"</{t[0]}></x>"}[t[4]])


html_node = st.recursive(st.one_of(html_text, st.sampled_from(["<br>", "<hr/>", "<img src=\"a.png\">",
                                                              "<!-- c -->", "<meta name=\"author\" content=\"A\">"])),
                         _element, max_leaves=30)
html_deep = st.tuples(st.sampled_from(["div", "span", "b", "li", "p", "table", "a href=\"x\""]), _depth).map(
    lambda t: f"<{t[0]}>" * t[1] + "deep text." + f"</{t[0].split()[0]}>" * t[1])
html_head = st.one_of(
    st.just(""),
    st.sampled_from(["<title>T</title>", "<meta name=\"description\" content=\"d\">",
                     "<script type=\"application/ld+json\">{\"@type\": \"Article\", \"author\": {\"name\": \"A\"}}</script>",
                     "<script type=\"application/ld+json\">{broken</script>", "<meta property=\"article:modified_time\" content=\"2024-02-30\">",
                     "<script type=\"application/ld+json\">[[[[[[[[[[]]]]]]]]]]</script>"]),
)
html = st.deferred(lambda: _html)
_html = st.tuples(st.sampled_from(["", "<!DOCTYPE html>", "<?xml version=\"1.0\"?>"]), st.sampled_from(["", " lang=\"en-GB\"", " lang=\"fr\""]),
                 st.lists(html_head, max_size=3), st.lists(st.one_of(html_node, html_deep), max_size=6),
                 st.booleans()).map(
    lambda t: f"{t[0]}<html{t[1]}><head>{''.join(t[2])}</head><body>" + "".join(t[3])
    + ("</body></html>" if t[4] else ""))
html_fragment = st.deferred(lambda: _html_fragment)
_html_fragment = st.lists(st.one_of(html_node, html_deep), min_size=1, max_size=6).map(_join)

plain_text = st.deferred(lambda: _plain_text)
_plain_text = st.lists(st.one_of(inline, st.just("\n\n"), st.just("\n")), max_size=12).map(_join)


@st.composite
def as_file(draw, text_strategy: st.SearchStrategy, endings=("\n", "\r\n")) -> bytes:
    """The bytes of a file holding the drawn text: one of ``endings`` as its
    line ending ("mixed": a random one per line), sometimes a UTF-8
    byte-order mark."""
    text = draw(text_strategy)
    ending = draw(st.sampled_from(endings))
    if ending == "mixed":
        lines = text.split("\n")
        text = "".join(line + draw(st.sampled_from(LINE_ENDINGS)) for line in lines[:-1]) + lines[-1]
    elif ending != "\n":
        text = text.replace("\n", ending)
    data = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    return data
