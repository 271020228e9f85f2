# Settings of the Notifications module. When a project has the module, everything below the
# marker line goes into config/settings/base.py verbatim (extensions/wiring.jinja).
# This file is never imported: the lines above the marker stand in for names base.py
# defines earlier, so that it lints and compiles on its own.
import environ

env = environ.Env()
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Included verbatim into config/settings/base.py below this line ---
# Email through a django-anymail provider when EMAIL_PROVIDER names one ("mailgun", "postmark",
# "sendgrid", "amazon_ses", ...); otherwise EMAIL_URL above decides (console in development).
EMAIL_PROVIDER = env("EMAIL_PROVIDER", default="").strip().lower()
if EMAIL_PROVIDER:
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
# django-anymail's settings from the environment: ANYMAIL_MAILGUN_API_KEY becomes
# ANYMAIL["MAILGUN_API_KEY"], ANYMAIL_WEBHOOK_SECRET becomes ANYMAIL["WEBHOOK_SECRET"].
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in env.ENVIRON.items()
    if name.startswith("ANYMAIL_") and value
}
# Seconds between two requests of an open page for the bell's unread count (htmx polling).
NOTIFICATIONS_POLL_SECONDS = env.int("NOTIFICATIONS_POLL_SECONDS", default=30)
# Notifications listed per page on the notifications page.
NOTIFICATIONS_PAGE_SIZE = 20
