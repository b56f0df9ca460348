"""Role rules, used the same way by every app (api-contract section 4)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


def _is_logged_in(request):
    return bool(request.user and request.user.is_authenticated)


class IsCandidate(BasePermission):
    """Developer accounts (`type=user`) only."""

    message = "Only developer accounts can do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_candidate)


class IsCompany(BasePermission):
    """Company accounts only."""

    message = "Only company accounts can do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_company)


class IsCompanyOrStaff(BasePermission):
    """Company accounts, and staff working for the portal."""

    message = "Only company accounts can do this."

    def has_permission(self, request, view):
        user = request.user
        return _is_logged_in(request) and (user.is_company or user.is_staff)


class IsCandidateOrReadOnly(IsCandidate):
    """Reads for any logged-in account (the SPA fires some by mistake), writes for developers."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return _is_logged_in(request)
        return super().has_permission(request, view)


class IsCompanyOrReadOnly(IsCompany):
    """Reads for any logged-in account, writes for companies."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return _is_logged_in(request)
        return super().has_permission(request, view)


class IsRecruiterOrSelf(BasePermission):
    """Candidate data: companies and staff read anyone's; a developer reads only their own.

    The view names the candidate with the URL keyword `user_id`; views without it (all-candidate
    lists) are for companies and staff only.
    """

    message = "Only companies can read other candidates' data."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if user.is_company or user.is_staff:
            return True
        return str(view.kwargs.get("user_id")) == str(user.pk)
