"""The removal check: `make update` refuses to remove the module while a team is shared."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from quickscale_core import teams
from quickscale_core.models import Membership
from quickscale_modules.teams import removal
from quickscale_modules.teams.models import Invitation, token_digest

pytestmark = pytest.mark.django_db


def invitation(team, email, expires_in_days):
    return Invitation.objects.create(
        team=team,
        email=email,
        role="member",
        token_digest=token_digest(email),
        expires_at=timezone.now() + timedelta(days=expires_in_days),
    )


def test_personal_teams_alone_allow_the_removal(make_user, capsys):
    ada = make_user("ada@example.com")
    invitation(teams.ensure_personal_team(ada), "late@example.com", expires_in_days=-1)

    assert removal.blockers() == [], "an expired invitation invites nobody"
    call_command("check_module_removal", "teams")
    assert "Nothing stops removing teams" in capsys.readouterr().out


def test_each_shared_team_is_named_and_the_command_exits_2(make_user, capsys):
    ada, bob, cy = (make_user(f"{n}@example.com") for n in ("ada", "bob", "cy"))
    teams.create_team(ada, "Acme")  # shared by nature, even with its owner alone
    Membership.objects.create(user=bob, team=teams.ensure_personal_team(ada), role="member")
    invitation(teams.ensure_personal_team(cy), "dee@example.com", expires_in_days=3)

    sentences = removal.blockers()

    assert sentences[0].startswith('Shared team "Acme"') and "1 member." in sentences[0]
    assert "2 members" in sentences[1] and sentences[1].startswith("Personal team")
    assert "1 open invitation" in sentences[2]
    assert "Delete each of these teams" in sentences[-1] and len(sentences) == 4
    with pytest.raises(SystemExit) as exit_code:
        call_command("check_module_removal", "teams")
    assert exit_code.value.code == 2
    out = capsys.readouterr().out
    assert "Removing teams would strand data" in out and '"Acme"' in out
    assert "DATABASE_URL" in out and "check_module_removal teams" in out
