"""Jobs for a candidate with their preferences (issue 23): an adjustment after the engine's score.

helpers.recommend scores skills and availability; its formula and parity are untouched. A job
outside the candidate's preferences (profiles.RoleSalary: `preferred_workplace`,
`preferred_countries`, `min_salary` in `min_salary_currency`) keeps its place in the list but ranks
lower: its rate is multiplied by PREFERENCE_FACTOR for each preference it misses (0.8, 0.64,
0.512), rounded, and its explanation says why:
`"preferences": {"factor": 0.8, "unmet": [{"preference": "workplace", "wanted": "remote", "job": "onsite"}]}`.

A job that does not say misses nothing: no workplace, no country, no salary, or a salary in another
currency (never converted). A remote job meets `preferred_countries` when it accepts applicants
from one of them (jobs.search: its regions, or none named). Without preferences the ranking is the
engine's, explanations unchanged.
"""

from typing import NamedTuple

from helpers.geo import REGIONS, Workplace
from helpers.recommend import RankedJob
from jobs.models import Job, JobSkill, open_now
from jobs.ranking import (
    JobRanking,
    RankedPrefix,
    candidate_input,
    job_ranking,
    open_jobs_sharing,
    scored_jobs,
)
from jobs.topk_jobs import job_bounds, top_jobs
from profiles.models import RoleSalary, UserSkill

PREFERENCE_FACTOR = 0.8


class Preferences(NamedTuple):
    workplace: str
    countries: frozenset[str]
    min_salary: int | None
    currency: str


def preferences_of(user) -> Preferences | None:
    """The candidate's preferences, or None when they set none: one query."""
    row = (
        RoleSalary.objects.filter(user_id=user.pk)
        .values_list("preferred_workplace", "preferred_countries", "min_salary", "min_salary_currency")
        .first()
    )
    if row is None or not (row[0] or row[1] or row[2] is not None):
        return None
    return Preferences(row[0], frozenset(row[1]), row[2], row[3])


def _accepts(remote_regions: list[str], country: str) -> bool:
    return not remote_regions or any(
        code == country or country in REGIONS.get(code, ()) for code in remote_regions
    )


def unmet(preferences: Preferences, terms: tuple) -> list[dict]:
    """The preferences a job misses; `terms` is (workplace, country, remote_regions, salary_min,
    salary_max, salary_currency) as stored."""
    workplace, country, remote_regions, salary_min, salary_max, currency = terms
    misses = []
    if preferences.workplace and workplace and workplace != preferences.workplace:
        misses.append({"preference": "workplace", "wanted": preferences.workplace, "job": workplace})
    if preferences.countries:
        if workplace == Workplace.REMOTE:
            if not any(_accepts(remote_regions, wanted) for wanted in preferences.countries):
                misses.append(
                    {
                        "preference": "countries",
                        "wanted": sorted(preferences.countries),
                        "job": remote_regions,
                    }
                )
        elif country and country not in preferences.countries:
            misses.append(
                {"preference": "countries", "wanted": sorted(preferences.countries), "job": country}
            )
    top = salary_max if salary_max is not None else salary_min
    if preferences.min_salary is not None and top is not None and currency == preferences.currency:
        if top < preferences.min_salary:
            misses.append(
                {
                    "preference": "min_salary",
                    "wanted": f"{preferences.min_salary} {preferences.currency}",
                    "job": f"up to {top} {currency}",
                }
            )
    return misses


TERMS = ("workplace", "country", "remote_regions", "salary_min", "salary_max", "salary_currency")


def preferred_rate(rate: int, misses: list) -> int:
    """The engine's rate adjusted for the preferences a job misses."""
    return round(rate * PREFERENCE_FACTOR ** len(misses))


def adjusted(job: RankedJob, misses: list) -> RankedJob:
    """The job as the candidate's list shows it: its rate adjusted, its explanation saying why."""
    factor = PREFERENCE_FACTOR ** len(misses)
    explanation = {**job.explanation, "preferences": {"factor": round(factor, 3), "unmet": misses}}
    return RankedJob(job.job_id, preferred_rate(job.rate, misses), explanation)


def jobs_for_candidate(user, *, min_rate: int = 0, among=None, top: int | None = None) -> JobRanking:
    """GET /job/recommended: the engine's ranking (jobs.ranking.job_ranking, narrowed to `among`),
    adjusted for the candidate's preferences, best adjusted rate first (the engine's order within
    one rate), at least `min_rate` and above 0. Two queries; four with preferences.

    With `top` (a page's offset + limit), `ranked` holds only the first `top` and its `len()` is the
    whole list's, and only the jobs that could reach them are scored (jobs.topk_jobs): four queries
    (the preferences' terms come with the bounds).
    """
    preferences = preferences_of(user)
    if top is not None:
        return _top_jobs_for_candidate(user, preferences, min_rate=min_rate, among=among, top=top)
    ranking = job_ranking(user, min_rate=0 if preferences else min_rate, among=among)
    if preferences is None or not ranking.ranked:
        return ranking
    shared_skill = JobSkill.objects.filter(name__in=UserSkill.objects.filter(user_id=user.pk).values("name"))
    terms = {
        row[0]: row[1:]
        for row in Job.objects.filter(open_now(), pk__in=shared_skill.values("job_id")).values_list(
            "pk", *TERMS
        )
    }
    shown = [adjusted(job, unmet(preferences, terms[job.job_id])) for job in ranking.ranked]
    shown.sort(key=lambda job: -job.rate)
    return ranking._replace(ranked=[job for job in shown if job.rate >= max(min_rate, 1)])


def _top_jobs_for_candidate(
    user, preferences: Preferences | None, *, min_rate: int, among, top: int
) -> JobRanking:
    """The first `top` of `jobs_for_candidate`'s list and its length, scoring only the jobs that could
    reach them: the preferences' terms are read with the bounds."""
    own = candidate_input(user)
    if own is None:
        return JobRanking([], {})
    jobs = open_jobs_sharing(own.skills, among)
    bounds = job_bounds(own.skills, own.availability, jobs, terms=TERMS if preferences else ())
    misses = {bound.job_id: unmet(preferences, bound.terms) for bound in bounds} if preferences else {}
    found = top_jobs(
        bounds,
        lambda job_ids: scored_jobs(own, job_ids),
        top=top,
        threshold=max(min_rate, 1),
        listed_rate=(lambda job_id, rate: preferred_rate(rate, misses[job_id])) if preferences else None,
    )
    ranked = [adjusted(job, misses[job.job_id]) for job in found.ranked] if preferences else found.ranked
    return JobRanking(RankedPrefix(ranked, found.count), found.details)
