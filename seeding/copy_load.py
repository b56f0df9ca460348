"""Bulk loading on PostgreSQL with COPY: ids reserved from the sequence, indexes rebuilt after.

A million developers (about ten million rows over six tables) go in well under two minutes: rows
are streamed to `COPY ... FROM STDIN` one batch at a time from in-memory text buffers, and for a
load bigger than the tables it fills, the secondary indexes, unique and foreign-key constraints are
dropped first and rebuilt once at the end (building a btree from sorted input is several times
cheaper than growing it row by row, and a deferred foreign key queues one trigger event per row).
Everything runs inside the caller's transaction, so a failed or interrupted load leaves the
schema and the data as they were. Primary keys, check constraints and triggers stay in place: the
statement-level triggers bump `profiles.models.CandidateDataVersion` on every COPY, as on any write.
"""

import contextlib
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from io import StringIO
from queue import Full, Queue

from django.db import connection, models
from django.utils import timezone

from helpers.fields import SkillNameField
from helpers.postgresql.base import without_client_deadline

_NEEDS_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in COPY's text format (\\N for NULL, t/f for booleans, special characters escaped)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).translate(_NEEDS_ESCAPE)


def _default_text(field: models.Field, now):
    """A column's default as COPY writes it: `auto_now` fields get the load's time, JSON its text."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return field.get_db_prep_save(now, connection)
    if isinstance(field, models.JSONField):
        return json.dumps(field.get_default())
    return field.get_db_prep_save(field.get_default(), connection)


class CopyTable:
    """COPY of one model's rows: the caller gives some columns, the others get their default.

    Defaults are prepared once per table (`auto_now`/`auto_now_add` fields get the load's time), so a
    row costs one string join. Fields that clean their own values (SkillNameField) still do, so COPY
    obeys the same rules as `save` and as `seeding.synthetic`'s INSERT writer.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        now = timezone.now()
        defaulted = [f for f in fields.values() if f.attname not in columns and not f.primary_key]
        quote = connection.ops.quote_name
        names = [fields[name].column for name in columns] + [f.column for f in defaulted]
        self.table = model._meta.db_table
        self.sql = f"COPY {quote(self.table)} ({', '.join(map(quote, names))}) FROM STDIN"
        defaults = [_default_text(f, now) for f in defaulted]
        self.suffix = "".join("\t" + _copy_text(value) for value in defaults) + "\n"
        self.width = len(names)
        self.cleaners = [
            (i, fields[name].to_python)
            for i, name in enumerate(columns)
            if isinstance(fields[name], SkillNameField)
        ]

    def text(self, rows: Iterable[Sequence]) -> str:
        """`rows` (tuples of str and int, in the columns' order) as COPY text; pure, so a thread may
        build it while the connection copies the previous batch.

        NULLs and booleans belong in defaults: a row value is written with `str`.
        """
        if self.cleaners:
            rows = [self._clean(row) for row in rows]
        rows = list(rows)
        suffix = self.suffix
        text = "".join(["\t".join(map(str, row)) + suffix for row in rows])
        # The fast path holds when no value carries a tab, newline, CR or backslash (the synthetic
        # vocabularies never do); otherwise every value is escaped.
        if (
            "\\" in text
            or "\r" in text
            or text.count("\n") != len(rows)
            or text.count("\t") != len(rows) * (self.width - 1)
        ):
            text = "".join(["\t".join(map(_copy_text, row)) + suffix for row in rows])
        return text

    def copy(self, cursor, text: str) -> None:
        if text:
            cursor.copy_expert(self.sql, StringIO(text), 1 << 20)

    def _clean(self, row: Sequence) -> tuple:
        row = list(row)
        for i, clean in self.cleaners:
            row[i] = clean(row[i])
        return tuple(row)


@contextlib.contextmanager
def bulk_load_session():
    """A cursor for a load inside the caller's transaction: no statement timeout for it (an index
    build over millions of rows takes longer than a request may) and no client-side deadline."""
    with without_client_deadline(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        yield cursor


def ids_reserve(cursor, model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys from the table's sequence, as INSERT would draw them."""
    if not count:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]


def in_background(items: Iterator, depth: int = 2) -> Iterator:
    """Iterate `items` in a thread, at most `depth` ahead: Python builds the next batch while the
    server ingests this one (psycopg2 releases the GIL while it waits for COPY to finish)."""
    queue: Queue = Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def hand_over(entry) -> bool:
        """Put `entry` unless the consumer has stopped (then nobody would ever take it)."""
        while not stop.is_set():
            try:
                queue.put(entry, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce():
        try:
            for item in items:
                if not hand_over((item, None)):
                    return
            hand_over((done, None))
        except BaseException as exc:  # handed to the consumer, which re-raises it
            hand_over((done, exc))

    thread = threading.Thread(target=produce, name="copy-batches", daemon=True)
    thread.start()
    try:
        while True:
            item, error = queue.get()
            if error is not None:
                raise error
            if item is done:
                return
            yield item
    finally:
        stop.set()
        thread.join()


def secondary_indexes_drop(cursor, tables: Sequence[str]) -> list[str]:
    """Drop the tables' unique and foreign-key constraints and non-primary indexes; return the DDL
    that recreates them, in a safe order (indexes and unique constraints, then foreign keys).

    Deferred foreign-key checks already queued in the transaction are run first (PostgreSQL refuses
    to alter a table with pending trigger events); `secondary_indexes_build` defers them again.
    """
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('u', 'f')
        ORDER BY c.contype = 'u', c.conname
        """,
        [list(tables)],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid
          )
        ORDER BY 1
        """,
        [list(tables)],
    )
    indexes = cursor.fetchall()
    quote = connection.ops.quote_name
    for table, name, _, _ in constraints:  # foreign keys first (ORDER BY), then unique constraints
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    unique = [(t, n, d) for t, n, kind, d in constraints if kind == "u"]
    foreign = [(t, n, d) for t, n, kind, d in constraints if kind == "f"]
    return [
        *(definition for _, definition in indexes),
        *(f"ALTER TABLE {t} ADD CONSTRAINT {quote(n)} {d}" for t, n, d in unique + foreign),
    ]


def secondary_indexes_build(cursor, statements: Sequence[str], *, memory: str = "1GB") -> None:
    """Run the DDL `secondary_indexes_drop` returned, with more sort memory for the index builds."""
    cursor.execute(f"SET LOCAL maintenance_work_mem = '{memory}'")
    for statement in statements:
        cursor.execute(statement)
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's constraints are INITIALLY DEFERRED
