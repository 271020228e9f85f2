"""Plan and entitlement endpoints, mounted under /api/v1/ when the project has an API.

module.yml contributes them (contributes: api_routes); this file is only imported then, so
it may use Django REST framework. They read billing's selectors, never dj-stripe's models,
and show the entitlement gate other endpoints copy:
`permission_classes = [HasEntitlement.for_feature("...")]`.
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from quickscale_modules.billing import selectors as billing
from quickscale_modules.billing.drf import HasEntitlement


class PlanSerializer(serializers.Serializer):
    plan = serializers.CharField(help_text='The plan\'s key in BILLING_PLANS, or "free".')
    plan_name = serializers.CharField()
    status = serializers.CharField(help_text='Stripe\'s subscription status, or "free".')
    entitled = serializers.BooleanField(help_text="Whether the status grants the plan's features.")
    interval = serializers.CharField(allow_blank=True, help_text='"month", "year" or empty.')
    features = serializers.ListField(child=serializers.CharField())
    limits = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), help_text="null means unlimited."
    )
    renews_at = serializers.DateTimeField(allow_null=True)
    cancels_at = serializers.DateTimeField(allow_null=True)


class ExportSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    email = serializers.EmailField()
    date_joined = serializers.DateTimeField()
    plan = serializers.CharField()


class PlanView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The current team's plan and entitlements",
        description="The team is the customer: the session's current team, or the API key's.",
        responses=PlanSerializer,
        tags=["billing"],
    )
    def get(self, request: Request) -> Response:
        state = billing.billing_state(request.team)
        data = {
            "plan": state.plan_key,
            "plan_name": state.plan_name,
            "status": state.status,
            "entitled": state.entitled,
            "interval": state.interval,
            "features": sorted(state.features),
            "limits": state.limits,
            "renews_at": state.renews_at,
            "cancels_at": state.cancels_at,
        }
        return Response(PlanSerializer(data).data)


class ExportView(APIView):
    """An example of a paid feature: plans that include "exports" may call it."""

    permission_classes = [IsAuthenticated, HasEntitlement.for_feature("exports")]

    @extend_schema(
        summary="Export your account (plans with the exports feature)",
        description="Answers 403 when the current team's plan does not include `exports`.",
        responses=ExportSerializer,
        tags=["billing"],
    )
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "generated_at": timezone.now(),
            "email": user.email,
            "date_joined": user.date_joined,
            "plan": billing.billing_state(request.team).plan_key,
        }
        return Response(ExportSerializer(data).data)


urlpatterns = [
    path("me/plan/", PlanView.as_view(), name="api_me_plan"),
    path("exports/", ExportView.as_view(), name="api_exports"),
]
