"""The public job board's API: `GET /board/jobs`, `GET /board/jobs/<id>`, `GET /board/<company id>/`.

No authentication: the answers are the same for everyone, cached publicly (`board.caching`),
throttled per client address (the `board` rate, BOARD_THROTTLE_RATE) and readable from any site
(`Access-Control-Allow-Origin: *`, without credentials), so a company's careers page can fetch them.
Open jobs only (`board.selectors`); another state of a job, or an unknown one, is a 404.
"""

import hashlib

from django.core.cache import cache
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from board import selectors
from board.caching import MAX_AGE_SECONDS, publicly_cached
from board.serializers import BoardCompanySerializer, BoardJobSerializer, CareersPageSerializer
from helpers.pagination import LimitOffsetPages
from helpers.throttling import RateThrottle
from jobs.filters import JobFilter
from jobs.models import listing_day
from jobs.search_views import job_data_version


class BoardPages(LimitOffsetPages):
    """Always the `{count, next, previous, results}` envelope, 20 jobs unless `?limit=` (at most 100).

    The page is read live; its `count` is remembered for `MAX_AGE_SECONDS` under the job data
    version (bumped by triggers on every job and skill write), the day (jobs expire by date) and the
    filters. Counting every open job is a scan (270 ms at 100,000 on PostgreSQL; the page itself
    reads 0.2 ms), and a count may lag only as long as the answer is allowed to be cached anyway:
    at most that long, and only after a company's account is deactivated (no job write).
    """

    default_limit = 20

    def get_count(self, queryset) -> int:
        filters = sorted(
            (name, value)
            for name, value in self.request.query_params.lists()
            if name not in (self.limit_query_param, self.offset_query_param)
        )
        asked = hashlib.blake2b(f"{self.request.path}?{filters}".encode(), digest_size=16).hexdigest()
        key = f"board-count:{job_data_version()}:{listing_day().isoformat()}:{asked}"
        count = cache.get(key)
        if count is None:
            count = super().get_count(queryset)
            cache.set(key, count, MAX_AGE_SECONDS)
        return count


class PublicBoardMixin:
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [RateThrottle]
    throttle_scope = "board"
    serializer_class = BoardJobSerializer

    def get_queryset(self):
        return selectors.board_jobs()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            response.render()  # the tag is the answer's digest
        response = publicly_cached(request, response)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class BoardJobListView(PublicBoardMixin, generics.ListAPIView):
    """`GET /board/jobs`: open jobs of every company, newest first, with `/job/list`'s filters."""

    filterset_class = JobFilter
    pagination_class = BoardPages


class BoardJobDetailView(PublicBoardMixin, generics.RetrieveAPIView):
    """`GET /board/jobs/<id>`: one open job; 404 for a closed, expired or unknown one."""


class CareersPageView(PublicBoardMixin, generics.GenericAPIView):
    """`GET /board/<company id>/`: what a company's careers page embeds: its profile and open jobs."""

    filterset_class = JobFilter
    pagination_class = BoardPages

    @extend_schema(
        responses=CareersPageSerializer,
        summary="A company's public profile and open jobs",
        parameters=[
            OpenApiParameter("limit", int, description="Jobs a page: 20 unless asked, at most 100."),
            OpenApiParameter("offset", int),
            OpenApiParameter("search", str, description="Any of `/job/list`'s filters narrows the jobs."),
        ],
    )
    def get(self, request, company_id):
        company = selectors.board_company(company_id)
        if company is None:
            raise Http404("No company has this id.")
        jobs = self.filter_queryset(self.get_queryset().filter(user_id=company_id))
        page = self.paginate_queryset(jobs)
        envelope = self.get_paginated_response(self.get_serializer(page, many=True).data).data
        profile = BoardCompanySerializer(company, context=self.get_serializer_context()).data
        return Response({"company": profile, **envelope})
