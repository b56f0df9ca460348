"""The hiring pipeline's writes: applying, sourcing, moving through stages, withdrawing.

Every change of an application writes its ApplicationEvent in the same transaction, and the
candidate's email (interview, offer, hired, rejected) leaves only after that transaction commits.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from accounts.mail import Message, email_enqueue
from accounts.models import UserAccount
from jobs import webhook_events
from jobs.models import OPEN_STAGES, Application, ApplicationEvent, Job, Stage, company_moves

ALREADY_APPLIED = "This candidate already has an application for this job."
EMAILED_STAGES = (Stage.INTERVIEW, Stage.OFFER, Stage.HIRED, Stage.REJECTED)


@transaction.atomic
@transaction.atomic
def application_create(
    *, candidate, job: Job, actor, source: str, stage: str, cover_note: str = ""
) -> Application:
    """A new application with its creation event. A second one for the same candidate and job is a
    ValidationError on `job`; the unique constraint decides when two requests race."""
    if Application.objects.filter(candidate=candidate, job=job).exists():
        raise ValidationError({"job": [ALREADY_APPLIED]})
    try:
        with transaction.atomic():
            application = Application.objects.create(
                candidate=candidate, job=job, source=source, stage=stage, cover_note=cover_note
            )
    except IntegrityError as exc:
        raise ValidationError({"job": [ALREADY_APPLIED]}) from exc
    ApplicationEvent.objects.create(application=application, actor=actor, from_stage="", to_stage=stage)
    webhook_events.application_created(application)
    return application


@transaction.atomic
def application_apply(*, candidate, job: Job, cover_note: str = "") -> Application:
    """The candidate applies to an open job (the view has already checked that it is open).

    A candidate a recruiter sourced for this job, still in an open stage, applies by consenting: the
    application becomes `applied` (so the company now sees their contact details, README Privacy),
    keeps its stage, takes the cover note, and its history records the candidate's act.
    """
    sourced = (
        Application.objects.select_for_update()
        .filter(candidate=candidate, job=job, source=Application.Source.SOURCED, stage__in=OPEN_STAGES)
        .first()
    )
    if sourced is not None:
        sourced.source = Application.Source.APPLIED
        sourced.cover_note = cover_note
        sourced.save(update_fields=["source", "cover_note", "updated_at"])
        ApplicationEvent.objects.create(
            application=sourced,
            actor=candidate,
            from_stage=sourced.stage,
            to_stage=sourced.stage,
            note="The candidate applied to the job they had been sourced for.",
        )
        webhook_events.application_created(sourced)
        return sourced
    return application_create(
        candidate=candidate,
        job=job,
        actor=candidate,
        source=Application.Source.APPLIED,
        stage=Stage.APPLIED,
        cover_note=cover_note,
    )


def application_source(*, candidate, job: Job, actor) -> Application:
    """A recruiter adds a recommended candidate to the job's pipeline, straight into screening."""
    return application_create(
        candidate=candidate, job=job, actor=actor, source=Application.Source.SOURCED, stage=Stage.SCREENING
    )


def _locked(application: Application) -> Application:
    """The row again, locked until the transaction ends, so two moves cannot both start from one stage."""
    return Application.objects.select_for_update().get(pk=application.pk)


def _record(application: Application, *, actor, to_stage: str, reason: str = "", note: str = "") -> None:
    from_stage = application.stage
    application.stage = to_stage
    application.save(update_fields=["stage", "updated_at"])
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_stage=from_stage,
        to_stage=to_stage,
        reason=reason,
        note=note,
    )
    webhook_events.application_stage_changed(application, from_stage=from_stage, reason=reason)
    if to_stage in EMAILED_STAGES and settings.APPLICATION_EMAILS:
        stage_email_enqueue(application)


@transaction.atomic
def application_move(
    *, application: Application, actor, stage: str, reason: str = "", note: str = ""
) -> Application:
    """The company moves an application (see jobs.models.company_moves for the allowed moves).

    A forbidden move is a ValidationError on `stage` listing the allowed stages; a rejection needs
    a `reason`. A reason is kept only with a rejection.
    """
    application = _locked(application)
    allowed = company_moves(application.stage)
    if stage not in allowed:
        listed = ", ".join(allowed) if allowed else "none (the application is closed)"
        raise ValidationError(
            {"stage": [f"Cannot move from {application.stage} to {stage}. Allowed stages: {listed}."]}
        )
    if stage == Stage.REJECTED and not reason:
        raise ValidationError({"reason": ["A rejection needs a reason."]})
    _record(
        application, actor=actor, to_stage=stage, reason=reason if stage == Stage.REJECTED else "", note=note
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, candidate) -> Application:
    """The candidate withdraws an open application; `withdrawn` is final."""
    application = _locked(application)
    if application.stage not in OPEN_STAGES:
        raise ValidationError({"stage": [f"An application in {application.stage} cannot be withdrawn."]})
    _record(application, actor=candidate, to_stage=Stage.WITHDRAWN)
    return application


def stage_email_enqueue(application: Application) -> None:
    """Tell the candidate where their application stands (templates under jobs/templates/jobs/emails).

    Rendered now; accounts.mail sends it after the transaction commits (by a Celery worker when
    CELERY_BROKER_URL is set), with retries, and keeps it as a failed email if SMTP never takes it.
    """
    context = {
        "candidate": application.candidate,
        "job": application.job,
        "stage": application.stage,
        "site_name": settings.SITE_NAME,
        "frontend_url": settings.FRONTEND_URL,
    }
    subject = render_to_string("jobs/emails/application_stage_subject.txt", context).strip()
    body = render_to_string("jobs/emails/application_stage.txt", context)
    email_enqueue(
        Message(
            subject=subject,
            body=body,
            html="",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[application.candidate.email],
        )
    )


# --- Recruiters ---------------------------------------------------------------------------------

RECRUITERS_GROUP = "Recruiters"
RECRUITER_PERMISSIONS = [
    *(f"jobs.{action}_job" for action in ("view", "add", "change", "delete")),
    *(f"jobs.{action}_jobskill" for action in ("view", "add", "change", "delete")),
    "jobs.view_application",
    "jobs.add_application",
    "jobs.change_application",
    "jobs.view_applicationevent",
    "accounts.view_useraccount",
    *(
        f"profiles.view_{model}"
        for model in ("profile", "experience", "availability", "rolesalary", "education", "userskill")
    ),
    "assessments.view_useranswer",
    *(f"webhooks.{action}_endpoint" for action in ("view", "add", "change", "delete")),
    "webhooks.view_delivery",
    "webhooks.view_attempt",
]


class RecruiterRefused(Exception):
    """The account cannot become this company's recruiter; the message says why. Nothing was written."""


def recruiters_group() -> Group:
    """The `Recruiters` group with exactly the permissions recruiters need (created or corrected)."""
    group, _ = Group.objects.get_or_create(name=RECRUITERS_GROUP)
    wanted = []
    for dotted in RECRUITER_PERMISSIONS:
        app_label, codename = dotted.split(".")
        wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    if set(group.permissions.all()) != set(wanted):
        group.permissions.set(wanted)
    return group


@transaction.atomic
def recruiter_add(*, email: str, company_email: str, password: str | None) -> tuple[UserAccount, bool]:
    """Create (or upgrade) a staff login in `Recruiters` that acts for the company; (account, created).

    Giving the company's own email makes the company account its own recruiter. An existing
    account keeps its password; a new one needs `password`, which must pass the validators. A
    developer, a superuser or another company's recruiter is refused. Running it again changes nothing.
    """
    company = UserAccount.objects.filter(email=UserAccount.objects.normalize_email(company_email)).first()
    if company is None or not company.is_company:
        raise RecruiterRefused(f"No company account has the email {company_email!r}.")
    account = UserAccount.objects.filter(email=UserAccount.objects.normalize_email(email)).first()
    created = account is None
    if created:
        if not password:
            raise RecruiterRefused("A new recruiter needs a password (RECRUITER_PASSWORD or the prompt).")
        account = UserAccount(
            email=UserAccount.objects.normalize_email(email),
            name=f"{company.name} recruiter",
            type=company.type,
        )
        try:
            validate_password(password, account)
        except ValidationError as error:
            raise RecruiterRefused(" ".join(error.messages)) from error
        account.set_password(password)
    elif account.is_candidate:
        raise RecruiterRefused(f"{account.email} is a developer account; a recruiter cannot be a candidate.")
    elif account.is_superuser:
        raise RecruiterRefused(f"{account.email} is a superuser, who already sees every company.")
    elif account.recruiter_for_id not in (None, company.pk):
        raise RecruiterRefused(f"{account.email} already recruits for another company.")
    changed = (
        created or not account.is_staff or account.recruiter_for_id != company.pk or not account.is_active
    )
    if changed:
        account.is_staff = True
        account.is_active = True
        account.recruiter_for = company
        account.save()
    group = recruiters_group()
    if not account.groups.filter(pk=group.pk).exists():
        account.groups.add(group)
    return account, created
