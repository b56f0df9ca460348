"""/user/ routes (api-contract 2.1-2.3): each section declares its serializer and owner type only."""

from accounts.permissions import IsCandidate, IsCompany
from helpers.urls import route
from profiles import serializers, views


def section_routes(path, serializer_class, owner_type, candidate_reads=True):
    """The list/create, own-row and candidate-read routes every section shares."""
    own = {"serializer_class": serializer_class, "permission_classes": [owner_type]}
    routes = [
        route(path, views.OwnRowsView.as_view(**own), name=f"{path}-list"),
        route(f"{path}/<int:pk>", views.OwnRowView.as_view(**own), name=f"{path}-detail"),
    ]
    if candidate_reads:
        routes.append(
            route(
                f"{path}/<int:user_id>/user",
                views.CandidateRowsView.as_view(serializer_class=serializer_class, read_route=path),
                name=f"{path}-of-candidate",
            )
        )
    return routes


urlpatterns = [
    route("list", views.CandidateListView.as_view(), name="candidate-list"),
    route("list/<int:user_id>", views.CandidateDetailView.as_view(), name="candidate-detail"),
    # Skills are read by recruiters at list[/<user_id>], not at <id>/user like the other sections.
    route(
        "user_skills/list",
        views.EveryCandidateSkillView.as_view(),
        name="user_skills-all",
    ),
    route(
        "user_skills/list/<int:user_id>", views.CandidateSkillsView.as_view(), name="user_skills-of-candidate"
    ),
    route(
        "profile/photo", views.picture_view(serializers.ProfileSerializer, IsCandidate), name="profile-photo"
    ),
    route(
        "company_profile/logo",
        views.picture_view(serializers.CompanyProfileSerializer, IsCompany),
        name="company_profile-logo",
    ),
    *section_routes("user_skills", serializers.UserSkillSerializer, IsCandidate, candidate_reads=False),
    *section_routes("profile", serializers.ProfileSerializer, IsCandidate),
    *section_routes("experience", serializers.ExperienceSerializer, IsCandidate),
    *section_routes("availability", serializers.AvailabilitySerializer, IsCandidate),
    *section_routes("role", serializers.RoleSalarySerializer, IsCandidate),
    *section_routes("education", serializers.EducationSerializer, IsCandidate),
    *section_routes(
        "company_profile", serializers.CompanyProfileSerializer, IsCompany, candidate_reads=False
    ),
]
