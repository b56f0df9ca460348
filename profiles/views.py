"""The /user/ endpoints: each profile section has one shape, written once here.

A section is a serializer (which names its model) plus the account type allowed to own it; urls.py
declares the sections and `section_routes` builds their three routes from these views:

- `<section>`: GET the caller's rows as an array (`[]` when none), POST a new row for the caller;
- `<section>/<id>`: GET, PUT (partial), PATCH, DELETE one of the caller's rows; anyone else's id is 404;
- `<section>/<user_id>/user`: a candidate's rows, for companies, staff and that candidate.

`PictureView` adds the picture of the profile and the company profile (`profile/photo`,
`company_profile/logo`): PUT a multipart `image`, DELETE it.

The wrong account type gets 403 on every method, GETs included: the SPA's stray reads (a developer's
GET /user/company_profile on a hard reload, api-contract 3.3) tolerate it.
"""

from django.db import router
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.access import candidate_read
from accounts.models import UserAccount
from accounts.permissions import IsRecruiterOrSelf
from accounts.serializers import UserSerializer
from helpers.errors import ServiceUnavailable
from helpers.pagination import KeysetPagination, OptInLimitOffsetPagination
from helpers.renderers import WholeListMixin
from helpers.replica import LagTolerantReadMixin
from helpers.throttling import RateThrottle
from helpers.views import ConditionalListMixin, PartialPutMixin, refuse_body_larger_than
from profiles import holders, listed, pictures
from profiles.filters import CandidateFilter
from profiles.models import UserSkill
from profiles.selectors import candidate_data_version
from profiles.serializers import PictureUploadSerializer, PublicCandidateSerializer, UserSkillSerializer

PAGE_PARAMETERS = {"limit", "offset", "cursor", "ordering"}
"""Query parameters of a candidate search that page or order it without changing its count."""


def _ordering(model):
    return model._meta.ordering or ["id"]


class OwnRowsMixin:
    """Rows of the serializer's model owned by the caller; `permission_classes` carries the role."""

    def get_queryset(self):
        model = self.get_serializer_class().Meta.model
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()
        return model.objects.filter(user=self.request.user).order_by(*_ordering(model))


class OwnRowsView(OwnRowsMixin, generics.ListCreateAPIView):
    pagination_class = OptInLimitOffsetPagination

    def perform_create(self, serializer):
        serializer.save(user=self.request.user)


class OwnRowView(OwnRowsMixin, PartialPutMixin, generics.RetrieveUpdateDestroyAPIView):
    pass


class CandidateRowsView(WholeListMixin, generics.ListAPIView):
    """A candidate's rows (`user_id` in the URL), or every findable candidate's rows when it names none.

    A company's read of one candidate is recorded under `read_route` (accounts/access.py, 429 past
    the daily cap); a candidate it may not read answers `[]` and costs nothing.
    """

    permission_classes = [IsRecruiterOrSelf]
    pagination_class = OptInLimitOffsetPagination
    read_route = ""

    def get_queryset(self):
        model = self.get_serializer_class().Meta.model
        if "user_id" in self.kwargs:
            candidate_id = int(self.kwargs["user_id"])
            readable = UserAccount.objects.candidates_readable_by(self.request.user).filter(pk=candidate_id)
            if not readable.exists():
                return model.objects.none()
            candidate_read(self.request, candidate_id, route=self.read_route)
            rows = model.objects.filter(user_id=candidate_id)
        else:
            # A semi-join (IN) rather than a join: SQLite then reads the rows in user_id order from the
            # user_id index instead of sorting them (0.09 s against 0.15 s for 110,000 skills).
            rows = model.objects.filter(user__in=UserAccount.objects.listed_candidates().values("pk"))
        return rows.order_by("user_id", *_ordering(model))


class CandidateDataValidatorMixin(ConditionalListMixin):
    """The recruiter lists: the same for every company and staff member, versioned by the database."""

    def data_version(self):
        return candidate_data_version()


class EveryCandidateSkillView(LagTolerantReadMixin, CandidateDataValidatorMixin, CandidateRowsView):
    """Every listed candidate's skills (user_skills/list), which the SPA reads whole, once per card."""

    serializer_class = UserSkillSerializer
    pagination_class = KeysetPagination
    stream_whole_list = True  # 5.5 million rows at a million candidates: never held in a worker


@extend_schema_view(get=extend_schema(operation_id="user_user_skills_list_of_candidate"))
class CandidateSkillsView(CandidateRowsView):
    """One candidate's skills (user_skills/list/<user_id>), named apart from everyone's in the schema."""

    serializer_class = UserSkillSerializer
    read_route = "skills"


class CandidateSerializerMixin:
    """Companies get the public view of a candidate (no email); staff and the candidate get the account."""

    def get_serializer_class(self):
        user = self.request.user
        if user.is_authenticated and user.is_company and not user.is_portal_staff:
            return PublicCandidateSerializer
        return UserSerializer


class CandidateListView(
    LagTolerantReadMixin,
    CandidateSerializerMixin,
    CandidateDataValidatorMixin,
    WholeListMixin,
    generics.ListAPIView,
):
    """Recruiter search over candidates who can be found (filters in profiles.filters)."""

    permission_classes = [IsRecruiterOrSelf]
    serializer_class = PublicCandidateSerializer
    filterset_class = CandidateFilter
    pagination_class = KeysetPagination

    def get_queryset(self):
        return UserAccount.objects.listed_candidates()

    def quick_count(self) -> int | None:
        """The whole list is counted from the listed candidates' block counts (profiles.listed), a
        search asking only for skills from the skill holders' bitmaps (profiles.holders), both on
        PostgreSQL: a count of 100,000 Python developers out of a million is milliseconds, not the
        0.7 s of counting rows, and it is never stale. Other searches count rows (None)."""
        if set(self.request.query_params) - {"skill", *PAGE_PARAMETERS} != set():
            return None
        if not set(self.request.query_params) - PAGE_PARAMETERS:
            using = router.db_for_read(UserAccount)
            return listed.listed_count(using) if listed.available(using) else None
        using = router.db_for_read(UserSkill)
        search = CandidateFilter(self.request.query_params)
        if "skill" not in self.request.query_params or not holders.available(using) or not search.is_valid():
            return None
        return holders.requirement_count(search.form.cleaned_data["skill"], using)

    def quick_seek(self, offset: int) -> tuple[int, int] | None:
        """Where the whole list's `offset`-th candidate is, from the block counts (profiles.listed):
        `?offset=999980` skips fewer than 8,192 index entries, not 999,980. Searches skip as before."""
        using = router.db_for_read(UserAccount)
        if set(self.request.query_params) - PAGE_PARAMETERS or not listed.available(using):
            return None
        return listed.listed_seek(offset, using)

    def data_version(self):
        """Companies and staff get different shapes (contact details or not), so their tags differ."""
        shape = "public" if self.get_serializer_class() is PublicCandidateSerializer else "full"
        return f"{super().data_version()}-{shape}"


class CandidateDetailView(CandidateSerializerMixin, generics.RetrieveAPIView):
    """One candidate's account; a company's read is recorded (accounts/access.py, 429 past the cap)."""

    permission_classes = [IsRecruiterOrSelf]
    serializer_class = PublicCandidateSerializer
    lookup_url_kwarg = "user_id"

    def get_queryset(self):
        return UserAccount.objects.candidates_readable_by(self.request.user)

    def get_object(self):
        candidate = super().get_object()
        candidate_read(self.request, candidate.pk, route="account")
        return candidate


class PictureView(generics.GenericAPIView):
    """The picture of the caller's profile or company profile: PUT (multipart `image`) or DELETE.

    `serializer_class` is the row's section serializer, which shapes the answer; `permission_classes`
    carry the role (`picture_view` sets both). No row yet: 404. A body declaring more than
    IMAGE_MAX_BYTES (plus the multipart framing) is a 413 before it is read; every other refusal is
    a 400 on `image`. Each account may change its picture PICTURE_THROTTLE_RATE times (429 beyond).
    A storage outage is a 503 with `Retry-After`, the old picture kept.
    """

    parser_classes = [MultiPartParser]
    throttle_classes = [RateThrottle]
    throttle_scope = "pictures"

    def get_queryset(self):
        return self.get_serializer_class().Meta.model.objects.filter(user=self.request.user)

    def get_object(self):
        """The caller's one row (profile or company profile); the URL names none."""
        row = self.get_queryset().first()
        if row is None:
            name = self.get_serializer_class().Meta.model._meta.verbose_name
            raise NotFound(f"You have no {name} yet; create it before adding a picture.")
        return row

    def put(self, request, *args, **kwargs):
        row = self.get_object()
        refuse_body_larger_than(request, pictures.upload_body_limit(), pictures.upload_too_large_message())
        upload = PictureUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            row = pictures.picture_replace(row=row, picture=upload.validated_data["image"])
        except pictures.StorageUnavailable as error:
            raise ServiceUnavailable(
                "The picture storage is unavailable; try again shortly.",
                wait=pictures.STORAGE_RETRY_AFTER_SECONDS,
            ) from error
        return Response(self.get_serializer(row).data)

    def delete(self, request, *args, **kwargs):
        pictures.picture_remove(row=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def picture_view(serializer_class, owner_type):
    """The PictureView of one section, documented with that section's answer."""
    name = serializer_class.Meta.model._meta.verbose_name
    documented = extend_schema_view(
        put=extend_schema(
            summary=f"Replace the picture of the caller's {name}",
            description="The stored picture is re-encoded: upright, sRGB, no metadata, at most 1024 px, "
            "with a 256 px square thumbnail. The old files are deleted.",
            request=PictureUploadSerializer,
            responses={
                200: serializer_class,
                400: OpenApiResponse(description="The image is refused; `image` says why."),
                404: OpenApiResponse(description=f"The caller has no {name} yet."),
                413: OpenApiResponse(description="The declared body is over IMAGE_MAX_BYTES; not read."),
                503: OpenApiResponse(
                    description="The database or the picture storage is unavailable; see Retry-After."
                ),
            },
        ),
        delete=extend_schema(
            summary=f"Remove the picture of the caller's {name}",
            description="Both files are deleted from storage; without a picture this changes nothing.",
            responses={204: None, 404: OpenApiResponse(description=f"The caller has no {name} yet.")},
        ),
    )
    view = type(
        f"{serializer_class.Meta.model.__name__}PictureView",
        (PictureView,),
        {"serializer_class": serializer_class, "permission_classes": [owner_type], "__module__": __name__},
    )
    return documented(view).as_view()
