from django.apps import AppConfig


class AuthConfig(AppConfig):
    name = "quickscale_modules.auth"
    # "auth" is django.contrib.auth's label.
    label = "quickscale_auth"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        # The admin's own login form would bypass allauth's rate limits, email verification and
        # two-factor step: send visitors to the allauth login page instead, and refuse
        # signed-in users who are not staff.
        admin.site.login = secure_admin_login(admin.site.login)
