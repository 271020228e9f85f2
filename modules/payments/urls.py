from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("", views.purchases, name="purchases"),
    path("buy/<str:price_id>/", views.buy, name="buy"),
    path("receipt/<str:session_id>/", views.receipt, name="receipt"),
    path("cancelled/", views.cancel, name="cancel"),
    path("webhook/", views.webhook, name="webhook"),
]
