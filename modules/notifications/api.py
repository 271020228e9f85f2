"""The notifications API under /api/v1/notifications/, mounted when the project has the api
module (module.yml, contributes: api_routes); only imported then, so it may use Django REST
framework. Reads go through selectors.py, writes through services.py.

    GET  notifications/                 the user's notifications (?show=unread), paginated
    GET  notifications/unread-count/    {"unread": 3}
    POST notifications/<id>/read/       mark one read (again is fine)
    POST notifications/read-all/        mark all read
    GET  notifications/preferences/     channels per kind
    PATCH notifications/preferences/    {"payment_failed": {"email": false}}
"""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "url", "created_at", "read_at"]


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class ChannelsSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    email = serializers.BooleanField()
    in_app = serializers.BooleanField()
    email_locked = serializers.BooleanField(
        read_only=True, help_text="A security notice: always emailed."
    )


class ChoiceSerializer(serializers.Serializer):
    email = serializers.BooleanField(required=False)
    in_app = serializers.BooleanField(required=False)


CHOICE_SCHEMA = {
    "type": "object",
    "properties": {"email": {"type": "boolean"}, "in_app": {"type": "boolean"}},
}


class NotificationList(generics.ListAPIView):
    serializer_class = NotificationSerializer
    # Newest first, always: ?ordering= and ?search= do not apply here.
    filter_backends: list = []

    def get_queryset(self):
        unread_only = self.request.query_params.get("show") == "unread"
        return selectors.notifications_of(self.request.user, unread_only=unread_only)

    @extend_schema(
        summary="Your notifications, newest first",
        parameters=[OpenApiParameter("show", str, enum=["unread"], required=False)],
        tags=["notifications"],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class UnreadCount(APIView):
    @extend_schema(
        summary="How many notifications are unread",
        responses=UnreadSerializer,
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count(request.user)})


class MarkRead(APIView):
    @extend_schema(
        summary="Mark one notification read",
        request=None,
        responses=NotificationSerializer,
        tags=["notifications"],
    )
    def post(self, request: Request, pk: str) -> Response:
        # Any text reaches the view, so a malformed id gets the API's JSON 404, not HTML.
        valid = pk.isascii() and pk.isdigit() and len(pk) < 19  # a bigint, not an overflow
        if not valid or not services.mark_read(request.user, int(pk)):
            raise Http404
        notification = selectors.notifications_of(request.user).get(pk=pk)
        return Response(NotificationSerializer(notification).data)


class MarkAllRead(APIView):
    @extend_schema(
        summary="Mark all notifications read",
        request=None,
        responses=UnreadSerializer,
        tags=["notifications"],
    )
    def post(self, request: Request) -> Response:
        services.mark_all_read(request.user)
        return Response({"unread": selectors.unread_count(request.user)})


class Preferences(APIView):
    @extend_schema(
        summary="Your channels per kind of notification",
        responses=ChannelsSerializer(many=True),
        tags=["notifications"],
    )
    def get(self, request: Request) -> Response:
        rows = selectors.channels_for(request.user)
        return Response(ChannelsSerializer(rows, many=True).data)

    @extend_schema(
        summary="Change channels of some kinds",
        request={"application/json": {"type": "object", "additionalProperties": CHOICE_SCHEMA}},
        responses=ChannelsSerializer(many=True),
        tags=["notifications"],
    )
    def patch(self, request: Request) -> Response:
        known = {row.kind for row in selectors.channels_for(request.user)}
        data = request.data if isinstance(request.data, dict) else None
        if data is None:
            raise serializers.ValidationError({"detail": "Send an object of kinds."})
        unknown = sorted(set(data) - known)
        if unknown:
            raise serializers.ValidationError({kind: ["Unknown kind."] for kind in unknown})
        choices = {}
        for kind, choice in data.items():
            checked = ChoiceSerializer(data=choice)
            checked.is_valid(raise_exception=True)
            choices[kind] = checked.validated_data
        services.set_preferences(request.user, choices)
        return self.get(request)


urlpatterns = [
    path("", NotificationList.as_view(), name="api_notifications"),
    path("unread-count/", UnreadCount.as_view(), name="api_notifications_unread"),
    path("<str:pk>/read/", MarkRead.as_view(), name="api_notification_read"),
    path("read-all/", MarkAllRead.as_view(), name="api_notifications_read_all"),
    path("preferences/", Preferences.as_view(), name="api_notification_preferences"),
]
