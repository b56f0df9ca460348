"""JSON everywhere: DRF errors keep DRF's shape, and Django-level 404/500 are JSON too."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


class ServiceUnavailable(exceptions.APIException):
    """503 for a dependency that is down; DRF's handler sends `wait` as the `Retry-After` header."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "A service this request needs is unavailable; try again shortly."
    default_code = "service_unavailable"

    def __init__(self, detail=None, *, wait: int):
        super().__init__(detail)
        self.wait = wait


def json_exception_handler(exc, context):
    """DRF's handler, plus model validation and integrity errors turned into 400s, not 500s.

    A constraint the serializer did not foresee (a race between two creates, say) must still give
    the client a 4xx. Requests are not atomic as a whole (ATOMIC_REQUESTS is off): every write of
    more than one row runs in its service's `transaction.atomic`, so the failed statement's block is
    rolled back before the error reaches this handler, and nothing half-written stays.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The request conflicts with existing data."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return exception_handler(exc, context)


def bad_request(request, exception=None, *args, **kwargs):
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request, exception=None, *args, **kwargs):
    return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)


@csrf_exempt
def not_found(request, exception=None, *args, **kwargs):
    """Any method on an unknown path: a JSON 404 (csrf_exempt, or a POST would get the CSRF 403)."""
    return JsonResponse({"detail": "Not found."}, status=404)


def csrf_failure(request, reason="", *args, **kwargs):
    return JsonResponse({"detail": f"CSRF verification failed: {reason}"}, status=403)


def server_error(request, *args, **kwargs):
    return JsonResponse({"detail": "Internal server error."}, status=500)
