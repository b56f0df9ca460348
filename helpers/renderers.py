"""Large JSON lists: DRF's output, byte for byte, at a fraction of its cost.

The SPA reads some lists whole (every job, every candidate, every candidate's skills: hundreds of
thousands of rows). Building a model instance and calling each serializer field per row, then the
standard library's encoder, costs seconds there. The pieces, used by jobs and profiles:

- `FastJSONRenderer`: DRF's `JSONRenderer` with orjson underneath. Same bytes for the values our
  lists hold (compact separators, UTF-8, the same escapes, U+2028/U+2029 escaped as DRF does).
- `ValuesListSerializer`: a list serializer that reads a queryset with `.values_list()` instead of
  instances, and can render the whole array in chunks (`rendered()`), so a 30 MB answer never holds
  more than `CHUNK_ROWS` row dicts at once.
- `WholeListMixin`: a `ListAPIView` that answers its bare array through `rendered()`; pages take
  DRF's usual path.
- `LargeAnswerMixin` (under `WholeListMixin` and the recommendation views): the answer is freed as
  soon as it is sent, not at the next full run of the cycle collector.
- `CollectorPause`: the cycle collector paused while a ranking is built and its answer streamed.
"""

import gc
from collections.abc import Callable, Iterable, Iterator
from functools import partial

import orjson
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.template.response import SimpleTemplateResponse
from rest_framework import ISO_8601, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder

CHUNK_ROWS = 5000
"""Rows turned into dicts and encoded at a time by `ValuesListSerializer.rendered()`."""

_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


def escape_line_separators(encoded: bytes) -> bytes:
    """DRF escapes U+2028 and U+2029 (valid JSON, but not JavaScript string literals); orjson does not."""
    if b"\xe2" not in encoded:  # one byte: a memchr, 300x faster than looking for two
        return encoded
    for raw, escaped in _LINE_SEPARATORS:
        encoded = encoded.replace(raw, escaped)
    return encoded


_drf_default = JSONEncoder().default


def dumps(data) -> bytes:
    """`data` as DRF's JSONRenderer writes it; DRF's encoder handles what orjson does not (lazy text)."""
    return escape_line_separators(orjson.dumps(data, default=_drf_default))


encoded_value = partial(orjson.dumps, default=_drf_default)
"""`dumps` without the line separators' escape: for values joined into a part escaped once whole."""


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON renderer with orjson underneath: the same bytes, 17x faster at 40,000 items."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return dumps(data)


def pre_rendered(data) -> orjson.Fragment:
    """`data` as JSON that `FastJSONRenderer` copies verbatim.

    Worth it for a value shared by many items of a list (the matcher shares one explanation between
    all candidates with the same ratings): encoding it once halves the rendering cost.
    """
    return orjson.Fragment(dumps(data))


Converter = Callable[[object], object]


class ValuesListSerializer(serializers.ListSerializer):
    """Serialises a whole queryset from `.values_list()` rows instead of model instances.

    The output is the child serializer's, value for value (tests pin it per serializer); anything
    that is not a plain column (a page of instances, another field type) takes DRF's path.
    """

    PLAIN_FIELDS = (serializers.CharField, serializers.ChoiceField, serializers.IntegerField)

    def to_representation(self, data):
        columns = self._columns()
        if not isinstance(data, QuerySet) or columns is None:
            return super().to_representation(data)
        return [item for chunk in self._item_chunks(data, columns) for item in chunk]

    def can_render(self) -> bool:
        """Whether `rendered()` can take the fast path for this serializer's instance."""
        return isinstance(self.instance, QuerySet) and self._columns() is not None

    def rendered(self) -> list[orjson.Fragment]:
        """The whole array, for `FastJSONRenderer`: one fragment per chunk of comma-separated items.

        orjson writes a list of fragments as `[chunk,chunk]`, so the answer is the array itself;
        at most `CHUNK_ROWS` row dicts are alive at once, whatever the number of rows.
        """
        return [
            orjson.Fragment(dumps(chunk)[1:-1]) for chunk in self._item_chunks(self.instance, self._columns())
        ]

    def streamed(self) -> Iterator[bytes]:
        """The whole array as `rendered()` writes it, in pieces, rows read by a server-side cursor
        on PostgreSQL: memory stays one chunk whatever the number of rows (5.5 million skills)."""
        yield b"["
        first = True
        for chunk in self._item_chunks(self.instance, self._columns(), server_side=True):
            if chunk:
                yield (b"" if first else b",") + dumps(chunk)[1:-1]
                first = False
        yield b"]"

    def _item_chunks(self, queryset: QuerySet, columns: dict, *, server_side=False) -> Iterator[list[dict]]:
        items = _items_builder([(name, convert) for name, (_, convert) in columns.items()])
        read = _server_side_row_chunks if server_side else row_chunks
        for rows in read(queryset.values_list(*(column for column, _ in columns.values()))):
            yield items(rows)

    def _columns(self) -> dict[str, tuple[str, Converter]] | None:
        """{output name: (values_list() column, converter)}, or None when a field is not a plain column."""
        columns = {}
        for name, field in self.child.fields.items():
            if isinstance(field, serializers.PrimaryKeyRelatedField) and field.source_attrs == [name]:
                columns[name] = (f"{name}_id", _same)
            elif isinstance(field, serializers.DateTimeField):
                columns[name] = (field.source, _iso_datetime(field))
            elif isinstance(field, serializers.DateField):
                columns[name] = (field.source, _iso_date(field))
            elif isinstance(field, serializers.ListField) and isinstance(field.child, self.PLAIN_FIELDS):
                columns[name] = (field.source, _same)  # a JSON list of strings (or numbers), as stored
            elif isinstance(field, self.PLAIN_FIELDS) and "." not in field.source:
                columns[name] = (field.source, _same)
            else:
                return None
        return columns


def row_chunks(queryset: QuerySet) -> Iterator[list]:
    """The queryset's rows, `CHUNK_ROWS` at a time, converted as Django converts them; one query.

    `QuerySet.iterator()` would read through a server-side cursor on PostgreSQL, which stores the
    whole result once more on the server and costs a round trip per chunk (0.37 s against 0.21 s
    for 110,000 skill rows); `list(queryset)` would hold every row as a tuple at once (~100 MB at
    550,000 rows). An ordinary cursor read with fetchmany() keeps the result in the driver's buffer
    and makes Python objects one chunk at a time.
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return
    converters = compiler.get_converters([column for column, _, _ in compiler.select[: compiler.col_count]])
    with compiler.connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield list(compiler.apply_converters(rows, converters)) if converters else rows


def _server_side_row_chunks(queryset: QuerySet) -> Iterator[list]:
    """`row_chunks` through a server-side cursor where the database has one (PostgreSQL).

    libpq holds a whole ordinary result in the worker (about 1 GB for 5.5 million skill rows);
    a named cursor sends `CHUNK_ROWS` rows per FETCH. It lives in a transaction of its own (no
    WITH HOLD, which would copy the whole result on the server first), ended when the answer is
    sent or the client goes away (the generator is closed).
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    if not compiler.connection.features.can_use_chunked_reads or compiler.connection.vendor != "postgresql":
        yield from row_chunks(queryset)
        return
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return
    converters = compiler.get_converters([column for column, _, _ in compiler.select[: compiler.col_count]])
    with transaction.atomic(using=queryset.db), compiler.connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield list(compiler.apply_converters(rows, converters)) if converters else rows


def _items_builder(columns: list[tuple[str, Converter]]) -> Callable[[list], list[dict]]:
    """A function turning rows into item dicts `{name: convert(row[i])}`, compiled for these columns.

    A dict display with the columns written out builds each item in half the time of
    `dict(zip(names, row))` (0.05 s against 0.09 s for 110,000 rows), the largest cost left after
    the database read. Like `collections.namedtuple`, the source is generated from names the code
    declares (serializer fields, written as string literals with repr()), never from input.
    """
    namespace = {}
    values = []
    for index, (name, convert) in enumerate(columns):
        if convert is _same:
            values.append(f"{name!r}: row[{index}]")
        else:
            namespace[f"convert_{index}"] = convert
            values.append(f"{name!r}: convert_{index}(row[{index}])")
    return eval(f"lambda rows: [{{{', '.join(values)}}} for row in rows]", namespace)  # noqa: S307


def _same(value):
    return value


def _iso_datetime(field):
    """DRF's ISO 8601 output (`...Z` for UTC) without its per-value settings lookups."""
    if getattr(field, "format", api_settings.DATETIME_FORMAT) != ISO_8601:
        return field.to_representation
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()

    def convert(value):
        if value is None or zone is None:
            return field.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


def _iso_date(field):
    """DRF's ISO 8601 date (`2026-12-31`), None as null."""
    if getattr(field, "format", api_settings.DATE_FORMAT) != ISO_8601:
        return field.to_representation
    return lambda value: None if value is None else value.isoformat()


class CollectorPause:
    """Python's cycle collector paused while a large answer is built and, with `until_sent`, sent.

    Ranking a million candidates keeps ~430,000 small containers alive at once, which triggers
    collections of the whole heap: about a quarter of the request's CPU time (bench/recommend.py),
    and 0.7 s of a 3 s whole ranking when it was streamed with the collector back on (bench/topk.py).
    The answers create no reference cycles, so reference counting frees all of it; collection
    simply resumes afterwards. If the collector is already paused (another thread's answer), it is
    left as it is.
    """

    def __enter__(self) -> "CollectorPause":
        self.owned = gc.isenabled()
        gc.disable()
        return self

    def until_sent(self, response):
        """`response`; if it is streamed, the collector resumes once its last byte is sent or it is
        closed or dropped (a client gone, an error before the first chunk), not when the view returns."""
        if self.owned and response.streaming:
            self.owned = False
            response.streaming_content = _ResumingAfter(response.streaming_content)
        return response

    def __exit__(self, *exc_info) -> None:
        if self.owned:
            gc.enable()


class _ResumingAfter:
    """The parts of a streamed answer, resuming the cycle collector after the last one, or when
    the answer is closed (Django calls `close()` when the server is done, read or not) or freed."""

    def __init__(self, parts: Iterable[bytes]):
        self._parts, self._paused = iter(parts), True

    def __iter__(self) -> "_ResumingAfter":
        return self

    def __next__(self) -> bytes:
        try:
            return next(self._parts)
        except BaseException:  # the end, or a failure while streaming
            self.close()
            raise

    def close(self) -> None:
        if self._paused:
            self._paused = False
            gc.enable()

    def __del__(self) -> None:
        self.close()


def streamed_array(parts: Iterable[bytes]) -> StreamingHttpResponse:
    """A JSON array sent a part at a time, each part comma-separated encoded items (`dumps(items)[1:-1]`):
    the same bytes as `FastJSONRenderer` would write for the whole list, without ever holding the
    whole answer (hundreds of megabytes at a million)."""

    def sent():
        yield b"["
        first = True
        for part in parts:
            if part:
                if not first:
                    yield b","  # apart: joined, each part would be copied once more
                yield part
                first = False
        yield b"]"

    return StreamingHttpResponse(sent(), content_type="application/json")


class LargeAnswerMixin:
    """For views answering megabytes: FastJSONRenderer, and the answer freed as soon as it is sent.

    DRF leaves every response in reference cycles (`view.response`, and the renderer context that
    holds the view, the request and the response itself), which only Python's cycle collector frees;
    it rarely runs a full collection, so a gunicorn worker kept each 30 MB answer and its parts:
    +57 MB of resident memory per request at 100,000 candidates (measured). Dropping the two
    links once the answer is rendered lets reference counting free it when the server is done.
    """

    renderer_classes = [FastJSONRenderer]

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        self.response = None
        if isinstance(response, SimpleTemplateResponse):
            response.add_post_render_callback(_forget_renderer_context)
        return response


def _forget_renderer_context(response):
    response.renderer_context = None


class WholeListMixin(LargeAnswerMixin):
    """For a `ListAPIView` whose serializer lists with `ValuesListSerializer`: the bare array is
    rendered in chunks (`ValuesListSerializer.rendered`); a `?limit=` page takes DRF's path.

    `stream_whole_list`: the bare array is a streamed answer instead (`ValuesListSerializer.streamed`,
    the same bytes), for a list too big to hold in a worker; it has no Content-Length.
    """

    stream_whole_list = False

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        serializer = self.get_serializer(queryset, many=True)
        if isinstance(serializer, ValuesListSerializer) and serializer.can_render():
            if self.stream_whole_list:
                return StreamingHttpResponse(serializer.streamed(), content_type="application/json")
            return Response(serializer.rendered())
        return Response(serializer.data)
