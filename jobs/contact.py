"""The one rule for a candidate's contact details (email, phone): which companies may see them.

A company sees them once the candidate applied to one of its jobs themselves (source `applied`)
and has not withdrawn. A candidate a recruiter sourced has not consented until they apply
(README, Privacy). The API's pipeline reads it here; every app's admin reads it through
accounts.recruiters, into which jobs.apps plugs `candidates_sharing_contact_with` at startup.
"""

from django.db.models import Exists, OuterRef

from jobs.models import Application, Source, Stage


def applications_sharing_contact():
    """Applications that share the candidate's contact details with the job's company."""
    return Application.objects.filter(source=Source.APPLIED).exclude(stage=Stage.WITHDRAWN)


def shares_contact(*, candidate: str, company: str) -> Exists:
    """For annotations: has `candidate` (a path to a candidate's id) shared contact details with
    `company` (a path to a company account's id)?"""
    return Exists(
        applications_sharing_contact().filter(
            candidate_id=OuterRef(candidate), job__user_id=OuterRef(company)
        )
    )


def candidates_sharing_contact_with(company_id: int):
    """Ids of the candidates whose email and phone `company_id` may see (a subquery)."""
    return applications_sharing_contact().filter(job__user_id=company_id).values("candidate_id")
