"""Routes under /job/. Fixed words (`skills`, `list`, `last`, `applications`) come before `<id>`,
so they never parse as ids.

`/job/recommended` is routed in job_portal/urls.py, ahead of this module.
"""

from helpers.urls import route
from jobs import search_views, views

urlpatterns = [
    route("", views.OwnJobListCreateView.as_view(), name="job-own-list"),
    route("list", views.OpenJobListView.as_view(), name="job-list"),
    route("last", views.LastJobView.as_view(), name="job-last"),
    route("facets", search_views.JobFacetsView.as_view(), name="job-facets"),
    route("skills", views.JobSkillListCreateView.as_view(), name="job-skill-list"),
    route("skills/item/<int:pk>", views.OwnJobSkillDetailView.as_view(), name="job-skill-detail"),
    route("skills/<int:job_id>", views.JobSkillsOfJobView.as_view(), name="job-skills-of-job"),
    route("applications", views.OwnApplicationListView.as_view(), name="application-own-list"),
    route("applications/<int:pk>", views.ApplicationStageView.as_view(), name="application-stage"),
    route("applications/<int:pk>/withdraw", views.WithdrawView.as_view(), name="application-withdraw"),
    route(
        "applications/<int:pk>/events", views.ApplicationEventListView.as_view(), name="application-events"
    ),
    route("<int:pk>/apply", views.ApplyView.as_view(), name="job-apply"),
    route("<int:pk>/applications", views.ApplicantListView.as_view(), name="job-applicants"),
    route("<int:pk>/single", views.SingleJobView.as_view(), name="job-single"),
    route("<int:pk>", views.OwnJobDetailView.as_view(), name="job-detail"),
]
