from allauth.core import ratelimit
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class DeleteAccountForm(forms.Form):
    """Asks for the password, or for users who only log in with Google or GitHub and have
    none, for their email address typed out: deleting must be a deliberate act."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="Type it to confirm: your account has no password.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: AbstractBaseUser = request.user
        if self.user.has_usable_password():
            del self.fields["email"]
        else:
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # Shares the "reauthenticate" rate limit (ACCOUNT_RATE_LIMITS), so this form cannot be
        # used to guess the password of a session left open.
        if not ratelimit.consume(self.request, action="reauthenticate", user=self.user):
            raise forms.ValidationError("Too many attempts. Wait a minute, then try again.")
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email.strip().lower() != self.user.email.lower():
            raise forms.ValidationError("That is not the email address of this account.")
        return email
