# Settings of the Auth module. When a project has the module, everything below the
# marker line goes into config/settings/base.py verbatim (extensions/wiring.jinja).
# This file is never imported: the lines above the marker stand in for names base.py
# defines earlier, so that it lints and compiles on its own.
import environ

env = environ.Env()
PROJECT_NAME = "Example"

# --- Included verbatim into config/settings/base.py below this line ---
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # Email login with allauth's rate limits, verification and two-factor stages.
    "allauth.account.auth_backends.AuthenticationBackend",
]
# The core user model has no username: email is the login.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# One address per account; a new address replaces the old one once it is verified.
ACCOUNT_CHANGE_EMAIL = True
# Changing the email address asks for the password again (two-factor changes always do):
# a session left open is not enough to take the account over.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Security notices (password changed, email changed, two-factor changes) by email.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Signup and password reset answer the same whether or not an account exists.
ACCOUNT_PREVENT_ENUMERATION = True
# Sign-up and email change refuse addresses too long to store; sign-up takes as long for an
# address that already has an account as for a new one (docs/security.md).
ACCOUNT_FORMS = {
    "signup": "quickscale_modules.auth.forms.SignupForm",
    "add_email": "quickscale_modules.auth.forms.AddEmailForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PROJECT_NAME}] "
ACCOUNT_LOGIN_BY_CODE_ENABLED = env.bool("AUTH_LOGIN_BY_CODE", default=False)
# Counted in the default cache, shared by every process (database cache, or CACHE_URL).
ACCOUNT_RATE_LIMITS = {
    # Failed logins: 10 a minute from one IP, 5 per 5 minutes for one account.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    # Reset requests: 20 a minute from one IP, 5 a minute for one address.
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Rate limits per IP need the visitor's address: behind N reverse proxies (load balancer,
# PaaS router), set AUTH_TRUSTED_PROXY_COUNT=N so it is read from X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("AUTH_TRUSTED_PROXY_COUNT", default=0)
# Sends allauth's emails through quickscale_core.emails (queued and retried with the tasks module).
ACCOUNT_ADAPTER = "quickscale_modules.auth.adapters.AccountAdapter"
# Announces "sign out everywhere else" (quickscale_modules.auth.signals.sessions_ended), so
# other modules can drop credentials of their own, such as API keys.
USERSESSIONS_ADAPTER = "quickscale_modules.auth.adapters.UserSessionsAdapter"
# Login and callback URLs of a provider without a client ID answer 404 instead of 500.
SOCIALACCOUNT_ADAPTER = "quickscale_modules.auth.adapters.SocialAccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PROJECT_NAME
# Providers come from the environment, never from database rows: a provider without a
# client ID has no app, so allauth shows no button for it.
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "APPS": [
            {
                "client_id": env("GOOGLE_CLIENT_ID", default=""),
                "secret": env("GOOGLE_CLIENT_SECRET", default=""),
            }
        ]
        if env("GOOGLE_CLIENT_ID", default="")
        else [],
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
    },
    "github": {
        "APPS": [
            {
                "client_id": env("GITHUB_CLIENT_ID", default=""),
                "secret": env("GITHUB_CLIENT_SECRET", default=""),
            }
        ]
        if env("GITHUB_CLIENT_ID", default="")
        else [],
        "SCOPE": ["user:email"],
    },
}
