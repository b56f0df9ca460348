"""The jobs app's webhook events: `data` shaped as the company's own API read, handed to webhooks.

Each function runs inside the transaction of the change (jobs.services, the job views), so the
event is in the outbox exactly when the change is committed. Applications appear as an item of
GET /job/<id>/applications for the company (contact details only where the candidate applied,
jobs.contact.shares_contact); jobs as GET /job/<id> returns them.
"""

from accounts.models import UserAccount
from jobs import pipeline
from jobs.models import Application, Job, Stage
from jobs.serializers import JobSerializer
from webhooks.services import event_record

STAGE_EVENTS = {
    Stage.HIRED: "application.hired",
    Stage.REJECTED: "application.rejected",
    Stage.WITHDRAWN: "application.withdrawn",
}


def application_data(application: Application, company: UserAccount) -> dict | None:
    """The application as `company`'s applicant list shows it; None if that list would not show it
    (a deactivated candidate)."""
    applicants = pipeline.job_applicants(
        job_id=application.job_id, viewer=company, application_id=application.pk
    )
    if not applicants or not applicants.rows:
        return None
    return applicants.items(applicants.rows)[0]


def _application_event(application: Application, event_type: str, **extra) -> None:
    """`data` is built only if the company subscribes; nothing is sent for an application its list hides."""

    def data():
        item = application_data(application, UserAccount.objects.get(pk=company_id))
        return None if item is None else {"application": item, **extra}

    company_id = Job.objects.filter(pk=application.job_id).values_list("user_id", flat=True).first()
    event_record(company_id=company_id, event_type=event_type, data=data)


def application_created(application: Application) -> None:
    _application_event(application, "application.created")


def application_stage_changed(application: Application, *, from_stage: str, reason: str = "") -> None:
    """`application.stage_changed` for every move, then hired/rejected/withdrawn where it applies."""
    change = {"from": from_stage, "to": application.stage, "reason": reason}
    _application_event(application, "application.stage_changed", **change)
    if application.stage in STAGE_EVENTS:
        _application_event(application, STAGE_EVENTS[application.stage], **change)


def job_saved(job: Job, *, previous_status: str | None) -> None:
    """`job.created` (no previous status), `job.closed` (it just closed) or `job.updated`."""
    if previous_status is None:
        event_type = "job.created"
    elif job.status == Job.Status.CLOSED and previous_status != Job.Status.CLOSED:
        event_type = "job.closed"
    else:
        event_type = "job.updated"
    event_record(company_id=job.user_id, event_type=event_type, data={"job": JobSerializer(job).data})


def candidate_erased(application_ids: list[int]) -> None:
    """`candidate.erased` to each company that had one of these applications: its ids only.

    For the data-rights erasure (privacy): call it inside the erasure's transaction, with the ids of
    the erased candidate's applications, while the applications still exist (before or after they
    are anonymised, not after a delete).
    """
    by_company: dict[int, list[int]] = {}
    for application_id, company_id in (
        Application.objects.filter(pk__in=application_ids).order_by("id").values_list("id", "job__user_id")
    ):
        by_company.setdefault(company_id, []).append(application_id)
    for company_id, ids in by_company.items():
        event_record(company_id=company_id, event_type="candidate.erased", data={"applications": ids})
