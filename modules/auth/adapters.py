from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404

from quickscale_core import emails

from .signals import sessions_ended


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account adapter (ACCOUNT_ADAPTER): its emails (sign-in codes, verification,
    password reset, security notices) go through the project's one sending service, so
    they are queued and retried like every other email (quickscale_core/emails.py)."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        emails.send(self.render_mail(template_prefix, email, ctx))


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    """allauth's sessions adapter (USERSESSIONS_ADAPTER) that announces ended sessions."""

    def end_sessions(self, sessions) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        owners = {}
        for session in sessions:
            owners.setdefault(session.user_id, [session.user, 0])[1] += 1
        for user, count in owners.values():
            sessions_ended.send(sender=self.__class__, user=user, sessions=count)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's social account adapter (SOCIALACCOUNT_ADAPTER): a provider whose client ID
    is not set has no app, and its login and callback URLs answer 404, not 500."""

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as exc:
            raise Http404("This sign-in provider is not set up.") from exc
