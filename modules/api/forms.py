from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from quickscale_core.models import Team
from quickscale_core.teams import team_label

EXPIRY_CHOICES = [
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
    ("never", "Never"),
]


class ApiKeyForm(forms.Form):
    """A new key's name, expiry and team: one of `teams`, the user's teams (teams_of)."""

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the key is for, e.g. the script or service that uses it.",
    )
    # Left out (a page from before teams, a script), the key is for the current team.
    team = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    expires = forms.ChoiceField(label="Expires", choices=EXPIRY_CHOICES, initial="90")

    def __init__(self, *args, teams: list[Team], current_team: Team | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {team.pk: team for team in teams}
        field = self.fields["team"]
        # Only the user's own teams are choices, so a team id of someone else's is refused
        # as an invalid choice.
        field.choices = [(team.pk, team.name) for team in teams]
        field.label = team_label()
        field.error_messages["invalid_choice"] = (
            f"You are not a member of that {team_label().lower()} (any more): reload the page "
            f"and choose one of yours."
        )
        field.help_text = (
            f"The key acts in this {team_label().lower()} only, with your role there, "
            f"and stops working for good if you leave it."
        )
        if current_team is not None and current_team.pk in self.teams:
            field.initial = current_team.pk
        elif teams:
            field.initial = teams[0].pk
        if len(teams) == 1:
            # One team (every user's personal team, and all a user has without the teams
            # module): nothing to choose, so nothing to show.
            field.widget = forms.HiddenInput()

    def clean_team(self) -> Team:
        chosen = self.cleaned_data["team"]
        if chosen is None:
            chosen = self.fields["team"].initial
        if chosen is None:
            raise forms.ValidationError(f"Choose a {team_label().lower()}.")
        return self.teams[chosen]

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data["expires"]
        return None if days == "never" else timezone.now() + timedelta(days=int(days))
