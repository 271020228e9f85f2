"""The email provider's delivery webhook, /anymail/<provider>/tracking/ (module.yml).

Only the provider EMAIL_PROVIDER names answers; the URL of any other is a 404, so a provider
that is not configured can never be fed events. django-anymail's view checks the request's
signature (Mailgun, SendGrid, ...) or basic auth (ANYMAIL_WEBHOOK_SECRET) and answers 400 to
a forged one.
"""

from django.urls import path

from .webhooks import tracking_webhook

app_name = "notifications_webhooks"
urlpatterns = [path("<str:provider>/tracking/", tracking_webhook, name="tracking")]
