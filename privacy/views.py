"""Data rights over HTTP: the export, and account deletion that erases (docs/data-rights.md)."""

from django.utils.text import slugify
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.views import AccountViewSet
from privacy import services
from privacy.export import CandidateExportSerializer, CompanyExportSerializer, export_document


class ErasingAccountViewSet(AccountViewSet):
    """djoser's account routes, where deleting the account erases the person (privacy.services).

    Request and answers stay djoser's: `current_password` in the body, 204, a wrong password 400.
    accounts cannot import this room, so the root URLs route `users/me/` and `users/<id>/` here.
    """

    def perform_destroy(self, instance):
        services.account_delete(account=instance)


class ExportView(generics.GenericAPIView):
    """Everything held about the caller as one JSON document, offered as a file download."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="users_me_export",
        responses=PolymorphicProxySerializer(
            component_name="DataExport",
            serializers=[CandidateExportSerializer, CompanyExportSerializer],
            resource_type_field_name=None,
        ),
        description="A developer's document has `profile` ... `applications`; a company's has "
        "`company_profile` and `jobs`. Sent with `Content-Disposition: attachment`.",
    )
    def get(self, request):
        document = export_document(request.user, context={"request": request})
        response = Response(document)
        filename = f"{slugify(request.user.type)}-{request.user.pk}-data.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
