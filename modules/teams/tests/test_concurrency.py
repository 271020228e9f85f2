"""Two invitations accepted at the same moment cannot pass the seat limit (PostgreSQL: the
team's row lock in services.accept; SQLite serializes writers anyway, so this runs there only
when the suite runs on PostgreSQL)."""

import threading

import pytest
from django.db import connection

from quickscale_core import teams
from quickscale_core.models import Membership
from quickscale_modules.teams import services

pytestmark = pytest.mark.django_db(transaction=True)

# Several people at once: without the lock, two of them pass the seat check together in
# nearly every run (measured by removing the lock); with it, exactly one joins.
PEOPLE = 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_two_acceptances_at_once_respect_the_seat_limit(make_user, seat_limit):
    owner = make_user("owner@example.com")
    team = teams.create_team(owner, "Acme")
    invitations = [
        services.invite(team, owner, f"p{n}@example.com", "member", base_url="/")[0]
        for n in range(PEOPLE)
    ]
    invitees = [make_user(f"p{n}@example.com") for n in range(PEOPLE)]
    seat_limit(2)  # The owner plus one: the plan shrank after they were all invited.
    start = threading.Barrier(PEOPLE)
    outcomes = []

    def accept(invitation, user):
        try:
            start.wait()
            services.accept(invitation, user)
            outcomes.append("joined")
        except services.TeamError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=pair)
        for pair in zip(invitations, invitees, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["joined"] + ["refused"] * (PEOPLE - 1)
    assert Membership.objects.filter(team=team).count() == 2
