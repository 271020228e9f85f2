from .stripe_fake import catalog, customer, stripe_api, stripe_settings  # noqa: F401  (fixtures)
