from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.http import Http404

from .signals import sessions_ended


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
