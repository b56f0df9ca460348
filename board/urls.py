"""The public board's routes: its API under /board/, the job pages under /jobs/, and /sitemap.xml.

`board/jobs` comes before `board/<company id>` (a word never parses as an id anyway). Every route
answers with and without a trailing slash, never with a redirect; the canonical paths (with the
slash) are `board.paths`, and a job page's canonical link names its own.
"""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from board import pages, views
from board.sitemaps import SITEMAPS
from helpers.urls import route

urlpatterns = [
    route("board/jobs", views.BoardJobListView.as_view(), name="board-jobs"),
    route("board/jobs/<int:pk>", views.BoardJobDetailView.as_view(), name="board-job"),
    route("board/<int:company_id>", views.CareersPageView.as_view(), name="board-company"),
    route("jobs/<int:pk>", pages.job_page, name="board-job-page"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
]
