"""`FastJSONRenderer` writes what DRF's `JSONRenderer` writes, byte for byte, for our lists' values."""

import orjson
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer

from helpers.renderers import FastJSONRenderer, _items_builder, _same, pre_rendered

# Lone surrogates cannot reach a response: the parser refuses them and UTF-8 cannot carry them.
text = st.text(st.characters(exclude_categories=["Cs"]))
scalar = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1), text)
rows = st.lists(st.dictionaries(text, scalar, max_size=6), max_size=20)


@given(rows)
def test_any_list_of_rows_renders_as_drf_renders_it(data):
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_javascript_line_separators_are_escaped_as_drf_escapes_them():
    data = [{"name": "a\u2028b\u2029c", "bio": '\x00\x1f\x7f"\\/é🚀'}]
    rendered = FastJSONRenderer().render(data)
    assert rendered == JSONRenderer().render(data)
    assert b"a\\u2028b\\u2029c" in rendered


def test_a_pre_rendered_value_is_copied_verbatim_and_escaped_the_same():
    shared = {"skills": ["Go\u2028"], "factor": 0.8}
    rendered = FastJSONRenderer().render([{"id": 1, "explanation": pre_rendered(shared)}])
    assert rendered == JSONRenderer().render([{"id": 1, "explanation": shared}])
    assert isinstance(pre_rendered(shared), orjson.Fragment)


def test_no_data_is_an_empty_body():
    assert FastJSONRenderer().render(None) == b""


def test_items_are_built_under_any_field_name_with_their_converters():
    build = _items_builder([("id", _same), ('odd "name" \\ }', str.upper), ("rating", _same)])
    assert build([(1, "go", 5), (2, "rust", 7)]) == [
        {"id": 1, 'odd "name" \\ }': "GO", "rating": 5},
        {"id": 2, 'odd "name" \\ }': "RUST", "rating": 7},
    ]
