"""Reads of candidate data that more than one view needs."""

from profiles.models import CandidateDataVersion


def candidate_data_version() -> int:
    """The counter the database bumps on every write to candidate data (one query; 0 before any write)."""
    return CandidateDataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0
