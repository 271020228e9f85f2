# Settings of the Payments module. When a project has the module, everything below the
# marker line goes into config/settings/base.py verbatim (extensions/wiring.jinja).
# This file is never imported: the lines above the marker stand in for names base.py
# defines earlier, so that it lints and compiles on its own.
import environ

env = environ.Env()
AUTH_USER_MODEL = "quickscale_core.User"
QUICKSCALE_MIGRATE_FROM_FINAL_STATE: list[str] = []

# --- Included verbatim into config/settings/base.py below this line ---
# Test mode unless STRIPE_LIVE_MODE=true: live keys are never used by accident.
STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
# One secret key for the current mode (sk_test_... or sk_live_...); empty means Stripe is
# not configured and the payment pages say what to set instead of failing.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
# Signing secret (whsec_...) of the webhook endpoint pointing at /payments/webhook/.
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# The API version dj-stripe 2.11 is tested with: requests and webhook payloads use it.
STRIPE_API_VERSION = "2026-05-27.dahlia"
# Foreign keys to dj-stripe objects use Stripe IDs (cus_..., sub_...), not local row IDs.
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
# Stripe customers belong to teams (quickscale_modules.payments.models.TeamCustomer, the
# team's ID in the customer's metadata "quickscale_team"). dj-stripe still needs a
# subscriber model: customers made before teams carry the user's ID under this key.
DJSTRIPE_SUBSCRIBER_MODEL = AUTH_USER_MODEL
DJSTRIPE_SUBSCRIBER_CUSTOMER_KEY = "djstripe_subscriber"
# A new database gets dj-stripe's tables from its final migration state: its 0002 removes
# 514 fields, a minute of Django re-rendering models, for the same tables in a second.
QUICKSCALE_MIGRATE_FROM_FINAL_STATE = [*QUICKSCALE_MIGRATE_FROM_FINAL_STATE, "djstripe"]
