from django import forms

from quickscale_core import roles


class TeamNameForm(forms.Form):
    name = forms.CharField(max_length=100, strip=True)


class InviteForm(forms.Form):
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField()

    def __init__(self, *args, assignable: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(key, roles.label(key)) for key in assignable]
        if roles.DEFAULT_INVITE_ROLE in assignable:
            self.fields["role"].initial = roles.DEFAULT_INVITE_ROLE


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=roles.role_choices)
