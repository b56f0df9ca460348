"""JSON bodies that can be stored and rendered back: bad Unicode and deep nesting are refused at the door."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request body of this API nests deeper than 3; 32 leaves room for any sane client.
MAX_JSON_DEPTH = 32


def json_depth_exceeds(data, limit: int) -> bool:
    """True when `data` nests lists/dicts deeper than `limit` (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in value)
    return False


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, plus 400s for text that is not valid Unicode (`"\\ud800"`) and deep nesting.

    Python's json accepts lone surrogates, but neither PostgreSQL nor a UTF-8 response can hold them,
    so they would surface later as a 500. A 2 KB body of ~1,000 nested brackets exhausts the
    interpreter's recursion limit (a RecursionError, another 500); anything nested deeper than
    MAX_JSON_DEPTH is refused.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.") from error
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.")
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            raise ParseError("JSON parse error - text must be valid Unicode.") from error
        return data
