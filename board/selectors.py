"""What the public job board reads: open jobs of active companies, with their public profile.

"Open" is `jobs.models.open_now` (status open, not past `valid_through`; `JobQuerySet.open`'s
rule): its one home. The board adds only that the company's account is active, so a deactivated company's
jobs are not advertised to the world.

Query budget: a page of jobs costs three queries whatever its size (the jobs joined to their
account, the accounts' company profiles, the jobs' skills), plus the page's count.
"""

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet

from accounts.models import UserAccount
from jobs.models import Job, JobSkill, open_now
from profiles.models import Company

PROFILES_ATTR = "board_profiles"


def listed() -> Q:
    """A job the board lists: open now (`jobs.models.open_now`) and its company's account active."""
    return open_now() & Q(user__is_active=True)


def open_jobs() -> QuerySet[Job]:
    """Every job the board lists, newest first (the sitemap's and the pages' notion of "open" too)."""
    return Job.objects.filter(listed())


def with_board_data(jobs: QuerySet[Job]) -> QuerySet[Job]:
    """What a board item shows (company profile, skills), loaded in a fixed number of queries."""
    return jobs.select_related("user").prefetch_related(
        Prefetch("user__companies", queryset=Company.objects.order_by("id"), to_attr=PROFILES_ATTR),
        Prefetch("skills", queryset=JobSkill.objects.order_by("-rating", "name")),
    )


def board_jobs() -> QuerySet[Job]:
    return with_board_data(open_jobs())


def public_profile(account: UserAccount, *, name: str = "") -> Company:
    """The company's profile row, or an unsaved stand-in carrying `name` when it has none yet."""
    profiles = getattr(account, PROFILES_ATTR, None)
    if profiles is None:
        profiles = list(Company.objects.filter(user_id=account.pk).order_by("id")[:1])
    if profiles:
        return profiles[0]
    return Company(user_id=account.pk, user=account, name=name or account.name)


def board_company(account_id: int) -> Company | None:
    """The public profile of an active company account; None for any other id (candidates included)."""
    account = UserAccount.objects.filter(pk=account_id, type=UserAccount.Type.COMPANY, is_active=True).first()
    if account is None:
        return None
    return public_profile(account)


def job_for_page(job_id: int) -> Job | None:
    """Any job by id, with `is_open` (listed on the board now): its page is 200 when open, else 410."""
    listed_now = ExpressionWrapper(listed(), output_field=BooleanField())
    return with_board_data(Job.objects.annotate(is_open=listed_now)).filter(pk=job_id).first()
