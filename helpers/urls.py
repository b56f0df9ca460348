"""Routes that answer with and without a trailing slash, never with a redirect (api-contract 1.2)."""

from django.urls import re_path


def route(pattern, view, name=None):
    """`route("profile/<int:pk>", view)` matches `profile/7` and `profile/7/`.

    `<int:name>` is the only converter needed by the contract's paths. Ids longer than 18 digits
    cannot exist in a 64-bit key, so they do not match (a JSON 404, not an overflow in the database).
    """
    regex = pattern.replace("<int:", "(?P<").replace(">", r">[0-9]{1,18})")
    return re_path(rf"^{regex}/?$", view, name=name)


def schema_paths_as_sent(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: document `route()` paths in the form the SPA sends.

    The slash-optional regex would otherwise appear as `/user/profile/` and `/job//`.
    """
    return [
        (path[:-1] if regex.endswith("/?$") else path, regex, method, callback)
        for path, regex, method, callback in endpoints
    ]
