"""Ranking: candidates for a job and open jobs for a candidate, in a fixed number of queries.

Scores come from helpers.recommend (the formula lives there). Ranking candidates for a job costs
two queries whatever the number of candidates: the job with its skills (`job_for_ranking`), then
the scorer's rows of listed candidates holding a skill the job requires (`scorer_rows`, the one
loader of candidates' skills and availability; the pipeline scores applicants from it too, so a
recruiter sees the same `rate` and explanation for a candidate everywhere). The rest is pure Python.

Each selector returns the rows to page and an `items(shown, encode)` that shapes only the rows
sent (assessment summaries of those rows in one more query), so views just page and render.
"""

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, repeat
from operator import itemgetter
from typing import Any, NamedTuple

import orjson
from django.db.models import Q, QuerySet

from accounts.access import detail_shown_today, within_cap
from accounts.models import UserAccount, listed_candidate
from assessments.selectors import AssessmentSummary, assessment_summaries
from helpers.recommend import (
    MAX_CODED_SKILLS,
    CodedRanking,
    JobMatcher,
    JobRequirements,
    Match,
    RankedCandidate,
    RankedJob,
    rank_jobs,
)
from helpers.renderers import dumps, encoded_value, escape_line_separators, pre_rendered, row_chunks
from jobs.aligned import aligned_row_chunks
from jobs.models import Application, Job, JobSkill, open_now
from jobs.topk import ranking_top

Encode = Callable[[dict], Any]

# Above this many candidates, their assessment results are read for everyone who took the test in
# one grouped query instead of naming each candidate in an `IN` list.
ASSESSMENT_BY_ID_LIMIT = 1000

# With `min_assessment`, a page is ranked among the candidates passing it (`jobs.topk`) when they are
# at most this many; beyond, the whole ranking is filtered (an id list that long costs more to bind).
TOP_AMONG_LIMIT = 20_000

CHUNK_ITEMS = 500
"""Items encoded a part when a whole ranking is streamed (`CandidateRanking.item_parts`): about 300 KB,
which stays in the processor's cache through encoding, gunicorn's chunk framing and the socket's
copy; parts of 5,000 items (3 MB) cost a whole ranking at a million 0.25 s more (bench/topk.py)."""


def as_is(explanation: dict) -> dict:
    return explanation


def _at_least(ranked: list, min_rate: int) -> list:
    """The head of `ranked` (sorted by `rate`, highest first) whose rate is at least `min_rate`."""
    return ranked[: bisect_right(ranked, -min_rate, key=lambda item: -item.rate)]


# --- The one loader of what the scorer reads ------------------------------------------------------


def scorer_rows(candidates: Q, names: Iterable[str] | None = None):
    """(candidate id, skill name, rating, availability type or None, candidate name) per skill of
    the accounts matching `candidates`, ordered by candidate id (the rows `JobMatcher.rank` reads).

    With `names`, only rows of those skills are read (a ranking needs no others); without, a
    candidate without skills still has one row, with name and rating None. One query. Names are
    compared as stored: both skill models store the canonical spelling (helpers.fields).
    """
    accounts = UserAccount.objects.filter(candidates)
    if names is not None:
        accounts = accounts.filter(skills__name__in=names)
    return accounts.order_by("id", "skills__id").values_list(
        "id", "skills__name", "skills__rating", "availabilities__availability_type", "name"
    )


class ScorerInput(NamedTuple):
    skills: dict[str, int]
    """{skill name: rating}, in the order the candidate added them."""
    availability: str | None


def scorer_inputs(candidates: Q) -> dict[int, ScorerInput]:
    """{candidate id: their skills and availability} for the accounts matching `candidates`: one query."""
    inputs: dict[int, ScorerInput] = {}
    for candidate_id, name, rating, availability, _ in scorer_rows(candidates):
        found = inputs.get(candidate_id)
        if found is None:
            found = inputs[candidate_id] = ScorerInput({}, availability)
        if name is not None:
            found.skills[name] = rating
    return inputs


# --- Candidates for a job ------------------------------------------------------------------------


def job_for_ranking(job_id: int, *, viewer: UserAccount | None = None) -> JobRequirements | None:
    """The job and its skills (in id order) in one query, or None if there is no such job.

    With a `viewer`, only a job of theirs is found (portal staff: any job; a recruiter is not portal
    staff), so ownership is decided by the same query that loads the job.
    """
    jobs = Job.objects.filter(pk=job_id)
    if viewer is not None and not viewer.is_portal_staff:
        jobs = jobs.filter(user_id=viewer.pk)
    rows = list(jobs.order_by("skills__id").values_list("hiring_needs", "skills__name", "skills__rating"))
    if not rows:
        return None
    skills = tuple((name, rating) for _, name, rating in rows if name is not None)
    return JobRequirements(job_id, rows[0][0], skills)


def scores_for_candidates(job: JobRequirements, inputs: dict[int, ScorerInput]) -> dict[int, Match]:
    """{candidate id: Match} for the candidates of `inputs`, from the recommendation engine.

    For a candidate the engine ranks (rate above 0) this equals their item of the recommendation list.
    """
    matcher = JobMatcher(job.skills, job.hiring_needs)
    counted = {name for name, _ in job.skills}  # the rows candidate_ranking reads
    return {
        candidate_id: matcher.match(
            {name: rating for name, rating in held.skills.items() if name in counted}, held.availability
        )
        for candidate_id, held in inputs.items()
    }


def assessments_for(ranked: Sequence[RankedCandidate]) -> dict[int, AssessmentSummary]:
    """{candidate id: assessment summary} for the ranked candidates who took the test: one query."""
    if len(ranked) > ASSESSMENT_BY_ID_LIMIT:
        return assessment_summaries()
    return assessment_summaries([candidate.candidate_id for candidate in ranked])


def candidate_items(
    ranked: Iterable[RankedCandidate],
    people: dict[int, str],
    encode: Encode = as_is,
    assessments: dict[int, AssessmentSummary] | None = None,
) -> list[dict]:
    """The SPA's items {id, name, rate, explanation, assessment} as plain dicts (fast to render).

    `encode` may replace each explanation (e.g. by pre-rendered JSON); it is called once per
    distinct explanation, since the matcher shares them between candidates. `assessment` is the
    candidate's entry of `assessments`, None when they have not taken the test.
    """
    found = (assessments or {}).get
    encoded: dict[int, Any] = {}
    items = []
    for candidate_id, rate, explanation in ranked:
        shown = encoded.get(id(explanation))
        if shown is None:
            shown = encoded[id(explanation)] = encode(explanation)
        items.append(
            {
                "id": candidate_id,
                "name": people[candidate_id],
                "rate": rate,
                "explanation": shown,
                "assessment": found(candidate_id),
            }
        )
    return items


class RankedPrefix:
    """The first rows of a ranking whose full length is `count`: what a page of `?limit=&offset=` reads.

    DRF's paginator takes `len()` for the envelope's `count` and slices the page, which lies within
    the prefix (the selector read the first offset + limit).
    """

    def __init__(self, prefix: list, count: int):
        self.prefix, self.count_all = prefix, count

    def __len__(self) -> int:
        return self.count_all

    def __getitem__(self, index: slice) -> list:
        return self.prefix[index]


class CandidateRanking(NamedTuple):
    """Ranked candidates plus each one's name, so a page can be shaped without more queries.

    No contact details: a ranking is of people who have not applied (README, Privacy).
    `assessments` is set when they were all read already (to filter by them).
    """

    ranked: Sequence[RankedCandidate]
    """Best first: a list, or the CodedRanking of a whole ranking."""
    people: dict[int, str]
    assessments: dict[int, AssessmentSummary] | None = None
    detail_shown: set[int] | None = None
    """Whose assessment may be shown (accounts.access.detail_shown_today); None: everyone's."""

    def items(self, shown: Sequence[RankedCandidate], encode: Encode = as_is) -> list[dict]:
        """The items of `shown` (a slice of `ranked`) with their assessments: at most one query."""
        found = self.assessments if self.assessments is not None else assessments_for(shown)
        return candidate_items(shown, self.people, encode, within_cap(found, self.detail_shown))

    def item_parts(self, shown: Sequence[RankedCandidate]) -> Iterator[bytes]:
        """`items(shown)` as JSON, CHUNK_ITEMS items a part (comma-separated, without brackets),
        for `helpers.renderers.streamed_array`: the assessments read once (one query)."""
        found = within_cap(
            self.assessments if self.assessments is not None else assessments_for(shown), self.detail_shown
        )
        if isinstance(shown, CodedRanking):
            yield from _coded_item_parts(shown, self.people, found)
            return
        encoded: dict[int, Any] = {}

        def shared(explanation):  # one encoding per distinct explanation across the parts
            shown_as = encoded.get(id(explanation))
            if shown_as is None:
                shown_as = encoded[id(explanation)] = pre_rendered(explanation)
            return shown_as

        for start in range(0, len(shown), CHUNK_ITEMS):
            yield dumps(candidate_items(shown[start : start + CHUNK_ITEMS], self.people, shared, found))[1:-1]


def _coded_item_parts(
    shown: CodedRanking, people: dict[int, str], assessments: dict[int, AssessmentSummary]
) -> Iterator[bytes]:
    """The parts of `CandidateRanking.item_parts` for a CodedRanking: the same bytes as `candidate_items`
    through `dumps` (tests pin it), joined from each item's encoded values in C, without a dict or
    a RankedCandidate per candidate: 0.3 s less of a whole ranking at a million (bench/topk.py)."""
    tails = {  # the end of an item of each code, up to its assessment
        code: b',"rate":%d,"explanation":%b,"assessment":' % (rate, dumps(explanation))
        for code, (rate, explanation) in shown.matches.items()
        if rate > 0
    }
    name_of = people.__getitem__
    assessment_of = {
        candidate_id: encoded_value(summary) for candidate_id, summary in assessments.items()
    }.get
    for rows in shown.by_rate.values():
        for start in range(0, len(rows), CHUNK_ITEMS):
            chunk = rows[start : start + CHUNK_ITEMS]
            ids = list(map(itemgetter(0), chunk))
            fields = zip(
                repeat(b'{"id":'),
                map(orjson.dumps, ids),  # ints and strings: orjson's own, as in `dumps`
                repeat(b',"name":'),
                map(orjson.dumps, map(name_of, ids)),
                map(tails.__getitem__, map(itemgetter(1), chunk)),
                map(assessment_of, ids, repeat(b"null")),
                repeat(b"},"),
            )
            yield escape_line_separators(b"".join(chain.from_iterable(fields))[:-1])


def candidate_ranking(job: JobRequirements) -> CandidateRanking:
    """Every listed candidate with a score above 0 for `job`, best first: one query.

    The database codes each candidate's ratings in one row (`jobs.aligned`; a job of more than
    MAX_CODED_SKILLS skills reads one row per skill instead), read a chunk at a time: at a million
    candidates holding them all at once as tuples would cost hundreds of megabytes.
    """
    if not job.skills:
        return CandidateRanking([], {})
    people: dict[int, str] = {}
    matcher = JobMatcher(job.skills, job.hiring_needs)
    if len(job.skills) > MAX_CODED_SKILLS:
        chunks = row_chunks(scorer_rows(listed_candidate(), names={name for name, _ in job.skills}))
        return CandidateRanking(matcher.rank(_naming(chunks, people, name_at=4)), people)
    return CandidateRanking(matcher.rank_coded(_naming(aligned_row_chunks(job), people, name_at=2)), people)


def _naming(chunks: Iterable[list], people: dict[int, str], *, name_at: int) -> Iterator:
    """The rows of `chunks`, noting each candidate's name (the row's column `name_at`) in `people`.

    A chunk at a time, in C (`dict.update` over `zip`, `chain`): per row in Python it cost 0.2 s of
    a whole ranking at a million candidates.
    """

    def noted(chunks):
        for chunk in chunks:
            people.update(zip(map(itemgetter(0), chunk), map(itemgetter(name_at), chunk), strict=True))
            yield chunk

    return chain.from_iterable(noted(chunks))


def _top_ranking(job: JobRequirements, top: int, min_rate: int, among) -> CandidateRanking:
    """The first `top` of the ranking and its full length (`jobs.topk`): two queries, not everyone scored."""
    names = {name for name, _ in job.skills}
    found = ranking_top(
        job,
        lambda ids: scorer_rows(listed_candidate() & Q(pk__in=ids), names=names),
        top=top,
        min_rate=min_rate,
        among=among,
    )
    return CandidateRanking(RankedPrefix(found.ranked, found.count), {row[0]: row[4] for row in found.rows})


def candidate_ranking_for_job(
    *,
    job_id: int,
    viewer: UserAccount,
    min_rate: int = 0,
    min_assessment: int | None = None,
    top: int | None = None,
) -> CandidateRanking | None:
    """Listed candidates ranked for the viewer's job (staff: any job), as POST /user/recommend/list.

    Only those scoring at least `min_rate` and, if given, whose assessment percent is at least
    `min_assessment` (who has not taken the test is left out). A ranking is a listing, neither
    recorded nor capped, but once the company has reached its daily cap the assessments of
    candidates it has not read today are withheld, from the items and from `min_assessment`
    (accounts/access.py). Three queries, four with `min_assessment`; `items` of a page adds one.
    With `top` (a page's offset + limit), `ranked` holds only the first `top` of the ranking, and its
    `len()` is the whole ranking's: one query more, and only the candidates who could reach the top
    are scored (`jobs.topk`). None when there is no such job or it is another company's (the caller
    answers 404 for both).
    """
    loaded = job_for_ranking(job_id, viewer=viewer)
    if loaded is None:
        return None
    detail_shown = detail_shown_today(viewer)
    if top is not None and loaded.skills:
        if min_assessment is None:
            return _top_ranking(loaded, top, min_rate, None)._replace(detail_shown=detail_shown)
        assessments = within_cap(assessment_summaries(), detail_shown)
        among = [who for who, summary in assessments.items() if summary["percent"] >= min_assessment]
        if len(among) <= TOP_AMONG_LIMIT:
            ranking = _top_ranking(loaded, top, min_rate, among)
            return ranking._replace(assessments=assessments, detail_shown=detail_shown)
    ranking = candidate_ranking(loaded)._replace(detail_shown=detail_shown)
    ranked = _at_least(ranking.ranked, min_rate)
    if min_assessment is None:
        return ranking._replace(ranked=ranked)
    assessments = within_cap(assessment_summaries(), detail_shown)
    ranked = [
        candidate
        for candidate in ranked
        if (summary := assessments.get(candidate.candidate_id)) is not None
        and summary["percent"] >= min_assessment
    ]
    return CandidateRanking(ranked, ranking.people, assessments, detail_shown)


def job_ranking_with_stages(job_id: int, *, viewer: UserAccount) -> tuple[CandidateRanking, dict[int, str]]:
    """The job's ranking (as POST /user/recommend/list) and {candidate id: stage} of its pipeline.

    For the admin's job page; a recruiter past the daily cap gets no assessments of candidates
    their company has not read today, as in the API. Three queries (the job with its skills, the
    candidates' skill rows, the job's applications), and the company's reads left for a recruiter.
    """
    loaded = job_for_ranking(job_id)
    if loaded is None:
        return CandidateRanking([], {}), {}
    stages = dict(Application.objects.filter(job_id=job_id).values_list("candidate_id", "stage"))
    return candidate_ranking(loaded)._replace(detail_shown=detail_shown_today(viewer)), stages


# --- Jobs for a candidate ------------------------------------------------------------------------


def job_items(
    ranked: Iterable[RankedJob], details: dict[int, tuple[str, str, str]], encode: Encode = as_is
) -> list[dict]:
    """{job, title, name, hiring_needs, rate, explanation} per ranked job.

    `encode` may replace each explanation, as in candidate_items.
    """
    items = []
    for job_id, rate, explanation in ranked:
        title, company, hiring_needs = details[job_id]
        items.append(
            {
                "job": job_id,
                "title": title,
                "name": company,
                "hiring_needs": hiring_needs,
                "rate": rate,
                "explanation": encode(explanation),
            }
        )
    return items


class JobRanking(NamedTuple):
    """Ranked open jobs plus each one's (title, company name, hiring needs)."""

    ranked: list[RankedJob]
    details: dict[int, tuple[str, str, str]]

    def items(self, shown: Iterable[RankedJob], encode: Encode = as_is) -> list[dict]:
        return job_items(shown, self.details, encode)


def candidate_input(user: UserAccount) -> ScorerInput | None:
    """The candidate's own skills and availability, or None when they have no skill: one query."""
    own = scorer_inputs(Q(pk=user.pk)).get(user.pk)
    return own if own is not None and own.skills else None


def open_jobs_sharing(names: Iterable[str], among=None) -> QuerySet:
    """Open jobs requiring one of `names`: only those can score above 0 for a candidate holding them.

    `among` (a Job queryset, e.g. the list filters of jobs.filters.JobFilter) narrows them, inside the
    same query.
    """
    jobs = Job.objects.filter(
        open_now(), pk__in=JobSkill.objects.filter(name__in=set(names)).values("job_id")
    )
    if among is not None:
        jobs = jobs.filter(pk__in=among.order_by().values("pk"))
    return jobs


def scored_jobs(own: ScorerInput, jobs) -> JobRanking:
    """The jobs of `jobs` (a Job queryset or ids) in which the candidate scores above 0, best first,
    with their details: one query reading the jobs whole (every skill counts in the weight)."""
    rows = (
        JobSkill.objects.filter(job__in=jobs)
        .order_by("job_id", "id")
        .values_list("job_id", "job__title", "job__name", "job__hiring_needs", "name", "rating")
    )
    details: dict[int, tuple[str, str, str]] = {}
    required: dict[int, list[tuple[str, int]]] = {}
    for job_id, title, company, hiring_needs, name, rating in rows:
        details[job_id] = (title, company, hiring_needs)
        required.setdefault(job_id, []).append((name, rating))
    found = (JobRequirements(job_id, details[job_id][2], skills) for job_id, skills in required.items())
    return JobRanking(rank_jobs(own.skills, own.availability, found), details)


def job_ranking(user: UserAccount, *, min_rate: int = 0, among=None) -> JobRanking:
    """Open jobs in which `user` scores at least `min_rate` (and above 0), best first: two queries.

    Every open job sharing a skill name with the candidate is read and scored; a page reads fewer
    (jobs.topk_jobs, through jobs.preferences).
    """
    own = candidate_input(user)
    if own is None:
        return JobRanking([], {})
    ranking = scored_jobs(own, open_jobs_sharing(own.skills, among).values("pk"))
    return ranking._replace(ranked=_at_least(ranking.ranked, min_rate))
