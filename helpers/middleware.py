"""Request guards: bodies the API will not read get a JSON 4xx, a database outage a JSON 503."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

logger = logging.getLogger("job_portal.database")

DATABASE_RETRY_AFTER_SECONDS = 5


def multipart_body_limit() -> int:
    """The ceiling for multipart bodies (file uploads): twice a picture's allowance.

    The views that take files refuse more than their own limit before reading (the picture views:
    IMAGE_MAX_BYTES plus the multipart framing, with their own message), and the admin turns an
    oversize picture into a form error next to the field; this only stops bodies far beyond that.
    """
    return 2 * (settings.IMAGE_MAX_BYTES + 64 * 1024)


class RequestBodyGuardMiddleware:
    """413 for a body longer than DATA_UPLOAD_MAX_MEMORY_SIZE (multipart: `multipart_body_limit`);
    411 for a chunked body.

    Django would otherwise answer an oversize body with a bare "Bad request", and would read a
    body sent with `Transfer-Encoding: chunked` (no Content-Length) as empty: a write that
    silently stores nothing. Such a body is refused so the client can resend it with a length.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/form-data"):
            limit = max(limit or 0, multipart_body_limit())
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Content-Length must be a whole number."}, status=400)
        if limit is not None and length > limit:
            return JsonResponse(
                {"detail": f"Request body too large: at most {limit} bytes are accepted."}, status=413
            )
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower() and not length:
            return JsonResponse(
                {"detail": "Chunked request bodies are not accepted: send a Content-Length."}, status=411
            )
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """An unreachable, refusing or hung database answers 503 with `Retry-After`, logged in one line.

    `OperationalError` and `InterfaceError` are outages (connection refused or lost, timeouts), not
    bugs: a traceback per request would bury the log, and a 500 tells a client not to retry.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        first_line = str(exception).strip().splitlines()[0] if str(exception).strip() else ""
        logger.error(
            "database unavailable: %s %s: %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
            first_line,
        )
        response = JsonResponse({"detail": "The database is unavailable; try again shortly."}, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        response._has_been_logged = True  # the line above is the only one
        return response
