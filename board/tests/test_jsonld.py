"""The pure pieces of board.jsonld: script-safe JSON and a company website as a URL."""

import json

import pytest

from board.jsonld import absolute_website, script_json


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>alert(1)</script>",
        "<!-- <script>",
        "a & b > c",
        "line\u2028separator\u2029",
        "ünïcødé",
    ],
)
def test_script_json_never_carries_markup_and_reads_back_the_same(text):
    written = script_json({"description": text})

    assert not {"<", ">", "&", "\u2028", "\u2029"} & set(written)
    assert json.loads(written) == {"description": text}


@pytest.mark.parametrize(
    "website, url",
    [
        ("acme.example", "https://acme.example"),
        ("https://acme.example/careers", "https://acme.example/careers"),
        ("http://acme.example", "http://acme.example"),
        ("  acme.example ", "https://acme.example"),
        ("", ""),
        ("localhost", ""),
        ("javascript:alert(1)", ""),
        ("ftp://acme.example", ""),
        ("acme example.com", ""),
    ],
)
def test_a_website_becomes_a_url_only_when_it_is_one(website, url):
    assert absolute_website(website) == url
