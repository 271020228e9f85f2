"""The project's URLs plus small endpoints that exercise the module's DRF configuration, so its
tests do not depend on what a theme provides."""

from django.urls import path
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as project_urlpatterns
from quickscale_core.drf_permissions import HasTeamPermission, HasTeamRole, IsTeamMember
from quickscale_modules.api.models import ApiKey


class WhoAmI(APIView):
    def get(self, request):
        return Response({"email": request.user.email, "key": getattr(request.auth, "pk", None)})

    def post(self, request):
        return Response({"posted": True})


class NoteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=10)
    count = serializers.IntegerField(min_value=1)


class Notes(APIView):
    def post(self, request):
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class KeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["name", "prefix"]


class MyKeys(generics.ListAPIView):
    serializer_class = KeySerializer
    search_fields = ["name"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return ApiKey.objects.filter(user=self.request.user).order_by("pk")


class Public(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


class TeamOfRequest(APIView):
    """The team a request acts in, as the DRF request and the Django request under it see it."""

    def get(self, request):
        def seen(team):
            return None if team is None else {"id": team.pk, "role": team.role}

        return Response({"drf": seen(request.team), "django": seen(request._request.team)})

    post = get


class Allowed(APIView):
    """Answers {"ok": true} to whoever its permission classes let in."""

    def get(self, request):
        return Response({"ok": True})

    post = put = delete = get


class AnyMember(Allowed):
    permission_classes = [IsTeamMember]


class Invite(Allowed):
    permission_classes = [HasTeamPermission]
    team_permission = "members.invite"


class ByMethod(Allowed):
    # GET: team.view, the default for reads; PUT, mapped to nothing: refused.
    permission_classes = [HasTeamPermission]
    team_permissions = {"POST": "members.remove", "DELETE": "team.delete"}


class OwnersAndAdmins(Allowed):
    permission_classes = [HasTeamRole]
    team_roles = {"owner", "admin"}


class OwnersOnly(Allowed):
    permission_classes = [HasTeamRole]  # Owners, unless team_roles says otherwise.


urlpatterns = [
    path("api/v1/test/team/", TeamOfRequest.as_view()),
    path("api/v1/test/any-member/", AnyMember.as_view()),
    path("api/v1/test/invite/", Invite.as_view()),
    path("api/v1/test/by-method/", ByMethod.as_view()),
    path("api/v1/test/owners-and-admins/", OwnersAndAdmins.as_view()),
    path("api/v1/test/owners-only/", OwnersOnly.as_view()),
    path("api/v1/test/whoami/", WhoAmI.as_view()),
    path("api/v1/test/notes/", Notes.as_view()),
    path("api/v1/test/keys/", MyKeys.as_view()),
    path("api/v1/test/public/", Public.as_view()),
    *project_urlpatterns,
]
