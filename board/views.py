"""The public job board's API: `GET /board/jobs`, `GET /board/jobs/<id>`, `GET /board/<company id>/`.

No authentication: the answers are the same for everyone, cached publicly (`board.caching`),
throttled per client address (the `board` rate, BOARD_THROTTLE_RATE) and readable from any site
(`Access-Control-Allow-Origin: *`, without credentials), so a company's careers page can fetch them.
Open jobs only (`board.selectors`); another state of a job, or an unknown one, is a 404.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from board import selectors
from board.caching import publicly_cached
from board.serializers import BoardCompanySerializer, BoardJobSerializer, CareersPageSerializer
from helpers.pagination import LimitOffsetPages
from jobs.filters import JobFilter


class BoardPages(LimitOffsetPages):
    """Always the `{count, next, previous, results}` envelope, 20 jobs unless `?limit=` (at most 100)."""

    default_limit = 20


class PublicBoardMixin:
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
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
