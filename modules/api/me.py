"""GET /api/v1/me/: the account a request acts for, the team it acts in, and the API key it used.

The smallest complete endpoint (a serializer for the response, a thin view, a route below):
copy its shape for your own endpoints in your app (docs/modules/api.md, "Creating endpoints").
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors


class ApiKeySummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The key's public first characters.")
    expires_at = serializers.DateTimeField(allow_null=True)


class TeamSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField(
        help_text="The user's role in the team (a key of TEAM_ROLES: owner, admin, member)."
    )


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    date_joined = serializers.DateTimeField()
    authenticated_by = serializers.ChoiceField(
        choices=["api_key", "session"], help_text="How this request was authenticated."
    )
    team = TeamSummarySerializer(
        allow_null=True,
        help_text="The team the request acts in: the key's team, or the session's current team.",
    )
    api_key = ApiKeySummarySerializer(
        allow_null=True, help_text="The key used for this request; null for a session."
    )


class MeView(APIView):
    @extend_schema(
        summary="The current user",
        description=(
            "The account the request acts for (the key's owner, or the signed-in user) and "
            "the team it acts in (the key's team, or the session's current team)."
        ),
        responses=MeSerializer,
        tags=["account"],
    )
    def get(self, request: Request) -> Response:
        user = request.user
        api_key = selectors.key_of_request(request)
        data = {
            "id": user.pk,
            "email": user.email,
            "date_joined": user.date_joined,
            "authenticated_by": "api_key" if api_key else "session",
            "team": getattr(request, "team", None),
            "api_key": api_key,
        }
        return Response(MeSerializer(data).data)


urlpatterns = [
    path("me/", MeView.as_view(), name="api_me"),
]
