"""Your settings. This file is yours: template updates never change it.

It is imported last by dev.py, test.py and prod.py, so anything set here wins.
To extend a list from base.py, import it first, for example:

    from .base import INSTALLED_APPS

    INSTALLED_APPS = [*INSTALLED_APPS, "django_extensions"]

Never write `from .base import *` here: everything this file defines is copied over
the environment's settings, so it would put development defaults back into production.

Read secrets from the environment with `env`:

    from .base import env

    STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
"""
