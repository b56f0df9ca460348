from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


def active_candidate(via: str = "") -> Q:
    """An active developer account, never staff: whose applications and rows companies may see at all.

    `via` is the path to the account for joins, e.g. `active_candidate("candidate__")`.
    """
    return Q(
        **{
            f"{via}type": UserAccount.Type.USER,
            f"{via}is_active": True,
            f"{via}is_staff": False,
            f"{via}is_superuser": False,
        }
    )


def listed_candidate(via: str = "") -> Q:
    """The one rule for "a candidate recruiters can find": an active developer who chose to be found.

    Every listing and ranking of candidates uses it (searches, recommendations, the admin's ranked
    candidates). `via` is the path to the account for joins, e.g. `listed_candidate("user__")`.
    """
    return active_candidate(via) & Q(**{f"{via}searchable": True})


class UserAccountQuerySet(models.QuerySet):
    def listed_candidates(self):
        """Accounts recruiters can find as candidates (`listed_candidate`), in id order."""
        return self.filter(listed_candidate()).order_by("id")

    def candidates_readable_by(self, viewer):
        """Candidates `viewer` may read one by one (a candidate's rows, result, account).

        Companies read listed candidates only, so a candidate who is not searchable cannot be read
        by id either (their applications still show them to the companies they applied to). Staff
        read every active candidate; a candidate reads themself.
        """
        candidates = self.filter(active_candidate())
        if viewer.is_portal_staff:
            return candidates.order_by("id")
        return candidates.filter(Q(searchable=True) | Q(pk=viewer.pk)).order_by("id")


class UserAccountManager(BaseUserManager.from_queryset(UserAccountQuerySet)):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        """The whole address, lower-cased: `Ann@X.com` and `ann@x.com` are one account."""
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_email(username))

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        extra_fields.setdefault("type", UserAccount.Type.USER)
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        """A staff account; `company` by default, since staff work as recruiters (never candidates)."""
        extra_fields.setdefault("type", UserAccount.Type.COMPANY)
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("name", "Administrator")
        return self.create_user(email, password, **extra_fields)


class UserAccount(AbstractBaseUser, PermissionsMixin):
    """An account: a developer/candidate (`user`) or an employer (`company`), chosen at sign-up."""

    class Type(models.TextChoices):
        USER = "user", "Developer"
        COMPANY = "company", "Company"

    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=255)
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.USER, db_index=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    searchable = models.BooleanField(
        default=True,
        help_text="A developer's choice: recruiters can find them in searches and recommendations.",
    )
    date_joined = models.DateTimeField(default=timezone.now)
    recruiter_for = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recruiters",
        limit_choices_to={"type": "company"},
        help_text="A recruiter's staff login acts in the admin for this company only (add_recruiter).",
    )
    # Tokens carry the version they were issued under; a password change bumps it (accounts/tokens.py).
    token_version = models.PositiveIntegerField(default=0, editable=False)
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the person was erased (privacy/): this row is then an anonymous tombstone "
        "that keeps companies' hiring records, never an account.",
    )

    objects = UserAccountManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        indexes = [
            # GET /user/list pages (offset, cursor and count): an index-only read of the listed
            # candidates in id order (at 1M accounts, offset 999,980 in 90 ms, not 310 ms).
            models.Index(
                fields=["id"],
                include=["name", "type"],
                condition=models.Q(
                    type="user", is_active=True, is_staff=False, is_superuser=False, searchable=True
                ),  # listed_candidate(), written out: the class does not exist yet
                name="accounts_listed_candidates",
            ),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_unique_email_ci"),
            models.CheckConstraint(
                condition=models.Q(type__in=["user", "company"]), name="accounts_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(erased_at__isnull=True) | models.Q(is_active=False),
                name="accounts_erased_is_inactive",
            ),
        ]

    def clean(self):
        super().clean()
        self.email = UserAccountManager.normalize_email(self.email)

    def save(self, *args, **kwargs):
        self.email = UserAccountManager.normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_candidate(self) -> bool:
        return self.type == self.Type.USER

    @property
    def is_company(self) -> bool:
        return self.type == self.Type.COMPANY

    @property
    def is_portal_staff(self) -> bool:
        """Staff working for the portal itself: every company's data. A recruiter is staff (to log in
        to the admin) but acts for one company only, so it is not portal staff."""
        return self.is_staff and self.recruiter_for_id is None

    def __str__(self):
        return self.email


class FailedEmail(models.Model):
    """A message SMTP still refused after every retry, kept so that no email is silently lost.

    The admin lists them with the last error and resends them (accounts/mail.py); `resent_at` is set
    once a resend has been queued.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    subject = models.CharField(max_length=998)
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    from_email = models.CharField(max_length=254)
    to = models.JSONField()
    attempts = models.PositiveIntegerField()
    error = models.TextField()
    resent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} -> {', '.join(self.to)}"


class CandidateAccess(models.Model):
    """One read of one candidate's data by a company side: the ledger of who read whom (accounts/access.py).

    `company` is the account the read counts against (the daily cap), `actor` the login that read
    (the company account itself, or a recruiter acting for it). `kind` says whether contact details
    (email, phone) were in the answer. `day` is the UTC date of `created_at`, kept for the cap and for
    the candidate's per-day view.
    """

    class Kind(models.TextChoices):
        PUBLIC = "public", "Public data"
        CONTACT = "contact", "Contact details"

    company = models.ForeignKey(UserAccount, on_delete=models.CASCADE, related_name="candidate_reads")
    actor = models.ForeignKey(
        UserAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidate_reads_made"
    )
    candidate = models.ForeignKey(UserAccount, on_delete=models.CASCADE, related_name="read_by")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    route = models.CharField(
        max_length=40, help_text='What was read: "profile", "skills", "admin:profile", "csv"…'
    )
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "candidate data access"
        verbose_name_plural = "candidate data accesses"
        indexes = [
            models.Index(fields=["company", "day", "candidate"], name="accounts_access_company_day"),
            models.Index(fields=["candidate", "created_at"], name="accounts_access_candidate"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["public", "contact"]), name="accounts_access_kind"
            ),
        ]

    def __str__(self):
        return f"{self.company_id} read {self.candidate_id} ({self.kind}, {self.route}) on {self.day}"


class CandidateReadCount(models.Model):
    """Distinct candidates a company has read on a UTC day: the cap's counter, locked while it grows.

    The candidates themselves are the day's `CandidateAccess` rows; this row serialises new ones, so
    parallel requests on any number of workers cannot pass CANDIDATE_READS_PER_DAY.
    """

    company = models.ForeignKey(UserAccount, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    candidates = models.PositiveIntegerField(default=0)
    refused_at = models.DateTimeField(null=True, blank=True, help_text="The first read refused that day.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "day"], name="accounts_read_count_company_day"),
        ]

    def __str__(self):
        return f"{self.company_id} on {self.day}: {self.candidates}"
