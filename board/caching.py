"""Public, shared caching of the board's answers: `Cache-Control: public, max-age`, ETag, 304.

The tag is a digest of the answer's bytes, so it changes exactly when the answer does: an edited
job, a company's new logo, a job closing or passing its `valid_through` day, a new job on the page.
A version counter would need every one of those writes (and the calendar) to bump it. The answer is
built before the 304 is decided; it is one small page, and `max-age` spares most requests even that.

The answers are the same for everyone (the board reads no credentials), so shared caches and CDNs
may keep them; the API's answers may be read by any site from a browser (`board.views`).
"""

import hashlib

from django.utils.cache import get_conditional_response, patch_cache_control

MAX_AGE_SECONDS = 60


def answer_etag(content: bytes) -> str:
    return f'"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'


def publicly_cached(request, response):
    """`response` (rendered) made publicly cacheable, or a 304 for a matching tag.

    Anything but a 200 to a GET or HEAD (errors, throttling, OPTIONS) is returned untouched, so no
    cache keeps it.
    """
    if response.status_code != 200 or request.method not in ("GET", "HEAD"):
        return response
    patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
    response["ETag"] = answer_etag(response.content)
    return get_conditional_response(request, etag=response["ETag"], response=response)
