"""The project's URLs plus views gated on entitlements, as a project would write them."""

from django.http import HttpResponse
from django.urls import include, path
from django.views import View

from quickscale_modules.billing.decorators import EntitlementRequiredMixin, entitlement_required


@entitlement_required("exports")
def export_view(request):
    return HttpResponse("export ready")


class SsoView(EntitlementRequiredMixin, View):
    required_entitlement = "sso"

    def get(self, request):
        return HttpResponse("sso settings")


urlpatterns = [
    path("gated/export/", export_view),
    path("gated/sso/", SsoView.as_view()),
]

try:
    from rest_framework.response import Response
    from rest_framework.views import APIView
except ImportError:  # No DRF in this project (the api module is not installed).
    pass
else:
    from quickscale_modules.billing.drf import HasEntitlement

    class ExportApi(APIView):
        permission_classes = [HasEntitlement.for_feature("exports")]

        def get(self, request):
            return Response({"export": "ready"})

    urlpatterns.append(path("gated/api/export/", ExportApi.as_view()))

urlpatterns.append(path("", include("config.urls")))
