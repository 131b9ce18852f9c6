import socket

import pytest

from health_lint.web.urls import AddressPolicy, Scope, normalize_url, skip_reason, split_fragment


@pytest.mark.parametrize("raw, expected", [
    ("HTTP://Example.COM", "http://example.com/"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("https://example.com/a#section", "https://example.com/a"),
    ("https://example.com/%7euser/%2f%3A", "https://example.com/~user/%2F%3A"),
    ("https://example.com/a b", "https://example.com/a%20b"),
    ("https://example.com/caf\u00e9", "https://example.com/caf%C3%A9"),
    ("https://example.com/a/./b/../c", "https://example.com/a/c"),
    ("https://example.com/a?q=1&r=%7e", "https://example.com/a?q=1&r=~"),
    ("https://EXAMPLE.com/Path", "https://example.com/Path"),
])
def test_normalize(raw, expected):
    assert normalize_url(raw) == expected


def test_normalize_relative_and_fragment():
    assert normalize_url("../x#y", base="https://e.org/a/b/c") == "https://e.org/a/x"
    assert normalize_url("https://e.org/a#y", keep_fragment=True) == "https://e.org/a#y"
    assert split_fragment("https://e.org/a#caf%C3%A9") == ("https://e.org/a", "caf\u00e9")


@pytest.mark.parametrize("url", ["mailto:a@b.org", "tel:+441234", "javascript:void(0)", "data:text/plain,hi", "MAILTO:x@y.z"])
def test_skipped_schemes(url):
    assert skip_reason(url)


def test_http_not_skipped():
    assert skip_reason("https://example.org/") is None
    assert skip_reason("https:///nohost")


def test_scope_same_origin_and_patterns():
    s = Scope("https://www.example.org/start")
    assert "https://example.org/x" in s
    assert "https://www.example.org/y" in s
    assert "https://other.org/" not in s
    assert "https://www.example.org:8080/" not in s
    assert "mailto:a@example.org" not in s
    s2 = Scope("https://example.org/", include=[r"^https://example\.org/(docs|blog)/"], exclude=[r"/private/"])
    assert "https://example.org/docs/a" in s2
    assert "https://example.org/a" not in s2
    assert "https://example.org/blog/private/x" not in s2


def test_include_narrows_never_widens_scope():
    # An include matching another host must not take the crawl there.
    s = Scope("https://example.org/", include=[r"/docs/"])
    assert "https://example.org/docs/a" in s
    assert "https://evil.example.net/docs/a" not in s
    assert "https://docs.example.org/docs/a" not in s
    assert "https://example.org/other" not in s
    assert s.same_site("https://example.org/other")


def test_address_policy_blocks_without_network(monkeypatch):
    calls = []
    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: calls.append(a) or real_getaddrinfo(*a, **k))
    strict = AddressPolicy(allow_private=False)
    assert strict.check("http://169.254.169.254/latest/meta-data/")[0] == "blocked"
    assert strict.check("http://[fe80::1]/")[0] == "blocked"
    assert strict.check("http://10.1.2.3/")[0] == "blocked"
    assert strict.check("http://192.168.1.1/")[0] == "blocked"
    assert strict.check("http://172.20.0.1/")[0] == "blocked"
    assert strict.check("http://127.0.0.1:8080/")[0] == "blocked"
    assert strict.check("http://[::1]/")[0] == "blocked"
    assert strict.check("http://[fd00::1]/")[0] == "blocked"
    assert strict.check("http://93.184.216.34/") is None
    loose = AddressPolicy(allow_private=True)
    assert loose.check("http://127.0.0.1/") is None
    assert loose.check("http://10.0.0.1/") is None
    assert loose.check("http://169.254.169.254/")[0] == "blocked"  # always
    assert calls == []  # IP literals: no DNS


def test_address_policy_resolves_names():
    assert AddressPolicy(allow_private=False).check("http://localhost/")[0] == "blocked"
    assert AddressPolicy(allow_private=True).check("http://localhost/") is None
    verdict = AddressPolicy(allow_private=True).check("http://no-such-host.invalid/")
    assert verdict[0] == "dns"


JOIN_BASES = ["http://127.0.0.1:8080/p/5.html", "https://Example.ORG/a/b/?q=1#f", "https://user:p%40ss@example.org:8443/x",
              "http://[::1]:81/dir/", "https://xn--bcher-kva.example/", "http://example.org"]
JOIN_REFS = ["/", "/p/1.html", "/a/./b", "/a/../b", "/.", "/..", "/a/.", "/.well-known/x", "/a?x=1&y=2", "/a?",
             "/a#top", "/a?q#f", "/a#", "//other.org/x", "/\\other.org/x", "/a b", "/a%20b", "/a'b", "/a?'x",
             "/ä", "/a\tb", "/a:b@c!$&()*+,;=~_-", "/a?b/c?d", "/a#b#c", "/a{b}", "/a|b", "/a^b", "/a`b"]


@pytest.mark.parametrize("base", JOIN_BASES)
def test_join_url_is_the_parsers_resolution(base):
    import random

    from health_lint.web.urls import join_url, parse_http_url

    # The fast path for plain path-absolute links must resolve every
    # reference exactly as the URL parser does (plus random ones made of
    # the characters it takes or turns away).
    rng = random.Random(5)
    alphabet = "/.?#%'ab9-_~!$&()*+,;=:@ \\"
    refs = JOIN_REFS + ["/" + "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(400)]
    for ref in refs:
        parsed = parse_http_url(ref.strip(), base)
        if parsed is None:  # a network path ("//", "/\\") with no valid host
            assert ref.startswith(("//", "/\\")), ref
            continue
        assert join_url(base, ref) == parsed.href, (base, ref)
