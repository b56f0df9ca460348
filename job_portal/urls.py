from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from helpers.errors import not_found
from helpers.urls import route
from job_portal.views import health, index, ready
from jobs.views import CandidatesForJobView, JobsForCandidateView

admin.site.site_header = f"{settings.SITE_NAME} recruiting"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Jobs, candidates and the hiring pipeline"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Data rights first: the export, and account deletion that erases (accounts cannot import privacy).
    path("auth/", include("privacy.urls")),
    path("auth/", include("accounts.urls")),
    # Recommendations join candidates and jobs; they live with the jobs app (views, selectors).
    route("user/recommend/list", CandidatesForJobView.as_view(), name="recommend-candidates"),
    route("job/recommended", JobsForCandidateView.as_view(), name="recommend-jobs"),
    path("user/", include("profiles.urls")),
    path("job/", include("webhooks.urls")),
    path("job/", include("jobs.urls")),
    path("question/", include("assessments.urls")),
    # The public job board (no login): /board/ API, /jobs/<id>/ pages, /sitemap.xml.
    path("", include("board.urls")),
    path("health/", health, name="health"),
    path("ready/", ready, name="ready"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Uploaded pictures on local disk, served by Django only with DEBUG on (README: a proxy otherwise).
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    path("schema/swagger-ui/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("schema/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", index, name="index"),
    # Unknown paths get a JSON 404, never HTML (api-contract 1.2), even with DEBUG on.
    # csrf_exempt: a POST to an unknown (or turned-off) path is a JSON 404, not Django's HTML CSRF 403.
    re_path(r"^(?!static/|admin/).*$", csrf_exempt(not_found)),
]

handler400 = "helpers.errors.bad_request"
handler403 = "helpers.errors.permission_denied"
handler404 = "helpers.errors.not_found"
handler500 = "helpers.errors.server_error"
