"""Opt-in pagination: the SPA needs bare arrays, API clients may ask for pages with ?limit= (and
?cursor= on the big recruiter lists)."""

import datetime
import hashlib
import json

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class OptInLimitOffsetPagination(LimitOffsetPagination):
    """Without `limit` the whole list is returned as a bare array (api-contract 1.3).

    With `?limit=&offset=` the answer is DRF's envelope `{count, next, previous, results}`.
    `limit` is a whole number from 1 (capped at `max_limit`), `offset` one from 0; anything else
    (`abc`, `-5`, `false`, empty) is a 400 naming the parameter rather than a silent default, and so
    is an `offset` without `limit` (DRF would ignore it and answer the whole list).
    """

    default_limit = None
    max_limit = 100
    count_cache_seconds = 600

    def paginate_queryset(self, queryset, request, view=None):
        self.view = view
        return super().paginate_queryset(queryset, request, view)

    def get_count(self, queryset):
        """The list's length, cached per the view's `data_version_seen` (set by
        `helpers.views.ConditionalListMixin`) and filter query when it has one.

        The version changes with any write the list reads, as its ETag does, so a cached count is
        never stale: at 10,000 open jobs `/job/list?limit=20` counts once per change instead of on
        every page. Lists without a version count every time.
        """
        version = getattr(getattr(self, "view", None), "data_version_seen", None)
        if version is None:
            return super().get_count(queryset)
        params = sorted(
            (key, value)
            for key, values in self.request.query_params.lists()
            for value in values
            if key
            not in (
                self.limit_query_param,
                self.offset_query_param,
                getattr(self, "cursor_query_param", None),
            )
        )
        digest = hashlib.blake2b(repr((self.request.path, params)).encode(), digest_size=12).hexdigest()
        key = f"list-count:{version}:{digest}"
        count = cache.get(key)
        if count is None:
            count = super().get_count(queryset)
            cache.set(key, count, self.count_cache_seconds)
        return count

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


class KeysetPagination(OptInLimitOffsetPagination):
    """`OptInLimitOffsetPagination` plus `?limit=&cursor=`: keyset pages that cost the same at any depth.

    - no `limit`: the whole list (unchanged); `?limit=&offset=`: DRF's envelope (unchanged; the
      page found by a deferred join, `_offset_page`).
    - `?limit=N` alone, the first page: `{count, next, previous: null, results}` where `next` is a
      cursor link when the ordering allows one (every ordering key a non-null column of the model,
      ending with the primary key), else the offset link as before.
    - `?limit=N&cursor=C`: `{next, results}`: the rows after the cursor's, found with an index range
      instead of skipping `offset` rows; no count (counting is the cost a cursor exists to avoid).
      `next` is null on the last page.

    The cursor is opaque and signed (django.core.signing, SECRET_KEY): it carries the ordering it was
    made for and the last row's keys. A tampered, foreign or stale-ordering cursor is a 400 on
    `cursor`, as is a cursor with `offset` or without `limit`.

    The count of the first page is cached per data version (`get_count`, above), so paging a million
    rows recounts once per change, unless the view counts from an index of its own (`quick_count`).
    """

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.mode = "offset"
        self.request, self.view = request, view
        params = request.query_params
        if self.cursor_query_param not in params:
            if self.get_limit(request) is None:
                return super().paginate_queryset(queryset, request, view)
            if self.offset_query_param in params:
                return self._offset_page(queryset, request, view)
            return self._first_page(queryset, request, view)
        if self.offset_query_param in params:
            raise ValidationError({self.cursor_query_param: ["Use `cursor` or `offset`, not both."]})
        if self.limit_query_param not in params:
            raise ValidationError({self.cursor_query_param: ["`cursor` pages a list only with `limit`."]})
        self.limit = self.get_limit(request)
        self.keys = self._keys(queryset)
        if self.keys is None:
            raise ValidationError({self.cursor_query_param: ["This ordering pages by `offset` only."]})
        values = self._decode(params[self.cursor_query_param], queryset.model)
        self.mode = "cursor"
        return self._rows(queryset.filter(self._after(values)))

    def get_paginated_response(self, data):
        if self.mode == "offset":
            return super().get_paginated_response(data)
        if self.mode == "cursor":
            return Response({"next": self._next_link(), "results": data})
        return Response({"count": self.count, "next": self._next_link(), "previous": None, "results": data})

    def get_paginated_response_schema(self, schema):
        cursor_page = {
            "type": "object",
            "required": ["next", "results"],
            "properties": {"next": {"type": "string", "format": "uri", "nullable": True}, "results": schema},
            # no `count`: what tells it from the envelope, so exactly one of the `oneOf` fits an answer
            "not": {"required": ["count"]},
            "description": "With `limit` and `cursor`: the page after the cursor (no `count`).",
        }
        documented = super().get_paginated_response_schema(schema)
        return {"oneOf": [*documented["oneOf"], cursor_page]}

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque: the `next` link's cursor (with `limit`, never with `offset`).",
                "schema": {"type": "string"},
            },
        ]

    def _first_page(self, queryset, request, view):
        self.keys = self._keys(queryset)
        if self.keys is None:  # offset links, as OptInLimitOffsetPagination pages
            return super().paginate_queryset(queryset, request, view)
        self.limit = self.get_limit(request)
        self.count = self._count(queryset, view)
        self.mode = "first"
        return self._rows(queryset)

    def _offset_page(self, queryset, request, view):
        """DRF's offset page, found by a deferred join: the page's ids first (an index-only scan of
        the ordering's index skips `offset` entries, not `offset` rows), then those rows; the count
        cached as the first page's. Offsets still cost their depth: the cursor is the fast path."""
        self.keys = self._keys(queryset)
        if self.keys is None:
            return super().paginate_queryset(queryset, request, view)
        self.limit, self.offset = self.get_limit(request), self.get_offset(request)
        self.count = self._count(queryset, view)
        if self.offset >= self.count:
            return []
        ids = list(self._page_ids(queryset, view))
        rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
        return [rows[pk] for pk in ids]

    def _page_ids(self, queryset, view):
        """The offset page's ids. A view that can tell where its `offset`-th row is (`quick_seek`:
        the first id of a range holding it, and how many rows of the range come before it) has the
        page read from there, when the list is in primary-key order; otherwise `offset` entries of the
        ordering's index are skipped."""
        seek = getattr(view, "quick_seek", None)
        if seek is not None and self.keys == [(queryset.model._meta.pk.attname, False)]:
            if (found := seek(self.offset)) is not None:
                first, skip = found
                return queryset.filter(pk__gte=first).values_list("pk", flat=True)[skip : skip + self.limit]
        return queryset.values_list("pk", flat=True)[self.offset : self.offset + self.limit]

    def _rows(self, queryset):
        rows = list(queryset[: self.limit + 1])
        self.last = rows[self.limit - 1] if len(rows) > self.limit else None
        return rows[: self.limit]

    def _count(self, queryset, view):
        quick = getattr(view, "quick_count", None)  # a view that can count from an index of its own
        if quick is not None and (counted := quick()) is not None:
            return counted
        return self.get_count(queryset)

    @staticmethod
    def _keys(queryset) -> list[tuple[str, bool]] | None:
        """[(attname, descending)] of the queryset's ordering, if every key is a non-null local
        column and the last is the primary key (so the keys are unique); else None."""
        model = queryset.model
        columns = {}
        for field in model._meta.concrete_fields:
            columns[field.name] = columns[field.attname] = field
        columns["pk"] = model._meta.pk
        keys = []
        for item in queryset.query.order_by or model._meta.ordering:
            if not isinstance(item, str):
                return None
            field = columns.get(item.lstrip("-"))
            if field is None or field.null:
                return None
            keys.append((field.attname, item.startswith("-")))
        if not keys or keys[-1][0] != model._meta.pk.attname:
            return None
        return keys

    def _after(self, values) -> Q:
        """Rows after `values` in the keys' order: (k1 > v1) or (k1 = v1 and k2 > v2) or ... The
        first key's bound is added on its own, so the database reads an index range, not every row."""
        after = Q(pk__in=[])
        for index, (name, descending) in enumerate(self.keys):
            equal = {key: value for (key, _), value in zip(self.keys[:index], values, strict=False)}
            after |= Q(**equal, **{f"{name}__{'lt' if descending else 'gt'}": values[index]})
        first, descending = self.keys[0]
        return Q(**{f"{first}__{'lte' if descending else 'gte'}": values[0]}) & after

    def _next_link(self) -> str | None:
        if self.last is None:
            return None
        ordering = [f"{'-' if d else ''}{name}" for name, d in self.keys]
        cursor = cursor_encode(ordering, [getattr(self.last, name) for name, _ in self.keys])
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, self.offset_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def _decode(self, text: str, model) -> list:
        bad = ValidationError({self.cursor_query_param: ["Not a cursor of this list; follow a `next` link."]})
        try:
            payload = signing.Signer(salt=CURSOR_SALT).unsign_object(text, serializer=_CursorSerializer)
        except (signing.BadSignature, ValueError, TypeError):
            raise bad from None
        ordering = [f"{'-' if d else ''}{name}" for name, d in self.keys]
        if (
            not isinstance(payload, dict)
            or payload.get("k") != ordering
            or len(payload.get("v", ())) != len(ordering)
        ):
            raise bad
        try:
            return [
                model._meta.get_field(name).to_python(value)
                for (name, _), value in zip(self.keys, payload["v"], strict=True)
            ]
        except DjangoValidationError:
            raise bad from None


CURSOR_SALT = "helpers.pagination.KeysetPagination"


def cursor_encode(ordering: list[str], values: list) -> str:
    """The opaque cursor of the row with `values` under `ordering` (what `next` links carry)."""
    # No timestamp (signing.dumps would add one): the same row gives the same link.
    return signing.Signer(salt=CURSOR_SALT).sign_object(
        {"k": ordering, "v": values}, serializer=_CursorSerializer
    )


class _CursorSerializer:
    """JSON with dates and datetimes as full ISO text (the fields' `to_python` reads them back;
    DjangoJSONEncoder would cut microseconds, and a cursor must be exact)."""

    def dumps(self, obj):
        return json.dumps(obj, default=_iso, separators=(",", ":")).encode()

    def loads(self, data):
        return json.loads(data.decode())


def _iso(value):
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a cursor")
