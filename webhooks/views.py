"""/job/webhooks: a company's endpoints, their secrets, test events and the delivery log.

Company accounts only (a candidate gets 403); another company's endpoint or delivery is a 404.
Every write goes through webhooks.services; no delivery is ever sent from here (webhooks.delivery).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from accounts.permissions import IsCompany
from helpers.pagination import OptInLimitOffsetPagination
from webhooks import selectors, services
from webhooks.serializers import DeliverySerializer, EndpointSerializer, EndpointWithSecretSerializer


class OwnEndpointMixin:
    permission_classes = [IsCompany]
    serializer_class = EndpointSerializer

    def get_queryset(self):
        return selectors.endpoints_of(self.request.user.pk)


class EndpointListCreateView(OwnEndpointMixin, generics.ListCreateAPIView):
    """`GET /job/webhooks`: the caller's endpoints. `POST`: a new one; the 201 shows its secret once."""

    pagination_class = OptInLimitOffsetPagination
    filter_backends = []

    @extend_schema(responses={201: EndpointWithSecretSerializer})
    def post(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(company=request.user, **body.validated_data)
        return Response(EndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailView(OwnEndpointMixin, generics.RetrieveUpdateDestroyAPIView):
    """`GET/PATCH/DELETE /job/webhooks/<id>` (PUT is a partial update too)."""

    def perform_update(self, serializer):
        serializer.instance = services.endpoint_update(
            endpoint=serializer.instance, **serializer.validated_data
        )

    def put(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class RotateSecretView(OwnEndpointMixin, generics.GenericAPIView):
    """`POST /job/webhooks/<id>/rotate-secret`: a new secret; the old one also signs for 24 hours."""

    @extend_schema(request=None, responses=EndpointWithSecretSerializer)
    def post(self, request, *args, **kwargs):
        endpoint = services.endpoint_rotate_secret(endpoint=self.get_object())
        return Response(EndpointWithSecretSerializer(endpoint).data)


class TestEventView(OwnEndpointMixin, generics.GenericAPIView):
    """`POST /job/webhooks/<id>/test`: queue a `webhook.test` event for this endpoint (202)."""

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def post(self, request, *args, **kwargs):
        delivery = services.endpoint_test(endpoint=self.get_object())
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class DeliveryPagination(OptInLimitOffsetPagination):
    """Always paged, since the log grows without end: 50 a page unless `?limit=` says otherwise."""

    page_size = 50

    def get_limit(self, request):
        if self.limit_query_param not in request.query_params:
            return self.page_size
        return super().get_limit(request)

    def get_paginated_response_schema(self, schema):
        return LimitOffsetPagination.get_paginated_response_schema(self, schema)


class DeliveryListView(generics.ListAPIView):
    """`GET /job/webhooks/<id>/deliveries`: newest first, with every attempt. Three queries a page."""

    permission_classes = [IsCompany]
    serializer_class = DeliverySerializer
    pagination_class = DeliveryPagination
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.deliveries_of(0)
        endpoint = get_object_or_404(selectors.endpoints_of(self.request.user.pk), pk=self.kwargs["pk"])
        return selectors.deliveries_of(endpoint.pk)


class RedeliverView(generics.GenericAPIView):
    """`POST /job/webhooks/<id>/deliveries/<delivery_id>/redeliver`: send it again, same `webhook-id`."""

    permission_classes = [IsCompany]
    serializer_class = DeliverySerializer
    lookup_url_kwarg = "delivery_id"

    def get_queryset(self):
        return selectors.deliveries_of(self.kwargs.get("pk")).filter(
            endpoint__company_id=self.request.user.pk
        )

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def post(self, request, *args, **kwargs):
        delivery = services.delivery_redeliver(delivery=self.get_object())
        return Response(
            self.get_serializer(selectors.deliveries_of(delivery.endpoint_id).get(pk=delivery.pk)).data,
            status=status.HTTP_202_ACCEPTED,
        )
