"""Routes under /job/. Fixed words (`skills`, `list`, `last`) come before `<id>` so they never parse as ids.

`/job/recommended` is routed in job_portal/urls.py, ahead of this module.
"""

from helpers.urls import route
from jobs import views

urlpatterns = [
    route("", views.OwnJobListCreateView.as_view(), name="job-own-list"),
    route("list", views.OpenJobListView.as_view(), name="job-list"),
    route("last", views.LastJobView.as_view(), name="job-last"),
    route("skills", views.JobSkillListCreateView.as_view(), name="job-skill-list"),
    route("skills/item/<int:pk>", views.OwnJobSkillDetailView.as_view(), name="job-skill-detail"),
    route("skills/<int:job_id>", views.JobSkillsOfJobView.as_view(), name="job-skills-of-job"),
    route("<int:pk>/single", views.SingleJobView.as_view(), name="job-single"),
    route("<int:pk>", views.OwnJobDetailView.as_view(), name="job-detail"),
]
