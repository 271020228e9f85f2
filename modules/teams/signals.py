"""A visitor who opened an invitation link and then signs up (or logs in) lands in that team.

The invitation page keeps the link's token in the session; when allauth logs the user in, the
invitation is accepted if it is still open and addressed to one of their verified addresses.
"""

from allauth.account.signals import user_logged_in
from django.contrib import messages
from django.dispatch import receiver

from quickscale_core import teams

from . import selectors, services

SESSION_KEY = "quickscale_invitation"


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
