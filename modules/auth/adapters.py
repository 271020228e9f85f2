from allauth.usersessions.adapter import DefaultUserSessionsAdapter

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
