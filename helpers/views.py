"""View pieces several apps share."""

import hashlib

from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from helpers.pagination import OptInLimitOffsetPagination
from helpers.renderers import LargeAnswerMixin, pre_rendered, streamed_array


class PartialPutMixin:
    """PUT is a partial update: the SPA's edit forms leave unchanged fields out (api-contract 2.7.4)."""

    def put(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class ConditionalListMixin:
    """A list that carries a weak ETag and answers `If-None-Match` with 304 before building anything.

    The view supplies `data_version()`: a value that changes whenever anything the list reads
    changes, read in one cheap query. The tag is that version plus a digest of the path and query
    string (filters, ordering, pages give different answers). The list must not depend on who is
    asking beyond the permission check, which runs first: a caller who may not read the list gets
    their 401/403, never a 304. The version is read before the list, so a write committed in between
    can only make the tag older than the data (the next request refetches), never newer.

    `Cache-Control: private, no-cache`: the browser may keep the answer but must revalidate it on
    every use, so it never shows stale data, and shared caches do not store it.
    """

    def data_version(self) -> str:
        raise NotImplementedError

    data_version_seen = None
    """The version this request's tag carries (helpers.pagination.KeysetPagination caches counts by it)."""

    def list_etag(self) -> str:
        query = hashlib.blake2b(self.request.get_full_path().encode(), digest_size=8).hexdigest()
        self.data_version_seen = self.data_version()
        return f'W/"{self.data_version_seen}-{query}"'

    def list(self, request, *args, **kwargs):
        etag = self.list_etag()
        response = get_conditional_response(request, etag=etag) or super().list(request, *args, **kwargs)
        response["ETag"] = etag
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Authorization"])
        return response


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def declared_body_length(request) -> int:
    """The request's Content-Length (0 when absent or not a number); reading it reads no body."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def refuse_body_larger_than(request, limit: int, detail: str) -> None:
    """413 before a byte of the body is read when its declared length is over `limit`.

    Call it before touching `request.data`: DRF parses the body only on first access.
    """
    if declared_body_length(request) > limit:
        raise PayloadTooLarge(detail)


PAGE_END_MAX = 2**31
"""Further than any list here: a larger offset answers an empty page, never an SQL LIMIT past 64 bits."""

STREAM_ABOVE = 5000
"""A whole list longer than this is streamed a chunk at a time (`helpers.renderers.streamed_array`)."""


class PagedItemsMixin(LargeAnswerMixin):
    """Opt-in `?limit=&offset=` over rows a selector built; only the rows sent are shaped."""

    pagination_class = OptInLimitOffsetPagination
    filter_backends = []

    def page_end(self) -> int | None:
        """offset + limit of the page asked for (400 for a bad one), None for the whole list: a
        selector that can stop early reads no further (jobs.topk)."""
        limit = self.paginator.get_limit(self.request)
        if limit is None:
            return None
        return min(self.paginator.get_offset(self.request) + limit, PAGE_END_MAX)

    def paged_response(self, rows, items, item_parts=None):
        """`items(shown, encode)` (a selector's) shapes the page, or every row without `?limit=`
        (streamed through `item_parts(shown)`, their JSON a part at a time, when long, if the
        selector has it)."""
        page = self.paginate_queryset(rows)
        if page is None:
            if item_parts is not None and len(rows) > STREAM_ABOVE:
                return streamed_array(item_parts(rows))
            return Response(items(rows, pre_rendered))
        return self.get_paginated_response(items(page, pre_rendered))
