"""Full-text search over jobs: the stored index, how a query matches, and how matches are ranked.

The one home of search (issue 23). A job's document is its title, its skills, its company name
and its description, weighted in that order, stemmed in English (`developers` finds `developer`).

- PostgreSQL: a `jobs_job.search_vector` tsvector column (not a model field: Django never writes
  it), set by a BEFORE trigger on jobs_job and refreshed by statement-level triggers on
  jobs_jobskill (transition tables: one UPDATE per statement, however many skills it wrote),
  with a GIN index. `plainto_tsquery`: every word must match; ranked by `ts_rank`. When no job
  matches, a word-similarity match on the title (pg_trgm, GIN trigram index) forgives a typo
  (`developr` finds `Developer`).
- SQLite: an FTS5 table `jobs_job_fts` (rowid = job id; porter stemmer, diacritics folded) kept in
  sync by row triggers on both tables, joined to the query (`FtsJoin`); every word must match (each
  quoted, so the query language is never exposed); ranked by bm25 with the same weights.

The SQL is created by migration jobs/0006 from `FORWARD`/`BACKWARD` below (0006 imports them: a
change needs a new migration that replaces the objects). A later migration that makes Django
rebuild jobs_job or jobs_jobskill on SQLite drops their triggers: `test_search_and_version_triggers_exist`
catches that.
"""

import re

from django.db import connection
from django.db.models import BooleanField, Count, Expression, FloatField, Q
from django.db.models.sql.constants import INNER

from helpers.filters import MAX_SEARCH_TERMS
from helpers.geo import accepting_codes
from jobs.models import EmploymentType, JobSkill, Seniority, Workplace

# --- The stored index and the data version, per database -------------------------------------------

BUMP = (
    "INSERT INTO jobs_jobdataversion (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = jobs_jobdataversion.version + 1"
)
VERSIONED_TABLES = ("jobs_job", "jobs_jobskill")
_PG_DOCUMENT = """
    CREATE FUNCTION jobs_job_document(title text, name text, description text, skills text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
        SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A')
            || setweight(to_tsvector('english', coalesce(skills, '')), 'B')
            || setweight(to_tsvector('english', coalesce(name, '')), 'C')
            || setweight(to_tsvector('english', coalesce(description, '')), 'D')
    $$
"""
_PG_SKILLS_OF = "(SELECT string_agg(s.name, ' ') FROM jobs_jobskill s WHERE s.job_id = {job})"
_PG_REFRESH = (
    "UPDATE jobs_job j SET search_vector = jobs_job_document(j.title, j.name, j.description, "
    f"{_PG_SKILLS_OF.format(job='j.id')}) WHERE j.id IN ({{changed}});"
)
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE jobs_job ADD COLUMN search_vector tsvector",
    _PG_DOCUMENT,
    f"""
    CREATE FUNCTION jobs_job_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := jobs_job_document(
            NEW.title, NEW.name, NEW.description, {_PG_SKILLS_OF.format(job="NEW.id")});
        RETURN NEW;
    END $$
    """,
    "CREATE TRIGGER jobs_job_search_vector BEFORE INSERT OR UPDATE OF title, name, description "
    "ON jobs_job FOR EACH ROW EXECUTE FUNCTION jobs_job_search_vector()",
    f"""
    CREATE FUNCTION jobs_jobskill_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_PG_REFRESH.format(changed="SELECT job_id FROM new_rows")}
        ELSIF TG_OP = 'DELETE' THEN
            {_PG_REFRESH.format(changed="SELECT job_id FROM old_rows")}
        ELSE
            {_PG_REFRESH.format(changed="SELECT job_id FROM new_rows UNION SELECT job_id FROM old_rows")}
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER jobs_jobskill_search_vector_insert AFTER INSERT ON jobs_jobskill "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_jobskill_search_vector()",
    "CREATE TRIGGER jobs_jobskill_search_vector_update AFTER UPDATE ON jobs_jobskill "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION jobs_jobskill_search_vector()",
    "CREATE TRIGGER jobs_jobskill_search_vector_delete AFTER DELETE ON jobs_jobskill "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_jobskill_search_vector()",
    "UPDATE jobs_job SET title = title",  # fills the column of the jobs already there
    "CREATE INDEX jobs_job_search_vector ON jobs_job USING gin (search_vector)",
    "CREATE INDEX jobs_job_title_trgm ON jobs_job USING gin (title gin_trgm_ops)",
    f"""
    CREATE FUNCTION jobs_bump_job_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN {BUMP}; RETURN NULL; END $$
    """,
    *(
        f"CREATE TRIGGER {table}_job_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION jobs_bump_job_data_version()"
        for table in VERSIONED_TABLES
    ),
]
PG_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {table}_job_data_version ON {table}" for table in VERSIONED_TABLES),
    "DROP FUNCTION IF EXISTS jobs_bump_job_data_version()",
    *(
        f"DROP TRIGGER IF EXISTS jobs_jobskill_search_vector_{event} ON jobs_jobskill"
        for event in ("insert", "update", "delete")
    ),
    "DROP TRIGGER IF EXISTS jobs_job_search_vector ON jobs_job",
    "DROP FUNCTION IF EXISTS jobs_jobskill_search_vector()",
    "DROP FUNCTION IF EXISTS jobs_job_search_vector()",
    "DROP FUNCTION IF EXISTS jobs_job_document(text, text, text, text)",
    "DROP INDEX IF EXISTS jobs_job_title_trgm",
    "ALTER TABLE jobs_job DROP COLUMN IF EXISTS search_vector",
]

_SQLITE_TAGS = "'country' || lower({job}.country)"
"""The FTS5 `tags` column: `countryde`, so `?q=` with `?country=` intersects in the index (bm25 weight 0)."""
_SQLITE_SKILLS_OF = "(SELECT group_concat(name, ' ') FROM jobs_jobskill WHERE job_id = {job})"
_SQLITE_SET_SKILLS = "UPDATE jobs_job_fts SET skills = {skills} WHERE rowid = {job};".format
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE jobs_job_fts USING fts5("
    "title, skills, name, description, tags, tokenize = 'porter unicode61 remove_diacritics 2')",
    "INSERT INTO jobs_job_fts (rowid, title, skills, name, description, tags) "
    f"SELECT id, title, {_SQLITE_SKILLS_OF.format(job='jobs_job.id')}, name, description, "
    f"{_SQLITE_TAGS.format(job='jobs_job')} FROM jobs_job",
    "CREATE TRIGGER jobs_job_fts_insert AFTER INSERT ON jobs_job BEGIN "
    "INSERT INTO jobs_job_fts (rowid, title, skills, name, description, tags) "
    f"VALUES (new.id, new.title, {_SQLITE_SKILLS_OF.format(job='new.id')}, new.name, new.description, "
    f"{_SQLITE_TAGS.format(job='new')}); END",
    "CREATE TRIGGER jobs_job_fts_update AFTER UPDATE OF title, name, description, country ON jobs_job BEGIN "
    "UPDATE jobs_job_fts SET title = new.title, name = new.name, description = new.description, "
    f"tags = {_SQLITE_TAGS.format(job='new')} WHERE rowid = new.id; END",
    "CREATE TRIGGER jobs_job_fts_delete AFTER DELETE ON jobs_job BEGIN "
    "DELETE FROM jobs_job_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER jobs_jobskill_fts_insert AFTER INSERT ON jobs_jobskill BEGIN "
    f"{_SQLITE_SET_SKILLS(skills=_SQLITE_SKILLS_OF.format(job='new.job_id'), job='new.job_id')} END",
    "CREATE TRIGGER jobs_jobskill_fts_update AFTER UPDATE ON jobs_jobskill BEGIN "
    f"{_SQLITE_SET_SKILLS(skills=_SQLITE_SKILLS_OF.format(job='old.job_id'), job='old.job_id')} "
    f"{_SQLITE_SET_SKILLS(skills=_SQLITE_SKILLS_OF.format(job='new.job_id'), job='new.job_id')} END",
    "CREATE TRIGGER jobs_jobskill_fts_delete AFTER DELETE ON jobs_jobskill BEGIN "
    f"{_SQLITE_SET_SKILLS(skills=_SQLITE_SKILLS_OF.format(job='old.job_id'), job='old.job_id')} END",
    *(
        f"CREATE TRIGGER {table}_job_data_version_{event.lower()} AFTER {event} ON {table} "
        f"FOR EACH ROW BEGIN {BUMP}; END"
        for table in VERSIONED_TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
]
SQLITE_BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_job_data_version_{event}"
        for table in VERSIONED_TABLES
        for event in ("insert", "update", "delete")
    ),
    *(
        f"DROP TRIGGER IF EXISTS {table}_fts_{event}"
        for table in VERSIONED_TABLES
        for event in ("insert", "update", "delete")
    ),
    "DROP TABLE IF EXISTS jobs_job_fts",
]
FORWARD = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}
BACKWARD = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}


def schema_run(statements_by_vendor: dict):
    """A RunPython function executing the statements for the migrating database's vendor."""

    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


# --- Matching and ranking -------------------------------------------------------------------------

FTS_TABLE = "jobs_job_fts"
WEIGHTS = (1.0, 0.6, 0.3, 0.1)
"""Title, skills, company name, description: ts_rank's {D, C, B, A} and bm25's per column."""

_WORD = re.compile(r"\w+")


def query_words(text: str) -> list[str]:
    """The words of `?q=` (letters and digits), at most MAX_SEARCH_TERMS; punctuation separates."""
    return _WORD.findall(text)[:MAX_SEARCH_TERMS]


class OnJobTable(Expression):
    """SQL on the job table of the query it ends up in (`{job}` is its alias, `U0` in a subquery)."""

    def __init__(self, sql: str, params: list, output_field):
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, params

    def as_sql(self, compiler, connection):
        job = compiler.quote_name_unless_alias(compiler.query.base_table)
        return self.sql.format(job=job), self.params


def _pg_words(words: list[str]) -> str:
    return " ".join(words)


def _fts5_query(words: list[str]) -> str:
    """Every word, quoted: FTS5's operators (`NEAR`, `-`, `*`, `:`) are never read from input."""
    return " ".join('"{}"'.format(word.replace('"', '""')) for word in words)


def matches(words: list[str]) -> OnJobTable:
    """PostgreSQL: a condition, the job's document holds every word (stemmed)."""
    sql = "{job}.search_vector @@ plainto_tsquery('english', %s)"
    return OnJobTable(sql, [_pg_words(words)], BooleanField())


class FtsJoin:
    """SQLite: `INNER JOIN jobs_job_fts ON rowid = job id AND MATCH <every word>`, as a join of the
    query (an alias_map entry), so Django relabels it like any join when the query becomes a
    subquery. Joining lets SQLite read the matches from the index once and rank them with bm25;
    a correlated subquery ranking row by row was 5-10x slower (bench/job_search.py)."""

    table_name = FTS_TABLE
    nullable = False
    filtered_relation = None
    join_field = None

    def __init__(self, parent_alias: str, fts_query: str, table_alias=None, join_type=INNER):
        self.parent_alias, self.fts_query = parent_alias, fts_query
        self.table_alias, self.join_type = table_alias, join_type

    def as_sql(self, compiler, connection):
        job, fts = compiler.quote_name_unless_alias(self.parent_alias), self.table_alias
        alias = "" if fts == FTS_TABLE else f" {fts}"
        on = f"{job}.id = {fts}.rowid AND {fts}.{FTS_TABLE} MATCH %s"
        return f"INNER JOIN {FTS_TABLE}{alias} ON ({on})", [self.fts_query]

    def relabeled_clone(self, change_map):
        return FtsJoin(
            change_map.get(self.parent_alias, self.parent_alias),
            self.fts_query,
            change_map.get(self.table_alias, self.table_alias),
            self.join_type,
        )

    @property
    def identity(self):
        return (FtsJoin, self.parent_alias, self.fts_query)

    def __eq__(self, other):
        return isinstance(other, FtsJoin) and self.identity == other.identity

    def __hash__(self):
        return hash(self.identity)

    def demote(self):
        return self.relabeled_clone({})

    promote = demote  # an inner join stays one: a job without a match is not a match


def _fts_alias(query) -> str:
    return next(alias for alias, join in query.alias_map.items() if join.table_name == FTS_TABLE)


class Bm25(Expression):
    """SQLite: the job's bm25 score on the query's FtsJoin (lower is better)."""

    output_field = FloatField()

    def as_sql(self, compiler, connection):
        weights = ", ".join(str(weight) for weight in (*WEIGHTS, 0.0))  # tags: no weight
        return f"bm25({_fts_alias(compiler.query)}.{FTS_TABLE}, {weights})", []


def resembles(words: list[str]) -> OnJobTable:
    """PostgreSQL: the title holds a word like the query (pg_trgm `<%`): a typo's fallback."""
    return OnJobTable("%s <%% {job}.title", [_pg_words(words)], BooleanField())


def searched(queryset, text: str, *, country: str = ""):
    """Jobs of `queryset` matching `?q=`: every word, stemmed. A `q` without words filters nothing.

    On PostgreSQL, when no job at all matches the words (one more indexed query), jobs whose title
    holds a similar word instead: a typo's fallback.
    """
    words = query_words(text)
    if not words:
        return queryset
    if connection.vendor == "sqlite":
        # With `country` (also filtered as a column by the caller), FTS5 intersects its token too,
        # so only that country's matches are read and ranked: 3x faster at 100,000 jobs.
        tags = [f"country{country.lower()}"] if country else []
        joined = queryset.all()
        joined.query.join(FtsJoin(joined.query.get_initial_alias(), _fts5_query([*words, *tags])))
        return joined
    if not queryset.model.objects.filter(matches(words)).exists():
        return queryset.filter(resembles(words))
    return queryset.filter(matches(words))


def relevance(words: list[str]) -> tuple[Expression, bool]:
    """(score expression, whether higher is better) for ordering matches of `words`."""
    if connection.vendor == "sqlite":
        return Bm25(), False
    # ts_rank, not ts_rank_cd: 2.5x cheaper on 6,000 matches (bench/job_search.py), same weights.
    sql = "ts_rank(%s::float4[], {job}.search_vector, plainto_tsquery('english', %s))"
    return OnJobTable(sql, [list(reversed(WEIGHTS)), _pg_words(words)], FloatField()), True


def by_relevance(queryset, text: str):
    """`queryset` best match first for `?q=`, then newest (ties broken by id, for stable pages)."""
    words = query_words(text)
    if not words:
        return queryset
    score, higher_first = relevance(words)
    ordered = score.desc() if higher_first else score.asc()
    return queryset.order_by(ordered, "-created_at", "-id")


def accepts_applicants_from(country: str):
    """A condition: a remote job that accepts applicants living in `country`.

    It names the country, or a region holding it (helpers.geo.accepting_codes), or nothing at all
    (a remote job naming no region accepts applicants from anywhere).
    """
    codes = accepting_codes(country)
    if connection.vendor == "postgresql":
        sql = "({job}.remote_regions = '[]'::jsonb OR {job}.remote_regions ?| %s)"
        return Q(workplace="remote") & OnJobTable(sql, [codes], BooleanField())
    placeholders = ", ".join(["%s"] * len(codes))
    sql = (
        "(json_array_length({job}.remote_regions) = 0 OR EXISTS "
        f"(SELECT 1 FROM json_each({{job}}.remote_regions) WHERE value IN ({placeholders})))"
    )
    return Q(workplace="remote") & OnJobTable(sql, codes, BooleanField())


# --- Facets -----------------------------------------------------------------------------------------

FACET_SKILLS = 20
"""Skills named in GET /job/facets: the most required among the filtered jobs."""


def facets(jobs) -> dict:
    """Counts per workplace, employment type, seniority (every choice, zeros too), per country and
    for the top skills, among `jobs` (already filtered): three queries whatever the number of jobs."""
    fields = {"workplace": Workplace, "employment_type": EmploymentType, "seniority": Seniority}
    jobs = jobs.order_by()
    counts = jobs.aggregate(
        total=Count("pk"),
        **{
            f"{field}__{value}": Count("pk", filter=Q(**{field: value}))
            for field, choices in fields.items()
            for value in choices.values
        },
    )
    countries = (
        jobs.exclude(country="").values_list("country").annotate(n=Count("pk")).order_by("-n", "country")
    )
    skills = (
        JobSkill.objects.filter(job__in=jobs.values("pk"))
        .values_list("name")
        .annotate(n=Count("pk"))
        .order_by("-n", "name")[:FACET_SKILLS]
    )
    return {
        "total": counts["total"],
        **{
            field: {value: counts[f"{field}__{value}"] for value in choices.values}
            for field, choices in fields.items()
        },
        "country": dict(countries),
        "skills": [{"name": name, "count": n} for name, n in skills],
    }


def index_compact() -> None:
    """SQLite: rewrite the FTS5 index into one segment, so the words of deleted or edited jobs are
    gone from its storage (FTS5 keeps them in older segments until a merge; SQLite 3.40 has no
    `secure-delete`). Called when an account is erased or deleted (privacy.services). PostgreSQL
    keeps no copy outside the row, so nothing to do there."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
