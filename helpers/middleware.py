"""Request guards that run before any view: bodies the API will not read get a JSON 4xx."""

from django.conf import settings
from django.http import JsonResponse


class RequestBodyGuardMiddleware:
    """413 for a body longer than DATA_UPLOAD_MAX_MEMORY_SIZE; 411 for a chunked body.

    Django would otherwise answer an oversize body with a bare "Bad request", and would read a
    body sent with `Transfer-Encoding: chunked` (no Content-Length) as empty: a write that
    silently stores nothing. Such a body is refused so the client can resend it with a length.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
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
