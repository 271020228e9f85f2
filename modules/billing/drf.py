"""A Django REST framework permission for entitlements.

Import this module only from code that has DRF installed (the api module): the billing module
itself never imports it, so projects without DRF are unaffected.

    from quickscale_modules.billing.drf import HasEntitlement

    class ExportView(APIView):
        permission_classes = [HasEntitlement.for_feature("exports")]
"""

from rest_framework.permissions import BasePermission

from . import selectors


class HasEntitlement(BasePermission):
    """Allows signed-in users whose current team's plan includes `feature` (set by
    `for_feature`); with an API key, the key's team."""

    feature = ""
    message = "Your plan does not include this feature."

    @classmethod
    def for_feature(cls, feature: str) -> type["HasEntitlement"]:
        return type(f"HasEntitlement_{feature}", (cls,), {"feature": feature})

    def has_permission(self, request, view) -> bool:
        feature = self.feature or getattr(view, "required_entitlement", "")
        user = request.user
        if not (feature and user and user.is_authenticated):
            return False
        return selectors.has_entitlement(getattr(request, "team", None) or user, feature)
