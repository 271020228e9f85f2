"""Signals other modules and the project's app can connect to (along their `requires`)."""

from django.dispatch import Signal

# Sent after a user ended some of their sessions from the sessions page ("Sign out everywhere
# else"), which is what users do when they fear someone else is signed in as them.
# Arguments: user (the sessions' owner), sessions (the number of sessions ended).
# The api module revokes the user's API keys on it.
sessions_ended = Signal()
