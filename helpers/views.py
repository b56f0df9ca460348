"""View pieces several apps share."""

from rest_framework import status
from rest_framework.exceptions import APIException


class PartialPutMixin:
    """PUT is a partial update: the SPA's edit forms leave unchanged fields out (api-contract 2.7.4)."""

    def put(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


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
