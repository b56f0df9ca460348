"""`/sitemap.xml`: every open job's public page, with the time it last changed."""

from django.contrib.sitemaps import Sitemap

from board.paths import job_page_path
from board.selectors import open_jobs


class OpenJobSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return open_jobs().only("id", "updated_at").order_by("id")

    def location(self, job):
        return job_page_path(job.pk)

    def lastmod(self, job):
        return job.updated_at


SITEMAPS = {"jobs": OpenJobSitemap}
