"""The project's URLs plus small endpoints that exercise the module's DRF configuration, so its
tests do not depend on what a theme provides."""

from django.urls import path
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as project_urlpatterns
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


urlpatterns = [
    path("api/v1/test/whoami/", WhoAmI.as_view()),
    path("api/v1/test/notes/", Notes.as_view()),
    path("api/v1/test/keys/", MyKeys.as_view()),
    path("api/v1/test/public/", Public.as_view()),
    *project_urlpatterns,
]
