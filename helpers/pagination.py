"""Opt-in pagination: the SPA needs bare arrays, API clients may ask for pages with ?limit=."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class OptInLimitOffsetPagination(LimitOffsetPagination):
    """Without `limit` the whole list is returned as a bare array (api-contract 1.3).

    With `?limit=&offset=` the answer is DRF's envelope `{count, next, previous, results}`.
    `limit` is a whole number from 1 (capped at `max_limit`), `offset` one from 0; anything else
    (`abc`, `-5`, `false`, empty) is a 400 naming the parameter rather than a silent default, and so
    is an `offset` without `limit` (DRF would ignore it and answer the whole list).
    """

    default_limit = None
    max_limit = 100

    def get_limit(self, request):
        if self.limit_query_param not in request.query_params:
            if self.offset_query_param in request.query_params:
                self._whole_number(request, self.offset_query_param, minimum=0)
                raise ValidationError({self.offset_query_param: ["`offset` pages a list only with `limit`."]})
            return None
        limit = self._whole_number(request, self.limit_query_param, minimum=1)
        return min(limit, self.max_limit)

    def get_offset(self, request):
        if self.offset_query_param not in request.query_params:
            return 0
        return self._whole_number(request, self.offset_query_param, minimum=0)

    @staticmethod
    def _whole_number(request, name, *, minimum):
        text = request.query_params[name]
        if not (text.isascii() and text.isdigit()) or int(text) < minimum:
            raise ValidationError({name: [f"A whole number from {minimum} is required."]})
        return int(text)

    def get_paginated_response_schema(self, schema):
        """A bare array without `limit`, the envelope with it: both, as `oneOf`, so the schema is true."""
        return {
            "oneOf": [
                {**schema, "description": "Without `limit`: the whole list."},
                super().get_paginated_response_schema(schema),
            ]
        }

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            minimum = 1 if parameter["name"] == self.limit_query_param else 0
            parameter["schema"] = {**parameter["schema"], "minimum": minimum}
        return parameters


class LimitOffsetPages(OptInLimitOffsetPagination):
    """Always the envelope, `limit` defaulting to 50: for lists that grow without bound (a ledger)."""

    default_limit = 50

    def get_limit(self, request):
        return super().get_limit(request) or self.default_limit

    def get_paginated_response_schema(self, schema):
        return LimitOffsetPagination.get_paginated_response_schema(self, schema)
