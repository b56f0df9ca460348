"""JSON bodies that can be stored and rendered back: lone UTF-16 surrogates are refused at the door."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, plus a 400 for text that is not valid Unicode (`"\\ud800"`).

    Python's json accepts such escapes, but neither PostgreSQL nor a UTF-8 response can hold them,
    so they would surface later as a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            raise ParseError("JSON parse error - text must be valid Unicode.") from error
        return data
