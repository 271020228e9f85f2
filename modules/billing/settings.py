# Settings of the Billing module. When a project has the module, everything below the
# marker line goes into config/settings/base.py verbatim (extensions/wiring.jinja).
# This file is never imported, and this part uses no name from base.py.

# --- Included verbatim into config/settings/base.py below this line ---
# What each plan allows. A Stripe product belongs to a plan through its metadata key
# "plan" (e.g. plan=pro, set in the Stripe dashboard); "features" are on/off switches,
# "limits" are numbers (None means unlimited). Checked with
# quickscale_core.extensions.has_entitlement(request.team, ...) / entitlement_limit().
# The team is the customer. Add "per_seat": True to a plan whose Stripe price is per unit:
# its subscription's quantity then follows the team's member count (docs/modules/billing.md).
BILLING_PLANS = {
    "pro": {
        "features": ["priority_support", "exports"],
        "limits": {"projects": 20, "seats": 5},
    },
    "business": {
        "features": ["priority_support", "exports", "sso"],
        "limits": {"projects": None, "seats": 50},
    },
}
# What teams without a subscription (and visitors) get.
BILLING_FREE_ENTITLEMENTS = {"features": [], "limits": {"projects": 3, "seats": 1}}
# Subscription statuses that grant the plan's entitlements. Add "past_due" to keep access
# while Stripe retries a failed renewal payment.
BILLING_ENTITLED_STATUSES = ["active", "trialing"]
# How Stripe charges a seat added or removed mid-period on a plan billed per seat:
# "create_prorations" (on the next invoice), "always_invoice" (at once) or "none".
BILLING_SEAT_PRORATION = "create_prorations"
