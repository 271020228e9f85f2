"""A visitor who opened an invitation link and then signs up (or logs in) lands in that team.

The invitation page keeps the link's token in the session. Signing up with the invited address
itself needs no confirmation email: the link was sent to that address, so opening it proved it.
Any other address is confirmed as usual. (allauth's stash_verified_email is not used: it would
verify the invited address on an account signed up with ANY address in that browser.) When
allauth logs the user in, the invitation is accepted if it is still open and addressed to one
of their verified addresses.
"""

from allauth.account.models import EmailAddress
from allauth.account.signals import user_logged_in, user_signed_up
from django.contrib import messages
from django.dispatch import receiver

from quickscale_core import teams

from . import selectors, services

SESSION_KEY = "quickscale_invitation"


@receiver(user_signed_up, dispatch_uid="quickscale_teams.verify_invited_address")
def verify_invited_address(sender, request, user, **kwargs) -> None:
    # Sent after the new user's addresses are saved and before allauth decides whether to
    # send a confirmation email and log them in.
    token = request.session.get(SESSION_KEY) if request is not None else None
    invitation = selectors.invitation_by_token(token) if token else None
    if invitation is None or not invitation.open:
        return
    EmailAddress.objects.filter(user=user, email__iexact=invitation.email).update(verified=True)


@receiver(user_logged_in, dispatch_uid="quickscale_teams.accept_invitation")
def accept_invitation_on_login(sender, request, user, **kwargs) -> None:
    token = request.session.pop(SESSION_KEY, None)
    if not token:
        return
    invitation = selectors.invitation_by_token(token)
    if services.acceptance_problem(invitation, user) is not None:
        return  # The invitation page explains why when they open the link again.
    try:
        membership = services.accept(invitation, user)
    except services.TeamError:
        return
    teams.switch_team(request, membership.team)
    messages.success(request, f"Welcome to {membership.team.name}.")
