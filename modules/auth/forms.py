from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import ratelimit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils.crypto import get_random_string


def limit_email_length(form: forms.Form) -> None:
    """Refuse, with a field error, an address longer than the user model's email column (254
    characters): allauth would otherwise cut it to that length when it copies it to the user,
    and mail or log in the cut address."""
    max_length = get_user_model()._meta.get_field("email").max_length
    email = form.fields["email"]
    email.max_length = max_length
    email.validators.append(MaxLengthValidator(max_length))
    email.validators.append(ascii_local_part)
    email.widget.attrs["maxlength"] = str(max_length)


def ascii_local_part(value: str) -> None:
    """Refuse non-ASCII before the @. Django's validator lets some through ("İ" matches
    [a-z] when case is ignored); allauth then lowercases the address, which can make it
    longer than the column ("İ".lower() is two characters) and unmailable."""
    local = value.rpartition("@")[0]
    if not local.isascii():
        raise ValidationError(
            "Use only ASCII letters, digits and . _ % + - before the @.", code="invalid"
        )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS["signup"]) with two fixes.

    - An address longer than the user model's email column (254 characters) is refused with a
      field error. allauth would otherwise cut it to the column's length when it saves the user,
      and send the confirmation link to the cut address.
    - With ACCOUNT_PREVENT_ENUMERATION, an address that already has an account gets no new
      account, only an email to its owner, and the same page as a real sign-up. That path used to
      skip hashing the password, the slowest step of a real sign-up, so its response time told
      which addresses have accounts. It now hashes the submitted password (and throws the hash
      away), as Django's login does for unknown users.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_email_length(self)

    def try_save(self, request: HttpRequest):
        if self.account_already_exists:
            # The cost of a real sign-up's set_password(), with the project's password hasher.
            make_password(self.cleaned_data.get("password1") or get_random_string(32))
        return super().try_save(request)


class AddEmailForm(AllauthAddEmailForm):
    """allauth's form for a new address (ACCOUNT_FORMS["add_email"]; with ACCOUNT_CHANGE_EMAIL,
    the email change): refuses addresses too long for the user model, as sign-up does."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_email_length(self)


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
