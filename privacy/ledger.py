"""The access ledger as data rights see it: the entries an export holds, and their retention.

The ledger itself (`accounts.models.CandidateAccess`, accounts/access.py) is issue 21's other half;
these functions are the only places this room reads or deletes it.
"""

from django.db.models import Q
from rest_framework import serializers

from accounts.models import CandidateAccess


class AccessEntrySerializer(serializers.Serializer):
    """One read of a candidate's data: which company, whose data, what (`kind`, `route`) and when."""

    company = serializers.IntegerField(source="company_id", read_only=True)
    candidate = serializers.IntegerField(source="candidate_id", read_only=True)
    kind = serializers.CharField(read_only=True)
    route = serializers.CharField(read_only=True)
    day = serializers.DateField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


def entries_of(account) -> list:
    """A candidate's export holds the reads of their data; a company's, the reads it made."""
    side = Q(company=account) if account.is_company else Q(candidate=account)
    return list(CandidateAccess.objects.filter(side).order_by("-created_at", "-id"))


def entries_delete_older_than(cutoff) -> int:
    """Delete the entries created before `cutoff`; returns how many."""
    deleted, _ = CandidateAccess.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def entries_older_than(cutoff) -> int:
    """How many entries `entries_delete_older_than(cutoff)` would delete (for --dry-run)."""
    return CandidateAccess.objects.filter(created_at__lt=cutoff).count()
