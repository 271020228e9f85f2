from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from djstripe.event_handlers import djstripe_receiver
from djstripe.signals import webhook_pre_validate

from quickscale_core.background import enqueue_on_commit
from quickscale_core.models import Membership, Team

from . import selectors, services, tasks


@receiver(pre_delete, sender=Team, dispatch_uid="payments_purge_customer")
def purge_stripe_customer(sender, instance, **kwargs):
    """Deleting a team deletes its Stripe customer, which cancels its subscriptions.

    A user's personal team is deleted with the user (quickscale_core.signals), and a shared
    team when its last member goes, so deleting an account ends the billing it alone paid for;
    a team others are still in keeps its plan. The customer is deleted in Stripe once the
    deletion commits (services.schedule_purge): a deletion that fails cancels nothing, and
    Stripe being unreachable never blocks one (it is retried).
    """
    services.schedule_purge(instance)


@receiver(webhook_pre_validate, dispatch_uid="payments_ignore_debug_webhook_secret")
def ignore_debug_webhook_secret(sender, instance, **kwargs):
    """Webhook signatures are always checked with the endpoint's own secret.

    With DEBUG on, dj-stripe 2.11 verifies a delivery with the secret sent in its
    X-Djstripe-Webhook-Secret header when there is one (for `stripe listen`), so anyone
    could sign their own events on a development server. Dropping the header before
    validation closes that for dj-stripe's own URLs too (/stripe/webhook/<uuid>/);
    /payments/webhook/ already verifies the signature before dj-stripe sees the request.
    """
    instance.headers = {
        name: value
        for name, value in (instance.headers or {}).items()
        if name.lower() != "x-djstripe-webhook-secret"
    }


@djstripe_receiver(["checkout.session.completed", "customer.created", "customer.updated"])
def link_customer_to_its_team(sender, event, **kwargs):
    """A customer Stripe knows with our team metadata (made by a retried request whose answer
    was lost, or in the Stripe dashboard) is linked to that team, as dj-stripe links customers
    to users by theirs. Runs after dj-stripe has stored the objects of the event."""
    obj = event.data.get("object") or {}
    customer = obj.get("id") if obj.get("object") == "customer" else obj.get("customer")
    if isinstance(customer, dict):
        customer = customer.get("id")
    team_id = (obj.get("metadata") or {}).get(selectors.TEAM_METADATA_KEY)
    if customer and team_id:
        services.link_customer(customer, team_id)


@receiver(post_save, sender=Membership, dispatch_uid="payments_contact_follows_owner_save")
@receiver(post_delete, sender=Membership, dispatch_uid="payments_contact_follows_owner_delete")
def contact_follows_owner(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """A role changed or a member left (ownership transferred, an owner's account deleted):
    once that commits, the customer's email follows the owner (services.follow_owner)."""
    if created or raw or (update_fields is not None and "role" not in update_fields):
        return
    team_id = instance.team_id
    enqueue_on_commit(tasks.follow_team_owner, team_id)
