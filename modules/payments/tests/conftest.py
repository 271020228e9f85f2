from .stripe_fake import catalog, stripe_api, stripe_settings  # noqa: F401  (pytest fixtures)
