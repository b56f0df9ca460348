"""Opt-in pagination: the SPA needs bare arrays, API clients may ask for pages with ?limit=."""

from rest_framework.pagination import LimitOffsetPagination


class OptInLimitOffsetPagination(LimitOffsetPagination):
    """Without `limit` the whole list is returned as a bare array (api-contract 1.3).

    With `?limit=&offset=` the answer is DRF's envelope `{count, next, previous, results}`;
    `limit` is capped at `max_limit`.
    """

    default_limit = None
    max_limit = 100

    def get_limit(self, request):
        if self.limit_query_param not in request.query_params:
            return None
        limit = super().get_limit(request)
        return limit if limit is not None else self.max_limit
