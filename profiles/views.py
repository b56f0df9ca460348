"""The /user/ endpoints: each profile section has one shape, written once here.

A section is a serializer (which names its model) plus the account type allowed to own it; urls.py
declares the sections and `section_routes` builds their three routes from these views:

- `<section>`: GET the caller's rows as an array (`[]` when none), POST a new row for the caller;
- `<section>/<id>`: GET, PUT (partial), PATCH, DELETE one of the caller's rows; anyone else's id is 404;
- `<section>/<user_id>/user`: a candidate's rows, for companies, staff and that candidate.

The wrong account type gets 403 on every method, GETs included: the SPA's stray reads (a developer's
GET /user/company_profile on a hard reload, api-contract 3.3) tolerate it.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from accounts.models import UserAccount, listed_candidate
from accounts.permissions import IsRecruiterOrSelf
from helpers.pagination import OptInLimitOffsetPagination
from helpers.views import PartialPutMixin
from profiles.filters import CandidateFilter
from profiles.serializers import PublicCandidateSerializer, UserSkillSerializer


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


class CandidateRowsView(generics.ListAPIView):
    """A candidate's rows (`user_id` in the URL), or every candidate's rows when the URL names none."""

    permission_classes = [IsRecruiterOrSelf]
    pagination_class = OptInLimitOffsetPagination

    def get_queryset(self):
        model = self.get_serializer_class().Meta.model
        rows = model.objects.filter(listed_candidate("user__"))
        if "user_id" in self.kwargs:
            rows = rows.filter(user_id=self.kwargs["user_id"])
        return rows.order_by("user_id", *_ordering(model))


@extend_schema_view(get=extend_schema(operation_id="user_user_skills_list_of_candidate"))
class CandidateSkillsView(CandidateRowsView):
    """One candidate's skills (user_skills/list/<user_id>), named apart from everyone's in the schema."""

    serializer_class = UserSkillSerializer


class CandidateListView(generics.ListAPIView):
    """Recruiter search over candidates (filters in profiles.filters); public fields only."""

    permission_classes = [IsRecruiterOrSelf]
    serializer_class = PublicCandidateSerializer
    filterset_class = CandidateFilter
    pagination_class = OptInLimitOffsetPagination

    def get_queryset(self):
        return UserAccount.objects.listed_candidates()


class CandidateDetailView(generics.RetrieveAPIView):
    permission_classes = [IsRecruiterOrSelf]
    serializer_class = PublicCandidateSerializer
    lookup_url_kwarg = "user_id"

    def get_queryset(self):
        return UserAccount.objects.listed_candidates()
