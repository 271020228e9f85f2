from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.billing_settings, name="settings"),
    path("pricing/", views.pricing, name="pricing"),
    path("subscribe/<str:price_id>/", views.subscribe, name="subscribe"),
    path("checkout/success/", views.success, name="success"),
    path("checkout/cancelled/", views.cancel, name="cancel"),
    path("portal/", views.portal, name="portal"),
]
