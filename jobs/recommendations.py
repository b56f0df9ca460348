"""Recommendation endpoints: filled in by the recommendation issue (#5)."""

from rest_framework.response import Response
from rest_framework.views import APIView


class CandidatesForJobView(APIView):
    def post(self, request):
        return Response({"detail": "Not implemented yet."}, status=501)


class JobsForCandidateView(APIView):
    def get(self, request):
        return Response({"detail": "Not implemented yet."}, status=501)
