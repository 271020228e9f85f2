from quickscale_modules.payments.tests.stripe_fake import (  # noqa: F401  (pytest fixtures)
    catalog,
    stripe_api,
    stripe_settings,
)
