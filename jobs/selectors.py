"""Reads of the jobs app: recommendations and the hiring pipeline, in a fixed number of queries.

The pipeline's applicants are scored by the same JobMatcher (helpers.recommend) over the same job
data (job_for_ranking) as POST /user/recommend/list, so a recruiter sees the same `rate` and
explanation for a candidate in both places.

Ranking candidates for a job costs two queries whatever the number of candidates: the job with its
skills, then the skill rows of active developers whose skill names the job requires, joined with
their account and availability. Everything else is pure Python in helpers.recommend.
"""

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, NamedTuple

from django.db.models import Exists, F, OuterRef, Q

from accounts.models import UserAccount, active_candidate, listed_candidate
from assessments.selectors import AssessmentSummary, assessment_summaries
from helpers.recommend import JobMatcher, JobRequirements, Match, RankedCandidate, RankedJob, rank_jobs
from jobs.models import Application, ApplicationEvent, Job, JobSkill, Source, Stage
from profiles.models import UserSkill

Encode = Callable[[dict], Any]


@contextmanager
def cycle_collector_paused():
    """Pause Python's cycle collector while a large ranking is built.

    Ranking 100,000 candidates keeps ~100,000 small containers alive at once, which triggers full
    collections of the whole heap: about a quarter of the request's CPU time (measured with
    bench/recommend.py). The ranking creates no reference cycles, so reference counting frees all of
    it; collection simply resumes afterwards. If the collector is already paused (another thread is
    ranking), it is left as it is.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _as_is(explanation: dict) -> dict:
    return explanation


class JobForRanking(NamedTuple):
    requirements: JobRequirements
    owner_id: int


class CandidateRanking(NamedTuple):
    """Ranked candidates plus each one's name, so a page can be shaped without more queries.

    No contact details: a ranking is of people who have not applied (README, Privacy).
    """

    ranked: list[RankedCandidate]
    people: dict[int, str]


def job_for_ranking(job_id: int, *, viewer: UserAccount | None = None) -> JobForRanking | None:
    """The job and its skills (in id order) in one query, or None if there is no such job.

    With a `viewer`, only a job of theirs is found (portal staff: any job; a recruiter is not portal
    staff), so ownership is decided by the same query that loads the job.
    """
    jobs = Job.objects.filter(pk=job_id)
    if viewer is not None and not viewer.is_portal_staff:
        jobs = jobs.filter(user_id=viewer.pk)
    rows = list(
        jobs.order_by("skills__id").values_list("user_id", "hiring_needs", "skills__name", "skills__rating")
    )
    if not rows:
        return None
    owner_id, hiring_needs = rows[0][:2]
    skills = tuple((name, rating) for _, _, name, rating in rows if name is not None)
    return JobForRanking(JobRequirements(job_id, hiring_needs, skills), owner_id)


def candidate_ranking(job: JobRequirements) -> CandidateRanking:
    """Every listed candidate with a score above 0 for `job`, best first: one query.

    Only rows of the skills the job requires are read, by their stored names: both skill models
    store the canonical spelling (helpers.fields.SkillNameField), so names compare exactly.
    """
    if not job.skills:
        return CandidateRanking([], {})
    names = {name for name, _ in job.skills}
    rows = list(
        UserSkill.objects.filter(listed_candidate("user__"), name__in=names)
        .order_by("user_id")
        .values_list(
            "user_id",
            "name",
            "rating",
            "user__availabilities__availability_type",
            "user__name",
        )
    )
    ranked = JobMatcher(job.skills, job.hiring_needs).rank(rows)
    people = {row[0]: row[4] for row in rows}
    return CandidateRanking(ranked, people)


def candidate_ranking_for_job(*, job_id: int, viewer: UserAccount) -> CandidateRanking | None:
    """Listed candidates ranked for the viewer's job (staff: any job): two queries.

    None when there is no such job or it is another company's (the caller answers 404 for both).
    """
    loaded = job_for_ranking(job_id, viewer=viewer)
    if loaded is None:
        return None
    return candidate_ranking(loaded.requirements)


# Above this many candidates, their assessment results are read for everyone who took the test in
# one grouped query instead of naming each candidate in an `IN` list.
ASSESSMENT_BY_ID_LIMIT = 1000


def assessments_for(ranked: Sequence[RankedCandidate]) -> dict[int, AssessmentSummary]:
    """{candidate id: assessment summary} for the ranked candidates who took the test: one query."""
    if len(ranked) > ASSESSMENT_BY_ID_LIMIT:
        return assessment_summaries()
    return assessment_summaries([candidate.candidate_id for candidate in ranked])


def with_min_assessment(
    ranked: list[RankedCandidate], min_percent: int, assessments: dict[int, AssessmentSummary]
) -> list[RankedCandidate]:
    """The ranked candidates whose assessment percent is at least `min_percent`, in the same order.

    Candidates who have not taken the test are left out.
    """
    return [
        candidate
        for candidate in ranked
        if (summary := assessments.get(candidate.candidate_id)) is not None
        and summary["percent"] >= min_percent
    ]


def candidate_items(
    ranked: Iterable[RankedCandidate],
    people: dict[int, str],
    encode: Encode = _as_is,
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


class JobRanking(NamedTuple):
    """Ranked open jobs plus each one's (title, company name, hiring needs)."""

    ranked: list[RankedJob]
    details: dict[int, tuple[str, str, str]]


def job_ranking(user: UserAccount) -> JobRanking:
    """Open jobs in which `user` scores above 0, best first: two queries.

    Only open jobs sharing at least one skill name with the candidate can score above 0, so only
    those are read (with all their skills, since every skill counts in the weight).
    """
    own = list(
        UserAccount.objects.filter(pk=user.pk).values_list(
            "skills__name", "skills__rating", "availabilities__availability_type"
        )
    )
    skills = {name: rating for name, rating, _ in own if name is not None}
    if not skills:
        return JobRanking([], {})
    availability = own[0][2]
    names = set(skills)
    rows = (
        JobSkill.objects.filter(
            job__status=Job.Status.OPEN,
            job__in=JobSkill.objects.filter(name__in=names).values("job_id"),
        )
        .order_by("job_id", "id")
        .values_list("job_id", "job__title", "job__name", "job__hiring_needs", "name", "rating")
    )
    details: dict[int, tuple[str, str, str]] = {}
    required: dict[int, list[tuple[str, int]]] = {}
    for job_id, title, company, hiring_needs, name, rating in rows:
        details[job_id] = (title, company, hiring_needs)
        required.setdefault(job_id, []).append((name, rating))
    jobs = (JobRequirements(job_id, details[job_id][2], skills) for job_id, skills in required.items())
    return JobRanking(rank_jobs(skills, availability, jobs), details)


def job_items(
    ranked: Iterable[RankedJob], details: dict[int, tuple[str, str, str]], encode: Encode = _as_is
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


# --- The hiring pipeline ------------------------------------------------------------------------

ACTIVE_CANDIDATE = active_candidate("candidate__")
APPLICANT_ORDERINGS = ("-rate", "rate", "created_at", "-created_at", "updated_at")


def applications_of_active_candidates():
    """Applications whose candidate is an active developer: a deactivated candidate's disappear.

    Whether the candidate is searchable does not matter: companies they applied to still see them.
    """
    return Application.objects.filter(ACTIVE_CANDIDATE)


def shares_contact(*, candidate: str, company: str) -> Exists:
    """The one rule for contact details: has the candidate applied to one of the company's jobs?

    True where `candidate` (a path to a candidate's id) has an application with source `applied`,
    not withdrawn, to a job of `company` (a path to a company account's id). A candidate a recruiter
    sourced has not consented until they apply themselves (README, Privacy).
    """
    return Exists(
        Application.objects.filter(
            candidate_id=OuterRef(candidate), job__user_id=OuterRef(company), source=Source.APPLIED
        ).exclude(stage=Stage.WITHDRAWN)
    )


def candidates_sharing_contact_with(company_id: int):
    """Ids of the candidates whose email and phone `company_id` may see (see `shares_contact`)."""
    return (
        Application.objects.filter(job__user_id=company_id, source=Source.APPLIED)
        .exclude(stage=Stage.WITHDRAWN)
        .values("candidate_id")
    )


def contact_shared_with(company_id: int, *, candidate: str) -> Exists:
    """`shares_contact` for one known company: `candidate` (a path to a candidate's id) applied to it."""
    return Exists(candidates_sharing_contact_with(company_id).filter(candidate_id=OuterRef(candidate)))


def candidate_seen_by_company(company_id: int, via: str = "") -> Q:
    """The candidates a company's recruiter may look at in the admin: listed ones, and those who
    applied to the company (even if they are not searchable). `via` as in `listed_candidate`."""
    return listed_candidate(via) | (
        active_candidate(via) & Q(**{f"{via}pk__in": candidates_sharing_contact_with(company_id)})
    )


def applications_managed_by(user):
    """Applications a company (or a recruiter acting for it) may move: those of its own jobs.

    Portal staff manage every job's applications.
    """
    applications = applications_of_active_candidates()
    if user.is_portal_staff:
        return applications
    return applications.filter(job__user_id=user.pk)


def applications_readable_by(user):
    """An application's history is for the candidate who applied and whoever manages the job."""
    applications = applications_of_active_candidates()
    if user.is_portal_staff:
        return applications
    return applications.filter(Q(job__user_id=user.pk) | Q(candidate_id=user.pk))


def events_of(application: Application):
    return ApplicationEvent.objects.filter(application=application).order_by("created_at", "id")


class Applicant(NamedTuple):
    """One application with its candidate, scored for the job like POST /user/recommend/list."""

    application_id: int
    stage: str
    source: str
    created_at: object
    updated_at: object
    candidate_id: int
    name: str
    email: str | None
    """None unless the candidate shared their contact details with the company (`shares_contact`)."""
    phone: str | None
    skills: list[tuple[str, int]]
    rate: int
    explanation: dict


def scores_for_candidates(job: JobForRanking, skills: dict[int, dict[str, int]], availability: dict) -> dict:
    """{candidate id: Match} for the given candidates, from the recommendation engine.

    `skills` is {candidate id: {skill name: rating}} and `availability` {candidate id: type or None}.
    For a candidate the engine ranks (rate above 0) this equals their item of the recommendation list.
    """
    matcher = JobMatcher(job.requirements.skills, job.requirements.hiring_needs)
    counted = {name for name, _ in job.requirements.skills}  # the rows candidate_ranking reads
    return {
        candidate_id: matcher.match(
            {name: rating for name, rating in skills.get(candidate_id, {}).items() if name in counted},
            availability[candidate_id],
        )
        for candidate_id in availability
    }


def job_applicants(
    job: JobForRanking, *, stage: str | None = None, ordering: str = "-rate", all_contacts: bool = False
) -> list[Applicant]:
    """The job's applicants (active candidates), scored and sorted: two queries whatever their number.

    One query reads the applications with their candidate, availability, profile phone and whether
    the candidate shared their contact details with the job's company; one the candidates' skills;
    scoring is pure Python. Ties keep application id order. `all_contacts` (portal staff) shows every
    email and phone.
    """
    applications = applications_of_active_candidates().filter(job_id=job.requirements.job_id)
    if stage:
        applications = applications.filter(stage=stage)
    rows = list(
        applications.order_by("id").values_list(
            "id",
            "stage",
            "source",
            "created_at",
            "updated_at",
            "candidate_id",
            "candidate__name",
            "candidate__email",
            F("candidate__profiles__phone"),
            F("candidate__availabilities__availability_type"),
            shares_contact(candidate="candidate_id", company="job__user_id"),
        )
    )
    if not rows:
        return []
    skills: dict[int, list[tuple[str, int]]] = defaultdict(list)
    skill_rows = (
        UserSkill.objects.filter(user_id__in=applications.values("candidate_id"))
        .order_by("user_id", "id")
        .values_list("user_id", "name", "rating")
    )
    for user_id, name, rating in skill_rows:
        skills[user_id].append((name, rating))
    scores: dict[int, Match] = scores_for_candidates(
        job, {user_id: dict(held) for user_id, held in skills.items()}, {row[5]: row[9] for row in rows}
    )
    applicants = [
        Applicant(
            *row[:7],
            *(row[7:9] if all_contacts or row[10] else (None, None)),
            skills.get(row[5], []),
            *scores[row[5]],
        )
        for row in rows
    ]
    key, descending = ordering.lstrip("-"), ordering.startswith("-")
    applicants.sort(key=lambda applicant: applicant.application_id)
    applicants.sort(key=itemgetter(Applicant._fields.index(key)), reverse=descending)
    return applicants


def scores_of_applications(applications) -> dict[int, Match]:
    """{application id: Match} for application instances (with `job` loaded) of any jobs: two queries.

    For admin pages and exports, which show a page of applications across jobs: one query for the
    jobs' skills, one for the candidates' skills and availability, then the engine per job.
    """
    applications = list(applications)
    if not applications:
        return {}
    required: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for job_id, name, rating in (
        JobSkill.objects.filter(job_id__in={a.job_id for a in applications})
        .order_by("job_id", "id")
        .values_list("job_id", "name", "rating")
    ):
        required[job_id].append((name, rating))
    skills: dict[int, dict[str, int]] = defaultdict(dict)
    availability: dict[int, str | None] = {}
    for user_id, available, name, rating in UserAccount.objects.filter(
        pk__in={a.candidate_id for a in applications}
    ).values_list("id", "availabilities__availability_type", "skills__name", "skills__rating"):
        availability[user_id] = available
        if name is not None:
            skills[user_id][name] = rating
    by_job: dict[int, list[Application]] = defaultdict(list)
    for application in applications:
        by_job[application.job_id].append(application)
    scores = {}
    for job_id, of_job in by_job.items():
        job = of_job[0].job
        requirements = JobRequirements(job_id, job.hiring_needs, required[job_id])
        matches = scores_for_candidates(
            JobForRanking(requirements, job.user_id),
            skills,
            {application.candidate_id: availability.get(application.candidate_id) for application in of_job},
        )
        scores.update({application.pk: matches[application.candidate_id] for application in of_job})
    return scores


class JobRankingWithStages(NamedTuple):
    """A job's ranked candidates (as POST /user/recommend/list) and the stages of those in its pipeline."""

    ranked: list[RankedCandidate]
    people: dict[int, tuple[str, str]]
    stages: dict[int, str]


def job_ranking_with_stages(job_id: int) -> JobRankingWithStages:
    """Three queries: the job with its skills, the candidates' skill rows, the job's applications."""
    loaded = job_for_ranking(job_id)
    if loaded is None:
        return JobRankingWithStages([], {}, {})
    ranking = candidate_ranking(loaded.requirements)
    stages = dict(Application.objects.filter(job_id=job_id).values_list("candidate_id", "stage"))
    return JobRankingWithStages(ranking.ranked, ranking.people, stages)


def ranked_rows(ranking: JobRankingWithStages, shown: list[RankedCandidate]) -> list[dict]:
    """The recommendation items of `shown` (a slice of the ranking), with assessments: one query."""
    return candidate_items(shown, ranking.people, assessments=assessments_for(shown))


def skills_of_candidates(candidate_ids) -> dict[int, list[tuple[str, int]]]:
    """{candidate id: [(skill, rating), ...]} in one query."""
    skills: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for user_id, name, rating in (
        UserSkill.objects.filter(user_id__in=candidate_ids)
        .order_by("user_id", "id")
        .values_list("user_id", "name", "rating")
    ):
        skills[user_id].append((name, rating))
    return skills


def applicant_assessments(job: JobForRanking, shown: list[Applicant]) -> dict[int, AssessmentSummary]:
    """Assessment summaries of the shown applicants: one query (a subquery for long lists)."""
    if len(shown) <= ASSESSMENT_BY_ID_LIMIT:
        return assessment_summaries([applicant.candidate_id for applicant in shown])
    applicants = applications_of_active_candidates().filter(job_id=job.requirements.job_id)
    return assessment_summaries(applicants.values("candidate_id"))
